// API keys: the secret is shown once and only its hash kept; `Bearer lg_…`
// authenticates; READ keys are read-only in Postgres itself.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, register, startTestGateway, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
let session: Awaited<ReturnType<typeof register>>;

const CREATE = `mutation ($name: String!, $scopes: [ApiKeyScope]!, $expiresAt: Datetime) {
  createApiKey(input: { name: $name, scopes: $scopes, expiresAt: $expiresAt }) { result { apiKeyId secret } }
}`;
const RENAME = `mutation ($id: UUID!, $name: String!) { updateUser(input: { rowId: $id, patch: { displayName: $name } }) { user { displayName } } }`;

async function createKey(scopes: string[], expiresAt: string | null = null) {
  const response = await graphql(t.url, CREATE, { name: `key ${scopes.join("+")}`, scopes, expiresAt }, session.accessToken);
  if (!response.data?.createApiKey) throw new Error(JSON.stringify(response.errors));
  return response.data.createApiKey.result as { apiKeyId: string; secret: string };
}

beforeAll(async () => {
  t = await startTestGateway();
  session = await register(t.url, "keys_kim");
});
afterAll(async () => {
  await t.close();
});

describe("createApiKey", () => {
  it("returns an lg_ secret once and stores only its SHA-256", async () => {
    const key = await createKey(["READ"]);
    expect(key.secret).toMatch(/^lg_[0-9a-f]{48}$/);
    const { rows } = await t.db.root.query(
      "select k.token_prefix, s.secret_hash = digest($2, 'sha256') as hashed, position($2 in row_to_json(k)::text) as leaked from app_public.api_keys k join app_private.api_key_secrets s on s.api_key_id = k.id where k.id = $1",
      [key.apiKeyId, key.secret],
    );
    expect(rows).toEqual([{ token_prefix: key.secret.slice(0, 10), hashed: true, leaked: 0 }]);
    const listed = await graphql(t.url, "{ apiKeys { nodes { name scopes tokenPrefix } } }", {}, session.accessToken);
    expect(listed.data.apiKeys.nodes).toContainEqual({ name: "key READ", scopes: ["READ"], tokenPrefix: key.secret.slice(0, 10) });
  });

  it("refuses an expiry in the past with BADIN", async () => {
    const response = await graphql(t.url, CREATE, { name: "old", scopes: ["READ"], expiresAt: "2000-01-01T00:00:00Z" }, session.accessToken);
    expect(errorCodes(response)).toEqual(["BADIN"]);
  });
});

describe("using a key", () => {
  it("authenticates as the key's user", async () => {
    const key = await createKey(["READ"]);
    const me = await graphql(t.url, "{ currentUser { username } }", {}, key.secret);
    expect(me.data.currentUser.username).toBe("keys_kim");
  });

  it("a READ key cannot write: Postgres refuses in a read-only transaction", async () => {
    const key = await createKey(["READ"]);
    const response = await graphql(t.url, RENAME, { id: session.user.rowId, name: "renamed by READ" }, key.secret);
    expect(errorCodes(response)).toEqual(["RDONL"]);
    const { rows } = await t.db.root.query("select display_name from app_public.users where id = $1", [session.user.rowId]);
    expect(rows[0].display_name).not.toBe("renamed by READ");
  });

  it("a WRITE key can write", async () => {
    const key = await createKey(["READ", "WRITE"]);
    const response = await graphql(t.url, RENAME, { id: session.user.rowId, name: "Kim via key" }, key.secret);
    expect(response.data.updateUser.user.displayName).toBe("Kim via key");
  });

  it("a key cannot mint more keys or change the password", async () => {
    const key = await createKey(["WRITE"]);
    expect(errorCodes(await graphql(t.url, CREATE, { name: "child", scopes: ["WRITE"] }, key.secret))).toEqual(["DNIED"]);
    const change = await graphql(t.url, `mutation { changePassword(input: { oldPassword: "Correct-Horse-9", newPassword: "Other-Pass-99" }) { result } }`, {}, key.secret);
    expect(errorCodes(change)).toEqual(["DNIED"]);
  });

  it("a revoked key stops working at once", async () => {
    const key = await createKey(["READ"]);
    const revoke = await graphql(t.url, `mutation ($id: UUID!) { revokeApiKey(input: { apiKeyId: $id }) { result { revokedAt } } }`, { id: key.apiKeyId }, session.accessToken);
    expect(revoke.data.revokeApiKey.result.revokedAt).not.toBeNull();
    const me = await graphql(t.url, "{ currentUser { username } }", {}, key.secret);
    expect(me.status).toBe(401);
    expect(errorCodes(me)).toEqual(["AUTHN"]);
  });

  it("an expired key and an unknown key are refused with 401", async () => {
    const key = await createKey(["READ"], new Date(Date.now() + 60_000).toISOString());
    await t.db.root.query("update app_public.api_keys set expires_at = now() - interval '1 second' where id = $1", [key.apiKeyId]);
    expect((await graphql(t.url, "{ currentUser { username } }", {}, key.secret)).status).toBe(401);
    expect((await graphql(t.url, "{ currentUser { username } }", {}, "lg_" + "0".repeat(48))).status).toBe(401);
  });
});

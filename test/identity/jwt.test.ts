// Every malformed or forged access token is refused with 401 AUTHN, for
// HS256, RS256 and ES256 gateways; a `role` claim never changes the role.
import { createHmac, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { errorCodes, graphql, register, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const SECRET = "test-secret-test-secret-test-secret-0123";
const ME = "{ currentUser { username } }";

function forge(payload: Record<string, unknown>, key: jwt.Secret, options: jwt.SignOptions = {}) {
  return jwt.sign(payload, key, { algorithm: "HS256", ...options });
}

describe("HS256 gateway", () => {
  let t: TestGateway;
  let user: { userId: string; sessionId: string; victimId: string };
  const claims = () => ({ sub: user.userId, sid: user.sessionId, iss: "lifegraph", aud: "lifegraph" });

  beforeAll(async () => {
    t = await startTestGateway({ JWT_SECRET: SECRET });
    const session = await register(t.url, "jwt_mallory");
    const victim = await register(t.url, "jwt_victim");
    const decoded = jwt.decode(session.accessToken) as { sub: string; sid: string };
    user = { userId: decoded.sub, sessionId: decoded.sid, victimId: victim.user.rowId };
  });
  afterAll(async () => {
    await t.close();
  });

  it("accepts a correctly signed token (the control case)", async () => {
    const token = forge({ ...claims(), exp: Math.floor(Date.now() / 1000) + 60 }, SECRET);
    expect((await graphql(t.url, ME, {}, token)).data.currentUser.username).toBe("jwt_mallory");
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => string]> = [
    ["alg none", () => {
      const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
      const body = Buffer.from(JSON.stringify({ ...claims(), exp: now() + 60 })).toString("base64url");
      return `${header}.${body}.`;
    }],
    ["a wrong secret", () => forge({ ...claims(), exp: now() + 60 }, "another-secret-another-secret-another-1")],
    ["expired (beyond the 60 s skew)", () => forge({ ...claims(), exp: now() - 120 }, SECRET)],
    ["no exp", () => forge(claims(), SECRET)],
    ["nbf in the future", () => forge({ ...claims(), exp: now() + 600, nbf: now() + 300 }, SECRET)],
    ["a wrong audience", () => forge({ ...claims(), aud: "someone-else", exp: now() + 60 }, SECRET)],
    ["a wrong issuer", () => forge({ ...claims(), iss: "evil", exp: now() + 60 }, SECRET)],
    ["a tampered payload", () => {
      const [header, , signature] = forge({ ...claims(), exp: now() + 60 }, SECRET).split(".");
      const body = Buffer.from(JSON.stringify({ ...claims(), sub: user.victimId, exp: now() + 60 })).toString("base64url");
      return `${header}.${body}.${signature}`;
    }],
    ["a session that does not exist", () => forge({ ...claims(), sid: "00000000-0000-4000-8000-000000000000", exp: now() + 60 }, SECRET)],
    ["another user's id with my session", () => forge({ ...claims(), sub: user.victimId, exp: now() + 60 }, SECRET)],
    ["an RS256 signature", () => {
      const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return jwt.sign({ ...claims(), exp: now() + 60 }, privateKey, { algorithm: "RS256" });
    }],
  ];

  it.each(cases)("refuses %s with 401 AUTHN", async (_name, make) => {
    const response = await graphql(t.url, ME, {}, make());
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(["AUTHN"]);
    expect(response.data).toBeUndefined();
  });

  it("runs a token carrying role: postgres as the visitor all the same", async () => {
    const token = forge({ ...claims(), role: "postgres", exp: now() + 60 }, SECRET);
    const response = await graphql(
      t.url,
      `mutation ($id: UUID!) { updateUser(input: { rowId: $id, patch: { displayName: "owned" } }) { user { displayName } } }`,
      { id: user.victimId },
      token,
    );
    // RLS hides the row from the update: nothing is returned, nothing changes.
    expect(response.data.updateUser.user).toBeNull();
    const { rows } = await t.db.root.query("select display_name from app_public.users where id = $1", [user.victimId]);
    expect(rows[0].display_name).toBe("jwt_victim");
    const admin = await graphql(t.url, "{ currentUserIsAdmin }", {}, token);
    expect(admin.data.currentUserIsAdmin).toBe(false);
  });

  it("serves no JWKS for a shared secret", async () => {
    expect((await fetch(`${t.url}/.well-known/jwks.json`)).status).toBe(404);
  });
});

describe.each([
  ["RS256", () => generateKeyPairSync("rsa", { modulusLength: 2048 })],
  ["ES256", () => generateKeyPairSync("ec", { namedCurve: "P-256" })],
])("%s gateway", (algorithm, makeKeys) => {
  let t: TestGateway;
  const keys = makeKeys();
  const privatePem = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString();

  beforeAll(async () => {
    t = await startTestGateway({ JWT_PRIVATE_KEY: privatePem });
  });
  afterAll(async () => {
    await t.close();
  });

  it("signs with the key and publishes it, with its kid, at /.well-known/jwks.json", async () => {
    const session = await register(t.url, `jwt_${algorithm.toLowerCase()}`);
    const header = jwt.decode(session.accessToken, { complete: true })!.header;
    expect(header.alg).toBe(algorithm);
    const jwks = (await (await fetch(`${t.url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; alg: string }> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]!.kid).toBe(header.kid);
    expect(jwks.keys[0]!.alg).toBe(algorithm);
    expect((await graphql(t.url, ME, {}, session.accessToken)).data.currentUser.username).toBe(`jwt_${algorithm.toLowerCase()}`);
  });

  it("refuses an HS256 token signed with the public key as the secret", async () => {
    const session = await register(t.url, `jwt_conf_${algorithm.toLowerCase()}`);
    const { sub, sid } = jwt.decode(session.accessToken) as { sub: string; sid: string };
    // jsonwebtoken refuses to sign HS256 with a PEM, so build the token by hand.
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const body = Buffer.from(JSON.stringify({ sub, sid, iss: "lifegraph", aud: "lifegraph", exp: Math.floor(Date.now() / 1000) + 60 })).toString("base64url");
    const signature = createHmac("sha256", publicPem).update(`${header}.${body}`).digest("base64url");
    const response = await graphql(t.url, ME, {}, `${header}.${body}.${signature}`);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(["AUTHN"]);
  });
});

// Email verification and password reset, through the real gateway: links
// carry single-use, expiring tokens (only hashes are stored); forgotPassword
// answers the same for unknown addresses; a reset ends every session and API key.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, register, startTestGateway, type TestGateway } from "../helpers/gateway.js";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw.close();
});

/** The token an account mail carries, as the email's template would receive it. */
async function mailedToken(userId: string, type: string): Promise<string> {
  const { rows } = await gw.db.root.query(
    "select data ->> 'token' as token from app_public.notification_events where user_id = $1 and type = $2 order by created_at desc limit 1",
    [userId, type],
  );
  return rows[0].token;
}

describe("email verification", () => {
  it("registration mails a link; the token verifies once, and is stored only hashed", async () => {
    const auth = await register(gw.url, "verifier");
    const token = await mailedToken(auth.user.rowId, "account.verify_email");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const { rows: stored } = await gw.db.root.query("select count(*)::int as n from app_private.account_tokens where token_hash = digest($1, 'sha256')", [token]);
    expect(stored[0].n).toBe(1);
    const { rows: plain } = await gw.db.root.query("select count(*)::int as n from app_private.account_tokens t where encode(t.token_hash, 'hex') = $1", [token]);
    expect(plain[0].n).toBe(0);
    // The token never shows through GraphQL, not even to its owner.
    const events = await graphql(gw.url, `{ notificationEvents { nodes { type } } }`, {}, auth.accessToken);
    expect(events.data.notificationEvents.nodes).toEqual([{ type: "account.verify_email" }]);
    expect(JSON.stringify(events)).not.toContain(token);
    const withData = await graphql(gw.url, `{ notificationEvents { nodes { data } } }`, {}, auth.accessToken);
    expect(withData.errors?.[0]?.message).toMatch(/Cannot query field "data"/);

    const verify = () => graphql(gw.url, `mutation ($t: String!) { verifyEmail(input: { token: $t }) { result } }`, { t: token });
    expect((await verify()).data.verifyEmail.result).toBe(true);
    expect(errorCodes(await verify())).toEqual(["TOKEN"]);
    const me = await graphql(gw.url, `{ currentUser { isVerified userEmails { nodes { isVerified } } } }`, {}, auth.accessToken);
    expect(me.data.currentUser).toEqual({ isVerified: true, userEmails: { nodes: [{ isVerified: true }] } });
  });

  it("an expired token is refused; a new address gets its own link", async () => {
    const auth = await register(gw.url, "expirer");
    const token = await mailedToken(auth.user.rowId, "account.verify_email");
    await gw.db.root.query("update app_private.account_tokens set expires_at = now() - interval '1 second' where token_hash = digest($1, 'sha256')", [token]);
    const response = await graphql(gw.url, `mutation ($t: String!) { verifyEmail(input: { token: $t }) { result } }`, { t: token });
    expect(errorCodes(response)).toEqual(["TOKEN"]);
    const added = await graphql(gw.url, `mutation { createUserEmail(input: { userEmail: { email: "second@example.com" } }) { userEmail { rowId } } }`, {}, auth.accessToken);
    expect(added.errors).toBeUndefined();
    const { rows } = await gw.db.root.query(
      "select data ->> 'email' as email from app_public.notification_events where user_id = $1 and type = 'account.verify_email' order by created_at",
      [auth.user.rowId],
    );
    expect(rows.map((r) => r.email)).toEqual(["expirer@example.com", "second@example.com"]);
  });
});

describe("password reset", () => {
  it("answers the same whether or not the address exists, and mails only real accounts", async () => {
    await register(gw.url, "forgetful");
    const ask = (email: string) => graphql(gw.url, `mutation ($e: String!) { forgotPassword(input: { email: $e }) { result } }`, { e: email });
    const known = await ask("forgetful@example.com");
    const unknown = await ask("nobody@example.com");
    expect(known).toEqual(unknown);
    expect(known.data.forgotPassword.result).toBe(true);
    const { rows } = await gw.db.root.query("select count(*)::int as n from app_public.notification_events where type = 'account.password_reset'");
    expect(rows[0].n).toBe(1);
  });

  it("a reset link sets the password once, ends every session (API keys too), and tells the user", async () => {
    const auth = await register(gw.url, "resetter");
    const key = await graphql(gw.url, `mutation { createApiKey(input: { name: "script", scopes: [READ] }) { result { secret } } }`, {}, auth.accessToken);
    const keySecret = key.data.createApiKey.result.secret as string;
    const asKey = () => graphql(gw.url, `{ currentUser { username } }`, {}, keySecret);
    expect((await asKey()).data.currentUser.username).toBe("resetter");
    await graphql(gw.url, `mutation { forgotPassword(input: { email: "resetter@example.com" }) { result } }`);
    const token = await mailedToken(auth.user.rowId, "account.password_reset");
    const reset = (password: string) =>
      graphql(gw.url, `mutation ($t: String!, $p: String!) { resetPassword(input: { token: $t, newPassword: $p }) { result } }`, { t: token, p: password });
    expect(errorCodes(await reset("short"))).toEqual(["WEAKP"]);
    expect((await reset("Brand-New-Horse-7")).data.resetPassword.result).toBe(true);
    expect(errorCodes(await reset("Another-New-Horse-8"))).toEqual(["TOKEN"]);
    // The old access token's session is over.
    const old = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${auth.accessToken}` },
      body: JSON.stringify({ query: "{ currentUser { username } }" }),
    });
    expect(old.status).toBe(401);
    // A reset may follow a stolen password: the API key is revoked as well.
    expect((await asKey()).status).toBe(401);
    const login = await graphql(gw.url, `mutation { login(input: { login: "resetter", password: "Brand-New-Horse-7" }) { user { username } } }`);
    expect(login.data.login.user.username).toBe("resetter");
    const { rows } = await gw.db.root.query(
      "select type from app_public.notification_events where user_id = $1 and type = 'account.password_changed'", [auth.user.rowId],
    );
    expect(rows).toHaveLength(1);
  });
});

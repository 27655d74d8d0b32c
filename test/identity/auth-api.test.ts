// The auth contract over real HTTP: register, login, throttling, refresh rotation
// with reuse detection, logout, change password, anonymous access.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AUTH_FIELDS, errorCodes, graphql, register, startTestGateway, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t.close();
});

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
const REFRESH = `mutation ($token: String!) { refreshSession(input: { refreshToken: $token }) { ${AUTH_FIELDS} } }`;
const ME = "{ currentUser { rowId username } }";

describe("register", () => {
  it("creates the user and returns working tokens", async () => {
    const result = await register(t.url, "reg_alice");
    expect(result.accessToken.split(".")).toHaveLength(3);
    expect(result.refreshToken).toMatch(/^lgr_[0-9a-f]{64}$/);
    expect(result.user.username).toBe("reg_alice");
    const me = await graphql(t.url, ME, {}, result.accessToken);
    expect(me.data.currentUser).toEqual({ rowId: result.user.rowId, username: "reg_alice" });
    const { rows } = await t.db.root.query(
      "select e.email, e.is_primary, s.password_hash like '$2a$10$%' as bcrypt from app_public.user_emails e join app_private.user_secrets s using (user_id) where e.user_id = $1",
      [result.user.rowId],
    );
    expect(rows).toEqual([{ email: "reg_alice@example.com", is_primary: true, bcrypt: true }]);
  });

  it("refuses a weak password with WEAKP and writes nothing", async () => {
    const response = await graphql(t.url, `mutation { register(input: { username: "weakling", email: "weak@example.com", password: "short" }) { accessToken } }`);
    expect(errorCodes(response)).toEqual(["WEAKP"]);
    const { rowCount } = await t.db.root.query("select 1 from app_public.users where username = 'weakling'");
    expect(rowCount).toBe(0);
  });

  it("refuses a taken username with NUNIQ; a taken email answers like a new one (test/identity/rate-limits.test.ts)", async () => {
    await register(t.url, "reg_taken");
    const again = await graphql(t.url, `mutation { register(input: { username: "REG_TAKEN", email: "other@example.com", password: "Correct-Horse-9" }) { accessToken } }`);
    expect(errorCodes(again)).toEqual(["NUNIQ"]);
    const sameEmail = await graphql(t.url, `mutation { register(input: { username: "reg_other", email: "reg_taken@example.com", password: "Correct-Horse-9" }) { accessToken } }`);
    expect(sameEmail.errors).toBeUndefined();
  });

  it("refuses a malformed username with BADIN", async () => {
    const response = await graphql(t.url, `mutation { register(input: { username: "9 bad name", email: "bad@example.com", password: "Correct-Horse-9" }) { accessToken } }`);
    expect(errorCodes(response)).toEqual(["BADIN"]);
    expect(response.errors![0]!.extensions!.constraint).toBe("username_format");
  });
});

describe("login", () => {
  it("accepts the username or the email, case-insensitively", async () => {
    const user = await register(t.url, "login_bob");
    for (const login of ["login_bob", "LOGIN_BOB@example.com"]) {
      const response = await graphql(t.url, LOGIN, { input: { login, password: "Correct-Horse-9" } });
      expect(response.data.login.user.rowId).toBe(user.user.rowId);
    }
  });

  it("says LOGIN for a wrong password and for an unknown account alike", async () => {
    await register(t.url, "login_carol");
    const wrong = await graphql(t.url, LOGIN, { input: { login: "login_carol", password: "Wrong-Password-1" } });
    const unknown = await graphql(t.url, LOGIN, { input: { login: "nobody_here", password: "Wrong-Password-1" } });
    expect(errorCodes(wrong)).toEqual(["LOGIN"]);
    expect(errorCodes(unknown)).toEqual(["LOGIN"]);
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
  });

  it("5 failures from one address block that address for the account, even the right password, with LOCKD", async () => {
    await register(t.url, "login_dave");
    for (let i = 0; i < 5; i++) {
      const response = await graphql(t.url, LOGIN, { input: { login: "login_dave", password: `Wrong-Password-${i}` } });
      expect(errorCodes(response)).toEqual(["LOGIN"]);
    }
    const locked = await graphql(t.url, LOGIN, { input: { login: "login_dave", password: "Correct-Horse-9" } });
    expect(errorCodes(locked)).toEqual(["LOCKD"]);
    expect(locked.status).toBe(429);
    // Other addresses are not blocked: test/identity/rate-limits.test.ts.
  });
});

describe("refreshSession", () => {
  it("rotates: the new pair works and the old refresh token does not", async () => {
    const first = await register(t.url, "refresh_fay");
    const second = await graphql(t.url, REFRESH, { token: first.refreshToken });
    const pair = second.data.refreshSession;
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    expect((await graphql(t.url, ME, {}, pair.accessToken)).data.currentUser.username).toBe("refresh_fay");
    const third = await graphql(t.url, REFRESH, { token: pair.refreshToken });
    expect(third.data.refreshSession.user.username).toBe("refresh_fay");
  });

  it("revokes the whole session when a rotated token is presented again", async () => {
    const first = await register(t.url, "refresh_gus");
    const rotated = (await graphql(t.url, REFRESH, { token: first.refreshToken })).data.refreshSession;
    const reuse = await graphql(t.url, REFRESH, { token: first.refreshToken });
    expect(errorCodes(reuse)).toEqual(["TOKEN"]);
    // Both the legitimate new tokens are dead now.
    expect(errorCodes(await graphql(t.url, REFRESH, { token: rotated.refreshToken }))).toEqual(["TOKEN"]);
    const me = await graphql(t.url, ME, {}, rotated.accessToken);
    expect(me.status).toBe(401);
    expect(errorCodes(me)).toEqual(["AUTHN"]);
  });

  it("refuses an unknown token", async () => {
    expect(errorCodes(await graphql(t.url, REFRESH, { token: "lgr_nope" }))).toEqual(["TOKEN"]);
  });
});

describe("logout and changePassword", () => {
  it("logout ends the access token on the very next request", async () => {
    const session = await register(t.url, "out_hal");
    const out = await graphql(t.url, "mutation { logout(input: {}) { result } }", {}, session.accessToken);
    expect(out.data.logout.result).toBe(true);
    const me = await graphql(t.url, ME, {}, session.accessToken);
    expect(me.status).toBe(401);
    expect(errorCodes(await graphql(t.url, REFRESH, { token: session.refreshToken }))).toEqual(["TOKEN"]);
  });

  it("changePassword checks the old one and signs out every other session", async () => {
    const first = await register(t.url, "pw_ivy");
    const other = (await graphql(t.url, LOGIN, { input: { login: "pw_ivy", password: "Correct-Horse-9" } })).data.login;
    const CHANGE = `mutation ($old: String!, $new: String!) { changePassword(input: { oldPassword: $old, newPassword: $new }) { result } }`;
    const wrong = await graphql(t.url, CHANGE, { old: "Not-The-Password-1", new: "Brand-New-Pass-2" }, first.accessToken);
    expect(errorCodes(wrong)).toEqual(["LOGIN"]);
    const weak = await graphql(t.url, CHANGE, { old: "Correct-Horse-9", new: "weak" }, first.accessToken);
    expect(errorCodes(weak)).toEqual(["WEAKP"]);
    const ok = await graphql(t.url, CHANGE, { old: "Correct-Horse-9", new: "Brand-New-Pass-2" }, first.accessToken);
    expect(ok.data.changePassword.result).toBe(true);
    expect((await graphql(t.url, ME, {}, first.accessToken)).data.currentUser.username).toBe("pw_ivy");
    expect((await graphql(t.url, ME, {}, other.accessToken)).status).toBe(401);
    expect(errorCodes(await graphql(t.url, LOGIN, { input: { login: "pw_ivy", password: "Correct-Horse-9" } }))).toEqual(["LOGIN"]);
    const relogin = await graphql(t.url, LOGIN, { input: { login: "pw_ivy", password: "Brand-New-Pass-2" } });
    expect(relogin.data.login.user.username).toBe("pw_ivy");
  });
});

describe("anonymous", () => {
  it("reads public profiles but not private data, and cannot write", async () => {
    const user = await register(t.url, "anon_jo");
    expect((await graphql(t.url, ME)).data.currentUser).toBeNull();
    const profileQuery = `{ userByUsername(username: "anon_jo") { displayName isAdmin isVerified } }`;
    // Friends-only by default: anonymous sees nothing until the profile is public.
    expect((await graphql(t.url, profileQuery)).data.userByUsername).toBeNull();
    const publish = await graphql(t.url, `mutation ($id: UUID!) { updatePrivacySetting(input: { userId: $id, patch: { profileVisibility: public } }) { privacySetting { profileVisibility } } }`, { id: user.user.rowId }, user.accessToken);
    expect(publish.errors).toBeUndefined();
    const profile = await graphql(t.url, profileQuery);
    // The flags are never public.
    expect(profile.data.userByUsername).toEqual({ displayName: "anon_jo", isAdmin: null, isVerified: null });
    const settings = await graphql(t.url, "{ userSettings { nodes { timezone } } }");
    expect(errorCodes(settings)).toEqual(["DNIED"]);
    const update = await graphql(t.url, `mutation ($id: UUID!) { updateUser(input: { rowId: $id, patch: { displayName: "hacked" } }) { user { displayName } } }`, { id: user.user.rowId });
    expect(update.errors).toBeDefined();
    const { rows } = await t.db.root.query("select display_name from app_public.users where id = $1", [user.user.rowId]);
    expect(rows[0].display_name).toBe("anon_jo");
  });

  it("answers 401 with a JSON GraphQL error for a malformed token", async () => {
    const response = await graphql(t.url, ME, {}, "not-a-jwt");
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(["AUTHN"]);
  });
});

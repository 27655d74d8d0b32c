// The gateway's session cache (src/identity/session-cache.ts): a session
// checked once is trusted from memory for SESSION_CACHE_MS, and an ended
// session is refused by every gateway on its next request, because the
// revocation reaches them through NOTIFY; with the LISTEN connection gone,
// nothing is trusted from memory. Two real gateways share one database.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pino from "pino";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { AUTH_FIELDS, graphql, register, startTestGateway, type TestGateway } from "../helpers/gateway.js";

let a: TestGateway;
let b: Gateway;
beforeAll(async () => {
  a = await startTestGateway();
  b = await startGateway(a.db.config, a.db.urls, pino({ level: "silent" }));
});
afterAll(async () => {
  await b.close();
  await a.close();
});

const ME = "{ currentUser { username } }";
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
const LISTENERS = `select pid from pg_stat_activity where datname = current_database() and query = 'listen "lifegraph:sessions"'`;

/** The status of `token`'s requests on `gateway` until it is `status`, for up to 1 s; the last one seen. */
async function statusWithin(gateway: string, token: string, status: number): Promise<number> {
  const deadline = Date.now() + 1000;
  for (;;) {
    const seen = (await graphql(gateway, ME, {}, token)).status;
    if (seen === status || Date.now() > deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs `fn` while the session check is broken: a request answered then was
 * answered from memory (a check that reached the database would fail: 500).
 */
async function withoutSessionCheck<T>(fn: () => Promise<T>): Promise<T> {
  await a.db.root.query("alter function app_private.touch_session(uuid, uuid) rename to touch_session_gone");
  try {
    return await fn();
  } finally {
    await a.db.root.query("alter function app_private.touch_session_gone(uuid, uuid) rename to touch_session");
  }
}

describe("a checked session", () => {
  it("is answered from memory: no session round trip before the request", async () => {
    const user = await register(a.url, "sc_ann");
    expect((await graphql(b.url, ME, {}, user.accessToken)).data.currentUser.username).toBe("sc_ann");
    const cached = await withoutSessionCheck(() => graphql(b.url, ME, {}, user.accessToken));
    expect(cached.status).toBe(200);
    expect(cached.data.currentUser.username).toBe("sc_ann");
    // One never checked still is: it reaches the (broken) check.
    const other = await register(a.url, "sc_ann2");
    expect((await withoutSessionCheck(() => graphql(b.url, ME, {}, other.accessToken))).status).toBe(500);
  });

  it("records activity off the request path, at most once a minute (flushed at close too)", async () => {
    const user = await register(a.url, "sc_act");
    const gateway = await startGateway(a.db.config, a.db.urls, pino({ level: "silent" }));
    try {
      expect((await graphql(gateway.url, ME, {}, user.accessToken)).status).toBe(200);
      const { rows: [session] } = await a.db.root.query(
        "update app_private.sessions set last_active_at = now() - interval '1 hour' where user_id = (select id from app_public.users where username = 'sc_act') returning id",
      );
      expect((await graphql(gateway.url, ME, {}, user.accessToken)).status).toBe(200);
      const before = await a.db.root.query("select last_active_at < now() - interval '59 minutes' as old from app_private.sessions where id = $1", [session.id]);
      expect(before.rows[0].old).toBe(true);
      await gateway.close();
      const after = await a.db.root.query("select last_active_at > now() - interval '1 minute' as recent from app_private.sessions where id = $1", [session.id]);
      expect(after.rows[0].recent).toBe(true);
    } finally {
      await gateway.close().catch(() => undefined);
    }
  });
});

describe("an ended session", () => {
  it("logout on gateway A: gateway B refuses the token on its next request", async () => {
    const user = await register(a.url, "sc_bob");
    expect((await graphql(b.url, ME, {}, user.accessToken)).status).toBe(200);
    const out = await graphql(a.url, "mutation { logout(input: {}) { result } }", {}, user.accessToken);
    expect(out.data.logout.result).toBe(true);
    expect(await statusWithin(b.url, user.accessToken, 401)).toBe(401);
    const refused = await graphql(b.url, ME, {}, user.accessToken);
    expect(refused.errors?.[0]?.extensions?.code).toBe("AUTHN");
  });

  it("changePassword on A: B refuses the other sessions and keeps the one that changed it", async () => {
    const first = await register(a.url, "sc_cat");
    const other = (await graphql(a.url, LOGIN, { input: { login: "sc_cat", password: "Correct-Horse-9" } })).data.login;
    for (const token of [first.accessToken, other.accessToken]) expect((await graphql(b.url, ME, {}, token)).status).toBe(200);
    const CHANGE = `mutation { changePassword(input: { oldPassword: "Correct-Horse-9", newPassword: "Brand-New-Pass-2" }) { result } }`;
    expect((await graphql(a.url, CHANGE, {}, first.accessToken)).data.changePassword.result).toBe(true);
    expect(await statusWithin(b.url, other.accessToken, 401)).toBe(401);
    expect((await graphql(b.url, ME, {}, first.accessToken)).status).toBe(200);
  });

  it("a session cut short or deleted in SQL is refused by B", async () => {
    const cut = await register(a.url, "sc_dan");
    const gone = await register(a.url, "sc_eve");
    for (const token of [cut.accessToken, gone.accessToken]) expect((await graphql(b.url, ME, {}, token)).status).toBe(200);
    await a.db.root.query("update app_private.sessions set expires_at = now() where user_id = (select id from app_public.users where username = 'sc_dan')");
    await a.db.root.query("delete from app_private.sessions where user_id = (select id from app_public.users where username = 'sc_eve')");
    expect(await statusWithin(b.url, cut.accessToken, 401)).toBe(401);
    expect(await statusWithin(b.url, gone.accessToken, 401)).toBe(401);
  });
});

describe("the LISTEN connection lost", () => {
  it("trusts nothing from memory until it is back: a revocation it could not hear is still refused", async () => {
    const user = await register(a.url, "sc_fay");
    const keeper = await register(a.url, "sc_gus");
    for (const token of [user.accessToken, keeper.accessToken]) expect((await graphql(b.url, ME, {}, token)).status).toBe(200);
    const { rows: listeners } = await a.db.root.query(LISTENERS);
    expect(listeners).toHaveLength(2); // A's and B's
    await a.db.root.query("select pg_terminate_backend(pid) from (" + LISTENERS + ") l");
    // Both gateways have lost their connection (the backends are gone) before the revocation: nobody hears it.
    for (let i = 0; i < 100 && (await a.db.root.query(LISTENERS)).rowCount! > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await a.db.root.query("update app_private.sessions set revoked_at = now() where user_id = (select id from app_public.users where username = 'sc_fay')");
    expect((await graphql(b.url, ME, {}, user.accessToken)).status).toBe(401);
    // Meanwhile valid sessions are checked in the database on every request.
    expect((await graphql(b.url, ME, {}, keeper.accessToken)).status).toBe(200);
    // Back (reconnected after about a second): memory answers again.
    for (let i = 0; i < 100 && (await a.db.root.query(LISTENERS)).rowCount! < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await a.db.root.query(LISTENERS)).rowCount).toBe(2);
    expect((await graphql(b.url, ME, {}, keeper.accessToken)).status).toBe(200);
    expect((await withoutSessionCheck(() => graphql(b.url, ME, {}, keeper.accessToken))).status).toBe(200);
  });
});

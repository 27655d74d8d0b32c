// The audit log: admin-sensitive changes are recorded with their actor, the
// request id the response carried and the client address; administrators
// read it (with filters) and nobody changes it.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt } from "../helpers/db.js";
import { graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { gqlOk, rootRows } from "../helpers/social.js";

let gw: TestGateway;
let admin: Account;
let user: Account;

beforeAll(async () => {
  gw = await startTestGateway();
  admin = await signUp(gw.url, "aud_admin");
  user = await signUp(gw.url, "aud_user");
  await rootRows(gw.db, "update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
});
afterAll(async () => {
  await gw?.close();
});

const entries = (action: string) =>
  rootRows(gw.db, "select actor_id, target_table, target_id, request_id, host(ip) as ip, before, after from app_public.audit_log where action = $1 order by id", [action]);

describe("what is recorded", () => {
  it("an admin flag change, with the row before and after (the owner's SQL: no actor)", async () => {
    const [entry] = await entries("identity.admin_changed");
    expect(entry).toMatchObject({ actor_id: null, target_table: "app_private.user_flags", target_id: admin.id,
      before: { is_admin: false }, after: { is_admin: true } });
  });

  it("an API key made over GraphQL: the actor, the response's X-Request-Id and the client address", async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: `mutation { createApiKey(input: { name: "ci", scopes: [READ] }) { result { apiKeyId } } }` }),
    });
    const body = (await response.json()) as { data: { createApiKey: { result: { apiKeyId: string } } } };
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const [entry] = await entries("identity.api_key_created");
    expect(entry).toMatchObject({ actor_id: user.id, target_id: body.data.createApiKey.result.apiKeyId, request_id: requestId });
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.1"]).toContain(entry.ip);
    // No secret enters the log.
    expect(JSON.stringify(entry.after)).not.toMatch(/secret|hash/i);
  });

  it("moderation, template changes, default weights, a deleted user and an admin point adjustment", async () => {
    const [{ id: event }] = await rootRows(gw.db,
      `select app_private.record_activity($1, 'goals.done', 'goal', gen_random_uuid(), '{"goal_title": "x"}', null, null, 'public') as id`, [user.id]);
    await gqlOk(gw.url, `mutation ($id: UUID!) { moderateActivityEvent(input: { eventId: $id, hide: true, reason: "spam" }) { clientMutationId } }`, { id: event }, admin.token);
    await rootRows(gw.db, "update app_public.notification_templates set body = body || ' ' where type = 'social.friend_accepted' and channel = 'email'");
    await rootRows(gw.db, "update app_public.life_areas set default_weight = default_weight where id = (select min(id) from app_public.life_areas)");
    await rootRows(gw.db, `select app_private.post_points($1, 5, 'admin_adjustment', null, null, 'goodwill')`, [user.id]);
    const doomed = await signUp(gw.url, "aud_doomed");
    await rootRows(gw.db, "delete from app_public.users where id = $1", [doomed.id]);

    expect((await entries("feed.moderated")).map((e) => [e.actor_id, e.after.event_id, e.after.action])).toEqual([[admin.id, event, "hide_event"]]);
    expect((await entries("notifications.template_changed")).filter((e) => e.after?.type === "social.friend_accepted")
      .map((e) => [e.before.channel, e.after.channel])).toEqual([["email", "email"]]);
    // An update that changes no weight is not a change.
    expect(await entries("areas.default_weight_changed")).toHaveLength(0);
    expect((await entries("points.adjusted")).map((e) => e.after.note)).toEqual(["goodwill"]);
    expect((await entries("identity.user_deleted")).map((e) => e.target_id)).toEqual([doomed.id]);
  });
});

describe("failed sign-ins", () => {
  it("are recorded with the login tried and the client address; a success is not", async () => {
    const login = `mutation ($login: String!, $password: String!) { login(input: { login: $login, password: $password }) { accessToken } }`;
    await graphql(gw.url, login, { login: "aud_nobody", password: "Wrong-Horse-1" });
    await graphql(gw.url, login, { login: "aud_admin", password: "Correct-Horse-9" });
    const failed = await rootRows(gw.db, "select actor_id, after ->> 'login' as login, host(ip) as ip from app_public.audit_log where action = 'identity.login_failed'");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actor_id: null, login: "aud_nobody" });
    expect(failed[0].ip).toMatch(/127\.0\.0\.1|::1/);
  });
});

describe("deliveries", () => {
  it("a person's retry and discard are recorded; the worker's own status changes are not", async () => {
    await rootRows(gw.db, `select app_private.notify($1, 'social.friend_accepted', '{"username": "u", "friend_username": "f"}')`, [admin.id]);
    const deliveries = await rootRows(gw.db, "select id from app_public.notification_deliveries where user_id = $1 order by id limit 2", [admin.id]);
    expect(deliveries).toHaveLength(2);
    // The worker's way: no user in the session.
    await rootRows(gw.db, "update app_public.notification_deliveries set status = 'dead' where id = any($1)", [deliveries.map((d) => d.id)]);
    await asUser(gw.db, admin.id, async (c) => {
      await c.query("select app_public.retry_delivery($1)", [deliveries[0]!.id]);
      await c.query("select app_public.discard_delivery($1)", [deliveries[1]!.id]);
      const seen = await c.query("select action, target_id, before ->> 'status' as was from app_public.audit_log where action like 'notifications.delivery%' order by id");
      expect(seen.rows).toEqual([
        { action: "notifications.delivery_retried", target_id: deliveries[0]!.id, was: "dead" },
        { action: "notifications.delivery_discarded", target_id: deliveries[1]!.id, was: "dead" },
      ]);
    });
  });
});

describe("who reads and writes it", () => {
  it("administrators read it through GraphQL with filters; others read nothing", async () => {
    const query = `{ auditLogs(filter: { action: { equalTo: "identity.api_key_created" } }) { nodes { action actorId requestId } } }`;
    const seen = await gqlOk(gw.url, query, {}, admin.token);
    expect(seen.auditLogs.nodes).toEqual([expect.objectContaining({ action: "identity.api_key_created", actorId: user.id })]);
    expect((await gqlOk(gw.url, query, {}, user.token)).auditLogs.nodes).toEqual([]);
    expect((await graphql(gw.url, query)).errors?.length ?? 0).toBeGreaterThan(0);
  });

  it("no grant writes it, and even the owner cannot change or delete an entry", async () => {
    await asUser(gw.db, admin.id, async (c) => {
      expect((await attempt(c, "insert into app_public.audit_log (action) values ('x.y')")).code).toBe("42501");
      expect((await attempt(c, "update app_public.audit_log set action = 'x.y'")).code).toBe("42501");
      expect((await attempt(c, "delete from app_public.audit_log")).code).toBe("42501");
    });
    const owner = await gw.db.root.connect();
    try {
      await owner.query("begin");
      expect((await attempt(owner, "update app_public.audit_log set action = 'x.y'")).code).toBe("DNIED");
      expect((await attempt(owner, "delete from app_public.audit_log")).code).toBe("DNIED");
    } finally {
      await owner.query("rollback");
      owner.release();
    }
  });

  it("deleting an actor's account keeps their entries, without the actor", async () => {
    const before = (await rootRows(gw.db, "select count(*)::int as n from app_public.audit_log where actor_id = $1", [user.id]))[0].n;
    expect(before).toBeGreaterThan(0);
    const total = (await rootRows(gw.db, "select count(*)::int as n from app_public.audit_log"))[0].n;
    await rootRows(gw.db, "delete from app_public.users where id = $1", [user.id]);
    expect((await rootRows(gw.db, "select count(*)::int as n from app_public.audit_log where actor_id = $1", [user.id]))[0].n).toBe(0);
    // Its own deletion is one more entry; nothing went.
    expect((await rootRows(gw.db, "select count(*)::int as n from app_public.audit_log"))[0].n).toBe(total + 1);
  });
});

// The row-level security matrix of the communities tables, by community role:
// founder, admin, moderator, member, a member the viewer's block stands
// between, a non-member and anonymous. Each cell is asserted in SQL as that
// viewer (rolled back), on rows that exist (checked as superuser).
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase } from "../helpers/db.js";
import { rootRows } from "../helpers/social.js";

const t = useTestDatabase();
type Viewer = "founder" | "admin" | "moderator" | "member" | "blocked" | "outsider" | "anonymous";
const VIEWERS: Viewer[] = ["founder", "admin", "moderator", "member", "blocked", "outsider", "anonymous"];
const ids = {} as Record<Exclude<Viewer, "anonymous">, string>;
let priv: string; // private, invite-only: all roles are members of it
let open: string; // public, approval: holds a pending request of the outsider
let event: string; // a community-visible event of the member in the private community
let invite: string;
let request: string;

/** The id of the one row a statement returns, as superuser. */
const rootId = async (sql: string, values: unknown[]) => (await rootRows<{ id: string }>(t.db, sql, values))[0]!.id;

beforeAll(async () => {
  for (const v of VIEWERS) if (v !== "anonymous") ids[v] = (await createUser(t.db, `crls_${v}`)).id;
  priv = await rootId(
    "insert into app_public.communities (name, slug, visibility, join_policy, founder_id) values ('Private', 'rls-private', 'private', 'invite', $1) returning id", [ids.founder]);
  open = await rootId(
    "insert into app_public.communities (name, slug, visibility, join_policy, founder_id) values ('Open', 'rls-open', 'public', 'approval', $1) returning id", [ids.founder]);
  for (const [v, role] of [["founder", "founder"], ["admin", "admin"], ["moderator", "moderator"], ["member", "member"], ["blocked", "member"]] as const) {
    await rootRows(t.db, "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, $3)", [priv, ids[v], role]);
  }
  await rootRows(t.db, "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, 'founder')", [open, ids.founder]);
  await rootRows(t.db, "insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [ids.member, ids.blocked]);
  event = await rootRows(t.db,
    `select app_private.record_activity($1, 'communities.joined', 'community', $2, '{"community_name": "Private"}', null, $2) as id`, [ids.member, priv])
    .then((r) => r[0]!.id);
  invite = await rootId("insert into app_public.community_invites (community_id, created_by) values ($1, $2) returning id", [priv, ids.founder]);
  request = await rootId("insert into app_public.community_join_requests (community_id, user_id) values ($1, $2) returning id", [open, ids.outsider]);
});

const as = <T>(v: Viewer, fn: Parameters<typeof asUser<T>>[2]) => asUser(t.db, v === "anonymous" ? null : ids[v], fn);
/** How many rows the viewer reads, or the SQLSTATE when they may not read the table at all. */
const count = (v: Viewer, sql: string, values: unknown[] = []) =>
  as(v, async (c) => {
    const r = await attempt(c, sql, values);
    return r.code ?? r.rows.length;
  });

function matrix(expected: Record<Viewer, unknown>, actual: (v: Viewer) => Promise<unknown>) {
  return async () => {
    const seen = {} as Record<Viewer, unknown>;
    for (const v of VIEWERS) seen[v] = await actual(v);
    expect(seen).toEqual(expected);
  };
}

describe("communities RLS by role", () => {
  it("the rows under test exist (the control)", async () => {
    expect((await rootRows(t.db, "select count(*)::int as n from app_public.community_members where community_id = $1", [priv]))[0]!.n).toBe(5);
    expect(await rootRows(t.db, "select 1 from app_public.activity_events where id = $1", [event])).toHaveLength(1);
  });

  it("a public community is read by everyone, a private one by its members only", matrix(
    { founder: 2, admin: 2, moderator: 2, member: 2, blocked: 2, outsider: 1, anonymous: 1 },
    (v) => count(v, "select 1 from app_public.communities where id in ($1, $2)", [priv, open])));

  it("member lists are read by fellow members, never across a block", matrix(
    { founder: 5, admin: 5, moderator: 5, member: 4, blocked: 4, outsider: 0, anonymous: "42501" },
    (v) => count(v, "select 1 from app_public.community_members where community_id = $1", [priv])));

  it("invites are read by moderators and above", matrix(
    { founder: 1, admin: 1, moderator: 1, member: 0, blocked: 0, outsider: 0, anonymous: "42501" },
    (v) => count(v, "select 1 from app_public.community_invites where id = $1", [invite])));

  it("a join request is read by who asked and the community's moderators and above", matrix(
    { founder: 1, admin: 0, moderator: 0, member: 0, blocked: 0, outsider: 1, anonymous: "42501" },
    (v) => count(v, "select 1 from app_public.community_join_requests where id = $1", [request])));

  it("a community event is seen by the community's members, never across a block", matrix(
    { founder: 1, admin: 1, moderator: 1, member: 1, blocked: 0, outsider: 0, anonymous: 0 },
    (v) => count(v, "select 1 from app_public.activity_events where id = $1", [event])));

  it("settings are changed by admins and the founder; others change nothing", matrix(
    { founder: 1, admin: 1, moderator: 0, member: 0, blocked: 0, outsider: 0, anonymous: "42501" },
    (v) => as(v, async (c) => {
      const r = await attempt(c, "update app_public.communities set description_md = 'changed' where id = $1 returning id", [priv]);
      return r.code ?? r.rows.length;
    })));

  it("only the founder deletes the community", matrix(
    { founder: 1, admin: 0, moderator: 0, member: 0, blocked: 0, outsider: 0, anonymous: "42501" },
    (v) => as(v, async (c) => {
      const r = await attempt(c, "delete from app_public.communities where id = $1 returning id", [priv]);
      return r.code ?? r.rows.length;
    })));

  it("nobody writes membership, invites or requests directly (42501)", matrix(
    { founder: "42501", admin: "42501", moderator: "42501", member: "42501", blocked: "42501", outsider: "42501", anonymous: "42501" },
    (v) => as(v, async (c) => {
      const codes = [
        (await attempt(c, "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, 'founder')", [priv, ids.outsider])).code,
        (await attempt(c, "update app_public.community_members set role = 'founder' where community_id = $1", [priv])).code,
        (await attempt(c, "update app_public.community_invites set max_uses = 1000 where id = $1", [invite])).code,
        (await attempt(c, "delete from app_public.community_join_requests where id = $1", [request])).code,
      ];
      return [...new Set(codes)].join(",");
    })));

  it("moderators and above hide the community's events; others are refused", matrix(
    { founder: "ok", admin: "ok", moderator: "ok", member: "COMRL", blocked: "COMRL", outsider: "NOFND", anonymous: "42501" },
    (v) => as(v, async (c) => {
      const r = await attempt(c, "select hidden_at is not null as hidden from app_public.moderate_activity_event($1, true, 'spam')", [event]);
      return r.code ?? (r.rows[0]!.hidden ? "ok" : "not hidden");
    })));

  it("metrics are read by members only", matrix(
    { founder: "ok", admin: "ok", moderator: "ok", member: "ok", blocked: "ok", outsider: "NOFND", anonymous: "42501" },
    (v) => as(v, async (c) => {
      const r = await attempt(c, "select * from app_public.community_metrics($1)", [priv]);
      return r.code ?? "ok";
    })));
});

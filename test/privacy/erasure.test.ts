// Erasure (deleteAccount): afterwards no row of any table names the person,
// found by walking the catalog, not by a list; what others keep (messages,
// communities, the ledger) stays, signed by a tombstone; others' data is
// untouched.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { useTestDatabase } from "../helpers/db.js";
import { clearJobs, queuedJobs } from "../helpers/jobs.js";
import { connectAs } from "../helpers/peers.js";
import { personOf, traces, type Person } from "./traces.js";
import { makeWorld, type World } from "./world.js";

let world: World | undefined;
// Before the database's own afterAll: the connections close before it is dropped.
afterAll(async () => {
  await world?.close();
});
const t = useTestDatabase();
let a: Person;
let tombstone: string;
let before: { bBalance: number; cBalance: number; ledgerTotal: number; bMessages: string[]; cFriends: string[] };

const one = async <T = any>(sql: string, values: unknown[] = []) => (await t.db.root.query(sql, values)).rows[0] as T;
const all = async <T = any>(sql: string, values: unknown[] = []) => (await t.db.root.query(sql, values)).rows as T[];

beforeAll(async () => {
  const made = await makeWorld(t.db, "er");
  world = made;
  a = await personOf(t.db, made.users.a.id);
  const { b, c } = made.users;
  before = {
    bBalance: Number((await one("select balance from app_public.point_accounts where user_id = $1", [b.id])).balance),
    cBalance: Number((await one("select balance from app_public.point_accounts where user_id = $1", [c.id])).balance),
    ledgerTotal: Number((await one("select sum(amount) as s from app_public.point_transactions")).s),
    bMessages: (await all("select body_md from app_public.direct_messages where sender_id = $1 order by body_md", [b.id])).map((r) => r.body_md),
    cFriends: (await all("select friend_id from app_public.friendships where user_id = $1 order by 1", [c.id])).map((r) => r.friend_id),
  };
  // Audit entries about A, as an admin action on A's account writes them,
  // and one about B that must stay as it is.
  await t.db.root.query(
    `select app_private.audit('identity.admin_changed', 'app_public.users', $1, jsonb_build_object('username', $2::text, 'is_admin', false), jsonb_build_object('username', $2::text, 'is_admin', true)),
            app_private.audit('identity.admin_changed', 'app_public.users', $3, jsonb_build_object('username', $4::text, 'is_admin', false), jsonb_build_object('username', $4::text, 'is_admin', true))`,
    [a.id, a.username, b.id, made.users.b.username],
  );
  // A stored file of A's (its object's deletion is queued with the row's).
  await t.db.root.query(
    `insert into app_public.files (owner_id, bucket, key, size, content_type, sha256, status, uploaded_at)
     values ($1, 'attachments', '', 10, 'application/pdf', repeat('b', 64), 'ready', now())`,
    [a.id],
  );
  await clearJobs(t.db);
  const asA = await connectAs(t.db, a.id);
  try {
    await asA.query("select app_public.delete_account($1)", [made.users.a.password]);
  } finally {
    await asA.close();
  }
  tombstone = (await one("select user_id from app_private.tombstones")).user_id;
});

describe("erasure", () => {
  it("leaves no row that names the person, in any table, the audit log included", async () => {
    expect(await traces(t.db, a)).toEqual([]);
    const named = await traces(t.db, { id: "00000000-0000-0000-0000-000000000000", username: a.username, emails: a.emails });
    expect(named).toEqual([]);
  });

  it("ends every session and API key, and queues the deletion of every stored file", async () => {
    expect(await all("select 1 from app_private.sessions where user_id = $1 union all select 1 from app_public.api_keys where user_id = $1", [a.id])).toEqual([]);
    const deletions = await queuedJobs(t.db, "storage__delete");
    expect(deletions.map((job) => (job.payload as { key: string }).key)).toEqual([expect.stringMatching(new RegExp(`^attachments/${a.id}/`))]);
  });

  it("keeps the audit log's entries about the person, without the id or the rows that name them; others' stay whole", async () => {
    const entries = await all("select target_id, before, after from app_public.audit_log where action = 'identity.admin_changed' order by target_id nulls first");
    expect(entries).toEqual([
      { target_id: null, before: null, after: null },
      { target_id: world!.users.b.id, before: { username: world!.users.b.username, is_admin: false }, after: { username: world!.users.b.username, is_admin: true } },
    ]);
  });

  it("records the erasure in the audit log, without personal data", async () => {
    const entry = await one("select actor_id, ip, target_id, after from app_public.audit_log where action = 'privacy.account_erased'");
    expect(entry.actor_id).toBeNull();
    expect(entry.ip).toBeNull();
    expect(entry.target_id).toBe(tombstone);
    expect(entry.after).toMatchObject({ tombstone_id: tombstone, messages: 1, conversations: 1, communities_transferred: 1 });
  });

  it("keeps the messages A sent for their recipients, signed by a tombstone that cannot sign in", async () => {
    const { b } = world!.users;
    const rows = await all("select sender_id, body_md from app_public.direct_messages where conversation_id = $1 order by body_md", [world!.abConversation]);
    expect(rows).toEqual([{ sender_id: b.id, body_md: "hello a, from b" }, { sender_id: tombstone, body_md: "hello b, from a" }]);
    const conversation = await one("select user_low, user_high from app_public.conversations where id = $1", [world!.abConversation]);
    expect([conversation.user_low, conversation.user_high].sort()).toEqual([b.id, tombstone].sort());
    const asB = await connectAs(t.db, b.id);
    try {
      const seen = await asB.query("select body_md from app_public.direct_messages where conversation_id = $1 order by body_md", [world!.abConversation]);
      expect(seen.rows.map((r) => r.body_md)).toEqual(["hello a, from b", "hello b, from a"]);
    } finally {
      await asB.close();
    }
    const tomb = await one("select username, display_name, profile_visibility from app_public.users where id = $1", [tombstone]);
    expect(tomb).toMatchObject({ display_name: "Deleted account", profile_visibility: "private" });
    expect(await all("select 1 from app_public.user_emails where user_id = $1 union all select 1 from app_private.user_secrets where user_id = $1", [tombstone])).toEqual([]);
  });

  it("hands A's community to its senior member, and drops the one nobody else was in", async () => {
    const community = await one("select founder_id from app_public.communities where id = $1", [world!.aCommunity]);
    expect(community.founder_id).toBe(world!.users.b.id);
    expect(await one("select role from app_public.community_members where community_id = $1 and user_id = $2", [world!.aCommunity, world!.users.b.id])).toEqual({ role: "founder" });
    expect(await all("select 1 from app_public.communities where id = $1", [world!.soloCommunity])).toEqual([]);
    expect((await all("select user_id from app_public.community_members where community_id = $1", [world!.bCommunity])).map((r) => r.user_id)).toEqual([world!.users.b.id]);
  });

  it("keeps the ledger's entries, anonymised, and everyone else's balance", async () => {
    const { b, c } = world!.users;
    expect(Number((await one("select balance from app_public.point_accounts where user_id = $1", [b.id])).balance)).toBe(before.bBalance);
    expect(Number((await one("select balance from app_public.point_accounts where user_id = $1", [c.id])).balance)).toBe(before.cBalance);
    expect(Number((await one("select sum(amount) as s from app_public.point_transactions")).s)).toBe(before.ledgerTotal);
    const tomb = await one("select count(*)::int as n, sum(amount)::int as s from app_public.point_transactions where user_id = $1", [tombstone]);
    expect(tomb.n).toBeGreaterThan(0);
    expect(Number((await one("select balance from app_public.point_accounts where user_id = $1", [tombstone])).balance)).toBe(tomb.s);
  });

  it("leaves others' data as it was: B's messages, C's friendships", async () => {
    const { b, c } = world!.users;
    expect((await all("select body_md from app_public.direct_messages where sender_id = $1 order by body_md", [b.id])).map((r) => r.body_md)).toEqual(before.bMessages);
    expect((await all("select friend_id from app_public.friendships where user_id = $1 order by 1", [c.id])).map((r) => r.friend_id)).toEqual(before.cFriends);
    expect((await all("select body_md from app_public.direct_messages where conversation_id = $1", [world!.bcConversation])).length).toBe(2);
    expect(await all("select 1 from app_public.journal_entries where user_id = $1", [b.id])).toHaveLength(1);
  });
});

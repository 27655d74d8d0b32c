// Achievements follow the events their rules name, in SQL: streaks, friends,
// journal entries, fulfilled purchases and podium places move each user's
// progress, and a rule reached is awarded once, with its points in the
// ledger, one activity event and one notification. Under real concurrency
// (separate connections committing at the same moment) it is still once.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { useTestDatabase } from "../helpers/db.js";
import { befriend } from "../helpers/peers.js";
import { actAs, connect, createBareUsers, inParallel, rootRows, sessionFor } from "../helpers/social.js";

const clients: pg.Client[] = [];
// Registered before the database's own hooks, so the connections close before it is dropped.
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});
const t = useTestDatabase();
beforeAll(async () => {
  for (let i = 0; i < 10; i++) clients.push(await connect(t.db));
});

const user = async (prefix: string) => (await createBareUsers(t.db, prefix, 1))[0]!;

/** Everything an award leaves behind for a user and an achievement code. */
async function traces(userId: string, code: string) {
  const awards = await rootRows(t.db,
    "select id, awarded_at from app_public.user_achievements where user_id = $1 and achievement_code = $2", [userId, code]);
  const ids = awards.map((a) => a.id);
  return {
    awards: awards.length,
    ledger: await rootRows(t.db,
      `select amount, reason, source_type, note from app_public.point_transactions
       where user_id = $1 and reason = 'achievement' and source_id = any($2::uuid[])`, [userId, ids]),
    activity: await rootRows(t.db,
      `select metadata, visibility from app_public.activity_events
       where actor_id = $1 and verb = 'achievements.earned' and object_id = any($2::uuid[])`, [userId, ids]),
    notifications: await rootRows(t.db,
      "select data from app_public.notification_events where user_id = $1 and type = 'achievements.earned' and dedupe_key = $2",
      [userId, `achievement:${code}`]),
  };
}

const progress = async (userId: string, event: string) =>
  (await rootRows(t.db, "select progress from app_public.achievement_progress where user_id = $1 and event = $2", [userId, event]))[0]
    ?.progress as number | undefined;
const awarded = async (userId: string) =>
  (await rootRows(t.db, "select achievement_code from app_public.user_achievements where user_id = $1 order by 1", [userId]))
    .map((r) => r.achievement_code as string);
const username = async (userId: string) => (await rootRows(t.db, "select username from app_public.users where id = $1", [userId]))[0]!.username;

describe("ritual streaks", () => {
  it("a daily ritual kept 7 days in a row earns streak_7: 50 points in the ledger, one activity event, one notification", async () => {
    const u = await user("streak");
    const [ritual] = await rootRows(t.db, "insert into app_public.rituals (user_id, title, cadence) values ($1, 'Stretch', 'daily') returning id", [u]);
    const complete = (daysAgo: number) => t.db.root.query(
      "insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, now() - make_interval(days => $3))",
      [ritual.id, u, daysAgo]);
    for (const daysAgo of [6, 5, 4, 3, 2, 1]) await complete(daysAgo);
    expect(await progress(u, "ritual_streak")).toBe(6);
    expect(await awarded(u)).toEqual([]);

    await complete(0);
    expect(await progress(u, "ritual_streak")).toBe(7);
    expect(await awarded(u)).toEqual(["streak_7"]);
    const seen = await traces(u, "streak_7");
    expect(seen).toEqual({
      awards: 1,
      ledger: [{ amount: 50, reason: "achievement", source_type: "user_achievement", note: "Week of rituals" }],
      activity: [{ metadata: { achievement_title: "Week of rituals", tier: "bronze" }, visibility: "friends" }],
      notifications: [{ data: { username: await username(u), achievement_title: "Week of rituals", tier: "bronze", points: 50 } }],
    });
    const [account] = await rootRows(t.db, "select balance, lifetime_earned from app_public.point_accounts where user_id = $1", [u]);
    expect(Number(account.lifetime_earned)).toBeGreaterThanOrEqual(50);

    // The streak rebuilt by an 8th day, and broken by a deleted day: the
    // level stays the highest reached, and nothing is awarded twice.
    await complete(7);
    expect(await progress(u, "ritual_streak")).toBe(8);
    await t.db.root.query("delete from app_public.ritual_completions where ritual_id = $1 and completed_at between now() - interval '4 days 12 hours' and now() - interval '3 days 12 hours'", [ritual.id]);
    expect(await rootRows(t.db, "select max(length)::int as m from app_public.ritual_streaks where ritual_id = $1", [ritual.id])).toEqual([{ m: 4 }]);
    expect(await progress(u, "ritual_streak")).toBe(8);
    expect(await traces(u, "streak_7")).toEqual(seen);
  });
});

describe("friends", () => {
  it("the 10th friend earns friends_10; unfriending keeps the highest count reached and the award", async () => {
    const [u, ...others] = await createBareUsers(t.db, "friendly", 11);
    for (const other of others.slice(0, 9)) await befriend(t.db, u!, other);
    expect(await progress(u!, "friend_count")).toBe(9);
    expect(await awarded(u!)).toEqual([]);
    // Each friend's side counts for the friend too.
    expect(await progress(others[0]!, "friend_count")).toBe(1);

    await befriend(t.db, u!, others[9]!);
    expect(await progress(u!, "friend_count")).toBe(10);
    expect(await awarded(u!)).toEqual(["friends_10"]);

    await t.db.root.query("delete from app_public.friendships where (user_id = $1 and friend_id = $2) or (user_id = $2 and friend_id = $1)", [u, others[0]]);
    await befriend(t.db, u!, others[0]!);
    expect(await progress(u!, "friend_count")).toBe(10);
    const seen = await traces(u!, "friends_10");
    expect(seen.awards).toBe(1);
    expect(seen.ledger).toEqual([expect.objectContaining({ amount: 50 })]);
    expect(seen.activity).toHaveLength(1);
    expect(seen.notifications).toHaveLength(1);
  });
});

describe("journal entries", () => {
  it("each entry counts (one statement of many counts them all); the 100th earns journal_100 with 250 points", async () => {
    const u = await user("writer");
    const write = (n: number) => t.db.root.query(
      "insert into app_public.journal_entries (user_id, content_md) select $1, 'Day ' || i from generate_series(1, $2::int) i", [u, n]);
    await write(1);
    expect(await progress(u, "journal_entries")).toBe(1);
    await write(98);
    expect(await progress(u, "journal_entries")).toBe(99);
    expect(await awarded(u)).toEqual([]);
    await write(1);
    expect(await progress(u, "journal_entries")).toBe(100);
    expect(await awarded(u)).toEqual(["journal_100"]);
    // An entry deleted was still written.
    await t.db.root.query("delete from app_public.journal_entries where id in (select id from app_public.journal_entries where user_id = $1 limit 5)", [u]);
    await write(1);
    expect(await progress(u, "journal_entries")).toBe(101);
    const seen = await traces(u, "journal_100");
    expect(seen.ledger).toEqual([{ amount: 250, reason: "achievement", source_type: "user_achievement", note: "Chronicler" }]);
    expect(seen.activity).toHaveLength(1);
    expect(seen.notifications).toHaveLength(1);
  });
});

describe("exactly once under concurrency", () => {
  it("10 connections, each the user writing an entry at the same moment across the threshold: one award, one credit, one event, one notification", async () => {
    const u = await user("racer");
    await t.db.root.query("insert into app_public.journal_entries (user_id, content_md) select $1, 'Day ' || i from generate_series(1, 95) i", [u]);
    const session = await sessionFor(t.db, u);
    for (const c of clients) await actAs(c, t.db, session);
    // All ten open a transaction and write at once; each commits as soon as
    // its write returns (the others wait on the user's progress row meanwhile).
    await Promise.all(clients.map((c) => c.query("begin")));
    const results = await Promise.all(clients.map((c) =>
      c.query("insert into app_public.journal_entries (content_md) values ('Racing') returning user_id")
        .then(async (r) => { await c.query("commit"); return r; })));
    expect(results.map((r) => r.rows[0].user_id)).toEqual(clients.map(() => u));
    expect(await progress(u, "journal_entries")).toBe(105);
    const seen = await traces(u, "journal_100");
    expect(seen.awards).toBe(1);
    expect(seen.ledger).toEqual([expect.objectContaining({ amount: 250 })]);
    expect(seen.activity).toHaveLength(1);
    expect(seen.notifications).toHaveLength(1);
    expect(await rootRows(t.db, "select count(*)::int as n from app_public.point_transactions where user_id = $1 and reason = 'achievement'", [u]))
      .toEqual([{ n: 1 }]);
  });

  it("the awarding itself, called on 10 connections at once without the progress row to queue on: the primary key decides, one credit", async () => {
    const u = await user("pk");
    await t.db.root.query("insert into app_public.achievement_progress (user_id, event, progress) values ($1, 'podiums', 1)", [u]);
    for (const c of clients) await actAs(c, t.db, null);
    for (const c of clients) await c.query("reset role");
    await Promise.all(clients.map((c) => c.query("begin")));
    // All ten are in their transactions before any commits: each sees no
    // award yet, and all but the first wait on its primary key entry.
    const calls = await Promise.all(clients.map((c) =>
      c.query("select count(*)::int as n from app_private.award_achievements($1, 'podiums', 1)", [u])
        .then(async (r) => { await c.query("commit"); return r.rows[0].n as number; })));
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1);
    const seen = await traces(u, "podium");
    expect(seen.awards).toBe(1);
    expect(seen.ledger).toEqual([expect.objectContaining({ amount: 300 })]);
    expect(seen.activity).toHaveLength(1);
    expect(seen.notifications).toHaveLength(1);
  });

  it("parallel friendships of one user (10 at once) count every friend: the 10th is reached and awarded once", async () => {
    const [u, ...others] = await createBareUsers(t.db, "crowd", 11);
    await inParallel(others.map((o, i) => () => clients[i]!.query("select app_private.make_friends($1, $2, null)", [u, o])), 10);
    expect(await progress(u!, "friend_count")).toBe(10);
    expect((await traces(u!, "friends_10")).ledger).toHaveLength(1);
  });
});

describe("marketplace purchases and competition podiums", () => {
  it("a purchase earns the secret first_purchase when fulfilled (not before, not twice), and its activity is private", async () => {
    const u = await user("buyer");
    const [item] = await rootRows(t.db, "insert into app_public.marketplace_items (title, price) values ('Sticker', 0) returning id");
    const [purchase] = await rootRows(t.db,
      `insert into app_public.marketplace_purchases (user_id, item_id, quantity, unit_price, idempotency_key)
       values ($1, $2, 1, 0, 'buy-sticker-1') returning id`, [u, item.id]);
    expect(await progress(u, "purchases")).toBeUndefined();
    await t.db.root.query("update app_public.marketplace_purchases set status = 'fulfilled', fulfilled_at = now() where id = $1", [purchase.id]);
    await t.db.root.query("update app_public.marketplace_purchases set status_reason = 'again' where id = $1", [purchase.id]);
    await t.db.root.query("update app_public.marketplace_purchases set status = 'fulfilled' where id = $1", [purchase.id]);
    expect(await progress(u, "purchases")).toBe(1);
    const seen = await traces(u, "first_purchase");
    expect(seen.awards).toBe(1);
    expect(seen.activity).toEqual([{ metadata: { achievement_title: "First treat", tier: "bronze" }, visibility: "private" }]);
    expect(seen.ledger).toEqual([expect.objectContaining({ amount: 10 })]);
  });

  it("a top-three place counts once per competition, however many rewards it carries; fourth place does not count", async () => {
    const [u, v] = await createBareUsers(t.db, "podium", 2);
    const competition = async (title: string) => (await rootRows(t.db,
      "insert into app_public.competitions (title, starts_at, ends_at) values ($1, now() - interval '2 days', now() - interval '1 day') returning id",
      [title]))[0].id as string;
    const reward = async (competitionId: string, from: number, to: number, points: number) => (await rootRows(t.db,
      "insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points) values ($1, $2, $3, $4) returning id",
      [competitionId, from, to, points]))[0].id as string;
    const c1 = await competition("Spring run");
    const [r1, r2, r4] = [await reward(c1, 1, 3, 100), await reward(c1, 2, 2, 20), await reward(c1, 4, 10, 5)];
    await t.db.root.query(
      `insert into app_public.competition_reward_grants (reward_id, competition_id, user_id, placement)
       values ($1, $3, $4, 2), ($2, $3, $4, 2), ($5, $3, $6, 4)`, [r1, r2, c1, u, r4, v]);
    expect(await progress(u!, "podiums")).toBe(1);
    expect(await progress(v!, "podiums")).toBeUndefined();
    expect(await awarded(u!)).toEqual(["podium"]);
    // A grant of the same competition written later is still the same place.
    const r3 = await reward(c1, 2, 3, 1);
    await t.db.root.query(
      "insert into app_public.competition_reward_grants (reward_id, competition_id, user_id, placement) values ($1, $2, $3, 2)", [r3, c1, u]);
    expect(await progress(u!, "podiums")).toBe(1);
    const c2 = await competition("Summer run");
    await t.db.root.query(
      "insert into app_public.competition_reward_grants (reward_id, competition_id, user_id, placement) values ($1, $2, $3, 1)",
      [await reward(c2, 1, 1, 10), c2, u]);
    expect(await progress(u!, "podiums")).toBe(2);
    expect((await traces(u!, "podium")).ledger).toHaveLength(1);
  });
});

describe("definitions", () => {
  it("a definition an administrator adds is awarded at once to everyone whose progress already reaches it", async () => {
    const [u, w] = await createBareUsers(t.db, "early", 2);
    await t.db.root.query("insert into app_public.journal_entries (user_id, content_md) select $1, 'x' from generate_series(1, 5)", [u]);
    await t.db.root.query("insert into app_public.journal_entries (user_id, content_md) values ($1, 'x')", [w]);
    await t.db.root.query(
      `insert into app_public.achievement_definitions (code, title, description, tier, event, threshold, points)
       values ('journal_5', 'Five pages', 'Write 5 entries.', 'bronze', 'journal_entries', 5, 5)`);
    try {
      expect(await awarded(u!)).toEqual(["journal_5"]);
      expect(await awarded(w!)).toEqual([]);
      expect((await traces(u!, "journal_5")).ledger).toEqual([expect.objectContaining({ amount: 5 })]);
    } finally {
      await t.db.root.query("delete from app_public.achievement_definitions where code = 'journal_5'");
    }
  });
});

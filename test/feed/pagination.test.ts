// Paging through the feed over the real gateway: the `after` keyset cursor
// (an event's `cursor`) walks every visible event newest first, without
// duplicates or gaps, and pages stay stable while new events are written;
// pageSize is clamped to 1..100; a malformed cursor is one clear BADIN; events a user
// hid leave no hole that ends the feed early. Hundreds of events come from
// the real triggers (ritual completions inserted as superuser, in batches:
// each batch shares one created_at, so ties are broken by id).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { feed, feedPage, HIDE, MALFORMED_CURSOR, SCOPES, wholeFeed, type FeedItem } from "../helpers/feed.js";
import { befriend, gqlOk, rootRows, setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let viewer: Account; // friend of alice and bob
let alice: Account; // friends-only by default, a few private events
let bob: Account; // public by default
let carol: Account; // a stranger to the viewer, public
let stranger: Account;

/** `days` completions of a new ritual, `perBatch` per statement (one created_at each). */
async function keepRitual(userId: string, title: string, days: number, perBatch: number, offset = 0): Promise<void> {
  const [ritual] = await rootRows(gw.db, "insert into app_public.rituals (user_id, title) values ($1, $2) returning id", [userId, title]);
  for (let first = 1; first <= days; first += perBatch) {
    await gw.db.root.query(
      `insert into app_public.ritual_completions (ritual_id, user_id, completed_at)
       select $1, $2, now() - (d + $5) * interval '1 day' - interval '1 hour' from generate_series($3::int, $4::int) d`,
      [ritual.id, userId, first, Math.min(first + perBatch - 1, days), offset],
    );
  }
}

/** What the viewer should get, by the visibility rule, newest first (as superuser). */
async function expectedIds(where: string, values: unknown[]): Promise<string[]> {
  return (await rootRows(gw.db, `select e.id from app_public.activity_events e
    where e.deleted_at is null and e.hidden_at is null and (${where}) order by e.created_at desc, e.id desc`, values)).map((r) => r.id);
}
const friendsFeedOf = (who: Account) => expectedIds(
  "e.actor_id in (select friend_id from app_public.friendships where user_id = $1) and e.visibility in ('public', 'friends')", [who.id]);
const publicFeed = () => expectedIds("e.visibility = 'public'", []);
const meFeed = (who: Account) => expectedIds("e.actor_id = $1", [who.id]);

const ids = (items: FeedItem[]) => items.map((e) => e.rowId);

beforeAll(async () => {
  gw = await startTestGateway();
  viewer = await signUp(gw.url, "pg_viewer");
  alice = await signUp(gw.url, "pg_alice");
  bob = await signUp(gw.url, "pg_bob");
  carol = await signUp(gw.url, "pg_carol");
  stranger = await signUp(gw.url, "pg_stranger");
  await befriend(gw.url, viewer, alice);
  await befriend(gw.url, viewer, bob);
  await setPrivacy(gw.db, bob.id, { default_activity_visibility: "public" });
  await setPrivacy(gw.db, carol.id, { default_activity_visibility: "public" });
  await keepRitual(alice.id, "Read", 30, 4);
  await keepRitual(bob.id, "Run", 40, 7);
  await keepRitual(carol.id, "Swim", 70, 9);
  await keepRitual(alice.id, "Journal", 12, 1, 50);
  await setPrivacy(gw.db, alice.id, { default_activity_visibility: "private" });
  await keepRitual(alice.id, "Secret", 6, 3, 70);
  await setPrivacy(gw.db, alice.id, { default_activity_visibility: "friends" });
  // One deleted and one moderated event are never shown.
  await gw.db.root.query(`update app_public.activity_events set deleted_at = now()
    where id = (select id from app_public.activity_events where actor_id = $1 and visibility = 'friends' order by created_at, id limit 1)`, [alice.id]);
  await gw.db.root.query(`update app_public.activity_events set hidden_at = now()
    where id = (select id from app_public.activity_events where actor_id = $1 order by created_at, id limit 1)`, [bob.id]);
});
afterAll(async () => {
  await gw?.close();
});

describe("walking the whole feed page by page", () => {
  it("there are events enough, with shared timestamps, private and removed ones among them", async () => {
    const [stats] = await rootRows(gw.db, `select count(*)::int as events, count(distinct created_at)::int as instants,
      count(*) filter (where visibility = 'private')::int as private, count(*) filter (where deleted_at is not null or hidden_at is not null)::int as removed
      from app_public.activity_events`);
    expect(stats.events).toBeGreaterThan(130);
    expect(stats.instants).toBeLessThan(stats.events / 2);
    expect(stats.private).toBeGreaterThan(0);
    expect(stats.removed).toBe(2);
  });

  it.each([
    { scope: "friends", who: () => viewer, expected: () => friendsFeedOf(viewer), pageSize: 7 },
    { scope: "friends", who: () => viewer, expected: () => friendsFeedOf(viewer), pageSize: 1 },
    { scope: "me", who: () => alice, expected: () => meFeed(alice), pageSize: 5 },
    { scope: "public", who: () => stranger, expected: () => publicFeed(), pageSize: 13 },
    { scope: "public", who: () => viewer, expected: () => publicFeed(), pageSize: 100 },
  ] as const)("scope $scope, pageSize $pageSize: every visible event once, newest first", async ({ scope, who, expected, pageSize }) => {
    const want = await expected();
    expect(want.length).toBeGreaterThan(pageSize);
    const { items, pages } = await wholeFeed(gw.url, who().token, scope, pageSize);
    expect(new Set(ids(items)).size).toBe(items.length);
    expect(ids(items)).toEqual(want);
    expect(pages).toBe(Math.ceil(want.length / pageSize) + 1);
    // Newest first by (created_at, id), which the cursor encodes.
    for (let i = 1; i < items.length; i++) {
      expect(Date.parse(items[i - 1]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(items[i]!.createdAt));
    }
  });

  it("a page after the last event is empty", async () => {
    const all = await friendsFeedOf(viewer);
    const { items } = await wholeFeed(gw.url, viewer.token, "friends", 100);
    expect(await feed(gw.url, viewer.token, "friends", 10, items[items.length - 1]!.cursor)).toEqual([]);
    expect(items).toHaveLength(all.length);
  });

  it("a cursor is one line, and one with base64's line break (as handed out before) pages the same", async () => {
    const first = await feed(gw.url, viewer.token, "friends", 5);
    const cursor = first[first.length - 1]!.cursor;
    expect(cursor).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const wrapped = `${cursor.slice(0, 76)}\n${cursor.slice(76)}`;
    const next = await feed(gw.url, viewer.token, "friends", 5, cursor);
    expect(next).toHaveLength(5);
    expect(await feed(gw.url, viewer.token, "friends", 5, wrapped)).toEqual(next);
  });
});

// A page reads each friend's newest key, then the keys of the friends whose
// newest is among the page's worth of newest ones: walk a feed of more
// friends than a page holds, with interleaved histories and ties, where one
// friend's newest events are private (not theirs to show).
describe("more friends than a page holds", () => {
  it("every page is the newest of all of them, whatever the page size", async () => {
    const many = await signUp(gw.url, "pg_many");
    for (const friend of [alice, bob, carol]) await befriend(gw.url, many, friend);
    for (let i = 0; i < 4; i++) {
      const friend = await signUp(gw.url, `pg_many_${i}`);
      await befriend(gw.url, many, friend);
      await keepRitual(friend.id, `Habit ${i}`, 6 + 3 * i, 1 + i, 5 * i);
      if (i === 0) {
        await setPrivacy(gw.db, friend.id, { default_activity_visibility: "private" });
        await keepRitual(friend.id, "Unshared", 4, 2, -1);
        await setPrivacy(gw.db, friend.id, { default_activity_visibility: "friends" });
      }
    }
    const want = await friendsFeedOf(many);
    expect(want.length).toBeGreaterThan(100);
    for (const pageSize of [1, 2, 3, 5, 8]) {
      const { items } = await wholeFeed(gw.url, many.token, "friends", pageSize);
      expect({ pageSize, ids: ids(items) }).toEqual({ pageSize, ids: want });
    }
  });
});

describe("stability while events are written", () => {
  it("pages after the first continue where it stopped: new events show only on a fresh first page", async () => {
    const want = await friendsFeedOf(viewer);
    const first = await feed(gw.url, viewer.token, "friends", 10);
    expect(ids(first)).toEqual(want.slice(0, 10));
    // Both friends keep rituals meanwhile, and a stranger too.
    await keepRitual(alice.id, "Late", 3, 1, 100);
    await keepRitual(bob.id, "Later", 4, 2, 100);
    await keepRitual(carol.id, "Elsewhere", 2, 1, 100);
    const rest: FeedItem[] = [];
    for (let after = first[first.length - 1]!.cursor; ;) {
      const page = await feed(gw.url, viewer.token, "friends", 10, after);
      if (!page.length) break;
      rest.push(...page);
      after = page[page.length - 1]!.cursor;
    }
    expect(ids([...first, ...rest])).toEqual(want);
    const now = await friendsFeedOf(viewer);
    expect(now.length).toBe(want.length + 7);
    expect(ids(await feed(gw.url, viewer.token, "friends", 10))).toEqual(now.slice(0, 10));
  });
});

describe("pageSize", () => {
  it.each([
    [0, 1], [-5, 1], [1, 1], [37, 37], [100, 100], [101, 100], [1000, 100], [null, 20],
  ] as const)("%s gives %s events", async (pageSize, size) => {
    const want = await publicFeed();
    expect(want.length).toBeGreaterThan(100);
    expect(ids(await feed(gw.url, stranger.token, "public", pageSize))).toEqual(want.slice(0, size));
  });

  it("left out, 20", async () => {
    const data = await gqlOk(gw.url, "{ activityFeed(scope: public) { rowId } }", {}, stranger.token);
    expect(ids(data.activityFeed)).toEqual((await publicFeed()).slice(0, 20));
  });
});

describe("a malformed cursor", () => {
  const garbage = [
    "not a cursor!",
    Buffer.from("hello").toString("base64"),
    Buffer.from("yesterday|not-a-uuid").toString("base64"),
    Buffer.from("2024-01-01 00:00:00+00").toString("base64"),
    "",
  ];

  it.each(SCOPES)("is BADIN in scope %s, whatever it holds, for someone with friends and for someone without", async (scope) => {
    for (const who of [viewer, stranger]) {
      for (const after of garbage) {
        const response = await feedPage(gw.url, who.token, scope, 10, after);
        expect({ who: who.id, after, codes: errorCodes(response), message: response.errors?.[0]?.message })
          .toEqual({ who: who.id, after, codes: ["BADIN"], message: MALFORMED_CURSOR });
        expect(response.data?.activityFeed ?? null).toBeNull();
      }
    }
  });
});

describe("events hidden from one's own feed", () => {
  it("leave no hole: a page whose newest events are all hidden still brings the next ones", async () => {
    const hider = await signUp(gw.url, "pg_hider");
    await befriend(gw.url, hider, bob);
    const before = await friendsFeedOf(hider);
    const hidden = before.slice(0, 5);
    for (const id of hidden) await gqlOk(gw.url, HIDE, { id }, hider.token);
    const want = before.slice(5);
    expect(ids(await feed(gw.url, hider.token, "friends", 5))).toEqual(want.slice(0, 5));
    expect(ids(await feed(gw.url, hider.token, "friends", 3))).toEqual(want.slice(0, 3));
    const { items } = await wholeFeed(gw.url, hider.token, "friends", 4);
    expect(ids(items)).toEqual(want);
  });

  it("also in the public feed", async () => {
    const hider = await signUp(gw.url, "pg_hider2");
    const before = await publicFeed();
    for (const id of before.slice(0, 4)) await gqlOk(gw.url, HIDE, { id }, hider.token);
    expect(ids(await feed(gw.url, hider.token, "public", 4))).toEqual(before.slice(4, 8));
  });
});

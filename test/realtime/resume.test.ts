// Resuming a live feed from a cursor: what was missed comes first, each event
// once and in order, across the switch from replay to live; more than the
// replay bound, or a resume point older than the log, is a refetch signal.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { signUp, type Account, type TestGateway } from "../helpers/gateway.js";
import { sleep } from "../helpers/peers.js";
import { emit, FEED_SUBSCRIPTION, subscribed, titles, withLiveGateway } from "../helpers/realtime.js";

// Above what the first test can have missed however slowly its subscription
// is made (5 missed + 20 written meanwhile), so only the test that means to
// pass the bound passes it.
const REPLAY_LIMIT = 30;
const lg = withLiveGateway({ REALTIME_REPLAY_LIMIT: String(REPLAY_LIMIT) });
let t: TestGateway;
let ann: Account, bob: Account;

beforeAll(async () => {
  t = lg.gateway();
  ann = await signUp(t.url, "rs_ann");
  bob = await signUp(t.url, "rs_bob");
});

function feedOf(account: Account, after?: string) {
  return lg.connect(account).subscribe(FEED_SUBSCRIPTION, { scope: "public", after: after ?? null });
}

/** Bob's public feed, read until `title`; returns its cursor, and the socket is closed. */
async function cursorAfter(title: string): Promise<string> {
  const feed = feedOf(bob);
  await subscribed(t.gateway.hub, 1);
  await emit(t.db, ann.id, title);
  const items = await feed.until((i) => i.event?.metadata.goal_title === title);
  await lg.endAll();
  return items[items.length - 1].cursor;
}

describe("resuming activityFeed", () => {
  it("replays every missed event once, in order, then goes live without a gap or a repeat", async () => {
    const cursor = await cursorAfter("seen");
    for (let i = 1; i <= 5; i++) await emit(t.db, ann.id, `missed ${i}`);
    // Events keep coming while the subscription is made: some land before the
    // hub adds it (replayed), some after (live).
    const writer = (async () => {
      for (let i = 1; i <= 20; i++) {
        await emit(t.db, ann.id, `during ${i}`);
        await sleep(i % 4);
      }
    })();
    const feed = feedOf(bob, cursor);
    await writer;
    await emit(t.db, ann.id, "after");
    const items = await feed.until((i) => i.event?.metadata.goal_title === "after");
    expect(titles(items)).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => `missed ${i}`),
      ...Array.from({ length: 20 }, (_, i) => `during ${i + 1}`),
      "after",
    ]);
    const cursors = items.map((i) => BigInt(i.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(items.every((i) => i.refetch === false)).toBe(true);
  });

  it("replays only what the resuming user may see", async () => {
    const cursor = await cursorAfter("seen 2");
    await emit(t.db, ann.id, "private missed", "private");
    await emit(t.db, ann.id, "friends missed", "friends");
    await emit(t.db, ann.id, "public missed", "public");
    const feed = feedOf(bob, cursor);
    await subscribed(t.gateway.hub, 1);
    await emit(t.db, ann.id, "live");
    expect(titles(await feed.until((i) => i.event?.metadata.goal_title === "live"))).toEqual(["public missed", "live"]);
  });

  it("sends one refetch update, then live events, when more was missed than the replay bound", async () => {
    const cursor = await cursorAfter("seen 3");
    for (let i = 1; i <= REPLAY_LIMIT + 1; i++) await emit(t.db, ann.id, `too many ${i}`);
    const feed = feedOf(bob, cursor);
    await subscribed(t.gateway.hub, 1);
    await emit(t.db, ann.id, "live after refetch");
    const items = await feed.until((i) => i.event?.metadata.goal_title === "live after refetch");
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ refetch: true, event: null });
    expect(BigInt(items[0].cursor)).toBeGreaterThan(BigInt(cursor));
    expect(BigInt(items[1].cursor)).toBeGreaterThan(BigInt(items[0].cursor));
  });

  it("sends a refetch update when the resume point is older than the log keeps", async () => {
    const cursor = await cursorAfter("seen 4");
    await emit(t.db, ann.id, "pruned away");
    await t.db.root.query("select app_private.realtime_prune('0 seconds')");
    await emit(t.db, ann.id, "kept");
    const feed = feedOf(bob, cursor);
    const [first] = await feed.waitFor(1);
    expect(first).toMatchObject({ refetch: true, event: null });
  });

  it("refuses a cursor that is not one with BADIN", async () => {
    const feed = feedOf(bob, "not-a-cursor");
    await feed.waitFor(1).catch(() => undefined);
    expect(feed.items).toEqual([]);
    expect(feed.errors.map((e: any) => e.extensions?.code)).toEqual(["BADIN"]);
  });
});

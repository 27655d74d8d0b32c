// The GraphQL request limits counted in memory and shared in batches
// (src/identity/request-counts.ts): two counters on one real database stand
// for two gateways; sync() is what their timers call.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { RateLimitedError } from "../../src/identity/rate-limits.js";
import { RequestCounts } from "../../src/identity/request-counts.js";
import { useTestDatabase } from "../helpers/db.js";
import { sleep } from "../helpers/peers.js";

let pool: pg.Pool;
let statements = 0;
const counters: RequestCounts[] = [];
// Registered before the database's own afterAll (hooks run in that order): the pool ends before the drop.
afterAll(async () => {
  await Promise.all(counters.map((c) => c.close()));
  await pool?.end();
});
const handle = useTestDatabase();
beforeAll(() => {
  pool = new pg.Pool({ connectionString: handle.db.urls.owner, max: 2 });
  pool.on("acquire", () => void statements++);
});

/** A gateway's counter: limit "req" of `points` per `durationMs`; syncs only when told (a long interval). */
function gateway(points = 5, durationMs = 60_000): RequestCounts {
  const counter = new RequestCounts(pool, [{ name: "req", points, durationMs }], { syncMs: 60_000 });
  counters.push(counter);
  return counter;
}

/** Takes `n` points of `key`; how many were admitted before the first refusal, and that refusal. */
async function takeMany(counter: RequestCounts, key: string, n: number) {
  let admitted = 0;
  for (let i = 0; i < n; i++) {
    try {
      counter.take("req", key);
      admitted++;
    } catch (error) {
      return { admitted, refusal: error as RateLimitedError };
    }
  }
  return { admitted, refusal: undefined };
}

const stored = (key: string) =>
  handle.db.root.query("select points, expire from app_private.rate_limits where key = $1", [`req:${key}`]).then((r) => r.rows[0] as { points: number; expire: string } | undefined);

describe("request counts", () => {
  it("are exact on one gateway: the point past the limit is refused with RATEL and the seconds left", async () => {
    const counter = gateway();
    const { admitted, refusal } = await takeMany(counter, "one", 7);
    expect(admitted).toBe(5);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal!.code).toBe("RATEL");
    expect(refusal!.retryAfterSeconds).toBeGreaterThan(0);
    expect(refusal!.retryAfterSeconds).toBeLessThanOrEqual(60);
    await counter.sync();
  });

  it("cost no statement on a request: a key new to the gateway is shared within a few ms, then one statement per sync for every key", async () => {
    const counter = gateway(1000);
    const before = statements;
    for (let i = 0; i < 50; i++) counter.take("req", "busy");
    expect(statements - before).toBe(0);
    // The timer's sync has started by then (timers fire in order); wait for it to return, however loaded the machine.
    await sleep(100);
    await counter.settled();
    expect(statements - before).toBe(1);
    expect((await stored("busy"))?.points).toBe(50);
    for (const key of ["k1", "k2", "k3"]) counter.take("req", key);
    counter.take("req", "busy");
    await counter.sync();
    expect(statements - before).toBe(2);
    expect((await stored("busy"))?.points).toBe(51);
    expect((await stored("k2"))?.points).toBe(1);
  });

  it("count the points a sync is still writing: one gateway stays exact while its sync is in flight", async () => {
    const counter = gateway();
    // The table locked: the sync's statement waits until the lock is let go.
    const locker = await handle.db.root.connect();
    await locker.query("begin; lock table app_private.rate_limits in exclusive mode");
    let admitted: number;
    let syncing: Promise<void>;
    try {
      counter.take("req", "in-flight");
      syncing = counter.sync();
      await sleep(100);
      admitted = (await takeMany(counter, "in-flight", 5)).admitted;
    } finally {
      await locker.query("commit");
      locker.release();
    }
    expect(admitted).toBe(4);
    await syncing;
    expect((await takeMany(counter, "in-flight", 1)).admitted).toBe(0);
    await counter.sync();
    expect((await stored("in-flight"))?.points).toBe(5);
  });

  it("are shared: a gateway meeting a key learns what the others wrote at once, and refuses past the limit", async () => {
    const a = gateway();
    const b = gateway();
    expect((await takeMany(a, "shared", 3)).admitted).toBe(3);
    await a.sync();
    // b admits its first point blind, and shares it (with what a spent) within a few ms.
    expect((await takeMany(b, "shared", 1)).admitted).toBe(1);
    await sleep(100);
    await b.settled();
    const { admitted, refusal } = await takeMany(b, "shared", 5);
    expect(admitted).toBe(1);
    expect(refusal?.code).toBe("RATEL");
    await b.sync();
    expect((await stored("shared"))?.points).toBe(5);
  });

  it("read back a key past half its limit at every sync, so a quiet gateway learns what the others spent", async () => {
    const a = gateway();
    const b = gateway();
    expect((await takeMany(a, "near", 3)).admitted).toBe(3);
    await a.sync();
    expect((await takeMany(b, "near", 2)).admitted).toBe(2);
    await b.sync();
    expect((await stored("near"))?.points).toBe(5);
    // a admitted nothing since: its sync reads the key anyway.
    await a.sync();
    expect((await takeMany(a, "near", 1)).refusal?.code).toBe("RATEL");
  });

  it("bound the overshoot of gateways that admit between syncs to what they admitted in that interval", async () => {
    const a = gateway();
    const b = gateway();
    // Both meet the key at once: neither has seen the other's points.
    const [fromA, fromB] = await Promise.all([takeMany(a, "race", 5), takeMany(b, "race", 5)]);
    expect(fromA.admitted + fromB.admitted).toBe(10);
    await Promise.all([a.sync(), b.sync()]);
    expect((await stored("race"))?.points).toBe(10);
    // Once synced, both refuse.
    expect((await takeMany(a, "race", 1)).refusal?.code).toBe("RATEL");
    expect((await takeMany(b, "race", 1)).refusal?.code).toBe("RATEL");
  });

  it("start a new window once the old one is over", async () => {
    const counter = gateway(2, 1000);
    expect((await takeMany(counter, "window", 3)).admitted).toBe(2);
    await counter.sync();
    const first = await stored("window");
    await sleep(1100);
    expect((await takeMany(counter, "window", 3)).admitted).toBe(2);
    await counter.sync();
    const second = await stored("window");
    expect(second?.points).toBe(2);
    expect(Number(second!.expire)).toBeGreaterThan(Number(first!.expire));
  });

  it("keep what they admitted when the database refuses a sync, and write it at the next", async () => {
    const counter = gateway(100);
    // The table is away for a moment: the syncs fail, nothing is lost.
    await handle.db.root.query("alter table app_private.rate_limits rename to rate_limits_away");
    for (let i = 0; i < 4; i++) counter.take("req", "outage");
    await counter.sync();
    await handle.db.root.query("alter table app_private.rate_limits_away rename to rate_limits");
    expect(await stored("outage")).toBeUndefined();
    counter.take("req", "outage");
    await counter.sync();
    expect((await stored("outage"))?.points).toBe(5);
  });
});

// The cost of an event must not grow with its audience: the hub reads each
// batch of the log with one statement for all of its subscribers, and
// delivering to each subscriber runs no SQL.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { emit, FEED_SUBSCRIPTION, live, signedInUsers, subscribed, type LiveClient, type Stream } from "../helpers/realtime.js";
import { sleep } from "../helpers/peers.js";
import { HUB_APPLICATION } from "../../src/realtime/hub.js";

let t: TestGateway;
const clients: LiveClient[] = [];

beforeAll(async () => {
  // No polls or session checks inside the measured window: only fan-out counts.
  t = await startTestGateway({ REALTIME_POLL_MS: "60000", REALTIME_SESSION_CHECK_MS: "60000" });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.client.dispose()));
  await t.close();
});

/** Statements the hub ran per event, with `n` subscribers each receiving every one of `events` events. */
async function statementsPerEvent(n: number, events: number): Promise<number> {
  const users = await signedInUsers(t.db, `fan${n}`, n);
  const streams: Stream[] = [];
  const before = t.gateway.hub.size;
  for (const user of users) {
    const client = live(t.url, user.token);
    clients.push(client);
    streams.push(client.subscribe(FEED_SUBSCRIPTION, { scope: "public" }));
  }
  await subscribed(t.gateway.hub, before + n, 20_000);
  const start = t.gateway.hub.statements;
  for (let i = 0; i < events; i++) {
    await emit(t.db, users[0]!.id, `fan-out ${n} #${i}`);
    // One event at a time: each is its own batch, the worst case.
    await Promise.all(streams.map((s) => s.until((item) => item.event?.metadata.goal_title === `fan-out ${n} #${i}`, 20_000)));
  }
  return (t.gateway.hub.statements - start) / events;
}

describe("fan-out", () => {
  it("runs the same number of statements per event for 10 and for 100 subscribers", async () => {
    const ten = await statementsPerEvent(10, 5);
    await sleep(50);
    const hundred = await statementsPerEvent(100, 5);
    expect(ten).toBeGreaterThanOrEqual(1);
    expect(ten).toBeLessThanOrEqual(2);
    expect(hundred).toBe(ten);
  }, 60_000);

  it("delivers on when the hub's own connection is killed, and makes it again", async () => {
    const [user] = await signedInUsers(t.db, "killed", 1);
    const client = live(t.url, user!.token);
    clients.push(client);
    const stream = client.subscribe(FEED_SUBSCRIPTION, { scope: "me" });
    await subscribed(t.gateway.hub, t.gateway.hub.size + 1);
    const hubBackends = () =>
      t.db.root.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1 and datname = current_database()", [HUB_APPLICATION]);
    const { rows: [before] } = await hubBackends();
    await t.db.root.query("select pg_terminate_backend($1)", [before!.pid]);
    // Written while the hub has no connection: the log keeps it, the pool reads it.
    await emit(t.db, user!.id, "while the hub reconnects");
    t.gateway.hub.wake();
    expect((await stream.until((i) => i.event?.metadata.goal_title === "while the hub reconnects", 10_000)).length).toBe(1);
    // Made again, and LISTENing: the next event comes without a poll (every minute here).
    let after: { pid: number } | undefined;
    for (let tries = 0; !after && tries < 100; tries++) {
      await sleep(50);
      [after] = (await hubBackends()).rows;
    }
    expect(after?.pid).not.toBe(before!.pid);
    await sleep(200);
    await emit(t.db, user!.id, "after the reconnect");
    expect((await stream.until((i) => i.event?.metadata.goal_title === "after the reconnect", 5_000)).length).toBe(2);
  }, 30_000);
});

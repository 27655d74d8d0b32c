// The realtime workload: fan-out of one public activity event to
// BENCH_REALTIME_SUBSCRIBERS (100, 1,000, 5,000) websocket subscribers, each
// a different signed-in user, on one gateway process (spawnGateway); then
// the same on the peer, PostGraphile V4 with @graphile/pg-pubsub
// (spawnV4Peer) on the same database; then the floor (spawnBroadcastPeer):
// one read per event and the same frame written to every socket, with no
// auth and no visibility, which is what the machine itself costs (loopback
// writes, the clients' reads). This process holds the sockets (bare
// graphql-transport-ws, so the client side costs every peer the same
// little). For each size:
//   - BENCH_REALTIME_EVENTS (20) events, one at a time, each written by an
//     INSERT here; latency is from before the INSERT to the moment each
//     subscriber's socket has the event: p50 and p99 over every delivery,
//     first as events come in a steady stream (once the warm-up's events
//     have all landed and the load average is below the core count), then
//     again after 11 s idle (the first events after a lull run on cold
//     caches: on this machine the hub's statement and its hand-out each take
//     about 3× as long for the first three);
//   - database transactions per event, from pg_stat_database, over that
//     second pass: counted from 11 s before its first event to 11 s after
//     its last (idle backends report late), with our gateway's poll and
//     session check slowed to once a minute so that only fan-out counts.
//     Ours: the batch read, and the hub backend's own transaction to read
//     the NOTIFY queue; V4: each subscriber's re-fetch;
//   - CPU per delivery over the steady pass: the server process's (all its
//     threads, the event's read included), and this process's, which holds
//     every client on the same two cores;
//   - the gateway process's resident memory per connection (VmRSS growth
//     from before the sockets to all of them subscribed, divided by their
//     number).
import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import WebSocket from "ws";
import { makeTokenSigner } from "../../src/identity/tokens.js";
import { type BenchRow, type Workload, type WorkloadContext, fmtInt, fmtMsPrecise, fmtRatio, intEnv, intListEnv, percentile, waitQuiet, withClient } from "./db.js";
import { spawnBroadcastPeer, spawnGateway, spawnV4Peer, stop } from "./servers.js";

const SECRET = "realtime-bench-secret-realtime-bench-secret";
const TARGET_P99_MS = 50;

interface Peer {
  name: string;
  child: ChildProcess;
  url: string;
  subscription: string;
}

interface Delivery {
  /** performance.timeOrigin-based ms when each subscriber had event i. */
  seen: Map<number, number>[];
  /** When any of these sockets last received anything (performance.now()). */
  lastMessageAt: number;
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** A process's CPU time so far, in µs (utime + stime, in clock ticks of 10 ms). */
async function cpuUs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function startOurs(ctx: WorkloadContext): Promise<Peer> {
  const { child, url } = await spawnGateway(ctx, "lifegraph", SECRET, {
    // info: a line per connect, as in production.
    LOG_LEVEL: "info",
    REALTIME_SESSION_CHECK_MS: "60000",
  });
  return {
    name: "lifegraph",
    child,
    url,
    subscription: `subscription { activityFeed(scope: public) { cursor event { id verb metadata actor { username } } } }`,
  };
}

async function startV4(ctx: WorkloadContext): Promise<Peer> {
  const { child, url } = await spawnV4Peer(ctx, SECRET);
  return {
    name: "PostGraphile V4 + pg-pubsub",
    child,
    url,
    subscription: `subscription { activityFeed { activityEvent { id verb metadata } } }`,
  };
}

async function startFloor(ctx: WorkloadContext): Promise<Peer> {
  const { child, url } = await spawnBroadcastPeer(ctx);
  // It serves every subscription the one event feed, whatever the document.
  return { name: "floor: bare ws broadcast", child, url, subscription: "subscription { activityFeed { event { id } } }" };
}

/** What precedes an event's number in its frame (see `emit`). */
const EVENT_MARK = Buffer.from("bench event ");

function digitsAt(data: Buffer, from: number): number {
  let n = 0;
  for (let i = from; data[i]! >= 0x30 && data[i]! <= 0x39; i++) n = n * 10 + data[i]! - 0x30;
  return n;
}

/** `tokens.length` sockets, each subscribed; resolves when all are acknowledged. */
async function connectAll(peer: Peer, tokens: string[], delivery: Delivery): Promise<WebSocket[]> {
  const wsUrl = `${peer.url.replace(/^http/, "ws")}/graphql`;
  const sockets: WebSocket[] = [];
  const connectOne = (token: string, index: number) =>
    new Promise<WebSocket>((resolve, reject) => {
      // The clients share this process and the machine's two cores with the
      // server: each message costs them as little as a client can (no
      // compression offered, no UTF-8 check, no string), the same for every peer.
      const socket = new WebSocket(wsUrl, "graphql-transport-ws", { perMessageDeflate: false, skipUTF8Validation: true });
      const seen = (delivery.seen[index] = new Map());
      socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })));
      socket.on("message", (data: Buffer) => {
        const now = performance.now();
        delivery.lastMessageAt = now;
        // The event's title carries its number: no JSON parse on the hot path.
        const at = data.indexOf(EVENT_MARK);
        if (at >= 0) {
          seen.set(digitsAt(data, at + EVENT_MARK.length), performance.timeOrigin + now);
          return;
        }
        const text = data.toString();
        const message = JSON.parse(text) as { type: string };
        if (message.type === "connection_ack") {
          socket.send(JSON.stringify({ type: "subscribe", id: "feed", payload: { query: peer.subscription } }));
          resolve(socket);
        } else if (message.type === "error") {
          reject(new Error(`subscribe refused: ${text}`));
        } else if (message.type === "next") {
          // Anything else is a broken peer: say so rather than time out.
          throw new Error(`${peer.name} sent an update without the event: ${text.slice(0, 500)}`);
        }
      });
      socket.on("error", reject);
    });
  for (let i = 0; i < tokens.length; i += 200) {
    sockets.push(...(await Promise.all(tokens.slice(i, i + 200).map((token, j) => connectOne(token, i + j)))));
  }
  return sockets;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => {
    if (s.readyState === WebSocket.CLOSED) return resolve();
    s.once("close", () => resolve());
    s.close();
  })));
}


interface Latency {
  p50: number;
  p99: number;
  delivered: number;
}

interface FanOut {
  steady: Latency;
  afterIdle: Latency;
  expected: number;
  transactionsPerEvent: number;
  kbPerConnection: number;
  /** CPU over the steady pass ÷ its deliveries: the server's (all of it, the event's read included), and this process's as the clients. */
  serverUsPerDelivery: number;
  clientUsPerDelivery: number;
}

async function transactions(rootUrl: string, database: string): Promise<number> {
  // Read from another database's connection, so the reads do not count.
  const postgresUrl = new URL(rootUrl);
  postgresUrl.pathname = "/postgres";
  return withClient(postgresUrl.toString(), async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "select xact_commit + xact_rollback as n from pg_stat_database where datname = $1", [database]);
    return Number(rows[0]!.n);
  });
}

async function fanOut(ctx: WorkloadContext, peer: Peer, tokens: string[], size: number, actorId: string, events: number, firstEvent: number): Promise<FanOut> {
  const delivery: Delivery = { seen: [], lastMessageAt: 0 };
  // One subscriber and one event first, so that the baseline holds what any
  // first subscription costs (plans, code warmed up), not a connection's share.
  const warmDelivery: Delivery = { seen: [], lastMessageAt: 0 };
  const warm = await connectAll(peer, tokens.slice(size, size + 1), warmDelivery);
  const waitAll = async (event: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (delivery.seen.some((s) => !s.has(event)) && Date.now() < deadline) await sleep(2);
  };
  return withClient(ctx.db.rootUrl, async (root) => {
    const emit = (n: number) => root.query(
      `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
       values ($1, 'goals.done', 'goal', gen_random_uuid(), jsonb_build_object('goal_title', 'bench event ' || $2::int), 'public')`,
      [actorId, n],
    );
    // A socket is acknowledged before its subscription is live: events are
    // sent until every socket of `group` has had one.
    let warmUp = 0;
    const untilLive = async (group: Delivery) => {
      for (let tries = 0; tries < 600; tries++) {
        const n = 1_000_000 + firstEvent * 1000 + warmUp++;
        await emit(n);
        await sleep(100);
        if (group.seen.every((seen) => [...seen.keys()].some((k) => k >= 1_000_000))) return;
      }
      throw new Error(`${peer.name}: subscriptions did not all go live`);
    };
    await untilLive(warmDelivery);
    await sleep(500);
    const rssBefore = await rssKb(peer.child.pid!);
    const sockets = await connectAll(peer, tokens.slice(0, size), delivery);
    await untilLive(delivery);
    const rssAfter = await rssKb(peer.child.pid!);
    /** Events firstEvent + from + 1 …, each once the one before reached every subscriber. */
    const measure = async (from: number): Promise<Latency> => {
      const sent = new Map<number, number>();
      for (let i = from + 1; i <= from + events; i++) {
        sent.set(firstEvent + i, performance.timeOrigin + performance.now());
        await emit(firstEvent + i);
        await waitAll(firstEvent + i, 30_000);
      }
      const latencies: number[] = [];
      for (const seen of delivery.seen) {
        for (const [event, at] of sent) {
          const got = seen.get(event);
          if (got !== undefined) latencies.push(got - at);
        }
      }
      latencies.sort((a, b) => a - b);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), delivered: latencies.length };
    };
    // The warm-up's events still on their way (V4 re-fetches each for every
    // subscriber, seconds behind) are not the steady state: let them land,
    // and the machine settle, before timing.
    while (performance.now() - delivery.lastMessageAt < 1000) await sleep(200);
    await waitQuiet(ctx.progress);
    const [clientBefore, serverBefore] = [process.cpuUsage(), await cpuUs(peer.child.pid!)];
    const steady = await measure(0);
    const client = process.cpuUsage(clientBefore);
    const serverUs = (await cpuUs(peer.child.pid!)) - serverBefore;
    // An idle backend reports its counts up to 10 s late (PGSTAT_IDLE_INTERVAL):
    // the connects' own transactions are all in before counting starts, and
    // the events' all in before it ends.
    await sleep(11_000);
    const before = await transactions(ctx.db.rootUrl, ctx.db.name);
    const afterIdle = await measure(events);
    await sleep(11_000);
    const after = await transactions(ctx.db.rootUrl, ctx.db.name);
    await closeAll([...sockets, ...warm]);
    return {
      steady,
      afterIdle,
      expected: events * size,
      // Minus the INSERTs themselves.
      transactionsPerEvent: (after - before - events) / events,
      serverUsPerDelivery: serverUs / (events * size),
      clientUsPerDelivery: (client.user + client.system) / (events * size),
      kbPerConnection: (rssAfter - rssBefore) / size,
    };
  });
}

async function seed(ctx: WorkloadContext, users: number): Promise<{ actorId: string; tokens: string[] }> {
  const signer = await makeTokenSigner({ secret: SECRET, issuer: ctx.config.JWT_ISSUER, audience: ctx.config.JWT_AUDIENCE, ttlSeconds: 3600 });
  return withClient(ctx.db.rootUrl, async (root) => {
    const { rows: [actor] } = await root.query<{ id: string }>(
      "insert into app_public.users (username, display_name) values ('bench_actor', 'Bench actor') returning id");
    const { rows } = await root.query<{ user_id: string; id: string }>(
      `with u as (insert into app_public.users (username, display_name)
         select format('rt_%s', i), format('Subscriber %s', i) from generate_series(1, $1::int) i returning id)
       insert into app_private.sessions (user_id, expires_at) select id, now() + interval '1 day' from u returning user_id, id`,
      [users],
    );
    // What V4 needs to hear of a new event: NOTIFY postgraphile:feed (bench only).
    await root.query(`create function public.bench_v4_notify() returns trigger language plpgsql as $$
      begin perform pg_notify('postgraphile:feed', json_build_object('id', new.id)::text); return null; end $$`);
    await root.query(`create trigger bench_v4_notify after insert on app_public.activity_events
      for each row execute function public.bench_v4_notify()`);
    // Nothing left for autovacuum to do while transactions are counted.
    await root.query("vacuum analyze");
    return { actorId: actor!.id, tokens: rows.map((s) => signer.sign({ userId: s.user_id, sessionId: s.id }).token) };
  });
}

const latencyValue = (latency: Latency, expected: number) =>
  `${fmtMsPrecise(latency.p50)} / ${fmtMsPrecise(latency.p99)} (${fmtInt(latency.delivered)} of ${fmtInt(expected)} delivered)`;

export const realtime: Workload = {
  name: "realtime",
  description: "fan-out of a feed event to 100-5,000 websocket subscribers: p50/p99, transactions per event, memory per socket; vs PostGraphile V4 + pg-pubsub",
  async run(ctx) {
    const sizes = intListEnv("BENCH_REALTIME_SUBSCRIBERS", [100, 1000, 5000]);
    const events = intEnv("BENCH_REALTIME_EVENTS", 20);
    ctx.progress(`seeding ${fmtInt(Math.max(...sizes))} subscribers…`);
    // One more user than the largest size: the warm-up subscriber.
    const { actorId, tokens } = await seed(ctx, Math.max(...sizes) + 1);
    const rows: BenchRow[] = [];
    const results = new Map<string, FanOut>();
    let nextEvent = 0;
    for (const start of [startOurs, startV4, startFloor]) {
      for (const size of sizes) {
        // A fresh process per size: memory and latency owe nothing to the size before.
        const peer = await start(ctx);
        try {
          ctx.progress(`${peer.name}: ${fmtInt(size)} subscribers…`);
          results.set(`${peer.name}@${size}`, await fanOut(ctx, peer, tokens, size, actorId, events, nextEvent));
          nextEvent += 2 * events + 1;
        } finally {
          await stop(peer.child);
        }
      }
    }
    for (const size of sizes) {
      const ours = results.get(`lifegraph@${size}`)!;
      const v4 = results.get(`PostGraphile V4 + pg-pubsub@${size}`)!;
      const floor = results.get(`floor: bare ws broadcast@${size}`)!;
      rows.push(
        {
          measure: `${fmtInt(size)} subscribers: event → client p50 / p99`,
          value: latencyValue(ours.steady, ours.expected),
          target: size === 1000 ? `p99 ≤ ${TARGET_P99_MS} ms and ≤ 1.0× V4: ${ours.steady.p99 <= TARGET_P99_MS && ours.steady.p99 <= v4.steady.p99 ? "ok" : "above target"}` : undefined,
          ratio: fmtRatio(ours.steady.p99 / v4.steady.p99, "V4 p99"),
        },
        {
          measure: `  V4 + pg-pubsub p50 / p99`,
          value: latencyValue(v4.steady, v4.expected),
        },
        {
          measure: `  floor (one frame to every socket) p50 / p99`,
          value: latencyValue(floor.steady, floor.expected),
          ratio: fmtRatio(ours.steady.p99 / floor.steady.p99, "floor p99"),
        },
        {
          measure: `  after 11 s idle: p50 / p99 (ours)`,
          value: latencyValue(ours.afterIdle, ours.expected),
          ratio: fmtRatio(ours.afterIdle.p99 / v4.afterIdle.p99, "V4 p99"),
        },
        {
          measure: `  after 11 s idle: p50 / p99 (V4)`,
          value: latencyValue(v4.afterIdle, v4.expected),
        },
        {
          measure: `  database transactions per event (ours / V4 / floor)`,
          value: [ours, v4, floor].map((peer) => peer.transactionsPerEvent.toFixed(1)).join(" / "),
          target: "flat in subscribers",
        },
        {
          measure: `  server CPU per delivery, steady (ours / V4 / floor)`,
          value: [ours, v4, floor].map((peer) => `${peer.serverUsPerDelivery.toFixed(1)} µs`).join(" / "),
          // CPU time comes in 10 ms ticks: a short pass can read 0 for the floor.
          ratio: floor.serverUsPerDelivery > 0 ? fmtRatio(ours.serverUsPerDelivery / floor.serverUsPerDelivery, "floor") : undefined,
        },
        {
          measure: `  this process as the clients, CPU per delivery (ours / V4 / floor)`,
          value: [ours, v4, floor].map((peer) => `${peer.clientUsPerDelivery.toFixed(1)} µs`).join(" / "),
        },
        {
          measure: `  gateway memory per connection (ours / V4 / floor)`,
          value: [ours, v4, floor].map((peer) => `${peer.kbPerConnection.toFixed(0)} KiB`).join(" / "),
        },
      );
    }
    return rows;
  },
};

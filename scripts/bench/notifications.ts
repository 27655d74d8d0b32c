// The notification workload: BENCH_EVENTS (10k) events raised with
// app_private.notify for BENCH_NOTIFY_USERS (1k) users, each fanned out to one
// in-app delivery (jobs added at each batch's commit, in-app ones by the
// hundred), delivered by the real worker (startWorker: our task list)
// at each worker concurrency of BENCH_WORKER_CONCURRENCY (8 and 32):
// throughput is the drain rate of the raised events. Latency (event → in-app
// row) is timed at the last concurrency on a further 1k events arriving in
// small batches while the worker runs, not on time spent behind a backlog.
// Peer: the same rows written by one INSERT … SELECT (no queue, no worker):
// the floor of what writing the rows costs. Targets: notify() at 2k events/s
// (it is on the path of every social write), and in-app deliveries at 2k/s
// and within 5× the peer's time.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { startWorker } from "../../src/worker/runner.js";
import { type BenchRow, type Workload, fmtInt, fmtMs, fmtRatio, intEnv, intListEnv, percentile } from "./db.js";

const TARGET_PER_SECOND = 2_000;
const TARGET_PEER_RATIO = 5;
const BATCHES = 20;



export const notifications: Workload = {
  name: "notifications",
  description: "10k events fanned out to in-app deliveries by the real worker",
  async run(ctx) {
    const events = intEnv("BENCH_EVENTS", 10_000);
    // Deliveries wait on networks (SMTP, push services, webhooks) and the jobs
    // running together share their SQL round trips: a delivery worker runs
    // many more jobs at once than it has cores. 32 is what the README
    // recommends for one; 8 shows how throughput follows it.
    const concurrencies = intListEnv("BENCH_WORKER_CONCURRENCY", [8, 32]);
    const users = intEnv("BENCH_NOTIFY_USERS", 1_000);
    const rows: BenchRow[] = [];
    const owner = new pg.Client({ connectionString: ctx.db.ownerUrl });
    await owner.connect();
    try {
      await owner.query("insert into app_public.users (username) select 'note_' || g from generate_series(1, $1) g", [users]);
      // rituals.reminder goes to in-app (and push, for users with subscriptions: none here).
      const notifyBatch = (offset: number, count: number) =>
        owner.query(
          `select app_private.notify(u.id, 'rituals.reminder',
             jsonb_build_object('username', u.username, 'ritual_title', 'Stretch', 'ritual_id', gen_random_uuid()), 'bench:' || g)
           from generate_series($1::int, $1::int + $2::int - 1) g
           join lateral (select id, username from app_public.users where username = 'note_' || (1 + g % $3)) u on true`,
          [offset, count, users],
        );

      const waitDelivered = async (expected: number, since: number) => {
        for (;;) {
          const { rows: [done] } = await owner.query<{ n: number }>(
            "select count(*)::int as n from app_public.notifications",
          );
          if (done!.n >= expected) return;
          if (performance.now() - since > 300_000) throw new Error(`${expected - done!.n} deliveries still pending after 5 minutes`);
          await sleep(20);
        }
      };

      // Phase 1, throughput: for each concurrency, the events are raised
      // first, then a worker starts and drains their deliveries.
      const drains: Array<{ concurrency: number; ms: number }> = [];
      let enqueueMs = 0;
      const latencyEvents = Math.min(1_000, events);
      const perBatch = Math.ceil(events / BATCHES);
      let raised = 0;
      for (const [round, concurrency] of concurrencies.entries()) {
        ctx.progress(`raising ${fmtInt(events)} events…`);
        let t = performance.now();
        for (let offset = 0; offset < events; offset += perBatch) await notifyBatch(raised + offset, Math.min(perBatch, events - offset));
        // notify() is timed once, on an empty queue.
        if (round === 0) enqueueMs = performance.now() - t;
        raised += events;
        ctx.progress(`delivering with worker concurrency ${concurrency}…`);
        const worker = await startWorker({ ...ctx.config, WORKER_CONCURRENCY: concurrency }, ctx.db.ownerUrl, ctx.logger);
        try {
          t = performance.now();
          await waitDelivered(raised, t);
          drains.push({ concurrency, ms: performance.now() - t });
          if (round < concurrencies.length - 1) continue;
          // Phase 2, latency: events arrive in small batches, below capacity,
          // while the worker runs; each is timed from its event to its row.
          await owner.query("update app_public.notification_events set created_at = created_at - interval '1 hour'");
          const started = performance.now();
          for (let offset = 0; offset < latencyEvents; offset += 50) {
            await notifyBatch(raised + offset, Math.min(50, latencyEvents - offset));
            await sleep(100);
          }
          raised += latencyEvents;
          await waitDelivered(raised, started);
        } finally {
          await worker.stop();
        }
      }
      const { rows: [timing] } = await owner.query<{ latencies: number[] }>(
        `select array_agg(extract(epoch from n.created_at - e.created_at) * 1000) as latencies
         from app_public.notifications n
         join app_public.notification_deliveries d on d.id = n.delivery_id
         join app_public.notification_events e on e.id = d.event_id
         where e.created_at > now() - interval '30 minutes'`,
      );
      const latencies = timing!.latencies.map(Number).sort((a, b) => a - b);
      if (latencies.length !== latencyEvents) throw new Error(`${latencies.length} timed deliveries, expected ${latencyEvents}`);

      // The peer: the same rows by one statement.
      await owner.query("delete from app_public.notifications");
      const t = performance.now();
      const { rowCount } = await owner.query(
        `insert into app_public.notifications (user_id, delivery_id, type, title, body)
         select d.user_id, d.id, e.type, 'Time for Stretch', 'A gentle reminder: Stretch.'
         from app_public.notification_deliveries d join app_public.notification_events e on e.id = d.event_id`,
      );
      const peerMs = performance.now() - t;
      const peerPerSecond = (rowCount! * 1000) / peerMs;

      const notifyPerSecond = (events * 1000) / enqueueMs;
      rows.push({
        measure: `notify(): ${fmtInt(events)} events, each a delivery and its job`,
        value: `${fmtMs(enqueueMs)} (${fmtInt(notifyPerSecond)}/s)`,
        target: `≥ ${fmtInt(TARGET_PER_SECOND)}/s: ${notifyPerSecond >= TARGET_PER_SECOND ? "ok" : "below target"}`,
      });
      for (const drain of drains) {
        const perSecond = (events * 1000) / drain.ms;
        rows.push({
          measure: `in-app deliveries by the worker (concurrency ${drain.concurrency})`,
          value: `${fmtInt(perSecond)}/s (${fmtInt(events)} in ${fmtMs(drain.ms)})`,
          target: `≥ ${fmtInt(TARGET_PER_SECOND)}/s, ≤ ${TARGET_PEER_RATIO}× one INSERT: ${
            perSecond >= TARGET_PER_SECOND && peerPerSecond / perSecond <= TARGET_PEER_RATIO ? "ok" : "below target"}`,
          ratio: fmtRatio(peerPerSecond / perSecond, "one INSERT (time ratio)"),
        });
      }
      rows.push({
        measure: `  event → delivered latency (concurrency ${drains.at(-1)!.concurrency}, ${fmtInt(latencyEvents)} events, 50 every 100 ms)`,
        value: `p50 ${fmtMs(percentile(latencies, 50))}, p99 ${fmtMs(percentile(latencies, 99))}`,
      });
      rows.push({ measure: "peer: the same rows by one INSERT … SELECT", value: `${fmtMs(peerMs)} (${fmtInt(peerPerSecond)}/s)` });
      return rows;
    } finally {
      await owner.end();
    }
  },
};

// The rollup workload: seed BENCH_SCORES raw scores (1M) over BENCH_USERS
// users (1k), then time
//   - a full recompute, two ways side by side:
//       lifegraph      the real path: app_public.recompute_rollups() as an
//                      admin enqueues four scores__recompute jobs (one per hash
//                      partition) and the real worker (startWorker, our task
//                      list, WORKER_CONCURRENCY) runs them; enqueue → last done.
//       one statement  the peer: the four partitions recomputed one after the
//                      other on one connection.
//   - an incremental refresh after BENCH_NEW_SCORES (1k) new scores, inserted
//     in one statement with the triggers on: app_private.refresh_queued_rollups()
//     (the body of the scores__rollup job) on one connection, median of
//     BENCH_INCREMENTAL_RUNS (5) runs, against the peer "full recompute".
// and checks that the incrementally maintained rollups equal a full recompute.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { startWorker } from "../../src/worker/runner.js";
import {
  type BenchRow,
  type Workload,
  type WorkloadContext,
  fmtInt,
  fmtMs,
  fmtRate,
  fmtRatio,
  fmtTarget,
  intEnv,
  median,
  withClient,
} from "./db.js";

const TARGET_FULL_MS = 5_000;
const TARGET_INCREMENTAL_MS = 200;
const PARTITIONS = 4;


// The seed, as the superuser in one session. The shape, per user:
//   - activity: a weight drawn uniformly from 0.3..1.7; the user's share of
//     the BENCH_SCORES scores is proportional to it (the total is exact);
//   - check-ins: k items scored per check-in, k uniform in 3..8 (raised when
//     a heavy user would otherwise need more than 365 days); ceil(share / k)
//     check-in days drawn uniformly from the 365 days before today;
//   - what is scored: the 49 items (16 areas, and their 33 dimensions) in a
//     preference order of the user's, area-level items favoured 5:1; a
//     check-in scores k consecutive items of that order from an offset 0..2,
//     so the same few areas come back and dimensions appear now and then;
//   - the score: a baseline per (user, area) uniform in 1.2..4.2, a seasonal
//     swing of ±0.6 (period ~280 days), noise of ±0.8, to one decimal in 0..5;
//     recorded between 07:00 and 22:00 UTC of its day.
// A few users (1 in 20) have a non-UTC time zone in user_settings; the rest
// keep the default. (Only 1 in 20 because each user_settings row costs
// ~40 ms: the timezone_known check scans pg_timezone_names.)
// `session_replication_role = replica` switches off every trigger, so the
// statement triggers on scores neither queue rollups nor add jobs during the
// seed (foreign keys are not checked either: the rows are consistent by
// construction). One set-based insert … select generate_series, then vacuum
// analyze, as autovacuum would in a live database.
function seedStatements(users: number, scores: number): string[] {
  return [
    "set session_replication_role = replica",
    "set work_mem = '256MB'",
    // Parallel workers would not follow setseed: the same data every run.
    "set max_parallel_workers_per_gather = 0",
    "select setseed(0.42)",
    // Ids from the number, not gen_random_uuid(): the same data every run.
    `insert into app_public.users (id, username, display_name)
       select md5('bench user ' || i)::uuid, format('bench_%s', lpad(i::text, 7, '0')), format('Bench user %s', i)
       from generate_series(1, ${users}) i`,
    "insert into app_public.users (username, display_name) values ('bench_admin', 'Bench admin')",
    // The flags are private (app_private.user_flags); the users trigger that
    // writes them may be off for the seed.
    `insert into app_private.user_flags (user_id, is_admin, is_verified)
       select id, true, true from app_public.users where username = 'bench_admin'
       on conflict (user_id) do update set is_admin = true, is_verified = true`,
    `insert into app_private.sessions (user_id, expires_at)
       select id, now() + interval '1 day' from app_public.users where username = 'bench_admin'`,
    `insert into app_public.user_settings (user_id, timezone)
       select id, (array['Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo'])[1 + (n / 20) % 5]
       from (select id, row_number() over (order by username) n from app_public.users where username <> 'bench_admin') u where n % 20 = 0`,
    `create temp table bench_users as
       select id, n, 0.3 + 1.4 * random() as w, 3 + floor(random() * 6)::int as k
       from (select id, row_number() over (order by username) n from app_public.users where username <> 'bench_admin') u`,
    // Exactly BENCH_SCORES in all: each user's share is a difference of rounded cumulative sums.
    `create temp table bench_quota as
       select id, q, greatest(k, ceil(q / 365.0)::int) as k from (
         select id, k, floor(${scores} * sum(w) over (order by n) / sum(w) over ())::int
           - floor(${scores} * coalesce(sum(w) over (order by n rows between unbounded preceding and 1 preceding), 0) / sum(w) over ())::int as q
         from bench_users) x`,
    `do $$ begin
       if (select max(k) from bench_quota) > 49 then
         raise exception 'BENCH_SCORES / BENCH_USERS is too high: a user would score more than 49 items a day';
       end if;
     end $$`,
    `create temp table bench_days as
       select id as user_id, (row_number() over (partition by id order by day) - 1)::int as c, day, floor(random() * 3)::int as off
       from (select q.id, q.q, q.k, current_date - d as day, row_number() over (partition by q.id order by random()) as rk
             from bench_quota q cross join generate_series(1, 365) d) x
       where rk <= ceil(q::numeric / k)`,
    `create temp table bench_items as
       select q.id as user_id, i.area_id, i.dimension_id,
         (row_number() over (partition by q.id order by random() * case when i.dimension_id is null then 1 else 5 end) - 1)::int as r
       from bench_quota q
       cross join (select id as area_id, null::int as dimension_id from app_public.life_areas
                   union all select area_id, id from app_public.area_dimensions) i`,
    `create temp table bench_base as
       select q.id as user_id, a.id as area_id, 1.2 + 3 * random() as base, random() * 6.28 as phase
       from bench_quota q cross join app_public.life_areas a`,
    "analyze bench_quota, bench_days, bench_items, bench_base",
    // Slot i of a user: check-in i / k, item i % k of that check-in.
    `insert into app_public.scores (user_id, area_id, dimension_id, recorded_at, score_date, score)
       select s.id, it.area_id, it.dimension_id,
         (d.day + time '07:00' + random() * interval '15 hours') at time zone 'UTC', d.day,
         least(5, greatest(0, round((b.base + 0.6 * sin((d.day - date '2000-01-01') / 45.0 + b.phase)
           + (random() - 0.5) * 1.6)::numeric, 1)))
       from (select q.id, q.k, i from bench_quota q cross join lateral generate_series(0, q.q - 1) i) s
       join bench_days d on d.user_id = s.id and d.c = s.i / s.k
       join bench_items it on it.user_id = s.id and it.r = (s.i % s.k + d.off) % 49
       join bench_base b on b.user_id = s.id and b.area_id = it.area_id
       order by s.id, d.day`,
    "reset session_replication_role",
    "reset work_mem",
    "reset max_parallel_workers_per_gather",
    "vacuum (analyze) app_public.users, app_public.scores",
  ];
}

interface SeedStats {
  scores: number;
  users: number;
  checkins: number;
  dimensionScores: number;
  userAreaDays: number;
}

async function seedStats(client: pg.Client): Promise<SeedStats> {
  const { rows } = await client.query<SeedStats>(`
    select count(*)::int as scores, count(distinct user_id)::int as users,
      count(distinct (user_id, score_date))::int as checkins, count(dimension_id)::int as "dimensionScores",
      count(distinct (user_id, area_id, score_date))::int as "userAreaDays"
    from app_public.scores`);
  return rows[0]!;
}

/** Per period kind: rows, samples, and an order-independent hash of every column but computed_at. */
interface RollupChecksum {
  rows: number;
  byKind: string;
  digest: string;
  /** Equal for equal rollups: compares runs (the seed is the same for runs on the same day). */
  short: string;
}

async function rollupChecksum(client: pg.ClientBase): Promise<RollupChecksum> {
  const { rows } = await client.query<{ kind: string; n: string; samples: string; hash: string }>(`
    select period_kind::text as kind, count(*) as n, sum(sample_count) as samples,
      bit_xor(hashtextextended((to_jsonb(r) - 'computed_at')::text, 0)) as hash
    from app_public.score_rollups r group by 1 order by 1`);
  const digest = JSON.stringify(rows);
  return {
    rows: rows.reduce((sum, r) => sum + Number(r.n), 0),
    byKind: rows.map((r) => `${fmtInt(Number(r.n))} ${r.kind}`).join(", "),
    digest,
    short: createHash("sha1").update(digest).digest("hex").slice(0, 12),
  };
}

function assertSameRollups(what: string, expected: RollupChecksum, actual: RollupChecksum): void {
  if (expected.digest !== actual.digest) {
    throw new Error(`${what}: rollups differ\n  expected ${expected.digest}\n  actual   ${actual.digest}`);
  }
}

/**
 * The real path: enqueue as an admin, let the real worker run the four jobs
 * until all have succeeded. A failed attempt is retried by the worker (with
 * its backoff, which then counts in the time) and reported; a job that fails
 * for good is an error.
 */
async function fullRecomputeWithWorker(ctx: WorkloadContext, owner: pg.Client): Promise<{ ms: number; failedAttempts: string[] }> {
  const timeoutMs = intEnv("BENCH_TIMEOUT_MS", 300_000);
  const failedAttempts: string[] = [];
  const message = (error: unknown) =>
    error instanceof Error ? `${error.message}${"code" in error ? ` (${String(error.code)})` : ""}` : String(error);
  const worker = await startWorker(ctx.config, ctx.db.ownerUrl, ctx.logger);
  const { events } = worker.runner;
  type JobEvent = { job: { task_identifier: string }; error?: unknown };
  const ours = (event: JobEvent) => event.job.task_identifier === "scores__recompute";
  let onComplete = (_: JobEvent) => {};
  let onError = (_: JobEvent) => {};
  let onFailed = (_: JobEvent) => {};
  try {
    const done = new Promise<void>((resolve, reject) => {
      let remaining = PARTITIONS;
      const timer = setTimeout(() => reject(new Error(`full recompute not done after ${timeoutMs} ms`)), timeoutMs);
      // job:complete comes once the outcome is written back (job:success comes before).
      onComplete = (event) => {
        if (ours(event) && !event.error && --remaining === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      onError = (event) => {
        if (ours(event)) failedAttempts.push(message(event.error));
      };
      onFailed = (event) => {
        if (!ours(event)) return;
        clearTimeout(timer);
        reject(new Error(`scores__recompute failed for good: ${message(event.error)}`));
      };
    });
    events.on("job:complete", onComplete);
    events.on("job:error", onError);
    events.on("job:failed", onFailed);
    const { rows: [admin] } = await owner.query<{ id: string }>(
      "select s.id from app_private.sessions s join app_public.users u on u.id = s.user_id where u.username = 'bench_admin'",
    );
    const start = performance.now();
    await owner.query("select set_config('jwt.claims.session_id', $1, false)", [admin!.id]);
    await owner.query("select app_public.recompute_rollups()");
    await done;
    // The worker emits job:complete before its write that removes the job
    // lands: done is when the jobs are gone.
    for (;;) {
      const { rows: [left] } = await owner.query<{ n: number }>(
        "select count(*)::int as n from graphile_worker.jobs where task_identifier = 'scores__recompute'",
      );
      if (left!.n === 0) break;
      if (performance.now() - start > timeoutMs) throw new Error(`${left!.n} scores__recompute jobs left after the run`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - start;
    await owner.query("select set_config('jwt.claims.session_id', '', false)");
    return { ms, failedAttempts };
  } finally {
    events.off("job:complete", onComplete);
    events.off("job:error", onError);
    events.off("job:failed", onFailed);
    await worker.stop();
  }
}

/** The peer: the four partitions, one after the other, on one connection. */
async function fullRecomputeSequential(owner: pg.Client): Promise<{ ms: number; rows: number }> {
  let rows = 0;
  const start = performance.now();
  for (let part = 0; part < PARTITIONS; part++) {
    const result = await owner.query<{ rows: number }>("select app_private.recompute_rollup_partition($1) as rows", [part]);
    rows += result.rows[0]!.rows;
  }
  return { ms: performance.now() - start, rows };
}

// New scores for the incremental run, in one statement with the triggers on:
// random users and items (seeded: the same each run), 80 % today and 20 %
// backdated 1..30 days, never a second manual score for a (user, item, day).
const INSERT_NEW_SCORES = `
  with u as (select array_agg(id order by username) as ids from app_public.users where username <> 'bench_admin'),
  items as (
    select array_agg(area_id order by area_id, dimension_id nulls first) as a,
      array_agg(dimension_id order by area_id, dimension_id nulls first) as d
    from (select id as area_id, null::int as dimension_id from app_public.life_areas
          union all select area_id, id from app_public.area_dimensions) i
  ), candidates as materialized (
    select u.ids[1 + floor(random() * cardinality(u.ids))::int] as user_id, 1 + floor(random() * cardinality(items.a))::int as item,
      case when random() < 0.8 then current_date else current_date - (1 + floor(random() * 30))::int end as score_date,
      round((random() * 5)::numeric, 1) as score
    from generate_series(1, $1::int * 3), u, items
  ), picked as (
    select distinct on (c.user_id, c.item, c.score_date) c.user_id, items.a[c.item] as area_id, items.d[c.item] as dimension_id,
      c.score_date, c.score
    from candidates c, items
    where not exists (select 1 from app_public.scores s where s.user_id = c.user_id and s.area_id = items.a[c.item]
      and s.dimension_id is not distinct from items.d[c.item] and s.score_date = c.score_date and s.source = 'manual')
  )
  insert into app_public.scores (user_id, area_id, dimension_id, score_date, score)
  select user_id, area_id, dimension_id, score_date, score from picked limit $1`;

export const rollups: Workload = {
  name: "rollups",
  description: "score rollups: full recompute (worker, 4 partition jobs) and incremental refresh",
  async run(ctx) {
    const users = intEnv("BENCH_USERS", 1_000);
    const scores = intEnv("BENCH_SCORES", 1_000_000);
    const newScores = intEnv("BENCH_NEW_SCORES", 1_000);
    const runs = intEnv("BENCH_INCREMENTAL_RUNS", 5);
    const rows: BenchRow[] = [];

    const root = new pg.Client({ connectionString: ctx.db.rootUrl });
    const owner = new pg.Client({ connectionString: ctx.db.ownerUrl });
    await root.connect();
    await owner.connect();
    try {
      // Seed.
      ctx.progress(`seeding ${fmtInt(scores)} scores over ${fmtInt(users)} users…`);
      let start = performance.now();
      for (const sql of seedStatements(users, scores)) await root.query(sql);
      const seedMs = performance.now() - start;
      const stats = await seedStats(root);
      if (stats.scores !== scores) throw new Error(`seeded ${stats.scores} scores, expected ${scores}`);
      const shape =
        `${fmtInt(stats.scores)} scores, ${fmtInt(stats.users)} users; ` +
        `${(stats.checkins / stats.users).toFixed(0)} check-in days/user in 365, ` +
        `${(stats.scores / stats.checkins).toFixed(1)} scores/check-in, ` +
        `${((100 * stats.dimensionScores) / stats.scores).toFixed(0)} % per dimension, ` +
        `${fmtInt(stats.userAreaDays)} user-area-days`;
      ctx.progress(`seeded: ${shape}`);
      rows.push({ measure: "seed (insert … select, triggers off, + vacuum analyze)", value: `${fmtMs(seedMs)} (${fmtRate(scores, seedMs)})` });
      rows.push({ measure: "  data", value: shape });

      // Full recompute: the real path, then the peer.
      // Each full recompute starts after a checkpoint: neither pays for
      // flushing what the step before it wrote.
      const checkpoint = () => withClient(ctx.db.rootUrl, (c) => c.query("checkpoint"));
      ctx.progress(`full recompute through the worker (concurrency ${ctx.config.WORKER_CONCURRENCY})…`);
      await checkpoint();
      const { ms: workerMs, failedAttempts } = await fullRecomputeWithWorker(ctx, owner);
      for (const error of failedAttempts) ctx.progress(`  WARNING: a scores__recompute attempt failed and was retried: ${error}`);
      const afterWorker = await rollupChecksum(owner);
      ctx.progress(`  ${fmtMs(workerMs)}, ${fmtInt(afterWorker.rows)} rollups`);
      ctx.progress("full recompute, partitions one after the other on one connection…");
      await checkpoint();
      const sequential = await fullRecomputeSequential(owner);
      ctx.progress(`  ${fmtMs(sequential.ms)}, ${fmtInt(sequential.rows)} rollups`);
      assertSameRollups("full recompute: worker vs one statement", afterWorker, await rollupChecksum(owner));
      if (sequential.rows !== afterWorker.rows) throw new Error(`rollup rows: ${sequential.rows} written, ${afterWorker.rows} present`);
      const rollupRows = sequential.rows;
      rows.push({
        measure: `full recompute: lifegraph (${PARTITIONS} jobs, worker concurrency ${ctx.config.WORKER_CONCURRENCY})`,
        value: fmtMs(workerMs),
        target: fmtTarget(workerMs, TARGET_FULL_MS),
        ratio: fmtRatio(workerMs / sequential.ms, "one statement"),
      });
      rows.push({
        measure: "  throughput",
        value: `${fmtRate(scores, workerMs)} scores, ${fmtRate(rollupRows, workerMs)} rollups`,
      });
      if (failedAttempts.length) {
        rows.push({
          measure: "  WARNING: failed attempts (retried; the backoff counts)",
          value: [...new Set(failedAttempts)].map((e) => `${failedAttempts.filter((f) => f === e).length} × ${e}`).join("; "),
        });
      }
      rows.push({
        measure: `full recompute: one statement (${PARTITIONS} partitions in turn, 1 connection)`,
        value: fmtMs(sequential.ms),
        ratio: "1.00× (peer)",
      });
      rows.push({
        measure: "  throughput",
        value: `${fmtRate(scores, sequential.ms)} scores, ${fmtRate(rollupRows, sequential.ms)} rollups`,
      });
      rows.push({ measure: "  rollup rows written", value: `${fmtInt(rollupRows)} (${afterWorker.byKind}), digest ${afterWorker.short}` });

      // Incremental.
      const times: number[] = [];
      const refreshed: number[] = [];
      const targets: number[] = [];
      const insertTimes: number[] = [];
      for (let run = 1; run <= runs; run++) {
        await owner.query("select setseed($1)", [run / (runs + 1)]);
        start = performance.now();
        const inserted = await owner.query(INSERT_NEW_SCORES, [newScores]);
        insertTimes.push(performance.now() - start);
        if (inserted.rowCount !== newScores) throw new Error(`inserted ${inserted.rowCount} new scores, expected ${newScores}`);
        const { rows: [queued] } = await owner.query<{ n: number }>("select count(*)::int as n from app_private.rollup_queue");
        targets.push(queued!.n);
        start = performance.now();
        const { rows: [refresh] } = await owner.query<{ rows: number }>("select app_private.refresh_queued_rollups() as rows");
        times.push(performance.now() - start);
        refreshed.push(refresh!.rows);
        // The worker is stopped; drop the job the triggers added, as its run would be this refresh.
        await owner.query("select graphile_worker.remove_job('scores__rollup')");
        ctx.progress(`incremental ${run}/${runs}: ${queued!.n} (user, area) queued, ${refresh!.rows} rollups in ${fmtMs(times.at(-1)!)}`);
      }
      const incrementalMs = median(times);

      // Correctness, and the peer of the incremental refresh: a full recompute
      // (one statement) of the same data must give the same rollups.
      const afterIncremental = await rollupChecksum(owner);
      await checkpoint();
      const full = await fullRecomputeSequential(owner);
      assertSameRollups("incremental refresh vs full recompute", await rollupChecksum(owner), afterIncremental);
      rows.push({
        measure: `incremental refresh after ${fmtInt(newScores)} new scores (median of ${runs})`,
        value: `${fmtMs(incrementalMs)} (min ${fmtMs(Math.min(...times))}, max ${fmtMs(Math.max(...times))})`,
        target: fmtTarget(incrementalMs, TARGET_INCREMENTAL_MS),
        ratio: fmtRatio(incrementalMs / full.ms, "full recompute"),
      });
      rows.push({
        measure: "  per run",
        value: `${fmtInt(median(targets))} (user, area) queued, ${fmtInt(median(refreshed))} rollups rewritten, ${fmtRate(median(refreshed), incrementalMs)} rollups`,
      });
      rows.push({ measure: `  insert of ${fmtInt(newScores)} scores (statement triggers on)`, value: `${fmtMs(median(insertTimes))} (median)` });
      rows.push({ measure: "full recompute: one statement, after the incremental runs", value: fmtMs(full.ms), ratio: "1.00× (peer)" });
      rows.push({
        measure: "check: incremental rollups = full recompute",
        value: `ok (${fmtInt(afterIncremental.rows)} rollups, digest ${afterIncremental.short})`,
      });
      return rows;
    } finally {
      await owner.end();
      await root.end();
    }
  },
};

// Dead workers are recovered in seconds, not graphile-worker's 4 hours.
//
// graphile-worker 0.18 has no registry of live workers: a job stays locked by
// a worker that was `kill -9`'d until its lock is 4 hours old. So every worker
// process keeps a row per graphile-worker id it has (the pool's id, which
// locks the jobs fetched in batches, and each worker's) in
// app_private.worker_heartbeats, beaten every WORKER_HEARTBEAT_SECONDS; and
// every worker process sweeps, every two beats, for ids silent longer than
// WORKER_DEAD_AFTER_SECONDS: it deletes their rows and calls
// graphile_worker.force_unlock_workers(ids), which puts their jobs (and job
// queues) back for any worker to take. Sweepers in several processes may find
// the same dead ids: the unlock is idempotent.
//
// A worker whose event loop stalls longer than WORKER_DEAD_AFTER_SECONDS
// counts as dead and its job may then run a second time: keep that well
// above the longest synchronous stretch of any task.
import { hostname } from "node:os";
import type { WorkerEvents } from "graphile-worker";
import type pg from "pg";
import type { Logger } from "pino";

export interface HeartbeatOptions {
  beatSeconds: number;
  deadAfterSeconds: number;
}

export interface Heartbeat {
  /** Ids this process beats for. */
  readonly ids: ReadonlySet<string>;
  /** One beat now (also runs on its own timer). */
  beat(): Promise<void>;
  /** One sweep now: unlocks the jobs of dead workers, returns their ids. */
  sweep(): Promise<string[]>;
  /** Stops beating and sweeping and removes this process's rows (an orderly stop is not a death). */
  stop(): Promise<void>;
}

const BEAT = `insert into app_private.worker_heartbeats (worker_id, process)
  select unnest($1::text[]), $2
  on conflict (worker_id) do update set beat_at = now(), process = excluded.process`;

// Rows silent too long go; their ids' jobs and queues are unlocked in the same statement.
const SWEEP = `with dead as (
    delete from app_private.worker_heartbeats
    where beat_at < now() - make_interval(secs => $1)
    returning worker_id
  ), ids as (select array_agg(worker_id) as ids from dead)
  select ids, graphile_worker.force_unlock_workers(ids) from ids where ids is not null`;

export function startHeartbeat(pool: pg.Pool, events: WorkerEvents, logger: Logger, options: HeartbeatOptions): Heartbeat {
  const log = logger.child({ component: "worker" });
  if (options.deadAfterSeconds < 3 * options.beatSeconds) {
    log.warn(`WORKER_DEAD_AFTER_SECONDS (${options.deadAfterSeconds}) is under three heartbeats (${options.beatSeconds} s each): live workers may be taken for dead`);
  }
  const process_ = `${hostname()}:${process.pid}`;
  const ids = new Set<string>();
  let stopped = false;
  let warned = false;
  let beating: Promise<void> | null = null;
  let sweeping: Promise<string[]> | null = null;

  const failed = (what: string) => (error: unknown) => {
    // A missing table (a database not yet migrated) or a lost connection:
    // say it once per run of failures, keep the worker running.
    if (!warned) log.warn({ err: error }, `worker ${what} failed`);
    warned = true;
  };

  const beat = () => {
    if (stopped || ids.size === 0) return Promise.resolve();
    beating ??= pool
      .query(BEAT, [[...ids], process_])
      .then(() => void (warned = false), failed("heartbeat"))
      .finally(() => (beating = null));
    return beating;
  };

  const sweep = () => {
    if (stopped) return Promise.resolve([]);
    sweeping ??= pool
      .query<{ ids: string[] }>(SWEEP, [options.deadAfterSeconds])
      .then(({ rows }) => {
        const dead = rows[0]?.ids ?? [];
        if (dead.length) log.warn({ workerIds: dead }, `unlocked the jobs of ${dead.length} worker id(s) silent for over ${options.deadAfterSeconds} s`);
        return dead;
      })
      .catch((error: unknown) => {
        failed("sweep")(error);
        return [] as string[];
      })
      .finally(() => (sweeping = null));
    return sweeping;
  };

  // The pool's id locks the jobs it fetches in batches (local queue), each
  // worker's id the jobs it fetches itself: beat for both, at once.
  events.on("pool:create", ({ workerPool }) => {
    ids.add(workerPool.id);
    void beat();
  });
  events.on("worker:create", ({ worker }) => {
    ids.add(worker.workerId);
    void beat();
  });

  const beatTimer = setInterval(() => void beat(), options.beatSeconds * 1000);
  const sweepTimer = setInterval(() => void sweep(), options.beatSeconds * 2000);
  beatTimer.unref();
  sweepTimer.unref();

  return {
    ids,
    beat,
    sweep,
    async stop() {
      stopped = true;
      clearInterval(beatTimer);
      clearInterval(sweepTimer);
      await Promise.allSettled([beating, sweeping]);
      if (ids.size) await pool.query("delete from app_private.worker_heartbeats where worker_id = any($1::text[])", [[...ids]]).catch(failed("heartbeat removal"));
    },
  };
}

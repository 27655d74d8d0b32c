// graphile-worker, connected as the owner (never the authenticator): tasks
// from worker-tasks/, schedules from worker-tasks/crontab.
import { EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import { Logger as WorkerLogger, parseCrontab, run, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { makePool } from "../db/pools.js";
import { makeTaskList } from "../../worker-tasks/index.js";
import { startHeartbeat, type Heartbeat } from "./heartbeat.js";
import type { Metrics } from "../http/metrics.js";

export interface Worker {
  runner: Runner;
  heartbeat: Heartbeat;
  stop(): Promise<void>;
}

export async function loadCrontab() {
  return parseCrontab(await readFile(fromRoot("worker-tasks", "crontab"), "utf8"));
}

/**
 * graphile-worker's log lines, as ours: its scope (worker, task, job id) and
 * meta become fields, but never the whole job record (payload included) that
 * it attaches to every completion and failure, and a failure's stack goes to
 * `err` instead of the message.
 */
export function workerLogger(logger: Logger): WorkerLogger {
  const log = logger.child({ component: "worker" });
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method = level === "warning" ? "warn" : level === "error" ? "error" : level === "debug" ? "debug" : "info";
    const { job, error, ...rest } = (meta ?? {}) as { job?: { id?: string; attempts?: number; max_attempts?: number }; error?: unknown } & Record<string, unknown>;
    const fields: Record<string, unknown> = { ...scope, ...rest };
    // A completion or failure names its job, as the task's own lines (scoped by graphile-worker) do.
    if (job) Object.assign(fields, { jobId: job.id, attempts: job.attempts, maxAttempts: job.max_attempts });
    if (error !== undefined) fields.err = error;
    log[method](fields, error !== undefined ? message.split("\n")[0]!.replace(/:$/, "") : message);
  });
}

export interface WorkerOptions {
  /** Tasks to run instead of worker-tasks/ (tests); no crontab then. */
  taskList?: TaskList;
  /** The process's metrics: the worker's jobs, pool and queue join them. */
  metrics?: Metrics;
}

export async function startWorker(config: Config, ownerUrl: string, logger: Logger, options: WorkerOptions = {}): Promise<Worker> {
  // Asynchronous commit: a crash may lose the last fraction of a second of
  // finished jobs, which then run again. Every task is idempotent (deliveries
  // are keyed, rollups and reviews are recomputed), and jobs no longer wait
  // for a WAL flush each.
  const pgPool = makePool(ownerUrl, logger, config.WORKER_CONCURRENCY + 2, "-c synchronous_commit=off");
  // Heartbeats and the sweep for dead workers (see heartbeat.ts); they need
  // the ids graphile-worker gives its pool and workers, which its events tell.
  const events: WorkerEvents = new EventEmitter();
  const heartbeat = startHeartbeat(pgPool, events, logger, {
    beatSeconds: config.WORKER_HEARTBEAT_SECONDS,
    deadAfterSeconds: config.WORKER_DEAD_AFTER_SECONDS,
  });
  options.metrics?.observeWorker(events, pgPool);
  const crontab = options.taskList ? [] : await loadCrontab();
  const runner = await run({
    pgPool,
    events,
    concurrency: config.WORKER_CONCURRENCY,
    // We handle signals ourselves and stop the worker as part of shutdown.
    noHandleSignals: true,
    taskList: options.taskList ?? makeTaskList(config),
    // Many small jobs (one per notification delivery): fetch them in batches
    // and write completions back in batches, instead of two round trips each.
    preset: {
      worker: {
        localQueue: { size: config.WORKER_CONCURRENCY * 10 },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
    parsedCronItems: crontab,
    logger: workerLogger(logger),
  }).catch(async (error: unknown) => {
    await heartbeat.stop();
    throw error;
  });
  // A worker starting after a crash unlocks what the dead one held at once
  // (graphile-worker's schema exists now).
  void heartbeat.sweep();
  return {
    runner,
    heartbeat,
    async stop() {
      await runner.stop();
      await heartbeat.stop();
      await pgPool.end();
    },
  };
}

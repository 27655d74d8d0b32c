// graphile-worker, connected as the owner (never the authenticator): tasks
// from worker-tasks/, schedules from worker-tasks/crontab.
import { readFile } from "node:fs/promises";
import { Logger as WorkerLogger, parseCrontab, run, type Runner } from "graphile-worker";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { makePool } from "../db/pools.js";
import { makeTaskList } from "../../worker-tasks/index.js";

export interface Worker {
  runner: Runner;
  stop(): Promise<void>;
}

export async function loadCrontab() {
  return parseCrontab(await readFile(fromRoot("worker-tasks", "crontab"), "utf8"));
}

function workerLogger(logger: Logger): WorkerLogger {
  const log = logger.child({ component: "worker" });
  return new WorkerLogger((scope) => (level, message, meta) => {
    const method = level === "warning" ? "warn" : level === "error" ? "error" : level === "debug" ? "debug" : "info";
    log[method]({ ...scope, ...meta }, message);
  });
}

export async function startWorker(config: Config, ownerUrl: string, logger: Logger): Promise<Worker> {
  // Asynchronous commit: a crash may lose the last fraction of a second of
  // finished jobs, which then run again. Every task is idempotent (deliveries
  // are keyed, rollups and reviews are recomputed), and jobs no longer wait
  // for a WAL flush each.
  const pgPool = makePool(ownerUrl, logger, config.WORKER_CONCURRENCY + 2, "-c synchronous_commit=off");
  const runner = await run({
    pgPool,
    concurrency: config.WORKER_CONCURRENCY,
    // We handle signals ourselves and stop the worker as part of shutdown.
    noHandleSignals: true,
    taskList: makeTaskList(config),
    // Many small jobs (one per notification delivery): fetch them in batches
    // and write completions back in batches, instead of two round trips each.
    preset: {
      worker: {
        localQueue: { size: config.WORKER_CONCURRENCY * 10 },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
    parsedCronItems: await loadCrontab(),
    logger: workerLogger(logger),
  });
  return {
    runner,
    async stop() {
      await runner.stop();
      await pgPool.end();
    },
  };
}

// Running graphile-worker jobs in a test: the real task list, run once,
// without waiting for the debounce delays the database puts on jobs.
import { Logger, runOnce } from "graphile-worker";
import { makeTaskList } from "../../worker-tasks/index.js";
import type { TestDatabase } from "./db.js";

const quiet = new Logger(() => () => {});

export interface QueuedJob {
  task_identifier: string;
  key: string | null;
  payload: Record<string, unknown>;
  run_at: Date;
  attempts: number;
}

export async function queuedJobs(db: TestDatabase, task?: string): Promise<QueuedJob[]> {
  const { rows } = await db.root.query<QueuedJob>(
    `select t.identifier as task_identifier, j.key, j.payload, j.run_at, j.attempts
     from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
     where $1::text is null or t.identifier = $1 order by j.id`,
    [task ?? null],
  );
  return rows;
}

/** Makes every queued job due now, then runs the worker until the queue is empty. */
export async function runQueuedJobs(db: TestDatabase, config = db.config): Promise<void> {
  await db.root.query("update graphile_worker._private_jobs set run_at = now() where run_at > now()");
  await runOnce({ connectionString: db.urls.owner, taskList: makeTaskList(config), logger: quiet });
  // runOnce can resolve before a failed job's row is written back (unlocked,
  // with a batch job's replacement payload): wait for that, briefly.
  for (let i = 0; i < 100; i++) {
    const { rows } = await db.root.query("select count(*)::int as n from graphile_worker._private_jobs where locked_at is not null");
    if (rows[0].n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function clearJobs(db: TestDatabase): Promise<void> {
  await db.root.query("delete from graphile_worker._private_jobs");
}

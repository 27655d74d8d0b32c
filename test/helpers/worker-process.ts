// A worker process for tests (run with tsx): the real runner, heartbeats and
// sweeper included, with one test task that records each run in
// public.worker_test_runs. With WORKER_TEST_BLOCK=1 every run blocks after
// recording its start, as a job does that is in the middle of its work when
// the process is killed.
import type { Task } from "graphile-worker";
import { loadConfig } from "../../src/config.js";
import { makeLogger } from "../../src/log.js";
import { startWorker } from "../../src/worker/runner.js";

const config = loadConfig();
const logger = makeLogger(config);
const block = process.env.WORKER_TEST_BLOCK === "1";

const record: Task = async (_payload, helpers) => {
  const run = (phase: string) =>
    helpers.withPgClient((client) =>
      client.query("insert into public.worker_test_runs (job_id, pid, phase) values ($1, $2, $3)", [helpers.job.id, process.pid, phase]),
    );
  await run("started");
  if (block) await new Promise(() => {});
  await run("completed");
};

const worker = await startWorker(config, config.DATABASE_URL!, logger, { taskList: { platform__test_record: record } });
process.stdout.write(`worker ready ${[...worker.heartbeat.ids].join(",")}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void worker.stop().then(() => process.exit(0)));
}

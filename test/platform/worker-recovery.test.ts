// Dead workers are recovered in seconds: a worker process `kill -9`'d in the
// middle of its jobs leaves them locked (graphile-worker alone would wait 4
// hours); another worker process sees its heartbeat stop, unlocks them and
// runs each to completion exactly once. Nothing is lost, including the jobs
// the dead process had fetched into its local queue but not started.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";

const JOBS = 6;
const handle = useTestDatabase();
const children: ChildProcess[] = [];

function startWorkerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; ids: string[]; output: () => string }> {
  // Node itself with tsx's loader (not the tsx CLI, which would run it in a
  // child of its own): the pid we kill is the worker's.
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/worker-process.ts"], {
    cwd: fromRoot(),
    env: {
      ...process.env,
      DATABASE_URL: handle.db.urls.owner,
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      WORKER_CONCURRENCY: "2",
      WORKER_HEARTBEAT_SECONDS: "1",
      WORKER_DEAD_AFTER_SECONDS: "3",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /worker ready (\S+)/.exec(output);
      if (match) resolve({ child, ids: match[1]!.split(","), output: () => output });
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const runs = async () =>
  (await handle.db.root.query<{ job_id: string; pid: number; phase: string }>("select job_id, pid, phase from public.worker_test_runs order by id")).rows;

beforeAll(async () => {
  await handle.db.root.query(`create table public.worker_test_runs (
    id bigint generated always as identity primary key, job_id bigint not null, pid int not null, phase text not null)`);
  await handle.db.root.query(`grant insert, select on public.worker_test_runs to "${handle.db.config.DATABASE_OWNER}"`);
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

describe("worker heartbeats", () => {
  it("a kill -9'd worker's jobs are unlocked and run to completion once by another worker", async () => {
    for (let i = 0; i < JOBS; i++) {
      await handle.db.root.query("select graphile_worker.add_job('platform__test_record', json_build_object('n', $1::int))", [i]);
    }
    const doomed = await startWorkerProcess({ WORKER_TEST_BLOCK: "1" });
    // It beats for its pool and its workers.
    const beating = await waitFor("heartbeats", async () => {
      const { rows } = await handle.db.root.query<{ worker_id: string }>("select worker_id from app_private.worker_heartbeats");
      return rows.length >= doomed.ids.length ? rows.map((r) => r.worker_id) : null;
    });
    expect(new Set(beating)).toEqual(new Set(doomed.ids));
    // Two jobs in the middle of their run, every job locked by it (the rest in its local queue).
    await waitFor("two started runs", async () => (await runs()).length === 2);
    const locked = await handle.db.root.query<{ locked_by: string }>("select locked_by from graphile_worker._private_jobs where locked_by is not null");
    expect(locked.rows).toHaveLength(JOBS);
    expect(locked.rows.every((r) => doomed.ids.includes(r.locked_by))).toBe(true);

    const exited = new Promise((resolve) => doomed.child.once("exit", resolve));
    doomed.child.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();

    const rescuer = await startWorkerProcess({});
    await waitFor("every job completed", async () => {
      const { rows } = await handle.db.root.query<{ n: number }>("select count(*)::int as n from graphile_worker._private_jobs");
      return rows[0]!.n === 0;
    });
    const recoveredAfterMs = Date.now() - killedAt;
    // Recorded, not asserted tightly: the closing note asks for it.
    console.log(`kill -9 → all ${JOBS} jobs completed by another worker in ${recoveredAfterMs} ms (heartbeat 1 s, dead after 3 s)`);
    expect(recoveredAfterMs).toBeLessThan(60_000);

    const all = await runs();
    const completed = all.filter((r) => r.phase === "completed");
    // Every job completed exactly once, by the rescuer; the two the dead
    // worker had started were started again (at-least-once start, exactly-once completion).
    expect(completed).toHaveLength(JOBS);
    expect(new Set(completed.map((r) => r.job_id)).size).toBe(JOBS);
    expect(completed.every((r) => r.pid === rescuer.child.pid)).toBe(true);
    expect(all.filter((r) => r.phase === "started" && r.pid === doomed.child.pid)).toHaveLength(2);
    // The dead worker's rows are gone; the rescuer's remain while it runs, and go when it stops.
    const { rows: left } = await handle.db.root.query<{ worker_id: string }>("select worker_id from app_private.worker_heartbeats");
    expect(left.map((r) => r.worker_id).some((id) => doomed.ids.includes(id))).toBe(false);
    expect(rescuer.output()).toMatch(/unlocked the jobs of \d+ worker id\(s\)/);

    const stopped = new Promise<number | null>((resolve) => rescuer.child.once("exit", resolve));
    rescuer.child.kill("SIGTERM");
    expect(await stopped).toBe(0);
    expect((await handle.db.root.query("select 1 from app_private.worker_heartbeats")).rowCount).toBe(0);
  });
});

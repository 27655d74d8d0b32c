// Scale-out on one machine: two gateway processes (`src/start.ts gateway`)
// whose GraphQL pool goes through a PgBouncer in transaction mode, and
// worker processes (the real runner, heartbeats and sweeper), all on one
// database. Requests succeed through either gateway, a subscription on one
// receives what is written through the other, rate limits are shared, every
// job runs once, and a kill -9'd worker's jobs are finished by the others.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";
import { errorCodes, graphql, signUp, type Account } from "../helpers/gateway.js";
import { befriend, sleep } from "../helpers/peers.js";
import { startPgBouncer, type PgBouncer } from "../helpers/pgbouncer.js";
import { live, MESSAGE_SUBSCRIPTION, untilLive, type LiveClient } from "../helpers/realtime.js";
import { gqlOk, SEND_MESSAGE } from "../helpers/social.js";
import { databaseName } from "../../src/db/urls.js";

const PER_USER_LIMIT = 60;
const SYNC_MS = 100;
const SERVER_POOL = 3;
const handle = useTestDatabase();
const children: ChildProcess[] = [];
const clients: LiveClient[] = [];
let bouncer: PgBouncer;
let gateways: string[] = [];

/** A lifegraph process (`src/start.ts <mode>`, or a test entry point) and what it printed; resolves when `ready` matches. */
function spawnProcess(script: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
  // Node itself with tsx's loader (not the tsx CLI, a child of its own): the pid is the process's.
  const child = spawn(process.execPath, ["--import", "tsx", ...script], {
    cwd: fromRoot(),
    env: { PATH: process.env.PATH!, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script.join(" ")} did not start:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => output });
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`${script.join(" ")} exited with ${code}:\n${output}`)));
  });
}

function startGatewayProcess(): Promise<string> {
  const { config, urls } = handle.db;
  return spawnProcess(["src/start.ts", "gateway"], {
    LOG_LEVEL: "info",
    PORT: "0",
    DATABASE_URL: urls.owner,
    // GraphQL through the pooler (as the authenticator); everything else direct.
    DATABASE_POOLER_URL: bouncer.url("pooled", databaseName(urls.owner)),
    // PgBouncer 1.18 (Debian 12) cannot keep a named prepared statement on
    // the server connection it was prepared on: with a pooler set,
    // src/start.ts turns PostGraphile's off by default (this test relies on it).
    JWT_SECRET: config.JWT_SECRET!,
    RATE_LIMIT_GRAPHQL_PER_USER: String(PER_USER_LIMIT),
    RATE_LIMIT_SYNC_MS: String(SYNC_MS),
    GRAPHQL_MAX_IN_FLIGHT: "50",
  }, /gateway listening on (http:\/\/[^"\s]+)/).then(({ match }) => match[1]!);
}

function startWorkerProcess(env: Record<string, string> = {}) {
  return spawnProcess(["test/helpers/worker-process.ts"], {
    DATABASE_URL: handle.db.urls.owner,
    LOG_LEVEL: "warn",
    WORKER_CONCURRENCY: "2",
    WORKER_HEARTBEAT_SECONDS: "1",
    WORKER_DEAD_AFTER_SECONDS: "3",
    ...env,
  }, /worker ready (\S+)/).then(({ child, match, output }) => ({ child, ids: match[1]!.split(","), output }));
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      // What the queue looked like, for the failure message.
      const jobs = await root(`select task_identifier, locked_by, attempts, left(last_error, 200) as last_error, run_at > now() as later, count(*)::int as n
        from graphile_worker.jobs group by 1, 2, 3, 4, 5`);
      throw new Error(`timed out waiting for ${what}; jobs left: ${JSON.stringify(jobs)}`);
    }
    await sleep(100);
  }
}

// The test task's jobs still queued (signing up through the gateways queues other tasks' jobs, which these workers do not run).
const OUR_JOBS = "select 1 from graphile_worker.jobs where task_identifier = 'platform__test_record'";
const root = <T = any>(text: string, values: unknown[] = []) => handle.db.root.query(text, values).then((r) => r.rows as T[]);

beforeAll(async () => {
  const { config } = handle.db;
  bouncer = await startPgBouncer({ host: "127.0.0.1", port: 5432 }, [config.DATABASE_AUTHENTICATOR, config.DATABASE_OWNER, "postgres"], SERVER_POOL);
  await root(`create table public.worker_test_runs (
    id bigint generated always as identity primary key, job_id bigint not null, pid int not null, phase text not null)`);
  await root(`grant insert, select on public.worker_test_runs to "${config.DATABASE_OWNER}"`);
  gateways = await Promise.all([startGatewayProcess(), startGatewayProcess()]);
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.client.dispose()));
  await Promise.all(children.map((child) => {
    if (child.exitCode !== null || child.signalCode !== null) return null;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    return exited;
  }));
  await bouncer?.stop();
});

describe("two gateways through PgBouncer (transaction mode)", () => {
  let ann: Account, bob: Account;

  it("answer requests through either gateway, on a few shared server connections", async () => {
    ann = await signUp(gateways[0]!, "so_ann");
    bob = await signUp(gateways[1]!, "so_bob");
    for (const [i, url] of gateways.entries()) {
      const me = await graphql(url, "{ currentUser { username } }", {}, i ? bob.token : ann.token);
      expect(me.data.currentUser.username).toBe(i ? "so_bob" : "so_ann");
    }
    // 40 requests at once, half through each gateway (each pools up to 10 clients).
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      graphql(gateways[i % 2]!, "{ currentUser { rowId } users(first: 5) { totalCount } }", {}, ann.token)));
    expect(burst.every((r) => r.status === 200 && !r.errors && r.data.currentUser.rowId === ann.id)).toBe(true);
    // The authenticator reaches Postgres only through the pooler: at most its server pool.
    const [count] = await root<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and usename = $1", [handle.db.config.DATABASE_AUTHENTICATOR]);
    expect(count!.n).toBeGreaterThan(0);
    expect(count!.n).toBeLessThanOrEqual(SERVER_POOL);
  });

  it("deliver on one gateway's subscription what was written through the other", async () => {
    await befriend(handle.db, ann.id, bob.id);
    const client = live(gateways[0]!, bob.token);
    clients.push(client);
    const messages = client.subscribe(MESSAGE_SUBSCRIPTION);
    await untilLive(messages, () => gqlOk(gateways[0]!, SEND_MESSAGE, { to: bob.id, body: "warm-up" }, ann.token));
    const sent = await gqlOk(gateways[1]!, SEND_MESSAGE, { to: bob.id, body: "through the second gateway" }, ann.token);
    const items = await messages.until((u) => u.message?.bodyMd === "through the second gateway", 10_000);
    expect(items.at(-1)).toMatchObject({ kind: "MESSAGE", message: { id: sent.sendMessage.result.rowId, bodyMd: "through the second gateway" } });
  });

  it("share one rate limit", async () => {
    const carl = await signUp(gateways[0]!, "so_carl");
    const key = `graphql_user:${createHash("sha256").update(carl.id).digest("base64url").slice(0, 32)}`;
    const spent = () => root<{ points: number }>("select points from app_private.rate_limits where key = $1", [key]).then((r) => r[0]?.points ?? 0);
    const ask = (i: number) => graphql(gateways[i]!, "{ currentUser { rowId } }", {}, carl.token);
    const half = PER_USER_LIMIT / 2;
    for (let i = 0; i < half; i++) expect((await ask(0)).status).toBe(200);
    // Shared within one sync interval: the second gateway meets carl and reads what the first admitted.
    await waitFor("the first gateway's count in the database", async () => (await spent()) === half, 10_000);
    let admitted = 0;
    let refused: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i < half + 5 && !refused; i++) {
      const answer = await ask(1);
      if (answer.status === 200) admitted++;
      else refused = answer;
    }
    // What was left, and at most a request or two admitted blind before the second gateway's first sync returned.
    expect(admitted).toBeGreaterThanOrEqual(half);
    expect(admitted).toBeLessThanOrEqual(half + 2);
    expect([refused?.status, errorCodes(refused!)]).toEqual([429, ["RATEL"]]);
    // The first gateway reads back a key near its limit every interval, its client quiet: refused there too.
    await waitFor("the second gateway's count in the database", async () => (await spent()) === half + admitted, 10_000);
    await sleep(3 * SYNC_MS);
    const other = await ask(0);
    expect([other.status, errorCodes(other)]).toEqual([429, ["RATEL"]]);
  });
});

describe("workers on one database", () => {
  it("run every job once, and finish the jobs of a kill -9'd worker", async () => {
    const runs = () => root<{ job_id: string; pid: number; phase: string }>("select job_id::text, pid, phase from public.worker_test_runs order by id");
    const enqueue = (n: number, batch: string) =>
      root<{ id: string }>("select (graphile_worker.add_job('platform__test_record', json_build_object('batch', $2::text, 'n', i))).id::text from generate_series(1, $1) i", [n, batch]);

    // A worker that starts every job and finishes none, alone at first: it locks these six.
    const doomed = await startWorkerProcess({ WORKER_TEST_BLOCK: "1" });
    const doomedJobs = await enqueue(6, "doomed");
    await waitFor("the doomed worker to lock its jobs", async () =>
      (await root(`${OUR_JOBS} and locked_by = any ($1)`, [doomed.ids])).length === 6 &&
      (await runs()).length === 2);

    // Two healthy workers, and 200 jobs for everyone.
    const [one, two] = await Promise.all([startWorkerProcess(), startWorkerProcess()]);
    const jobs = await enqueue(200, "healthy");
    // Done, but for what the doomed worker may have locked of them.
    await waitFor("the healthy jobs", async () =>
      (await root(`${OUR_JOBS} and (locked_by is null or not (locked_by = any ($1)))`, [doomed.ids])).length === 0)
      .catch((error: Error) => {
        throw new Error(`${error.message}\nworker 1: ${one.output()}\nworker 2: ${two.output()}`);
      });

    const exited = new Promise((resolve) => doomed.child.once("exit", resolve));
    doomed.child.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();
    await waitFor("every job", async () => (await root(OUR_JOBS)).length === 0);
    const recoveredMs = Date.now() - killedAt;
    console.log(`scale-out: kill -9 of one of 3 workers → its jobs done by the others in ${recoveredMs} ms (heartbeat 1 s, dead after 3 s)`);

    const all = await runs();
    const completed = all.filter((r) => r.phase === "completed");
    const ids = [...doomedJobs, ...jobs].map((j) => j.id);
    // Each of the 206 jobs completed exactly once, never by the dead worker.
    expect(completed.map((r) => r.job_id).sort()).toEqual(ids.sort());
    expect(completed.some((r) => r.pid === doomed.child.pid)).toBe(false);
    const byPid = new Map<number, number>();
    for (const r of completed) byPid.set(r.pid, (byPid.get(r.pid) ?? 0) + 1);
    console.log(`scale-out: completions per healthy worker ${[...byPid.values()].join(" / ")}`);
    expect([...byPid.keys()].sort()).toEqual([one.child.pid, two.child.pid].sort());
    // What the dead worker had started was started again elsewhere (at-least-once start).
    const startedByDoomed = all.filter((r) => r.phase === "started" && r.pid === doomed.child.pid).map((r) => r.job_id);
    expect(startedByDoomed).toHaveLength(2);
    for (const id of startedByDoomed) expect(all.filter((r) => r.job_id === id && r.phase === "started")).toHaveLength(2);
    expect(one.output() + two.output()).toMatch(/unlocked the jobs of \d+ worker id\(s\)/);
  }, 120_000);
});

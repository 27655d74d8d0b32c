// /metrics: who may scrape it, and what a scrape says after real traffic —
// GraphQL requests by operation, error codes, pools, live subscriptions,
// jobs run by a real worker, rate-limit refusals, and the cap on operation
// names. One gateway and one worker share one Metrics, as `npm start` runs them.
import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { WorkerEvents } from "graphile-worker";
import pg from "pg";
import pino from "pino";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { Metrics, OTHER } from "../../src/http/metrics.js";
import { startWorker, type Worker } from "../../src/worker/runner.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { graphql, signUp, startTestGateway } from "../helpers/gateway.js";
import { sleep } from "../helpers/peers.js";
import { NOTIFICATION_SUBSCRIPTION, live, subscribed } from "../helpers/realtime.js";

const TOKEN = "metrics-token-for-tests-0123456789";
const MAX_OPERATIONS = 5;
const PER_USER = 5;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

let db: TestDatabase;
let gateway: Gateway;
let worker: Worker;
const metrics = new Metrics({ maxOperations: MAX_OPERATIONS, queueCacheMs: 0 });
const logLines: Array<Record<string, unknown>> = [];

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return parse(await response.text());
}

async function eventually(check: (samples: Sample[]) => boolean, timeoutMs = 10_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const samples = await scrape();
    if (check(samples)) return samples;
    if (Date.now() > deadline) throw new Error("the metrics never showed what was expected");
    await sleep(50);
  }
}

beforeAll(async () => {
  db = await createTestDatabase({ METRICS_TOKEN: TOKEN, RATE_LIMIT_GRAPHQL_PER_USER: String(PER_USER) });
  const logger = pino({ level: "info" }, { write: (chunk: string) => void logLines.push(JSON.parse(chunk)) });
  gateway = await startGateway(db.config, db.urls, logger, { metrics });
  worker = await startWorker(db.config, db.urls.owner, logger, {
    metrics,
    taskList: {
      metrics_ok: async () => {},
      metrics_fail: async () => {
        throw new Error("this task always fails");
      },
    },
  });
});

afterAll(async () => {
  await worker?.stop();
  await gateway?.close();
  await db?.drop();
});

describe("who may scrape", () => {
  it("refuses without the token or with another one (401)", async () => {
    const none = await fetch(`${gateway.url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const wrong = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get("content-type")).toMatch(/^text\/plain/);
    // Node's own metrics are on.
    expect(value(parse(await right.text()), "process_cpu_user_seconds_total")).toBeGreaterThan(0);
  });

  it("is off (404) with neither METRICS_TOKEN nor METRICS_PORT; METRICS_PORT serves it without a token, on its own registry", async () => {
    const off = await startTestGateway();
    const port = await startTestGateway({ METRICS_PORT: "0" });
    try {
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      expect(off.gateway.metricsUrl).toBeUndefined();
      // The gateway's own port has no /metrics without a token; the metrics port has nothing else.
      expect((await fetch(`${port.url}/metrics`)).status).toBe(404);
      expect(port.gateway.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await fetch(port.gateway.metricsUrl!.replace(/metrics$/, "healthz"))).status).toBe(404);
      await graphql(port.url, "query OnlyOnThePortGateway { __typename }");
      const response = await fetch(port.gateway.metricsUrl!);
      expect(response.status).toBe(200);
      const samples = parse(await response.text());
      expect(value(samples, "lifegraph_graphql_request_duration_seconds_count", { operation: "OnlyOnThePortGateway" })).toBe(1);
      // Another gateway in this process: its series are not this one's.
      expect(value(await scrape(), "lifegraph_graphql_request_duration_seconds_count", { operation: "OnlyOnThePortGateway" })).toBeUndefined();
    } finally {
      await off.close();
      await port.close();
    }
  }, 120_000);
});

describe("a scrape after real traffic", () => {
  it("times each request under its operation's name", async () => {
    for (let i = 0; i < 3; i++) expect((await graphql(gateway.url, "query Ping { __typename }")).data).toEqual({ __typename: "Query" });
    const samples = await scrape();
    expect(value(samples, "lifegraph_graphql_request_duration_seconds_count", { operation: "Ping" })).toBe(3);
    expect(value(samples, "lifegraph_graphql_request_duration_seconds_bucket", { operation: "Ping", le: "+Inf" })).toBe(3);
    expect(value(samples, "lifegraph_graphql_request_duration_seconds_sum", { operation: "Ping" })).toBeGreaterThan(0);
  });

  it("counts errors by code, a refused request under operation \"none\"", async () => {
    const before = await scrape();
    const parseError = await graphql(gateway.url, "query Broken {");
    expect(parseError.errors?.[0]?.extensions?.code).toBe("GQLPA");
    const wrongType = await fetch(`${gateway.url}/graphql`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(wrongType.status).toBe(415);
    const after = await scrape();
    const delta = (labels: Record<string, string>, name = "lifegraph_graphql_errors_total") =>
      (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);
    expect(delta({ code: "GQLPA" })).toBe(1);
    expect(delta({ code: "GQLCT" })).toBe(1);
    expect(delta({ operation: "none" }, "lifegraph_graphql_request_duration_seconds_count")).toBe(2);
  });

  it("shows each pool's connections, idle and waiting", async () => {
    expect((await graphql(gateway.url, "query Me { currentUserId }")).data).toEqual({ currentUserId: null });
    const samples = await scrape();
    for (const pool of ["owner", "authenticator", "credential", "worker"]) {
      for (const name of ["lifegraph_db_pool_connections", "lifegraph_db_pool_idle", "lifegraph_db_pool_waiting"]) {
        expect(value(samples, name, { pool })).toBeGreaterThanOrEqual(0);
      }
    }
    // Me ran on the authenticator's pool; the worker polls on its own.
    expect(value(samples, "lifegraph_db_pool_connections", { pool: "authenticator" })).toBeGreaterThan(0);
    expect(value(samples, "lifegraph_db_pool_connections", { pool: "worker" })).toBeGreaterThan(0);
  });

  it("counts open websockets and live subscriptions", async () => {
    const user = await signUp(gateway.url, "metrics_live");
    const client = live(gateway.url, user.token);
    const stream = client.subscribe(NOTIFICATION_SUBSCRIPTION);
    try {
      await subscribed(gateway.hub, 1);
      const samples = await scrape();
      expect(value(samples, "lifegraph_realtime_subscriptions")).toBe(1);
      expect(value(samples, "lifegraph_realtime_sockets")).toBe(1);
    } finally {
      stream.stop();
      await client.client.dispose();
    }
    await eventually((s) => value(s, "lifegraph_realtime_sockets") === 0 && value(s, "lifegraph_realtime_subscriptions") === 0);
  });

  it("times the worker's jobs, counts failures and dead letters, and reads the queue", async () => {
    const { rows } = await db.root.query<{ ok: string; fail: string }>(
      `select (graphile_worker.add_job('metrics_ok')).id::text as ok,
              (graphile_worker.add_job('metrics_fail', max_attempts := 1)).id::text as fail`,
    );
    // A task this worker does not run stays due in the queue.
    await db.root.query("select graphile_worker.add_job('metrics_elsewhere')");
    const samples = await eventually(
      (s) =>
        value(s, "lifegraph_worker_job_duration_seconds_count", { task: "metrics_ok", outcome: "success" }) === 1 &&
        value(s, "lifegraph_worker_dead_letters", { task: "metrics_fail" }) === 1,
    );
    expect(value(samples, "lifegraph_worker_job_duration_seconds_count", { task: "metrics_fail", outcome: "error" })).toBe(1);
    expect(value(samples, "lifegraph_worker_jobs_failed_total", { task: "metrics_fail" })).toBe(1);
    expect(value(samples, "lifegraph_worker_queue_depth", { task: "metrics_elsewhere" })).toBe(1);
    expect(value(samples, "lifegraph_worker_queue_depth", { task: "metrics_fail" })).toBe(0);
    // The worker's own lines about a job name it.
    const completed = logLines.find((l) => String(l.msg).startsWith("Completed task") && l.jobId === rows[0]!.ok);
    expect(completed).toMatchObject({ component: "worker", jobId: rows[0]!.ok });
    expect(logLines.find((l) => String(l.msg).startsWith("Failed task"))).toMatchObject({ jobId: rows[0]!.fail });
  });

  it("reads the queue once for a flood of scrapes", async () => {
    const cached = new Metrics({ maxOperations: MAX_OPERATIONS, queueCacheMs: 60_000 });
    const pool = new pg.Pool({ connectionString: db.urls.owner, max: 2 });
    let statements = 0;
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    pool.query = ((...args: unknown[]) => {
      statements++;
      return query(...args);
    }) as typeof pool.query;
    try {
      cached.observeWorker(new EventEmitter() as WorkerEvents, pool);
      const scrapes = await Promise.all(Array.from({ length: 20 }, () => cached.registry.metrics()));
      expect(statements).toBe(1);
      expect(value(parse(scrapes[19]!), "lifegraph_worker_dead_letters", { task: "metrics_fail" })).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it("counts rate-limit refusals by limit", async () => {
    const user = await signUp(gateway.url, "metrics_limited");
    const before = await scrape();
    const statuses: number[] = [];
    for (let i = 0; i <= PER_USER; i++) statuses.push((await graphql(gateway.url, "query Limited { __typename }", {}, user.token)).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => (value(after, name, labels) ?? 0) - (value(before, name, labels) ?? 0);
    expect(delta("lifegraph_rate_limit_rejections_total", { limit: "graphql_user" })).toBe(1);
    expect(delta("lifegraph_graphql_errors_total", { code: "RATEL" })).toBe(1);
  });

  it("gives at most METRICS_MAX_OPERATIONS names a series of their own; the rest count as \"other\"", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `Random${i}`);
    const before = value(await scrape(), "lifegraph_graphql_request_duration_seconds_count", { operation: OTHER }) ?? 0;
    for (const name of names) await graphql(gateway.url, `query ${name} { __typename }`);
    const samples = await scrape();
    const named = new Set(
      samples
        .filter((s) => s.name === "lifegraph_graphql_request_duration_seconds_count")
        .map((s) => s.labels.operation!)
        .filter((operation) => !["none", "anonymous", OTHER].includes(operation)),
    );
    expect(named.size).toBe(MAX_OPERATIONS);
    const kept = names.filter((name) => named.has(name));
    const other = value(samples, "lifegraph_graphql_request_duration_seconds_count", { operation: OTHER })!;
    expect(other - before).toBe(names.length - kept.length);
    expect(kept.length).toBeLessThan(names.length);
  });
});

// Prometheus metrics (prom-client), one registry per Metrics object: a
// process makes one and hands it to its gateway and its worker; tests may
// run several gateways in one process without their series colliding.
// Everything that can be read at scrape time is (pools, sockets,
// subscriptions, the job queue): collect() callbacks, no timers. The list of
// names and labels is in docs/ops.md ("Metrics").
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "express";
import type pg from "pg";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getOperationAST } from "postgraphile/graphql";
import type { Job, WorkerEvents } from "graphile-worker";
import type { Config } from "../config.js";
import { sendError, type Step } from "./door.js";

declare module "node:http" {
  interface IncomingMessage {
    /** The GraphQL operation this request executed (set by the metrics plugin), for its latency label. */
    lifegraphOperation?: string;
  }
}

export interface MetricsOptions {
  /** Distinct operation names given a series of their own; later ones count as "other". */
  maxOperations: number;
  /** How long the job queue's counts (one SQL statement) are reused between scrapes. */
  queueCacheMs: number;
}

/** Label of a request that never reached execution (refused by a guard, or a parse or validation error). */
export const NOT_EXECUTED = "none";
export const OTHER = "other";
const ANONYMOUS = "anonymous";
/** Longer names count as "other": the kept names stay small. */
const MAX_NAME_LENGTH = 64;
/** Our codes and grafserv's are short capitals; anything else would be a label a client chose. */
const CODE = /^[A-Z][A-Z0-9_]{1,15}$/;

interface QueueRow {
  task: string;
  due: number;
  dead: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly pools = new Map<string, pg.Pool>();
  private realtime: { sockets(): number; subscriptions(): number } | null = null;
  private queuePool: pg.Pool | null = null;
  private queue: { at: number; rows: Promise<QueueRow[]> } | null = null;
  private readonly requestSeconds: Histogram<"operation">;
  private readonly errors: Counter<"code">;
  private readonly rejections: Counter<"limit">;
  private readonly jobSeconds: Histogram<"task" | "outcome">;
  private readonly jobsFailed: Counter<"task">;

  constructor(private readonly options: MetricsOptions) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requestSeconds = new Histogram({
      name: "lifegraph_graphql_request_duration_seconds",
      help: "GraphQL requests over HTTP, from arrival to the last byte, by operation name",
      labelNames: ["operation"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({
      name: "lifegraph_graphql_errors_total",
      help: "Errors answered to GraphQL requests over HTTP, by extensions.code",
      labelNames: ["code"],
      registers,
    });
    this.rejections = new Counter({
      name: "lifegraph_rate_limit_rejections_total",
      help: "Requests refused by a rate limit or the in-flight bound, by limit",
      labelNames: ["limit"],
      registers,
    });
    const pools = this.pools;
    const poolGauge = (name: string, help: string, read: (pool: pg.Pool) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["pool"],
        registers,
        collect() {
          this.reset();
          for (const [pool, p] of pools) this.set({ pool }, read(p));
        },
      });
    poolGauge("lifegraph_db_pool_connections", "Connections a pool holds (idle and in use)", (p) => p.totalCount);
    poolGauge("lifegraph_db_pool_idle", "Idle connections of a pool", (p) => p.idleCount);
    poolGauge("lifegraph_db_pool_waiting", "Queries waiting for a connection of a pool", (p) => p.waitingCount);
    const realtime = () => this.realtime;
    new Gauge({
      name: "lifegraph_realtime_sockets",
      help: "Open GraphQL websockets",
      registers,
      collect() {
        this.set(realtime()?.sockets() ?? 0);
      },
    });
    new Gauge({
      name: "lifegraph_realtime_subscriptions",
      help: "Live subscriptions (websockets and /graphql/stream)",
      registers,
      collect() {
        this.set(realtime()?.subscriptions() ?? 0);
      },
    });
    this.jobSeconds = new Histogram({
      name: "lifegraph_worker_job_duration_seconds",
      help: "Job attempts run by this process's worker, by task and outcome (success, error)",
      labelNames: ["task", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
    this.jobsFailed = new Counter({
      name: "lifegraph_worker_jobs_failed_total",
      help: "Jobs that failed their last attempt (they are now dead letters)",
      labelNames: ["task"],
      registers,
    });
    const queueRows = () => this.queueRows();
    const queueGauge = (name: string, help: string, pick: (row: QueueRow) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ["task"],
        registers,
        async collect() {
          this.reset();
          for (const row of await queueRows()) this.set({ task: row.task }, pick(row));
        },
      });
    queueGauge("lifegraph_worker_queue_depth", "Jobs due now and not taken by a worker, by task", (row) => row.due);
    queueGauge("lifegraph_worker_dead_letters", "Jobs that used all their attempts, by task", (row) => row.dead);
  }

  /** The label of an operation name: its own for the first maxOperations names seen (of a sane length), then "other". */
  operationLabel(name: string | undefined): string {
    if (!name) return ANONYMOUS;
    if (this.operations.has(name)) return name;
    if (this.operations.size >= this.options.maxOperations || name.length > MAX_NAME_LENGTH) return OTHER;
    this.operations.add(name);
    return name;
  }

  /** Counts a refusal by one of the rate limits (src/identity/rate-limits.ts, src/http/guards.ts). */
  readonly rateLimited = (limit: string): void => {
    this.rejections.inc({ limit });
  };

  observePools(pools: Record<string, pg.Pool>): void {
    for (const [name, pool] of Object.entries(pools)) this.pools.set(name, pool);
  }

  observeRealtime(counts: { sockets(): number; subscriptions(): number }): void {
    this.realtime = counts;
  }

  /** A worker's jobs, from its events, and the queue it serves, read through its pool at scrape time. */
  observeWorker(events: WorkerEvents, pool: pg.Pool): void {
    this.pools.set("worker", pool);
    this.queuePool = pool;
    const started = new WeakMap<Job, number>();
    const seconds = (job: Job) => (performance.now() - (started.get(job) ?? performance.now())) / 1000;
    events.on("job:start", ({ job }) => void started.set(job, performance.now()));
    events.on("job:success", ({ job }) => this.jobSeconds.observe({ task: job.task_identifier, outcome: "success" }, seconds(job)));
    events.on("job:error", ({ job }) => this.jobSeconds.observe({ task: job.task_identifier, outcome: "error" }, seconds(job)));
    events.on("job:failed", ({ job }) => this.jobsFailed.inc({ task: job.task_identifier }));
  }

  /**
   * The queue's counts through graphile-worker's public `jobs` view, one
   * statement shared by the scrapes within queueCacheMs (a scrape flood
   * costs the database nothing more).
   */
  private queueRows(): Promise<QueueRow[]> {
    const pool = this.queuePool;
    if (!pool) return Promise.resolve([]);
    const now = performance.now();
    if (this.queue && now - this.queue.at <= this.options.queueCacheMs) return this.queue.rows;
    const rows = pool
      .query<QueueRow>(
        `select task_identifier as task,
           count(*) filter (where attempts < max_attempts and locked_at is null and run_at <= now())::int as due,
           count(*) filter (where attempts >= max_attempts)::int as dead
         from graphile_worker.jobs group by task_identifier`,
      )
      .then(
        (result) => result.rows,
        // The database away: the scrape still answers (without queue
        // gauges), and the next one reads again.
        () => {
          this.queue = null;
          return [];
        },
      );
    this.queue = { at: now, rows };
    return rows;
  }

  /**
   * Express middleware on /graphql: each request's time by operation, and
   * the codes of the errors it answered with, whoever answered (a guard, a
   * rate limit, grafserv). Streams (/graphql/stream) are not requests.
   */
  graphqlRequests(): Step {
    return (req, res, next) => {
      if (req.method !== "POST" && req.method !== "GET") return next();
      const end = this.requestSeconds.startTimer();
      let sent: Buffer | string | undefined;
      const send = res.end;
      res.end = function (this: ServerResponse, ...args: unknown[]) {
        const body = args[0];
        if (Buffer.isBuffer(body) || typeof body === "string") sent = body;
        return (send as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as typeof res.end;
      res.once("finish", () => {
        end({ operation: req.lifegraphOperation ?? NOT_EXECUTED });
        for (const code of errorCodes(sent)) this.errors.inc({ code });
      });
      next();
    };
  }

  /** A grafast plugin that tells the request which operation it executes. */
  readonly plugin: GraphileConfig.Plugin = {
    name: "LifegraphMetricsPlugin",
    version: "0.0.0",
    grafast: {
      middleware: {
        execute: (next, event) => {
          const { document, operationName, contextValue } = event.args;
          const req = (contextValue as { lifegraphRequest?: IncomingMessage } | undefined)?.lifegraphRequest;
          if (req) req.lifegraphOperation = this.operationLabel(getOperationAST(document, operationName ?? undefined)?.name?.value);
          return next();
        },
      },
    },
  };

  /** GET /metrics behind a bearer token: 401 without it or with another. */
  endpoint(token: string): RequestHandler {
    const expected = createHash("sha256").update(`Bearer ${token}`).digest();
    return async (req, res) => {
      const given = createHash("sha256").update(req.headers.authorization ?? "").digest();
      if (!timingSafeEqual(given, expected)) {
        sendError(res, 401, "AUTHN", "The metrics need their bearer token (METRICS_TOKEN).", { "WWW-Authenticate": 'Bearer realm="metrics"' });
        return;
      }
      res.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }

  /** /metrics without a token on a listener of its own on 127.0.0.1 (METRICS_PORT; 0 picks a free port). */
  async listen(port: number): Promise<{ url: string; close(): Promise<void> }> {
    const server: Server = createServer((req, res) => {
      if (req.method !== "GET" || new URL(req.url ?? "/", "http://localhost").pathname !== "/metrics") {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const address = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${address.port}/metrics`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
}

/** The codes of a JSON error body (`{"errors":[{"extensions":{"code":…}}]}`); nothing for anything else. */
function errorCodes(body: Buffer | string | undefined): string[] {
  if (body === undefined || !body.includes('"code"')) return [];
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString());
  } catch {
    return [];
  }
  const errors = (payload as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e) => {
    const code = (e as { extensions?: { code?: unknown } } | null)?.extensions?.code;
    return typeof code === "string" && CODE.test(code) ? code : OTHER;
  });
}

/** Metrics are on when they can be scraped: behind METRICS_TOKEN, or on METRICS_PORT. */
export function createMetrics(config: Pick<Config, "METRICS_TOKEN" | "METRICS_PORT" | "METRICS_MAX_OPERATIONS">): Metrics | undefined {
  if (!config.METRICS_TOKEN && config.METRICS_PORT === undefined) return undefined;
  return new Metrics({ maxOperations: config.METRICS_MAX_OPERATIONS, queueCacheMs: 5_000 });
}

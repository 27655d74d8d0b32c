// What db:smoke and GET /admin/health both read: the worker's heartbeats,
// the job queue, and whether the channel providers can be reached.
import nodemailer from "nodemailer";
import type pg from "pg";
import type { Config } from "../config.js";

interface Queryable {
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface WorkerHeartbeat {
  workerId: string;
  process: string;
  beatAt: string;
  ageSeconds: number;
  alive: boolean;
}

/**
 * The worker processes' heartbeats (app_private.worker_heartbeats, written by
 * src/worker/heartbeat.ts), or null on a database that has no such table yet.
 */
export async function workerHeartbeats(db: Queryable, config: Config): Promise<WorkerHeartbeat[] | null> {
  const { rows: [table] } = await db.query("select to_regclass('app_private.worker_heartbeats') is not null as present");
  if (!table?.present) return null;
  const { rows } = await db.query<{ worker_id: string; process: string; beat_at: Date; age: number }>(
    `select worker_id, process, beat_at, extract(epoch from now() - beat_at)::float8 as age
     from app_private.worker_heartbeats order by beat_at desc limit 100`,
  );
  return rows.map((r) => ({
    workerId: r.worker_id,
    process: r.process,
    beatAt: r.beat_at.toISOString(),
    ageSeconds: Math.round(r.age * 10) / 10,
    alive: r.age <= config.WORKER_DEAD_AFTER_SECONDS,
  }));
}

export interface QueueStats {
  /** Jobs still to run (attempts left), due or scheduled. */
  depth: number;
  /** Due now, unlocked, waiting for a worker. */
  ready: number;
  /** Due for more than a minute and still not taken: no worker is draining the queue. */
  overdue: number;
  /** Locked by a worker. */
  running: number;
  /** Jobs that used all their attempts (graphile-worker keeps them; a person decides). */
  deadLetters: number;
}

export async function queueStats(db: Queryable): Promise<QueueStats> {
  const { rows: [row] } = await db.query<Record<keyof QueueStats, number>>(`
    select count(*) filter (where attempts < max_attempts)::int as depth,
      count(*) filter (where attempts < max_attempts and locked_at is null and run_at <= now())::int as ready,
      count(*) filter (where attempts < max_attempts and locked_at is null and run_at < now() - interval '1 minute')::int as overdue,
      count(*) filter (where locked_at is not null)::int as running,
      count(*) filter (where attempts >= max_attempts)::int as "deadLetters"
    from graphile_worker._private_jobs`);
  return row!;
}

export interface Reachability {
  configured: boolean;
  reachable: boolean | null;
  latencyMs?: number;
  error?: string;
}

/** Connects to SMTP_URL and says hello (no mail is sent); null `reachable` when no SMTP is configured. */
export async function smtpReachability(config: Config, timeoutMs = 10_000): Promise<Reachability> {
  if (!config.SMTP_URL) return { configured: false, reachable: null };
  const transport = nodemailer.createTransport({
    url: config.SMTP_URL,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  const started = performance.now();
  try {
    await transport.verify();
    return { configured: true, reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    // The host and port only: SMTP_URL may hold a password.
    return { configured: true, reachable: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message.replace(/\/\/[^@\s]*@/g, "//") };
  } finally {
    transport.close();
  }
}

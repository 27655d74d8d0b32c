// GET /admin/health: how this deployment is doing, for administrators (a
// bearer token of an admin; 401 without a valid one, 403 for anyone else).
// Database latency and migration level, the contract summary of db:verify,
// worker heartbeats, queue depth and dead letters, and whether the channel
// providers answer. The expensive parts are cached: the contract's reference
// snapshot once per process (it restores migrations/schema.sql into a
// scratch database, which needs ROOT_DATABASE_URL), the live comparison and
// the SMTP handshake for a minute.
import type { RequestHandler } from "express";
import type pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { DatabaseUrls } from "../db/urls.js";
import type { AuthService } from "../identity/service.js";
import { InvalidTokenError } from "../identity/tokens.js";
import { sendError } from "./door.js";
import { catalogSnapshot, contractSnapshot, diffSnapshots, summariseVerifyResult, type Snapshot } from "../ops/contract.js";
import { queueStats, smtpReachability, workerHeartbeats, type Reachability } from "../ops/probes.js";

const CACHE_MS = 60_000;

/** A value computed at most once per `ttlMs`; concurrent callers share one computation; failures are not kept. */
function cached<T>(ttlMs: number, compute: () => Promise<T>): () => Promise<{ value: T; at: Date }> {
  let last: { value: T; at: Date } | null = null;
  let running: Promise<{ value: T; at: Date }> | null = null;
  return () => {
    if (last && Date.now() - last.at.getTime() < ttlMs) return Promise.resolve(last);
    running ??= compute()
      .then((value) => (last = { value, at: new Date() }))
      .finally(() => (running = null));
    return running;
  };
}

export interface AdminHealthOptions {
  config: Config;
  urls: DatabaseUrls;
  ownerPool: pg.Pool;
  auth: AuthService;
  logger: Logger;
  expectedMigration: string | null;
}

export function adminHealth({ config, urls, ownerPool, auth, logger, expectedMigration }: AdminHealthOptions): RequestHandler {
  let reference: Promise<Snapshot> | null = null;
  const contract = cached(CACHE_MS, async () => {
    if (!urls.root) return { status: "unavailable", reason: "needs ROOT_DATABASE_URL to restore the contract (npm run db:verify does the same)" };
    try {
      reference ??= contractSnapshot(config, { rootUrl: urls.root });
      const want = await reference;
      return summariseVerifyResult(diffSnapshots(want, await catalogSnapshot(ownerPool)));
    } catch (error) {
      reference = null;
      logger.warn({ err: error }, "admin health: contract check failed");
      return { status: "error", error: (error as Error).message };
    }
  });
  const email = cached<Reachability>(CACHE_MS, () => smtpReachability(config, 5_000));

  return async (req, res, next) => {
    try {
      let identity;
      try {
        identity = await auth.identify(req.headers.authorization);
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        identity = null;
      }
      if (!identity || identity.kind !== "session") {
        sendError(res, 401, "AUTHN", "Sign in as an administrator.", { "WWW-Authenticate": 'Bearer error="invalid_token"' });
        return;
      }
      const { rows: [flags] } = await ownerPool.query<{ is_admin: boolean }>(
        "select is_admin from app_private.user_flags where user_id = $1", [identity.userId]);
      if (!flags?.is_admin) {
        sendError(res, 403, "DNIED", "Administrators only.");
        return;
      }

      const started = performance.now();
      await ownerPool.query("select 1");
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      const { rows: [migrated] } = await ownerPool.query("select to_regclass('graphile_migrate.migrations') is not null as present");
      const { rows: [level] } = migrated?.present
        ? await ownerPool.query<{ current: string | null }>("select substring(max(filename) from '^(\\d+)') as current from graphile_migrate.migrations")
        : { rows: [{ current: null }] };
      const [contractResult, heartbeats, queue, emailResult] = await Promise.all([
        contract(), workerHeartbeats(ownerPool, config), queueStats(ownerPool), email(),
      ]);
      const { rows: [dead] } = await ownerPool.query<{ n: number }>(
        "select count(*)::int as n from app_public.notification_deliveries where status = 'dead'");

      const migration = { current: level?.current ?? null, expected: expectedMigration, upToDate: (level?.current ?? null) === expectedMigration };
      const workersAlive = heartbeats ? heartbeats.filter((b) => b.alive).length : null;
      const problems = [
        ...(migration.upToDate ? [] : ["migrations"]),
        ...(contractResult.value.status === "pass" || contractResult.value.status === "unavailable" ? [] : ["contract"]),
        ...(workersAlive === 0 || (heartbeats === null && queue.overdue > 0) ? ["worker"] : []),
        ...(emailResult.value.configured && !emailResult.value.reachable ? ["email"] : []),
      ];
      res.set("Cache-Control", "no-store").json({
        status: problems.length ? "degraded" : "ok",
        problems,
        checkedAt: new Date().toISOString(),
        database: { latencyMs, migration },
        contract: { ...contractResult.value, checkedAt: contractResult.at.toISOString() },
        worker: {
          // null: the database has no heartbeat table yet; then a queue that drains is the sign of life.
          heartbeats,
          alive: workersAlive,
          queue,
          deadLetters: queue.deadLetters,
          deadDeliveries: dead?.n ?? 0,
        },
        providers: {
          email: { ...emailResult.value, checkedAt: emailResult.at.toISOString() },
          push: { configured: Boolean(config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY), reachable: null },
          webhooks: { configured: true, reachable: null, note: "per endpoint: a failing endpoint shows as dead deliveries" },
        },
      });
    } catch (error) {
      next(error);
    }
  };
}

import pg from "pg";
import type { Logger } from "pino";
import { shutdownBegun } from "../shutdown.js";

/**
 * A pool whose errors on idle clients (e.g. the server restarting) are logged
 * rather than crashing the process; graphile-worker insists on both handlers.
 * `idleMs`: how long an unused connection stays open (pg.Pool's 10 s unless given).
 */
export function makePool(connectionString: string, logger: Logger, max: number, options?: string, idleMs?: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, options, idleTimeoutMillis: idleMs });
  let closedDuringShutdown = false;
  const log = (error: Error & { code?: string }) => {
    // 57P01: the server is shutting down, e.g. a Postgres started in the
    // same terminal got its Ctrl-C along with us (embedded Postgres no longer
    // does: it has a process group of its own). During our shutdown that is
    // expected: one info line per pool.
    if (error.code === "57P01" && shutdownBegun()) {
      if (!closedDuringShutdown) logger.info("Postgres is shutting down too; its connections close");
      closedDuringShutdown = true;
    } else if (error.code === "57P01") logger.warn("Postgres closed a connection: server shutting down");
    else logger.error({ err: error }, "Postgres client error");
  };
  pool.on("error", log);
  pool.on("connect", (client) => client.on("error", log));
  return pool;
}

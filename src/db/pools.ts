import pg from "pg";
import type { Logger } from "pino";

/** A pool whose idle-client errors (e.g. the server restarting) are logged, not fatal. */
export function makePool(connectionString: string, logger: Logger, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (error) => logger.error({ err: error }, "idle Postgres client error"));
  return pool;
}

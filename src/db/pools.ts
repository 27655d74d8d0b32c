import pg from "pg";
import type { Logger } from "pino";

/**
 * A pool whose errors on idle clients (e.g. the server restarting) are logged
 * rather than crashing the process; graphile-worker insists on both handlers.
 */
export function makePool(connectionString: string, logger: Logger, max: number, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, options });
  const log = (error: Error & { code?: string }) => {
    // 57P01: the server is shutting down, e.g. embedded Postgres got the
    // terminal's Ctrl-C along with us; our own shutdown follows.
    if (error.code === "57P01") logger.warn("Postgres closed a connection: server shutting down");
    else logger.error({ err: error }, "Postgres client error");
  };
  pool.on("error", log);
  pool.on("connect", (client) => client.on("error", log));
  return pool;
}

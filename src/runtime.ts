// What every entry point shares: config, logger, database URLs (embedded
// Postgres when no DATABASE_URL), and an orderly shutdown on SIGINT/SIGTERM.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { makeLogger } from "./log.js";
import { beginShutdown } from "./shutdown.js";
import { startEmbeddedPostgres } from "./db/embedded.js";
import { databaseUrls, withCredentials, withDatabase, type DatabaseUrls } from "./db/urls.js";

export const EMBEDDED_DATABASE = "lifegraph";

export interface Runtime {
  config: Config;
  logger: Logger;
  urls: DatabaseUrls;
  embedded: boolean;
  /** Registers a step for shutdown; steps run in reverse order of registration. */
  onShutdown(step: () => Promise<void>): void;
  shutdown(): Promise<void>;
}

/** A development JWT secret, generated once and kept beside the embedded database. */
async function devJwtSecret(dataDir: string): Promise<string> {
  const file = path.resolve(dataDir, "jwt-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

export async function bootRuntime(): Promise<Runtime> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = makeLogger(config);
  const steps: Array<() => Promise<void>> = [];
  const onShutdown = (step: () => Promise<void>) => void steps.push(step);
  let shuttingDown: Promise<void> | null = null;
  const shutdown = () => {
    shuttingDown ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (error) {
          logger.error({ err: error }, "shutdown step failed");
        }
      }
    })();
    return shuttingDown;
  };
  // npm and tsx relay a terminal's Ctrl-C, so a signal may arrive more than
  // once: the first starts the shutdown, repeats wait for it.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      beginShutdown();
      if (!shuttingDown) logger.info(`${signal}: shutting down`);
      shutdown().then(() => process.exit(0));
    });
  }

  let urls: DatabaseUrls;
  if (config.DATABASE_URL) {
    urls = databaseUrls(config);
  } else {
    const db = await startEmbeddedPostgres(config.LIFEGRAPH_DATA_DIR, (line) => logger.debug({ component: "postgres" }, line));
    onShutdown(db.stop);
    if (db.sharedWith) logger.info(`using the embedded Postgres of the lifegraph process running as pid ${db.sharedWith} (${config.LIFEGRAPH_DATA_DIR}/pg)`);
    const owner = withDatabase(withCredentials(db.rootUrl, config.DATABASE_OWNER, config.DATABASE_OWNER_PASSWORD), EMBEDDED_DATABASE);
    urls = { ...databaseUrls(config, owner), root: db.rootUrl };
  }
  if (!config.JWT_SECRET && !config.JWT_PRIVATE_KEY) {
    config.JWT_SECRET = await devJwtSecret(config.LIFEGRAPH_DATA_DIR);
  }
  return { config, logger, urls, embedded: !config.DATABASE_URL, onShutdown, shutdown };
}

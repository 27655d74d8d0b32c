// Migrations: graphile-worker's own schema first (our triggers enqueue jobs),
// then graphile-migrate's committed migrations, with the settings of `.gmrc`.
import { readFile } from "node:fs/promises";
import JSON5 from "json5";
import { migrate, watch, type Settings } from "graphile-migrate";
import { clearAllPools } from "graphile-migrate/dist/pgReal.js";
import { setTimeout as sleep } from "node:timers/promises";
import { Logger, runMigrations } from "graphile-worker";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { bootRuntime, type Runtime } from "../runtime.js";
import { ensureRolesAndDatabase, rolePlaceholders } from "./roles.js";
import { databaseName, type DatabaseUrls } from "./urls.js";

// graphile-worker logs every migration step; startup prints its own summary.
const quietWorkerLogger = new Logger(() => () => {});

export async function migrationSettings(config: Config, urls: DatabaseUrls): Promise<Settings> {
  const gmrc = JSON5.parse(await readFile(fromRoot(".gmrc"), "utf8")) as Settings;
  const placeholders = rolePlaceholders(config, databaseName(urls.owner));
  return {
    ...gmrc,
    connectionString: urls.owner,
    rootConnectionString: urls.root,
    migrationsFolder: fromRoot("migrations"),
    // Resolve the `!ENV` placeholders from validated config, not raw env.
    placeholders: Object.fromEntries(
      Object.keys(gmrc.placeholders ?? {}).map((key) => [key, placeholders[key]!]),
    ),
  };
}

/** graphile-worker's own schema: our triggers enqueue jobs, so it comes first. */
export async function migrateWorkerSchema(ownerUrl: string): Promise<void> {
  await runMigrations({ connectionString: ownerUrl, logger: quietWorkerLogger });
}

/** Committed migrations; with `withCurrent`, then `current.sql` once (tests of a migration being written). */
export async function migrateDatabase(config: Config, urls: DatabaseUrls, withCurrent = false): Promise<void> {
  await migrateWorkerSchema(urls.owner);
  const settings = await migrationSettings(config, urls);
  await migrate(settings);
  if (withCurrent) await watch(settings, true);
  // graphile-migrate keeps its pools open for a while after use, and exits
  // the process when one of their idle connections is ended: as stopping
  // embedded Postgres right after `npm run db:setup` does. Close them now;
  // a pool whose last client migrate() has not handed back yet closes on
  // graphile-migrate's own timer (200 ms), so wait that out and close again.
  clearAllPools();
  await sleep(MIGRATE_POOL_KEEPALIVE_MS);
  clearAllPools();
}

/** graphile-migrate's POOL_KEEPALIVE (200 ms), with a margin. */
const MIGRATE_POOL_KEEPALIVE_MS = 300;

/** For the scripts that write files from a database: boot (embedded Postgres
 * when no DATABASE_URL), make roles and the database when a superuser is
 * known, and migrate. The caller shuts the runtime down. */
export async function bootMigrated(): Promise<Runtime> {
  const runtime = await bootRuntime();
  const { config, urls } = runtime;
  if (urls.root) await ensureRolesAndDatabase(urls.root, config, databaseName(urls.owner));
  await migrateDatabase(config, urls);
  return runtime;
}

// Once per run (from global-setup.js, under tsx): roles, and a template
// database migrated once, which every test file clones for its own database.
// Prints the template's name.
import pg from "pg";
import { ensureRolesAndDatabase } from "../../src/db/roles.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { databaseUrls, withCredentials, withDatabase } from "../../src/db/urls.js";
import { ROOT_URL, TEST_DB_PREFIX, testConfig } from "./env.js";

async function prepareTemplate(): Promise<string> {
  const config = testConfig();
  const template = `${TEST_DB_PREFIX}tpl_${process.pid}`;
  const root = new pg.Client({ connectionString: ROOT_URL });
  await root.connect();
  try {
    // Databases left by an interrupted earlier run.
    const { rows } = await root.query<{ datname: string }>(
      "select datname from pg_database where datname like $1", [`${TEST_DB_PREFIX}%`],
    );
    for (const { datname } of rows) await root.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await root.end();
  }
  await ensureRolesAndDatabase(ROOT_URL, config, template);
  const owner = withDatabase(withCredentials(ROOT_URL, config.DATABASE_OWNER, config.DATABASE_OWNER_PASSWORD), template);
  // LIFEGRAPH_TEST_CURRENT=1: also current.sql, to test a migration before it is committed.
  await migrateDatabase(config, { ...databaseUrls(config, owner), root: withDatabase(ROOT_URL, template) }, process.env.LIFEGRAPH_TEST_CURRENT === "1");
  return template;
}

process.stdout.write(`\nLIFEGRAPH_TEST_TEMPLATE=${await prepareTemplate()}\n`);
// graphile-migrate keeps its pool open; exiting closes it, so the template
// has no connections left when test files clone it.
process.exit(0);

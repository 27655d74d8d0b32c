// npm run db:dump — writes migrations/schema.sql. graphile-migrate runs it
// after migrating the shadow database (`afterAllMigrations` in .gmrc, with
// GM_DBURL set), so `npm run db:commit` refreshes the dump; by hand it dumps
// DATABASE_URL (or embedded Postgres) after migrating it. pg_dump must be at
// least the server's version. A test fails when the file is stale.
import { writeFile } from "node:fs/promises";
import { loadConfig } from "../src/config.js";
import { bootMigrated } from "../src/db/migrate.js";
import { SCHEMA_DUMP_PATH, schemaDump } from "../src/db/schema-dump.js";

if (process.env.GM_DBURL) {
  await writeFile(SCHEMA_DUMP_PATH, await schemaDump(loadConfig(), process.env.GM_DBURL));
} else {
  const runtime = await bootMigrated();
  await writeFile(SCHEMA_DUMP_PATH, await schemaDump(runtime.config, runtime.urls.owner));
  await runtime.shutdown();
}
console.log("wrote migrations/schema.sql");

// npm run schema:export — writes schema.graphql from a migrated database
// (DATABASE_URL, or embedded Postgres). A test fails when the file is stale.
import { writeFile } from "node:fs/promises";
import { bootRuntime } from "../src/runtime.js";
import { ensureRolesAndDatabase } from "../src/db/roles.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { databaseName } from "../src/db/urls.js";
import { schemaSdl } from "../src/graphql/schema-sdl.js";
import { fromRoot } from "../src/paths.js";

const runtime = await bootRuntime();
const { config, urls } = runtime;
if (urls.root) await ensureRolesAndDatabase(urls.root, config, databaseName(urls.owner));
await migrateDatabase(config, urls);
await writeFile(fromRoot("schema.graphql"), await schemaSdl(config, urls));
console.log("wrote schema.graphql");
await runtime.shutdown();

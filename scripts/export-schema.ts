// npm run schema:export — writes schema.graphql from a migrated database
// (DATABASE_URL, or embedded Postgres). A test fails when the file is stale.
import { writeFile } from "node:fs/promises";
import { bootMigrated } from "../src/db/migrate.js";
import { schemaSdl } from "../src/graphql/schema-sdl.js";
import { fromRoot } from "../src/paths.js";

const runtime = await bootMigrated();
await writeFile(fromRoot("schema.graphql"), await schemaSdl(runtime.config, runtime.urls));
console.log("wrote schema.graphql");
await runtime.shutdown();

// `npm run db:<command>`: graphile-migrate's CLI with the connection strings
// and role placeholders filled in from our config, embedded Postgres included.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import pg from "pg";
import { bootRuntime } from "../runtime.js";
import { migrateWorkerSchema } from "./migrate.js";
import { ensureRolesAndDatabase } from "./roles.js";
import { databaseName, withDatabase } from "./urls.js";
import { fromRoot } from "../paths.js";

const args = process.argv.slice(2);
const runtime = await bootRuntime();
const { config, urls } = runtime;
if (!urls.root) {
  console.error("db commands need ROOT_DATABASE_URL (a superuser) to manage roles and the shadow database");
  process.exit(2);
}
const database = databaseName(urls.owner);
await ensureRolesAndDatabase(urls.root, config, database);
// Migrations may enqueue jobs (data moves): a database that graphile-migrate
// never reset has no graphile-worker schema yet unless we make it here.
await migrateWorkerSchema(urls.owner);
// reset drops the database, and commit and uncommit the shadow one: a running
// `npm start` (or an earlier watch) holds connections that would block it.
if (["reset", "commit", "uncommit"].includes(args[0] ?? "")) {
  const root = new pg.Client({ connectionString: urls.root });
  await root.connect();
  await root.query(
    "select pg_terminate_backend(pid) from pg_stat_activity where datname = any($1) and pid <> pg_backend_pid()",
    [[database, `${database}_shadow`]],
  );
  await root.end();
}

// graphile-migrate 2.0.0-rc.3 answers a failed commit by writing the compiled
// migration (fixtures inlined between `--! Included` markers) into
// current.sql, which it then refuses to read: put the author's text back.
const currentPath = fromRoot("migrations", "current.sql");
const currentBefore = args[0] === "commit" ? await readFile(currentPath, "utf8") : null;

const child = spawn(fromRoot("node_modules", ".bin", "graphile-migrate"), args, {
  cwd: fromRoot(),
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: urls.owner,
    SHADOW_DATABASE_URL: withDatabase(urls.owner, `${database}_shadow`),
    ROOT_DATABASE_URL: urls.root,
    DATABASE_AUTHENTICATOR: config.DATABASE_AUTHENTICATOR,
    DATABASE_VISITOR: config.DATABASE_VISITOR,
    DATABASE_ANONYMOUS: config.DATABASE_ANONYMOUS,
  },
});
runtime.onShutdown(async () => void child.kill("SIGINT"));
child.on("exit", async (code) => {
  if (code !== 0 && currentBefore !== null && (await readFile(currentPath, "utf8")).includes("--! Included")) {
    await writeFile(currentPath, currentBefore);
    console.error("db:commit failed: migrations/current.sql is as you left it");
  }
  await runtime.shutdown();
  process.exit(code ?? 1);
});

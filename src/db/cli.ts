// `npm run db:<command>`: graphile-migrate's CLI with the connection strings
// and role placeholders filled in from our config, embedded Postgres included.
import { spawn } from "node:child_process";
import { bootRuntime } from "../runtime.js";
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
  await runtime.shutdown();
  process.exit(code ?? 1);
});

// npm run db:backup — a pg_dump (custom format) of the live database
// (DATABASE_URL, or embedded Postgres when none is set) into backups/ (or
// --dir), named lifegraph-<database>-<UTC time>-<migration>.dump, with a
// .sha256 beside it. --prune then applies the retention (7 daily, 4 weekly,
// 3 monthly) to that folder; --prune-only does that without a new dump.
// Dumps as the superuser (ROOT_DATABASE_URL) when known, else as the owner.
// Exit codes: 0 done, 2 could not run. See docs/runbook-restore.md.
import path from "node:path";
import { parseArgs } from "node:util";
import { bootRuntime } from "../../src/runtime.js";
import { databaseName, withDatabase } from "../../src/db/urls.js";
import { pruneBackups, takeBackup } from "../../src/ops/backup.js";

const { values: args } = parseArgs({
  options: { dir: { type: "string", default: "backups" }, prune: { type: "boolean" }, "prune-only": { type: "boolean" } },
});
const dir = path.resolve(args.dir!);
const runtime = await bootRuntime();
const { urls } = runtime;
let code = 0;
try {
  if (!args["prune-only"]) {
    const source = urls.root ? withDatabase(urls.root, databaseName(urls.owner)) : urls.owner;
    const backup = await takeBackup(source, dir);
    console.log(`backup   ${backup.path}`);
    console.log(`         ${(backup.bytes / 1024 / 1024).toFixed(1)} MiB in ${(backup.ms / 1000).toFixed(1)} s, migration ${backup.migration ?? "none"}, pg_dump ${backup.tool.version}`);
    console.log(`checksum ${backup.checksumPath} (sha256 ${backup.sha256})`);
  }
  if (args.prune || args["prune-only"]) {
    const { kept, deleted } = await pruneBackups(dir);
    console.log(`prune    kept ${kept.length} (7 daily, 4 weekly, 3 monthly per database), deleted ${deleted.length}`);
    for (const file of deleted) console.log(`         deleted ${file}`);
  }
} catch (error) {
  console.error(`db:backup failed: ${(error as Error).message}`);
  code = 2;
} finally {
  await runtime.shutdown();
}
process.exit(code);

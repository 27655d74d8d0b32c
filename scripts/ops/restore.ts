// npm run db:restore -- FILE [--database NAME] [--contract schema.sql] —
// checks FILE against FILE.sha256, restores it into a NEW database on the
// server of ROOT_DATABASE_URL (NAME, or <source>_restored_<backup time>; an
// existing database is refused, so never the live one), runs db:verify's
// contract check on it and prints the row count of every table. It does not
// switch anything over: docs/runbook-restore.md says how.
// Exit codes: 0 restored and verified, 1 a check failed (checksum, contract),
// 2 could not run (no superuser, the name exists, pg_restore failed).
import path from "node:path";
import { parseArgs } from "node:util";
import { bootRuntime } from "../../src/runtime.js";
import { verifyChecksum } from "../../src/ops/backup.js";
import { formatVerifyResult, verifyDatabase } from "../../src/ops/contract.js";
import { formatRowCounts, restoreBackup, restoreDatabaseName, tableRowCounts } from "../../src/ops/restore.js";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { database: { type: "string" }, contract: { type: "string" } },
});
const runtime = await bootRuntime();
const { config, urls } = runtime;
let code = 0;
try {
  const file = positionals[0] ? path.resolve(positionals[0]) : undefined;
  if (!file) throw new Error("which backup? npm run db:restore -- backups/lifegraph-….dump [--database NAME]");
  if (!urls.root) throw new Error("db:restore needs ROOT_DATABASE_URL (a superuser on the server to restore onto) to create the new database");
  const checksum = await verifyChecksum(file);
  console.log(`${checksum.ok ? "PASS" : "FAIL"}  checksum     ${checksum.detail}`);
  if (!checksum.ok) {
    code = 1;
  } else {
    const restored = await restoreBackup(config, urls.root, urls.owner, file, args.database ?? restoreDatabaseName(file));
    if (restored.createdRoles.length) console.log(`      roles        created ${restored.createdRoles.join(", ")} (missing on this server; passwords from this environment)`);
    console.log(`PASS  restore      ${path.basename(file)} into database ${restored.database} in ${(restored.ms / 1000).toFixed(1)} s (pg_restore ${restored.tool.version})`);
    const result = await verifyDatabase(config, restored.ownerUrl, { rootUrl: urls.root, dumpPath: args.contract });
    console.log(formatVerifyResult(result, 50, args.contract ?? undefined));
    console.log(`Row counts of ${restored.database}:\n${formatRowCounts(await tableRowCounts(restored.rootUrl))}`);
    const owner = new URL(restored.ownerUrl);
    owner.password = "";
    console.log(result.ok
      ? `Restored and verified. To use it, point DATABASE_URL at ${owner} (with the owner's password): docs/runbook-restore.md.`
      : `Restored into ${restored.database}, but it differs from the contract: read the differences above before using it.`);
    code = result.ok ? 0 : 1;
  }
} catch (error) {
  console.error(`db:restore failed: ${(error as Error).message}`);
  code = 2;
} finally {
  await runtime.shutdown();
}
process.exit(code);

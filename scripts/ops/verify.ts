// npm run db:verify — compares the live database (DATABASE_URL, or embedded
// Postgres when none is set) with the contract, migrations/schema.sql, per
// component; exits 1 on any drift. It changes nothing in the live database:
// the contract is restored into a scratch database on the same server, which
// needs a superuser (ROOT_DATABASE_URL; embedded Postgres has one).
// `--contract <file>` compares with another dump of the same form (one
// written by `npm run db:dump` on another branch or release).
import { bootRuntime } from "../../src/runtime.js";
import { formatVerifyResult, verifyDatabase } from "../../src/ops/contract.js";

const flag = process.argv.indexOf("--contract");
const dumpPath = flag >= 0 ? process.argv[flag + 1] : undefined;
const runtime = await bootRuntime();
const { config, urls } = runtime;
let code = 0;
try {
  if (!urls.root) {
    console.error("db:verify needs ROOT_DATABASE_URL (a superuser on the same server) to restore the contract into a scratch database");
    code = 2;
  } else {
    const result = await verifyDatabase(config, urls.owner, { rootUrl: urls.root, dumpPath });
    console.log(formatVerifyResult(result, 50, dumpPath ?? undefined));
    code = result.ok ? 0 : 1;
  }
} catch (error) {
  console.error(`db:verify failed: ${(error as Error).message}`);
  code = 2;
} finally {
  await runtime.shutdown();
}
process.exit(code);

// npm run db:smoke — runtime checks of the live database (DATABASE_URL, or
// embedded Postgres when none is set), each with its time; exits 1 when any
// fails. It writes only a throwaway user (and its entry), and removes them.
import { bootRuntime } from "../../src/runtime.js";
import { formatSmoke, runSmoke } from "../../src/ops/smoke.js";

const runtime = await bootRuntime();
let code = 0;
try {
  const checks = await runSmoke(runtime.config, runtime.urls);
  console.log(formatSmoke(checks));
  code = checks.every((c) => c.ok) ? 0 : 1;
} catch (error) {
  console.error(`db:smoke failed: ${(error as Error).message}`);
  code = 2;
} finally {
  await runtime.shutdown();
}
process.exit(code);

// Jest loads global setup outside its ESM pipeline, so the TypeScript work
// runs under tsx in a child process; the template name comes back on stdout
// and reaches the test workers through the environment.
import { execFileSync } from "node:child_process";
import pg from "pg";

export default async function globalSetup() {
  // The one default for where the tests find Postgres; the template step,
  // the test workers and the teardown all inherit it from here.
  process.env.TEST_ROOT_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
  const output = execFileSync("node_modules/.bin/tsx", ["test/helpers/prepare-template.ts"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const template = /^LIFEGRAPH_TEST_TEMPLATE=(\S+)$/m.exec(output)?.[1];
  if (!template) throw new Error(`template preparation printed no name:\n${output}`);
  // A template must have no connections when it is cloned; the child has
  // exited, but the server may not have noticed yet.
  const root = new pg.Client({ connectionString: process.env.TEST_ROOT_DATABASE_URL });
  await root.connect();
  await root.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [template]);
  await root.end();
  process.env.LIFEGRAPH_TEST_TEMPLATE = template;
}

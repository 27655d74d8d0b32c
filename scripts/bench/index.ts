// npm run bench [-- workload…] — speed measured against peers side by side.
// Each workload gets a fresh, migrated database (BENCH_DATABASE, default
// lifegraph_bench, dropped first) on the server of ROOT_DATABASE_URL (a
// superuser), and returns rows for one summary table: workload, measure,
// value, target, ratio (a time divided by its peer's: below 1 is faster).
// Missing a target is reported ("above target"), not an error: the exit code
// is non-zero only when something fails. The database is dropped at the end
// unless BENCH_KEEP=1 (then the last workload's is kept).
// Knobs: BENCH_LOG_LEVEL (worker logs, default warn); BENCH_SQL=file.sql, run
// as the owner right after migrating, to measure a SQL change before writing
// its migration; BENCH_CURRENT=1 to apply migrations/current.sql too (work
// not committed yet, as LIFEGRAPH_TEST_CURRENT=1 does for the tests); and
// each workload's own (rollups: BENCH_USERS, BENCH_SCORES, BENCH_NEW_SCORES,
// BENCH_INCREMENTAL_RUNS; notifications: BENCH_EVENTS, BENCH_NOTIFY_USERS,
// BENCH_WORKER_CONCURRENCY; feed: BENCH_FEED_USERS, BENCH_FEED_FRIENDS, BENCH_FEED_EVENTS, BENCH_FEED_VIEWERS,
// BENCH_FEED_CONNECTIONS, BENCH_FEED_SECONDS; realtime:
// BENCH_REALTIME_SUBSCRIBERS, BENCH_REALTIME_EVENTS; marketplace:
// BENCH_MARKET_PURCHASES, BENCH_MARKET_CONNECTIONS,
// BENCH_LEADERBOARD_PARTICIPANTS, BENCH_LEADERBOARD_CALLS; limits:
// BENCH_LIMITS_CONNECTIONS, BENCH_LIMITS_ROUNDS, BENCH_LIMITS_SECONDS; storage:
// BENCH_STORAGE_MB; privacy: BENCH_PRIVACY_DAYS, BENCH_PRIVACY_MESSAGES; gateway:
// BENCH_GATEWAY_USERS, _SECONDS, _CONNECTIONS, _ROUNDS, _COUNT, _SERVERS,
// _WORKLOADS, BENCH_PG_LOG, BENCH_JSON: see scripts/bench/gateway.ts).
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { loadConfig } from "../../src/config.js";
import { makeLogger } from "../../src/log.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { databaseUrls } from "../../src/db/urls.js";
import { type BenchRow, type Workload, dropBenchDatabase, freshBenchDatabase, withClient } from "./db.js";
import { feed } from "./feed.js";
import { gateway } from "./gateway.js";
import { limits } from "./limits.js";
import { storage } from "./storage.js";
import { marketplace } from "./marketplace.js";
import { notifications } from "./notifications.js";
import { privacy } from "./privacy.js";
import { realtime } from "./realtime.js";
import { rollups } from "./rollups.js";

const WORKLOADS: Workload[] = [rollups, notifications, feed, realtime, marketplace, limits, storage, privacy, gateway];

const ROOT_URL = process.env.ROOT_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASE = process.env.BENCH_DATABASE || "lifegraph_bench";
const KEEP = ["1", "true", "yes"].includes(process.env.BENCH_KEEP ?? "");
const PATCH = process.env.BENCH_SQL || undefined;
const CURRENT = ["1", "true", "yes"].includes(process.env.BENCH_CURRENT ?? "");

function selectWorkloads(args: string[]): Workload[] {
  if (args.length === 0) return WORKLOADS;
  return args.map((name) => {
    const workload = WORKLOADS.find((w) => w.name === name);
    if (!workload) throw new Error(`Unknown workload "${name}"; known: ${WORKLOADS.map((w) => w.name).join(", ")}`);
    return workload;
  });
}

function printTable(rows: Array<BenchRow & { workload: string }>): void {
  const header = { workload: "workload", measure: "measure", value: "value", target: "target", ratio: "ratio" };
  const columns = Object.keys(header) as Array<keyof typeof header>;
  const all = [header, ...rows.map((r) => ({ ...r, target: r.target ?? "", ratio: r.ratio ?? "" }))];
  const widths = columns.map((c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: (typeof all)[number]) => columns.map((c, i) => r[c].padEnd(widths[i]!)).join("  ").trimEnd();
  console.log(`${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of rows) console.log(line({ ...row, target: row.target ?? "", ratio: row.ratio ?? "" }));
  console.log("\nratio: this time ÷ the named peer's time (below 1: faster than the peer).");
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`usage: npm run bench [-- ${WORKLOADS.map((w) => w.name).join(" | ")} …]`);
    for (const w of WORKLOADS) console.log(`  ${w.name.padEnd(14)} ${w.description}`);
    return 0;
  }
  let workloads: Workload[];
  try {
    workloads = selectWorkloads(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  // The load comes from one address and a few users: rate limits would measure
  // themselves. Set the variables to bench with them.
  const unlimited = "1000000000";
  const config = loadConfig({
    RATE_LIMIT_AUTH_PER_IP: unlimited, RATE_LIMIT_AUTH_PER_ACCOUNT: unlimited, RATE_LIMIT_GRAPHQL_PER_USER: unlimited,
    RATE_LIMIT_GRAPHQL_PER_IP: unlimited, RATE_LIMIT_WEBSOCKETS_PER_IP: unlimited,
    ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL || "warn",
  });
  const logger = makeLogger(config);
  const results: Array<BenchRow & { workload: string }> = [];
  let failed = false;
  for (const workload of workloads) {
    const progress = (message: string) => process.stderr.write(`[${workload.name}] ${message}\n`);
    try {
      progress(`fresh database ${DATABASE}…`);
      const db = await freshBenchDatabase(ROOT_URL, config, DATABASE);
      try {
        if (CURRENT) {
          progress("applying migrations/current.sql (BENCH_CURRENT=1)");
          await migrateDatabase(config, { ...databaseUrls(config, db.ownerUrl), root: db.rootUrl }, true);
          results.push({ workload: workload.name, measure: "NOTE: uncommitted migrations/current.sql applied", value: "BENCH_CURRENT=1" });
        }
        if (PATCH) {
          progress(`applying BENCH_SQL=${PATCH}`);
          const sql = await readFile(PATCH, "utf8");
          await withClient(db.ownerUrl, (client) => client.query(sql));
          results.push({ workload: workload.name, measure: "NOTE: schema patched after migrating", value: `BENCH_SQL=${PATCH}` });
        }
        const rows = await workload.run({ config, db, logger, progress });
        results.push(...rows.map((r) => ({ workload: workload.name, ...r })));
      } finally {
        if (!KEEP) await dropBenchDatabase(ROOT_URL, DATABASE);
      }
    } catch (error) {
      failed = true;
      progress(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      results.push({ workload: workload.name, measure: "FAILED", value: error instanceof Error ? error.message.split("\n")[0]! : String(error) });
    }
  }
  const server = await withClient(ROOT_URL, (c) => c.query<{ v: string }>("select current_setting('server_version') as v")).then(
    (r) => r.rows[0]!.v,
    () => "?",
  );
  console.log(`\n${availableParallelism()} cores, Node ${process.versions.node}, PostgreSQL ${server}`);
  printTable(results);
  if (KEEP) console.log(`kept database ${DATABASE} (BENCH_KEEP=1)`);
  return failed ? 1 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});

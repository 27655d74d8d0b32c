// A primary and a streaming standby of the test's own, made with the
// Postgres 15 binaries of the machine: the machine's cluster takes no
// replication connections, and this needs no change to it. The primary is
// initdb'd (its default pg_hba.conf trusts replication from 127.0.0.1),
// migrated as lifegraph's setup does, and copied with `pg_basebackup -R`;
// both run as the postgres OS user and are removed by stop(), whatever
// happened before.
import { execFile } from "node:child_process";
import { mkdtemp, rm, chown } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ensureRolesAndDatabase } from "../../src/db/roles.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { databaseUrls, withCredentials, withDatabase, type DatabaseUrls } from "../../src/db/urls.js";
import type { Config } from "../../src/config.js";
import { freePort } from "./pgbouncer.js";

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin";
export const DATABASE = "lifegraph";

export interface Cluster {
  port: number;
  /** Superuser URL of `database`. */
  root(database?: string): string;
  /** The lifegraph owner's and authenticator's URLs on this cluster. */
  urls: DatabaseUrls;
}

export interface ReplicaPair {
  primary: Cluster;
  standby: Cluster;
  stop(): Promise<void>;
}

/** Runs a Postgres binary as the postgres OS user (Postgres refuses root). */
async function asPostgres(dir: string, binary: string, args: string[]): Promise<string> {
  const { stdout } = await run("runuser", ["-u", "postgres", "--", path.join(BIN, binary), ...args], { cwd: dir, maxBuffer: 10 * 1024 * 1024 });
  return stdout;
}

export async function startPrimaryAndStandby(config: Config, withCurrent: boolean): Promise<ReplicaPair> {
  const base = await mkdtemp(path.join(tmpdir(), "lg-replica-"));
  const { stdout: uid } = await run("id", ["-u", "postgres"]);
  const { stdout: gid } = await run("id", ["-g", "postgres"]);
  await chown(base, Number(uid), Number(gid));
  const started: string[] = [];
  const stop = async () => {
    for (const dir of started.reverse()) await asPostgres(base, "pg_ctl", ["-D", dir, "stop", "-m", "immediate"]).catch(() => undefined);
    await rm(base, { recursive: true, force: true });
  };
  const cluster = (port: number): Cluster => {
    const root = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;
    const owner = withDatabase(withCredentials(root(), config.DATABASE_OWNER, config.DATABASE_OWNER_PASSWORD), DATABASE);
    return { port, root, urls: { ...databaseUrls(config, owner), root: root(DATABASE) } };
  };
  const start = async (dir: string, port: number) => {
    started.push(dir);
    await asPostgres(base, "pg_ctl", ["-D", dir, "-l", `${dir}.log`, "-w", "-t", "60", "-o",
      `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`, "start"]);
  };
  try {
    const primaryDir = path.join(base, "primary");
    const standbyDir = path.join(base, "standby");
    await asPostgres(base, "initdb", ["-D", primaryDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
    const primary = cluster(await freePort());
    await start(primaryDir, primary.port);
    await ensureRolesAndDatabase(primary.root(), config, DATABASE);
    await migrateDatabase(config, primary.urls, withCurrent);
    // -R writes standby.signal and primary_conninfo: it starts as a streaming standby.
    await asPostgres(base, "pg_basebackup", ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", standbyDir, "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
    const standby = cluster(await freePort());
    await start(standbyDir, standby.port);
    return { primary, standby, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

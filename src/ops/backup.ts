// Backups (npm run db:backup): a pg_dump of the whole database in custom
// format, with a name that says what it holds and when, a sha256sum-style
// checksum beside it, and a retention rule that says which to keep.
//
// The dump keeps owners and grants by role name: the roles are cluster-wide,
// so a restore on the same server finds them; on another server restore.ts
// makes them first (src/db/roles.ts). graphile_worker's queue and
// graphile_migrate's history are in the dump like our own schemas.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface PgTool {
  path: string;
  major: number;
  version: string;
}

/** The PostgreSQL client programs' version, e.g. "15.20" from "pg_dump (PostgreSQL) 15.20 (Debian …)". */
async function toolVersion(file: string): Promise<PgTool | null> {
  try {
    const { stdout } = await run(file, ["--version"]);
    const version = /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(stdout)?.[1];
    return version ? { path: file, major: Number.parseInt(version, 10), version } : null;
  } catch {
    return null;
  }
}

/**
 * The newest `name` (pg_dump, pg_restore) on PATH or in Debian's
 * /usr/lib/postgresql/<version>/bin: a client may read servers up to its own
 * version, so the newest one installed is the one that works with most.
 */
export async function findPgTool(name: "pg_dump" | "pg_restore"): Promise<PgTool | null> {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) for (const version of await readdir(debian)) dirs.push(path.join(debian, version, "bin"));
  const found = await Promise.all([...new Set(dirs.map((d) => path.join(d, name)))].filter((f) => existsSync(f)).map(toolVersion));
  return found.filter((t): t is PgTool => t !== null).sort((a, b) => b.major - a.major)[0] ?? null;
}

/** One line that says what to install when the machine's client is older than the server. */
export function tooOldMessage(name: string, tool: PgTool | null, serverMajor: number): string {
  const have = tool ? `${name} ${tool.version} (${tool.path}) cannot read a PostgreSQL ${serverMajor} server` : `no ${name} found`;
  return `${have}: install the PostgreSQL ${serverMajor} client programs (Debian/Ubuntu: apt-get install postgresql-client-${serverMajor} from apt.postgresql.org; macOS: brew install postgresql@${serverMajor}), then run again; they are looked for on PATH and in /usr/lib/postgresql/*/bin.`;
}

/** pg_dump/pg_restore arguments for a connection string, its password kept out of the process list. */
export function libpqTarget(connectionString: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(connectionString);
  const password = decodeURIComponent(url.password);
  url.password = "";
  return { args: [`--dbname=${url.toString()}`], env: password ? { ...process.env, PGPASSWORD: password } : { ...process.env } };
}

// lifegraph-<database>-<YYYYMMDDTHHMMSSZ>-<last migration>.dump: sorts by
// time within a database, and says which code's schema it holds.
const NAME = /^lifegraph-(.+)-(\d{8}T\d{6}Z)-(\d+|none)\.dump$/;

export interface BackupName {
  file: string;
  database: string;
  takenAt: Date;
  migration: string | null;
}

const stamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");

export function backupFileName(database: string, takenAt: Date, migration: string | null): string {
  return `lifegraph-${database.replace(/[^\w.-]/g, "_")}-${stamp(takenAt)}-${migration ?? "none"}.dump`;
}

export function parseBackupName(file: string): BackupName | null {
  const match = NAME.exec(path.basename(file));
  if (!match) return null;
  const [, database, time, migration] = match as unknown as [string, string, string, string];
  const iso = `${time.slice(0, 4)}-${time.slice(4, 6)}-${time.slice(6, 8)}T${time.slice(9, 11)}:${time.slice(11, 13)}:${time.slice(13, 15)}Z`;
  return { file: path.basename(file), database, takenAt: new Date(iso), migration: migration === "none" ? null : migration };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

export const checksumPath = (file: string) => `${file}.sha256`;

export interface ChecksumCheck {
  ok: boolean;
  expected: string;
  actual: string;
  detail: string;
}

/** Checks `file` against `file.sha256` (the format `sha256sum -c` reads). Throws when there is no checksum to check. */
export async function verifyChecksum(file: string): Promise<ChecksumCheck> {
  const sumFile = checksumPath(file);
  if (!existsSync(sumFile)) throw new Error(`no checksum file ${sumFile}: a backup without one cannot be trusted (sha256sum it only if you know it is intact)`);
  const [, expected = "", named = ""] = /^([0-9a-f]{64}) [ *](.+)$/m.exec(await readFile(sumFile, "utf8")) ?? [];
  const actual = await sha256File(file);
  // sha256sum writes the name as it was given: a path is fine if it ends in this file.
  if (path.basename(named) !== path.basename(file)) {
    return { ok: false, expected, actual, detail: `${sumFile} is the checksum of ${named || "nothing readable"}, not of ${path.basename(file)}` };
  }
  return expected === actual
    ? { ok: true, expected, actual, detail: `sha256 ${actual}` }
    : { ok: false, expected, actual, detail: `sha256 is ${actual}, ${sumFile} says ${expected}: the file is damaged or was changed` };
}

export interface Backup extends BackupName {
  path: string;
  checksumPath: string;
  bytes: number;
  sha256: string;
  ms: number;
  tool: PgTool;
}

/**
 * Dumps the database of `sourceUrl` (a superuser's, so no row or grant keeps
 * anything out) into `dir`. Written under a temporary name and renamed when
 * complete, so a half-written dump never looks like a backup.
 */
export async function takeBackup(sourceUrl: string, dir: string, now = new Date()): Promise<Backup> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: sourceUrl });
  await client.connect();
  let database: string, serverMajor: number, migration: string | null;
  try {
    const { rows: [info] } = await client.query<{ db: string; num: string; migrated: boolean }>(
      "select current_database() as db, current_setting('server_version_num') as num, to_regclass('graphile_migrate.migrations') is not null as migrated",
    );
    database = info!.db;
    serverMajor = Math.floor(Number(info!.num) / 10000);
    const { rows } = info!.migrated
      ? await client.query<{ level: string }>("select substring(filename from '^(\\d+)') as level from graphile_migrate.migrations order by filename desc limit 1")
      : { rows: [] };
    migration = rows[0]?.level ?? null;
  } finally {
    await client.end();
  }
  const tool = await findPgTool("pg_dump");
  if (!tool || tool.major < serverMajor) throw new Error(tooOldMessage("pg_dump", tool, serverMajor));

  await mkdir(dir, { recursive: true });
  const file = path.join(dir, backupFileName(database, now, migration));
  const partial = `${file}.partial`;
  const target = libpqTarget(sourceUrl);
  try {
    await run(tool.path, ["--format=custom", "--no-password", `--file=${partial}`, ...target.args], { env: target.env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    await rm(partial, { force: true });
    throw new Error(`pg_dump failed: ${((error as { stderr?: string }).stderr || (error as Error).message).trim()}`);
  }
  const sha256 = await sha256File(partial);
  await rename(partial, file);
  await writeFile(`${checksumPath(file)}.partial`, `${sha256}  ${path.basename(file)}\n`);
  await rename(`${checksumPath(file)}.partial`, checksumPath(file));
  return {
    ...parseBackupName(file)!, path: file, checksumPath: checksumPath(file), bytes: (await stat(file)).size, sha256,
    ms: Math.round(performance.now() - started), tool,
  };
}

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export const RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 3 };

// Periods in UTC, as the file names are; a week starts on Monday (ISO).
const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const weekKey = (d: Date) => dayKey(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7))));
const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/**
 * Which backups to keep (restic's `forget --keep-daily 7 --keep-weekly 4
 * --keep-monthly 3`): for each of the last `daily` days that have a backup,
 * its newest; likewise for weeks and months. A backup kept by several rules
 * counts for each. Everything else may go.
 */
export function retention<T extends { takenAt: Date }>(backups: T[], policy: RetentionPolicy = RETENTION): { keep: T[]; prune: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const keep = new Set<T>();
  for (const [count, key] of [[policy.daily, dayKey], [policy.weekly, weekKey], [policy.monthly, monthKey]] as const) {
    const periods = new Set<string>();
    for (const backup of newestFirst) {
      const period = key(backup.takenAt);
      if (periods.has(period)) continue;
      if (periods.size === count) break;
      periods.add(period);
      keep.add(backup);
    }
  }
  return { keep: newestFirst.filter((b) => keep.has(b)), prune: newestFirst.filter((b) => !keep.has(b)) };
}

/**
 * Applies the retention to the backups in `dir`, per database: deletes each
 * dump that goes and its checksum. Files whose name is not a backup's are
 * left alone.
 */
export async function pruneBackups(dir: string, policy: RetentionPolicy = RETENTION): Promise<{ kept: string[]; deleted: string[] }> {
  const backups = (await readdir(dir)).map(parseBackupName).filter((b): b is BackupName => b !== null);
  const kept: string[] = [];
  const deleted: string[] = [];
  for (const database of new Set(backups.map((b) => b.database))) {
    const { keep, prune } = retention(backups.filter((b) => b.database === database), policy);
    kept.push(...keep.map((b) => b.file));
    for (const { file } of prune) {
      await rm(path.join(dir, file), { force: true });
      await rm(checksumPath(path.join(dir, file)), { force: true });
      deleted.push(file);
    }
  }
  return { kept, deleted };
}

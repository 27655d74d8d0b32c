// Restores (npm run db:restore): a backup into a NEW database on the server
// of ROOT_DATABASE_URL, never over an existing one; then the row counts of
// every table, for the person restoring to compare with what they expect.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";
import type { Config } from "../config.js";
import { ensureRolesAndDatabase, grantDatabase } from "../db/roles.js";
import { withDatabase } from "../db/urls.js";
import { findPgTool, libpqTarget, parseBackupName, tooOldMessage, type PgTool } from "./backup.js";

const run = promisify(execFile);

/** The schemas whose tables are counted: ours, and the job queue and migration history that come with them. */
export const COUNTED_SCHEMAS = ["app_public", "app_hidden", "app_private", "graphile_worker", "graphile_migrate"];

/**
 * A database name for a restore of `file` when none is given: the source's
 * name and the backup's time, so a second restore of the same backup is
 * refused rather than made twice.
 */
export function restoreDatabaseName(file: string): string {
  const backup = parseBackupName(file);
  if (!backup) throw new Error(`${file} is not named as npm run db:backup names backups: give the new database's name with --database`);
  const time = backup.takenAt.toISOString().replace(/\.\d{3}Z$/, "").replace(/[-:T]/g, "");
  // 39 + "_restored_" + 14 digits: within Postgres's 63 bytes (backup names are ASCII).
  return `${backup.database.slice(0, 39)}_restored_${time}`;
}

export interface Restored {
  database: string;
  /** The owner's connection string for the new database: what DATABASE_URL becomes. */
  ownerUrl: string;
  /** A superuser's, on the new database. */
  rootUrl: string;
  /** Roles that did not exist on the server and were made from this environment's config. */
  createdRoles: string[];
  ms: number;
  tool: PgTool;
}

/**
 * Creates `database` (refused if it exists) owned by the owner role, with
 * the database-level grants of migrations/afterReset.sql (a dump without
 * --create holds none), and restores `file` into it in one transaction.
 * Roles missing on this server are made first by src/db/roles.ts; existing
 * ones are left as they are (their passwords belong to the live system). A
 * failed restore drops the database it made.
 */
export async function restoreBackup(config: Config, rootUrl: string, ownerUrl: string, file: string, database: string): Promise<Restored> {
  const started = performance.now();
  if (Buffer.byteLength(database) > 63) throw new Error(`database name ${database} is longer than Postgres allows (63 bytes)`);
  const admin = new pg.Client({ connectionString: rootUrl });
  await admin.connect();
  let createdRoles: string[];
  let serverMajor: number;
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (rowCount) throw new Error(`database ${database} already exists: a restore never writes into an existing database; choose another name with --database`);
    serverMajor = Math.floor(Number((await admin.query("select current_setting('server_version_num') as n")).rows[0].n) / 10000);
    const roles = [config.DATABASE_OWNER, config.DATABASE_AUTHENTICATOR, config.DATABASE_VISITOR, config.DATABASE_ANONYMOUS];
    const { rows } = await admin.query<{ rolname: string }>("select rolname from pg_roles where rolname = any($1)", [roles]);
    createdRoles = roles.filter((r) => !rows.some((row) => row.rolname === r));
  } finally {
    await admin.end();
  }
  const tool = await findPgTool("pg_restore");
  if (!tool || tool.major < serverMajor) throw new Error(tooOldMessage("pg_restore", tool, serverMajor));

  const restoreUrl = withDatabase(rootUrl, database);
  if (createdRoles.length) {
    await ensureRolesAndDatabase(rootUrl, config, database);
  } else {
    await createDatabase(config, rootUrl, database);
  }
  try {
    const target = libpqTarget(restoreUrl);
    await run(tool.path, ["--exit-on-error", "--single-transaction", "--no-password", ...target.args, file], { env: target.env, maxBuffer: 16 * 1024 * 1024 });
    // pg_restore leaves the planner without statistics: gather them before any traffic.
    const db = new pg.Client({ connectionString: restoreUrl });
    await db.connect();
    await db.query("analyze").finally(() => db.end());
  } catch (error) {
    await dropDatabase(rootUrl, database);
    throw new Error(`pg_restore failed, ${database} dropped again: ${((error as { stderr?: string }).stderr || (error as Error).message).trim()}`);
  }
  return {
    database, ownerUrl: withDatabase(ownerUrl, database), rootUrl: restoreUrl, createdRoles,
    ms: Math.round(performance.now() - started), tool,
  };
}

/** The database as src/db/roles.ts makes it, for a server whose roles all exist already. */
async function createDatabase(config: Config, rootUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: rootUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${admin.escapeIdentifier(database)} owner ${admin.escapeIdentifier(config.DATABASE_OWNER)} encoding 'utf8' template template0`);
  } finally {
    await admin.end();
  }
  await grantDatabase(rootUrl, config, database);
}

export async function dropDatabase(rootUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: rootUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${admin.escapeIdentifier(database)} with (force)`);
  } finally {
    await admin.end();
  }
}

/** Exact row counts of every table in COUNTED_SCHEMAS, read from the catalog (a new table is counted without a change here). */
export async function tableRowCounts(connectionString: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    // Partitions are counted on their own and within their parent: both are tables a reader may look for.
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p') order by 1, 2`, [COUNTED_SCHEMAS],
    );
    const counts: Record<string, number> = {};
    for (const { schema, name } of tables) {
      const { rows } = await client.query(`select count(*)::bigint as n from ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`);
      counts[`${schema}.${name}`] = Number(rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

export function formatRowCounts(counts: Record<string, number>): string {
  const width = Math.max(...Object.keys(counts).map((k) => k.length));
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return [...Object.entries(counts).map(([table, n]) => `  ${table.padEnd(width)}  ${String(n).padStart(9)}`),
    `  ${Object.keys(counts).length} tables, ${total} rows`].join("\n");
}

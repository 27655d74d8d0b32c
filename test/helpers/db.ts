// A database of its own for each test file, cloned from the migrated template,
// and helpers to run SQL as a given user (or anonymous) in a transaction that
// is always rolled back.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "@jest/globals";
import pg from "pg";
import type { Config } from "../../src/config.js";
import { databaseUrls, withCredentials, withDatabase, type DatabaseUrls } from "../../src/db/urls.js";
import { ROOT_URL, TEMPLATE_ENV, TEST_DB_PREFIX, testConfig } from "./env.js";

export interface TestDatabase {
  name: string;
  config: Config;
  urls: DatabaseUrls;
  /** Superuser pool on this database: arranges fixtures and checks outcomes. */
  root: pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(configOverrides: Record<string, string> = {}): Promise<TestDatabase> {
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error("global setup did not run");
  const config = testConfig(configOverrides);
  const name = `${TEST_DB_PREFIX}${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ROOT_URL });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}" owner "${config.DATABASE_OWNER}"`);
  await admin.end();
  const owner = withDatabase(withCredentials(ROOT_URL, config.DATABASE_OWNER, config.DATABASE_OWNER_PASSWORD), name);
  const rootUrl = withDatabase(ROOT_URL, name);
  const root = new pg.Pool({ connectionString: rootUrl, max: 3 });
  // pool.end() resolves before its sockets have closed: a connection still
  // closing when drop() forces the database away gets 57P01, which is
  // expected then; anything else must still fail the test file.
  root.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  return {
    name,
    config,
    urls: { ...databaseUrls(config, owner), root: rootUrl },
    root,
    async drop() {
      await root.end();
      const admin = new pg.Client({ connectionString: ROOT_URL });
      await admin.connect();
      // Give the pools just ended a moment to close their connections, so
      // the forced drop below cuts none of them mid-goodbye.
      for (let i = 0; i < 40; i++) {
        const { rows } = await admin.query("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

/**
 * The test file's own database, created in a `beforeAll` and dropped in an
 * `afterAll` registered here. Jest runs hooks in registration order, so a
 * `beforeAll` registered after this call can already use `.db`, and one
 * registered before it can compute overrides (e.g. a local server's URL).
 */
export function useTestDatabase(
  configOverrides: Record<string, string> | (() => Record<string, string>) = {},
): { readonly db: TestDatabase } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(typeof configOverrides === "function" ? configOverrides() : configOverrides);
  });
  afterAll(async () => {
    // Undefined when the create failed: that error is the one to report.
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error("useTestDatabase: no database yet (read .db in hooks and tests, not when the file loads)");
      return db;
    },
  };
}

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
}

let counter = 0;
export const TEST_PASSWORD = "Correct-Horse-9";

/** Creates a user directly in the database (bcrypt included), as the seed does. */
export async function createUser(db: TestDatabase, prefix = "user"): Promise<TestUser> {
  const username = `${prefix}_${process.pid % 1000}_${++counter}`;
  const email = `${username}@example.com`;
  const { rows } = await db.root.query<{ id: string }>(
    "select id from app_private.really_create_user($1, $2, $3, null)", [username, email, TEST_PASSWORD],
  );
  return { id: rows[0]!.id, username, email, password: TEST_PASSWORD };
}

/**
 * Runs `fn` as the visitor signed in as `userId` (through a real session row,
 * as the gateway would), or as anonymous when `userId` is null. Rolled back.
 */
export async function asUser<T>(db: TestDatabase, userId: string | null, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.root.connect();
  try {
    await client.query("begin");
    if (userId) {
      const { rows } = await client.query<{ id: string }>(
        "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [userId],
      );
      await client.query("select set_config('jwt.claims.session_id', $1, true)", [rows[0]!.id]);
      await client.query(`set local role ${db.config.DATABASE_VISITOR}`);
    } else {
      await client.query(`set local role ${db.config.DATABASE_ANONYMOUS}`);
    }
    return await fn(client);
  } finally {
    await client.query("rollback");
    client.release();
  }
}

/** The SQLSTATE a promise rejects with. */
export async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error("expected the statement to fail");
}

export interface Attempt {
  rows: Record<string, unknown>[];
  /** SQLSTATE when the statement failed. */
  code?: string;
}

/** Runs one statement inside a savepoint, so a failure leaves the transaction usable. */
export async function attempt(client: pg.PoolClient, text: string, values: unknown[] = []): Promise<Attempt> {
  await client.query("savepoint attempt");
  try {
    const { rows } = await client.query(text, values);
    await client.query("release savepoint attempt");
    return { rows };
  } catch (error) {
    await client.query("rollback to savepoint attempt");
    return { rows: [], code: (error as { code?: string }).code };
  }
}

// The idempotent setup step: roles and the database. `npm start`, the tests
// and CI all run it before migrating; it needs a superuser connection.
import { readFile } from "node:fs/promises";
import pg from "pg";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { withDatabase } from "./urls.js";

async function ensureRole(client: pg.Client, name: string, attributes: string): Promise<void> {
  const { rowCount } = await client.query("select 1 from pg_roles where rolname = $1", [name]);
  const verb = rowCount ? "alter" : "create";
  await client.query(`${verb} role ${client.escapeIdentifier(name)} with ${attributes}`);
}

/** Placeholders shared by graphile-migrate and the setup SQL. */
export function rolePlaceholders(config: Config, database: string): Record<string, string> {
  return {
    ":DATABASE_NAME": database,
    ":DATABASE_OWNER": config.DATABASE_OWNER,
    ":DATABASE_AUTHENTICATOR": config.DATABASE_AUTHENTICATOR,
    ":DATABASE_VISITOR": config.DATABASE_VISITOR,
    ":DATABASE_ANONYMOUS": config.DATABASE_ANONYMOUS,
  };
}

export function fillPlaceholders(sql: string, placeholders: Record<string, string>): string {
  return sql.replace(/:DATABASE_[A-Z]+/g, (name) => {
    const value = placeholders[name];
    if (value === undefined) throw new Error(`Unknown placeholder ${name}`);
    return value;
  });
}

export async function ensureRolesAndDatabase(rootUrl: string, config: Config, database: string): Promise<void> {
  const root = new pg.Client({ connectionString: rootUrl });
  await root.connect();
  try {
    const lit = (s: string) => root.escapeLiteral(s);
    const id = (s: string) => root.escapeIdentifier(s);
    // Serialise concurrent setups (parallel test runs, several gateways).
    await root.query("select pg_advisory_lock(hashtext('lifegraph:setup'))");
    const safe = "nosuperuser nobypassrls nocreaterole nocreatedb";
    await ensureRole(root, config.DATABASE_OWNER, `login password ${lit(config.DATABASE_OWNER_PASSWORD)} ${safe}`);
    await ensureRole(
      root,
      config.DATABASE_AUTHENTICATOR,
      `login noinherit password ${lit(config.DATABASE_AUTHENTICATOR_PASSWORD)} ${safe}`,
    );
    await ensureRole(root, config.DATABASE_VISITOR, `nologin ${safe}`);
    await ensureRole(root, config.DATABASE_ANONYMOUS, `nologin ${safe}`);
    await root.query(`grant ${id(config.DATABASE_ANONYMOUS)} to ${id(config.DATABASE_VISITOR)}`);
    await root.query(
      `grant ${id(config.DATABASE_VISITOR)}, ${id(config.DATABASE_ANONYMOUS)} to ${id(config.DATABASE_AUTHENTICATOR)}`,
    );
    const { rowCount } = await root.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) {
      await root.query(`create database ${id(database)} owner ${id(config.DATABASE_OWNER)} encoding 'utf8'`);
    }
  } finally {
    await root.end();
  }
  await grantDatabase(rootUrl, config, database);
}

/** The database-level grants graphile-migrate's `reset` applies, from the same file (migrations/afterReset.sql). */
export async function grantDatabase(rootUrl: string, config: Config, database: string): Promise<void> {
  const db = new pg.Client({ connectionString: withDatabase(rootUrl, database) });
  await db.connect();
  try {
    const sql = await readFile(fromRoot("migrations", "afterReset.sql"), "utf8");
    await db.query(fillPlaceholders(sql, rolePlaceholders(config, database)));
  } finally {
    await db.end();
  }
}

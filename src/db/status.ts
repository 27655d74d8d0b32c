// Is the database this process talks to migrated to the code's level?
// graphile-migrate records a migration as `NNNNNN.sql` whatever message
// follows the number in the committed file's name: compare the numbers.
import { readdir } from "node:fs/promises";
import type pg from "pg";
import { fromRoot } from "../paths.js";

const migrationNumber = (filename: string) => /^(\d+)/.exec(filename)?.[1] ?? null;

export async function latestCommittedMigration(): Promise<string | null> {
  const files = (await readdir(fromRoot("migrations", "committed"))).filter((f) => f.endsWith(".sql")).sort();
  const last = files.at(-1);
  return last ? migrationNumber(last) : null;
}

export async function migrationsAreCurrent(ownerPool: pg.Pool, expected: string | null): Promise<boolean> {
  const { rows } = await ownerPool.query<{ filename: string }>(
    "select filename from graphile_migrate.migrations order by filename desc limit 1",
  );
  return (rows[0] ? migrationNumber(rows[0].filename) : null) === expected;
}

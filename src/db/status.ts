// Is the database this process talks to migrated to the code's level?
import { readdir } from "node:fs/promises";
import type pg from "pg";
import { fromRoot } from "../paths.js";

export async function latestCommittedMigration(): Promise<string | null> {
  const files = (await readdir(fromRoot("migrations", "committed"))).filter((f) => f.endsWith(".sql")).sort();
  return files.at(-1) ?? null;
}

export async function migrationsAreCurrent(ownerPool: pg.Pool, expected: string | null): Promise<boolean> {
  const { rows } = await ownerPool.query<{ filename: string }>(
    "select filename from graphile_migrate.migrations order by filename desc limit 1",
  );
  return (rows[0]?.filename ?? null) === expected;
}

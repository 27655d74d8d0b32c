// Fixtures: the one current home of every function, trigger, policy, grant and
// comment (migrations/fixtures/<domain>/*.sql). graphile-migrate inlines the
// `--!include` lines of current.sql when a migration is committed; all.sql
// includes every fixture, in the order a database can apply them.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
// The include compiler is not re-exported from the package root: use the very
// function graphile-migrate commits with, so the drift check cannot disagree.
import { compileIncludes } from "graphile-migrate/dist/migration.js";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { fillPlaceholders, rolePlaceholders } from "./roles.js";

export const FIXTURES_MANIFEST = "all.sql";

/** Every fixture file, relative to the fixtures folder, sorted. */
export async function fixtureFiles(migrationsFolder = fromRoot("migrations")): Promise<string[]> {
  const root = path.join(migrationsFolder, "fixtures");
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".sql"))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((file) => file !== FIXTURES_MANIFEST)
    .sort();
}

/** The files all.sql includes, in its order. */
export async function manifestFiles(migrationsFolder = fromRoot("migrations")): Promise<string[]> {
  const text = await readFile(path.join(migrationsFolder, "fixtures", FIXTURES_MANIFEST), "utf8");
  return [...text.matchAll(/^--!\s*include\s+(\S+\.sql)\s*$/gm)].map((m) => m[1]!);
}

/** All fixtures as one SQL text, includes inlined and role placeholders filled. */
export async function compiledFixtures(config: Config, database: string, migrationsFolder = fromRoot("migrations")): Promise<string> {
  const manifest = path.join(migrationsFolder, "fixtures", FIXTURES_MANIFEST);
  const text = await readFile(manifest, "utf8");
  const settings = { migrationsFolder } as Parameters<typeof compileIncludes>[0];
  const compiled = await compileIncludes(settings, text, new Set([manifest]));
  return fillPlaceholders(compiled, rolePlaceholders(config, database));
}

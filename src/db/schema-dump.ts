// migrations/schema.sql: our schemas as pg_dump prints them, so that a reader
// sees the current database in one file and a review sees every change to it.
// Stable across machines: no header, no session settings, no owners (one role
// owns everything), and role names written as the migrations' placeholders.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { rolePlaceholders } from "./roles.js";

export const SCHEMA_DUMP_PATH = fromRoot("migrations", "schema.sql");

const run = promisify(execFile);

/** pg_dump of app_public, app_hidden and app_private, normalised. */
export async function schemaDump(config: Config, connectionString: string): Promise<string> {
  const { stdout } = await run("pg_dump", [
    "--schema-only", "--no-owner",
    "--schema=app_public", "--schema=app_hidden", "--schema=app_private",
    // pg_dump 15.18+ writes a random \restrict key unless given one.
    "--restrict-key=lifegraph",
    connectionString,
  ], { maxBuffer: 64 * 1024 * 1024 });
  const roles = Object.entries(rolePlaceholders(config, ""))
    .filter(([placeholder]) => placeholder !== ":DATABASE_NAME");
  const lines = stdout.split("\n").filter((line) =>
    !/^(SET |SELECT pg_catalog\.set_config|\\(un)?restrict |-- Dumped (from|by) )/.test(line));
  let text = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  for (const [placeholder, role] of roles) {
    text = text.replace(new RegExp(`\\b${role}\\b`, "g"), placeholder);
  }
  return "--\n-- lifegraph's schemas after the last committed migration (npm run db:dump).\n-- Generated: edit migrations/current.sql and the fixtures, never this file.\n" + text;
}

// The layout of migrations/ holds: the schema dump is current, every fixture
// is carried by a committed migration (applying them all changes nothing),
// every function, policy and trigger has exactly one home, and current.sql
// holds no uncommitted work. When one fails, its message says what to run.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { compiledFixtures, fixtureFiles, manifestFiles } from "../../src/db/fixtures.js";
import { SCHEMA_DUMP_PATH, schemaDump } from "../../src/db/schema-dump.js";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";

const t = useTestDatabase();

/** Applies every fixture to the test database (as the owner, as a migration would) and dumps it. */
async function dumpAfterFixtures(migrationsFolder?: string): Promise<string> {
  const sql = await compiledFixtures(t.db.config, t.db.name, migrationsFolder);
  const owner = new pg.Client({ connectionString: t.db.urls.owner });
  await owner.connect();
  try {
    await owner.query("begin");
    await owner.query(sql);
    await owner.query("commit");
  } finally {
    await owner.end();
  }
  return schemaDump(t.db.config, t.db.urls.owner);
}

it("migrations/schema.sql is the dump of the committed migrations (npm run db:dump, or db:commit, rewrites it)", async () => {
  const committed = await readFile(SCHEMA_DUMP_PATH, "utf8");
  expect(await schemaDump(t.db.config, t.db.urls.owner)).toBe(committed);
});

it("current.sql holds no uncommitted work (npm run db:commit)", async () => {
  const current = await readFile(fromRoot("migrations", "current.sql"), "utf8");
  const statements = current.split("\n").filter((line) => line.trim() && !line.trim().startsWith("--"));
  expect(statements).toEqual([]);
});

it("all.sql includes every fixture exactly once", async () => {
  const listed = await manifestFiles();
  expect([...listed].sort()).toEqual(await fixtureFiles());
  expect(new Set(listed).size).toBe(listed.length);
});

describe("fixture drift", () => {
  // Serial: both apply fixtures to the same database.
  it("applying every fixture to the migrated database changes nothing", async () => {
    const before = await schemaDump(t.db.config, t.db.urls.owner);
    expect(await dumpAfterFixtures()).toBe(before);
  });

  it("a fixture edited without a migration is caught", async () => {
    const copy = await mkdtemp(path.join(tmpdir(), "lifegraph-fixtures-"));
    try {
      await cp(fromRoot("migrations", "fixtures"), path.join(copy, "fixtures"), { recursive: true });
      const file = path.join(copy, "fixtures", "platform", "functions.sql");
      const text = await readFile(file, "utf8");
      const edited = text.replace("'Raises DNIED unless the current user is an administrator.'", "'Edited without a migration.'");
      expect(edited).not.toBe(text);
      await writeFile(file, edited);
      const before = await schemaDump(t.db.config, t.db.urls.owner);
      const after = await dumpAfterFixtures(copy);
      expect(after).not.toBe(before);
      expect(after).toContain("Edited without a migration.");
      // Put the database back for any later test.
      expect(await dumpAfterFixtures()).toBe(before);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe("one home for every object", () => {
  let fixtures: string;
  beforeAll(async () => {
    const files = await fixtureFiles();
    fixtures = (await Promise.all(files.map((f) => readFile(fromRoot("migrations", "fixtures", f), "utf8")))).join("\n");
  });
  const count = (re: RegExp) => [...fixtures.matchAll(re)].length;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  it("each function of ours is defined in exactly one fixture", async () => {
    const { rows } = await t.db.root.query<{ name: string }>(`
      select distinct n.nspname || '.' || p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('app_public', 'app_hidden', 'app_private') order by 1`);
    expect(rows.length).toBeGreaterThan(100);
    const missing = rows.filter(({ name }) => count(new RegExp(`create or replace function ${esc(name)}\\(`, "g")) !== 1);
    expect(missing).toEqual([]);
  });

  it("each policy is created in exactly one fixture, and each table's RLS is switched on there", async () => {
    const { rows } = await t.db.root.query<{ policy: string; tbl: string }>(`
      select policyname as policy, schemaname || '.' || tablename as tbl from pg_policies
      where schemaname in ('app_public', 'app_hidden', 'app_private')`);
    const missing = rows.filter(({ policy, tbl }) => count(new RegExp(`create policy ${policy} on ${esc(tbl)}\\b`, "g")) !== 1);
    expect(missing).toEqual([]);
    const tables = new Set(rows.map((r) => r.tbl));
    const noSwitch = [...tables].filter((t) => count(new RegExp(`alter table ${esc(t)} enable row level security;`, "g")) !== 1);
    expect(noSwitch).toEqual([]);
  });

  it("each trigger is created in exactly one fixture", async () => {
    const { rows } = await t.db.root.query<{ name: string; tbl: string }>(`
      select t.tgname as name, n.nspname || '.' || c.relname as tbl from pg_trigger t
      join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and n.nspname in ('app_public', 'app_hidden', 'app_private')`);
    const missing = rows.filter(({ name, tbl }) =>
      count(new RegExp(`create (or replace |constraint )?trigger ${name}\\b[^;]*? on ${esc(tbl)}\\b`, "g")) !== 1);
    expect(missing).toEqual([]);
  });

  it("docs/errors.md names, for each code a function raises, the fixture that raises it", async () => {
    const doc = await readFile(fromRoot("docs", "errors.md"), "utf8");
    const rows = [...doc.matchAll(/^\| `([A-Z]{5})` \|.*\]\(\.\.\/(migrations\/fixtures\/[^)]+)\)/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const [, code, file] of rows) {
      expect({ code, raisedThere: (await readFile(fromRoot(file!), "utf8")).includes(`'${code}'`) }).toEqual({ code, raisedThere: true });
    }
  });
});

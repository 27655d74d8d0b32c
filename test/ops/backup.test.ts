// db:backup and db:restore: a database with the demo's users, journal,
// friends, messages, communities and queued jobs is dumped, restored into a
// new database that passes the contract check and holds as many rows in
// every table as the source; a damaged backup and an existing database name
// are refused; the retention keeps 7 daily, 4 weekly and 3 monthly backups.
import { execFile, execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, open, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { backupFileName, parseBackupName, pruneBackups, retention, verifyChecksum } from "../../src/ops/backup.js";
import { dropDatabase, restoreDatabaseName, tableRowCounts } from "../../src/ops/restore.js";
import { schemaDump } from "../../src/db/schema-dump.js";
import { seedDemoData } from "../../src/db/seed.js";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";
import { ROOT_URL, TEST_DB_PREFIX } from "../helpers/env.js";

const t = useTestDatabase();
let tmp: string;
/** With LIFEGRAPH_TEST_CURRENT=1 the database holds current.sql too: its own dump is then the contract (as in verify.test.ts). */
let contractArgs: string[] = [];
const created: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "lifegraph-backup-"));
  if (process.env.LIFEGRAPH_TEST_CURRENT === "1") {
    await writeFile(path.join(tmp, "schema.sql"), await schemaDump(t.db.config, t.db.urls.owner));
    contractArgs = ["--contract", path.join(tmp, "schema.sql")];
  }
});
afterAll(async () => {
  for (const name of created) await dropDatabase(ROOT_URL, name);
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function runScript(script: string, args: string[]): Promise<{ status: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", JWT_SECRET: t.db.config.JWT_SECRET,
    DATABASE_URL: t.db.urls.owner, ROOT_DATABASE_URL: t.db.urls.root,
  };
  delete env.AUTH_DATABASE_URL;
  return new Promise((resolve) => {
    execFile(fromRoot("node_modules", ".bin", "tsx"), [script, ...args], { cwd: fromRoot(), env, encoding: "utf8", timeout: 180_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, output: stdout + stderr }));
  });
}

const databaseExists = async (name: string) =>
  (await t.db.root.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;

describe("back up, then restore into a new database", () => {
  let dump: string;
  const restoredName = `${TEST_DB_PREFIX}restored_${process.pid}`;

  beforeAll(async () => {
    await seedDemoData(t.db.urls.owner);
    // A job waiting in the queue, and one a worker holds: both must come back.
    await t.db.root.query("select graphile_worker.add_job('backup_test__waiting', '{\"n\": 1}')");
    await t.db.root.query(`select graphile_worker.add_job('backup_test__locked', '{}');
      update graphile_worker._private_jobs set locked_at = now(), locked_by = 'worker-1'
       where task_id = (select id from graphile_worker._private_tasks where identifier = 'backup_test__locked')`);
  }, 120_000);

  it("npm run db:backup writes a custom-format dump named for the database, time and migration, and its sha256", async () => {
    const { status, output } = await runScript("scripts/ops/backup.ts", ["--dir", path.join(tmp, "backups")]);
    expect(output).toMatch(/^backup {3}\S+\.dump$/m);
    expect(status).toBe(0);
    const files = (await readdir(path.join(tmp, "backups"))).sort();
    expect(files).toHaveLength(2);
    const [dumpFile, sumFile] = files as [string, string];
    expect(sumFile).toBe(`${dumpFile}.sha256`);
    const { rows: [level] } = await t.db.root.query("select substring(max(filename) from '^(\\d+)') as n from graphile_migrate.migrations");
    expect(parseBackupName(dumpFile)).toMatchObject({ database: t.db.name, migration: level.n });
    expect(Date.now() - parseBackupName(dumpFile)!.takenAt.getTime()).toBeLessThan(120_000);
    dump = path.join(tmp, "backups", dumpFile);
    const head = Buffer.alloc(5);
    const handle = await open(dump, "r");
    await handle.read(head, 0, 5, 0);
    await handle.close();
    expect(head.toString()).toBe("PGDMP"); // pg_dump's custom format
    expect(await verifyChecksum(dump)).toMatchObject({ ok: true });
    // The checksum file is sha256sum's own format.
    expect(execFileSync("sha256sum", ["-c", sumFile], { cwd: path.dirname(dump), encoding: "utf8" })).toBe(`${dumpFile}: OK\n`);
  });

  it("npm run db:restore restores it into a new database that passes the contract check, and prints the row counts", async () => {
    created.push(restoredName);
    const { status, output } = await runScript("scripts/ops/restore.ts", [dump, "--database", restoredName, ...contractArgs]);
    expect(output).toMatch(/^PASS {2}checksum/m);
    expect(output).toMatch(new RegExp(`^PASS {2}restore .* into database ${restoredName} `, "m"));
    expect(output).toMatch(/^PASS {2}policies/m);
    expect(output).not.toMatch(/^FAIL/m);
    expect(output).toMatch(/matches the contract/);
    expect(output).toMatch(/^ {2}app_public\.users +5$/m);
    expect(output).toMatch(new RegExp(`Restored and verified\\. To use it, point DATABASE_URL at postgres://${t.db.config.DATABASE_OWNER}@[^ ]+/${restoredName} `));
    expect(status).toBe(0);
  });

  it("every table of app_public, app_hidden, app_private, graphile_worker and graphile_migrate has the source's row count", async () => {
    const source = await tableRowCounts(t.db.urls.root!);
    const restored = await tableRowCounts(new URL(`/${restoredName}`, ROOT_URL).toString());
    expect(Object.keys(source).length).toBeGreaterThan(80);
    expect(restored).toEqual(source);
    // The demo's life and social data and the queue are there, not just empty tables.
    for (const table of ["app_public.users", "app_public.journal_entries", "app_public.friendships", "app_public.direct_messages",
      "app_public.communities", "graphile_worker._private_jobs", "graphile_migrate.migrations"]) {
      expect([table, restored[table]]).toEqual([table, expect.any(Number)]);
      expect(restored[table]).toBeGreaterThan(0);
    }
  });

  it("the restored database works for the app's roles: the owner writes, the gateway's visitor sees only their own rows, the held job is still held", async () => {
    const connect = async (url: string) => {
      const client = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: `/${restoredName}` }).toString() });
      await client.connect();
      return client;
    };
    const owner = await connect(t.db.urls.owner);
    const gateway = await connect(t.db.urls.authenticator);
    try {
      const { rows: [alice] } = await owner.query("select id from app_public.users where username = 'alice'");
      const { rows: [session] } = await owner.query("insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [alice.id]);
      await gateway.query("begin");
      await gateway.query("select set_config('jwt.claims.session_id', $1, true)", [session.id]);
      await gateway.query(`set local role ${t.db.config.DATABASE_VISITOR}`);
      const { rows } = await gateway.query("select distinct user_id from app_public.journal_entries");
      expect(rows).toEqual([{ user_id: alice.id }]);
      await gateway.query("rollback");
      const { rows: jobs } = await owner.query(
        "select task_identifier, locked_by from graphile_worker.jobs where task_identifier like 'backup_test__%' order by 1");
      expect(jobs).toEqual([{ task_identifier: "backup_test__locked", locked_by: "worker-1" }, { task_identifier: "backup_test__waiting", locked_by: null }]);
    } finally {
      await gateway.end();
      await owner.end();
    }
  });

  it("refuses an existing database name, the live one included, and changes nothing", async () => {
    const usersBefore = (await t.db.root.query("select count(*)::int as n from app_public.users")).rows[0].n;
    const { status, output } = await runScript("scripts/ops/restore.ts", [dump, "--database", t.db.name]);
    expect(output).toMatch(new RegExp(`database ${t.db.name} already exists`));
    expect(status).toBe(2);
    expect((await t.db.root.query("select count(*)::int as n from app_public.users")).rows[0].n).toBe(usersBefore);
  });

  it("refuses a damaged backup by its checksum, before creating anything", async () => {
    const damaged = path.join(tmp, "damaged");
    await mkdir(damaged);
    const copy = path.join(damaged, path.basename(dump));
    await copyFile(dump, copy);
    await copyFile(`${dump}.sha256`, `${copy}.sha256`);
    const handle = await open(copy, "r+");
    const { size } = await handle.stat();
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, Math.floor(size / 2));
    await handle.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, Math.floor(size / 2));
    await handle.close();
    const name = `${TEST_DB_PREFIX}damaged_${process.pid}`;
    created.push(name);
    const { status, output } = await runScript("scripts/ops/restore.ts", [copy, "--database", name]);
    expect(output).toMatch(/^FAIL {2}checksum +sha256 is [0-9a-f]{64}, .* says [0-9a-f]{64}: the file is damaged/m);
    expect(status).toBe(1);
    expect(await databaseExists(name)).toBe(false);
  });

  it("refuses a backup without its checksum file", async () => {
    const bare = path.join(tmp, "bare");
    await mkdir(bare);
    await copyFile(dump, path.join(bare, path.basename(dump)));
    const { status, output } = await runScript("scripts/ops/restore.ts", [path.join(bare, path.basename(dump)), "--database", `${TEST_DB_PREFIX}bare_${process.pid}`]);
    expect(output).toMatch(/no checksum file .*\.dump\.sha256/);
    expect(status).toBe(2);
    expect(await databaseExists(`${TEST_DB_PREFIX}bare_${process.pid}`)).toBe(false);
  });

  it("derives the new database's name from the backup when none is given", () => {
    expect(restoreDatabaseName("/b/lifegraph-lifegraph-20261126T231746Z-000012.dump")).toBe("lifegraph_restored_20261126231746");
    expect(restoreDatabaseName(`/b/${backupFileName("x".repeat(63), new Date(), "000012")}`)).toHaveLength(63);
    expect(() => restoreDatabaseName("/b/other.dump")).toThrow(/--database/);
  });
});

describe("retention: 7 daily, 4 weekly, 3 monthly", () => {
  const at = (iso: string) => ({ takenAt: new Date(iso), iso });
  const kept = (backups: Array<{ takenAt: Date; iso: string }>) => retention(backups).keep.map((b) => b.iso);

  it("keeps the newest backup of each of the last 7 days, 4 weeks (from Monday) and 3 months", () => {
    const backups = [];
    for (let d = new Date("2026-08-01T02:00:00Z"); d <= new Date("2026-11-26T02:00:00Z"); d = new Date(d.getTime() + 86_400_000)) {
      backups.push(at(d.toISOString()));
    }
    backups.push(at("2026-11-25T14:00:00.000Z"), at("2026-11-26T14:00:00.000Z"));
    const { keep, prune } = retention(backups);
    expect(kept(backups)).toEqual([
      // Daily: Thursday 26 November (its later backup) back to Friday 20.
      "2026-11-26T14:00:00.000Z", "2026-11-25T14:00:00.000Z", "2026-11-24T02:00:00.000Z", "2026-11-23T02:00:00.000Z",
      "2026-11-22T02:00:00.000Z", "2026-11-21T02:00:00.000Z", "2026-11-20T02:00:00.000Z",
      // Weekly: the weeks of Monday 23 and 16 are kept already (26th, 22nd); then the Sundays closing the weeks of 9 and 2 November.
      "2026-11-15T02:00:00.000Z", "2026-11-08T02:00:00.000Z",
      // Monthly: November is kept already; the last of October and of September.
      "2026-10-31T02:00:00.000Z", "2026-09-30T02:00:00.000Z",
    ]);
    expect(keep.length + prune.length).toBe(backups.length);
  });

  it("counts days that have a backup, not calendar days, so gaps do not empty the set", () => {
    const backups = Array.from({ length: 30 }, (_, i) => at(new Date(Date.UTC(2026, 10, 26 - 3 * i, 3)).toISOString()));
    const keep = kept(backups);
    // Every third day: the 7 newest are the daily ones; 4 weeks and 3 months add what they do not cover.
    expect(keep.slice(0, 7)).toEqual(backups.slice(0, 7).map((b) => b.iso));
    expect(keep).toEqual([...backups.slice(0, 7).map((b) => b.iso), "2026-10-30T03:00:00.000Z", "2026-09-30T03:00:00.000Z"]);
  });

  it("prunes a folder per database: deletes each dump that goes with its checksum, and leaves other files", async () => {
    const dir = path.join(tmp, "prune");
    await mkdir(dir, { recursive: true });
    const names: string[] = [];
    for (let i = 0; i < 40; i++) {
      for (const database of ["lifegraph", "staging"]) {
        const name = backupFileName(database, new Date(Date.UTC(2026, 10, 26 - i, 2)), "000012");
        names.push(name);
        await writeFile(path.join(dir, name), "");
        await writeFile(path.join(dir, `${name}.sha256`), "");
      }
    }
    await writeFile(path.join(dir, "notes.txt"), "mine");
    await writeFile(path.join(dir, "lifegraph-lifegraph-20200101T000000Z-000001.dump.partial"), "");
    const { kept: keptFiles, deleted } = await pruneBackups(dir);
    const expected = (database: string) => [26, 25, 24, 23, 22, 21, 20, 15, 8]
      .map((day) => backupFileName(database, new Date(Date.UTC(2026, 10, day, 2)), "000012"))
      .concat(backupFileName(database, new Date(Date.UTC(2026, 9, 31, 2)), "000012"));
    expect(keptFiles.sort()).toEqual([...expected("lifegraph"), ...expected("staging")].sort());
    expect(deleted).toHaveLength(names.length - keptFiles.length);
    expect((await readdir(dir)).sort()).toEqual([
      ...keptFiles.flatMap((f) => [f, `${f}.sha256`]), "lifegraph-lifegraph-20200101T000000Z-000001.dump.partial", "notes.txt",
    ].sort());
  });
});

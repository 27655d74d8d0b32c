// Export (requestDataExport, privacy__export): one zip of everything the
// user owns, found by walking the catalog, and nothing of anyone else's;
// one a day unless the last failed; its progress readable by its owner only.
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openStorage } from "../../src/storage/index.js";
import { useTestDatabase } from "../helpers/db.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { connectAs } from "../helpers/peers.js";
import { unzip } from "./archive.js";
import { makeWorld, type World } from "./world.js";

let world: World | undefined;
const storageDir = path.join(tmpdir(), `lifegraph-privacy-${process.pid}`);
afterAll(async () => {
  await world?.close();
  await rm(storageDir, { recursive: true, force: true });
});
const t = useTestDatabase({ STORAGE_DIR: storageDir });

const one = async <T = any>(sql: string, values: unknown[] = []) => (await t.db.root.query(sql, values)).rows[0] as T;
let archive: Map<string, Buffer>;
let exportRow: any;
const files: Record<string, string> = {};

/** A stored attachment of the user's, bytes and row. */
async function storeFile(ownerId: string, text: string): Promise<string> {
  const { id } = await one("select gen_random_uuid() as id");
  const key = `attachments/${ownerId}/${id}`;
  const { size, sha256 } = await openStorage(t.db.config).put("attachments", key, Readable.from([Buffer.from(text)]));
  await t.db.root.query(
    `insert into app_public.files (id, owner_id, bucket, key, size, content_type, sha256, status, uploaded_at)
     values ($1, $2, 'attachments', '', $3, 'application/pdf', $4, 'ready', now())`,
    [id, ownerId, size, sha256],
  );
  return id;
}

const table = (name: string): any[] => JSON.parse(archive.get(`tables/${name}.json`)!.toString("utf8"));

beforeAll(async () => {
  world = await makeWorld(t.db, "ex");
  files.a = await storeFile(world.users.a.id, "a's own document");
  files.b = await storeFile(world.users.b.id, "b's own document");
  const asA = await connectAs(t.db, world.users.a.id);
  try {
    const { rows } = await asA.query("select id, status, progress from app_public.request_data_export()");
    expect(rows[0]).toMatchObject({ status: "queued", progress: 0 });
    exportRow = rows[0];
  } finally {
    await asA.close();
  }
  await runQueuedJobs(t.db);
  exportRow = await one("select * from app_public.data_exports where id = $1", [exportRow.id]);
  if (exportRow.status !== "ready") throw new Error(`the export is ${exportRow.status}: ${exportRow.error}`);
  const file = await one("select bucket, key from app_public.files where id = $1", [exportRow.file_id]);
  archive = await unzip(await openStorage(t.db.config).get(file.bucket, file.key));
});

describe("the export", () => {
  it("is ready, complete and expires in 7 days; its owner is notified with a signed link", async () => {
    expect(exportRow).toMatchObject({ status: "ready", progress: 100, error: null });
    const days = (exportRow.expires_at.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const { data } = await one("select data from app_public.notification_events where user_id = $1 and type = 'privacy.export_ready'", [world!.users.a.id]);
    expect(data.download_url).toMatch(new RegExp(`/storage/files/${exportRow.file_id}\\?exp=\\d+&sig=`));
    const file = await one("select bucket, owner_id, status, content_type from app_public.files where id = $1", [exportRow.file_id]);
    expect(file).toEqual({ bucket: "exports", owner_id: world!.users.a.id, status: "ready", content_type: "application/zip" });
  });

  it("holds JSON and CSV of every table that is deleted with a user and that users may read, found in the catalog", async () => {
    const { rows } = await t.db.root.query<{ rel: string }>(
      `select distinct k.conrelid::regclass::text as rel from pg_constraint k
       where k.contype = 'f' and k.confrelid = 'app_public.users'::regclass and k.confdeltype = 'c'
         and has_table_privilege($1, k.conrelid, 'SELECT')`,
      [t.db.config.DATABASE_VISITOR],
    );
    expect(rows.length).toBeGreaterThan(30);
    for (const { rel } of [...rows, { rel: "app_public.users" }]) {
      expect(archive.has(`tables/${rel}.json`)).toBe(true);
      expect(archive.get(`tables/${rel}.csv`)!.toString("utf8").split("\n")[0]).toMatch(/^[a-z_]+(,[a-z_0-9]+)*$/);
    }
    // Tables reached only through the user's rows: a founded community's invites.
    expect(archive.has("tables/app_public.community_invites.json")).toBe(true);
    expect(table("app_public.ritual_completions")).toHaveLength(1);
  });

  it("holds exactly A's rows: their life, friends, messages and communities", async () => {
    const { a, b } = world!.users;
    expect(table("app_public.users").map((u) => u.username)).toEqual([a.username]);
    expect(table("app_public.journal_entries").map((e) => e.title)).toEqual(["exa journal"]);
    expect(table("app_public.rituals").map((r) => r.title)).toEqual(["exa ritual"]);
    expect(table("app_public.direct_messages").map((m) => m.body_md)).toEqual(["hello b, from a"]);
    expect(table("app_public.conversations").map((c) => c.id)).toEqual([world!.abConversation]);
    expect(table("app_public.friendships").map((f) => [f.user_id, f.friend_id])).toEqual([[a.id, b.id]]);
    expect(table("app_public.communities").map((c) => c.id).sort()).toEqual([world!.aCommunity, world!.soloCommunity].sort());
    expect(table("app_public.community_members").map((m) => m.community_id).sort()).toEqual([world!.aCommunity, world!.bCommunity, world!.soloCommunity].sort());
    expect(table("app_public.point_transactions").length).toBeGreaterThan(0);
    expect(archive.get(`files/attachments/${files.a}`)!.toString("utf8")).toBe("a's own document");
  });

  it("holds nothing of anyone else's", async () => {
    const { a, c } = world!.users;
    for (const [name, bytes] of archive) {
      if (!name.endsWith(".json")) continue;
      for (const row of JSON.parse(bytes.toString("utf8"))) {
        if ("user_id" in row) expect([name, row.user_id]).toEqual([name, a.id]);
      }
    }
    const holding = (text: string) => [...archive].filter(([, bytes]) => bytes.toString("utf8").includes(text)).map(([name]) => name);
    for (const foreign of ["exb journal", "exc journal", "exb ritual", "hello c, from b", "b's own document", files.b!, c.id, c.username, world!.bcConversation]) {
      expect([foreign, holding(foreign)]).toEqual([foreign, []]);
    }
    // What B wrote to A is B's message, but A's notification of it.
    expect(holding("hello a, from b").filter((name) => !name.startsWith("tables/app_public.notification"))).toEqual([]);
    // C blocked A: the block is C's, and stays out.
    expect(table("app_public.blocks")).toEqual([]);
    expect(archive.has(`files/attachments/${files.b}`)).toBe(false);
  });
});

describe("requests", () => {
  it("are one a day (EXPRT), unless the last one failed", async () => {
    const asA = await connectAs(t.db, world!.users.a.id);
    try {
      expect((await asA.attempt("select app_public.request_data_export()")).code).toBe("EXPRT");
      await t.db.root.query("update app_public.data_exports set status = 'failed', file_id = null where id = $1", [exportRow.id]);
      expect((await asA.attempt("select id from app_public.request_data_export()")).code).toBeUndefined();
      expect((await asA.attempt("select app_public.request_data_export()")).code).toBe("EXPRT");
    } finally {
      await asA.close();
    }
  });

  it("show their progress to their owner only", async () => {
    const [asA, asB] = [await connectAs(t.db, world!.users.a.id), await connectAs(t.db, world!.users.b.id)];
    try {
      expect((await asA.query("select status, progress from app_public.data_exports order by requested_at")).rows).toEqual([
        { status: "failed", progress: 100 }, { status: "queued", progress: 0 },
      ]);
      expect((await asB.query("select * from app_public.data_exports")).rows).toEqual([]);
    } finally {
      await asA.close();
      await asB.close();
    }
  });

  it("that fails is retried, then failed with its error, which lifts the daily limit", async () => {
    const { rows: [queued] } = await t.db.root.query("select id from app_public.data_exports where status = 'queued'");
    // Storage that cannot be written: every attempt fails.
    const broken = { ...t.db.config, STORAGE_DIR: "/dev/null/lifegraph" };
    for (let attempt = 1; attempt <= 3; attempt++) {
      await runQueuedJobs(t.db, broken);
      const { status } = await one("select status from app_public.data_exports where id = $1", [queued.id]);
      expect([attempt, status]).toEqual([attempt, attempt < 3 ? "queued" : "failed"]);
    }
    const failed = await one("select status, error, file_id, finished_at from app_public.data_exports where id = $1", [queued.id]);
    expect(failed).toMatchObject({ status: "failed", file_id: null });
    expect(failed.error).toMatch(/ENOTDIR|not a directory/i);
    expect(failed.finished_at).toBeInstanceOf(Date);
    const asA = await connectAs(t.db, world!.users.a.id);
    try {
      expect((await asA.attempt("select id from app_public.request_data_export()")).code).toBeUndefined();
    } finally {
      await asA.close();
    }
  });
});

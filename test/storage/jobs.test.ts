// The storage jobs, run in-process against a real storage folder: the
// deletion that follows a deleted row, and the daily sweep of unfinished
// uploads and objects that no row points at.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, runQueuedJobs } from "../helpers/jobs.js";
import { openStorage } from "../../src/storage/index.js";
import { filesIn, png, tempStorageDir } from "./helpers.js";

let storage: Awaited<ReturnType<typeof tempStorageDir>>;
beforeAll(async () => {
  storage = await tempStorageDir();
});
afterAll(async () => {
  await storage?.remove();
});
const t = useTestDatabase(() => ({ STORAGE_DIR: storage.dir }));
let a: TestUser;

beforeAll(async () => {
  a = await createUser(t.db, "fjobs_a");
});

/** A file row of A, its object stored when `stored`, as the gateway would leave it. */
async function file(opts: { bucket?: string; type?: string; status?: "pending" | "ready"; createdAt?: string; expiresAt?: string }) {
  const { rows } = await t.db.root.query(
    `insert into app_public.files (owner_id, bucket, content_type, size, created_at, expires_at) values ($1, $2, $3, 68, coalesce($4::timestamptz, now()), $5)
     returning id, key, bucket`,
    [a.id, opts.bucket ?? "attachments", opts.type ?? "image/png", opts.createdAt ?? null, opts.expiresAt ?? null],
  );
  const row = rows[0] as { id: string; key: string; bucket: "attachments" | "exports" };
  if (opts.status === "ready") {
    const { sha256 } = await openStorage(t.db.config).put(row.bucket, row.key, Readable.from([png()]));
    await t.db.root.query("update app_public.files set status = 'ready', sha256 = $2, uploaded_at = now() where id = $1", [row.id, sha256]);
  }
  return row;
}

/** An object with no row, written `hoursAgo`. */
async function stray(relative: string, hoursAgo: number): Promise<string> {
  const full = path.join(storage.dir, relative);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, "stray");
  const when = new Date(Date.now() - hoursAgo * 3600_000);
  await utimes(full, when, when);
  return relative;
}

/** The jobs still queued, once the worker's completions have landed (they may trail runOnce by a moment under load). */
async function leftJobs(): Promise<Array<{ identifier: string; last_error: string | null }>> {
  const read = async () =>
    (await t.db.root.query("select t.identifier, j.last_error from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id")).rows;
  for (let i = 0; i < 50; i++) {
    const rows = await read();
    if (rows.length === 0 || rows.every((r) => r.last_error)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

const exists = async (id: string) => (await t.db.root.query("select 1 from app_public.files where id = $1", [id])).rowCount === 1;

describe("storage__delete", () => {
  it("removes the object of a deleted row, and is a no-op when it is gone already", async () => {
    await clearJobs(t.db);
    const row = await file({ status: "ready" });
    expect(await filesIn(storage.dir)).toContain(row.key);
    await t.db.root.query("delete from app_public.files where id = $1", [row.id]);
    await t.db.root.query("select graphile_worker.add_job('storage__delete', json_build_object('bucket', 'attachments', 'key', $1::text))", [row.key]);
    await runQueuedJobs(t.db);
    expect(await filesIn(storage.dir)).not.toContain(row.key);
    expect(await leftJobs()).toEqual([]);
  });

  it("refuses a key outside its bucket (no path from a payload reaches the disk)", async () => {
    await clearJobs(t.db);
    await t.db.root.query("select graphile_worker.add_job('storage__delete', json_build_object('bucket', 'attachments', 'key', '../outside'), max_attempts := 1)");
    await runQueuedJobs(t.db);
    const rows = await leftJobs();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.last_error).toMatch(/invalid storage key/);
    await clearJobs(t.db);
  });
});

describe("storage__sweep", () => {
  it("deletes stale pending rows and old objects without a row; keeps the rest, expired exports included (privacy__prune_exports owns those)", async () => {
    await clearJobs(t.db);
    const stalePending = await file({ createdAt: new Date(Date.now() - 2 * 86400_000).toISOString() });
    const freshPending = await file({});
    const kept = await file({ status: "ready" });
    const expired = await file({ bucket: "exports", type: "application/zip", status: "ready", expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const orphan = await stray(`attachments/${a.id}/${randomUUID()}`, 48);
    const young = await stray(`attachments/${a.id}/${randomUUID()}`, 0);
    const crashed = await stray(`avatars/_tmp/${randomUUID()}`, 48);
    expect(await filesIn(storage.dir)).toEqual(expect.arrayContaining([kept.key, expired.key, orphan, young, crashed]));

    await t.db.root.query("select graphile_worker.add_job('storage__sweep', '{}'::json)");
    await runQueuedJobs(t.db);

    expect([await exists(stalePending.id), await exists(freshPending.id), await exists(kept.id), await exists(expired.id)]).toEqual([false, true, true, true]);
    const left = await filesIn(storage.dir);
    expect(left).toContain(kept.key);
    expect(left).toContain(young);
    expect(left).toContain(expired.key);
    for (const gone of [orphan, crashed]) expect(left).not.toContain(gone);
    expect(await leftJobs()).toEqual([]);
  });
});

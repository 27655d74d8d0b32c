// The daily retention jobs remove exactly what has expired, keep flagged
// and young rows, and record what they removed (app_private.retention_runs).
import { beforeAll, describe, expect, it } from "@jest/globals";
import { loadCrontab } from "../../src/worker/runner.js";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";

const t = useTestDatabase({ ACTIVITY_RETENTION_DAYS: "365", EXPORT_TTL_DAYS: "7", SESSION_RETENTION_DAYS: "30" });
let user: TestUser;
let reporter: TestUser;

const one = async <T = any>(sql: string, values: unknown[] = []) => (await t.db.root.query(sql, values)).rows[0] as T;
const column = async (sql: string, values: unknown[] = []) => (await t.db.root.query(sql, values)).rows.map((r) => Object.values(r)[0]);
const lastRun = async (task: string) => (await one("select removed from app_private.retention_runs where task = $1 order by id desc limit 1", [task]))?.removed;

beforeAll(async () => {
  user = await createUser(t.db, "ret");
  reporter = await createUser(t.db, "retrep");
  await clearJobs(t.db);
});

async function event(label: string, ageDays: number): Promise<string> {
  const { id } = await one(
    `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility, created_at)
     values ($1, 'social.friendship', 'user', $2, $3, 'public', now() - $4 * interval '1 day') returning id`,
    [user.id, reporter.id, { label }, ageDays],
  );
  return id;
}

describe("privacy__purge_activity", () => {
  it("deletes events older than 12 months, but reported or moderated ones", async () => {
    await t.db.root.query("delete from app_public.activity_events");
    await event("old", 400);
    const reported = await event("old, reported", 400);
    const hidden = await event("old, hidden by a moderator", 500);
    await event("young", 300);
    await t.db.root.query("insert into app_public.content_reports (reporter_id, event_id, reason) values ($1, $2, 'spam')", [reporter.id, reported]);
    await t.db.root.query("insert into app_public.moderation_actions (moderator_id, action, event_id) values ($1, 'hide_event', $2)", [reporter.id, hidden]);
    await t.db.root.query("select graphile_worker.add_job('privacy__purge_activity', '{}'::json)");
    await runQueuedJobs(t.db);
    expect((await column("select metadata ->> 'label' from app_public.activity_events order by 1"))).toEqual(
      ["old, hidden by a moderator", "old, reported", "young"],
    );
    expect(await lastRun("privacy__purge_activity")).toEqual({ activity_events: 1, retention_days: 365 });
  });

  it("takes a shorter period from its payload", async () => {
    await t.db.root.query("select graphile_worker.add_job('privacy__purge_activity', '{\"retentionDays\": 200}'::json)");
    await runQueuedJobs(t.db);
    expect(await column("select metadata ->> 'label' from app_public.activity_events order by 1")).toEqual(["old, hidden by a moderator", "old, reported"]);
    expect(await lastRun("privacy__purge_activity")).toEqual({ activity_events: 1, retention_days: 200 });
  });
});

describe("privacy__prune_exports", () => {
  async function readyExport(expiresInDays: number): Promise<{ id: string; fileId: string; key: string }> {
    const { id: fileId } = await one(
      `insert into app_public.files (owner_id, bucket, key, size, content_type, sha256, status, uploaded_at, expires_at)
       values ($1, 'exports', '', 10, 'application/zip', repeat('a', 64), 'ready', now(), now() + $2 * interval '1 day') returning id`,
      [user.id, expiresInDays],
    );
    const { id } = await one(
      `insert into app_public.data_exports (user_id, status, progress, file_id, finished_at, expires_at)
       values ($1, 'ready', 100, $2, now(), now() + $3 * interval '1 day') returning id`,
      [user.id, fileId, expiresInDays],
    );
    return { id, fileId, key: `exports/${user.id}/${fileId}` };
  }

  it("expires exports past their date and deletes their archives; keeps the others", async () => {
    await clearJobs(t.db);
    const expired = await readyExport(-1);
    const live = await readyExport(3);
    for (let run = 0; run < 2; run++) {
      await t.db.root.query("select graphile_worker.add_job('privacy__prune_exports', '{}'::json)");
      await runQueuedJobs(t.db);
    }
    // The object's deletion (storage__delete, queued by the file row's trigger) ran too.
    expect(await queuedJobs(t.db)).toEqual([]);
    expect(await one("select status, file_id from app_public.data_exports where id = $1", [expired.id])).toEqual({ status: "expired", file_id: null });
    expect(await one("select status, file_id from app_public.data_exports where id = $1", [live.id])).toEqual({ status: "ready", file_id: live.fileId });
    expect(await column("select id from app_public.files where id = any ($1)", [[expired.fileId, live.fileId]])).toEqual([live.fileId]);
    expect((await column("select removed from app_private.retention_runs where task = 'privacy__prune_exports' order by id"))).toEqual([{ exports: 1 }, { exports: 0 }]);
  });
});

describe("identity__prune_sessions", () => {
  it("deletes sessions and account tokens that ended over 30 days ago, keeps the rest", async () => {
    await t.db.root.query("delete from app_private.sessions where user_id = $1", [user.id]);
    const session = async (endedDaysAgo: number) => (await one(
      "insert into app_private.sessions (user_id, expires_at, revoked_at) values ($1, now() + interval '1 day', now() - $2 * interval '1 day') returning id",
      [user.id, endedDaysAgo],
    )).id;
    const token = async (expiredDaysAgo: number) => (await one(
      "insert into app_private.account_tokens (user_id, purpose, token_hash, expires_at) values ($1, 'reset_password', gen_random_bytes(32), now() - $2 * interval '1 day') returning id",
      [user.id, expiredDaysAgo],
    )).id;
    await session(40);
    const recent = await session(2);
    await token(40);
    const young = await token(2);
    await t.db.root.query("select graphile_worker.add_job('identity__prune_sessions', '{}'::json)");
    await runQueuedJobs(t.db);
    expect(await column("select id from app_private.sessions where user_id = $1", [user.id])).toEqual([recent]);
    expect(await column("select id from app_private.account_tokens where user_id = $1 and purpose = 'reset_password'", [user.id])).toEqual([young]);
    expect(await lastRun("identity__prune_sessions")).toEqual({ sessions_and_tokens: 2 });
  });
});

describe("the crontab", () => {
  it("runs every retention job daily", async () => {
    const tasks = (await loadCrontab()).map((item) => item.task);
    for (const task of ["privacy__purge_activity", "privacy__prune_exports", "notifications__prune", "identity__prune_sessions"]) {
      expect(tasks).toContain(task);
    }
  });
});

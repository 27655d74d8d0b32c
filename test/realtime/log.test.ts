// The realtime log: in commit order, only what commits; realtime__prune keeps
// a week of it for resuming (older rows go, their events stay).
import { beforeAll, describe, expect, it } from "@jest/globals";
import { loadCrontab } from "../../src/worker/runner.js";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, runQueuedJobs } from "../helpers/jobs.js";
import { emit } from "../helpers/realtime.js";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "logged");
  await clearJobs(t.db);
});

describe("the realtime log", () => {
  it("drops log rows older than a week and keeps the events and the newer rows", async () => {
    const old = await emit(t.db, user.id, "eight days ago");
    const recent = await emit(t.db, user.id, "six days ago");
    await t.db.root.query("update app_private.realtime_log set created_at = now() - interval '8 days' where row_id = $1", [old]);
    await t.db.root.query("update app_private.realtime_log set created_at = now() - interval '6 days' where row_id = $1", [recent]);
    await t.db.root.query("select graphile_worker.add_job('realtime__prune', '{}'::json)");
    await runQueuedJobs(t.db);
    const { rows: log } = await t.db.root.query("select row_id from app_private.realtime_log where row_id = any($1)", [[old, recent]]);
    expect(log.map((r) => r.row_id)).toEqual([recent]);
    const { rows: events } = await t.db.root.query("select count(*)::int as n from app_public.activity_events where id = any($1)", [[old, recent]]);
    expect(events[0].n).toBe(2);
  });

  it("logs only what commits, in the order of commits, not of writes", async () => {
    const { rows: [{ seq: start }] } = await t.db.root.query("select coalesce(max(seq), 0) as seq from app_private.realtime_log");
    const insert = `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
      values ($1, 'goals.done', 'goal', gen_random_uuid(), jsonb_build_object('goal_title', $2::text), 'public') returning id`;
    const early = await t.db.root.connect();
    const rolledBack = await t.db.root.connect();
    try {
      await rolledBack.query("begin");
      await rolledBack.query(insert, [user.id, "rolled back"]);
      // Written first, committed last.
      await early.query("begin");
      const { rows: [written] } = await early.query(insert, [user.id, "written first"]);
      const committedFirst = await emit(t.db, user.id, "committed first");
      await rolledBack.query("rollback");
      await early.query("commit");
      const { rows } = await t.db.root.query("select row_id from app_private.realtime_log where seq > $1 order by seq", [start]);
      expect(rows.map((r) => r.row_id)).toEqual([committedFirst, written.id]);
    } finally {
      early.release();
      rolledBack.release();
    }
  });

  it("runs daily from the crontab", async () => {
    expect((await loadCrontab()).map((i) => i.task)).toContain("realtime__prune");
  });
});

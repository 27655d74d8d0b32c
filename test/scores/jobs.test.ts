// The rollup jobs: enqueued by score writes (one debounced job for a burst),
// idempotent, recomputed in full by admins, repaired nightly by the crontab.
import { beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { loadCrontab } from "../../src/worker/runner.js";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";

const t = useTestDatabase();
let user: TestUser;
let admin: TestUser;
let wrk: number;
let hlt: number;

beforeAll(async () => {
  user = await createUser(t.db, "scorer");
  admin = await createUser(t.db, "admin");
  await t.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
  const { rows } = await t.db.root.query("select code, id from app_public.life_areas where code in ('WRK', 'HLT')");
  wrk = rows.find((r) => r.code === "WRK").id;
  hlt = rows.find((r) => r.code === "HLT").id;
});
beforeEach(async () => {
  await t.db.root.query("delete from app_public.scores");
  await t.db.root.query("truncate app_public.score_rollups, app_private.rollup_queue");
  await clearJobs(t.db);
});

const addScore = (area: number, day: string, score: number) =>
  t.db.root.query("insert into app_public.scores (user_id, area_id, score_date, score) values ($1, $2, $3, $4) returning id", [
    user.id, area, day, score,
  ]);

/** Rollups without computed_at, in a stable order. */
async function rollups() {
  const { rows } = await t.db.root.query(
    `select area_id, period_kind, period_start::text, score::float8, sample_count, covered_days, confidence::float8,
            app_public.score_rollups_trend_7_days(r)::float8, app_public.score_rollups_trend_30_days(r)::float8, app_public.score_rollups_trend_90_days(r)::float8
     from app_public.score_rollups r where user_id = $1 order by 1, 2, 3`,
    [user.id],
  );
  return rows;
}

describe("scores__rollup", () => {
  it("a burst of score writes queues the stale (user, area, first day) and one debounced job", async () => {
    await addScore(wrk, "2024-05-10", 3);
    await addScore(wrk, "2024-05-02", 4);
    await addScore(hlt, "2024-05-20", 2);
    const jobs = await queuedJobs(t.db, "scores__rollup");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.key).toBe("scores__rollup");
    expect(jobs[0]!.run_at.getTime()).toBeGreaterThan(Date.now() - 1000);
    const { rows } = await t.db.root.query("select area_id, since::text from app_private.rollup_queue order by area_id");
    expect(rows).toEqual(
      [{ area_id: wrk, since: "2024-05-02" }, { area_id: hlt, since: "2024-05-20" }].sort((a, b) => a.area_id - b.area_id),
    );
  });

  it("recomputes the affected rollups, empties the queue, and a second run changes nothing", async () => {
    await addScore(wrk, "2024-05-10", 3);
    await addScore(wrk, "2024-05-11", 4);
    await runQueuedJobs(t.db);
    const first = await rollups();
    expect(first.filter((r) => r.period_kind === "week")).toEqual([
      expect.objectContaining({ period_start: "2024-05-06", score: 3.5, sample_count: 2, covered_days: 2 }),
    ]);
    expect((await t.db.root.query("select count(*)::int as n from app_private.rollup_queue")).rows[0].n).toBe(0);
    expect(await queuedJobs(t.db)).toEqual([]);

    await t.db.root.query("select graphile_worker.add_job('scores__rollup', '{}'::json)");
    await runQueuedJobs(t.db);
    expect(await rollups()).toEqual(first);
  });

  it("follows updates and deletes of scores", async () => {
    const { rows: [a] } = await addScore(wrk, "2024-05-10", 3);
    await addScore(wrk, "2024-05-11", 5);
    await runQueuedJobs(t.db);
    await t.db.root.query("update app_public.scores set score = 1 where id = $1", [a.id]);
    await runQueuedJobs(t.db);
    expect((await rollups()).find((r) => r.period_kind === "month")).toMatchObject({ score: 3, sample_count: 2 });
    await t.db.root.query("delete from app_public.scores where id = $1", [a.id]);
    await runQueuedJobs(t.db);
    const after = await rollups();
    expect(after.filter((r) => r.period_kind === "day").map((r) => r.period_start)).toEqual(["2024-05-11"]);
    expect(after.find((r) => r.period_kind === "month")).toMatchObject({ score: 5, sample_count: 1 });
  });
});

describe("scores__recompute", () => {
  it("is for admins only, and enqueues one job per partition", async () => {
    await asUser(t.db, user.id, async (c) => {
      expect((await attempt(c, "select app_public.recompute_rollups()")).code).toBe("DNIED");
    });
    await asUser(t.db, admin.id, async (c) => {
      await c.query("select app_public.recompute_rollups()");
      await c.query("select app_public.recompute_rollups($1)", [user.id]);
      // Still in the admin's transaction: leave the visitor role to look at the queue.
      await c.query("reset role");
      const { rows } = await c.query(
        "select payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'scores__recompute' order by j.id",
      );
      expect(rows.map((r) => r.payload)).toEqual([...[0, 1, 2, 3].map((partition) => ({ partition })), { user_id: user.id }]);
    });
  });

  it("rebuilds rollups equal to the incremental ones, per partition and per user", async () => {
    await addScore(wrk, "2024-03-01", 2);
    await addScore(wrk, "2024-04-15", 4);
    await addScore(hlt, "2024-04-16", 1.5);
    await runQueuedJobs(t.db);
    const incremental = await rollups();
    await t.db.root.query("truncate app_public.score_rollups");
    await t.db.root.query("select graphile_worker.add_job('scores__recompute', json_build_object('partition', p)) from generate_series(0, 3) p");
    await runQueuedJobs(t.db);
    expect(await rollups()).toEqual(incremental);
    await t.db.root.query("update app_public.score_rollups set score = 0");
    await t.db.root.query("select graphile_worker.add_job('scores__recompute', json_build_object('user_id', $1::uuid))", [user.id]);
    await runQueuedJobs(t.db);
    expect(await rollups()).toEqual(incremental);
  });

  it("refuses a payload it does not understand", async () => {
    await t.db.root.query(`select graphile_worker.add_job('scores__recompute', '{"partition": 9}'::json, max_attempts := 1)`);
    await runQueuedJobs(t.db);
    const [job] = await queuedJobs(t.db, "scores__recompute");
    expect(job).toMatchObject({ attempts: 1 });
  });
});

describe("scores__repair", () => {
  it("finds rollups that disagree with the scores and fixes them", async () => {
    await addScore(wrk, "2024-05-10", 3);
    await addScore(hlt, "2024-05-12", 4);
    await runQueuedJobs(t.db);
    const good = await rollups();
    // A lost job and a hand edit: the queue is gone and a rollup is wrong.
    await t.db.root.query("update app_public.score_rollups set score = 0 where period_kind = 'day' and area_id = $1", [wrk]);
    await t.db.root.query("alter table app_public.scores disable trigger user");
    await t.db.root.query("insert into app_public.scores (user_id, area_id, score_date, score) values ($1, $2, '2024-05-11', 5)", [user.id, hlt]);
    await t.db.root.query("alter table app_public.scores enable trigger user");
    await t.db.root.query("select graphile_worker.add_job('scores__repair', '{}'::json)");
    await runQueuedJobs(t.db);
    const repaired = await rollups();
    expect(repaired.filter((r) => r.area_id === wrk)).toEqual(good.filter((r) => r.area_id === wrk));
    expect(repaired.find((r) => r.area_id === hlt && r.period_kind === "week")).toMatchObject({ score: 4.5, sample_count: 2 });
  });

  it("is in the crontab, nightly at 03:30, with the review schedules on the 28th", async () => {
    const items = await loadCrontab();
    const byTask = (task: string) => items.filter((i) => i.task === task);
    expect(byTask("scores__repair")).toHaveLength(1);
    expect(byTask("scores__repair")[0]!.match).toBeDefined();
    expect(byTask("reviews__schedule").map((i) => i.payload)).toEqual([{ kind: "monthly" }, { kind: "quarterly" }]);
    // Which UTC minutes of the year fire each schedule (dow is not restricted).
    const fires = (task: string, index: number) => {
      const hits: string[] = [];
      for (let month = 1; month <= 12; month++) {
        for (let date = 1; date <= 31; date++) {
          for (let hour = 0; hour < 24; hour++) {
            for (const min of [0, 30]) {
              if (byTask(task)[index]!.match({ min, hour, date, month, dow: 0 })) hits.push(`${month}/${date} ${hour}:${min}`);
            }
          }
        }
      }
      return hits;
    };
    expect(fires("scores__repair", 0)).toHaveLength(12 * 31);
    expect(fires("scores__repair", 0)[0]).toBe("1/1 3:30");
    // Reviews: the 28th at 00:00 UTC, before the 1st begins in any time zone.
    expect(fires("reviews__schedule", 0)).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}/28 0:0`));
    expect(fires("reviews__schedule", 1)).toEqual(["3/28 0:0", "6/28 0:0", "9/28 0:0", "12/28 0:0"]);
  });
});

// Reviews: scheduled for every user by the crontab job, one idempotent job
// per user and period, or on request through generateReview.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { Logger, runOnce } from "graphile-worker";
import { makeTaskList } from "../../worker-tasks/index.js";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";

const t = useTestDatabase();
let user: TestUser;
let other: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "reviewed");
  other = await createUser(t.db, "other");
  await t.db.root.query("update app_public.user_settings set timezone = 'Asia/Kolkata' where user_id = $1", [user.id]);
  // October 2024: two areas scored, a daily ritual kept on 20 of 31 days,
  // wellness on three days, journal entries of different moods.
  await t.db.root.query(
    `insert into app_public.scores (user_id, area_id, score_date, score)
     select $1, a.id, d, s from app_public.life_areas a,
       (values ('2024-10-03'::date, 'WRK', 4.0), ('2024-10-20', 'WRK', 3.0), ('2024-10-05', 'HLT', 2.0)) v(d, code, s)
     where a.code = v.code`,
    [user.id],
  );
  await t.db.root.query("select app_private.refresh_queued_rollups()");
  const { rows: [ritual] } = await t.db.root.query(
    "insert into app_public.rituals (user_id, title, cadence) values ($1, 'Stretch', 'daily') returning id", [user.id],
  );
  await t.db.root.query(
    `insert into app_public.ritual_completions (ritual_id, user_id, completed_at)
     select $1, $2, ('2024-10-01'::date + d + time '08:00') at time zone 'Asia/Kolkata' from generate_series(0, 19) d`,
    [ritual.id, user.id],
  );
  await t.db.root.query(
    `insert into app_public.wellness_entries (user_id, entry_date, sleep_hours, mood)
     values ($1, '2024-10-01', 7, 6), ($1, '2024-10-02', 8, 8), ($1, '2024-10-31', 6, 7), ($1, '2024-11-01', 1, 1)`,
    [user.id],
  );
  for (const [day, sentiment, title] of [["2024-10-04", 0.8, "best"], ["2024-10-09", -0.5, "worst"], ["2024-10-12", 0.2, "ok"], ["2024-10-15", 0.5, "good"]] as const) {
    await t.db.root.query(
      "insert into app_public.journal_entries (user_id, entry_date, title, content_md, sentiment, summary) values ($1, $2, $3, 'text', $4, $3)",
      [user.id, day, title, sentiment],
    );
  }
  await clearJobs(t.db);
});

const scheduleAt = (kind: string, ts: string) =>
  t.db.root.query("select graphile_worker.add_job('reviews__schedule', $1::json)", [JSON.stringify({ kind, _cron: { ts, backfilled: false } })]);

describe("reviews__schedule and reviews__generate", () => {
  it("the run on the 28th queues one job per user for 02:00 on the 1st in their time zone, once", async () => {
    // Run only the scheduler, twice: the per-user jobs keep their keys.
    const scheduler = { reviews__schedule: makeTaskList(t.db.config).reviews__schedule! };
    for (let i = 0; i < 2; i++) {
      await scheduleAt("monthly", "2024-10-28T00:00:00Z");
      await runOnce({ connectionString: t.db.urls.owner, taskList: scheduler, logger: new Logger(() => () => {}) });
    }
    const jobs = await queuedJobs(t.db, "reviews__generate");
    expect(jobs.map((j) => [j.key, j.run_at.toISOString()]).sort()).toEqual([
      // Kolkata is UTC+5:30; the other user keeps the default time zone, UTC.
      [`reviews__generate:${user.id}:monthly:2024-10-01:scheduled`, "2024-10-31T20:30:00.000Z"],
      [`reviews__generate:${other.id}:monthly:2024-10-01:scheduled`, "2024-11-01T02:00:00.000Z"],
    ].sort());
  });

  it("writes the review: areas, GFS, rituals, wellness and journal highlights of the period", async () => {
    await runQueuedJobs(t.db);
    const { rows } = await t.db.root.query(
      "select *, period_start::text as first_day, period_end::text as last_day from app_public.reviews where user_id = $1", [user.id],
    );
    expect(rows).toHaveLength(1);
    const review = rows[0];
    expect(review).toMatchObject({ kind: "monthly", first_day: "2024-10-01", last_day: "2024-10-31" });
    expect(review.area_scores.map((a: any) => [a.code, Number(a.score), a.sampleCount])).toEqual([["WRK", 3.5, 2], ["HLT", 2, 1]]);
    // Default weights: WRK 0.08, HLT 0.08 → (0.08·3.5 + 0.08·2) / 0.16.
    expect(Number(review.gfs)).toBeCloseTo(2.75, 3);
    expect(review.rituals).toEqual([expect.objectContaining({ title: "Stretch", slots: 31, kept: 20, rate: 0.645, longestStreak: 20 })]);
    expect(review.wellness).toMatchObject({ entries: 3, avgSleepHours: 7, avgMood: 7 });
    expect(review.journal_highlights.map((h: any) => h.title)).toEqual(["best", "good", "ok"]);
    expect((await t.db.root.query("select count(*)::int as n from app_public.reviews where user_id = $1", [other.id])).rows[0].n).toBe(1);
  });

  it("is idempotent: running the job again replaces the review, it does not add one", async () => {
    const before = (await t.db.root.query("select id, gfs, generated_at from app_public.reviews where user_id = $1", [user.id])).rows[0];
    await t.db.root.query(
      "select graphile_worker.add_job('reviews__generate', json_build_object('user_id', $1::uuid, 'kind', 'monthly', 'period_start', '2024-10-17'))",
      [user.id],
    );
    await runQueuedJobs(t.db);
    const after = (await t.db.root.query("select id, gfs, generated_at from app_public.reviews where user_id = $1", [user.id])).rows;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before.id, gfs: before.gfs });
    expect(after[0].generated_at.getTime()).toBeGreaterThan(before.generated_at.getTime());
  });

  it("the quarterly run on 28 September reviews July to September", async () => {
    await scheduleAt("quarterly", "2024-09-28T00:00:00Z");
    await runQueuedJobs(t.db);
    const { rows } = await t.db.root.query(
      "select period_start::text, period_end::text from app_public.reviews where user_id = $1 and kind = 'quarterly'", [user.id],
    );
    expect(rows).toEqual([{ period_start: "2024-07-01", period_end: "2024-09-30" }]);
  });
});

describe("generateReview", () => {
  it("queues a job for the signed-in user only, and refuses a period that has not started", async () => {
    await clearJobs(t.db);
    await asUser(t.db, user.id, async (c) => {
      await c.query("select app_public.generate_review('quarterly', '2024-08-15')");
      expect((await attempt(c, "select app_public.generate_review('monthly', current_date + 40)")).code).toBe("BADIN");
      await c.query("reset role");
      const { rows } = await c.query("select key from graphile_worker._private_jobs");
      // Any day of the period names it: one key per period.
      expect(rows).toEqual([{ key: `reviews__generate:${user.id}:quarterly:2024-07-01` }]);
    });
    await asUser(t.db, null, async (c) => {
      // Anonymous may not even call it.
      expect((await attempt(c, "select app_public.generate_review('monthly')")).code).toBe("42501");
    });
  });
});

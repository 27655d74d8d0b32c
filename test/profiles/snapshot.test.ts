// The nightly snapshot (profiles__snapshot): one row per user and day in
// profile_stats_daily holding that user's live numbers; running it again for
// the same day replaces the rows; each user reads only their own history.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, runQueuedJobs } from "../helpers/jobs.js";
import { befriend } from "../helpers/peers.js";
import { loadCrontab } from "../../src/worker/runner.js";
import { makeTaskList } from "../../worker-tasks/index.js";

const t = useTestDatabase();
let ann: TestUser;
let ben: TestUser;
let cat: TestUser;

beforeAll(async () => {
  [ann, ben, cat] = [await createUser(t.db, "snap_ann"), await createUser(t.db, "snap_ben"), await createUser(t.db, "snap_cat")];
  await befriend(t.db, ann.id, ben.id);
  await t.db.root.query("insert into app_public.follows (follower_id, followee_id) values ($1, $2), ($3, $2), ($1, $3)", [ben.id, ann.id, cat.id]);
  const { rows } = await t.db.root.query("insert into app_public.rituals (user_id, title, cadence) values ($1, 'Read', 'daily') returning id", [ann.id]);
  // Kept today and yesterday (a live streak of 2), and 40 days ago (a streak of 1, outside 30 days).
  for (const ago of ["0 days", "1 day", "40 days"]) {
    await t.db.root.query("insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, now() - $3::interval)",
      [rows[0].id, ann.id, ago]);
  }
});

const snapshot = async (payload: Record<string, unknown>) => {
  await clearJobs(t.db);
  await t.db.root.query("select graphile_worker.add_job('profiles__snapshot', $1::json)", [JSON.stringify(payload)]);
  await runQueuedJobs(t.db);
  // It ran, and did not fail (a failed job would stay queued, with its error).
  const { rows } = await t.db.root.query("select task_identifier, last_error from graphile_worker.jobs");
  expect(rows).toEqual([]);
};
const NUMBERS = "followers_count, following_count, friends_count, current_streak, longest_streak, completions_last_30_days";
/** The live numbers, as each user sees their own profile. */
const live = async (user: TestUser) => asUser(t.db, user.id, async (c) =>
  (await c.query(`select ${NUMBERS} from app_public.users_stats((select u from app_public.users u where u.id = $1))`, [user.id])).rows[0]);
const day = async (date: string) => Object.fromEntries(
  (await t.db.root.query(`select user_id, ${NUMBERS} from app_public.profile_stats_daily where stat_date = $1::date`, [date])).rows
    .map(({ user_id, ...numbers }) => [user_id, numbers]),
);
const today = async () => (await t.db.root.query("select current_date::text as d")).rows[0].d as string;

describe("profiles__snapshot", () => {
  it("writes one row per user for the day, equal to the live numbers", async () => {
    const date = await today();
    await snapshot({ date });
    const rows = await day(date);
    const users = (await t.db.root.query("select count(*)::int as n from app_public.users")).rows[0].n;
    expect(Object.keys(rows)).toHaveLength(users);
    for (const user of [ann, ben, cat]) expect(rows[user.id]).toEqual(await live(user));
    // Not a trivial match: the numbers are the ones arranged.
    expect(rows[ann.id]).toEqual({
      followers_count: 2, following_count: 0, friends_count: 1, current_streak: 2, longest_streak: 2, completions_last_30_days: 2,
    });
    expect(rows[cat.id]).toMatchObject({ followers_count: 1, following_count: 1, friends_count: 0 });
  });

  it("run again for the same day, replaces the day's rows with the numbers as they now are: no duplicates", async () => {
    const date = await today();
    await t.db.root.query("insert into app_public.follows (follower_id, followee_id) values ($1, $2)", [ann.id, cat.id]);
    await t.db.root.query("delete from app_public.friendships where user_id in ($1, $2)", [ann.id, ben.id]);
    await snapshot({ date });
    const rows = await day(date);
    for (const user of [ann, ben, cat]) expect(rows[user.id]).toEqual(await live(user));
    expect(rows[ann.id]).toMatchObject({ followers_count: 2, following_count: 1, friends_count: 0 });
    expect(rows[cat.id]).toMatchObject({ followers_count: 2 });
    const { rows: counts } = await t.db.root.query(
      "select user_id, count(*)::int as n from app_public.profile_stats_daily where stat_date = $1::date group by user_id having count(*) <> 1", [date],
    );
    expect(counts).toEqual([]);
  });

  it("without a date, writes yesterday's rows (the crontab runs it after midnight), completions counted over the 30 days ending yesterday", async () => {
    await snapshot({});
    const { rows } = await t.db.root.query("select (current_date - 1)::text as d");
    const yesterday = await day(rows[0].d);
    expect(Object.keys(yesterday).sort()).toEqual(Object.keys(await day(await today())).sort());
    expect(yesterday[ann.id]).toMatchObject({ following_count: 1, completions_last_30_days: 1 });
  });

  it("each user reads only their own rows", async () => {
    for (const user of [ann, ben]) {
      await asUser(t.db, user.id, async (c) => {
        const { rows } = await c.query("select user_id, stat_date from app_public.profile_stats_daily");
        expect(rows).toHaveLength(2);
        expect(rows.every((r) => r.user_id === user.id)).toBe(true);
      });
    }
  });

  it("is a registered task, in the crontab nightly at 00:10 UTC with a day of backfill", async () => {
    expect(Object.keys(makeTaskList(t.db.config))).toContain("profiles__snapshot");
    const items = (await loadCrontab()).filter((i) => i.task === "profiles__snapshot");
    expect(items).toHaveLength(1);
    const fires: string[] = [];
    for (const date of [1, 15, 28, 31]) {
      for (let hour = 0; hour < 24; hour++) {
        for (let min = 0; min < 60; min++) {
          if (items[0]!.match({ min, hour, date, month: 5, dow: date % 7 })) fires.push(`${date} ${hour}:${min}`);
        }
      }
    }
    expect(fires).toEqual(["1 0:10", "15 0:10", "28 0:10", "31 0:10"]);
    expect(items[0]!.options.backfillPeriod).toBe(24 * 3600 * 1000);
  });
});

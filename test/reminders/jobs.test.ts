// Reminders in each user's local time: keyed jobs scheduled by the database
// at the next local occurrence (DST-safe), kept in step with rituals, goals
// and time-zone changes, firing at most once per local day or week.
import { beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "reminded");
  await t.db.root.query("update app_public.user_settings set timezone = 'America/Toronto' where user_id = $1", [user.id]);
});
beforeEach(async () => {
  await t.db.root.query("delete from app_public.rituals; delete from app_public.goals; delete from app_public.notification_events");
  await clearJobs(t.db);
});

const nextLocal = async (at: string, time: string, rule: string, days: number[] | null = null) =>
  ((await t.db.root.query("select app_hidden.next_local_time('America/Toronto', $1, $2, $3, $4) as t", [time, at, rule, days])).rows[0].t as Date).toISOString();

describe("next local occurrence", () => {
  it("follows the local clock across DST changes", async () => {
    // 08:30 EST on Saturday 9 March 2024: the next 08:00 is Sunday's, EDT, an hour earlier in UTC.
    expect(await nextLocal("2024-03-09T13:30:00Z", "08:00", "daily")).toBe("2024-03-10T12:00:00.000Z");
    expect(await nextLocal("2024-03-08T13:30:00Z", "08:00", "daily")).toBe("2024-03-09T13:00:00.000Z");
    // 07:30 EST: later the same morning.
    expect(await nextLocal("2024-03-09T12:30:00Z", "08:00", "daily")).toBe("2024-03-09T13:00:00.000Z");
    // 02:30 does not exist on 10 March: it falls an hour later.
    expect(await nextLocal("2024-03-09T12:00:00Z", "02:30", "daily")).toBe("2024-03-10T07:30:00.000Z");
    // Fall back on 3 November: 09:00 EST is 14:00 UTC.
    expect(await nextLocal("2024-11-02T15:00:00Z", "09:00", "daily")).toBe("2024-11-03T14:00:00.000Z");
  });

  it("picks the cadence's days: Mondays, the 1st, Sundays, chosen weekdays", async () => {
    const from = "2024-05-15T12:00:00Z"; // a Wednesday
    expect(await nextLocal(from, "07:00", "weekly")).toBe("2024-05-20T11:00:00.000Z");
    expect(await nextLocal(from, "07:00", "monthly")).toBe("2024-06-01T11:00:00.000Z");
    expect(await nextLocal(from, "18:00", "sunday")).toBe("2024-05-19T22:00:00.000Z");
    expect(await nextLocal(from, "07:00", "custom", [2, 5])).toBe("2024-05-17T11:00:00.000Z");
  });
});

describe("ritual reminders", () => {
  const ritual = async (reminder: string | null, cadence = "daily") =>
    (await t.db.root.query(
      "insert into app_public.rituals (user_id, title, cadence, reminder_enabled, reminder_time) values ($1, 'Stretch', $2, $3, $4) returning id",
      [user.id, cadence, reminder !== null, reminder],
    )).rows[0].id as string;

  it("a ritual with a reminder has one keyed job at its next local time; turning it off removes it", async () => {
    const id = await ritual("07:15");
    const [job] = await queuedJobs(t.db, "rituals__remind");
    expect(job).toMatchObject({ key: `rituals__remind:${id}`, payload: { ritual_id: id } });
    const local = await t.db.root.query("select ($1::timestamptz at time zone 'America/Toronto')::time::text as t", [job!.run_at]);
    expect(local.rows[0].t).toBe("07:15:00");
    expect(job!.run_at.getTime()).toBeGreaterThan(Date.now());
    await t.db.root.query("update app_public.rituals set reminder_enabled = false where id = $1", [id]);
    expect(await queuedJobs(t.db, "rituals__remind")).toEqual([]);
  });

  it("moving to another time zone moves the reminder", async () => {
    await ritual("07:15");
    await t.db.root.query("update app_public.user_settings set timezone = 'Asia/Kolkata' where user_id = $1", [user.id]);
    const [job] = await queuedJobs(t.db, "rituals__remind");
    const local = await t.db.root.query("select ($1::timestamptz at time zone 'Asia/Kolkata')::time::text as t", [job!.run_at]);
    expect(local.rows[0].t).toBe("07:15:00");
    await t.db.root.query("update app_public.user_settings set timezone = 'America/Toronto' where user_id = $1", [user.id]);
  });

  it("fires once a local day, not for a slot already kept, and schedules the next", async () => {
    const id = await ritual("07:15");
    await runQueuedJobs(t.db);
    await t.db.root.query("select app_private.fire_ritual_reminder($1)", [id]);
    const { rows } = await t.db.root.query("select count(*)::int as n from app_public.notification_events where type = 'rituals.reminder'");
    expect(rows[0].n).toBe(1);
    expect((await t.db.root.query("select count(*)::int as n from app_public.notifications where type = 'rituals.reminder'")).rows[0].n).toBe(1);
    const [next] = await queuedJobs(t.db, "rituals__remind");
    expect(next!.run_at.getTime()).toBeGreaterThan(Date.now());

    const kept = await ritual("07:15");
    await t.db.root.query("insert into app_public.ritual_completions (ritual_id, user_id) values ($1, $2)", [kept, user.id]);
    const { rows: [fired] } = await t.db.root.query("select app_private.fire_ritual_reminder($1) as event", [kept]);
    expect(fired.event).toBeNull();
  });
});

describe("goal check and weekly report", () => {
  it("a user with dated goals gets a 09:00 local check of goals due within three days or overdue", async () => {
    await t.db.root.query(
      `insert into app_public.goals (user_id, title, status, target_date) values
         ($1, 'Due soon', 'active', (now() at time zone 'America/Toronto')::date + 2),
         ($1, 'Overdue', 'planned', (now() at time zone 'America/Toronto')::date - 5),
         ($1, 'Later', 'active', (now() at time zone 'America/Toronto')::date + 30),
         ($1, 'Done', 'done', (now() at time zone 'America/Toronto')::date)`,
      [user.id],
    );
    const [job] = await queuedJobs(t.db, "goals__remind");
    expect(job!.key).toBe(`goals__remind:${user.id}`);
    const local = await t.db.root.query("select ($1::timestamptz at time zone 'America/Toronto')::time::text as t", [job!.run_at]);
    expect(local.rows[0].t).toBe("09:00:00");
    await runQueuedJobs(t.db);
    const { rows } = await t.db.root.query("select data from app_public.notification_events where type = 'goals.due'");
    expect(rows).toHaveLength(1);
    expect(rows[0].data.goals.map((g: { title: string }) => g.title)).toEqual(["Overdue", "Due soon"]);
    // Once a local day.
    await t.db.root.query("select app_private.fire_goal_check($1)", [user.id]);
    expect((await t.db.root.query("select count(*)::int as n from app_public.notification_events where type = 'goals.due'")).rows[0].n).toBe(1);
  });

  it("a user with rituals gets a Sunday 18:00 local report of the week", async () => {
    const { rows: [r] } = await t.db.root.query("insert into app_public.rituals (user_id, title, cadence) values ($1, 'Walk', 'daily') returning id", [user.id]);
    await t.db.root.query("insert into app_public.ritual_completions (ritual_id, user_id) values ($1, $2)", [r.id, user.id]);
    const [job] = await queuedJobs(t.db, "rituals__weekly_report");
    const local = await t.db.root.query("select to_char($1::timestamptz at time zone 'America/Toronto', 'ID HH24:MI') as t", [job!.run_at]);
    expect(local.rows[0].t).toBe("7 18:00");
    await runQueuedJobs(t.db);
    const { rows } = await t.db.root.query("select data from app_public.notification_events where type = 'rituals.weekly_report'");
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toMatchObject({ kept: 1, slots: 7, rituals: [{ title: "Walk", kept: 1, slots: 7 }] });
    await t.db.root.query("delete from app_public.rituals");
    expect(await queuedJobs(t.db, "rituals__weekly_report")).toEqual([]);
  });
});

describe("review ready", () => {
  it("a generated review notifies its user once a day, however often it is regenerated", async () => {
    await t.db.root.query("select app_private.generate_review($1, 'monthly', '2024-05-01')", [user.id]);
    await t.db.root.query("select app_private.generate_review($1, 'monthly', '2024-05-01')", [user.id]);
    const { rows } = await t.db.root.query("select data from app_public.notification_events where type = 'reviews.ready'");
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toMatchObject({ kind: "monthly", period_start: "2024-05-01" });
  });
});

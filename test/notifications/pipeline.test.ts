// The notification pipeline in the database and the worker: notify() in the
// caller's transaction, fan-out by preferences, jobs added at commit (one
// per outside delivery, in-app ones in batch jobs), in-app delivery (idempotent), templates by locale, quiet hours, digests, the
// hourly cap, retries with backoff and dead letters.
import { beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";
import { befriend, connectAs } from "../helpers/peers.js";

const t = useTestDatabase();
let user: TestUser;
let admin: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "notified");
  admin = await createUser(t.db, "ops");
  await t.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
  await t.db.root.query("update app_public.user_settings set timezone = 'America/Toronto', locale = 'fr-CA' where user_id = $1", [user.id]);
  await t.db.root.query("update app_public.user_emails set is_verified = true where user_id = $1", [user.id]);
});
beforeEach(async () => {
  await clearJobs(t.db);
  await t.db.root.query("delete from app_public.notification_events");
  await t.db.root.query("delete from app_public.notification_preferences");
  await t.db.root.query(
    "update app_public.notification_settings set quiet_hours_start = null, quiet_hours_end = null, digest_frequency = 'immediate', rate_limit_per_hour = 30",
  );
});

const notify = (type: string, data: object = {}, dedupe: string | null = null) =>
  t.db.root.query<{ id: string | null }>("select app_private.notify($1, $2, $3, $4) as id", [user.id, type, JSON.stringify(data), dedupe]);
const deliveries = async () =>
  (await t.db.root.query(
    "select id, channel::text, status::text, attempts, run_at, last_error from app_public.notification_deliveries where user_id = $1 order by channel",
    [user.id],
  )).rows;
const REVIEW = { kind: "monthly", period_start: "2024-05-01", username: "x", gfs: 3.2, review_id: "r" };

describe("notify", () => {
  it("belongs to the caller's transaction: rolled back with it", async () => {
    const client = await t.db.root.connect();
    try {
      await client.query("begin");
      await client.query("select app_private.notify($1, 'reviews.ready', '{}'::jsonb)", [user.id]);
      await client.query("rollback");
    } finally {
      client.release();
    }
    expect(await deliveries()).toEqual([]);
    expect(await queuedJobs(t.db)).toEqual([]);
  });

  it("fans out per channel the preferences allow, a keyed job per outside delivery, in-app ones batched; a repeated dedupe key is a no-op", async () => {
    const first = await notify("reviews.ready", REVIEW, "review:1");
    expect(first.rows[0]!.id).not.toBeNull();
    expect((await notify("reviews.ready", REVIEW, "review:1")).rows[0]!.id).toBeNull();
    const rows = await deliveries();
    // reviews.ready defaults to in-app, email and webhook; no endpoint is registered.
    expect(rows.map((d) => d.channel)).toEqual(["email", "in_app"]);
    const [email, inApp] = rows;
    const jobs = await queuedJobs(t.db, "notifications__deliver");
    expect(jobs).toHaveLength(2);
    expect(jobs).toContainEqual(expect.objectContaining({ key: null, payload: [{ delivery_id: inApp!.id }] }));
    expect(jobs).toContainEqual(expect.objectContaining({ key: `notifications__deliver:${email!.id}`, payload: { delivery_id: email!.id } }));
  });

  it("adds the jobs of one transaction's notifications at its commit, in-app ones by the hundred", async () => {
    const { rows: others } = await t.db.root.query<{ id: string }>(
      "insert into app_public.users (username) select 'batched_' || g from generate_series(1, 149) g returning id",
    );
    const ids = [user.id, ...others.map((u) => u.id)];
    await clearJobs(t.db);
    const client = await t.db.root.connect();
    try {
      await client.query("begin");
      await client.query("select app_private.notify(u, 'rituals.reminder', '{}'::jsonb) from unnest($1::uuid[]) u", [ids]);
      // Not yet: the jobs are added when the transaction commits.
      expect(await queuedJobs(t.db)).toEqual([]);
      await client.query("commit");
    } finally {
      client.release();
    }
    const jobs = await queuedJobs(t.db, "notifications__deliver");
    expect(jobs.map((j) => [j.key, (j.payload as unknown as unknown[]).length]).sort()).toEqual([[null, 100], [null, 50]]);
    await runQueuedJobs(t.db);
    const { rows } = await t.db.root.query("select count(*)::int as n from app_public.notifications where user_id = any($1)", [ids]);
    expect(rows[0].n).toBe(150);
    expect(await queuedJobs(t.db)).toEqual([]);
  });

  it("adds the jobs at commit when a visitor's write raised the notification", async () => {
    const friend = await createUser(t.db, "writer");
    await befriend(t.db, friend.id, user.id);
    const asFriend = await connectAs(t.db, friend.id);
    try {
      // send_message (security definer) notifies; the commit runs as the visitor.
      await asFriend.query("select app_public.send_message($1, 'hello')", [user.id]);
    } finally {
      await asFriend.close();
    }
    const inApp = (await deliveries()).find((d) => d.channel === "in_app")!;
    expect((await queuedJobs(t.db, "notifications__deliver")).map((j) => j.payload)).toContainEqual([{ delivery_id: inApp.id }]);
  });

  it("leaves out a channel the user turned off, but account mail ignores preferences", async () => {
    await t.db.root.query(
      "insert into app_public.notification_preferences (user_id, type, channel, enabled) values ($1, 'reviews.ready', 'email', false), ($1, 'account.password_changed', 'email', false)",
      [user.id],
    );
    await notify("reviews.ready", REVIEW);
    await notify("account.password_changed", { username: "x" });
    const { rows } = await t.db.root.query(
      "select e.type, d.channel::text from app_public.notification_deliveries d join app_public.notification_events e on e.id = d.event_id order by 1, 2",
    );
    expect(rows).toEqual([
      { type: "account.password_changed", channel: "email" },
      { type: "account.password_changed", channel: "in_app" },
      { type: "reviews.ready", channel: "in_app" },
    ]);
  });

  it("refuses an unknown type", async () => {
    await expect(notify("no.such_type")).rejects.toMatchObject({ code: "NOFND" });
  });
});

describe("in-app delivery", () => {
  it("renders the template of the user's language and writes one notification, even when run twice", async () => {
    await t.db.root.query(
      "insert into app_public.notification_templates (type, channel, locale, subject, body) values ('reviews.ready', 'in_app', 'fr', 'Votre bilan {{kind}} est prêt', 'Bilan du {{period_start}}')",
    );
    await notify("reviews.ready", REVIEW);
    await runQueuedJobs(t.db);
    const inApp = (await deliveries()).find((d) => d.channel === "in_app")!;
    expect(inApp).toMatchObject({ status: "delivered", attempts: 1 });
    const { rows } = await t.db.root.query("select title, body from app_public.notifications where delivery_id = $1", [inApp.id]);
    expect(rows).toEqual([{ title: "Votre bilan monthly est prêt", body: "Bilan du 2024-05-01" }]);
    // A crash between the write and the job's completion: the job runs again.
    await t.db.root.query("update app_public.notification_deliveries set status = 'sending' where id = $1", [inApp.id]);
    await t.db.root.query("select app_private.schedule_delivery($1, now())", [inApp.id]);
    await runQueuedJobs(t.db);
    expect((await t.db.root.query("select count(*)::int as n from app_public.notifications where delivery_id = $1", [inApp.id])).rows[0].n).toBe(1);
  });

  it("a batch job retries only the entries that failed", async () => {
    await notify("reviews.ready", REVIEW);
    const inApp = (await deliveries()).find((d) => d.channel === "in_app")!;
    await clearJobs(t.db);
    // An entry no claim can take (not a delivery id) beside a good one.
    await t.db.root.query("select graphile_worker.add_job('notifications__deliver', json_build_array(json_build_object('delivery_id', $1::uuid), json_build_object('delivery_id', 'nonsense')))", [inApp.id]);
    await runQueuedJobs(t.db);
    expect((await deliveries()).find((d) => d.id === inApp.id)).toMatchObject({ status: "delivered", attempts: 1 });
    const jobs = await queuedJobs(t.db, "notifications__deliver");
    expect(jobs.map((j) => [j.payload, j.attempts])).toEqual([[[{ delivery_id: "nonsense" }], 1]]);
  });

  it("prefers the exact locale, then the language, then English", async () => {
    const subject = async (locale: string) =>
      (await t.db.root.query("select (app_private.pick_template('goals.due', 'in_app', $1)).subject", [locale])).rows[0].subject;
    expect(await subject("fr-CA")).toBe("{{count}} goal(s) need attention");
    await t.db.root.query("insert into app_public.notification_templates (type, channel, locale, subject, body) values ('goals.due', 'in_app', 'fr', 'fr', 'x'), ('goals.due', 'in_app', 'fr-CA', 'fr-CA', 'x')");
    expect(await subject("fr-CA")).toBe("fr-CA");
    expect(await subject("fr-BE")).toBe("fr");
    expect(await subject("de")).toBe("{{count}} goal(s) need attention");
  });

  it("marks read and archives in batches; unread counts by type", async () => {
    await notify("reviews.ready", REVIEW);
    await notify("goals.due", { count: 1, goals: [], username: "x" });
    await runQueuedJobs(t.db);
    await asUser(t.db, user.id, async (c) => {
      const counts = async () => (await c.query("select * from app_public.unread_notification_counts()")).rows;
      expect(await counts()).toEqual([{ type: "goals.due", unread: 1 }, { type: "reviews.ready", unread: 1 }]);
      const ids = (await c.query("select id from app_public.notifications where type = 'reviews.ready'")).rows.map((r) => r.id);
      expect((await c.query("select app_public.mark_notifications_read($1) as n", [ids])).rows[0].n).toBe(1);
      expect((await c.query("select app_public.mark_notifications_read($1) as n", [ids])).rows[0].n).toBe(0);
      expect(await counts()).toEqual([{ type: "goals.due", unread: 1 }]);
      const all = (await c.query("select id from app_public.notifications")).rows.map((r) => r.id);
      expect((await c.query("select app_public.archive_notifications($1) as n", [all])).rows[0].n).toBe(2);
      expect(await counts()).toEqual([]);
    });
  });
});

describe("templates", () => {
  it("a variable the event type lacks is refused when the template is saved; saving again is a new version", async () => {
    await asUser(t.db, admin.id, async (c) => {
      const bad = await attempt(c, "insert into app_public.notification_templates (type, channel, subject, body) values ('reviews.ready', 'email', 'Hi {{username}}', 'Your {{mood}} review')");
      expect(bad.code).toBe("TMPLV");
      // Names inside a section may be the items' fields.
      const good = await attempt(c, "insert into app_public.notification_templates (type, channel, subject, body) values ('goals.due', 'email', 'Hi', '{{#goals}}{{title}}{{/goals}}') returning version");
      expect(good.rows).toEqual([{ version: 2 }]);
      // A section opened and never closed, or closed unopened, would fail every delivery.
      for (const body of ["{{#goals}}{{title}}", "{{title}}{{/goals}}", "{{#goals}}{{^title}}{{/goals}}{{/title}}"]) {
        const broken = await attempt(c, "insert into app_public.notification_templates (type, channel, subject, body) values ('goals.due', 'email', 'Hi', $1)", [body]);
        expect({ body, code: broken.code }).toEqual({ body, code: "TMPLV" });
      }
    });
    await asUser(t.db, user.id, async (c) => {
      expect((await attempt(c, "insert into app_public.notification_templates (type, channel, body) values ('goals.due', 'email', 'x')")).code).toBe("42501");
    });
  });
});

describe("scheduling", () => {
  it("quiet hours move email and push to their end, in the user's time zone across DST; in-app goes now", async () => {
    await t.db.root.query("update app_public.notification_settings set quiet_hours_start = '22:00', quiet_hours_end = '07:00' where user_id = $1", [user.id]);
    const after = async (at: string) =>
      ((await t.db.root.query("select app_hidden.after_quiet_hours($1, $2) as t", [user.id, at])).rows[0].t as Date).toISOString();
    // 23:00 EST on 9 March 2024; the clocks spring forward that night: 07:00 EDT is 11:00 UTC.
    expect(await after("2024-03-10T04:00:00Z")).toBe("2024-03-10T11:00:00.000Z");
    // 06:30 EDT → 07:00 EDT the same morning; 12:00 EDT is outside.
    expect(await after("2024-06-01T10:30:00Z")).toBe("2024-06-01T11:00:00.000Z");
    expect(await after("2024-06-01T16:00:00Z")).toBe("2024-06-01T16:00:00.000Z");

    // Quiet hours around the user's present moment: the email waits, the app does not.
    const { rows: [now] } = await t.db.root.query("select (now() at time zone 'America/Toronto')::time as t");
    const hour = Number(String(now.t).slice(0, 2));
    const pad = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:00`;
    await t.db.root.query("update app_public.notification_settings set quiet_hours_start = $2, quiet_hours_end = $3 where user_id = $1", [
      user.id, pad(hour - 1), pad(hour + 2),
    ]);
    await notify("reviews.ready", REVIEW);
    const rows = await deliveries();
    const email = rows.find((d) => d.channel === "email")!;
    const inApp = rows.find((d) => d.channel === "in_app")!;
    expect(email.run_at.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(inApp.run_at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const job = (await queuedJobs(t.db, "notifications__deliver")).find((j) => j.key === `notifications__deliver:${email.id}`)!;
    expect(job.run_at.getTime()).toBe(email.run_at.getTime());
  });

  it("a digest holds email items and one keyed job folds them into one message at the window's end", async () => {
    await t.db.root.query("update app_public.notification_settings set digest_frequency = 'hourly' where user_id = $1", [user.id]);
    await notify("reviews.ready", REVIEW);
    await notify("goals.due", { count: 2, goals: [], username: "x" });
    const held = (await deliveries()).filter((d) => d.channel === "email");
    expect(held.map((d) => d.status)).toEqual(["held", "held"]);
    const digestJobs = await queuedJobs(t.db, "notifications__digest");
    expect(digestJobs).toHaveLength(1);
    expect(digestJobs[0]).toMatchObject({ key: `notifications__digest:${user.id}:email`, payload: { user_id: user.id, channel: "email" } });
    expect(digestJobs[0]!.run_at.getTime()).toBe(held[0]!.run_at.getTime());
    expect(new Date(held[0]!.run_at).getUTCMinutes()).toBe(0);

    await t.db.root.query("update app_public.notification_deliveries set run_at = now() where status = 'held'");
    await runQueuedJobs(t.db);
    const { rows } = await t.db.root.query(
      `select d.id, e.data from app_public.notification_deliveries d join app_public.notification_events e on e.id = d.event_id
       where e.type = 'notifications.digest'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].data).toMatchObject({ count: 2, frequency: "hourly" });
    expect(rows[0].data.items.map((i: { type: string }) => i.type)).toEqual(["reviews.ready", "goals.due"]);
    const carried = await t.db.root.query("select count(*)::int as n from app_public.notification_deliveries where digest_id = $1", [rows[0].id]);
    expect(carried.rows[0].n).toBe(2);
  });

  it("over the hourly cap, a delivery is deferred to when the oldest send leaves the hour, not dropped", async () => {
    await t.db.root.query("update app_public.notification_settings set rate_limit_per_hour = 2 where user_id = $1", [user.id]);
    for (const minutesAgo of [50, 20]) {
      await notify("reviews.ready", REVIEW);
      await t.db.root.query(
        `update app_public.notification_deliveries set status = 'sent', sent_at = now() - $1 * interval '1 minute'
         where channel = 'email' and status = 'pending'`,
        [minutesAgo],
      );
    }
    await notify("reviews.ready", REVIEW);
    const pending = (await deliveries()).find((d) => d.channel === "email" && d.status === "pending")!;
    const { rows: [claim] } = await t.db.root.query("select outcome from app_private.claim_deliveries(array[$1::uuid])", [pending.id]);
    expect(claim.outcome).toBe("deferred");
    const { rows: [after] } = await t.db.root.query("select status::text, run_at, attempts from app_public.notification_deliveries where id = $1", [pending.id]);
    expect(after).toMatchObject({ status: "pending", attempts: 0 });
    // The 50-minute-old send leaves the window in 10 minutes.
    expect(Math.abs(after.run_at.getTime() - (Date.now() + 10 * 60_000))).toBeLessThan(5_000);
  });
});

describe("digests and the cap, in detail", () => {
  const digests = async (channel: string) =>
    (await t.db.root.query(
      `select d.id, d.target_id, e.data from app_public.notification_deliveries d
       join app_public.notification_events e on e.id = d.event_id
       where e.type = 'notifications.digest' and d.user_id = $1 and d.channel = $2 order by d.target_id`,
      [user.id, channel],
    )).rows;

  it("each push subscription gets its own digest of its own items", async () => {
    const subscriptions = [];
    for (const name of ["phone", "laptop"]) {
      const { rows: [row] } = await t.db.root.query(
        "insert into app_public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4) returning id",
        [user.id, `https://push.example.com/${name}-${Date.now()}`, "B".repeat(87), "A".repeat(22)],
      );
      subscriptions.push(row.id as string);
    }
    try {
      await t.db.root.query("update app_public.notification_settings set digest_frequency = 'daily' where user_id = $1", [user.id]);
      await notify("rituals.reminder", { username: "x", ritual_title: "Stretch", ritual_id: "r1" });
      await notify("rituals.reminder", { username: "x", ritual_title: "Walk", ritual_id: "r2" });
      await t.db.root.query("update app_public.notification_deliveries set run_at = now() where status = 'held'");
      const { rows: [made] } = await t.db.root.query("select app_private.collect_digest($1, 'push') as n", [user.id]);
      expect(made.n).toBe(2);
      const rows = await digests("push");
      expect(rows.map((r) => r.target_id).sort()).toEqual([...subscriptions].sort());
      expect(rows.map((r) => r.data.count)).toEqual([2, 2]);
      // Collected once: a second run finds nothing left to fold.
      expect((await t.db.root.query("select app_private.collect_digest($1, 'push') as n", [user.id])).rows[0].n).toBe(0);
    } finally {
      await t.db.root.query("delete from app_public.push_subscriptions where user_id = $1", [user.id]);
    }
  });

  it("items due after this digest keep a digest job, at the time the first of them is due", async () => {
    await t.db.root.query("update app_public.notification_settings set digest_frequency = 'daily' where user_id = $1", [user.id]);
    await notify("goals.due", { count: 1, goals: [], username: "x" });
    await notify("goals.due", { count: 2, goals: [], username: "x" });
    const held = (await deliveries()).filter((d) => d.status === "held");
    expect(held).toHaveLength(2);
    const later = new Date(Date.now() + 3 * 3_600_000);
    await t.db.root.query("update app_public.notification_deliveries set run_at = now() where id = $1", [held[0]!.id]);
    await t.db.root.query("update app_public.notification_deliveries set run_at = $2 where id = $1", [held[1]!.id, later]);
    await clearJobs(t.db);
    expect((await t.db.root.query("select app_private.collect_digest($1, 'email') as n", [user.id])).rows[0].n).toBe(1);
    const [job] = await queuedJobs(t.db, "notifications__digest");
    expect(job!.run_at.getTime()).toBe(later.getTime());
    expect((await deliveries()).find((d) => d.id === held[1]!.id)).toMatchObject({ status: "held" });
  });

  it("a batch of claims cannot slip past the hourly cap: the excess is deferred", async () => {
    await t.db.root.query("update app_public.notification_settings set rate_limit_per_hour = 2 where user_id = $1", [user.id]);
    for (let i = 0; i < 4; i++) await notify("reviews.ready", { ...REVIEW, review_id: `cap${i}` });
    const emails = (await deliveries()).filter((d) => d.channel === "email").map((d) => d.id);
    const { rows } = await t.db.root.query("select outcome from app_private.claim_deliveries($1::uuid[])", [emails]);
    expect(rows.map((r) => r.outcome).sort()).toEqual(["deferred", "deferred", "send", "send"]);
  });
});

describe("retries and quiet hours", () => {
  it("a mail retry that would land in quiet hours waits for their end", async () => {
    // Quiet around the clock but for one minute: any retry lands in them.
    const { rows: [local] } = await t.db.root.query(
      "select (now() at time zone 'America/Toronto')::time as now_local, ((now() at time zone 'America/Toronto') - interval '1 minute')::time as end_local",
    );
    // Raised before the quiet hours begin, so it is due now.
    await notify("reviews.ready", REVIEW);
    const email = (await deliveries()).find((d) => d.channel === "email")!;
    await t.db.root.query("update app_public.notification_settings set quiet_hours_start = $2, quiet_hours_end = $3 where user_id = $1",
      [user.id, local.now_local, local.end_local]);
    await t.db.root.query("select outcome from app_private.claim_deliveries(array[$1::uuid])", [email.id]);
    const { rows: [retry] } = await t.db.root.query("select (app_private.complete_delivery($1, false, null, 'timeout')).run_at", [email.id]);
    const { rows: [quietEnd] } = await t.db.root.query("select app_hidden.after_quiet_hours($1, now() + interval '20 seconds') as t", [user.id]);
    // Not within the backoff (at most 30 s): at the end of the quiet hours, about a day on.
    expect(retry.run_at.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(retry.run_at.getTime()).toBe(quietEnd.t.getTime());
  });
});

describe("a failing attempt, whatever fails", () => {
  it("a template that does not render is a failed attempt: recorded, retried, in the end dead", async () => {
    // A template that no longer renders (saved before today's checks): written
    // with the triggers off, as a restored backup would be.
    const client = await t.db.root.connect();
    try {
      await client.query("set session_replication_role = replica");
      await client.query(
        "insert into app_public.notification_templates (type, channel, locale, subject, body, version) values ('reviews.ready', 'in_app', 'fr', 'Bilan', 'Bilan {{#kind}} sans fin', 9)",
      );
    } finally {
      await client.query("reset session_replication_role");
      client.release();
    }
    try {
      await notify("reviews.ready", REVIEW);
      const inApp = (await deliveries()).find((d) => d.channel === "in_app")!;
      await t.db.root.query("update app_public.notification_deliveries set max_attempts = 2 where id = $1", [inApp.id]);
      await runQueuedJobs(t.db);
      expect((await deliveries()).find((d) => d.id === inApp.id)).toMatchObject({ status: "pending", attempts: 1 });
      expect((await deliveries()).find((d) => d.id === inApp.id)!.last_error).toMatch(/unclosed|kind/i);
      await runQueuedJobs(t.db);
      expect((await deliveries()).find((d) => d.id === inApp.id)).toMatchObject({ status: "dead", attempts: 2 });
      const { rows } = await t.db.root.query("select attempt, succeeded from app_public.delivery_attempts where delivery_id = $1 order by attempt", [inApp.id]);
      expect(rows).toEqual([{ attempt: 1, succeeded: false }, { attempt: 2, succeeded: false }]);
    } finally {
      await t.db.root.query("delete from app_public.notification_templates where type = 'reviews.ready' and locale = 'fr'");
    }
  });
});

describe("retries and dead letters", () => {
  it("failures back off with jitter, are recorded, end dead; an admin retry delivers, a discard ends it", async () => {
    await t.db.root.query("update app_public.notification_settings set digest_frequency = 'immediate' where user_id = $1", [user.id]);
    await notify("reviews.ready", REVIEW);
    const email = (await deliveries()).find((d) => d.channel === "email")!;
    await t.db.root.query("update app_public.notification_deliveries set max_attempts = 3 where id = $1", [email.id]);
    const fail = async () => {
      await t.db.root.query("select outcome from app_private.claim_deliveries(array[$1::uuid])", [email.id]);
      const { rows: [d] } = await t.db.root.query(
        "select (x).status::text, (x).attempts, (x).run_at, (x).last_error from (select app_private.complete_delivery($1, false, '{\"code\": 421}'::jsonb, 'connection refused') x) y",
        [email.id],
      );
      return d;
    };
    // Equal jitter: the wait is half of 30 s · 2^(n-1) plus a random share
    // of the other half, so it grows with each attempt.
    const first = await fail();
    expect(first).toMatchObject({ status: "pending", attempts: 1, last_error: "connection refused" });
    const firstWait = first.run_at.getTime() - Date.now();
    expect(firstWait).toBeGreaterThan(14_000);
    expect(firstWait).toBeLessThanOrEqual(30_000);
    const second = await fail();
    const secondWait = second.run_at.getTime() - Date.now();
    expect(secondWait).toBeGreaterThan(29_000);
    expect(secondWait).toBeLessThanOrEqual(60_000);
    expect((await fail()).status).toBe("dead");
    const { rows: attempts } = await t.db.root.query("select attempt, succeeded, error, provider_response from app_public.delivery_attempts where delivery_id = $1 order by attempt", [email.id]);
    expect(attempts).toEqual([1, 2, 3].map((n) => ({ attempt: n, succeeded: false, error: "connection refused", provider_response: { code: 421 } })));

    await asUser(t.db, user.id, async (c) => {
      expect((await attempt(c, "select app_public.retry_delivery($1)", [email.id])).code).toBe("DNIED");
    });
    await asUser(t.db, admin.id, async (c) => {
      const { rows } = await c.query("select (app_public.retry_delivery($1)).status::text", [email.id]);
      expect(rows).toEqual([{ status: "pending" }]);
      await c.query("reset role");
      const { rows: jobs } = await c.query("select key from graphile_worker._private_jobs where key = $1", [`notifications__deliver:${email.id}`]);
      expect(jobs).toHaveLength(1);
    });
    // asUser rolled the retry back: the delivery is still dead, and can be discarded.
    await asUser(t.db, admin.id, async (c) => {
      expect((await c.query("select (app_public.discard_delivery($1)).status::text", [email.id])).rows).toEqual([{ status: "discarded" }]);
      expect((await attempt(c, "select app_public.discard_delivery($1)", [email.id])).code).toBe("NOFND");
    });
  });
});

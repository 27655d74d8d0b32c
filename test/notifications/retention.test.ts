// notifications__prune: read in-app notifications go after 90 days, logs of
// deliveries that ended well after the configured period; dead letters stay.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { loadCrontab } from "../../src/worker/runner.js";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, runQueuedJobs } from "../helpers/jobs.js";

const t = useTestDatabase({ NOTIFICATION_LOG_RETENTION_DAYS: "30" });
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "pruned");
  await clearJobs(t.db);
  await t.db.root.query("delete from app_public.notification_events");
});

/** An event with one delivery in the given state, its in-app row when delivered, aged as asked. */
async function item(label: string, status: string, ageDays: number, readDaysAgo: number | null) {
  const { rows: [event] } = await t.db.root.query(
    "insert into app_public.notification_events (user_id, type, data, created_at) values ($1, 'reviews.ready', $2, now() - $3 * interval '1 day') returning id",
    [user.id, { label }, ageDays],
  );
  const { rows: [delivery] } = await t.db.root.query(
    `insert into app_public.notification_deliveries (event_id, user_id, channel, status, status_changed_at)
     values ($1, $2, 'in_app', $3, now() - $4 * interval '1 day') returning id`,
    [event.id, user.id, status, ageDays],
  );
  if (readDaysAgo !== null || status === "delivered") {
    await t.db.root.query(
      "insert into app_public.notifications (user_id, delivery_id, type, title, body, read_at, created_at) values ($1, $2, 'reviews.ready', $3, '', now() - $4 * interval '1 day', now() - $5 * interval '1 day')",
      [user.id, delivery.id, label, readDaysAgo, ageDays],
    );
  }
}

describe("notifications__prune", () => {
  it("keeps what is recent, unread or unhandled; deletes the rest", async () => {
    await item("read long ago", "delivered", 120, 100);
    await item("read lately", "delivered", 120, 10);
    await item("never read", "delivered", 200, null);
    await item("email sent long ago", "sent", 45, null);
    await item("email sent lately", "sent", 5, null);
    await item("dead long ago", "dead", 300, null);
    await t.db.root.query("select graphile_worker.add_job('notifications__prune', '{}'::json)");
    await runQueuedJobs(t.db);
    const left = async (sql: string) => (await t.db.root.query(sql)).rows.map((r) => r.label).sort();
    expect(await left("select title as label from app_public.notifications")).toEqual(["never read", "read lately"]);
    expect(await left("select data ->> 'label' as label from app_public.notification_events")).toEqual(
      ["dead long ago", "email sent lately", "never read", "read lately"],
    );
  });

  it("runs daily from the crontab", async () => {
    expect((await loadCrontab()).map((i) => i.task)).toContain("notifications__prune");
  });
});

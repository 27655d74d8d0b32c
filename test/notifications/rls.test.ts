// Row-level security of the notification tables: events, deliveries,
// attempts and in-app notifications are their user's alone (admins also see
// dead letters); preferences, push subscriptions and webhook endpoints are
// owner-managed; settings are read and changed by their user only.
import { describe, expect, it } from "@jest/globals";
import { asUser, attempt } from "../helpers/db.js";
import { describeOwnedTable, insertRow, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("ntf");
const event = async (userId: string) =>
  (await insertRow(users().db, "notification_events", { user_id: userId, type: "reviews.ready", data: {} })).id as string;
const delivery = async (userId: string, status = "pending") =>
  (await insertRow(users().db, "notification_deliveries", { event_id: await event(userId), user_id: userId, channel: "in_app", status })).id as string;

describeOwnedTable({
  table: "notification_preferences",
  key: ["user_id", "type", "channel"],
  seed: (userId) => ({ user_id: userId, type: "reviews.ready", channel: "email", enabled: false }),
  insert: () => ({ type: "goals.due", channel: "push", enabled: true }),
  update: ["enabled", true],
}, users);

describeOwnedTable({
  table: "push_subscriptions",
  seed: (userId) => ({ user_id: userId, endpoint: `https://push.example.com/${userId}`, p256dh: "B".repeat(87), auth: "a".repeat(22) }),
  insert: () => ({ endpoint: "https://push.example.com/new", p256dh: "C".repeat(87), auth: "b".repeat(22) }),
  update: "denied",
}, users);

describeOwnedTable({
  table: "webhook_endpoints",
  seed: (userId) => ({ user_id: userId, url: "https://hooks.example.com/a" }),
  // Created through create_webhook_endpoint, which also makes the secret.
  insert: "denied",
  update: ["description", "Zapier"],
}, users);

describeOwnedTable({
  table: "notification_events",
  // data may hold single-use tokens: not even its owner reads it.
  readable: ["id", "user_id", "type", "dedupe_key", "created_at"],
  seed: (userId) => ({ user_id: userId, type: "reviews.ready", data: { kind: "monthly" } }),
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

describeOwnedTable({
  table: "notification_deliveries",
  seed: async (userId) => ({ event_id: await event(userId), user_id: userId, channel: "email" }),
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

describeOwnedTable({
  table: "delivery_attempts",
  // Not the id: it is generated always, and cannot be written at all.
  key: ["delivery_id", "attempt"],
  seed: async (userId) => ({ delivery_id: await delivery(userId), user_id: userId, attempt: 1, succeeded: false, error: "boom" }),
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

describeOwnedTable({
  table: "notifications",
  seed: async (userId) => ({ user_id: userId, delivery_id: await delivery(userId), type: "reviews.ready", title: "T", body: "B" }),
  insert: "denied",
  update: ["read_at", new Date("2024-05-01T00:00:00Z")],
}, users);

describe("notification settings", () => {
  it("each user reads and changes only their own", async () => {
    const { db, a, b } = users();
    await asUser(db, b.id, async (c) => {
      expect((await c.query("select user_id from app_public.notification_settings")).rows).toEqual([{ user_id: b.id }]);
      expect((await c.query("update app_public.notification_settings set digest_frequency = 'daily' where user_id = $1 returning 1", [a.id])).rows).toEqual([]);
      expect((await c.query("update app_public.notification_settings set digest_frequency = 'daily' where user_id = $1 returning digest_frequency", [b.id])).rows)
        .toEqual([{ digest_frequency: "daily" }]);
      expect((await attempt(c, "update app_public.notification_settings set quiet_hours_start = '22:00' where user_id = $1", [b.id])).code).toBe("23514");
    });
    const { rows } = await db.root.query("select digest_frequency from app_public.notification_settings where user_id = $1", [a.id]);
    expect(rows).toEqual([{ digest_frequency: "immediate" }]);
  });

  it("admins see other users' dead letters, and only those", async () => {
    const { db, a, b } = users();
    await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [b.id]);
    const dead = await delivery(a.id, "dead");
    const live = await delivery(a.id, "pending");
    await asUser(db, b.id, async (c) => {
      const { rows } = await c.query("select id from app_public.notification_deliveries where id = any($1)", [[dead, live]]);
      expect(rows).toEqual([{ id: dead }]);
    });
    await db.root.query("update app_private.user_flags set is_admin = false where user_id = $1", [b.id]);
    await asUser(db, b.id, async (c) => {
      expect((await c.query("select id from app_public.notification_deliveries where id = $1", [dead])).rows).toEqual([]);
    });
  });
});

describe("notification types and templates", () => {
  it("types are readable by anyone; types and templates are written by admins only", async () => {
    const { db, a, b } = users();
    await asUser(db, null, async (c) => {
      expect((await c.query("select count(*)::int as n from app_public.notification_types")).rows[0].n).toBeGreaterThan(5);
    });
    await asUser(db, a.id, async (c) => {
      expect((await attempt(c, "insert into app_public.notification_types (code, description) values ('x.y', 'x')")).code).toBe("42501");
      expect((await c.query("update app_public.notification_types set description = 'hacked' returning 1")).rows).toEqual([]);
      expect((await c.query("select count(*)::int as n from app_public.notification_templates")).rows[0].n).toBe(0);
    });
    await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [b.id]);
    try {
      await asUser(db, b.id, async (c) => {
        expect((await attempt(c, "insert into app_public.notification_types (code, description) values ('x.y', 'x')")).code).toBeUndefined();
        expect((await c.query("select count(*)::int as n from app_public.notification_templates")).rows[0].n).toBeGreaterThan(0);
      });
    } finally {
      await db.root.query("update app_private.user_flags set is_admin = false where user_id = $1", [b.id]);
    }
  });
});

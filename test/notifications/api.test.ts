// Notifications as an app sees them over GraphQL: its in-app list, unread
// counts, marking read, its settings, its webhook endpoints (secret shown once).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";

let gw: TestGateway;
let me: Account;
let other: Account;

beforeAll(async () => {
  gw = await startTestGateway();
  me = await signUp(gw.url, "inbox_me");
  other = await signUp(gw.url, "inbox_other");
  for (const account of [me, other]) {
    await gw.db.root.query(
      "select app_private.notify($1, 'reviews.ready', jsonb_build_object('kind', 'monthly', 'period_start', '2024-05-01', 'username', 'x'))",
      [account.id],
    );
  }
  await runQueuedJobs(gw.db);
});
afterAll(async () => {
  await gw.close();
});

describe("notifications over GraphQL", () => {
  it("lists only your notifications, counts the unread, and marks them read", async () => {
    const list = await graphql(gw.url, `{ notifications { nodes { rowId title } } unreadNotificationCounts { nodes { type unread } } }`, {}, me.token);
    expect(list.errors).toBeUndefined();
    expect(list.data.notifications.nodes).toEqual([{ rowId: expect.any(String), title: "Your monthly review is ready" }]);
    expect(list.data.unreadNotificationCounts.nodes).toEqual([{ type: "reviews.ready", unread: 1 }]);
    const theirs = (await gw.db.root.query("select id from app_public.notifications where user_id = $1", [other.id])).rows[0].id;
    const mark = await graphql(gw.url, `mutation ($ids: [UUID]!) { markNotificationsRead(input: { notificationIds: $ids }) { result } }`,
      { ids: [list.data.notifications.nodes[0].rowId, theirs] }, me.token);
    expect(mark.data.markNotificationsRead.result).toBe(1);
    const after = await graphql(gw.url, `{ unreadNotificationCounts { nodes { type } } }`, {}, me.token);
    expect(after.data.unreadNotificationCounts.nodes).toEqual([]);
    const { rows } = await gw.db.root.query("select read_at from app_public.notifications where id = $1", [theirs]);
    expect(rows[0].read_at).toBeNull();
  });

  it("changes your quiet hours and digest, and refuses half a quiet window", async () => {
    const update = (patch: object) => graphql(gw.url,
      `mutation ($id: UUID!, $patch: NotificationSettingPatch!) { updateNotificationSetting(input: { userId: $id, patch: $patch }) { notificationSetting { quietHoursStart digestFrequency } } }`,
      { id: me.id, patch }, me.token);
    const ok = await update({ quietHoursStart: "22:00:00", quietHoursEnd: "07:00:00", digestFrequency: "daily" });
    expect(ok.data.updateNotificationSetting.notificationSetting).toEqual({ quietHoursStart: "22:00:00.000000", digestFrequency: "daily" });
    const half = await update({ quietHoursEnd: null });
    expect(half.errors?.[0]?.extensions).toMatchObject({ code: "BADIN", constraint: "quiet_hours_both" });
  });

  it("registers a webhook endpoint and shows its secret once", async () => {
    const created = await graphql(gw.url,
      `mutation { createWebhookEndpoint(input: { url: "https://hooks.example.com/in", eventTypes: ["reviews.ready"] }) { result { endpointId secret } } }`,
      {}, me.token);
    expect(created.data.createWebhookEndpoint.result.secret).toMatch(/^whsec_/);
    const listed = await graphql(gw.url, `{ webhookEndpoints { nodes { url eventTypes } } }`, {}, me.token);
    expect(listed.data.webhookEndpoints.nodes).toEqual([{ url: "https://hooks.example.com/in", eventTypes: ["reviews.ready"] }]);
    expect(JSON.stringify(listed)).not.toContain("whsec_");
    const unknown = await graphql(gw.url,
      `mutation { createWebhookEndpoint(input: { url: "https://hooks.example.com/x", eventTypes: ["no.such"] }) { result { secret } } }`, {}, me.token);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOFND");
    // Plain HTTP to the internet could never be delivered: refused at once, nothing saved.
    const insecure = await graphql(gw.url,
      `mutation { createWebhookEndpoint(input: { url: "http://hooks.example.com/in" }) { result { secret } } }`, {}, me.token);
    expect(insecure.errors?.[0]?.extensions).toMatchObject({ code: "BADIN", constraint: "webhook_url_https" });
    const after = await graphql(gw.url, `{ webhookEndpoints { totalCount } }`, {}, me.token);
    expect(after.data.webhookEndpoints.totalCount).toBe(1);
  });
});

describe("dead letters over GraphQL", () => {
  it("an admin lists everyone's dead deliveries and retries or discards them; users cannot", async () => {
    const admin = await signUp(gw.url, "inbox_admin");
    await gw.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
    const { rows: dead } = await gw.db.root.query(
      `update app_public.notification_deliveries set status = 'dead', last_error = 'mailbox full', attempts = 6
       where id = (select id from app_public.notification_deliveries where user_id = $1 and channel = 'email' limit 1) returning id`,
      [other.id],
    );
    expect(dead).toHaveLength(1);
    const list = `{ notificationDeliveries(filter: { status: { equalTo: dead } }, orderBy: STATUS_CHANGED_AT_DESC) { nodes { rowId userId lastError } } }`;
    const asAdmin = await graphql(gw.url, list, {}, admin.token);
    expect(asAdmin.data.notificationDeliveries.nodes).toEqual([{ rowId: dead[0].id, userId: other.id, lastError: "mailbox full" }]);
    // Another user sees no one's dead letters but their own.
    expect((await graphql(gw.url, list, {}, me.token)).data.notificationDeliveries.nodes).toEqual([]);

    const retry = `mutation ($id: UUID!) { retryDelivery(input: { deliveryId: $id }) { result { status attempts maxAttempts } } }`;
    expect((await graphql(gw.url, retry, { id: dead[0].id }, me.token)).errors?.[0]?.extensions?.code).toBe("DNIED");
    const retried = await graphql(gw.url, retry, { id: dead[0].id }, admin.token);
    expect(retried.errors).toBeUndefined();
    expect(retried.data.retryDelivery.result).toEqual({ status: "pending", attempts: 6, maxAttempts: 12 });

    await gw.db.root.query("update app_public.notification_deliveries set status = 'dead' where id = $1", [dead[0].id]);
    const discard = `mutation ($id: UUID!) { discardDelivery(input: { deliveryId: $id }) { result { status } } }`;
    const discarded = await graphql(gw.url, discard, { id: dead[0].id }, admin.token);
    expect(discarded.data.discardDelivery.result).toEqual({ status: "discarded" });
    expect((await graphql(gw.url, discard, { id: dead[0].id }, admin.token)).errors?.[0]?.extensions?.code).toBe("NOFND");
  });
});

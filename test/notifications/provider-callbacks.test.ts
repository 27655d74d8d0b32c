// POST /hooks/notifications through the real gateway: signed provider reports
// move a delivery forward; unsigned, tampered, stale and replayed ones do not.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { createUser } from "../helpers/db.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
let gw: TestGateway;
let userId: string;

beforeAll(async () => {
  gw = await startTestGateway({ PROVIDER_WEBHOOK_SECRET: SECRET });
  userId = (await createUser(gw.db, "reported")).id;
});
afterAll(async () => {
  await gw.close();
});

async function sentDelivery(messageId: string): Promise<string> {
  const { rows: [event] } = await gw.db.root.query(
    "insert into app_public.notification_events (user_id, type) values ($1, 'reviews.ready') returning id", [userId],
  );
  const { rows: [delivery] } = await gw.db.root.query(
    `insert into app_public.notification_deliveries (event_id, user_id, channel, status, sent_at, provider_message_id)
     values ($1, $2, 'email', 'sent', now(), $3) returning id`,
    [event.id, userId, messageId],
  );
  return delivery.id;
}

const statusOf = async (id: string) =>
  (await gw.db.root.query("select status::text, last_error from app_public.notification_deliveries where id = $1", [id])).rows[0];

function post(body: string, headers: Record<string, string>) {
  return fetch(`${gw.url}/hooks/notifications`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

function signed(payload: object, { id = `msg_${randomUUID()}`, at = new Date() } = {}) {
  const body = JSON.stringify(payload);
  const signature = new Webhook(SECRET).sign(id, at, body);
  return { body, headers: { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature } };
}

describe("provider callbacks", () => {
  it("a signed report moves a delivery forward; its replay changes nothing", async () => {
    const id = await sentDelivery(`<${randomUUID()}@lifegraph>`);
    const report = signed({ type: "delivery.delivered", data: { deliveryId: id } });
    const first = await post(report.body, report.headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ outcome: "ok" });
    expect(await statusOf(id)).toMatchObject({ status: "delivered" });
    const replay = await post(report.body, report.headers);
    expect(await replay.json()).toEqual({ outcome: "replay" });
    const opened = signed({ type: "delivery.opened", data: { deliveryId: id } });
    await post(opened.body, opened.headers);
    expect(await statusOf(id)).toMatchObject({ status: "opened" });
    // Late and out of order: a delivered report after opened does not go back.
    const late = signed({ type: "delivery.delivered", data: { deliveryId: id } });
    await post(late.body, late.headers);
    expect(await statusOf(id)).toMatchObject({ status: "opened" });
  });

  it("a report that overtakes the worker (still sending) stands when the attempt is recorded", async () => {
    const id = await sentDelivery(`<${randomUUID()}@lifegraph>`);
    await gw.db.root.query("update app_public.notification_deliveries set status = 'sending', sent_at = null, attempts = 1 where id = $1", [id]);
    const report = signed({ type: "delivery.delivered", data: { deliveryId: id } });
    expect(await (await post(report.body, report.headers)).json()).toEqual({ outcome: "ok" });
    expect(await statusOf(id)).toMatchObject({ status: "delivered" });
    await gw.db.root.query("select app_private.complete_delivery($1, true)", [id]);
    expect(await statusOf(id)).toMatchObject({ status: "delivered" });
  });

  it("finds the delivery by the provider's message id, and keeps a bounce's reason", async () => {
    const messageId = `<${randomUUID()}@lifegraph>`;
    const id = await sentDelivery(messageId);
    const report = signed({ type: "delivery.bounced", data: { messageId, reason: "550 mailbox unavailable" } });
    expect((await post(report.body, report.headers)).status).toBe(200);
    expect(await statusOf(id)).toEqual({ status: "bounced", last_error: "550 mailbox unavailable" });
  });

  it("refuses unsigned, tampered and stale reports, and says so for unknown deliveries", async () => {
    const id = await sentDelivery(`<${randomUUID()}@lifegraph>`);
    const payload = { type: "delivery.delivered", data: { deliveryId: id } };
    expect((await post(JSON.stringify(payload), {})).status).toBe(401);
    const tampered = signed(payload);
    expect((await post(tampered.body.replace("delivered", "opened"), tampered.headers)).status).toBe(401);
    const stale = signed(payload, { at: new Date(Date.now() - 10 * 60_000) });
    expect((await post(stale.body, stale.headers)).status).toBe(401);
    expect(await statusOf(id)).toMatchObject({ status: "sent" });
    const unknown = signed({ type: "delivery.delivered", data: { deliveryId: randomUUID() } });
    expect((await post(unknown.body, unknown.headers)).status).toBe(404);
    const bad = signed({ type: "delivery.exploded", data: { deliveryId: id } });
    expect((await post(bad.body, bad.headers)).status).toBe(400);
  });
});

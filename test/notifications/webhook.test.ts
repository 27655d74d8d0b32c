// Webhook deliveries end to end: app_private.notify → the deliver job → a real
// local HTTP receiver that verifies with our helper (verify-webhook.ts).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { asUser, createUser, sqlState, useTestDatabase, type TestUser } from "../helpers/db.js";
import { testConfig } from "../helpers/env.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { verifyWebhook, WebhookReplayError } from "../../src/notifications/verify-webhook.js";
import { resolveTarget } from "../../src/notifications/webhook.js";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  payload?: unknown;
  error?: string;
}

const t = useTestDatabase({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
let server: Server;
let base: string;
const received: Received[] = [];
/** Per receiver path: the secrets it verifies with, and the status it answers. */
const receivers = new Map<string, { secrets: string[]; status: number; ids: Set<string> }>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      const receiver = receivers.get(path);
      const body = Buffer.concat(chunks).toString("utf8");
      const entry: Received = { path, headers: req.headers, body };
      received.push(entry);
      if (receiver?.status === 0) return; // never answers
      try {
        const seen = (id: string) => receiver!.ids.has(id) || (receiver!.ids.add(id), false);
        entry.payload = verifyWebhook(receiver?.secrets ?? [], req.headers, body, { seen });
      } catch (error) {
        entry.error = (error as Error).message;
        // A redelivery of a processed id is acknowledged, not processed again.
        if (!(error instanceof WebhookReplayError)) return void res.writeHead(401).end();
      }
      res.writeHead(receiver?.status ?? 404).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Like asUser, but committed: the worker (another connection) must see the change. */
async function committedAs<T>(userId: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await t.db.root.connect();
  try {
    await client.query("begin");
    const { rows } = await client.query<{ id: string }>(
      "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [userId],
    );
    await client.query("select set_config('jwt.claims.session_id', $1, true)", [rows[0]!.id]);
    await client.query(`set local role ${t.db.config.DATABASE_VISITOR}`);
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

let n = 0;
/** A user with one endpoint at its own receiver path. */
async function userWithEndpoint(status = 200): Promise<{ user: TestUser; endpointId: string; path: string; secret: string }> {
  const user = await createUser(t.db, "hook");
  const path = `/hooks/${++n}`;
  const { endpoint_id: endpointId, secret } = await committedAs(user.id, async (client) =>
    (await client.query("select * from app_public.create_webhook_endpoint($1)", [base + path])).rows[0],
  );
  receivers.set(path, { secrets: [secret], status, ids: new Set() });
  return { user, endpointId, path, secret };
}

async function notifyReview(userId: string, extra: Record<string, unknown> = {}): Promise<{ eventId: string; deliveryId: string }> {
  const data = { username: "u", kind: "monthly", period_start: "2024-01-01", gfs: 7.5, review_id: "r1", ...extra };
  const { rows } = await t.db.root.query("select app_private.notify($1, 'reviews.ready', $2) as id", [userId, data]);
  const eventId = rows[0].id;
  const { rows: deliveries } = await t.db.root.query(
    "select id from app_public.notification_deliveries where event_id = $1 and channel = 'webhook'", [eventId],
  );
  expect(deliveries).toHaveLength(1);
  return { eventId, deliveryId: deliveries[0].id };
}

const delivery = async (id: string) =>
  (await t.db.root.query("select *, run_at > now() as due_later from app_public.notification_deliveries where id = $1", [id])).rows[0];
const attempts = async (id: string) =>
  (await t.db.root.query("select * from app_public.delivery_attempts where delivery_id = $1 order by id", [id])).rows;
const at = (path: string) => received.filter((r) => r.path === path);

describe("webhook deliveries", () => {
  it("arrive signed (Standard Webhooks) and verify", async () => {
    const { user, path } = await userWithEndpoint();
    const { eventId, deliveryId } = await notifyReview(user.id);
    await runQueuedJobs(t.db);

    expect(await delivery(deliveryId)).toMatchObject({ status: "sent", attempts: 1, last_error: null });
    const [attempt] = await attempts(deliveryId);
    expect(attempt).toMatchObject({ succeeded: true, provider_response: { status: 200, body: "ok" } });

    const [message] = at(path);
    expect(message!.error).toBeUndefined();
    expect(message!.headers).toMatchObject({ "webhook-id": deliveryId, "content-type": "application/json" });
    expect(message!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(Math.abs(Number(message!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    expect(message!.payload).toEqual({
      type: "reviews.ready",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { username: "u", kind: "monthly", period_start: "2024-01-01", gfs: 7.5, review_id: "r1", eventId, userId: user.id },
    });
  });

  it("are refused for private targets unless WEBHOOK_ALLOW_PRIVATE_TARGETS", async () => {
    const { user, path } = await userWithEndpoint();
    const { deliveryId } = await notifyReview(user.id);
    await runQueuedJobs(t.db, testConfig());

    const row = await delivery(deliveryId);
    expect(row).toMatchObject({ status: "dead", attempts: 1 });
    expect(row.last_error).toMatch(/private or reserved address: 127\.0\.0\.1 \(loopback\)/);
    expect(at(path)).toHaveLength(0);
  });

  it("check every resolved address, and require https when private targets are not allowed", async () => {
    const refused = async (url: string) => (await resolveTarget(new URL(url), false).catch((e: Error) => e)) as Error;
    for (const url of [
      "https://localhost/x", "https://10.1.2.3/", "https://192.168.0.1/", "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/", "https://0.0.0.0/", "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/",
      "https://[::ffff:127.0.0.1]/", "https://0x7f.1/",
    ]) {
      expect((await refused(url)).message).toMatch(/private or reserved address/);
    }
    expect((await refused("http://93.184.216.34/")).message).toMatch(/only https/);
    await expect(resolveTarget(new URL("https://93.184.216.34/"), false)).resolves.toEqual([{ address: "93.184.216.34", family: 4 }]);
    await expect(resolveTarget(new URL("http://127.0.0.1/"), true)).resolves.toHaveLength(1);
  });

  it("410 disables the endpoint and skips the delivery", async () => {
    const { user, endpointId, path } = await userWithEndpoint(410);
    const { deliveryId } = await notifyReview(user.id);
    await runQueuedJobs(t.db);

    expect(at(path)).toHaveLength(1);
    expect(await delivery(deliveryId)).toMatchObject({ status: "skipped", attempts: 1 });
    expect((await attempts(deliveryId))[0]).toMatchObject({ succeeded: false, provider_response: { status: 410 } });
    const { rows } = await t.db.root.query("select disabled_at, disabled_reason from app_public.webhook_endpoints where id = $1", [endpointId]);
    expect(rows[0].disabled_at).not.toBeNull();
    expect(rows[0].disabled_reason).toMatch(/410/);
    // A disabled endpoint gets no more deliveries.
    const { rows: next } = await t.db.root.query("select app_private.notify($1, 'reviews.ready', '{}') as id", [user.id]);
    const { rows: more } = await t.db.root.query(
      "select 1 from app_public.notification_deliveries where event_id = $1 and channel = 'webhook'", [next[0].id],
    );
    expect(more).toHaveLength(0);
  });

  it("5xx is retried with backoff until max_attempts, then dead; an admin's retry delivers it", async () => {
    const { user, path } = await userWithEndpoint(500);
    const { deliveryId } = await notifyReview(user.id);
    await t.db.root.query("update app_public.notification_deliveries set max_attempts = 3 where id = $1", [deliveryId]);

    for (const attempt of [1, 2]) {
      const before = Date.now();
      await runQueuedJobs(t.db);
      const row = await delivery(deliveryId);
      expect(row).toMatchObject({ status: "pending", attempts: attempt, last_error: "the receiver answered 500", due_later: true });
      // Equal-jitter backoff: between half of 30 s · 2^(n-1) and all of it.
      const wait = row.run_at.getTime() - before;
      expect(wait).toBeGreaterThanOrEqual(15_000 * 2 ** (attempt - 1) - 5_000);
      expect(wait).toBeLessThanOrEqual(30_000 * 2 ** (attempt - 1) + 5_000);
    }
    await runQueuedJobs(t.db);
    expect(await delivery(deliveryId)).toMatchObject({ status: "dead", attempts: 3, last_error: "the receiver answered 500" });
    expect(at(path)).toHaveLength(3);
    // Dead: nothing runs any more.
    await runQueuedJobs(t.db);
    expect(at(path)).toHaveLength(3);

    const admin = await createUser(t.db, "admin");
    await t.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
    // Not for ordinary users.
    expect(await asUser(t.db, user.id, (c) => sqlState(c.query("select app_public.retry_delivery($1)", [deliveryId])))).toBe("DNIED");
    await committedAs(admin.id, (c) => c.query("select app_public.retry_delivery($1)", [deliveryId]));
    receivers.get(path)!.status = 200;
    await runQueuedJobs(t.db);

    // The count goes on after the retry: the history stays in order.
    expect(await delivery(deliveryId)).toMatchObject({ status: "sent", attempts: 4, last_error: null });
    expect((await attempts(deliveryId)).map((a) => [a.attempt, a.succeeded])).toEqual([[1, false], [2, false], [3, false], [4, true]]);
    // Every try carried the same id: the receiver processed it once.
    expect(new Set(at(path).map((r) => r.headers["webhook-id"]))).toEqual(new Set([deliveryId]));
  });

  it("a receiver that does not answer in time is retried", async () => {
    const { user, path } = await userWithEndpoint(0);
    const { deliveryId } = await notifyReview(user.id);
    await runQueuedJobs(t.db, testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", WEBHOOK_TIMEOUT_MS: "300" }));
    expect(at(path)).toHaveLength(1);
    expect(await delivery(deliveryId)).toMatchObject({ status: "pending", attempts: 1, last_error: "no answer within 300 ms" });
    // The retry (run by later tests' runQueuedJobs) gets an answer.
    receivers.get(path)!.status = 200;
  });

  it("a crash between sending and completing the job resends the same webhook-id", async () => {
    const { user, path } = await userWithEndpoint();
    const { deliveryId } = await notifyReview(user.id);
    await runQueuedJobs(t.db);
    // As if the worker died after the POST: the delivery still says 'sending', its job comes back.
    await t.db.root.query("update app_public.notification_deliveries set status = 'sending' where id = $1", [deliveryId]);
    await t.db.root.query("select app_private.schedule_delivery($1, now())", [deliveryId]);
    await runQueuedJobs(t.db);

    const messages = at(path);
    expect(messages.map((m) => m.headers["webhook-id"])).toEqual([deliveryId, deliveryId]);
    expect(messages[0]!.body).toBe(messages[1]!.body);
    // The receiver's replay check recognised the second as a repeat.
    expect(messages[1]!.error).toMatch(/already received/);
    expect(await delivery(deliveryId)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("after a key rotation, deliveries carry two signatures; either secret verifies", async () => {
    const { user, endpointId, path, secret: oldSecret } = await userWithEndpoint();
    const { secret: newSecret } = await committedAs(user.id, async (c) =>
      (await c.query("select * from app_public.rotate_webhook_secret($1)", [endpointId])).rows[0],
    );
    expect(newSecret).not.toBe(oldSecret);
    const { deliveryId } = await notifyReview(user.id);
    await runQueuedJobs(t.db);

    const [message] = at(path);
    expect((message!.headers["webhook-signature"] as string).split(" ")).toHaveLength(2);
    expect(message!.error).toBeUndefined();
    for (const secret of [oldSecret, newSecret]) {
      expect(verifyWebhook(secret, message!.headers, message!.body)).toMatchObject({ type: "reviews.ready" });
    }
    expect(await delivery(deliveryId)).toMatchObject({ status: "sent" });

    // Once the old key retires, only the new one signs.
    await t.db.root.query("update app_private.webhook_secrets set retires_at = now() - interval '1 second' where retires_at is not null and endpoint_id = $1", [endpointId]);
    await notifyReview(user.id);
    await runQueuedJobs(t.db);
    const second = at(path)[1]!;
    expect((second.headers["webhook-signature"] as string).split(" ")).toHaveLength(1);
    expect(() => verifyWebhook(oldSecret, second.headers, second.body)).toThrow(/No matching signature/);
    expect(verifyWebhook(newSecret, second.headers, second.body)).toBeTruthy();
  });

  it("never carries account notifications or credential-like data", async () => {
    const { user, path } = await userWithEndpoint();
    // reviews.ready with a stray token in its data: the token stays home.
    const { deliveryId } = await notifyReview(user.id, { token: "s3cret", api_secret: "x" });
    // An account notification forced onto the webhook channel is skipped.
    const { rows } = await t.db.root.query(
      `with e as (insert into app_public.notification_events (user_id, type, data)
                  values ($1, 'account.password_reset', '{"token":"t"}') returning id)
       insert into app_public.notification_deliveries (event_id, user_id, channel, target_id)
       select e.id, $1, 'webhook', w.id from e, app_public.webhook_endpoints w where w.user_id = $1 returning id`,
      [user.id],
    );
    await t.db.root.query("select app_private.schedule_delivery($1, now())", [rows[0].id]);
    await runQueuedJobs(t.db);

    expect(at(path)).toHaveLength(1);
    expect(JSON.parse(at(path)[0]!.body).data).not.toHaveProperty("token");
    expect(at(path)[0]!.body).not.toMatch(/s3cret|api_secret/);
    expect(await delivery(deliveryId)).toMatchObject({ status: "sent" });
    expect(await delivery(rows[0].id)).toMatchObject({ status: "skipped", last_error: expect.stringMatching(/account/) });
  });
});

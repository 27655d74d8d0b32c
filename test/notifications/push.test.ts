// Web Push deliveries end to end: notify → the deliver job → web-push → a local
// HTTP server playing the push service. The test holds the browser's keys, so
// it checks the VAPID JWT and decrypts the aes128gcm payload (RFC 8291/8292).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createECDH, createPublicKey, hkdfSync, createDecipheriv, randomBytes, verify, type ECDH } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import webpush from "web-push";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { testConfig } from "../helpers/env.js";
import { runQueuedJobs } from "../helpers/jobs.js";

interface Pushed {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const vapid = webpush.generateVAPIDKeys();
const VAPID = { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: "mailto:ops@lifegraph.test" };
const t = useTestDatabase({ ...VAPID, WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" });
let server: Server;
let base: string;
const pushed: Pushed[] = [];
const statuses = new Map<string, number>();

beforeAll(async () => {
  // The push service is on 127.0.0.1, so private targets are allowed here.
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      pushed.push({ path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(statuses.get(req.url ?? "/") ?? 201, { location: `${base}/messages/${pushed.length}` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The browser side: a P-256 key pair and an auth secret, as PushManager.subscribe makes them. */
interface Browser {
  user: TestUser;
  subscriptionId: string;
  path: string;
  ecdh: ECDH;
  auth: Buffer;
}

let n = 0;
async function subscribedUser(status = 201): Promise<Browser> {
  const user = await createUser(t.db, "push");
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const path = `/push/${++n}`;
  statuses.set(path, status);
  const { rows } = await t.db.root.query(
    "insert into app_public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, $2, $3, $4) returning id",
    [user.id, base + path, ecdh.getPublicKey().toString("base64url"), auth.toString("base64url")],
  );
  return { user, subscriptionId: rows[0].id, path, ecdh, auth };
}

async function notifyReminder(user: TestUser): Promise<string> {
  const data = { username: user.username, ritual_title: "Meditate", ritual_id: "r1" };
  const { rows: event } = await t.db.root.query("select app_private.notify($1, 'rituals.reminder', $2) as id", [user.id, data]);
  const { rows } = await t.db.root.query(
    "select id from app_public.notification_deliveries where event_id = $1 and channel = 'push'", [event[0].id],
  );
  expect(rows).toHaveLength(1);
  return rows[0].id;
}

/** RFC 8291: the user agent's decryption of a single-record aes128gcm body. */
function decrypt(browser: Browser, body: Buffer): unknown {
  const salt = body.subarray(0, 16);
  const idLength = body[20]!;
  const serverKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const userKey = browser.ecdh.getPublicKey();
  const shared = browser.ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), userKey, serverKey]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  return JSON.parse(padded.subarray(0, padded.lastIndexOf(2)).toString("utf8"));
}

/** RFC 8292: `vapid t=<ES256 JWT>, k=<public key>`; returns the JWT claims once its signature checks. */
function vapidClaims(authorization: string): Record<string, unknown> {
  const [, token, key] = /^vapid t=([^,]+), k=(.+)$/.exec(authorization) ?? [];
  expect(key).toBe(vapid.publicKey);
  const point = Buffer.from(key!, "base64url");
  const publicKey = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") },
    format: "jwk",
  });
  const [header, claims, signature] = token!.split(".");
  const signed = verify("sha256", Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature!, "base64url"));
  expect(signed).toBe(true);
  return JSON.parse(Buffer.from(claims!, "base64url").toString("utf8"));
}

const delivery = async (id: string) =>
  (await t.db.root.query("select *, run_at > now() as due_later from app_public.notification_deliveries where id = $1", [id])).rows[0];
const at = (path: string) => pushed.filter((p) => p.path === path);

describe("push deliveries", () => {
  it("POST the encrypted payload with VAPID and the delivery id as idempotency key", async () => {
    const browser = await subscribedUser();
    const deliveryId = await notifyReminder(browser.user);
    await runQueuedJobs(t.db);

    const [request, ...others] = at(browser.path);
    expect(others).toHaveLength(0);
    expect(request!.headers).toMatchObject({
      "content-encoding": "aes128gcm",
      "content-type": "application/octet-stream",
      ttl: "86400",
      urgency: "normal",
      topic: deliveryId.replaceAll("-", ""),
      "idempotency-key": deliveryId,
    });
    const claims = vapidClaims(request!.headers.authorization!);
    expect(claims).toMatchObject({ aud: base, sub: "mailto:ops@lifegraph.test" });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    // Nothing readable on the wire; the browser's keys open it.
    expect(request!.body.toString("latin1")).not.toContain("Meditate");
    expect(decrypt(browser, request!.body)).toEqual({
      title: "Time for Meditate", body: "A gentle reminder: Meditate.", type: "rituals.reminder", deliveryId,
    });

    expect(await delivery(deliveryId)).toMatchObject({ status: "sent", attempts: 1, last_error: null });
    const { rows } = await t.db.root.query("select * from app_public.delivery_attempts where delivery_id = $1", [deliveryId]);
    expect(rows).toEqual([expect.objectContaining({ succeeded: true, provider_response: { status: 201, location: expect.stringContaining("/messages/") } })]);
  });

  it.each([404, 410])("%i: the subscription is gone, disabled, the delivery skipped", async (status) => {
    const browser = await subscribedUser(status);
    const deliveryId = await notifyReminder(browser.user);
    await runQueuedJobs(t.db);

    expect(at(browser.path)).toHaveLength(1);
    expect(await delivery(deliveryId)).toMatchObject({ status: "skipped", attempts: 1 });
    const { rows } = await t.db.root.query("select disabled_at from app_public.push_subscriptions where id = $1", [browser.subscriptionId]);
    expect(rows[0].disabled_at).not.toBeNull();
    // No more deliveries to a disabled subscription.
    const { rows: event } = await t.db.root.query("select app_private.notify($1, 'rituals.reminder', '{}') as id", [browser.user.id]);
    const { rows: more } = await t.db.root.query(
      "select 1 from app_public.notification_deliveries where event_id = $1 and channel = 'push'", [event[0].id],
    );
    expect(more).toHaveLength(0);
  });

  it("other failures are retried", async () => {
    const browser = await subscribedUser(503);
    const deliveryId = await notifyReminder(browser.user);
    await runQueuedJobs(t.db);
    expect(await delivery(deliveryId)).toMatchObject({
      status: "pending", attempts: 1, last_error: "the push service answered 503", due_later: true,
    });
    statuses.set(browser.path, 201);
    await runQueuedJobs(t.db);
    expect(await delivery(deliveryId)).toMatchObject({ status: "sent", attempts: 2 });
    // The retry is the same message to the push service.
    expect(at(browser.path).map((p) => p.headers["idempotency-key"])).toEqual([deliveryId, deliveryId]);
  });

  it("private push endpoints are refused unless allowed", async () => {
    const browser = await subscribedUser();
    const deliveryId = await notifyReminder(browser.user);
    await runQueuedJobs(t.db, testConfig(VAPID));
    const row = await delivery(deliveryId);
    expect(row).toMatchObject({ status: "dead", attempts: 1 });
    expect(row.last_error).toMatch(/private or reserved address/);
    expect(at(browser.path)).toHaveLength(0);
  });

  it("without VAPID keys the channel is off: deliveries are skipped", async () => {
    const browser = await subscribedUser();
    const deliveryId = await notifyReminder(browser.user);
    await runQueuedJobs(t.db, testConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: "true" }));
    expect(await delivery(deliveryId)).toMatchObject({ status: "skipped", last_error: "the push channel is not configured" });
    expect(at(browser.path)).toHaveLength(0);
  });
});

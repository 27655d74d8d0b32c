// The receivers' helper: signatures made with the Standard Webhooks library,
// checked for tampering, age, wrong keys, replays and key rotation.
import { describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { verifyWebhook, WebhookReplayError, WebhookVerificationError } from "../../src/notifications/verify-webhook.js";
import { signatures } from "../../src/notifications/webhook.js";

const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;
const body = JSON.stringify({ type: "reviews.ready", timestamp: new Date().toISOString(), data: { kind: "monthly" } });

function signed(secrets: string[], at = new Date(), id = "msg_1") {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures(secrets, id, at, body),
  };
}

describe("verifyWebhook", () => {
  const secret = newSecret();

  it("accepts a good message and returns the parsed payload", () => {
    expect(verifyWebhook(secret, signed([secret]), body)).toEqual(JSON.parse(body));
    // Header names are case-insensitive, and fetch Headers work too.
    const upper = Object.fromEntries(Object.entries(signed([secret])).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook(secret, upper, Buffer.from(body))).toEqual(JSON.parse(body));
    expect(verifyWebhook(secret, new Headers(signed([secret])), body)).toEqual(JSON.parse(body));
  });

  it("matches the scheme: v1,<base64 HMAC-SHA256 of id.timestamp.body> with the decoded secret", async () => {
    const headers = signed([secret]);
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", Buffer.from(secret.slice("whsec_".length), "base64"))
      .update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`)
      .digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
  });

  it("rejects a tampered body", () => {
    const tampered = body.replace("monthly", "yearly");
    expect(() => verifyWebhook(secret, signed([secret]), tampered)).toThrow(WebhookVerificationError);
  });

  it("rejects a tampered id or timestamp", () => {
    expect(() => verifyWebhook(secret, { ...signed([secret]), "webhook-id": "msg_2" }, body)).toThrow(WebhookVerificationError);
    const headers = signed([secret]);
    const shifted = { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) };
    expect(() => verifyWebhook(secret, shifted, body)).toThrow(WebhookVerificationError);
  });

  it("rejects an old timestamp (and one from the future)", () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    expect(() => verifyWebhook(secret, signed([secret], tenMinutesAgo), body)).toThrow(/timestamp/i);
    const inTenMinutes = new Date(Date.now() + 10 * 60_000);
    expect(() => verifyWebhook(secret, signed([secret], inTenMinutes), body)).toThrow(/timestamp/i);
    // A tighter tolerance than the default.
    const twoMinutesAgo = new Date(Date.now() - 2 * 60_000);
    expect(verifyWebhook(secret, signed([secret], twoMinutesAgo), body)).toBeTruthy();
    expect(() => verifyWebhook(secret, signed([secret], twoMinutesAgo), body, { toleranceSeconds: 60 })).toThrow(/tolerance/);
    expect(() => verifyWebhook(secret, signed([secret]), body, { toleranceSeconds: 3600 })).toThrow(RangeError);
  });

  it("rejects a wrong secret and missing headers", () => {
    expect(() => verifyWebhook(newSecret(), signed([secret]), body)).toThrow(/No matching signature/);
    expect(() => verifyWebhook(secret, { "webhook-id": "msg_1" }, body)).toThrow(WebhookVerificationError);
  });

  it("rejects a replayed id when given a seen-set, only after the signature checks", () => {
    const ids = new Set<string>();
    const seen = (id: string) => ids.has(id) || (ids.add(id), false);
    const headers = signed([secret], new Date(), "msg_replay");
    expect(verifyWebhook(secret, headers, body, { seen })).toBeTruthy();
    expect(() => verifyWebhook(secret, headers, body, { seen })).toThrow(WebhookReplayError);
    // A forged message does not reach the seen-set.
    expect(() => verifyWebhook(secret, signed([newSecret()], new Date(), "msg_forged"), body, { seen })).toThrow(/No matching/);
    expect(ids.has("msg_forged")).toBe(false);
  });

  it("during a rotation, two signatures: either secret (or both) verifies", () => {
    const previous = newSecret();
    const headers = signed([secret, previous]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(verifyWebhook(secret, headers, body)).toBeTruthy();
    expect(verifyWebhook(previous, headers, body)).toBeTruthy();
    expect(verifyWebhook([newSecret(), previous], headers, body)).toBeTruthy();
    expect(() => verifyWebhook([newSecret(), newSecret()], headers, body)).toThrow(WebhookVerificationError);
  });

  it("ignores signatures of other versions", () => {
    const headers = signed([secret]);
    const v2 = { ...headers, "webhook-signature": headers["webhook-signature"].replace("v1,", "v2,") };
    expect(() => verifyWebhook(secret, v2, body)).toThrow(WebhookVerificationError);
    // The library signs the same way our sender does.
    expect(new Webhook(secret).sign("msg_1", new Date(Number(headers["webhook-timestamp"]) * 1000), body)).toBe(
      headers["webhook-signature"],
    );
  });
});

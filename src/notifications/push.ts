// Web Push: web-push encrypts the payload for the subscription (aes128gcm) and
// signs the VAPID Authorization; the POST itself goes through the same
// SSRF-guarded request as webhooks, because the endpoint URL comes from the
// browser, i.e. from the user (real push services are public https hosts).
import webpush from "web-push";
import type { Config } from "../config.js";
import { PermanentFailure, type Sender } from "./channels.js";
import { guardedPost, responseRecord } from "./webhook.js";

interface SubscriptionRow extends Record<string, unknown> {
  endpoint: string;
  p256dh: string;
  auth: string;
  disabled_at: Date | null;
}

export function pushSender(config: Config & { VAPID_PUBLIC_KEY: string; VAPID_PRIVATE_KEY: string }): Sender {
  const vapidDetails = { subject: config.VAPID_SUBJECT, publicKey: config.VAPID_PUBLIC_KEY, privateKey: config.VAPID_PRIVATE_KEY };
  const post = { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, timeoutMs: config.WEBHOOK_TIMEOUT_MS };
  return {
    async send(claim, rendered, query) {
      const [subscription] = await query<SubscriptionRow>(
        "select endpoint, p256dh, auth, disabled_at from app_public.push_subscriptions where id = $1",
        [claim.target_id],
      );
      if (!subscription || subscription.disabled_at) throw new PermanentFailure("the push subscription is gone", "skipped");

      const payload = JSON.stringify({ title: rendered.subject, body: rendered.body, type: claim.type, deliveryId: claim.delivery_id });
      let details: webpush.RequestDetails;
      try {
        details = webpush.generateRequestDetails(
          { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
          payload,
          {
            vapidDetails,
            TTL: 24 * 60 * 60, // not worth showing after a day
            urgency: "normal",
            // Topic: a resend of the same delivery replaces the undelivered
            // copy at the push service instead of showing twice (a UUID
            // without dashes is 32 url-safe characters, the Topic maximum).
            topic: claim.delivery_id.replaceAll("-", ""),
            headers: { "Idempotency-Key": claim.delivery_id },
          },
        );
      } catch (error) {
        // Keys that cannot be used (a malformed subscription) will not get better.
        throw new PermanentFailure(`cannot encrypt for this subscription: ${(error as Error).message}`);
      }
      const result = await guardedPost(details.endpoint, details.headers, details.body ?? Buffer.alloc(0), post);
      if (result.status === 404 || result.status === 410) {
        await query("update app_public.push_subscriptions set disabled_at = now() where id = $1 and disabled_at is null", [
          claim.target_id,
        ]);
        throw new PermanentFailure(`the push service answered ${result.status}: subscription disabled`, "skipped", responseRecord(result));
      }
      if (result.status < 200 || result.status > 299) throw new Error(`the push service answered ${result.status}`);
      // Push services answer 201 with the message's URL in Location; kept on the
      // attempt only (it is not promised to be unique, provider_message_id is).
      return { response: { status: result.status, location: result.headers.location ?? null } };
    },
  };
}

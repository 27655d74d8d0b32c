// The sender of each channel. In-app is a row written in SQL; the others talk
// to real providers (SMTP, Web Push, HTTPS webhooks). A channel without its
// configuration (no SMTP_URL, no VAPID keys) skips its deliveries.
import type { Config } from "../config.js";
import { PermanentFailure, type DeliveryClaim, type Sender } from "./channels.js";
import { emailSender } from "./email.js";
import { pushSender } from "./push.js";
import { webhookSender } from "./webhook.js";

const inApp: Sender = {
  async send(claim, rendered, query) {
    await query("select app_private.deliver_in_app($1, $2, $3)", [claim.delivery_id, rendered.subject, rendered.body], "deliver_in_app");
    return { completed: true };
  },
};

const unavailable = (channel: string): Sender => ({
  async send() {
    throw new PermanentFailure(`the ${channel} channel is not configured`, "skipped");
  },
});

export function makeSenders(config: Config): Record<DeliveryClaim["channel"], Sender> {
  const { SMTP_URL, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY } = config;
  return {
    in_app: inApp,
    email: SMTP_URL ? emailSender({ ...config, SMTP_URL }) : unavailable("email"),
    push: VAPID_PUBLIC_KEY && VAPID_PRIVATE_KEY ? pushSender({ ...config, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY }) : unavailable("push"),
    webhook: webhookSender(config),
  };
}

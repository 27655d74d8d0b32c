// The sender of each channel beyond the app (in-app is a row written in SQL):
// real providers (SMTP, Web Push, HTTPS webhooks). A channel without its
// configuration (no SMTP_URL, no VAPID keys) skips its deliveries.
import type { Config } from "../config.js";
import { PermanentFailure, type DeliveryClaim, type Sender } from "./channels.js";
import { emailSender } from "./email.js";
import { pushSender } from "./push.js";
import { webhookSender } from "./webhook.js";

const unavailable = (channel: string): Sender => ({
  async send() {
    throw new PermanentFailure(`the ${channel} channel is not configured`, "skipped");
  },
});

export function makeSenders(config: Config): Record<Exclude<DeliveryClaim["channel"], "in_app">, Sender> {
  const { SMTP_URL, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY } = config;
  return {
    email: SMTP_URL ? emailSender({ ...config, SMTP_URL }) : unavailable("email"),
    push: VAPID_PUBLIC_KEY && VAPID_PRIVATE_KEY ? pushSender({ ...config, VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY }) : unavailable("push"),
    webhook: webhookSender(config),
  };
}

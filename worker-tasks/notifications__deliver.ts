// Attempts one delivery. Enqueued by app_private.notify (and retries) with
// job_key = the delivery, so one worker at a time handles it. The delivery id
// is the idempotency key given to the provider: a rerun after a crash between
// "sent" and "job complete" sends the same key (and in-app writes one row).
import type { Task } from "graphile-worker";
import type { Config } from "../src/config.js";
import { PermanentFailure, type DeliveryClaim, type Query } from "../src/notifications/channels.js";
import { render } from "../src/notifications/render.js";
import { makeSenders } from "../src/notifications/senders.js";

export function deliverNotification(config: Config): Task {
  const senders = makeSenders(config);
  return async (payload, helpers) => {
    const { delivery_id: deliveryId } = payload as { delivery_id: string };
    await helpers.withPgClient(async (client) => {
      const query: Query = async (text, values, name) => (await client.query({ text, values, name })).rows;
      // A named (prepared) statement: parsed and planned once per connection.
      const { rows: [claim] } = await client.query<DeliveryClaim>({
        name: "notifications__deliver.claim",
        text: "select * from app_private.claim_delivery($1)",
        values: [deliveryId],
      });
      if (!claim || claim.outcome !== "send") return;
      const complete = (succeeded: boolean, extra: { response?: unknown; error?: string; messageId?: string; status?: string }) =>
        query("select app_private.complete_delivery($1, $2, $3, $4, $5, $6)", [
          deliveryId,
          succeeded,
          extra.response === undefined ? null : JSON.stringify(extra.response),
          extra.error ?? null,
          extra.messageId ?? null,
          extra.status ?? "sent",
        ]);
      try {
        const rendered = render(claim, config.APP_URL);
        const result = await senders[claim.channel].send(claim, rendered, query);
        if (!result.completed) await complete(true, { response: result.response, messageId: result.providerMessageId });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof PermanentFailure) {
          await complete(false, { error: message, response: error.response, status: error.status });
        } else {
          helpers.logger.warn(`delivery ${deliveryId} attempt ${claim.attempt} failed: ${message}`);
          await complete(false, { error: message });
        }
      }
    });
  };
}

// What a channel needs to send one delivery, and what it answers. The worker
// task (worker-tasks/notifications__deliver.ts) claims a delivery in SQL,
// renders it, hands it to the channel's sender and records the outcome; an
// in-app delivery is written in SQL instead (src/notifications/batches.ts).

/** A delivery as app_private.claim_deliveries hands it to the worker (one row per delivery). */
export interface DeliveryClaim {
  outcome: "send" | "done" | "deferred";
  delivery_id: string;
  channel: "in_app" | "email" | "push" | "webhook";
  target_id: string | null;
  attempt: number;
  type: string;
  data: Record<string, unknown>;
  user_id: string;
  username: string;
  locale: string;
  email: string | null;
  /** The template for the user's locale (with fallbacks), picked in the same query. */
  template_subject: string | null;
  template_body: string | null;
}

export interface Rendered {
  subject: string;
  body: string;
}

export interface SendResult {
  /** The provider's id for the message (callbacks find the delivery by it). */
  providerMessageId?: string;
  /** What the provider answered, kept on the attempt. */
  response?: Record<string, unknown>;
}

/**
 * A channel's sender. It receives the delivery id as the idempotency key to
 * pass on to the provider. Throwing `PermanentFailure` ends the delivery at
 * once (dead, or skipped when there is nothing to send to); any other error
 * is retried with backoff.
 */
export interface Sender {
  send(claim: DeliveryClaim, rendered: Rendered, query: Query): Promise<SendResult>;
}

/** Runs one statement as the owner on a connection of the worker's pool; a `name` prepares it once per connection. */
export type Query = <R extends Record<string, unknown> = Record<string, unknown>>(
  sql: string,
  values?: unknown[],
  name?: string,
) => Promise<R[]>;

export class PermanentFailure extends Error {
  constructor(
    message: string,
    readonly status: "dead" | "skipped" = "dead",
    readonly response?: Record<string, unknown>,
  ) {
    super(message);
  }
}


// For receivers of our webhooks: checks a delivery with the Standard Webhooks
// library (see docs/webhooks.md). Pass the raw body exactly as received: any
// re-serialisation of the JSON breaks the signature.
import { Webhook, WebhookVerificationError } from "standardwebhooks";

export { WebhookVerificationError };

/** A correctly signed message whose id was already processed (a redelivery or a replay). */
export class WebhookReplayError extends WebhookVerificationError {
  constructor(readonly id: string) {
    super(`message ${id} was already received`);
    // The library's error pins its own prototype; restore ours for instanceof.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = "WebhookReplayError";
  }
}

export interface VerifyOptions {
  /** How far the timestamp may be from now; the library's own window (300 s) is the maximum. */
  toleranceSeconds?: number;
  /**
   * Replay check, called only once the signature is good: answer true when this
   * id was processed before (and remember it otherwise).
   */
  seen?: (id: string) => boolean;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value.join(" ") : value;
}

/**
 * Returns the parsed payload, or throws WebhookVerificationError (bad or
 * missing signature, timestamp out of tolerance) or WebhookReplayError. With
 * several secrets (during a rotation), any secret matching any signature is enough.
 */
export function verifyWebhook(
  secretOrSecrets: string | string[],
  headers: HeaderBag,
  rawBody: string | Buffer,
  { toleranceSeconds = 300, seen }: VerifyOptions = {},
): unknown {
  if (toleranceSeconds > 300) throw new RangeError("toleranceSeconds cannot exceed the library's 300 s");
  const wanted = {
    "webhook-id": header(headers, "webhook-id") ?? "",
    "webhook-timestamp": header(headers, "webhook-timestamp") ?? "",
    "webhook-signature": header(headers, "webhook-signature") ?? "",
  };
  // The library allows 300 s either way; a smaller tolerance is checked here first.
  const timestamp = Number.parseInt(wanted["webhook-timestamp"], 10);
  if (Number.isFinite(timestamp) && Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) {
    throw new WebhookVerificationError("Message timestamp outside the tolerance");
  }
  const secrets = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
  let lastError: unknown = new WebhookVerificationError("No secret to verify with");
  for (const secret of secrets) {
    let payload: unknown;
    try {
      payload = new Webhook(secret).verify(rawBody, wanted);
    } catch (error) {
      lastError = error;
      continue;
    }
    if (seen?.(wanted["webhook-id"])) throw new WebhookReplayError(wanted["webhook-id"]);
    return payload;
  }
  throw lastError;
}

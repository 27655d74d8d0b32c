// Webhooks: a signed JSON POST to the user's endpoint (Standard Webhooks:
// webhook-id / webhook-timestamp / webhook-signature, see docs/webhooks.md).
// The URL is the user's, so the request is guarded against SSRF: every address
// the host resolves to must be public unicast, and the connection is pinned to
// those addresses (no second lookup that DNS rebinding could answer
// differently). The same guarded POST carries Web Push (push.ts).
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";
import type { Config } from "../config.js";
import { PermanentFailure, type Sender } from "./channels.js";

export interface PostResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the receiver answered, as kept on the attempt (body shortened). */
export const responseRecord = (result: PostResult): Record<string, unknown> => ({
  status: result.status,
  body: result.body.slice(0, 1000),
});

/**
 * Checks the scheme and resolves the host, refusing (PermanentFailure, dead)
 * any address that is not public unicast: private, loopback, link-local,
 * unique-local, CGNAT, multicast, reserved, and IPv6 forms that embed IPv4
 * (6to4, Teredo, NAT64), unless private targets are allowed.
 */
export async function resolveTarget(url: URL, allowPrivate: boolean): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses: LookupAddress[] = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(":") ? 6 : 4 }]
    : await lookup(host, { all: true, verbatim: true });
  if (!allowPrivate) {
    const refused = addresses
      .map(({ address }) => ({ address, range: ipaddr.process(address).range() }))
      .filter(({ range }) => range !== "unicast");
    if (refused.length > 0) {
      const list = refused.map(({ address, range }) => `${address} (${range})`).join(", ");
      throw new PermanentFailure(`refused: ${host} resolves to a private or reserved address: ${list}`);
    }
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new PermanentFailure(`refused ${url.protocol}// target: only https is allowed`);
  }
  return addresses;
}

/** POSTs to a checked target over a connection pinned to its checked addresses. */
export async function guardedPost(
  target: string,
  headers: Record<string, string | number>,
  body: string | Buffer,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<PostResult> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new PermanentFailure(`refused: not a URL: ${target}`);
  }
  const addresses = await resolveTarget(url, options.allowPrivate);
  // Hands the connection the addresses already checked (with or without `all`).
  const pinned = ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
  const request = url.protocol === "https:" ? https.request : http.request;
  return new Promise<PostResult>((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", headers, lookup: pinned, signal: AbortSignal.timeout(options.timeoutMs) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          // Only the start of the answer is kept; the rest is read and dropped.
          if (size < 65_536) chunks.push(chunk);
          size += chunk.length;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", (error) =>
      reject(error.name === "AbortError" ? new Error(`no answer within ${options.timeoutMs} ms`) : error),
    );
    req.end(body);
  });
}

/** One `v1,<base64>` signature per live secret, space-separated (two during a rotation). */
export function signatures(secrets: string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" ");
}

// Event data never carries credentials to a third party, whatever a type holds.
const SECRET_KEY = /token|secret|password/i;

interface EndpointRow extends Record<string, unknown> {
  url: string | null;
  disabled_at: Date | null;
  is_transactional: boolean;
  event_id: string;
  event_at: Date;
  secrets: string[];
}

export function webhookSender(config: Config): Sender {
  const post = { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, timeoutMs: config.WEBHOOK_TIMEOUT_MS };
  return {
    async send(claim, _rendered, query) {
      const [row] = await query<EndpointRow>(
        `select e.url, e.disabled_at, t.is_transactional, ev.id as event_id, ev.created_at as event_at,
           array(select s.secret from app_private.webhook_secrets s
                 where s.endpoint_id = e.id and (s.retires_at is null or s.retires_at > now()) order by s.id desc) as secrets
         from app_public.notification_deliveries d
         join app_public.notification_events ev on ev.id = d.event_id
         join app_public.notification_types t on t.code = ev.type
         left join app_public.webhook_endpoints e on e.id = d.target_id
         where d.id = $1`,
        [claim.delivery_id],
      );
      if (!row?.url || row.disabled_at) throw new PermanentFailure("the webhook endpoint is gone or disabled", "skipped");
      // Account mail (verification and reset links) is for the user's inbox only.
      if (row.is_transactional) throw new PermanentFailure("account notifications are not sent to webhooks", "skipped");
      if (row.secrets.length === 0) throw new PermanentFailure("the webhook endpoint has no signing secret");

      const data = Object.fromEntries(Object.entries(claim.data).filter(([key]) => !SECRET_KEY.test(key)));
      const body = JSON.stringify({
        type: claim.type,
        timestamp: new Date(row.event_at).toISOString(),
        data: { ...data, eventId: row.event_id, userId: claim.user_id },
      });
      // The id is the delivery: a retry or a rerun after a crash repeats it, so
      // receivers drop what they have already processed.
      const now = new Date();
      const result = await guardedPost(
        row.url,
        {
          "content-type": "application/json",
          "user-agent": "lifegraph-webhooks/1",
          "webhook-id": claim.delivery_id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": signatures(row.secrets, claim.delivery_id, now, body),
        },
        body,
        post,
      );
      if (result.status === 410) {
        await query(
          "update app_public.webhook_endpoints set disabled_at = now(), disabled_reason = $2 where id = $1 and disabled_at is null",
          [claim.target_id, "the receiver answered 410 Gone"],
        );
        throw new PermanentFailure("the receiver answered 410 Gone: endpoint disabled", "skipped", responseRecord(result));
      }
      if (result.status < 200 || result.status > 299) {
        throw new Error(`the receiver answered ${result.status}`);
      }
      return { response: responseRecord(result) };
    },
  };
}

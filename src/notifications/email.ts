// Email over SMTP with nodemailer. The delivery id is the idempotency key: it
// is the Message-ID (and X-Lifegraph-Delivery), so a resend after a crash is
// the same message to the receiving side, and bounces/callbacks find it back.
import nodemailer from "nodemailer";
import type { Config } from "../config.js";
import { PermanentFailure, type Sender } from "./channels.js";

/**
 * RFC 5321: a 5yz reply is a permanent rejection, a 4yz one transient. 503
 * (bad sequence of commands) is about the session, not the message, so it is
 * retried, as nodemailer itself classifies it.
 */
const isPermanent = (code: unknown) => typeof code === "number" && code >= 500 && code < 600 && code !== 503;

export function emailSender(config: Config & { SMTP_URL: string }): Sender {
  // A worker slot must not hang on a silent server (nodemailer's own defaults
  // wait up to 10 minutes); a timeout is an ordinary, retried failure.
  const transport = nodemailer.createTransport({
    url: config.SMTP_URL,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(claim, rendered) {
      if (!claim.email) throw new PermanentFailure("no verified email address", "skipped");
      const messageId = `<${claim.delivery_id}@lifegraph>`;
      try {
        const info = await transport.sendMail({
          from: config.EMAIL_FROM,
          to: claim.email,
          subject: rendered.subject,
          text: rendered.body,
          // Plain text; 7bit when it fits, else quoted-printable (never base64),
          // so the message stays readable in any client and in logs.
          textEncoding: "quoted-printable",
          messageId,
          headers: { "X-Lifegraph-Delivery": claim.delivery_id, "Auto-Submitted": "auto-generated" },
        });
        return { providerMessageId: messageId, response: { response: info.response, accepted: info.accepted } };
      } catch (error) {
        const { responseCode, response } = error as { responseCode?: number; response?: string };
        if (isPermanent(responseCode)) {
          throw new PermanentFailure(`the mail server refused the message: ${response ?? responseCode}`, "dead", {
            responseCode,
            response,
          });
        }
        throw error;
      }
    },
  };
}

// Error codes a client can act on. Postgres raises most of them as SQLSTATEs
// of ours; docs/errors.md lists every one.
import { SafeError } from "postgraphile/grafast";

export type ErrorCode =
  | "LOGIN" | "LOCKD" | "WEAKP" | "TOKEN" | "AUTHN"
  | "NUNIQ" | "NOFND" | "DNIED" | "BADIN" | "RDONL" | "TIMEO"
  | "WEIGH" | "RSLOT" | "TMPLV";

/** An error whose message and code are safe to show to the client. */
export function clientError(code: ErrorCode, message: string): SafeError {
  return new SafeError(message, { code });
}

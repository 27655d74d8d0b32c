// Error codes a client can act on. Postgres raises most of them as SQLSTATEs
// of ours; docs/errors.md lists every one.
import { SafeError } from "postgraphile/grafast";

/** The codes our SQL raises as its SQLSTATE (`raise … using errcode`): shown to the client as they are. */
export const SQL_ERROR_CODES = [
  "LOGIN", "LOCKD", "WEAKP", "TOKEN", "NUNIQ", "NOFND", "DNIED", "BADIN",
  "WEIGH", "RSLOT", "TMPLV", "FRDUP", "FRNOT", "FRLIM", "MSGNO", "EDITW", "SLOWD",
  // communities
  "COMRL", "COMFD", "COMJP", "COMLM", "INVEX", "INVUS",
  // points and marketplace
  "PTLOW", "STOCK", "ITEMX", "IDEMP",
  // competitions
  "RNDLM", "CSTRT", "CFULL", "RNDCL", "RNDCM",
  // storage
  "FTYPE", "FSIZE", "FPEND",
  // privacy
  "EXPRT", "REAUT",
] as const;

export type ErrorCode = (typeof SQL_ERROR_CODES)[number] | "AUTHN" | "RDONL" | "TIMEO" | "SUBLM" | "RATEL" | "CREDX"
  // the gateway's door (src/graphql/limits.ts, src/http/guards.ts)
  | "GQLPA" | "GQLVA" | "QLIMT" | "GQLOP" | "GQLBD" | "GQLCT" | "GQLME" | "GQLAC" | "GQLSZ" | "INFLT" | "INTERNAL"
  // the storage endpoints (src/storage/http.ts)
  | "FSIGN" | "FDONE"
  // trusted documents (src/graphql/trusted-documents.ts)
  | "PERSQ";

/** An error whose message and code are safe to show to the client. */
export function clientError(code: ErrorCode, message: string): SafeError {
  return new SafeError(message, { code });
}

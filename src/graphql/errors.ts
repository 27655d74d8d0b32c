// What a client sees of an error. Our own codes (docs/errors.md) and the
// Postgres errors a client can act on keep a stable `extensions.code`;
// anything else is replaced by an opaque id that is logged with the cause.
import { randomUUID } from "node:crypto";
import { GraphQLError, type GraphQLFormattedError } from "postgraphile/graphql";
import { isSafeError } from "postgraphile/grafast";
import type { Logger } from "pino";
import { SQL_ERROR_CODES, type ErrorCode } from "../identity/errors.js";

type MaskError = (error: GraphQLError) => GraphQLError | GraphQLFormattedError;

const OWN_CODES = new Set<string>([...SQL_ERROR_CODES, "AUTHN"]);
/** grafast's message when planning outlives `timeouts.planning` (it marks the error only with a private symbol). */
const PLANNING_TIMEOUT = /^Operation took too long to plan/;

interface PgError extends Error {
  code?: string;
  constraint?: string;
  column?: string;
}

function fromPostgres(error: PgError): { code: ErrorCode; message: string } | null {
  const { code, constraint } = error;
  if (!code) return null;
  if (OWN_CODES.has(code)) return { code: code as ErrorCode, message: error.message };
  switch (code) {
    case "23505":
    case "23P01": // an exclusion constraint: one of a kind, like a unique key
      return { code: "NUNIQ", message: `That value is already taken (${constraint}).` };
    case "23514":
      return { code: "BADIN", message: `Invalid value (${constraint}).` };
    case "23502":
      return { code: "BADIN", message: `A required value is missing (${error.column}).` };
    case "23503":
      return { code: "NOFND", message: `A referenced record does not exist (${constraint}).` };
    case "42501":
      return { code: "DNIED", message: "Permission denied." };
    case "25006":
      return { code: "RDONL", message: "This credential is read-only." };
    case "57014":
      return { code: "TIMEO", message: "The request took too long and was cancelled." };
  }
  // Class 22: data exceptions (bad uuid, out of range, bad date…): the
  // message names the value, which the client sent.
  if (code.startsWith("22")) return { code: "BADIN", message: error.message };
  return null;
}

export function makeMaskError(logger: Logger) {
  return function maskError(error: GraphQLError): GraphQLError {
    const original = error.originalError;
    const rebuild = (message: string, extensions: Record<string, unknown>) =>
      new GraphQLError(message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        originalError: original,
        extensions,
      });

    // Validation and coercion errors concern the query itself.
    if (!original || original instanceof GraphQLError) return error;
    // grafast's planning budget (GRAPHQL_PLANNING_TIMEOUT_MS) has no code of its own.
    if (isSafeError(original) && PLANNING_TIMEOUT.test(original.message)) return rebuild(original.message, { code: "QPLAN" });
    if (isSafeError(original)) return rebuild(original.message, { ...original.extensions });
    // PostGraphile's delete mutations throw this when row-level security (or
    // a missing row) leaves nothing to delete: the client's NOFND.
    if (original.message.startsWith("No values were deleted in collection ")) {
      return rebuild("No such record, or not yours.", { code: "NOFND" });
    }
    const known = fromPostgres(original as PgError);
    if (known) {
      const constraint = (original as PgError).constraint;
      return rebuild(known.message, constraint ? { code: known.code, constraint } : { code: known.code });
    }
    const errorId = randomUUID();
    logger.error({ err: original, errorId, path: error.path }, "masked GraphQL error");
    return rebuild(`An unexpected error occurred (id ${errorId}).`, { code: "INTERNAL", errorId });
  };
}

/**
 * A result written outside grafserv's own response path (a live event on a
 * websocket or an event stream) with its errors masked as grafserv masks a
 * response's: the one place such results are masked.
 */
export function maskResult<R extends { errors?: readonly GraphQLError[] }>(result: R, maskError: MaskError): R {
  // grafserv's maskError may answer a plain formatted error, which
  // serialises as the class does.
  return result.errors ? ({ ...result, errors: result.errors.map(maskError) } as R) : result;
}

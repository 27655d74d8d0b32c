// A replica gateway (GATEWAY_MODE=replica) reads a streaming standby. It
// refuses every mutation with RDONL before any SQL runs (over HTTP,
// websockets and SSE alike: the refusal wraps grafserv's execute), and tells
// each response how far behind the primary it is (X-Lifegraph-Replica-Lag),
// so a client can tell whether its own last write can be here yet.
import type pg from "pg";
import type { Logger } from "pino";
import type { Step } from "./door.js";
import { GraphQLError, getOperationAST, type DocumentNode } from "postgraphile/graphql";

export const READ_ONLY_MESSAGE = "This gateway serves a read replica: send writes, sign-ins and refreshes to the primary.";

interface ExecuteArgs {
  document: DocumentNode;
  operationName?: string | null;
}

/** The grafserv plugin: a mutation is answered with RDONL and never planned. */
export const ReadOnlyPlugin: GraphileConfig.Plugin = {
  name: "LifegraphReadOnlyPlugin",
  version: "0.0.0",
  grafserv: {
    middleware: {
      setPreset(next, event) {
        const base = event.getExecutionConfig;
        event.getExecutionConfig = async function (ctx) {
          const config = await base.call(this, ctx);
          const execute = config.execute as (args: ExecuteArgs) => unknown;
          const guarded = (args: ExecuteArgs) =>
            getOperationAST(args.document, args.operationName ?? undefined)?.operation === "mutation"
              ? { errors: [new GraphQLError(READ_ONLY_MESSAGE, { extensions: { code: "RDONL" } })] }
              : execute(args);
          return { ...config, execute: guarded as never };
        };
        return next();
      },
    },
  },
};

/**
 * Seconds of WAL the standby has received but not yet replayed, as the age
 * of the last replayed commit; 0 when it has replayed all it received (an
 * idle primary sends no commits, and the standby is then simply current).
 */
const LAG_SQL = `select case when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
  else greatest(0, extract(epoch from now() - pg_last_xact_replay_timestamp())) end::float8 as lag`;

/** Adds X-Lifegraph-Replica-Lag (seconds, 3 decimals) to each response; measured at most once per `everyMs`. */
export function replicaLagHeader(ownerPool: pg.Pool, logger: Logger, everyMs = 250): Step {
  let measured: { at: number; lag: Promise<number | null> } | null = null;
  const measure = () =>
    ownerPool.query<{ lag: number }>(LAG_SQL).then(
      ({ rows }) => rows[0]!.lag,
      (error) => {
        logger.warn({ err: error }, "replica lag could not be read");
        return null;
      },
    );
  return async (_req, res, next) => {
    if (!measured || Date.now() - measured.at > everyMs) measured = { at: Date.now(), lag: measure() };
    const lag = await measured.lag;
    if (lag !== null) res.setHeader("x-lifegraph-replica-lag", lag.toFixed(3));
    next();
  };
}

// GraphQL over Server-Sent Events (the graphql-sse protocol, distinct
// connections mode) on /graphql/stream, for clients that cannot hold a
// websocket. grafserv's own stream path carries schema changes only, so
// operations are run here, through grafserv's execution config: the same
// schema, context (identity from the bearer header) and error masking.
import type { RequestHandler } from "express";
import { createHandler } from "graphql-sse/lib/use/express";
import { hookArgs } from "postgraphile/grafast";
import type { GrafservBase } from "postgraphile/grafserv";
import { GraphQLError } from "postgraphile/graphql";
import { maskResult } from "../graphql/errors.js";
import { streamDocument } from "../graphql/trusted-documents.js";
import type { RealtimeHub } from "./hub.js";
import { liveSubscribe, type SubscribeArgs } from "./live.js";

type Args = Parameters<typeof hookArgs>[0] & { execute: (args: unknown) => unknown };

export function eventStreamHandler(serv: GrafservBase, hub: RealtimeHub): RequestHandler {
  const mask = <R extends { errors?: readonly GraphQLError[] }>(result: R) => maskResult(result, serv.dynamicOptions.maskError);
  const handler = createHandler({
    async onSubscribe(req, params) {
      const requestContext = { node: { req: req.raw, res: req.context.res } } as Partial<Grafast.RequestContext>;
      const { schema, parseAndValidate, execute, contextValue, resolvedPreset } = await serv.getExecutionConfig(requestContext);
      let query: string;
      try {
        query = await streamDocument(resolvedPreset, req.raw, params); // trusted documents (PERSQ)
      } catch (error) {
        // With `data`, or graphql-sse does not take it for a result.
        return mask({ data: null, errors: [new GraphQLError((error as Error).message, { originalError: error as Error })] });
      }
      const { errors, document } = parseAndValidate(query);
      if (errors) return mask({ data: null, errors });
      const args = {
        schema,
        document,
        rootValue: null,
        contextValue,
        variableValues: params.variables ?? undefined,
        operationName: params.operationName ?? undefined,
        resolvedPreset,
        requestContext,
        middleware: serv.grafastMiddleware,
        execute,
      } as unknown as Args;
      await hookArgs(args);
      return args as never;
    },
    execute: (args) => (args as unknown as Args).execute(args) as never,
    subscribe: (args) => liveSubscribe(args as unknown as SubscribeArgs) as never,
    onNext: (_ctx, _req, result) => (result.errors ? mask(result) : undefined),
  });
  // A stream ends with its session (logout, revoked key) or its token, as a
  // websocket is closed: the response is ended, whatever is streaming.
  return (req, res, next) => {
    const identity = req.lifegraphIdentity;
    if (identity?.kind === "session") res.once("close", hub.hold(identity, () => res.end()));
    handler(req, res).catch(next);
  };
}

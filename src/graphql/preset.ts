// The PostGraphile V5 preset: app_public only, identity from the request.
import type pg from "pg";
import type { Logger } from "pino";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import type { Config } from "../config.js";
import { isIP } from "node:net";
import type { WebSocket } from "ws";
import type { AuthService, Identity } from "../identity/service.js";
import { RealtimePlugin } from "../realtime/schema-plugin.js";
import { makeStoragePlugin } from "../storage/schema-plugin.js";
import type { RealtimeService } from "../realtime/service.js";
import { CLOSE } from "../realtime/sockets.js";
import { AccountLimitsPlugin, AuthPlugin, requestIp } from "./auth-plugin.js";
import { makeMaskError } from "./errors.js";
import { makeQueryLimitsPlugin } from "./limits.js";
import { makeDefaultPagePlugin } from "./default-page.js";
import { OrderedFunctionsPlugin } from "./ordered-functions.js";
import { makeOperationsPgService } from "./pg-service.js";
import { RuruPreset } from "./ruru.js";
import { makeTrustedDocumentsPreset } from "./trusted-documents.js";
import type { Metrics } from "../http/metrics.js";

export interface PresetDeps {
  config: Config;
  /** Pool connected as the authenticator role. */
  authenticatorPool: pg.Pool;
  auth: AuthService;
  logger: Logger;
  /** Absent where the schema is only built (schema:export), never served. */
  realtime?: RealtimeService;
  /** When metrics are on: its plugin labels each request with its operation. */
  metrics?: Metrics;
}

export function makePreset({ config, authenticatorPool, auth, logger, realtime, metrics }: PresetDeps): GraphileConfig.Preset {
  return {
    extends: [
      PostGraphileAmberPreset,
      PgSimplifyInflectionPreset,
      PgAggregatesPreset,
      PostGraphileConnectionFilterPreset,
      RuruPreset,
      makeTrustedDocumentsPreset({ config, authenticatorPool, auth }),
    ],
    plugins: [
      AuthPlugin,
      AccountLimitsPlugin,
      RealtimePlugin,
      makeStoragePlugin(config),
      // GRAPHQL_LIMITS=off exists only for the benchmark to measure them.
      ...(config.GRAPHQL_LIMITS === "off" ? [] : [makeQueryLimitsPlugin({
        maxDepth: config.GRAPHQL_MAX_DEPTH,
        maxAliases: config.GRAPHQL_MAX_ALIASES,
        maxTokens: config.GRAPHQL_MAX_TOKENS,
        maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
        maxCost: config.GRAPHQL_MAX_COST,
        maxPage: config.GRAPHQL_MAX_PAGE,
        introspection: config.introspection,
        hideSuggestions: config.production,
      })]),
      ...(metrics ? [metrics.plugin] : []),
      makeDefaultPagePlugin(config.GRAPHQL_MAX_PAGE),
      OrderedFunctionsPlugin,
    ],
    pgServices: [makeOperationsPgService(authenticatorPool, (ids) => auth.sessionsEnded(ids))],
    grafserv: {
      graphqlPath: "/graphql",
      graphiql: config.graphiql,
      graphiqlPath: "/graphiql",
      graphiqlOnGraphQLGET: false,
      // Queries over GET (cacheable; urql's default); grafserv answers a
      // mutation or subscription over GET with a 405 (GQLME).
      graphqlOverGET: true,
      // Websockets are ours (src/realtime/sockets.ts): authentication in
      // connection_init, expiry and revocation closes, size and buffer caps.
      websockets: false,
      maxRequestLength: config.MAX_REQUEST_BYTES,
      maskError: makeMaskError(logger),
    },
    grafast: {
      explain: config.NODE_ENV === "development",
      timeouts: { planning: config.GRAPHQL_PLANNING_TIMEOUT_MS },
      context(requestContext) {
        // HTTP: the door's identity step read the bearer token (src/http/app.ts);
        // websockets: connection_init did (src/realtime/sockets.ts), or the socket was closed.
        const req = requestContext.node?.req ?? requestContext.ws?.request;
        const identity: Identity = req?.lifegraphIdentity ?? { kind: "anonymous" };
        const ip = requestIp(req);
        const socket = requestContext.ws?.socket as WebSocket | undefined;
        return {
          // The request id and address reach the database for the audit log.
          pgSettings: {
            ...auth.pgSettings(identity),
            ...(req?.lifegraphRequestId ? { "lifegraph.request_id": req.lifegraphRequestId } : {}),
            ...(isIP(ip) ? { "lifegraph.ip": ip } : {}),
          },
          lifegraphAuth: auth,
          lifegraphRequest: req,
          lifegraphIdentity: identity,
          lifegraphRealtime: realtime,
          lifegraphCutOff: socket ? () => socket.close(CLOSE.SLOW_CONSUMER, "Slow consumer: resume from your last cursor") : undefined,
        };
      },
    },
  };
}

// The PostGraphile V5 preset: app_public only, identity from the request.
import type pg from "pg";
import type { Logger } from "pino";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import type { Config } from "../config.js";
import type { WebSocket } from "ws";
import type { AuthService, Identity } from "../identity/service.js";
import { RealtimePlugin } from "../realtime/schema-plugin.js";
import type { RealtimeService } from "../realtime/service.js";
import { CLOSE } from "../realtime/sockets.js";
import { AuthPlugin } from "./auth-plugin.js";
import { makeMaskError } from "./errors.js";

export interface PresetDeps {
  config: Config;
  /** Pool connected as the authenticator role. */
  authenticatorPool: pg.Pool;
  auth: AuthService;
  logger: Logger;
  /** Absent where the schema is only built (schema:export), never served. */
  realtime?: RealtimeService;
}

export function makePreset({ config, authenticatorPool, auth, logger, realtime }: PresetDeps): GraphileConfig.Preset {
  return {
    extends: [
      PostGraphileAmberPreset,
      PgSimplifyInflectionPreset,
      PgAggregatesPreset,
      PostGraphileConnectionFilterPreset,
    ],
    plugins: [AuthPlugin, RealtimePlugin],
    pgServices: [makePgService({ pool: authenticatorPool, schemas: ["app_public"], pubsub: false })],
    grafserv: {
      graphqlPath: "/graphql",
      graphiql: config.graphiql,
      graphiqlPath: "/graphiql",
      graphiqlOnGraphQLGET: false,
      // Websockets are ours (src/realtime/sockets.ts): authentication in
      // connection_init, expiry and revocation closes, size and buffer caps.
      websockets: false,
      maxRequestLength: config.MAX_REQUEST_BYTES,
      maskError: makeMaskError(logger),
    },
    grafast: {
      explain: config.NODE_ENV === "development",
      context(requestContext) {
        // HTTP: the auth middleware identified the bearer token; websockets:
        // connection_init did (src/realtime/sockets.ts), or the socket was closed.
        const req = requestContext.expressv4?.req ?? requestContext.ws?.request;
        const identity: Identity = req?.lifegraphIdentity ?? { kind: "anonymous" };
        const socket = requestContext.ws?.socket as WebSocket | undefined;
        return {
          pgSettings: auth.pgSettings(identity),
          lifegraphAuth: auth,
          lifegraphIdentity: identity,
          lifegraphRealtime: realtime,
          lifegraphCutOff: socket ? () => socket.close(CLOSE.SLOW_CONSUMER, "Slow consumer: resume from your last cursor") : undefined,
        };
      },
    },
  };
}

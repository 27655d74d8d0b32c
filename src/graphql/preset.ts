// The PostGraphile V5 preset: app_public only, identity from the request.
import type pg from "pg";
import type { Logger } from "pino";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import type { Config } from "../config.js";
import { clientError } from "../identity/errors.js";
import { InvalidTokenError } from "../identity/tokens.js";
import type { AuthService, Identity } from "../identity/service.js";
import { AuthPlugin } from "./auth-plugin.js";
import { makeMaskError } from "./errors.js";

export interface PresetDeps {
  config: Config;
  /** Pool connected as the authenticator role. */
  authenticatorPool: pg.Pool;
  auth: AuthService;
  logger: Logger;
}

declare module "express-serve-static-core" {
  interface Request {
    /** Set by the HTTP auth middleware before GraphQL runs. */
    lifegraphIdentity?: Identity;
  }
}

export function makePreset({ config, authenticatorPool, auth, logger }: PresetDeps): GraphileConfig.Preset {
  return {
    extends: [
      PostGraphileAmberPreset,
      PgSimplifyInflectionPreset,
      PgAggregatesPreset,
      PostGraphileConnectionFilterPreset,
    ],
    plugins: [AuthPlugin],
    pgServices: [makePgService({ pool: authenticatorPool, schemas: ["app_public"], pubsub: true })],
    grafserv: {
      graphqlPath: "/graphql",
      eventStreamPath: "/graphql/stream",
      graphiql: config.graphiql,
      graphiqlPath: "/graphiql",
      graphiqlOnGraphQLGET: false,
      websockets: true,
      maxRequestLength: config.MAX_REQUEST_BYTES,
      maskError: makeMaskError(logger),
    },
    grafast: {
      explain: config.NODE_ENV === "development",
      async context(requestContext) {
        let identity: Identity;
        const req = requestContext.expressv4?.req;
        if (req?.lifegraphIdentity) {
          identity = req.lifegraphIdentity;
        } else {
          // Websockets: the same bearer token, from connection_init params.
          const authorization = requestContext.ws?.normalizedConnectionParams?.authorization
            ?? req?.headers.authorization;
          try {
            identity = await auth.identify(typeof authorization === "string" ? authorization : undefined);
          } catch (error) {
            if (error instanceof InvalidTokenError) throw clientError("AUTHN", "Invalid or expired access token.");
            throw error;
          }
        }
        return { pgSettings: auth.pgSettings(identity), lifegraphAuth: auth };
      },
    },
  };
}

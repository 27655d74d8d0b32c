// The gateway benchmark's V5 peer (scripts/bench/gateway.ts): PostGraphile V5
// with lifegraph's schema plugins (Amber, simplify-inflection, pg-aggregates,
// connection filter, so the same documents run on both) and nothing else of
// ours, served by grafserv's plain Node adaptor. Two modes:
//   PEER_MODE=bare  connects as DATABASE_URL (the owner: row-level security
//                   does not apply to it) and reads no token;
//   PEER_MODE=rls   connects as the authenticator and, per request, verifies
//                   the bearer JWT (jsonwebtoken with a KeyObject, as
//                   src/identity/tokens.ts) and sets what lifegraph's
//                   pgSettings set: role, jwt.claims.session_id. No session
//                   check before the request: RLS resolves the session.
// Prints "listening on <url>" once the schema is built.
import { createSecretKey } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const rls = env("PEER_MODE") === "rls";
const key = rls ? createSecretKey(Buffer.from(env("JWT_SECRET"), "utf8")) : undefined;

function pgSettings(authorization: string | undefined): Record<string, string> | undefined {
  if (!key) return undefined;
  const match = /^Bearer (.+)$/i.exec(authorization ?? "");
  if (!match) return { role: env("ANONYMOUS_ROLE") };
  const claims = jwt.verify(match[1]!, key, { issuer: env("JWT_ISSUER"), audience: env("JWT_AUDIENCE"), algorithms: ["HS256"] }) as { sid: string };
  return { role: env("VISITOR_ROLE"), "jwt.claims.session_id": claims.sid };
}

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PgAggregatesPreset, PostGraphileConnectionFilterPreset],
  pgServices: [makePgService({ connectionString: env("DATABASE_URL"), schemas: ["app_public"] })],
  grafserv: { graphqlPath: "/graphql", graphiql: false },
  grafast: {
    context(requestContext) {
      const settings = pgSettings(requestContext.node?.req.headers.authorization);
      return settings ? { pgSettings: settings } : {};
    },
  },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
await pgl.getSchema();
const server = createServer();
serv.addTo(server);
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(pgl.release()).finally(() => process.exit(0));
});

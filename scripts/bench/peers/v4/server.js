// The realtime benchmark's peer: PostGraphile V4 with @graphile/pg-pubsub on
// the same database, serving the same fan-out the way V4 does it: one
// LISTEN, then, for every subscriber, a re-fetch of the event as that
// subscriber (its JWT claims as settings, row-level security deciding).
// Started by scripts/bench/realtime.ts; prints "listening on <url>".
const http = require("node:http");
const jwt = require("jsonwebtoken");
const { postgraphile, makePluginHook, enhanceHttpServerWithSubscriptions } = require("postgraphile");
const { makeExtendSchemaPlugin, gql } = require("graphile-utils");
const PgPubsub = require("@graphile/pg-pubsub").default;

const { DATABASE_URL, OWNER_DATABASE_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, VISITOR_ROLE, ANONYMOUS_ROLE } = process.env;

// NOTIFY postgraphile:feed '{"id": …}' per new event (a bench-only trigger):
// each subscriber's resolver selects that event again, as itself.
const FeedSubscription = makeExtendSchemaPlugin(({ pgSql: sql }) => ({
  typeDefs: gql`
    type FeedUpdate {
      activityEvent: ActivityEvent
    }
    extend type Subscription {
      activityFeed: FeedUpdate @pgSubscription(topic: "postgraphile:feed")
    }
  `,
  resolvers: {
    FeedUpdate: {
      async activityEvent(event, _args, _context, resolveInfo) {
        const [row] = await resolveInfo.graphile.selectGraphQLResultFromTable(
          sql.fragment`app_public.activity_events`,
          (alias, builder) => builder.where(sql.fragment`${alias}.id = ${sql.value(event.id)}`),
        );
        return row ?? null;
      },
    },
  },
}));

function pgSettings(req) {
  const match = /^Bearer (.+)$/i.exec(req.headers.authorization || "");
  if (!match) return { role: ANONYMOUS_ROLE };
  const claims = jwt.verify(match[1], JWT_SECRET, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithms: ["HS256"] });
  return { role: VISITOR_ROLE, "jwt.claims.session_id": claims.sid };
}

const middleware = postgraphile(DATABASE_URL, "app_public", {
  pluginHook: makePluginHook([PgPubsub]),
  appendPlugins: [FeedSubscription],
  ownerConnectionString: OWNER_DATABASE_URL,
  subscriptions: true,
  websockets: ["v1"],
  pgSettings,
  disableQueryLog: true,
  ignoreRBAC: false,
  setofFunctionsContainNulls: false,
  retryOnInitFail: false,
  // A one-to-one relation gets one field, not also V4's deprecated list: our
  // @foreignFieldName tags (written for V5) would name both the same.
  legacyRelations: "omit",
});

const server = http.createServer(middleware);
// Websockets from the first request on, not only after an HTTP one; the
// schema is built before the port opens.
enhanceHttpServerWithSubscriptions(server, middleware)
  .then(() => middleware.getGraphQLSchema())
  .then(() => server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`)));
process.on("SIGTERM", () => server.close(() => process.exit(0)));

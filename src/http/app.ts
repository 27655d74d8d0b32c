// The HTTP gateway: GraphQL over HTTP through the door of /graphql
// (src/http/door.ts) to grafserv; express 5 for the rest (health and
// readiness probes, storage, the JWKS, Ruru, the SSE stream); our own
// websockets (src/realtime/sockets.ts).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler } from "express";

declare module "node:http" {
  interface IncomingMessage {
    /** Our id of the request: the X-Request-Id header, the log lines and the audit log. */
    lifegraphRequestId?: string;
  }
}
import cors from "cors";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import type { Config } from "../config.js";
import { AuthService } from "../identity/service.js";
import { SessionCache } from "../identity/session-cache.js";
import { InvalidTokenError, makeTokenSigner } from "../identity/tokens.js";
import { makePreset } from "../graphql/preset.js";
import { latestCommittedMigration, migrationsAreCurrent } from "../db/status.js";
import { makePool } from "../db/pools.js";
import { RateLimits } from "../identity/rate-limits.js";
import { graphqlRateLimit, refuseUpgrade } from "./rate-limit.js";
import { graphqlContentType, inFlightLimit } from "./guards.js";
import type { DatabaseUrls } from "../db/urls.js";
import { providerCallbacks } from "./provider-callbacks.js";
import { adminHealth } from "./admin-health.js";
import { RealtimeHub } from "../realtime/hub.js";
import { RealtimeService } from "../realtime/service.js";
import { attachWebsockets } from "../realtime/sockets.js";
import { eventStreamHandler } from "../realtime/event-stream.js";
import { openStorage } from "../storage/index.js";
import { storageRoutes } from "../storage/http.js";
import { createMetrics, type Metrics } from "./metrics.js";
import { ReadOnlyPlugin, replicaLagHeader } from "./read-only.js";
import { door, requestOrigin, sendError, type Step } from "./door.js";

export interface Gateway {
  url: string;
  server: Server;
  /** The realtime hub: its subscriber count and statement count, for tests and the benchmark. */
  hub: RealtimeHub;
  /** The metrics' own listener (METRICS_PORT), when there is one. */
  metricsUrl?: string;
  close(): Promise<void>;
}

const DRAIN_MS = 10_000;

/** Who the bearer token says the request is from (anonymous without one); a bad token is a 401 AUTHN. */
function identityStep(auth: AuthService, logger: Logger): Step {
  return async (req, res, next) => {
    try {
      req.lifegraphIdentity = await auth.identify(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) return next(error);
      logger.debug({ reason: error.message }, "rejected bearer token");
      return sendError(res, 401, "AUTHN", "Invalid or expired access token.", { "WWW-Authenticate": 'Bearer error="invalid_token"' });
    }
    next();
  };
}

export async function startGateway(config: Config, urls: DatabaseUrls, logger: Logger, options: { metrics?: Metrics } = {}): Promise<Gateway> {
  // The process's metrics (shared with its worker), else the gateway's own when they are on.
  const metrics = options.metrics ?? createMetrics(config);
  const ownerPool = makePool(urls.owner, logger, 5);
  // GraphQL operations' connections stay open through a lull: a fresh
  // Postgres backend spends about 10 ms of CPU on its first feed page
  // (catalog caches, the PL/pgSQL functions compiled), and a burst after
  // pg.Pool's 10 s idle close opened up to ten at once, which held both
  // cores of the benchmark machine for 150 ms (scripts/bench/feed.ts).
  const authenticatorPool = makePool(urls.authenticator, logger, 10, undefined, 5 * 60_000);
  const signer = await makeTokenSigner({
    secret: config.JWT_SECRET,
    privateKeyPem: config.JWT_PRIVATE_KEY,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  // bcrypt runs on connections of its own, so a login flood waits there.
  const credentialPool = makePool(urls.owner, logger, config.CREDENTIAL_POOL_SIZE);
  // A replica gateway's owner pool reads a standby: the shared rate-limit
  // counts are written on the primary.
  const replica = config.GATEWAY_MODE === "replica";
  const limitsPool = replica ? makePool(config.PRIMARY_DATABASE_URL!, logger, 2) : ownerPool;
  const limits = new RateLimits(limitsPool, config, metrics?.rateLimited, logger);
  // A replica neither LISTENs (a standby refuses it) nor writes last_active_at: it checks every request.
  const sessions = replica || config.SESSION_CACHE_MS === 0
    ? undefined
    : new SessionCache(ownerPool, logger, { ttlMs: config.SESSION_CACHE_MS, listenUrl: urls.owner });
  await sessions?.start();
  const auth = new AuthService(ownerPool, signer, config, credentialPool, limits, sessions);
  const hub = new RealtimeHub(ownerPool, urls.owner, logger, {
    batchSize: 500,
    pollMs: config.REALTIME_POLL_MS,
    sessionCheckMs: config.REALTIME_SESSION_CHECK_MS,
    // A standby refuses LISTEN: its hub reads the log every REALTIME_POLL_MS.
    listen: !replica,
  });
  await hub.start();
  const realtime = new RealtimeService(hub, authenticatorPool, auth, {
    maxSubscriptionsPerUser: config.REALTIME_MAX_SUBSCRIPTIONS_PER_USER,
    queueLimit: config.REALTIME_QUEUE_LIMIT,
    replayLimit: config.REALTIME_REPLAY_LIMIT,
  });
  const preset = makePreset({ config, authenticatorPool, auth, logger, realtime, metrics });
  const pgl = postgraphile(replica ? { extends: [preset], plugins: [ReadOnlyPlugin] } : preset);
  const serv = pgl.createServ(grafserv);
  // The port opens at once (/healthz answers); /readyz says ready, and
  // startGateway returns (then the banner prints), once the schema is built.
  let schemaReady = false;
  const schemaBuilt = Promise.resolve(pgl.getSchema()).then(() => void (schemaReady = true));
  schemaBuilt.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  const expectedMigration = await latestCommittedMigration();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.TRUST_PROXY);
  // Every request has an id of ours (never the client's: the audit log
  // records it), in the response headers and in its log lines.
  const requestId: Step = (req, res, next) => {
    req.lifegraphRequestId = randomUUID();
    res.setHeader("x-request-id", req.lifegraphRequestId);
    next();
  };
  // A log line per request costs a child logger per request (about 5% of a
  // request's CPU): made only when it would be written (LOG_LEVEL info or
  // lower). Failures are logged below at any level.
  const requestLog: Step[] = logger.isLevelEnabled("info")
    ? [pinoHttp({ logger, genReqId: (req) => req.lifegraphRequestId ?? randomUUID(), autoLogging: { ignore: (req) => req.url === "/healthz" } })]
    : [];
  // Ruru is a single inline page; the API itself serves only JSON.
  const headers: Step[] = [
    helmet({ contentSecurityPolicy: false }),
    cors({ origin: config.CORS_ORIGINS.length ? config.CORS_ORIGINS : false, maxAge: 600 }),
  ];
  const identity = identityStep(auth, logger);
  const rateLimit = graphqlRateLimit(limits);
  app.use(requestId, ...requestLog, ...headers);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (!schemaReady) {
      res.status(503).json({ status: "starting" });
      return;
    }
    try {
      const current = await migrationsAreCurrent(ownerPool, expectedMigration);
      res.status(current ? 200 : 503).json({ status: current ? "ready" : "migrations pending" });
    } catch (error) {
      logger.warn({ err: error }, "readiness check failed");
      res.status(503).json({ status: "database unreachable" });
    }
  });
  app.get("/admin/health", adminHealth({ config, urls, ownerPool, auth, logger, expectedMigration }));
  app.use(storageRoutes({ config, pool: ownerPool, storage: openStorage(config), logger }));
  app.get("/.well-known/jwks.json", (_req, res) => {
    if (!signer.jwks.keys.length) {
      res.status(404).json({ error: "tokens are signed with a shared secret" });
      return;
    }
    res.set("Cache-Control", "public, max-age=300").json(signer.jwks);
  });
  if (config.PROVIDER_WEBHOOK_SECRET) app.use(providerCallbacks(config.PROVIDER_WEBHOOK_SECRET, ownerPool, logger));
  if (metrics && config.METRICS_TOKEN) app.get("/metrics", metrics.endpoint(config.METRICS_TOKEN));
  app.use("/graphql/stream", identity, rateLimit, eventStreamHandler(serv, hub));
  // grafserv's own routes that the door does not take: Ruru on /graphiql.
  // createHandler, not addTo: the door decides which requests reach grafserv.
  const graphqlHandler = serv.createHandler();
  app.use(graphqlHandler);

  // What a handler could not answer (the database down during the token
  // check, say): logged with its cause, answered as JSON without it.
  const failed = (error: unknown, req: IncomingMessage, res: ServerResponse) => {
    logger.error({ err: error, url: req.url }, "request failed");
    if (!res.headersSent) sendError(res, 500, "INTERNAL", "Internal error.");
    else res.destroy();
  };
  const server = createServer(door({
    app,
    path: "/graphql",
    steps: [
      requestId,
      ...requestLog,
      ...headers,
      ...(replica ? [replicaLagHeader(ownerPool, logger)] : []),
      // Before the guards: it times and counts what they refuse too.
      ...(metrics ? [metrics.graphqlRequests()] : []),
      identity,
      rateLimit,
      graphqlContentType(),
      inFlightLimit({ perClient: config.GRAPHQL_MAX_IN_FLIGHT, queue: config.GRAPHQL_MAX_QUEUED, onRefused: () => metrics?.rateLimited("graphql_in_flight") }),
    ],
    handler: graphqlHandler,
    onError: failed,
  }));
  // Idle keep-alive sockets stay longer than a load balancer's (60 s) and a
  // client's own idle timeout: the server never closes one just as the other
  // side reuses it (a reset request). Shutdown closes idle sockets at once.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const closeWebsockets = attachWebsockets(server, serv, auth, hub, logger, {
    maxMessageBytes: config.MAX_REQUEST_BYTES,
    initTimeoutMs: config.REALTIME_INIT_TIMEOUT_MS,
    keepaliveMs: config.REALTIME_KEEPALIVE_MS,
    maxBufferedBytes: config.REALTIME_MAX_BUFFERED_BYTES,
    // The upgrade request never passes through express: its address by the same trust proxy rules.
    refuseUpgrade: (request, socket) => refuseUpgrade(limits, Object.assign(request, requestOrigin(app, request)).ip!, socket),
  });
  metrics?.observePools({ owner: ownerPool, authenticator: authenticatorPool, credential: credentialPool });
  metrics?.observeRealtime({ sockets: () => closeWebsockets.open, subscriptions: () => hub.size });
  app.use(((error, req, res, _next) => failed(error, req, res)) as ErrorRequestHandler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  try {
    await schemaBuilt;
  } catch (error) {
    server.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === "0.0.0.0" ? "localhost" : config.HOST;
  const metricsListener = metrics && config.METRICS_PORT !== undefined ? await metrics.listen(config.METRICS_PORT) : undefined;

  return {
    url: `http://${host}:${port}`,
    server,
    hub,
    metricsUrl: metricsListener?.url,
    async close() {
      await metricsListener?.close();
      // Stop accepting; in-flight requests finish (up to DRAIN_MS); idle
      // keep-alives and websockets (which the HTTP server no longer tracks
      // once upgraded) are cut now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      closeWebsockets();
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      await closed;
      clearTimeout(timer);
      await hub.close();
      await sessions?.close();
      await limits.close();
      await pgl.release();
      await Promise.all([ownerPool.end(), authenticatorPool.end(), credentialPool.end(), replica ? limitsPool.end() : null]);
    },
  };
}

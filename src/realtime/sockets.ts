// GraphQL over websockets (graphql-ws) on /graphql, with the socket rules
// grafserv's own handler does not have: authentication in connection_init,
// a close when the access token expires or the session ends, a message size
// cap, a bound on what may queue for a slow client, and keepalive pings.
// Close codes are the contract with clients (docs/realtime.md).
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { CloseCode, makeServer, MessageType, stringifyMessage } from "graphql-ws";
import { WebSocket, WebSocketServer } from "ws";
import type { Logger } from "pino";
import { makeGraphQLWSConfig } from "postgraphile/grafserv";
import type { AuthService, Identity } from "../identity/service.js";
import { maskResult } from "../graphql/errors.js";
import { InvalidTokenError, SessionEndedError } from "../identity/tokens.js";
import type { RealtimeHub } from "./hub.js";
import { textFrame } from "./frame.js";
import { liveSubscribe, type Deliver, type SubscribeArgs } from "./live.js";

export const CLOSE = {
  /** No, malformed, forged or expired token: refresh it and reconnect. */
  UNAUTHORIZED: 4401,
  /** The session behind the token ended (logout, password change, reset, key revoked): sign in again. */
  FORBIDDEN: 4403,
  /** No connection_init in time (graphql-ws's own code). */
  INIT_TIMEOUT: CloseCode.ConnectionInitialisationTimeout,
  /** More queued for the client than it reads: reconnect and resume from the last cursor. */
  SLOW_CONSUMER: 4413,
} as const;

declare module "node:http" {
  interface IncomingMessage {
    /** Set by the HTTP auth middleware, or by connection_init on a websocket. */
    lifegraphIdentity?: Identity;
  }
}

export interface SocketOptions {
  maxMessageBytes: number;
  initTimeoutMs: number;
  keepaliveMs: number;
  /** Bytes that may wait in a socket's send buffer before the client counts as stalled. */
  maxBufferedBytes: number;
  /** Answers an upgrade itself (a 429, say) and resolves true to refuse it; none admits all. */
  refuseUpgrade?: (request: IncomingMessage, socket: Duplex) => Promise<boolean>;
}

type Grafserv = Parameters<typeof makeGraphQLWSConfig>[0];

/** Attaches the websocket endpoint to `server`; returns a function that closes every socket, whose `open` counts them (metrics). */
export function attachWebsockets(
  server: Server,
  serv: Grafserv,
  auth: AuthService,
  hub: RealtimeHub,
  logger: Logger,
  options: SocketOptions,
): (() => void) & { readonly open: number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  const base = makeGraphQLWSConfig(serv);
  const mask = serv.dynamicOptions.maskError;
  const graphqlWs = makeServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>({
    ...base,
    async onSubscribe(ctx, id, payload) {
      const args = await base.onSubscribe!(ctx, id, payload);
      // A live subscription's events are written here, frame by frame,
      // rather than through graphql-ws's loop (a promise chain per event).
      if (args && !Array.isArray(args)) (args as unknown as SubscribeArgs).deliver = frames(ctx.extra.socket, rawSockets.get(ctx.extra.socket)!, id, options.maxBufferedBytes, mask);
      return args;
    },
    subscribe: (args) => liveSubscribe(args as unknown as SubscribeArgs),
    connectionInitWaitTimeout: options.initTimeoutMs,
    async onConnect(ctx) {
      const { socket, request } = ctx.extra;
      const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      if (typeof authorization !== "string") {
        socket.close(CLOSE.UNAUTHORIZED, "Unauthorized: connection_init needs an authorization");
        return false;
      }
      let identity: Identity;
      try {
        identity = await auth.identify(authorization);
      } catch (error) {
        if (!(error instanceof InvalidTokenError)) throw error;
        const code = error instanceof SessionEndedError ? CLOSE.FORBIDDEN : CLOSE.UNAUTHORIZED;
        logger.debug({ reason: error.message, code }, "websocket: refused connection_init");
        socket.close(code, code === CLOSE.FORBIDDEN ? "Forbidden: session ended" : "Unauthorized");
        return false;
      }
      if (identity.kind !== "session") return false;
      request.lifegraphIdentity = identity;
      socket.once("close", hub.hold(identity, (reason) =>
        reason === "token-expired"
          ? socket.close(CLOSE.UNAUTHORIZED, "Unauthorized: token expired")
          : socket.close(CLOSE.FORBIDDEN, "Forbidden: session ended")));
      logger.info({ userId: identity.userId }, "websocket: connected");
      return true;
    },
  });

  const sockets = new Set<WebSocket>();
  wss.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    sockets.add(socket);
    keepAlive(socket, options.keepaliveMs);
    // A frame over maxPayload, or a broken one: ws closes the socket (1009,
    // 1002) and reports it here; unhandled, it would end the process.
    socket.on("error", (error) => logger.info({ reason: error.message }, "websocket: protocol error"));
    const closed = graphqlWs.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            // graphql-ws's own messages (acknowledgements, results, errors,
            // completes); live events are written by `frames`, which holds
            // a stalled client to the same bound.
            if (socket.readyState !== WebSocket.OPEN) {
              // The client has gone or is going: a complete or result for it
              // is nothing to report (ws would reject the send).
              resolve();
              return;
            }
            if (stalled(socket, options.maxBufferedBytes)) {
              socket.close(CLOSE.SLOW_CONSUMER, "Slow consumer: resume from your last cursor");
              resolve();
              return;
            }
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (data) => {
            try {
              await handle(data.toString());
            } catch (error) {
              socket.close(CloseCode.InternalServerError, "Internal error");
              logger.error({ err: error }, "websocket: message failed");
            }
          }),
      },
      { socket, request },
    );
    socket.once("close", (code, reason) => {
      sockets.delete(socket);
      logger.info({ userId: request.lifegraphIdentity?.kind === "session" ? request.lifegraphIdentity.userId : undefined, code, reason: reason.toString() }, "websocket: closed");
      void closed(code, reason.toString());
    });
  });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== "/graphql") {
      socket.destroy();
      return;
    }
    const upgrade = () => wss.handleUpgrade(request, socket, head, (ws) => {
      rawSockets.set(ws, socket);
      wss.emit("connection", ws, request);
    });
    if (!options.refuseUpgrade) {
      upgrade();
      return;
    }
    options.refuseUpgrade(request, socket).then(
      (refused) => {
        if (!refused) upgrade();
      },
      (error: unknown) => {
        logger.error({ err: error }, "websocket: upgrade check failed");
        socket.destroy();
      },
    );
  };
  server.on("upgrade", onUpgrade);

  const close = () => {
    server.off("upgrade", onUpgrade);
    for (const socket of sockets) socket.terminate();
    wss.close();
  };
  return Object.defineProperty(close, "open", { get: () => sockets.size }) as typeof close & { readonly open: number };
}

/**
 * Writes a live subscription's events as graphql-ws `next` messages, each
 * projection's JSON encoded once for every socket that sends it, each frame
 * made here and written to the socket's stream (frame.ts says why). A socket
 * holding more than `maxBufferedBytes` unsent is a stalled client: the
 * subscription is cut off (4413) rather than buffered for.
 */
function frames(socket: WebSocket, raw: Duplex, id: string, maxBufferedBytes: number, mask: Grafserv["dynamicOptions"]["maskError"]): Deliver {
  const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":`);
  return (projection) => {
    // Closing already: its close ends the subscription.
    if (socket.readyState !== WebSocket.OPEN) return true;
    if (stalled(socket, maxBufferedBytes)) return false;
    if (projection.result.errors) {
      socket.send(stringifyMessage({ id, type: MessageType.Next, payload: maskResult(projection.result, mask) }));
    } else {
      raw.write(textFrame(head, projection.bytes, CLOSING_BRACE));
    }
    return true;
  };
}

const CLOSING_BRACE = Buffer.from("}");

/** Each websocket's own stream (from its upgrade), which `frames` writes to. */
const rawSockets = new WeakMap<WebSocket, Duplex>();

/** A client that has not read what was already sent: more than `maxBufferedBytes` waits in its socket. */
function stalled(socket: WebSocket, maxBufferedBytes: number): boolean {
  return socket.bufferedAmount > maxBufferedBytes;
}

/** Pings every `intervalMs`; a socket that has not answered the previous ping by then is dropped. */
function keepAlive(socket: WebSocket, intervalMs: number): void {
  let alive = true;
  socket.on("pong", () => (alive = true));
  const timer = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, intervalMs);
  socket.once("close", () => clearInterval(timer));
}

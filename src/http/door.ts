// The door of /graphql: every GraphQL request over HTTP passes through these
// steps and then grafserv, without express. Express's router, its request
// and response prototypes and its per-request setup cost about a fifth of a
// request's CPU (measured: 886 against 735 req/s for currentUser on one
// process); the other routes (probes, storage, JWKS, Ruru, the SSE stream)
// stay on express, which sees every request the door does not take.
//
// A step is a connect-style (req, res, next) function on Node's own request
// and response, so the same steps also run under express (the SSE stream
// reuses the identity and rate-limit steps).
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Express } from "express";
import type { ErrorCode } from "../identity/errors.js";

declare module "node:http" {
  interface IncomingMessage {
    /** The client's address, by express's trust proxy rules (express sets it on its own routes). */
    ip?: string;
    /** http or https, by the same rules (X-Forwarded-Proto behind a trusted proxy). */
    protocol?: string;
  }
}

export type Next = (error?: unknown) => void;
export type Step = (req: IncomingMessage, res: ServerResponse, next: Next) => void | Promise<void>;

/** The body of every error the gateway answers outside GraphQL execution: GraphQL's shape, with its stable code (docs/errors.md). */
export const errorBody = (code: ErrorCode, message: string): string => JSON.stringify({ errors: [{ message, extensions: { code } }] });

/** An error answer with `status` and `errorBody`; `headers` are set first. */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  const payload = Buffer.from(errorBody(code, message), "utf8");
  res.writeHead(status, { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Length": String(payload.length) });
  res.end(payload);
}

/** The request's address and protocol as express computes them (TRUST_PROXY), for a request express never saw: a websocket upgrade, or the door's. */
export function requestOrigin(app: Express, req: IncomingMessage): { ip: string; protocol: string } {
  const socket = req.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  if (app.get("trust proxy") === false) return { ip: socket.remoteAddress ?? "unknown", protocol: socket.encrypted ? "https" : "http" };
  // express's address getter, on a view of the request that carries the
  // app. The headers first: built on the view, they would be built twice.
  void req.headers;
  const view = Object.assign(Object.create(req) as object, { app });
  const ip: unknown = Reflect.get(app.request, "ip", view);
  // express's protocol rule (its getter needs express's own request): the
  // first X-Forwarded-Proto when the peer is a trusted proxy.
  let protocol = socket.encrypted ? "https" : "http";
  const trust = app.get("trust proxy fn") as (address: string | undefined, hop: number) => boolean;
  const forwarded = req.headers["x-forwarded-proto"];
  if (typeof forwarded === "string" && forwarded && trust(socket.remoteAddress, 0)) protocol = forwarded.split(",")[0]!.trim();
  return { ip: typeof ip === "string" ? ip : socket.remoteAddress ?? "unknown", protocol };
}

/**
 * The server's request listener: `path`'s requests through `steps` then
 * `handler`; the others to `app`. A step's error goes to `onError`.
 */
export function door(options: {
  app: Express;
  path: string;
  steps: Step[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  onError: (error: unknown, req: IncomingMessage, res: ServerResponse) => void;
}): RequestListener {
  const { app, path, steps, handler, onError } = options;
  return (req, res) => {
    const url = req.url ?? "/";
    const end = url.indexOf("?");
    if ((end < 0 ? url : url.slice(0, end)) !== path) {
      app(req, res);
      return;
    }
    try {
      Object.assign(req, requestOrigin(app, req));
    } catch (error) {
      onError(error, req, res);
      return;
    }
    let i = 0;
    const next: Next = (error) => {
      if (error !== undefined) return onError(error, req, res);
      const step = steps[i++];
      if (!step) return handler(req, res);
      try {
        const done = step(req, res, next);
        if (done) done.catch((e: unknown) => onError(e, req, res));
      } catch (e) {
        onError(e, req, res);
      }
    };
    next();
  };
}

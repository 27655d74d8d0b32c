// The HTTP side of the rate limits (src/identity/rate-limits.ts): GraphQL
// requests per user and per IP, websocket connections per IP, and the 429
// with Retry-After that a refusal found during execution (login, register,
// forgotPassword, resendEmailVerification) turns the response into.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Express, RequestHandler } from "express";
import { RateLimitedError, type RateLimits } from "../identity/rate-limits.js";

function refuse(res: ServerResponse, error: RateLimitedError): void {
  res.statusCode = 429;
  res.setHeader("Retry-After", String(error.retryAfterSeconds));
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] }));
}

export function graphqlRateLimit(limits: RateLimits): RequestHandler {
  return (req, res, next) => {
    // grafserv writes the response once execution is over: by then a limit
    // met inside it has set lifegraphRetryAfter (src/graphql/auth-plugin.ts).
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
      if (req.lifegraphRetryAfter !== undefined) {
        this.setHeader("Retry-After", String(req.lifegraphRetryAfter));
        statusCode = 429;
      }
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
    } as typeof res.writeHead;
    try {
      const identity = req.lifegraphIdentity;
      limits.graphql(req.ip ?? "unknown", identity?.kind === "session" ? identity.userId : null);
      next();
    } catch (error) {
      if (!(error instanceof RateLimitedError)) return next(error);
      refuse(res, error);
    }
  };
}

/** The address express would give an upgrade request (which never passes through express): the same trust proxy rules. */
export function upgradeIp(app: Express, request: IncomingMessage): string {
  const ip: unknown = Reflect.get(app.request, "ip", Object.assign(Object.create(request), { app }));
  return typeof ip === "string" ? ip : request.socket.remoteAddress ?? "unknown";
}

/** Admits a websocket upgrade, or answers it with a 429 (true when refused). */
export async function refuseUpgrade(limits: RateLimits, ip: string, socket: { end(data: string): unknown }): Promise<boolean> {
  try {
    await limits.websocket(ip);
    return false;
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const body = JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code } }] });
    socket.end(
      `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${error.retryAfterSeconds}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return true;
  }
}

// The HTTP side of the rate limits (src/identity/rate-limits.ts): GraphQL
// requests per user and per IP, websocket connections per IP, and the 429
// with Retry-After that a refusal found during execution (login, register,
// forgotPassword, resendEmailVerification) turns the response into.
import type { ServerResponse } from "node:http";
import { RateLimitedError, type RateLimits } from "../identity/rate-limits.js";
import { errorBody, sendError, type Step } from "./door.js";

function refuse(res: ServerResponse, error: RateLimitedError): void {
  sendError(res, 429, error.code, error.message, { "Retry-After": String(error.retryAfterSeconds) });
}

export function graphqlRateLimit(limits: RateLimits): Step {
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
    } catch (error) {
      if (!(error instanceof RateLimitedError)) return next(error);
      return refuse(res, error);
    }
    next();
  };
}

/** Admits a websocket upgrade, or answers it with a 429 (true when refused). */
export async function refuseUpgrade(limits: RateLimits, ip: string, socket: { end(data: string): unknown }): Promise<boolean> {
  try {
    await limits.websocket(ip);
    return false;
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const body = errorBody(error.code, error.message);
    socket.end(
      `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${error.retryAfterSeconds}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return true;
  }
}

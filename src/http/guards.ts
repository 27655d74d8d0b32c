// Guards in the door of /graphql (src/http/door.ts), in front of grafserv:
// the media types a POST may have (CSRF: no text/plain or form bodies, which
// a browser sends cross-origin without a preflight), and a bound on one
// client's requests in flight, so that one user cannot hold the whole pool.
import { sendError, type Step } from "./door.js";

const GRAPHQL_MEDIA_TYPES = new Set(["application/json", "application/graphql"]);

/** POST /graphql must be application/json (or application/graphql): anything else is a 415 GQLCT. */
export function graphqlContentType(): Step {
  return (req, res, next) => {
    if (req.method !== "POST") return next();
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (GRAPHQL_MEDIA_TYPES.has(type)) return next();
    sendError(res, 415, "GQLCT", "GraphQL requests are application/json (or a GET with the query in the URL).");
  };
}

export interface InFlightOptions {
  /** Requests one client (a signed-in user, else an address) may have running. */
  perClient: number;
  /** Requests of one client that may wait for a slot; past it, 429 INFLT. */
  queue: number;
  /** Hears each 429 INFLT (the metrics count them). */
  onRefused?: () => void;
}

/** At most `perClient` GraphQL requests of one user (or, anonymous, one address) run at once; a few more wait. */
export function inFlightLimit(options: InFlightOptions): Step {
  const clients = new Map<string, { running: number; waiting: Array<() => void> }>();
  return (req, res, next) => {
    if (req.method !== "POST" && req.method !== "GET") return next();
    const identity = req.lifegraphIdentity;
    const key = identity?.kind === "session" ? `user:${identity.userId}` : `ip:${req.ip ?? "unknown"}`;
    let client = clients.get(key);
    if (!client) {
      client = { running: 0, waiting: [] };
      clients.set(key, client);
    }
    const state = client;
    const start = () => {
      state.running++;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        state.running--;
        const waiter = state.waiting.shift();
        if (waiter) waiter();
        else if (state.running === 0) clients.delete(key);
      };
      res.once("finish", release);
      res.once("close", release);
      next();
    };
    if (state.running < options.perClient) return start();
    if (state.waiting.length >= options.queue) {
      options.onRefused?.();
      return sendError(res, 429, "INFLT", `Too many requests in flight (${options.perClient} run at once, ${options.queue} wait): wait for some to finish.`, { "Retry-After": "1" });
    }
    const waiter = () => start();
    state.waiting.push(waiter);
    // A client that gives up while waiting leaves the queue.
    res.once("close", () => {
      const i = state.waiting.indexOf(waiter);
      if (i >= 0) state.waiting.splice(i, 1);
    });
  };
}

// Rate limits shared by every gateway, in app_private.rate_limits (created
// by the migration, RLS on, no visitor grants), written through the owner's
// pool, so any number of gateway processes agree. The account actions and
// websockets use rate-limiter-flexible on its Postgres store: exact, a round
// trip per point. GraphQL requests, one point each on every request, are
// counted in memory and shared in batches (src/identity/request-counts.ts).
//
// Login throttling follows OWASP: failures are counted per (account, IP)
// and per account. A pair that failed LOGIN_MAX_FAILURES_PER_IP times in a
// row is blocked for LOGIN_BLOCK_SECONDS (LOCKD); an account that failed
// LOGIN_MAX_FAILURES_PER_ACCOUNT times from anywhere then takes attempts only
// from IPs with no failure on it. So a stranger cannot lock the owner out:
// the right password from a clean IP always gets through.
import { createHash } from "node:crypto";
import type pg from "pg";
import type { Logger } from "pino";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../config.js";
import { RequestCounts } from "./request-counts.js";

/** A refused request: answered with HTTP 429, `Retry-After` and the code. */
export class RateLimitedError extends Error {
  constructor(
    readonly code: "RATEL" | "LOCKD",
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

export type AuthAction = "login" | "register" | "forgot" | "resend";

export const RATE_MESSAGE = "Too many requests; try again later.";
const LOCKED_MESSAGE = "Too many failed sign-in attempts from here; try again later, or reset your password.";

/** Keys stay short and carry no address or login in clear. */
const digest = (value: string) => createHash("sha256").update(value).digest("base64url").slice(0, 32);
const seconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

export class RateLimits {
  private readonly limiters: Record<string, RateLimiterPostgres> = {};
  private readonly requests: RequestCounts;

  /** `onRefused` hears each refusal, by limiter name (the metrics count them). */
  constructor(pool: pg.Pool, private readonly config: Config, private readonly onRefused?: (limit: string) => void, logger?: Logger) {
    const make = (keyPrefix: string, points: number, duration: number, clearExpired = false) =>
      (this.limiters[keyPrefix] = new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        schemaName: "app_private",
        tableName: "rate_limits",
        tableCreated: true,
        // One limiter sweeps the shared table of expired rows (hourly, timer unref'd).
        clearExpiredByTimeout: clearExpired,
        keyPrefix,
        points,
        duration,
      }));
    const authWindow = 15 * 60;
    for (const action of ["login", "register", "forgot", "resend"] as const) {
      make(`${action}_ip`, config.RATE_LIMIT_AUTH_PER_IP, authWindow, action === "login");
      make(`${action}_account`, config.RATE_LIMIT_AUTH_PER_ACCOUNT, authWindow);
    }
    make("login_fail_pair", config.LOGIN_MAX_FAILURES_PER_IP, config.LOGIN_BLOCK_SECONDS);
    make("login_fail_account", config.LOGIN_MAX_FAILURES_PER_ACCOUNT, config.LOGIN_BLOCK_SECONDS);
    this.requests = new RequestCounts(pool, [
      { name: "graphql_user", points: config.RATE_LIMIT_GRAPHQL_PER_USER, durationMs: 60_000 },
      { name: "graphql_ip", points: config.RATE_LIMIT_GRAPHQL_PER_IP, durationMs: 60_000 },
    ], { syncMs: config.RATE_LIMIT_SYNC_MS, logger, onRefused });
    make("websocket_ip", config.RATE_LIMIT_WEBSOCKETS_PER_IP, 60);
  }

  /** Takes one point of `limiter` for `key`; RateLimitedError (RATEL) when none is left. */
  private async take(limiter: string, key: string): Promise<void> {
    try {
      await this.limiters[limiter]!.consume(digest(key));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        this.onRefused?.(limiter);
        throw new RateLimitedError("RATEL", seconds(error), RATE_MESSAGE);
      }
      throw error;
    }
  }

  /** One attempt of an account action: per IP, and (login aside, see loginAllowed) per address or account. */
  async auth(action: AuthAction, ip: string, account: string | null): Promise<void> {
    await this.take(`${action}_ip`, ip);
    if (account !== null && action !== "login") await this.take(`${action}_account`, account.trim().toLowerCase());
  }

  private static loginKeys(login: string, ip: string) {
    const account = login.trim().toLowerCase();
    return { account, pair: `${account}\n${ip}` };
  }

  /** Before a credential check: refuses (LOCKD) a blocked pair, and a pair with failures while its account is under attack. */
  async loginAllowed(login: string, ip: string): Promise<void> {
    const { account, pair } = RateLimits.loginKeys(login, ip);
    const [pairRes, accountRes] = await Promise.all([
      this.limiters.login_fail_pair!.get(digest(pair)),
      this.limiters.login_fail_account!.get(digest(account)),
    ]);
    const pairFailures = pairRes?.consumedPoints ?? 0;
    if (pairRes && pairFailures >= this.config.LOGIN_MAX_FAILURES_PER_IP) {
      this.onRefused?.("login_fail_pair");
      throw new RateLimitedError("LOCKD", seconds(pairRes), LOCKED_MESSAGE);
    }
    if (accountRes && pairFailures > 0 && accountRes.consumedPoints >= this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT) {
      this.onRefused?.("login_fail_account");
      throw new RateLimitedError("LOCKD", seconds(accountRes), LOCKED_MESSAGE);
    }
  }

  /** After a credential check: a failure counts against the pair and the account; a success clears the pair. */
  async loginResult(login: string, ip: string, ok: boolean): Promise<void> {
    const { account, pair } = RateLimits.loginKeys(login, ip);
    if (ok) {
      await this.limiters.login_fail_pair!.delete(digest(pair));
      return;
    }
    await Promise.all([
      this.limiters.login_fail_pair!.penalty(digest(pair)),
      this.limiters.login_fail_account!.penalty(digest(account)),
    ]);
  }

  /** A GraphQL request: per IP and per signed-in user; RateLimitedError (RATEL) when refused. No I/O. */
  graphql(ip: string, userId: string | null): void {
    this.requests.take("graphql_ip", this.digestOf(ip));
    if (userId) this.requests.take("graphql_user", this.digestOf(userId));
  }

  /** The digests of recent GraphQL keys: two sha256 per request were about 2% of its CPU. */
  private readonly digests = new Map<string, string>();
  private digestOf(key: string): string {
    let value = this.digests.get(key);
    if (value === undefined) {
      if (this.digests.size >= 10_000) this.digests.clear();
      this.digests.set(key, (value = digest(key)));
    }
    return value;
  }

  /** Shares the GraphQL counts not yet written (at shutdown). */
  close(): Promise<void> {
    return this.requests.close();
  }

  /** A websocket connection: per IP. */
  async websocket(ip: string): Promise<void> {
    await this.take("websocket_ip", ip);
  }
}

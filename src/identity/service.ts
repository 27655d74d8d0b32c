// Credentials: register, log in, refresh, and resolve a request's bearer
// token to an identity. The SQL lives in app_private
// (migrations/fixtures/identity/functions.sql); this runs it as the owner,
// outside the request's transaction, so that a failed login is counted even
// though the request fails.
import { isIP } from "node:net";
import type pg from "pg";
import type { Config } from "../config.js";
import { clientError } from "./errors.js";
import { InvalidTokenError, SessionEndedError, type TokenSigner } from "./tokens.js";
import type { RateLimits } from "./rate-limits.js";
import type { SessionCache } from "./session-cache.js";

export type Identity =
  | { kind: "anonymous" }
  | {
      kind: "session";
      userId: string;
      sessionId: string;
      readOnly: boolean;
      /** When the access token stops being valid; none for API keys (their session ends when the key is revoked). */
      expiresAt?: Date;
    };

export interface AuthResult {
  userId: string;
  sessionId: string;
  accessToken: string;
  /** ISO 8601 */
  accessTokenExpiresAt: string;
  refreshToken: string;
}

interface SqlAuthResult {
  outcome: "OK" | "LOGIN" | "LOCKD" | "TOKEN";
  user_id: string | null;
  session_id: string | null;
  refresh_token: string | null;
}

const FAILURE_MESSAGES = {
  LOGIN: "Incorrect username, email or password.",
  LOCKD: "Too many failed sign-in attempts; try again later.",
  TOKEN: "This refresh token is not valid; sign in again.",
} as const;

const API_KEY_PREFIX = "lg_";

// On a streaming standby (GATEWAY_MODE=replica) nothing may be written, and
// touch_session / authenticate_api_key record use: these are the same checks
// without the record (the primary's requests keep last_active_at current).
const SESSION_ACTIVE_ON_REPLICA = `select exists (select 1 from app_private.sessions s
  where s.id = $1 and s.user_id = $2 and s.kind = 'login' and s.revoked_at is null and s.expires_at > now()) as active`;
const API_KEY_ON_REPLICA = `select s.id as session_id, k.user_id, not ('WRITE' = any (k.scopes)) as read_only
  from app_private.api_key_secrets x
  join app_public.api_keys k on k.id = x.api_key_id
  join app_private.sessions s on s.api_key_id = k.id
  where x.secret_hash = public.digest($1, 'sha256') and k.revoked_at is null
    and (k.expires_at is null or k.expires_at > now()) and s.revoked_at is null`;

// The session's end comes back too: a cached check must not outlive it.
const TOUCH_SESSION = `with t as (select app_private.touch_session($1, $2) as active)
  select t.active, s.expires_at from t left join app_private.sessions s on t.active and s.id = $1`;

export class AuthService {
  /**
   * `credentialPool`: the owner's connections that run bcrypt (register,
   * login), a small pool of their own so that a login flood queues there and
   * never in front of the session checks of signed-in users. `limits`:
   * throttling of login and register (none: unthrottled, e.g. schema export).
   */
  constructor(
    private readonly ownerPool: pg.Pool,
    readonly signer: TokenSigner,
    private readonly config: Config,
    private readonly credentialPool: pg.Pool = ownerPool,
    readonly limits?: RateLimits,
    /** Sessions found valid lately (SESSION_CACHE_MS); none on a replica, or with the cache off. */
    private readonly sessions?: SessionCache,
  ) {}

  private get replica(): boolean {
    return this.config.GATEWAY_MODE === "replica";
  }

  private get sessionTtl(): string {
    return `${this.config.SESSION_TTL_DAYS} days`;
  }

  private finish(result: SqlAuthResult): AuthResult {
    if (result.outcome !== "OK") throw clientError(result.outcome, FAILURE_MESSAGES[result.outcome]);
    const userId = result.user_id!;
    const sessionId = result.session_id!;
    const { token, expiresAt } = this.signer.sign({ userId, sessionId });
    return { userId, sessionId, accessToken: token, accessTokenExpiresAt: expiresAt.toISOString(), refreshToken: result.refresh_token! };
  }

  async register(input: { username: string; email: string; password: string; displayName?: string | null }, ip = "unknown") {
    await this.limits?.auth("register", ip, input.email);
    const { rows } = await this.credentialPool.query<SqlAuthResult>(
      "select * from app_private.register($1, $2, $3, $4, $5::interval)",
      [input.username, input.email, input.password, input.displayName ?? null, this.sessionTtl],
    );
    return this.finish(rows[0]!);
  }

  async login(input: { login: string; password: string }, ip = "unknown") {
    await this.limits?.auth("login", ip, input.login);
    await this.limits?.loginAllowed(input.login, ip);
    const { rows } = await this.credentialPool.query<SqlAuthResult>(
      "select * from app_private.login($1, $2, $3::interval)",
      [input.login, input.password, this.sessionTtl],
    );
    await this.limits?.loginResult(input.login, ip, rows[0]!.outcome === "OK");
    if (rows[0]!.outcome === "LOGIN") {
      // Failed sign-ins go to the audit log, with the address they came from
      // (the throttle bounds how many one address can write).
      await this.ownerPool.query(
        `with client as (select set_config('lifegraph.ip', $2, true))
         select app_private.audit('identity.login_failed', null, null, null, jsonb_build_object('login', left($1, 200))) from client`,
        [input.login, isIP(ip) ? ip : ""],
      );
    }
    return this.finish(rows[0]!);
  }

  async refresh(input: { refreshToken: string }, _ip?: string) {
    const { rows } = await this.ownerPool.query<SqlAuthResult>(
      "select * from app_private.refresh_session($1, $2::interval)",
      [input.refreshToken, this.sessionTtl],
    );
    return this.finish(rows[0]!);
  }

  /** Sessions an operation on this gateway ended (logout, password change): no cached check answers for them again. */
  sessionsEnded(sessionIds: readonly string[]): void {
    this.sessions?.ended(sessionIds);
  }

  /**
   * `Authorization: Bearer <JWT or lg_… API key>` to an identity. No header is
   * anonymous; anything present but not valid throws InvalidTokenError.
   */
  async identify(authorization: string | undefined): Promise<Identity> {
    if (!authorization) return { kind: "anonymous" };
    const match = /^Bearer ([^\s]+)$/i.exec(authorization.trim());
    if (!match) throw new InvalidTokenError("Authorization must be `Bearer <token>`");
    const credential = match[1]!;

    if (credential.startsWith(API_KEY_PREFIX)) {
      const { rows } = await this.ownerPool.query<{ session_id: string; user_id: string; read_only: boolean }>(
        this.replica ? API_KEY_ON_REPLICA : "select * from app_private.authenticate_api_key($1)",
        [credential],
      );
      const key = rows[0];
      if (!key) throw new InvalidTokenError("Unknown, expired or revoked API key");
      return { kind: "session", userId: key.user_id, sessionId: key.session_id, readOnly: key.read_only };
    }

    const { userId, sessionId, expiresAt } = this.signer.verify(credential);
    if (this.sessions?.has(sessionId, userId)) return { kind: "session", userId, sessionId, readOnly: false, expiresAt };
    const mark = this.sessions?.mark();
    const { rows } = await this.ownerPool.query<{ active: boolean; expires_at?: Date | null }>(
      this.replica ? SESSION_ACTIVE_ON_REPLICA : TOUCH_SESSION,
      [sessionId, userId],
    );
    if (!rows[0]?.active) throw new SessionEndedError("Session ended");
    if (mark !== undefined && rows[0].expires_at) this.sessions!.remember(mark, sessionId, userId, rows[0].expires_at);
    return { kind: "session", userId, sessionId, readOnly: false, expiresAt };
  }

  /** Settings for the request's transaction. The role is chosen here, never by a claim. */
  pgSettings(identity: Identity): Record<string, string> {
    const settings: Record<string, string> = {
      statement_timeout: `${this.config.STATEMENT_TIMEOUT_MS}`,
    };
    if (identity.kind === "anonymous") {
      settings.role = this.config.DATABASE_ANONYMOUS;
    } else {
      settings.role = this.config.DATABASE_VISITOR;
      settings["jwt.claims.session_id"] = identity.sessionId;
      // READ-scoped API keys: Postgres itself refuses every write.
      if (identity.readOnly) settings.transaction_read_only = "on";
    }
    return settings;
  }
}

// A gateway's memory of sessions it found valid, so that a signed-in request
// costs no round trip to the database before its own transaction. Safe
// because a revocation reaches every gateway at once: a trigger on
// app_private.sessions NOTIFYs `lifegraph:sessions` with the session's id
// (migrations/fixtures/identity/triggers.sql), and the cache LISTENs on a
// connection of its own. While that connection is down nothing is trusted
// from memory: a lost NOTIFY can never leave a revoked session accepted.
// Data never depended on this check (row-level security resolves the session
// inside each statement); it decides whether the answer is a 401.
import pg from "pg";
import type { Logger } from "pino";

const CHANNEL = "lifegraph:sessions";
/** last_active_at is a "seen recently" mark: written at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;

interface Entry {
  userId: string;
  /** ms since the epoch: the cache window's end, or the session's own, whichever is first. */
  until: number;
}

export interface SessionCacheOptions {
  /** How long a checked session is trusted (SESSION_CACHE_MS). */
  ttlMs: number;
  /** A direct owner connection string for LISTEN (not through a transaction pooler). */
  listenUrl: string;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Sessions answered from memory since the last touch: their last_active_at is due. */
  private readonly used = new Set<string>();
  private listener: pg.Client | null = null;
  /**
   * Bumped by every notification and every loss of the LISTEN connection. A
   * check that began before a bump may have read a session just revoked: its
   * answer is not kept.
   */
  private epoch = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly ownerPool: pg.Pool,
    private readonly logger: Logger,
    private readonly options: SessionCacheOptions,
  ) {}

  /** Never fails: without its LISTEN connection the gateway checks every request, and keeps trying. */
  async start(): Promise<void> {
    await this.relisten();
    this.timer = setInterval(() => void this.touch(), TOUCH_EVERY_MS).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.touch();
    const listener = this.listener;
    this.lost();
    await listener?.end().catch(() => undefined);
  }

  /** Whether memory may answer now: only while revocations can reach it. */
  get listening(): boolean {
    return this.listener !== null;
  }

  /** True when `sessionId` of `userId` was found valid within the window. */
  has(sessionId: string, userId: string): boolean {
    const entry = this.entries.get(sessionId);
    if (!entry || entry.userId !== userId) return false;
    if (entry.until <= Date.now()) {
      this.entries.delete(sessionId);
      return false;
    }
    this.used.add(sessionId);
    return true;
  }

  /** Taken before asking the database; passed back to `remember`. */
  mark(): number {
    return this.epoch;
  }

  /** Keeps a valid answer, unless a revocation or a lost connection came in since `mark`. */
  remember(mark: number, sessionId: string, userId: string, sessionExpiresAt: Date): void {
    if (mark !== this.epoch || !this.listening || this.closed) return;
    const until = Math.min(Date.now() + this.options.ttlMs, sessionExpiresAt.getTime());
    this.entries.set(sessionId, { userId, until });
  }

  /** Sessions this gateway's own operation just ended: forgotten now, not when their NOTIFY comes in. */
  ended(sessionIds: readonly string[]): void {
    for (const id of sessionIds) this.forget(id);
  }

  /** Sessions in memory (tests). */
  get size(): number {
    return this.entries.size;
  }

  private forget(sessionId: string): void {
    this.epoch++;
    this.entries.delete(sessionId);
    this.used.delete(sessionId);
  }

  /** The LISTEN connection is gone: trust nothing until it is back. */
  private lost(): void {
    this.epoch++;
    this.listener = null;
    this.entries.clear();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.listenUrl });
    client.on("notification", (message) => {
      if (message.channel === CHANNEL && message.payload) this.forget(message.payload);
    });
    // Until it listens, a failure rejects connect() or query() below instead.
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query(`listen "${CHANNEL}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    let gone = false;
    const drop = (error?: Error) => {
      if (gone) return;
      gone = true;
      if (this.listener === client) this.lost();
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.logger.warn({ err: error }, "session cache: LISTEN connection lost; checking every request until it is back");
      setTimeout(() => void this.relisten(), 1000).unref();
    };
    client.on("error", drop);
    client.on("end", () => drop());
    this.listener = client;
  }

  private async relisten(): Promise<void> {
    if (this.closed || this.listener) return;
    try {
      await this.listen();
      if (this.listener) this.logger.info("session cache: LISTEN connection back");
    } catch (error) {
      this.logger.warn({ err: error }, "session cache: LISTEN reconnect failed; retrying");
      setTimeout(() => void this.relisten(), 2000).unref();
    }
  }

  /** Writes last_active_at of the sessions used from memory, in one statement, off the request path. */
  private async touch(): Promise<void> {
    if (this.used.size === 0) return;
    const ids = [...this.used];
    this.used.clear();
    try {
      await this.ownerPool.query(
        `update app_private.sessions set last_active_at = now()
         where id = any ($1::uuid[]) and last_active_at < now() - interval '1 minute'`,
        [ids],
      );
    } catch (error) {
      this.logger.warn({ err: error }, "session cache: recording session activity failed");
    }
  }
}

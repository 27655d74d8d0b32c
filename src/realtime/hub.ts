// One hub per gateway process: it LISTENs for the database's realtime log,
// reads each batch of new log rows with ONE statement for all of its
// subscribers (app_private.realtime_batch decides who receives what), and
// hands each subscriber its events. The log, not NOTIFY, is the truth: a
// NOTIFY only wakes the hub, and a poll covers a lost one. See
// migrations/fixtures/realtime/functions.sql.
//
// The hub holds one connection of its own, for LISTEN and its reads: a
// pooled one is closed after 10 s idle, and the batch statement's plan
// (PL/pgSQL keeps it per connection) went with it, so the first event after
// a quiet spell cost some 20 ms more.
import pg from "pg";
import type { Logger } from "pino";
import type { Identity } from "../identity/service.js";
import { SlowConsumerError } from "./queue.js";

export type FeedScope = "friends" | "following" | "me" | "public";

/** What a subscription wants; `after` is a resume point (a log seq). */
export type Topic =
  | { kind: "activity"; scope: FeedScope; after: string | null }
  | { kind: "notification" }
  | { kind: "message"; conversationId: string | null }
  | { kind: "leaderboard"; competitionId: string };

export interface Subscriber {
  userId: string;
  sessionId: string;
  topic: Topic;
  /** What the hub hands events to (the subscription's queue): push throws SlowConsumerError once it has cut the subscription off. */
  queue: { push(item: object): void; end(): void };
}

interface BatchRow {
  seq: string;
  topic: "activity" | "message" | "receipt" | "notification" | "leaderboard";
  actor_id: string | null;
  visibility: string | null;
  payload: Record<string, unknown> | null;
  receivers: string[];
  friends: string[] | null;
  followers: string[] | null;
}

export interface HubOptions {
  /** Log rows read per statement. */
  batchSize: number;
  /** How often the log is read even without a NOTIFY (a lost one costs this much latency). */
  pollMs: number;
  /** How often the sessions behind live connections are checked for revocation. */
  sessionCheckMs: number;
  /** false on a streaming standby, which refuses LISTEN during recovery: the poll alone wakes the hub. Default true. */
  listen?: boolean;
}

/** Ends a live connection (a socket, an SSE stream): its token expired, or its session ended. */
export type Closer = (reason: "token-expired" | "session-ended") => void;

const CHANNEL = "lifegraph_realtime";
/** How the hub's connection shows in pg_stat_activity. */
export const HUB_APPLICATION = "lifegraph realtime hub";

export class RealtimeHub {
  /** LISTENs and reads the log; while it is down (it is made again), the pool reads. */
  private connection: pg.Client | null = null;
  /** Each connected user's subscriptions: a row goes to its receivers' only, never a scan of everyone's. */
  private readonly byUser = new Map<string, Set<Subscriber>>();
  private readonly sessions = new Map<string, Set<Closer>>();
  /** The highest log seq every subscriber has been given (or needed nothing from). */
  private lastSeq = 0n;
  private reading: Promise<void> | null = null;
  private again = false;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  /** Statements run for fan-out (batches and head reads): what the benchmark divides by events. */
  statements = 0;

  constructor(
    private readonly ownerPool: pg.Pool,
    /** A direct connection (never PgBouncer in transaction mode, which cannot LISTEN). */
    private readonly connectionUrl: string,
    private readonly logger: Logger,
    private readonly options: HubOptions,
  ) {}

  async start(): Promise<void> {
    await this.connect();
    this.lastSeq = await this.head();
    this.timers.push(setInterval(() => this.wake(), this.options.pollMs).unref());
    this.timers.push(setInterval(() => void this.checkSessions(), this.options.sessionCheckMs).unref());
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.reading;
    for (const subscribers of this.byUser.values()) for (const subscriber of subscribers) subscriber.queue.end();
    const connection = this.connection;
    this.connection = null;
    await connection?.end().catch(() => undefined);
  }

  /** Live subscriptions on this gateway. */
  get size(): number {
    let size = 0;
    for (const subscribers of this.byUser.values()) size += subscribers.size;
    return size;
  }

  subscriptionsOf(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /**
   * Adds a subscriber and returns the seq from which it will receive live
   * rows: everything after it. Called between batches (never while one is
   * being read), so no batch is read without this subscriber and handed out
   * with it, and the caller's replay up to that seq meets the live stream
   * exactly. Null, and nothing added, when the user already holds `cap`.
   */
  async add(subscriber: Subscriber, cap: number): Promise<bigint | null> {
    while (this.reading) await this.reading;
    if (this.subscriptionsOf(subscriber.userId) >= cap) return null;
    let subscribers = this.byUser.get(subscriber.userId);
    if (!subscribers) this.byUser.set(subscriber.userId, (subscribers = new Set()));
    subscribers.add(subscriber);
    return this.lastSeq;
  }

  remove(subscriber: Subscriber): void {
    const subscribers = this.byUser.get(subscriber.userId);
    if (!subscribers?.delete(subscriber)) return;
    if (subscribers.size === 0) this.byUser.delete(subscriber.userId);
  }

  /**
   * Ends a connection of `identity` when its access token expires or its
   * session is revoked or expires (checked every sessionCheckMs); returns
   * the release, for when the connection ends first.
   */
  hold(identity: Identity & { kind: "session" }, close: Closer): () => void {
    let closers = this.sessions.get(identity.sessionId);
    if (!closers) this.sessions.set(identity.sessionId, (closers = new Set()));
    closers.add(close);
    const expiry = identity.expiresAt
      ? setTimeout(() => close("token-expired"), identity.expiresAt.getTime() - Date.now())
      : undefined;
    return () => {
      clearTimeout(expiry);
      closers.delete(close);
      if (closers.size === 0 && this.sessions.get(identity.sessionId) === closers) this.sessions.delete(identity.sessionId);
    };
  }

  /** Reads the log now (or once more after the read in progress). */
  wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.drain()
      .catch((error) => this.logger.error({ err: error }, "realtime: reading the log failed"))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async head(): Promise<bigint> {
    this.statements++;
    const { rows } = await (this.connection ?? this.ownerPool).query<{ seq: string }>(
      "select coalesce(max(seq), 0)::text as seq from app_private.realtime_log",
    );
    return BigInt(rows[0]!.seq);
  }

  private async drain(): Promise<void> {
    for (;;) {
      // A user is kept only while they hold a subscription.
      if (this.byUser.size === 0) {
        // Nobody to hand anything to: only move the position.
        this.lastSeq = await this.head();
        return;
      }
      const viewers = [...this.byUser.keys()];
      this.statements++;
      const { rows } = await (this.connection ?? this.ownerPool).query<BatchRow>(
        // The user lists as json: JSON.parse reads a thousand ids in a tenth of the time pg's text[] parser takes.
        "select seq::text, topic, actor_id, visibility, payload, to_json(receivers) as receivers, to_json(friends) as friends, to_json(followers) as followers from app_private.realtime_batch($1, $2, $3)",
        [this.lastSeq.toString(), viewers, this.options.batchSize],
      );
      for (const row of rows) this.dispatch(row);
      if (rows.length > 0) this.lastSeq = BigInt(rows[rows.length - 1]!.seq);
      if (rows.length < this.options.batchSize) return;
    }
  }

  private dispatch(row: BatchRow): void {
    if (!row.payload || row.receivers.length === 0) return;
    const audience = new Audience(row);
    // One object for every receiver: nothing downstream changes it.
    const item = row.topic === "activity" ? { cursor: row.seq, refetch: false, event: row.payload } : row.payload;
    for (const userId of new Set(row.receivers)) {
      for (const subscriber of this.byUser.get(userId) ?? []) {
        if (!audience.wants(subscriber)) continue;
        try {
          subscriber.queue.push(item);
        } catch (error) {
          if (!(error instanceof SlowConsumerError)) throw error;
          this.logger.warn({ userId: subscriber.userId }, "realtime: slow consumer cut off");
          this.remove(subscriber);
        }
      }
    }
  }

  private async checkSessions(): Promise<void> {
    if (this.closed || this.sessions.size === 0) return;
    try {
      const { rows } = await this.ownerPool.query<{ id: string }>(
        "select app_private.realtime_ended_sessions($1) as id",
        [[...this.sessions.keys()]],
      );
      for (const { id } of rows) {
        const closers = this.sessions.get(id);
        this.sessions.delete(id);
        for (const close of closers ?? []) close("session-ended");
      }
    } catch (error) {
      this.logger.error({ err: error }, "realtime: checking sessions failed");
    }
  }

  /** The hub's own connection; re-made (and the log re-read) when it drops. */
  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionUrl, application_name: HUB_APPLICATION });
    client.on("notification", () => this.wake());
    client.on("error", (error) => {
      this.logger.warn({ err: error }, "realtime: connection lost; reconnecting");
      if (this.connection === client) this.connection = null;
      client.end().catch(() => undefined);
      if (!this.closed) setTimeout(() => void this.reconnect(), 1000).unref();
    });
    await client.connect();
    if (this.options.listen !== false) await client.query(`listen ${CHANNEL}`);
    this.connection = client;
  }

  private async reconnect(): Promise<void> {
    if (this.closed || this.connection) return;
    try {
      await this.connect();
      this.wake();
    } catch (error) {
      this.logger.warn({ err: error }, "realtime: reconnect failed; retrying");
      setTimeout(() => void this.reconnect(), 2000).unref();
    }
  }
}

/** Which of a row's receivers' subscriptions asked for it (the database already said the users may have it). */
class Audience {
  private friends: Set<string> | null = null;
  private followers: Set<string> | null = null;

  constructor(private readonly row: BatchRow) {}

  wants(subscriber: Subscriber): boolean {
    const { row } = this;
    const topic = subscriber.topic;
    switch (row.topic) {
      case "activity":
        if (topic.kind !== "activity") return false;
        switch (topic.scope) {
          // Sets made once per row: a thousand receivers, each looked up once.
          case "friends":
            return (this.friends ??= new Set(row.friends ?? [])).has(subscriber.userId);
          case "following":
            return (this.followers ??= new Set(row.followers ?? [])).has(subscriber.userId);
          case "me":
            return row.actor_id === subscriber.userId;
          case "public":
            return row.visibility === "public";
        }
        return false;
      case "notification":
        return topic.kind === "notification";
      case "message":
      case "receipt":
        return topic.kind === "message" && (topic.conversationId === null || topic.conversationId === row.payload?.conversationId);
      case "leaderboard":
        return topic.kind === "leaderboard" && topic.competitionId === row.payload?.competitionId;
    }
  }
}

// A subscription's life on the gateway: who may open one (a signed-in user,
// under a cap), the replay a resuming activity feed gets before it goes
// live, and its end (unsubscribe, overflow, or its transport's end).
import type pg from "pg";
import { clientError } from "../identity/errors.js";
import type { AuthService, Identity } from "../identity/service.js";
import { BoundedQueue, SlowConsumerError } from "./queue.js";
import type { RealtimeHub, Subscriber, Topic } from "./hub.js";

export interface RealtimeLimits {
  /** Live subscriptions one user may hold on one gateway. */
  maxSubscriptionsPerUser: number;
  /** Events buffered for one subscription before it is cut off as a slow consumer. */
  queueLimit: number;
  /** Missed events replayed on resume; past it the subscriber is told to refetch. */
  replayLimit: number;
}

const CURSOR = /^\d{1,18}$/;

export interface SubscriptionOptions<T> {
  /** Ends the transport when this subscription overflows (a websocket is closed; SSE ends the stream). */
  cutOff?: () => void;
  /** Shapes each event, replayed or live, as it is queued: the transport reads what this returns. */
  shape?: (item: object) => T;
  /** Called once when the subscription ends, however it ends. */
  onEnd?: () => void;
}

export class RealtimeService {
  constructor(
    readonly hub: RealtimeHub,
    private readonly authenticatorPool: pg.Pool,
    private readonly auth: AuthService,
    private readonly limits: RealtimeLimits,
  ) {}

  async subscribe<T = object>(identity: Identity, topic: Topic, options: SubscriptionOptions<T> = {}): Promise<BoundedQueue<object, T>> {
    if (identity.kind !== "session") throw clientError("AUTHN", "Sign in to subscribe.");
    if (topic.kind === "activity" && topic.after !== null && !CURSOR.test(topic.after)) {
      throw clientError("BADIN", "`after` must be a cursor from an earlier activityFeed event.");
    }
    // Token expiry and revoked sessions end the transport (sockets.ts,
    // event-stream.ts), and with it this subscription.
    const queue = new BoundedQueue<object, T>(this.limits.queueLimit, (error) => {
      this.hub.remove(subscriber);
      options.onEnd?.();
      if (error instanceof SlowConsumerError) options.cutOff?.();
    }, options.shape);
    const subscriber: Subscriber = { userId: identity.userId, sessionId: identity.sessionId, topic, queue };
    const upTo = await this.hub.add(subscriber, this.limits.maxSubscriptionsPerUser);
    if (upTo === null) {
      throw clientError("SUBLM", `At most ${this.limits.maxSubscriptionsPerUser} live subscriptions at once: end one first.`);
    }
    if (topic.kind === "activity" && topic.after !== null) {
      try {
        queue.prepend(await this.replay(identity, topic.scope, topic.after, upTo));
      } catch (error) {
        queue.return();
        throw error;
      }
    }
    return queue;
  }

  /** The missed events, as the user (row-level security and the feed's rule apply), or one refetch signal. */
  private async replay(identity: Identity, scope: string, after: string, upTo: bigint): Promise<object[]> {
    if (BigInt(after) >= upTo) return [];
    const client = await this.authenticatorPool.connect();
    try {
      await client.query("begin");
      await client.query("select set_config(key, value, true) from json_each_text($1::json)", [
        JSON.stringify(this.auth.pgSettings(identity)),
      ]);
      this.hub.statements++;
      const { rows } = await client.query<{ seq: string; payload: unknown; refetch: boolean }>(
        "select seq::text, payload, refetch from app_hidden.realtime_activity_replay($1, $2, $3, $4)",
        [scope, after, upTo.toString(), this.limits.replayLimit],
      );
      await client.query("commit");
      if (rows.length > this.limits.replayLimit || rows.some((row) => row.refetch)) {
        return [{ cursor: upTo.toString(), refetch: true, event: null }];
      }
      return rows.map((row) => ({ cursor: row.seq, refetch: false, event: row.payload }));
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

// The per-request rate limits (GraphQL requests per user and per IP), counted
// in memory and shared through app_private.rate_limits in one statement per
// sync, however many requests and keys. rate-limiter-flexible, which keeps
// the rarer limits (sign-ins, websockets) exact, costs a committed upsert per
// point: it was two round trips and two WAL flushes before every GraphQL
// request, most of what a request cost beyond its own query.
//
// No request waits for the database. A gateway decides from the shared count
// it last learnt plus what it admitted since; a sync writes what it admitted
// and reads back the shared count of each key it wrote, and of each key past
// half its limit (so a quiet gateway learns what the others spent). Syncs run
// every RATE_LIMIT_SYNC_MS (250 ms) while there is something to write, and
// within SOON_MS of meeting a key new to the gateway in its window.
//
// The trade: the gateways together can admit more than a limit by what the
// others admitted before their next sync. With 600 a minute, a user on two
// gateways may get a handful more, never a multiple; one gateway alone is
// exact. Windows are fixed from a key's first point, in the table and row
// format of rate-limiter-flexible (key, points, expiry in ms since the epoch
// by the database's clock).
import type pg from "pg";
import type { Logger } from "pino";
import { RATE_MESSAGE, RateLimitedError } from "./rate-limits.js";

/** A key new to this gateway is shared this soon: one statement for every key met meanwhile. */
const SOON_MS = 5;

interface Count {
  /** Points admitted here and not yet written. */
  pending: number;
  /** Points being written by the sync in flight: counted until it returns. */
  sending: number;
  /** The key's points in the database at the last sync, this gateway's included. */
  shared: number;
  /** End of the window (ms since the epoch, the database's clock): 0 while none is known. */
  expire: number;
}

export interface CountedLimit {
  /** Key prefix in app_private.rate_limits: `<name>:<key>`. */
  name: string;
  points: number;
  durationMs: number;
}

export class RequestCounts {
  private readonly counts = new Map<string, Count>();
  private readonly limits = new Map<string, CountedLimit>();
  private timer?: NodeJS.Timeout;
  private due = Infinity;
  private syncing?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    limits: CountedLimit[],
    private readonly options: { syncMs: number; logger?: Logger; onRefused?: (limit: string) => void },
  ) {
    for (const limit of limits) this.limits.set(limit.name, limit);
  }

  /** Takes one point of `limit` for `key` (already digested), or throws RATEL. No I/O. */
  take(limit: string, key: string): void {
    const { points, durationMs } = this.limits.get(limit)!;
    const id = `${limit}:${key}`;
    const now = Date.now();
    let count = this.counts.get(id);
    if (!count) this.counts.set(id, (count = { pending: 0, sending: 0, shared: 0, expire: 0 }));
    if (count.expire && count.expire <= now) {
      // The window is over: what is pending belongs to the next one.
      count.shared = 0;
      count.expire = 0;
    }
    if (count.shared + count.sending + count.pending >= points) {
      this.options.onRefused?.(limit);
      const left = count.expire ? count.expire - now : durationMs;
      throw new RateLimitedError("RATEL", Math.max(1, Math.ceil(left / 1000)), RATE_MESSAGE);
    }
    count.pending++;
    this.schedule(count.expire || count.pending > 1 ? this.options.syncMs : SOON_MS);
  }

  /** A sync within `ms`, unless one is due sooner. */
  private schedule(ms: number): void {
    const at = Date.now() + ms;
    if (at >= this.due) return;
    clearTimeout(this.timer);
    this.due = at;
    this.timer = setTimeout(() => void this.sync(), ms).unref();
  }

  /** Writes what was admitted since the last sync and reads back the shared counts: one statement. */
  sync(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = Infinity;
    // One at a time (write() never throws): a sync asked for meanwhile runs after this one.
    return (this.syncing = (this.syncing ?? Promise.resolve()).then(() => this.write()));
  }

  /** Resolves once the syncs already started have returned (a test's way to wait for a timer's sync). */
  settled(): Promise<void> {
    return this.syncing ?? Promise.resolve();
  }

  private async write(): Promise<void> {
    const now = Date.now();
    const keys: string[] = [];
    const points: number[] = [];
    const durations: number[] = [];
    /** Keys near their limit with nothing pending here: read, so that what other gateways spent shows. */
    const near: string[] = [];
    for (const [id, count] of this.counts) {
      const limit = this.limitOf(id);
      if (count.pending > 0) {
        keys.push(id);
        points.push(count.pending);
        durations.push(limit.durationMs);
      } else if (count.expire <= now) {
        this.counts.delete(id);
      } else if (count.shared * 2 >= limit.points) {
        near.push(id);
      }
    }
    if (!keys.length && !near.length) return;
    for (const id of keys) {
      const count = this.counts.get(id)!;
      count.sending = count.pending;
      count.pending = 0;
    }
    try {
      const { rows } = await this.pool.query<{ key: string; points: number; expire: string }>(
        `with now as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as ms),
         written as (
           insert into app_private.rate_limits as r (key, points, expire)
           select t.key, t.points, now.ms + t.duration from now, unnest($1::text[], $2::int[], $3::bigint[]) as t(key, points, duration)
           on conflict (key) do update set
             points = case when r.expire <= (select ms from now) then excluded.points else r.points + excluded.points end,
             expire = case when r.expire <= (select ms from now) then excluded.expire else r.expire end
           returning key, points, expire)
         select key, points, expire from written
         union all
         select key, points, expire from app_private.rate_limits where key = any($4::text[]) and expire > (select ms from now)`,
        [keys, points, durations, near],
      );
      let nearLimit = false;
      for (const row of rows) {
        const count = this.counts.get(row.key);
        if (count) Object.assign(count, { shared: row.points, sending: 0, expire: Number(row.expire) });
        nearLimit ||= row.points * 2 >= this.limitOf(row.key).points;
      }
      // Keys near their limit are read again next interval, requests or not.
      if (nearLimit) this.schedule(this.options.syncMs);
    } catch (error) {
      for (const id of keys) {
        const count = this.counts.get(id);
        if (count) {
          count.pending += count.sending;
          count.sending = 0;
        }
      }
      this.options.logger?.warn({ err: error }, "rate-limit counts not shared; kept for the next sync");
      this.schedule(this.options.syncMs);
    }
  }

  private limitOf(id: string): CountedLimit {
    return this.limits.get(id.slice(0, id.indexOf(":")))!;
  }

  /** Writes what is pending (at shutdown). */
  async close(): Promise<void> {
    await this.sync();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

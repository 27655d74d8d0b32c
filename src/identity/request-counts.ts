// The per-request rate limits (GraphQL requests per user and per IP), counted
// in memory and shared through app_private.rate_limits in one statement per
// sync interval, however many requests and keys. rate-limiter-flexible, which
// keeps the rarer limits (sign-ins, websockets) exact, costs a committed
// upsert per point: two round trips and two WAL flushes before every GraphQL
// request, which was most of what a request cost beyond the query itself.
//
// The trade: a gateway reads a key's shared count when it first meets it in
// a window, then decides from the count it last read plus what it admitted
// since. The gateways together can admit more than the limit by
// what the others admitted in one interval (RATE_LIMIT_SYNC_MS, 250 ms):
// with a limit of 600 a minute, a user on two gateways can get a handful of
// requests more, never a multiple. A gateway never admits more than the
// limit by itself. A key past half its limit is read back every interval
// while it lasts, so a gateway learns what the others spent of it even when
// its own clients are quiet. Windows are fixed, from the first request of a key, like
// rate-limiter-flexible's, in the same table and row format (key, points,
// expiry in ms since the epoch, by the database's clock).
import type pg from "pg";
import type { Logger } from "pino";
import { RateLimitedError } from "./rate-limits.js";

const MESSAGE = "Too many requests; try again later.";

interface Count {
  /** Points admitted here and not yet written. */
  pending: number;
  /** The key's points in the database at the last sync, this gateway's included. */
  shared: number;
  /** End of the window (ms since the epoch, the database's clock): 0 while no window is known. */
  expire: number;
  /** While the key's shared count is being read. */
  loading?: Promise<void>;
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
  private syncing?: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    limits: CountedLimit[],
    private readonly options: { syncMs: number; logger?: Logger; onRefused?: (limit: string) => void },
  ) {
    for (const limit of limits) this.limits.set(limit.name, limit);
  }

  /**
   * Takes one point of `limit` for `key` (already digested), or throws RATEL.
   * A key this gateway has not seen in its window is read first (one small
   * SELECT, shared by the requests that wait for it); then no I/O.
   */
  take(limit: string, key: string): void | Promise<void> {
    const id = `${limit}:${key}`;
    const count = this.counts.get(id);
    if (count && !count.loading && (count.pending > 0 || count.expire > Date.now())) return this.admit(limit, count);
    if (count?.loading) return count.loading.then(() => this.admit(limit, count));
    const fresh: Count = count ?? { pending: 0, shared: 0, expire: 0 };
    this.counts.set(id, fresh);
    fresh.loading = this.read(id, fresh).finally(() => {
      fresh.loading = undefined;
    });
    return fresh.loading.then(() => this.admit(limit, fresh));
  }

  private admit(limit: string, count: Count): void {
    const { points, durationMs } = this.limits.get(limit)!;
    const now = Date.now();
    if (count.expire && count.expire <= now) {
      // The window is over: what is pending belongs to the next one.
      count.shared = 0;
      count.expire = 0;
    }
    if (count.shared + count.pending >= points) {
      this.options.onRefused?.(limit);
      const left = count.expire ? count.expire - now : durationMs;
      throw new RateLimitedError("RATEL", Math.max(1, Math.ceil(left / 1000)), MESSAGE);
    }
    count.pending++;
    this.timer ??= setTimeout(() => void this.sync(), this.options.syncMs).unref();
  }

  /** What every gateway has spent of a key in its current window. A failure leaves it unknown (counted from zero here). */
  private async read(id: string, count: Count): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ points: number; expire: string }>(
        `select points, expire from app_private.rate_limits
         where key = $1 and expire > (extract(epoch from clock_timestamp()) * 1000)::bigint`,
        [id],
      );
      count.shared = rows[0]?.points ?? 0;
      count.expire = rows[0] ? Number(rows[0].expire) : 0;
    } catch (error) {
      this.options.logger?.warn({ err: error }, "rate-limit count not read; counted from here");
    }
  }

  /**
   * Writes what was admitted since the last sync and reads back every
   * touched key's shared count: one statement. Failures are logged and the
   * points kept for the next sync (requests go on being counted locally).
   */
  sync(): Promise<void> {
    this.timer = undefined;
    this.syncing ??= this.write().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async write(): Promise<void> {
    const now = Date.now();
    const keys: string[] = [];
    const points: number[] = [];
    const durations: number[] = [];
    /** Keys near their limit with nothing pending here: read, so that what other gateways spent shows. */
    const near: string[] = [];
    for (const [id, count] of this.counts) {
      const limit = this.limits.get(id.slice(0, id.indexOf(":")))!;
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
    const sent = points.slice();
    for (const id of keys) this.counts.get(id)!.pending = 0;
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
      for (const row of rows) {
        const count = this.counts.get(row.key);
        if (count) Object.assign(count, { shared: row.points, expire: Number(row.expire) });
      }
      // Keys still near their limit are read again next interval, requests or not.
      if (near.length || rows.some((row) => row.points * 2 >= this.limits.get(row.key.slice(0, row.key.indexOf(":")))!.points)) {
        this.timer ??= setTimeout(() => void this.sync(), this.options.syncMs).unref();
      }
    } catch (error) {
      keys.forEach((id, i) => {
        const count = this.counts.get(id);
        if (count) count.pending += sent[i]!;
      });
      this.options.logger?.warn({ err: error }, "rate-limit counts not shared; kept for the next sync");
      this.timer ??= setTimeout(() => void this.sync(), this.options.syncMs).unref();
    }
  }

  /** Writes what is pending (at shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.sync();
  }
}

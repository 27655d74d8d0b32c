// A daily retention job: removes what is older than its period (the
// configured days, or `retentionDays` in the payload), then reports what it
// removed in the log and in app_private.retention_runs (a task returns
// nothing to graphile-worker).
import type { PoolClient } from "pg";
import type { Task } from "graphile-worker";

export interface RetentionPayload {
  /** Overrides the configured retention, in days. */
  retentionDays?: number;
}

export type Removed = Record<string, number>;

export function retentionTask(name: string, defaultDays: number, remove: (client: PoolClient, days: number) => Promise<Removed>): Task {
  return async (payload, helpers) => {
    const requested = (payload as RetentionPayload | null)?.retentionDays;
    const days = Number.isInteger(requested) && requested! >= 0 ? requested! : defaultDays;
    const removed = await helpers.withPgClient(async (client) => {
      const counts = await remove(client, days);
      await client.query("select app_private.record_retention($1, $2)", [name, { ...counts, retention_days: days }]);
      return counts;
    });
    helpers.logger.info(`${name}: removed ${Object.entries(removed).map(([what, n]) => `${n} ${what}`).join(", ")} (older than ${days} days)`);
  };
}

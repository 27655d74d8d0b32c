// Deletes login sessions (and their refresh tokens), and email and reset
// tokens, that ended longer ago than the retention period. Runs nightly from the crontab; any SQL can also
// enqueue it: select graphile_worker.add_job('identity__prune_sessions', '{}');
import type { Task } from "graphile-worker";

export interface PruneSessionsPayload {
  /** Overrides the configured retention, in days. */
  retentionDays?: number;
}

export function pruneSessions(defaultRetentionDays: number): Task {
  return async (payload, helpers) => {
    const requested = (payload as PruneSessionsPayload | null)?.retentionDays;
    const days = Number.isInteger(requested) && requested! >= 0 ? requested! : defaultRetentionDays;
    const { rows } = await helpers.withPgClient(async (client) => {
      const result = await client.query<{ pruned: number }>("select app_private.prune_sessions($1::interval) as pruned", [
        `${days} days`,
      ]);
      await client.query("select app_private.record_retention('identity__prune_sessions', $1)", [{ sessions_and_tokens: result.rows[0]!.pruned }]);
      return result;
    });
    helpers.logger.info(`pruned ${rows[0]!.pruned} sessions and account tokens ended more than ${days} days ago`);
  };
}

// Daily retention: read in-app notifications older than
// NOTIFICATION_READ_RETENTION_DAYS (90, the seed's archive age), and the
// logs of deliveries that ended well longer ago than the configured period.
// Dead letters are kept until an admin retries or discards them.
import type { Task } from "graphile-worker";

export function pruneNotifications(readRetentionDays: number, logRetentionDays: number): Task {
  return async (_payload, helpers) => {
    const { rows } = await helpers.withPgClient(async (client) => {
      const result = await client.query<{ pruned: number }>("select app_private.prune_notifications($1::interval, $2::interval) as pruned", [
        `${readRetentionDays} days`,
        `${logRetentionDays} days`,
      ]);
      await client.query("select app_private.record_retention('notifications__prune', $1)", [{ notifications_and_logs: result.rows[0]!.pruned }]);
      return result;
    });
    helpers.logger.info(`pruned ${rows[0]!.pruned} notifications and delivery logs`);
  };
}

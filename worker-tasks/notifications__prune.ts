// Daily retention: read in-app notifications older than 90 days, and the
// logs of deliveries that ended well longer ago than the configured period.
// Dead letters are kept until an admin retries or discards them.
import type { Task } from "graphile-worker";

const READ_RETENTION = "90 days";

export function pruneNotifications(logRetentionDays: number): Task {
  return async (_payload, helpers) => {
    const { rows } = await helpers.withPgClient((client) =>
      client.query<{ pruned: number }>("select app_private.prune_notifications($1::interval, $2::interval) as pruned", [
        READ_RETENTION,
        `${logRetentionDays} days`,
      ]),
    );
    helpers.logger.info(`pruned ${rows[0]!.pruned} notifications and delivery logs`);
  };
}

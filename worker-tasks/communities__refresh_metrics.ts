// Nightly (crontab), or when an admin asks (refreshCommunityMetrics queues it
// under one job key): refreshes community_metrics_daily concurrently, so
// members reading their metrics are never blocked, and the members' streak
// snapshots.
import type { Task } from "graphile-worker";

export const refreshCommunityMetrics: Task = async (_payload, helpers) => {
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ days: number }>("select app_private.refresh_community_metrics() as days"),
  );
  helpers.logger.info(`community metrics refreshed: ${rows[0]!.days} community-days`);
};

// Recomputes just the rollups that score writes made stale. The statement
// triggers on app_public.scores fill app_private.rollup_queue and enqueue
// this job under one job_key, so a burst of writes is one run.
import type { Task } from "graphile-worker";

export const refreshRollups: Task = async (_payload, helpers) => {
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ rows: number }>("select app_private.refresh_queued_rollups() as rows"),
  );
  helpers.logger.debug(`refreshed ${rows[0]!.rows} rollups`);
};

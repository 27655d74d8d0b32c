// Daily: the realtime log is a window for resuming live feeds, not an
// archive (the events stay in their tables). A subscriber resuming from
// before the window is told to refetch.
import type { Task } from "graphile-worker";

const KEEP = "7 days";

export const pruneRealtimeLog: Task = async (_payload, helpers) => {
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ pruned: number }>("select app_private.realtime_prune($1::interval) as pruned", [KEEP]),
  );
  helpers.logger.info(`pruned ${rows[0]!.pruned} realtime log rows`);
};

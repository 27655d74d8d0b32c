// Writes every user's profile numbers for a day into profile_stats_daily
// (yesterday by default: the crontab runs it after midnight UTC). Running it
// again for the same day replaces that day's rows.
import type { Task } from "graphile-worker";

export const snapshotProfiles: Task = async (payload, helpers) => {
  const requested = (payload as { date?: string } | null)?.date;
  const date = typeof requested === "string" && /^\d{4}-\d{2}-\d{2}$/.test(requested) ? requested : null;
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ written: number }>(
      "select app_private.snapshot_profile_stats(coalesce($1::date, current_date - 1)) as written", [date],
    ),
  );
  helpers.logger.info(`profile stats written for ${rows[0]!.written} users`);
};

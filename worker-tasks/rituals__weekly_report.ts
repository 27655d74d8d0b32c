// A user's Sunday 18:00 (local) report of the week's rituals; keyed per
// user, rescheduled for the next local Sunday when it runs.
import type { Task } from "graphile-worker";

export const reportWeek: Task = async (payload, helpers) => {
  const { user_id: userId } = payload as { user_id: string };
  await helpers.withPgClient((client) => client.query("select app_private.fire_weekly_report($1)", [userId]));
};

// A user's 09:00 (local) check of goals due within three days or overdue;
// keyed per user, rescheduled for the next local 09:00 when it runs.
import type { Task } from "graphile-worker";

export const checkGoals: Task = async (payload, helpers) => {
  const { user_id: userId } = payload as { user_id: string };
  await helpers.withPgClient((client) => client.query("select app_private.fire_goal_check($1)", [userId]));
};

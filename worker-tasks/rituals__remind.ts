// A ritual's reminder at its local reminder time. Scheduled by the database
// (app_private.schedule_ritual_reminder) with job_key per ritual; firing
// schedules the next occurrence, so the chain follows DST and time zones.
import type { Task } from "graphile-worker";

export const remindRitual: Task = async (payload, helpers) => {
  const { ritual_id: ritualId } = payload as { ritual_id: string };
  await helpers.withPgClient((client) => client.query("select app_private.fire_ritual_reminder($1)", [ritualId]));
};

// From the crontab on the 28th: one reviews__generate job per user for the
// month (or quarter) about to end, due at 02:00 on the 1st in the user's time
// zone. The crontab passes the kind; the run time decides the period, so a
// backfilled run schedules its own month.
import type { Task } from "graphile-worker";

interface SchedulePayload {
  kind: "monthly" | "quarterly";
  _cron?: { ts: string };
}

export const scheduleReviews: Task = async (payload, helpers) => {
  const { kind, _cron } = payload as SchedulePayload;
  const onDate = (_cron?.ts ? new Date(_cron.ts) : new Date()).toISOString().slice(0, 10);
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ n: number }>("select app_private.enqueue_reviews($1::app_public.review_kind, $2::date) as n", [kind, onDate]),
  );
  helpers.logger.info(`scheduled ${rows[0]!.n} ${kind} reviews`);
};

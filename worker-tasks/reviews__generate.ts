// Writes one user's monthly or quarterly review (idempotent: a rerun
// replaces it). Enqueued per user by reviews__schedule and by the
// generateReview mutation, with a job_key per user, kind and period.
import type { Task } from "graphile-worker";

interface ReviewPayload {
  user_id: string;
  kind: "monthly" | "quarterly";
  period_start: string;
}

export const generateReview: Task = async (payload, helpers) => {
  const { user_id: userId, kind, period_start: periodStart } = payload as ReviewPayload;
  await helpers.withPgClient((client) =>
    client.query("select app_private.generate_review($1::uuid, $2::app_public.review_kind, $3::date)", [
      userId,
      kind,
      periodStart,
    ]),
  );
};

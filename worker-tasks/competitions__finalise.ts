// A finished competition's rewards, queued by app_private.advance_competition
// (job_key per competition). The SQL function locks the competition and
// awards only while finalised_at is unset, so a retry or a second run awards
// nothing more.
import type { Task } from "graphile-worker";

export const finaliseCompetition: Task = async (payload, helpers) => {
  const { competition_id: competitionId } = payload as { competition_id: string };
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ grants: number }>("select app_private.finalise_competition($1) as grants", [competitionId]),
  );
  helpers.logger.info(`competition ${competitionId}: ${rows[0]!.grants} rewards granted`);
};

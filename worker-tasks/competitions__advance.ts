// A competition's status at its start and at its end. Queued by the database
// (app_private.tg_competitions__jobs) with job_key per competition and phase
// and run_at at the time, re-keyed when the times move; the SQL function
// moves the status only as far as now() says, so an early or repeated run
// changes nothing.
import type { Task } from "graphile-worker";

export const advanceCompetition: Task = async (payload, helpers) => {
  const { competition_id: competitionId } = payload as { competition_id: string };
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ status: string | null }>("select app_private.advance_competition($1) as status", [competitionId]),
  );
  helpers.logger.debug(`competition ${competitionId} is ${rows[0]?.status ?? "gone"}`);
};

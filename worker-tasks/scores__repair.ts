// Nightly: compares day rollups with the raw scores and refreshes whatever
// disagrees (a lost job, a fix made in SQL), so rollups converge even if an
// incremental run was missed.
import type { Task } from "graphile-worker";

export const repairRollups: Task = async (_payload, helpers) => {
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ rows: number }>("select app_private.repair_rollups() as rows"),
  );
  helpers.logger.info(`repair rewrote ${rows[0]!.rows} rollups`);
};

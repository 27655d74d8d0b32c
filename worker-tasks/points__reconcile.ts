// Nightly: compares every cached point balance with the sum of its ledger;
// when any differ, every administrator gets a points.drift notification
// (once a day). It reports, it does not repair: the ledger is the truth.
import type { Task } from "graphile-worker";

export const reconcilePoints: Task = async (_payload, helpers) => {
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ drifted: number }>("select app_private.reconcile_points() as drifted"),
  );
  const drifted = rows[0]!.drifted;
  if (drifted > 0) helpers.logger.warn(`points: ${drifted} cached balances disagree with the ledger`);
  else helpers.logger.info("points: every cached balance matches the ledger");
};

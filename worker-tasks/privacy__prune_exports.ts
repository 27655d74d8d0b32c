// Daily: exports past their expiry lose their archive (the file row goes and
// the storage domain's trigger removes the object); the export row stays,
// marked expired, as the user's history of requests.
import type { Task } from "graphile-worker";

export const pruneExports: Task = async (_payload, helpers) => {
  const { rows } = await helpers.withPgClient(async (client) => {
    const result = await client.query<{ n: number }>("select app_private.prune_data_exports() as n");
    await client.query("select app_private.record_retention('privacy__prune_exports', $1)", [{ exports: result.rows[0]!.n }]);
    return result;
  });
  helpers.logger.info(`privacy__prune_exports: expired ${rows[0]!.n} exports and deleted their archives`);
};

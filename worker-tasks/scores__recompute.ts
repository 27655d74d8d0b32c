// A full recompute: of one user ({ user_id }) or of one of the four hash
// partitions of score_rollups ({ partition }). app_public.recompute_rollups
// (admins) enqueues one job per partition so the worker runs them side by side.
import type { Task } from "graphile-worker";

interface RecomputePayload {
  user_id?: string;
  partition?: number;
}

export const recomputeRollups: Task = async (payload, helpers) => {
  const { user_id: userId, partition } = (payload ?? {}) as RecomputePayload;
  const [sql, value] =
    typeof userId === "string"
      ? ["select app_private.recompute_rollups($1::uuid) as rows", userId]
      : Number.isInteger(partition) && partition! >= 0 && partition! < 4
        ? ["select app_private.recompute_rollup_partition($1::int) as rows", partition]
        : [null, null];
  if (!sql) throw new Error(`scores__recompute needs { user_id } or { partition: 0..3 }, got ${JSON.stringify(payload)}`);
  const { rows } = await helpers.withPgClient((client) => client.query<{ rows: number }>(sql, [value]));
  helpers.logger.info(`recomputed ${rows[0]!.rows} rollups (${userId ? `user ${userId}` : `partition ${partition}`})`);
};

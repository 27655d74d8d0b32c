// Daily: what no upload finished, and what nothing points at. Rows of
// uploads pending for a day are deleted (their trigger queues the objects'
// deletion; expired exports are privacy__prune_exports'); then every object of every bucket
// without a row, and any unfinished write a crash left, goes too. Objects
// younger than GRACE are left alone: they may belong to an upload in flight.
import type { Task } from "graphile-worker";
import type { Config } from "../src/config.js";
import { BUCKETS, openStorage, type StoredObject } from "../src/storage/index.js";

const PENDING_FOR = "1 day";
const GRACE_MS = 6 * 3600_000;
const BATCH = 500;

export function sweepStorage(config: Config): Task {
  const storage = openStorage(config);
  return async (_payload, helpers) => {
    const { rows } = await helpers.withPgClient((client) =>
      client.query<{ n: number }>("select app_private.storage_sweep($1::interval) as n", [PENDING_FOR]),
    );
    let orphans = 0;
    const cutoff = Date.now() - GRACE_MS;
    for (const bucket of BUCKETS) {
      let batch: StoredObject[] = [];
      const flush = async () => {
        const keys = batch.map((o) => o.key);
        batch = [];
        const known = await helpers.withPgClient((client) =>
          client.query<{ key: string }>("select key from app_public.files where key = any($1::text[])", [keys]),
        );
        const kept = new Set(known.rows.map((r) => r.key));
        for (const key of keys) {
          if (kept.has(key)) continue;
          await storage.delete(bucket, key);
          orphans++;
        }
      };
      for await (const object of storage.list(bucket)) {
        if (object.modifiedAt.getTime() > cutoff) continue;
        batch.push(object);
        if (batch.length >= BATCH) await flush();
      }
      if (batch.length) await flush();
    }
    helpers.logger.info(`storage sweep: ${rows[0]!.n} stale rows, ${orphans} orphaned objects`);
  };
}

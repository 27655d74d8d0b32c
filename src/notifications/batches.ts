// The deliveries a worker runs at the same time share their round trips:
// their claims are made, and their in-app rows written, by one statement per
// batch instead of one per delivery. A batch gathers the loads made before
// the event loop next polls for I/O (setImmediate), i.e. those of the jobs the
// worker started together and of the entries of one batch job (in-app
// deliveries raised together: up to 100, this loader's batch size).
import DataLoader from "dataloader";
import type { WithPgClient } from "graphile-worker";
import type { DeliveryClaim } from "./channels.js";

export interface InAppNotification {
  deliveryId: string;
  title: string;
  body: string;
}

export interface DeliveryBatches {
  claim: DataLoader<string, DeliveryClaim>;
  deliverInApp: DataLoader<InAppNotification, void>;
}

// One set per worker connection pool: graphile-worker hands every job of a
// runner the same withPgClient.
const batchesByPool = new WeakMap<WithPgClient, DeliveryBatches>();

export function deliveryBatches(withPgClient: WithPgClient): DeliveryBatches {
  let batches = batchesByPool.get(withPgClient);
  if (!batches) {
    batches = makeBatches(withPgClient);
    batchesByPool.set(withPgClient, batches);
  }
  return batches;
}

function makeBatches(withPgClient: WithPgClient): DeliveryBatches {
  // A claim is an action, not a lookup: never cached.
  const options = { cache: false, maxBatchSize: 100, batchScheduleFn: (run: () => void) => setImmediate(run) };
  return {
    claim: new DataLoader(
      (ids) =>
        eachAloneOnError(ids, async (some) => {
          const { rows } = await withPgClient((client) =>
            client.query<DeliveryClaim>({
              name: "notifications.claim_deliveries",
              text: "select * from app_private.claim_deliveries($1::uuid[])",
              values: [some],
            }),
          );
          const byId = new Map(rows.map((row) => [row.delivery_id, row]));
          return some.map((id) => byId.get(id) ?? new Error(`delivery ${id} was not claimed`));
        }),
      options,
    ),
    deliverInApp: new DataLoader(
      (items) =>
        eachAloneOnError(items, async (some) => {
          await withPgClient((client) =>
            client.query({
              name: "notifications.deliver_in_app",
              text: "select app_private.deliver_in_app($1::uuid[], $2::text[], $3::text[])",
              values: [some.map((n) => n.deliveryId), some.map((n) => n.title), some.map((n) => n.body)],
            }),
          );
          return some.map(() => undefined);
        }),
      options,
    ),
  };
}

// When a batch's statement fails, its items are tried one by one, so that one
// bad delivery fails (and is retried by its job) alone, not its neighbours.
async function eachAloneOnError<K, V>(keys: readonly K[], run: (keys: readonly K[]) => Promise<(V | Error)[]>) {
  try {
    return await run(keys);
  } catch (error) {
    if (keys.length === 1) return [error as Error];
    return Promise.all(keys.map((key) => run([key]).then(([value]) => value!, (alone: Error) => alone)));
  }
}

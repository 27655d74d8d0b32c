// Refills one item when its restock is due (one job per item, keyed
// marketplace__restock:<item id>, queued by the inventory's _600_restock
// trigger). Moving restock_at on queues the next one.
import type { Task } from "graphile-worker";

export const restockItem: Task = async (payload, helpers) => {
  const itemId = (payload as { item_id?: unknown } | null)?.item_id;
  if (typeof itemId !== "string") throw new Error("marketplace__restock: payload needs an item_id");
  const { rows } = await helpers.withPgClient((client) =>
    client.query<{ restocked: boolean }>("select app_private.restock_item($1) as restocked", [itemId]),
  );
  helpers.logger.info(`item ${itemId} ${rows[0]!.restocked ? "restocked" : "not due"}`);
};

// Deletes the object of a deleted file row (queued by the row's
// _500_delete_object trigger, in the same transaction as the delete).
import type { Task } from "graphile-worker";
import type { Config } from "../src/config.js";
import { BUCKETS, openStorage, type Bucket } from "../src/storage/index.js";

export function deleteStoredFile(config: Config): Task {
  const storage = openStorage(config);
  return async (payload) => {
    const { bucket, key } = payload as { bucket: Bucket; key: string };
    if (!BUCKETS.includes(bucket)) throw new Error(`unknown bucket ${bucket}`);
    await storage.delete(bucket, key);
  };
}

// What every storage backend does. A key is made by the database trigger
// (`<bucket>/<owner>/<file id>`); backends check its shape again, so no text
// from a client ever becomes a path.
import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";

export type Bucket = "attachments" | "avatars" | "exports";
export const BUCKETS: readonly Bucket[] = ["attachments", "avatars", "exports"];

export interface StoredObject {
  key: string;
  modifiedAt: Date;
}

export interface StorageBackend {
  /** Stores `body` under `key`, all or nothing: a body that errors leaves no object. */
  put(bucket: Bucket, key: string, body: Readable): Promise<{ size: number; sha256: string }>;
  /** The object's bytes; NotFoundError when there is none. */
  get(bucket: Bucket, key: string): Promise<Readable>;
  /** Removes the object; no error when it is already gone. */
  delete(bucket: Bucket, key: string): Promise<void>;
  /** Every object of a bucket, unfinished uploads included (the orphan sweep). */
  list(bucket: Bucket): AsyncIterable<StoredObject>;
}

export class NotFoundError extends Error {}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** Throws unless `key` is `<bucket>/` and plain path segments (no `..`, no absolute path). */
export function assertKey(bucket: Bucket, key: string): void {
  const [first, ...rest] = key.split("/");
  if (!BUCKETS.includes(bucket) || first !== bucket || rest.length === 0 || !rest.every((s) => SEGMENT.test(s) && s !== "..")) {
    throw new Error(`invalid storage key ${JSON.stringify(key)} for bucket ${bucket}`);
  }
}

/** A pass-through that counts and hashes what flows through it. */
export function meter(): { stream: Transform; result(): { size: number; sha256: string } } {
  const hash = createHash("sha256");
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: hash.digest("hex") }) };
}

// Files on local disk: <root>/<key>. An upload is written to
// <root>/<bucket>/_tmp/ and renamed into place once complete, so a cut
// upload never appears under its key; the orphan sweep removes stale
// _tmp files a crash left behind.
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertKey, meter, NotFoundError, type Bucket, type StorageBackend, type StoredObject } from "./backend.js";

export class DiskBackend implements StorageBackend {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(bucket: Bucket, key: string): string {
    assertKey(bucket, key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(bucket: Bucket, key: string, body: Readable) {
    const target = this.pathOf(bucket, key);
    const tmp = path.join(this.root, bucket, "_tmp", randomUUID());
    await mkdir(path.dirname(tmp), { recursive: true });
    const counted = meter();
    try {
      await pipeline(body, counted.stream, createWriteStream(tmp, { flags: "wx" }));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return counted.result();
  }

  async get(bucket: Bucket, key: string): Promise<Readable> {
    try {
      const handle = await open(this.pathOf(bucket, key), "r");
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError(key);
      throw error;
    }
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    await rm(this.pathOf(bucket, key), { force: true });
  }

  async *list(bucket: Bucket): AsyncIterable<StoredObject> {
    const base = path.join(this.root, bucket);
    let entries;
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      const info = await stat(full).catch(() => null);
      if (info) yield { key: path.relative(this.root, full).split(path.sep).join("/"), modifiedAt: info.mtime };
    }
  }
}

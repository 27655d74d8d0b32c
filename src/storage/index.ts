// The storage domain's entry point (docs/storage.md).
//
//   openStorage(config): StorageBackend
//     the configured backend (STORAGE_BACKEND: disk under STORAGE_DIR, or s3);
//     put/get/delete/list by (bucket, key), key = files.key.
//   signedDownloadUrl(config, baseUrl, fileId, expiresInSeconds): string
//     `${baseUrl}/storage/files/<id>?exp=…&sig=…`, served by the gateway
//     (src/storage/http.ts) while the row exists and is ready. baseUrl is the
//     gateway's public address (config.STORAGE_PUBLIC_URL ?? config.APP_URL
//     outside a request).
//   signedUploadUrl(...) and avatarUrl(...) likewise.
//
// A file row is made in SQL: app_hidden.request_upload for clients; the
// owner role inserts directly (an export: put under
// `exports/<owner>/<new id>`, then insert the row with that id, size, sha256
// and status 'ready'). The _200_validate trigger checks the bucket's rules
// and sets key = `<bucket>/<owner>/<id>` either way.
import path from "node:path";
import type { Config } from "../config.js";
import type { StorageBackend } from "./backend.js";
import { DiskBackend } from "./disk.js";
import { S3Backend } from "./s3.js";
import { sign } from "./signing.js";

export type { Bucket, StorageBackend, StoredObject } from "./backend.js";
export { BUCKETS, NotFoundError } from "./backend.js";

export function openStorage(config: Config): StorageBackend {
  if (config.STORAGE_BACKEND === "s3") return new S3Backend(config.STORAGE_S3_BUCKET!, config);
  return new DiskBackend(config.STORAGE_DIR ?? path.join(config.LIFEGRAPH_DATA_DIR, "storage"));
}

const trim = (baseUrl: string) => baseUrl.replace(/\/+$/, "");

/** A URL that downloads the file until it expires (GET only). */
export function signedDownloadUrl(config: Config, baseUrl: string, fileId: string, expiresInSeconds: number, now = Date.now()): string {
  const { exp, sig } = sign(config, "GET", fileId, expiresInSeconds, now);
  return `${trim(baseUrl)}/storage/files/${fileId}?exp=${exp}&sig=${sig}`;
}

/** A URL the file's bytes are PUT to, once, until it expires. */
export function signedUploadUrl(config: Config, baseUrl: string, fileId: string, expiresInSeconds: number, now = Date.now()): { url: string; expiresAt: Date } {
  const { exp, sig } = sign(config, "PUT", fileId, expiresInSeconds, now);
  return { url: `${trim(baseUrl)}/storage/upload/${fileId}?exp=${exp}&sig=${sig}`, expiresAt: new Date(exp * 1000) };
}

/** The stable public URL of an avatar: it never changes, as a new avatar is a new file. */
export function avatarUrl(baseUrl: string, fileId: string): string {
  return `${trim(baseUrl)}/storage/avatars/${fileId}`;
}

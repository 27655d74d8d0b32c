// The storage endpoints: streaming uploads to a signed URL, signed
// downloads, and public avatars. The bytes stream from the socket to the
// backend and back: nothing holds a whole file in memory.
//
//   PUT /storage/upload/:id?exp&sig   the bytes of a pending file (requestUpload)
//   GET /storage/files/:id?exp&sig    a ready file (fileUrl)
//   GET /storage/avatars/:id          a ready avatar, to anyone, cacheable for ever
import type { IncomingMessage } from "node:http";
import { pipeline } from "node:stream/promises";
import { Router, type Request, type Response } from "express";
import type pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { ErrorCode } from "../identity/errors.js";
import { NotFoundError, type Bucket, type StorageBackend } from "./backend.js";
import { avatarUrl } from "./index.js";
import { inspectUpload, UploadRefused } from "./inspect.js";
import { verify } from "./signing.js";
import { sendError } from "../http/door.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const YEAR_SECONDS = 31_536_000;
/** An upload claimed this long ago and not finished is taken to have died with its gateway. */
const CLAIM_TIMEOUT = "1 hour";

interface FileRow {
  id: string;
  owner_id: string;
  bucket: Bucket;
  key: string;
  size: string;
  content_type: string;
  sha256: string | null;
}

export interface StorageDeps {
  config: Config;
  /** Owner connection: the endpoints check signatures, not sessions. */
  pool: pg.Pool;
  storage: StorageBackend;
  logger: Logger;
}

/** Where the client reaches /storage: STORAGE_PUBLIC_URL, else the address this request came to. */
export function publicBaseUrl(config: Config, req: IncomingMessage | undefined): string {
  if (config.STORAGE_PUBLIC_URL) return config.STORAGE_PUBLIC_URL;
  const host = req?.headers.host;
  if (!host) return config.APP_URL;
  return `${req?.protocol ?? "http"}://${host}`;
}

function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  if (res.headersSent) return;
  sendError(res, status, code, message);
}

export function storageRoutes({ config, pool, storage, logger }: StorageDeps): Router {
  const router = Router();

  router.put("/storage/upload/:id", async (req, res) => {
    const { id } = req.params;
    if (!UUID.test(id) || !verify(config, "PUT", id, req.query.exp, req.query.sig)) {
      return refuse(res, 403, "FSIGN", "The upload URL is invalid or has expired: ask for a new one (requestUpload).");
    }
    // One upload of a file at a time, across gateways: claim the row.
    const { rows } = await pool.query<FileRow>(
      `update app_public.files set upload_started_at = now()
       where id = $1 and status = 'pending' and (upload_started_at is null or upload_started_at < now() - $2::interval)
       returning id, owner_id, bucket, key, size, content_type, sha256`,
      [id, CLAIM_TIMEOUT],
    );
    const file = rows[0];
    if (!file) {
      const exists = (await pool.query("select 1 from app_public.files where id = $1", [id])).rowCount;
      return exists
        ? refuse(res, 409, "FDONE", "This file is uploaded already, or its upload is under way.")
        : refuse(res, 404, "NOFND", "No such file.");
    }
    const release = () => pool.query("update app_public.files set upload_started_at = null where id = $1 and status = 'pending'", [id]);
    const size = Number(file.size);
    const declared = Number(req.headers["content-length"] ?? size);
    if (declared > size) {
      await release();
      res.set("Connection", "close");
      return refuse(res, 413, "FSIZE", `Content-Length ${declared} is over the ${size} bytes declared.`);
    }

    const inspect = inspectUpload({ size, contentType: file.content_type });
    // A cut connection ends the request without finishing it: fail the write.
    req.on("close", () => {
      if (!req.complete) inspect.destroy(new Error("the upload was cut off"));
    });
    // Its errors reach us through put()'s rejection; this listener keeps the
    // pipe from req re-emitting them as unhandled once put() has let go.
    inspect.on("error", () => {});
    req.pipe(inspect);
    let stored: { size: number; sha256: string };
    try {
      stored = await storage.put(file.bucket, file.key, inspect);
    } catch (error) {
      req.unpipe(inspect);
      await release();
      if (error instanceof UploadRefused) {
        // The rest of the body is not read: the connection ends with the answer.
        res.set("Connection", "close");
        return refuse(res, error.status, error.code, error.message);
      }
      if (!req.complete) {
        logger.info({ fileId: id }, "upload cut off; nothing stored");
        return;
      }
      throw error;
    }
    const done = await pool.query(
      `update app_public.files set status = 'ready', sha256 = $2, uploaded_at = now(), upload_started_at = null
       where id = $1 and status = 'pending' returning id`,
      [id, stored.sha256],
    );
    if (!done.rowCount) {
      // Deleted while it uploaded: its deletion job found nothing to delete.
      await storage.delete(file.bucket, file.key);
      return refuse(res, 404, "NOFND", "The file was deleted during its upload.");
    }
    let url: string | undefined;
    if (file.bucket === "avatars") {
      url = avatarUrl(publicBaseUrl(config, req), id);
      await pool.query("update app_public.users set avatar_url = $2 where id = $1", [file.owner_id, url]);
    }
    res.status(201).json({ id, size: stored.size, sha256: stored.sha256, contentType: file.content_type, ...(url ? { url } : {}) });
  });

  async function send(req: Request, res: Response, file: FileRow, headers: Record<string, string>): Promise<void> {
    let body;
    try {
      body = await storage.get(file.bucket, file.key);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      logger.error({ fileId: file.id, key: file.key }, "a ready file has no object");
      return refuse(res, 404, "NOFND", "No such file.");
    }
    res.set({ "Content-Type": file.content_type, "Content-Length": file.size, ETag: `"${file.sha256}"`, ...headers });
    if (req.fresh) {
      body.destroy();
      res.status(304).end();
      return;
    }
    await pipeline(body, res).catch((error: unknown) => logger.info({ err: error, fileId: file.id }, "download ended early"));
  }

  const readyFile = async (id: string, bucket?: Bucket) =>
    (
      await pool.query<FileRow>(
        `select id, owner_id, bucket, key, size, content_type, sha256 from app_public.files
         where id = $1 and status = 'ready' and ($2::app_public.file_bucket is null or bucket = $2)`,
        [id, bucket ?? null],
      )
    ).rows[0];

  router.get("/storage/files/:id", async (req, res) => {
    const { id } = req.params;
    if (!UUID.test(id) || !verify(config, "GET", id, req.query.exp, req.query.sig)) {
      return refuse(res, 403, "FSIGN", "The download URL is invalid or has expired: ask for a new one (fileUrl).");
    }
    const file = await readyFile(id);
    if (!file) return refuse(res, 404, "NOFND", "No such file.");
    await send(req, res, file, {
      "Cache-Control": "private, no-store",
      "Content-Disposition": `attachment; filename="${id}"`,
    });
  });

  router.get("/storage/avatars/:id", async (req, res) => {
    const { id } = req.params;
    const file = UUID.test(id) ? await readyFile(id, "avatars") : undefined;
    if (!file) return refuse(res, 404, "NOFND", "No such avatar.");
    // A new avatar is a new file: this URL's bytes never change.
    await send(req, res, file, {
      "Cache-Control": `public, max-age=${YEAR_SECONDS}, immutable`,
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Content-Disposition": "inline",
    });
  });

  return router;
}

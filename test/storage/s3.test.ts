// The S3 backend behind the same gateway, against s3rver (a real local S3
// server): uploads land as objects under the same keys, downloads stream
// back, refused and cut uploads leave no object, and deletion reaches S3.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import S3rver from "s3rver";
import { signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { openStorage, type StorageBackend } from "../../src/storage/index.js";
import { fileUrl, pdf, png, put, requested, uploaded } from "./helpers.js";

let s3: S3rver;
let s3Dir: string;
let gw: TestGateway;
let storage: StorageBackend;
let a: Account;

beforeAll(async () => {
  s3Dir = await mkdtemp(path.join(tmpdir(), "lifegraph-s3rver-"));
  s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3Dir, configureBuckets: [{ name: "lifegraph-test", configs: [] }] });
  const { port } = (await s3.run()) as AddressInfo;
  gw = await startTestGateway({
    STORAGE_BACKEND: "s3",
    STORAGE_S3_BUCKET: "lifegraph-test",
    STORAGE_S3_ENDPOINT: `http://127.0.0.1:${port}`,
    STORAGE_S3_ACCESS_KEY_ID: "S3RVER",
    STORAGE_S3_SECRET_ACCESS_KEY: "S3RVER",
    STORAGE_S3_FORCE_PATH_STYLE: "true",
  });
  storage = openStorage(gw.db.config);
  a = await signUp(gw.url, "files_s3");
});
afterAll(async () => {
  await gw?.close();
  await s3?.close();
  await rm(s3Dir, { recursive: true, force: true });
});

async function keys(): Promise<string[]> {
  const all: string[] = [];
  for (const bucket of ["attachments", "avatars", "exports"] as const) for await (const o of storage.list(bucket)) all.push(o.key);
  return all.sort();
}
const row = async (id: string) => (await gw.db.root.query("select * from app_public.files where id = $1", [id])).rows[0];

describe("S3 backend", () => {
  it("stores an upload (multipart, over 5 MB) under its key and serves it back through a signed URL", async () => {
    const body = png(6 * 1024 * 1024);
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png" }, body);
    const stored = await row(fileId);
    expect(stored.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect(await keys()).toContain(stored.key);
    const { url } = (await fileUrl(gw.url, a, fileId)).data.fileUrl as { url: string };
    const got = await fetch(url);
    expect(got.status).toBe(200);
    expect(createHash("sha256").update(Buffer.from(await got.arrayBuffer())).digest("hex")).toBe(stored.sha256);
  });

  it("a faked type leaves no object", async () => {
    const before = await keys();
    const body = pdf(5000);
    const { uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    expect((await put(uploadUrl, body)).status).toBe(415);
    expect(await keys()).toEqual(before);
  });

  it("an upload cut mid-stream, past the first 5 MB part, leaves no object (the multipart upload is aborted)", async () => {
    const before = await keys();
    const body = png(8 * 1024 * 1024);
    const { fileId, uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    await new Promise<void>((resolve) => {
      const req = request(uploadUrl, { method: "PUT", headers: { "content-length": body.length } });
      req.on("error", () => resolve());
      req.on("close", () => resolve());
      req.write(body.subarray(0, 6 * 1024 * 1024), () => setTimeout(() => req.destroy(), 300));
    });
    for (let i = 0; i < 100 && (await row(fileId)).upload_started_at; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await row(fileId)).toMatchObject({ status: "pending", upload_started_at: null });
    expect(await keys()).toEqual(before);
  });

  it("deleting the row deletes the object once the job runs", async () => {
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png" }, png(1000));
    const key = (await row(fileId)).key;
    expect(await keys()).toContain(key);
    await gw.db.root.query("delete from app_public.files where id = $1", [fileId]);
    await runQueuedJobs(gw.db);
    expect(await keys()).not.toContain(key);
  });
});

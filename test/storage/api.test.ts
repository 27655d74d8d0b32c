// Files over the real gateway and real HTTP: requestUpload, the streaming
// upload with its checks, signed downloads, avatars, attachments that follow
// their message's readers, and deletion.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend } from "../helpers/peers.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { signedDownloadUrl, signedUploadUrl } from "../../src/storage/index.js";
import { filesIn, fileUrl, pdf, png, put, requested, requestUpload, tempStorageDir, uploaded } from "./helpers.js";

let storage: Awaited<ReturnType<typeof tempStorageDir>>;
let gw: TestGateway;
let a: Account;
let b: Account; // A's friend
let c: Account; // an outsider

beforeAll(async () => {
  storage = await tempStorageDir();
  gw = await startTestGateway({ STORAGE_DIR: storage.dir });
  [a, b, c] = [await signUp(gw.url, "files_a"), await signUp(gw.url, "files_b"), await signUp(gw.url, "files_c")];
  await befriend(gw.db, a.id, b.id);
});
afterAll(async () => {
  await gw?.close();
  await storage?.remove();
});

const row = async (id: string) => (await gw.db.root.query("select * from app_public.files where id = $1", [id])).rows[0];
const onDisk = (key: string) => existsSync(path.join(storage.dir, key));
const download = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
};

describe("upload", () => {
  it("streams the bytes to disk under the server's key; the row becomes ready with their SHA-256", async () => {
    const body = png(10_000);
    const { fileId, uploadUrl, uploadUrlExpiresAt } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    expect(uploadUrl).toMatch(new RegExp(`^${gw.url}/storage/upload/${fileId}\\?exp=\\d+&sig=`));
    expect(new Date(uploadUrlExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await row(fileId)).status).toBe("pending");
    const response = await put(uploadUrl, body);
    expect(response.status).toBe(201);
    const sha256 = createHash("sha256").update(body).digest("hex");
    expect(await response.json()).toEqual({ id: fileId, size: body.length, sha256, contentType: "image/png" });
    const stored = await row(fileId);
    expect(stored).toMatchObject({ status: "ready", sha256, key: `attachments/${a.id}/${fileId}`, upload_started_at: null });
    expect(onDisk(stored.key)).toBe(true);
  });

  it("refuses an upload URL past its expiry, or signed for another file (403 FSIGN)", async () => {
    const body = png();
    const { fileId } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    const expired = signedUploadUrl(gw.db.config, gw.url, fileId, 60, Date.now() - 120_000).url;
    const response = await put(expired, body);
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("FSIGN");
    const other = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    expect((await put(other.uploadUrl.replace(other.fileId, fileId), body)).status).toBe(403);
    expect((await row(fileId)).status).toBe("pending");
  });

  it("takes the bytes once: a second PUT is refused (409 FDONE)", async () => {
    const body = png();
    const { uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    expect((await put(uploadUrl, body)).status).toBe(201);
    const again = await put(uploadUrl, body);
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).errors[0].extensions.code).toBe("FDONE");
  });

  it("refuses bytes that are not the declared type (415 FTYPE): row still pending, nothing on disk", async () => {
    const body = pdf(2000);
    const { fileId, uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    const before = await filesIn(storage.dir);
    const response = await fetch(uploadUrl, { method: "PUT", body, headers: { "content-type": "image/png" } });
    expect(response.status).toBe(415);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("FTYPE");
    expect((await row(fileId)).status).toBe("pending");
    expect(await filesIn(storage.dir)).toEqual(before);
  });

  it("refuses text calling itself a PNG, even shorter than the type sample", async () => {
    const body = Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    const { uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    expect((await put(uploadUrl, body)).status).toBe(415);
  });

  it("refuses a type or size the bucket does not take before any byte is sent (FTYPE, FSIZE)", async () => {
    expect(errorCodes(await requestUpload(gw.url, a, { bucket: "avatars", contentType: "application/pdf", size: 10 }))).toEqual(["FTYPE"]);
    expect(errorCodes(await requestUpload(gw.url, a, { bucket: "attachments", contentType: "image/png", size: 50 * 1024 * 1024 + 1 }))).toEqual(["FSIZE"]);
    expect(errorCodes(await requestUpload(gw.url, a, { bucket: "exports", contentType: "application/zip", size: 10 }))).toEqual(["DNIED"]);
    expect(errorCodes(await requestUpload(gw.url, a, { bucket: "attachments", contentType: "image/png", size: 10, journalEntryId: "00000000-0000-0000-0000-000000000000" }))).toEqual(["NOFND"]);
  });

  it("refuses a body longer than declared: by its Content-Length (413 FSIZE) or, chunked, as soon as it passes the size", async () => {
    const declared = png(1000);
    const { fileId, uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: declared.length });
    const before = await filesIn(storage.dir);
    const tooLong = await put(uploadUrl, png(2000));
    expect(tooLong.status).toBe(413);
    expect(((await tooLong.json()) as any).errors[0].extensions.code).toBe("FSIZE");
    // Chunked: no Content-Length to judge by, the stream is cut past 1000 bytes.
    const chunks = [png(800), Buffer.alloc(800)];
    const stream = new ReadableStream({ pull(controller) { const next = chunks.shift(); if (next) controller.enqueue(next); else controller.close(); } });
    const status = await fetch(uploadUrl, { method: "PUT", body: stream, duplex: "half" } as RequestInit).then((r) => r.status, () => "cut");
    expect([413, "cut"]).toContain(status);
    expect((await row(fileId)).status).toBe("pending");
    expect(await filesIn(storage.dir)).toEqual(before);
    // The refusals released the upload: the right bytes still go through.
    expect((await put(uploadUrl, declared)).status).toBe(201);
  });

  it("refuses a body shorter than declared (400 FSIZE)", async () => {
    const { fileId, uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: 5000 });
    const response = await put(uploadUrl, png(4000));
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("FSIZE");
    expect((await row(fileId)).status).toBe("pending");
  });

  it("an upload cut mid-stream leaves nothing: no object, no temporary file, the row pending and free to retry", async () => {
    const body = png(200_000);
    const { fileId, uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: body.length });
    const before = await filesIn(storage.dir);
    await new Promise<void>((resolve) => {
      const req = request(uploadUrl, { method: "PUT", headers: { "content-length": body.length } });
      req.on("error", () => resolve());
      req.write(body.subarray(0, 100_000), () => setTimeout(() => req.destroy(), 100));
      req.on("close", () => resolve());
    });
    // The gateway notices the cut and cleans up asynchronously.
    for (let i = 0; i < 50 && (await row(fileId)).upload_started_at; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await row(fileId)).toMatchObject({ status: "pending", upload_started_at: null, sha256: null });
    expect(await filesIn(storage.dir)).toEqual(before);
    expect((await put(uploadUrl, body)).status).toBe(201);
  });
});

describe("signed downloads", () => {
  let fileId: string;
  const body = pdf(3000);
  beforeAll(async () => {
    fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "application/pdf" }, body);
  });

  it("the owner gets a URL that serves the bytes, privately", async () => {
    const response = await fileUrl(gw.url, a, fileId, 60);
    const { url, expiresAt } = response.data.fileUrl;
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(61_000);
    const got = await download(url);
    expect(got.status).toBe(200);
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(got.headers.get("cache-control")).toBe("private, no-store");
    expect(got.headers.get("content-disposition")).toMatch(/^attachment/);
  });

  it("without a signature, with a forged one, or a stretched expiry: 403 FSIGN", async () => {
    const { url } = (await fileUrl(gw.url, a, fileId)).data.fileUrl as { url: string };
    const bare = url.split("?")[0]!;
    const parsed = new URL(url);
    const exp = Number(parsed.searchParams.get("exp"));
    const sig = parsed.searchParams.get("sig")!;
    for (const bad of [bare, `${bare}?exp=${exp}&sig=${sig.slice(0, -2)}AA`, `${bare}?exp=${exp + 3600}&sig=${sig}`, `${bare}?exp=${exp}`]) {
      const got = await download(bad);
      expect(got.status).toBe(403);
      expect(JSON.parse(got.body.toString()).errors[0].extensions.code).toBe("FSIGN");
    }
  });

  it("after its expiry: 403", async () => {
    const expired = signedDownloadUrl(gw.db.config, gw.url, fileId, 60, Date.now() - 120_000);
    expect((await download(expired)).status).toBe(403);
    const valid = signedDownloadUrl(gw.db.config, gw.url, fileId, 60);
    expect((await download(valid)).status).toBe(200);
  });

  it("a signature binds its file and method: B's URL for B's file opens no other file, and an upload URL downloads nothing", async () => {
    const bFile = await uploaded(gw.url, b, { bucket: "attachments", contentType: "image/png" }, png());
    const { url } = (await fileUrl(gw.url, b, bFile)).data.fileUrl as { url: string };
    expect((await download(url)).status).toBe(200);
    expect((await download(url.replace(bFile, fileId))).status).toBe(403);
    const { uploadUrl } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: 68 });
    expect((await download(uploadUrl.replace("/upload/", "/files/"))).status).toBe(403);
  });

  it("B and C cannot get a URL for A's private file (NOFND), nor see its row; anonymous is refused (DNIED)", async () => {
    for (const other of [b, c]) {
      expect(errorCodes(await fileUrl(gw.url, other, fileId))).toEqual(["NOFND"]);
      const list = await graphql(gw.url, "{ files { nodes { rowId } } }", {}, other.token);
      expect(list.data.files.nodes.map((n: { rowId: string }) => n.rowId)).not.toContain(fileId);
    }
    // Anonymous may not read the files table at all.
    expect(errorCodes(await graphql(gw.url, `{ fileUrl(id: "${fileId}") { url } }`))).toEqual(["DNIED"]);
  });

  it("through GraphQL, B never reaches A's file: not listed, not looked up, not deleted, no URL; A does all four", async () => {
    const look = (as: Account) =>
      graphql(gw.url, `query ($id: UUID!) { file(rowId: $id) { rowId owner { username } } files(condition: { ownerId: "${a.id}" }) { totalCount } }`, { id: fileId }, as.token);
    const asB = await look(b);
    expect(asB.data).toEqual({ file: null, files: { totalCount: 0 } });
    const asA = await look(a);
    expect(asA.data.file).toEqual({ rowId: fileId, owner: { username: "files_a" } });
    expect(asA.data.files.totalCount).toBeGreaterThan(0);
    const del = (as: Account) => graphql(gw.url, `mutation ($id: UUID!) { deleteFile(input: { rowId: $id }) { file { rowId } } }`, { id: fileId }, as.token);
    expect(errorCodes(await del(b))).toEqual(["NOFND"]);
    expect((await row(fileId)).status).toBe("ready");
    expect(errorCodes(await fileUrl(gw.url, b, fileId))).toEqual(["NOFND"]);
    expect((await fileUrl(gw.url, a, fileId)).data.fileUrl.url).toContain(fileId);
  });

  it("a pending file has no download URL (NOFND)", async () => {
    const { fileId: pending } = await requested(gw.url, a, { bucket: "attachments", contentType: "image/png", size: 68 });
    expect(errorCodes(await fileUrl(gw.url, a, pending))).toEqual(["NOFND"]);
  });
});

describe("attachments", () => {
  it("a message's attachment is readable by its recipient, and by nobody else", async () => {
    const sent = await graphql(gw.url, `mutation ($to: UUID!) { sendMessage(input: { recipientId: $to, bodyMd: "look" }) { result { rowId } } }`, { to: b.id }, a.token);
    const messageId = sent.data.sendMessage.result.rowId as string;
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png", messageId }, png(500));
    const asB = await fileUrl(gw.url, b, fileId);
    expect((await download(asB.data.fileUrl.url)).status).toBe(200);
    expect(errorCodes(await fileUrl(gw.url, c, fileId))).toEqual(["NOFND"]);
    // B may read it, not delete it.
    const deleted = await graphql(gw.url, `mutation ($id: UUID!) { deleteFile(input: { rowId: $id }) { clientMutationId } }`, { id: fileId }, b.token);
    expect(errorCodes(deleted)).toEqual(["NOFND"]);
    expect(await row(fileId)).toBeDefined();
  });

  it("deleting a message for everyone deletes its attachments (row at once, object by the job)", async () => {
    const sent = await graphql(gw.url, `mutation ($to: UUID!) { sendMessage(input: { recipientId: $to, bodyMd: "oops" }) { result { rowId } } }`, { to: b.id }, a.token);
    const messageId = sent.data.sendMessage.result.rowId as string;
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png", messageId }, png(400));
    const key = (await row(fileId)).key;
    const removed = await graphql(gw.url, `mutation ($id: UUID!) { deleteMessage(input: { messageId: $id, forEveryone: true }) { result } }`, { id: messageId }, a.token);
    expect(removed.errors).toBeUndefined();
    expect(await row(fileId)).toBeUndefined();
    expect(errorCodes(await fileUrl(gw.url, b, fileId))).toEqual(["NOFND"]);
    await runQueuedJobs(gw.db);
    expect(onDisk(key)).toBe(false);
  });

  it("a journal entry's attachment: its owner's only; deleting the entry deletes the file", async () => {
    const entry = await graphql(gw.url, `mutation { createJournalEntry(input: { journalEntry: { contentMd: "with a photo" } }) { journalEntry { rowId } } }`, {}, a.token);
    const journalEntryId = entry.data.createJournalEntry.journalEntry.rowId as string;
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png", journalEntryId }, png(300));
    expect(errorCodes(await fileUrl(gw.url, b, fileId))).toEqual(["NOFND"]);
    const key = (await row(fileId)).key;
    await graphql(gw.url, `mutation ($id: UUID!) { deleteJournalEntry(input: { rowId: $id }) { clientMutationId } }`, { id: journalEntryId }, a.token);
    expect(await row(fileId)).toBeUndefined();
    expect(onDisk(key)).toBe(true);
    await runQueuedJobs(gw.db);
    expect(onDisk(key)).toBe(false);
  });
});

describe("avatars", () => {
  it("are public at a stable, long-cached URL that becomes the profile's avatarUrl", async () => {
    const body = png(1200);
    const { uploadUrl } = await requested(gw.url, a, { bucket: "avatars", contentType: "image/png", size: body.length });
    const done = (await (await put(uploadUrl, body)).json()) as { id: string; url: string };
    expect(done.url).toBe(`${gw.url}/storage/avatars/${done.id}`);
    const me = await graphql(gw.url, "{ currentUser { avatarUrl } }", {}, a.token);
    expect(me.data.currentUser.avatarUrl).toBe(done.url);
    const got = await download(done.url); // no token, no signature
    expect(got.status).toBe(200);
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(got.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const etag = got.headers.get("etag")!;
    // fetch would add Cache-Control: no-cache to a conditional request; a browser revalidating sends max-age=0.
    expect((await fetch(done.url, { headers: { "if-none-match": etag, "cache-control": "max-age=0" } })).status).toBe(304);
  });

  it("a new avatar replaces the old: the old row and object go, its URL answers 404", async () => {
    const first = await uploaded(gw.url, c, { bucket: "avatars", contentType: "image/png" }, png(100));
    const firstKey = (await row(first)).key;
    const second = await uploaded(gw.url, c, { bucket: "avatars", contentType: "image/png" }, png(200));
    expect(await row(first)).toBeUndefined();
    await runQueuedJobs(gw.db);
    expect(onDisk(firstKey)).toBe(false);
    expect((await download(`${gw.url}/storage/avatars/${first}`)).status).toBe(404);
    expect((await download(`${gw.url}/storage/avatars/${second}`)).status).toBe(200);
    const me = await graphql(gw.url, "{ currentUser { avatarUrl } }", {}, c.token);
    expect(me.data.currentUser.avatarUrl).toBe(`${gw.url}/storage/avatars/${second}`);
  });

  it("only avatars are public: an attachment is not served at the avatar path", async () => {
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png" }, png());
    expect((await download(`${gw.url}/storage/avatars/${fileId}`)).status).toBe(404);
  });
});

describe("deleting", () => {
  it("deleteFile deletes the row; the job deletes the object; the old URL then answers 404", async () => {
    const fileId = await uploaded(gw.url, a, { bucket: "attachments", contentType: "image/png" }, png(700));
    const { url } = (await fileUrl(gw.url, a, fileId)).data.fileUrl as { url: string };
    const key = (await row(fileId)).key;
    const deleted = await graphql(gw.url, `mutation ($id: UUID!) { deleteFile(input: { rowId: $id }) { clientMutationId } }`, { id: fileId }, a.token);
    expect(deleted.errors).toBeUndefined();
    expect((await download(url)).status).toBe(404);
    expect(onDisk(key)).toBe(true);
    await runQueuedJobs(gw.db);
    expect(onDisk(key)).toBe(false);
  });
});

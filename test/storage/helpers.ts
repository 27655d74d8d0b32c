// Files for the storage tests: real bytes of each type (file-type reads
// them), a gateway with its own storage folder, and the upload calls.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { graphql, type Account } from "../helpers/gateway.js";

/** A 1×1 PNG, padded with zeros to `size` bytes (a decoder stops at IEND). */
export function png(size = 68): Buffer {
  const image = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
  return Buffer.concat([image, Buffer.alloc(Math.max(0, size - image.length))]);
}

export function pdf(size = 64): Buffer {
  const head = Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1");
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0x20)]);
}

export async function tempStorageDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "lifegraph-storage-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file under the folder, relative, sorted. */
export async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

export interface Requested {
  fileId: string;
  uploadUrl: string;
  uploadUrlExpiresAt: string;
}

export async function requestUpload(url: string, as: Account, input: Record<string, unknown>) {
  return graphql(
    url,
    `mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { fileId uploadUrl uploadUrlExpiresAt file { rowId status bucket size } } }`,
    { input },
    as.token,
  );
}

export async function requested(url: string, as: Account, input: Record<string, unknown>): Promise<Requested> {
  const response = await requestUpload(url, as, input);
  if (!response.data?.requestUpload) throw new Error(`requestUpload failed: ${JSON.stringify(response.errors)}`);
  return response.data.requestUpload as Requested;
}

export const put = (uploadUrl: string, body: Buffer) => fetch(uploadUrl, { method: "PUT", body });

export async function fileUrl(url: string, as: Account, id: string, expiresIn?: number) {
  return graphql(url, `query ($id: UUID!, $s: Int) { fileUrl(id: $id, expiresIn: $s) { url expiresAt } }`, { id, s: expiresIn ?? 300 }, as.token);
}

/** Uploads `body` as a new file of `as` and returns its id. */
export async function uploaded(url: string, as: Account, input: Record<string, unknown>, body: Buffer): Promise<string> {
  const { fileId, uploadUrl } = await requested(url, as, { size: body.length, ...input });
  const response = await put(uploadUrl, body);
  if (response.status !== 201) throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  return fileId;
}

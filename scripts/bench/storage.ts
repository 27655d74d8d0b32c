// npm run bench -- storage: upload and download throughput of one file
// through the real gateway (streaming PUT to a signed URL, signed GET), on
// the disk backend in a temporary folder, and the process's peak RSS during
// each transfer over its RSS just before. Streaming means the growth does
// not follow the file's size: 5 MB and 20 MB are measured side by side.
// The client runs in the same process and streams too (64 KB chunks, never
// the whole file), so the figure covers both ends.
// Knob: BENCH_STORAGE_MB (the large file, default 20; at most 50, the
// attachments bucket's limit).
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Config } from "../../src/config.js";
import { withCredentials } from "../../src/db/urls.js";
import { startGateway } from "../../src/http/app.js";
import { fmtInt, fmtMs, graphql, type BenchRow, type Workload } from "./db.js";

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
/** A PNG signature and header, so the bytes pass the type check; zeros after. */
const PNG_HEAD = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

/** `size` bytes of "PNG", made 64 KB at a time as they are read. */
function pngStream(size: number): ReadableStream<Uint8Array> {
  let sent = 0;
  const zeros = Buffer.alloc(CHUNK);
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const first = sent === 0 ? Buffer.concat([PNG_HEAD, zeros]) : zeros;
      const chunk = first.subarray(0, Math.min(first.length, size - sent));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

/** Runs `fn` while sampling RSS every 5 ms; returns its time and the peak over the RSS before it. */
async function sampled<T>(fn: () => Promise<T>): Promise<{ ms: number; growth: number; result: T }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => void (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const started = performance.now();
  try {
    const result = await fn();
    return { ms: performance.now() - started, growth: Math.max(0, Math.max(peak, process.memoryUsage.rss()) - before), result };
  } finally {
    clearInterval(timer);
  }
}

const mbps = (bytes: number, ms: number) => `${((bytes / MB) * 1000 / ms).toFixed(0)} MB/s`;
const fmtMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

export const storage: Workload = {
  name: "storage",
  description: "upload/download throughput of a 20 MB file through the gateway (disk backend); peak RSS growth, 5 MB vs 20 MB",
  async run(ctx) {
    const largeMb = Math.min(50, Number(process.env.BENCH_STORAGE_MB ?? 20));
    const dir = await mkdtemp(path.join(tmpdir(), "lifegraph-bench-storage-"));
    const config: Config = {
      ...ctx.config,
      PORT: 0,
      STORAGE_BACKEND: "disk",
      STORAGE_DIR: dir,
      JWT_SECRET: ctx.config.JWT_SECRET ?? (ctx.config.JWT_PRIVATE_KEY ? undefined : randomBytes(32).toString("hex")),
    };
    const authenticator = withCredentials(ctx.db.ownerUrl, config.DATABASE_AUTHENTICATOR, config.DATABASE_AUTHENTICATOR_PASSWORD);
    ctx.progress("starting the gateway…");
    const gateway = await startGateway(config, { owner: ctx.db.ownerUrl, authenticator }, ctx.logger);
    const rows: BenchRow[] = [];
    try {
      const { register } = await graphql<{ register: { accessToken: string } }>(
        gateway.url,
        "mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }",
        { input: { username: "bench_files", email: "bench_files@example.com", password: "Correct-Horse-9" } },
      );
      const token = register.accessToken;

      async function transfer(size: number) {
        const { requestUpload } = await graphql<{ requestUpload: { fileId: string; uploadUrl: string } }>(
          gateway.url,
          "mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { fileId uploadUrl } }",
          { input: { bucket: "attachments", contentType: "image/png", size } },
          token,
        );
        const up = await sampled(async () => {
          const response = await fetch(requestUpload.uploadUrl, {
            method: "PUT", body: pngStream(size), headers: { "content-length": String(size) }, duplex: "half",
          } as RequestInit);
          if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
        });
        const { fileUrl } = await graphql<{ fileUrl: { url: string } }>(
          gateway.url, "query ($id: UUID!) { fileUrl(id: $id) { url } }", { id: requestUpload.fileId }, token,
        );
        const down = await sampled(async () => {
          const response = await fetch(fileUrl.url);
          let received = 0;
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length;
          if (received !== size) throw new Error(`download: ${received} of ${size} bytes`);
        });
        return { up, down };
      }

      ctx.progress("warming up (1 MB)…");
      await transfer(MB);
      const results: Array<{ size: number; up: Awaited<ReturnType<typeof sampled>>; down: Awaited<ReturnType<typeof sampled>> }> = [];
      for (const mb of [5, largeMb, 5, largeMb]) {
        ctx.progress(`${mb} MB up and down…`);
        results.push({ size: mb * MB, ...(await transfer(mb * MB)) });
      }
      // Each size twice, interleaved: the second of each is reported (warm), the growth is the larger of the two.
      for (const size of [5 * MB, largeMb * MB]) {
        const runs = results.filter((r) => r.size === size);
        const last = runs[runs.length - 1]!;
        const upGrowth = Math.max(...runs.map((r) => r.up.growth));
        const downGrowth = Math.max(...runs.map((r) => r.down.growth));
        rows.push({ measure: `upload ${fmtMb(size)} (PUT, streamed to disk)`, value: `${fmtMs(last.up.ms)} (${mbps(size, last.up.ms)})` });
        rows.push({ measure: `download ${fmtMb(size)} (signed GET)`, value: `${fmtMs(last.down.ms)} (${mbps(size, last.down.ms)})` });
        rows.push({ measure: `  peak RSS over before, upload ${fmtMb(size)}`, value: fmtMb(upGrowth) });
        rows.push({ measure: `  peak RSS over before, download ${fmtMb(size)}`, value: fmtMb(downGrowth) });
      }
      const growth = (size: number) =>
        Math.max(...results.filter((r) => r.size === size).flatMap((r) => [r.up.growth, r.down.growth]));
      const small = growth(5 * MB);
      const large = growth(largeMb * MB);
      rows.push({
        measure: `peak RSS growth, ${largeMb} MB vs 5 MB`,
        value: `${fmtMb(large)} vs ${fmtMb(small)}`,
        target: `< the ${largeMb - 5} MB size difference: ${large - small < (largeMb - 5) * MB ? "ok" : "above target"}`,
      });
      rows.push({ measure: "  process RSS at the end", value: `${fmtInt(process.memoryUsage.rss() / MB)} MB` });
    } finally {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

// Reading an export archive back in a test.
import { buffer } from "node:stream/consumers";
import type { Readable } from "node:stream";
import yauzl from "yauzl";

/** Every entry of a zip, by name. */
export async function unzip(stream: Readable): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(await buffer(stream), { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, content) => {
        if (error) return reject(error);
        buffer(content).then((bytes) => {
          entries.set(entry.fileName, bytes);
          zip.readEntry();
        }, reject);
      });
    });
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.readEntry();
  });
  return entries;
}

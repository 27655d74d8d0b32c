// The checks an upload passes as it streams: its bytes are what it claims to
// be (file-type reads the first bytes, whatever the client's header says),
// and it is exactly the size it declared: past it, the stream stops at once.
import { Transform, type TransformCallback } from "node:stream";
import { fileTypeFromBuffer } from "file-type";

/** Enough for file-type to tell every type a bucket takes (its default sample). */
const SAMPLE_BYTES = 4100;

/** A refusal the upload endpoint answers with its HTTP status and code (docs/errors.md). */
export class UploadRefused extends Error {
  constructor(
    readonly code: "FTYPE" | "FSIZE",
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function inspectUpload(expected: { size: number; contentType: string }): Transform {
  let seen = 0;
  let head: Buffer[] | null = [];
  let headBytes = 0;

  async function checkType(stream: Transform): Promise<void> {
    const sample = Buffer.concat(head!);
    head = null;
    const detected = await fileTypeFromBuffer(sample);
    if (detected?.mime !== expected.contentType) {
      throw new UploadRefused("FTYPE", 415, `The file's bytes are ${detected?.mime ?? "of no known type"}, not ${expected.contentType}.`);
    }
    stream.push(sample);
  }

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > expected.size) {
        return callback(new UploadRefused("FSIZE", 413, `More than the ${expected.size} bytes declared.`));
      }
      if (!head) return callback(null, chunk);
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < SAMPLE_BYTES) return callback();
      checkType(this).then(() => callback(), callback);
    },
    flush(callback: TransformCallback) {
      if (seen !== expected.size) {
        return callback(new UploadRefused("FSIZE", 400, `${seen} bytes arrived, ${expected.size} were declared.`));
      }
      if (!head) return callback();
      checkType(this).then(() => callback(), callback);
    },
  });
}

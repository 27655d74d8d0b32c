// Files in one S3 bucket (AWS or any S3-compatible service), under the same
// keys as on disk. Uploads stream through @aws-sdk/lib-storage: parts of
// 5 MB are held in memory at a time, never the whole file, and a failed
// upload's multipart upload is aborted, so nothing is left under the key.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  paginateListObjectsV2,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { Readable } from "node:stream";
import type { Config } from "../config.js";
import { assertKey, meter, NotFoundError, type Bucket, type StorageBackend, type StoredObject } from "./backend.js";

export class S3Backend implements StorageBackend {
  readonly client: S3Client;

  constructor(
    readonly bucketName: string,
    config: Pick<Config, "STORAGE_S3_ENDPOINT" | "STORAGE_S3_REGION" | "STORAGE_S3_ACCESS_KEY_ID" | "STORAGE_S3_SECRET_ACCESS_KEY" | "STORAGE_S3_FORCE_PATH_STYLE">,
  ) {
    this.client = new S3Client({
      region: config.STORAGE_S3_REGION,
      endpoint: config.STORAGE_S3_ENDPOINT,
      forcePathStyle: config.STORAGE_S3_FORCE_PATH_STYLE,
      credentials:
        config.STORAGE_S3_ACCESS_KEY_ID && config.STORAGE_S3_SECRET_ACCESS_KEY
          ? { accessKeyId: config.STORAGE_S3_ACCESS_KEY_ID, secretAccessKey: config.STORAGE_S3_SECRET_ACCESS_KEY }
          : undefined,
      // We keep our own SHA-256; the SDK's default CRC32 trailers use
      // aws-chunked encoding, which several S3-compatible servers refuse.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async put(bucket: Bucket, key: string, body: Readable) {
    assertKey(bucket, key);
    const counted = meter();
    body.on("error", (error) => counted.stream.destroy(error));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucketName, Key: key, Body: body.pipe(counted.stream) },
    });
    await upload.done();
    return counted.result();
  }

  async get(bucket: Bucket, key: string): Promise<Readable> {
    assertKey(bucket, key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
      return response.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") throw new NotFoundError(key);
      throw error;
    }
  }

  async delete(bucket: Bucket, key: string): Promise<void> {
    assertKey(bucket, key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
  }

  async *list(bucket: Bucket): AsyncIterable<StoredObject> {
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucketName, Prefix: `${bucket}/` })) {
      for (const object of page.Contents ?? []) {
        if (object.Key) yield { key: object.Key, modifiedAt: object.LastModified ?? new Date(0) };
      }
    }
  }
}

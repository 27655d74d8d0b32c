// Builds one user's export: a zip streamed into the exports bucket, holding
// each table the export plan names (app_private.export_plan, a walk of the
// catalog) as JSON and CSV, and the user's stored files. Nothing is held in
// memory: Postgres writes each table through COPY, archiver compresses as
// it reads, and the storage backend writes as the zip comes.
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import archiver, { type Archiver } from "archiver";
import pg from "pg";
import type { Config } from "../config.js";
import { to as copyTo } from "pg-copy-streams";
import type { Bucket, StorageBackend } from "../storage/index.js";

export interface PlannedTable {
  table_name: string;
  query: string;
}

interface OwnFile {
  id: string;
  bucket: Bucket;
  key: string;
}

export interface BuiltExport {
  fileId: string;
  size: number;
  sha256: string;
  tables: number;
  files: number;
}

export interface ExportOptions {
  /** Owner connection: reads the plan and the file list, opens and ends the reader's session. */
  owner: pg.PoolClient;
  config: Config;
  storage: StorageBackend;
  userId: string;
  progress(percent: number): Promise<void>;
}

// The rows of a query as one JSON array, one element a line, written by
// Postgres. CSV format with a delimiter and quote that JSON text never holds
// (jsonb escapes control characters) passes each line through unchanged.
function jsonArraySql(query: string): string {
  return `copy (select line from (
      select 0 as part, 0::bigint as n, '[' as line
      union all
      select 1, r.n, case when r.n = 1 then '' else ',' end || r.j
        from (select row_number() over () as n, to_jsonb(t)::text as j from (${query}) t) r
      union all
      select 2, 0, ']'
    ) s order by part, n) to stdout with (format csv, delimiter e'\\x02', quote e'\\x01')`;
}

/**
 * Appends one entry and waits until archiver has read it all, so the next
 * COPY starts on a free connection; rejects as soon as the archive or its
 * upload fails (`failed`).
 */
function append(archive: Archiver, source: Readable | string, name: string, failed: Promise<never>): Promise<void> {
  const read = new Promise<void>((resolve, reject) => {
    const done = (entry: archiver.EntryData) => {
      if (entry.name !== name) return;
      archive.off("entry", done);
      resolve();
    };
    archive.on("entry", done);
    if (typeof source !== "string") source.once("error", reject);
    archive.append(source, { name });
  });
  return Promise.race([read, failed]);
}

const README = `Your lifegraph data.

tables/<schema>.<table>.json  every row of yours in that table, as JSON
tables/<schema>.<table>.csv   the same rows as CSV (JSON values as JSON text)
files/<bucket>/<file id>      the files you stored; tables/app_public.files.* describes them

Messages others sent you are theirs and are not included; your conversations and the messages you sent are.
`;

/**
 * The export reads as the gateway does: the authenticator, become the
 * visitor, signed in as the user. The owner's own connection settings give
 * the server when no authenticator URL is configured.
 */
function readerFor(owner: pg.PoolClient, config: Config): pg.Client {
  if (config.AUTH_DATABASE_URL) return new pg.Client({ connectionString: config.AUTH_DATABASE_URL });
  const { host, port, database, ssl } = owner as unknown as pg.Client;
  return new pg.Client({ host, port, database, ssl, user: config.DATABASE_AUTHENTICATOR, password: config.DATABASE_AUTHENTICATOR_PASSWORD });
}

export async function buildExport(options: ExportOptions): Promise<BuiltExport> {
  const { owner, config, storage, userId } = options;
  const visitor = config.DATABASE_VISITOR;
  const { rows: plan } = await owner.query<PlannedTable>("select * from app_private.export_plan($1, $2)", [userId, visitor]);
  const { rows: files } = await owner.query<OwnFile>(
    "select id, bucket, key from app_public.files where owner_id = $1 and status = 'ready' and bucket <> 'exports' order by created_at, id",
    [userId],
  );
  const fileId = randomUUID();
  const archive = archiver("zip", { zlib: { level: 6 } });
  const stored = storage.put("exports", `exports/${userId}/${fileId}`, archive);
  // The first failure of the archive or of its upload, which every step below races.
  const failed = new Promise<never>((_, reject) => {
    archive.on("error", reject);
    stored.catch(reject);
  });
  failed.catch(() => undefined);
  const steps = plan.length + files.length;
  let done = 0;
  try {
    // A session of the user's for this read only, so the plan's queries run
    // under the same policies as the user's own requests; it ends with it.
    const { rows: [session] } = await owner.query<{ id: string }>(
      "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id",
      [userId],
    );
    const reader = readerFor(owner, config);
    try {
      await reader.connect();
      // One snapshot: the tables agree with one another.
      await reader.query("begin isolation level repeatable read read only");
      await reader.query("select set_config('jwt.claims.session_id', $1, true)", [session!.id]);
      await reader.query(`set local role ${JSON.stringify(visitor)}`);
      await append(archive, README, "README.txt", failed);
      for (const { table_name, query } of plan) {
        await append(archive, reader.query(copyTo(jsonArraySql(query))), `tables/${table_name}.json`, failed);
        await append(archive, reader.query(copyTo(`copy (${query}) to stdout with (format csv, header)`)), `tables/${table_name}.csv`, failed);
        await options.progress(Math.floor((++done * 100) / steps));
      }
      await reader.query("commit");
    } finally {
      await reader.end();
      await owner.query("delete from app_private.sessions where id = $1", [session!.id]);
    }
    for (const file of files) {
      await append(archive, await storage.get(file.bucket, file.key), `files/${file.bucket}/${file.id}`, failed);
      await options.progress(Math.floor((++done * 100) / steps));
    }
    await Promise.race([archive.finalize(), failed]);
  } catch (error) {
    // The upload stops, and leaves no object.
    archive.abort();
    await stored.catch(() => undefined);
    throw error;
  }
  const { size, sha256 } = await stored;
  return { fileId, size, sha256, tables: plan.length, files: files.length };
}

// Trusted documents: with TRUSTED_DOCUMENTS on (the default in production)
// the gateway runs only the documents of its manifests (sha256 → document,
// as `npm run codegen` writes them for a client) and refuses any other with
// PERSQ; with ALLOW_ADMINS an administrator may still send raw documents.
// Off, raw documents run too, and so do ids from the manifests: the same
// client works against both.
//
// @grafserv/persisted swaps an id for its document, over HTTP and on
// websockets alike (grafserv's graphql-ws config runs the same middleware).
// Our gate runs before it and decides first, so every refusal has a code,
// the admin check may await the database, and a refused request's body
// (variables, passwords) never reaches the plugin's console.error. SSE
// (/graphql/stream) is ours, not grafserv's: it asks the same gate.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { IncomingMessage } from "node:http";
import type pg from "pg";
import { PersistedPlugin } from "@grafserv/persisted";
import { SafeError } from "postgraphile/grafast";
import type { ParsedGraphQLBody, ProcessGraphQLRequestBodyEvent } from "postgraphile/grafserv";
import type { Config } from "../config.js";
import type { AuthService, Identity } from "../identity/service.js";
import { fromRoot } from "../paths.js";

/** Reads and merges the manifests; a missing or malformed one stops startup. */
export function loadManifests(files: readonly string[]): Map<string, string> {
  const documents = new Map<string, string>();
  for (const file of files) {
    const resolved = path.resolve(fromRoot(), file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(resolved, "utf8"));
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS_MANIFEST: cannot read ${resolved}: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new Error(`TRUSTED_DOCUMENTS_MANIFEST: ${resolved} is not an object of id → document`);
    }
    for (const [id, document] of Object.entries(parsed)) {
      if (typeof document !== "string") throw new Error(`TRUSTED_DOCUMENTS_MANIFEST: ${resolved}: ${id} is not a document string`);
      documents.set(id, document);
    }
  }
  return documents;
}

/**
 * The document id of a request: `documentId` (the codegen's own
 * `sha256:<hex>`), or Apollo's `extensions.persistedQuery.sha256Hash`
 * (plain hex).
 */
export function documentIdOf(body: ParsedGraphQLBody): string | undefined {
  if (typeof body.documentId === "string") return body.documentId;
  const persisted = (body.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return typeof persisted?.sha256Hash === "string" ? `sha256:${persisted.sha256Hash}` : undefined;
}

function identityOf(event: ProcessGraphQLRequestBodyEvent): Identity | undefined {
  // HTTP: the auth middleware (src/http/app.ts); websockets: connection_init (src/realtime/sockets.ts).
  const request = event.request?.requestContext.node?.req
    ?? (event.graphqlWsContext?.extra as { request?: IncomingMessage } | undefined)?.request;
  return request?.lifegraphIdentity;
}

/** Whether the identity is an administrator, asked of the database as the gateway's own requests would. */
async function isAdmin(pool: pg.Pool, auth: AuthService, identity: Identity): Promise<boolean> {
  if (identity.kind !== "session") return false;
  const client = await pool.connect();
  try {
    await client.query("begin");
    await client.query("select set_config(key, value, true) from json_each_text($1)", [JSON.stringify(auth.pgSettings(identity))]);
    const { rows } = await client.query<{ admin: boolean }>("select app_public.current_user_is_admin() as admin");
    return rows[0]?.admin === true;
  } finally {
    await client.query("rollback");
    client.release();
  }
}

/** A PERSQ refusal; grafserv answers it with HTTP 400, which the client reads from the status, not the error (so not enumerable). */
function refusal(message: string): SafeError {
  return new SafeError(message, Object.defineProperty({ code: "PERSQ" }, "statusCode", { value: 400, enumerable: false }));
}

/** Decides whether a request may run: by an id of the manifest, or raw where allowed; refuses with PERSQ otherwise. */
export interface TrustedDocumentsGate {
  /** The document to run (the manifest's, or the raw query) or a PERSQ refusal. */
  documentFor(body: Pick<ParsedGraphQLBody, "documentId" | "extensions" | "query">, identity: Identity | undefined): Promise<string>;
}

declare global {
  namespace GraphileConfig {
    interface GrafservOptions {
      /** Ours: the gate, for the transport grafserv does not run (SSE: src/realtime/event-stream.ts). */
      lifegraphTrustedDocuments?: TrustedDocumentsGate;
    }
  }
}

export interface TrustedDocumentsDeps {
  config: Config;
  /** The authenticator's pool: the admin check runs as the request's own role. */
  authenticatorPool: pg.Pool;
  auth: AuthService;
}

/** The preset that puts the above in place (PersistedPlugin, our gate before it, their options). */
export function makeTrustedDocumentsPreset({ config, authenticatorPool, auth }: TrustedDocumentsDeps): GraphileConfig.Preset {
  const manifest = loadManifests(config.TRUSTED_DOCUMENTS_MANIFEST);
  const gate: TrustedDocumentsGate = {
    async documentFor(body, identity) {
      const id = documentIdOf(body as ParsedGraphQLBody);
      if (id !== undefined) {
        const document = manifest.get(id);
        if (document === undefined) {
          throw refusal(`Unknown document id ${JSON.stringify(id.slice(0, 80))}: this gateway's manifest does not hold it (rebuild the client with npm run codegen and deploy its manifest).`);
        }
        return document;
      }
      const raw = typeof body.query === "string" ? body.query : "";
      if (!config.trustedDocuments) return raw;
      if (config.TRUSTED_DOCUMENTS_ALLOW_ADMINS && identity && (await isAdmin(authenticatorPool, auth, identity))) return raw;
      throw refusal("This gateway runs trusted documents only: send the documentId of a document in its manifest, not a query.");
    },
  };
  // The bodies our middleware let through raw; the plugin asks about each.
  const allowedRaw = new WeakSet<ParsedGraphQLBody>();
  const plugin: GraphileConfig.Plugin = {
    name: "LifegraphTrustedDocumentsPlugin",
    version: "0.0.0",
    before: ["PersistedPlugin"],
    grafserv: {
      middleware: {
        async processGraphQLRequestBody(next, event) {
          await gate.documentFor(event.body, identityOf(event));
          if (documentIdOf(event.body) === undefined) allowedRaw.add(event.body);
          return next();
        },
      },
    },
  };
  return {
    plugins: [PersistedPlugin, plugin],
    grafserv: {
      lifegraphTrustedDocuments: gate,
      hashFromPayload: documentIdOf,
      // The gate let only ids of the manifest through.
      persistedOperationsGetter: (id) => manifest.get(id)!,
      allowUnpersistedOperation: (event) => allowedRaw.has(event.body),
    },
  };
}

/** The document an SSE request runs, through the preset's gate (Apollo's `extensions.persistedQuery` carries the id). */
export function streamDocument(preset: GraphileConfig.ResolvedPreset, request: IncomingMessage, params: { query?: unknown; extensions?: unknown }): Promise<string> {
  const body = { documentId: undefined, extensions: params.extensions, query: params.query };
  return preset.grafserv!.lifegraphTrustedDocuments!.documentFor(body, request.lifegraphIdentity);
}

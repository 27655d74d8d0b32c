// requestUpload and fileUrl: the two GraphQL fields that hand out signed
// URLs. The permission is the database's: requestUpload runs
// app_hidden.request_upload as the viewer, and fileUrl signs only a file the
// viewer can read under the files table's row-level security.
import { extendSchema } from "postgraphile/utils";
import { access, context, lambda, type Step } from "postgraphile/grafast";
import { sideEffectWithPgClientTransaction } from "postgraphile/@dataplan/pg";
import type { Config } from "../config.js";
import { clientError } from "../identity/errors.js";
import { signedDownloadUrl, signedUploadUrl } from "./index.js";
import { publicBaseUrl } from "./http.js";

const DAY_SECONDS = 86_400;
/** Exports are whole accounts: their links are short-lived whatever was asked. */
const EXPORT_URL_MAX_SECONDS = 600;

interface RequestUploadInput {
  bucket: string;
  contentType: string;
  size: number;
  journalEntryId?: string | null;
  messageId?: string | null;
}

export function makeStoragePlugin(config: Config) {
  return extendSchema((build) => {
    const files = build.pgResources.files;
    if (!files) throw new Error("StoragePlugin needs the app_public.files table");

    return {
      typeDefs: /* GraphQL */ `
        input RequestUploadInput {
          bucket: FileBucket!
          "The file's content type: checked against the bucket now and against its bytes when they arrive."
          contentType: String!
          "Its exact size in bytes: the upload must be exactly this long."
          size: Int!
          "Attach it to your journal entry."
          journalEntryId: UUID
          "Attach it to a message you sent: its readers may read it."
          messageId: UUID
        }
        type RequestUploadPayload {
          file: File
          fileId: UUID!
          "PUT the bytes here (one request, the raw body); the file is ready when it answers 201."
          uploadUrl: String!
          uploadUrlExpiresAt: Datetime!
        }
        type SignedUrl {
          url: String!
          expiresAt: Datetime!
        }
        extend type Mutation {
          """
          Makes a pending file and a signed URL to upload its bytes to. Errors: FTYPE (the bucket does not
          take this type), FSIZE (over the bucket's size), FPEND (20 uploads already pending), NOFND (the entry
          or message is not yours), DNIED (exports are the server's).
          """
          requestUpload(input: RequestUploadInput!): RequestUploadPayload
        }
        extend type Query {
          """
          A signed URL that downloads the file for \`expiresIn\` seconds (at most a day; an export's, 10 minutes).
          Only for a ready file you may read. Error: NOFND.
          """
          fileUrl(id: UUID!, expiresIn: Int = 300): SignedUrl
        }
      `,
      objects: {
        Mutation: {
          plans: {
            requestUpload(_, fieldArgs) {
              const $input = fieldArgs.getRaw("input") as Step<RequestUploadInput>;
              const $id = sideEffectWithPgClientTransaction(files.executor, $input, async (client, input) => {
                const { rows } = await client.query<{ id: string }>({
                  text: "select (app_hidden.request_upload($1::app_public.file_bucket, $2, $3, $4, $5)).id",
                  values: [input.bucket, input.contentType, input.size, input.journalEntryId ?? null, input.messageId ?? null],
                });
                return rows[0]!.id;
              });
              return lambda([$id, context()], ([id, ctx]) => {
                const { url, expiresAt } = signedUploadUrl(config, publicBaseUrl(config, ctx.lifegraphRequest), id, config.STORAGE_UPLOAD_URL_TTL_SECONDS);
                return { id, url, expiresAt: expiresAt.toISOString() };
              });
            },
          },
        },
        RequestUploadPayload: {
          plans: {
            file: ($payload: Step) => files.get({ id: access($payload, "id") }),
            fileId: ($payload: Step) => access($payload, "id"),
            uploadUrl: ($payload: Step) => access($payload, "url"),
            uploadUrlExpiresAt: ($payload: Step) => access($payload, "expiresAt"),
          },
        },
        Query: {
          plans: {
            fileUrl(_, fieldArgs) {
              const $file = files.get({ id: fieldArgs.getRaw("id") });
              return lambda(
                [$file.get("id"), $file.get("bucket"), $file.get("status"), fieldArgs.getRaw("expiresIn"), context()],
                ([id, bucket, status, expiresIn, ctx]) => {
                  if (!id || status !== "ready") throw clientError("NOFND", "No such file, or not yours to read.");
                  const max = bucket === "exports" ? EXPORT_URL_MAX_SECONDS : DAY_SECONDS;
                  const seconds = Math.min(Math.max(1, Number(expiresIn ?? 300)), max);
                  const now = Date.now();
                  const url = signedDownloadUrl(config, publicBaseUrl(config, ctx.lifegraphRequest), id as string, seconds, now);
                  return { url, expiresAt: new Date((Math.floor(now / 1000) + seconds) * 1000).toISOString() };
                },
              );
            },
          },
        },
        SignedUrl: {
          plans: {
            url: ($u: Step) => access($u, "url"),
            expiresAt: ($u: Step) => access($u, "expiresAt"),
          },
        },
      },
    };
  });
}

// The schema as SDL, sorted so that the committed schema.graphql diffs well.
import { makeSchema } from "postgraphile";
import { lexicographicSortSchema, printSchema } from "postgraphile/graphql";
import pino from "pino";
import type { Config } from "../config.js";
import { AuthService } from "../identity/service.js";
import { makeTokenSigner } from "../identity/tokens.js";
import { makePool } from "../db/pools.js";
import type { DatabaseUrls } from "../db/urls.js";
import { makePreset } from "./preset.js";

export async function schemaSdl(config: Config, urls: DatabaseUrls): Promise<string> {
  const logger = pino({ level: "silent" });
  const ownerPool = makePool(urls.owner, logger, 1);
  const authenticatorPool = makePool(urls.authenticator, logger, 2);
  try {
    const signer = await makeTokenSigner({ secret: "x".repeat(32), issuer: "-", audience: "-", ttlSeconds: 60 });
    const auth = new AuthService(ownerPool, signer, config);
    const preset = makePreset({ config, authenticatorPool, auth, logger });
    const { schema } = await makeSchema(preset);
    return printSchema(lexicographicSortSchema(schema)) + "\n";
  } finally {
    await Promise.all([ownerPool.end(), authenticatorPool.end()]);
  }
}

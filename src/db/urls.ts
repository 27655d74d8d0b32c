// Connection strings for the roles, derived from one another so that a
// deployment only has to give the owner's DATABASE_URL.
import type { Config } from "../config.js";

export function withCredentials(connectionString: string, user: string, password: string): string {
  const url = new URL(connectionString);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}

export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function databaseName(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).pathname.slice(1));
}

export interface DatabaseUrls {
  /** Owner: migrations, worker, credential functions. */
  owner: string;
  /** Authenticator: GraphQL requests (switches to visitor/anonymous); through DATABASE_POOLER_URL when set. */
  authenticator: string;
  /** Superuser, if known: roles and databases. */
  root?: string;
}

export function databaseUrls(config: Config, ownerUrl = config.DATABASE_URL): DatabaseUrls {
  if (!ownerUrl) throw new Error("DATABASE_URL is not set");
  return {
    owner: ownerUrl,
    authenticator:
      config.AUTH_DATABASE_URL ??
      withCredentials(config.DATABASE_POOLER_URL ?? ownerUrl, config.DATABASE_AUTHENTICATOR, config.DATABASE_AUTHENTICATOR_PASSWORD),
    root: config.ROOT_DATABASE_URL,
  };
}

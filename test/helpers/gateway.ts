// The real gateway on a free port against a test database, and a small
// GraphQL-over-HTTP client.
import pino from "pino";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { createTestDatabase, type TestDatabase } from "./db.js";

export interface TestGateway {
  db: TestDatabase;
  gateway: Gateway;
  url: string;
  close(): Promise<void>;
}

export async function startTestGateway(configOverrides: Record<string, string> = {}): Promise<TestGateway> {
  const db = await createTestDatabase(configOverrides);
  const gateway = await startGateway(db.config, db.urls, pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }));
  return {
    db,
    gateway,
    url: gateway.url,
    async close() {
      await gateway.close();
      await db.drop();
    },
  };
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; [key: string]: unknown } }>;
}

export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse["errors"] };
  return { status: response.status, ...body };
}

export const errorCodes = (response: GraphQLResponse) => (response.errors ?? []).map((e) => e.extensions?.code);

export const AUTH_FIELDS = "accessToken accessTokenExpiresAt refreshToken user { rowId username displayName }";

export async function register(url: string, username: string, password = "Correct-Horse-9") {
  const response = await graphql(
    url,
    `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { username, email: `${username}@example.com`, password, displayName: username } },
  );
  if (!response.data?.register) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  return response.data.register as { accessToken: string; refreshToken: string; user: { rowId: string; username: string } };
}

/** A registered user as a GraphQL client sees them: their id and an access token. */
export interface Account {
  id: string;
  token: string;
}

export async function signUp(url: string, username: string): Promise<Account> {
  const auth = await register(url, username);
  return { id: auth.user.rowId, token: auth.accessToken };
}

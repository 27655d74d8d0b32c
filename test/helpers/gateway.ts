// The real gateway on a free port against a test database, and a small
// GraphQL-over-HTTP client.
import { afterAll, beforeAll, expect } from "@jest/globals";
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

/** Each error's code and the constraint it names (docs/errors.md). */
export const refusal = (response: GraphQLResponse) =>
  (response.errors ?? []).map((e) => ({ code: e.extensions?.code, constraint: e.extensions?.constraint }));

/** Runs `request` and asserts that the table's row count did not change: a refusal writes nothing. */
export async function writesNothing(db: TestDatabase, table: string, request: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const count = async () => (await db.root.query(`select count(*)::int as n from app_public.${table}`)).rows[0].n as number;
  const before = await count();
  const response = await request();
  expect(await count()).toBe(before);
  return response;
}

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

export interface SignedIn<Usernames extends readonly string[] = readonly string[]> {
  gw: TestGateway;
  /** One account per username, in the order given. */
  accounts: { [K in keyof Usernames]: Account };
  /** GraphQL as the first account. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/**
 * A gateway of the test file's own with an account per username, started before
 * the file's tests and closed after them; call the returned function inside a test.
 * `timezone` sets the first account's, for tests whose days are the user's own.
 */
export function withSignedIn<const Usernames extends readonly [string, ...string[]]>(
  usernames: Usernames,
  options: { timezone?: string } = {},
): () => SignedIn<Usernames> {
  let session: SignedIn<Usernames> | undefined;
  beforeAll(async () => {
    const gw = await startTestGateway();
    const accounts: Account[] = [];
    for (const username of usernames) accounts.push(await signUp(gw.url, username));
    const me = accounts[0]!;
    if (options.timezone) {
      await gw.db.root.query("update app_public.user_settings set timezone = $1 where user_id = $2", [options.timezone, me.id]);
    }
    session = {
      gw,
      accounts: accounts as SignedIn<Usernames>["accounts"],
      gql: (query, variables = {}) => graphql(gw.url, query, variables, me.token),
    };
  });
  afterAll(async () => {
    await session?.gw.close();
  });
  return () => {
    if (!session) throw new Error("withSignedIn: the gateway is not ready yet");
    return session;
  };
}

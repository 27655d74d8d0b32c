// A live activity feed as a web or Node client holds it, with graphql-ws:
// sign in, subscribe, keep the last cursor, resume from it after any drop,
// refresh the access token before it expires (and when the server closes
// with 4401), sign in again when the session has ended (4403).
//
//   npx tsx examples/realtime-client.ts http://127.0.0.1:5678 alice lifegraph-demo-1 [scope] [stop after N events]
//
// Each update is printed as a line of JSON. In a browser, drop the `ws`
// import (the global WebSocket is used) and keep the cursor in localStorage.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [baseUrl = "http://127.0.0.1:5678", login = "alice", password = "lifegraph-demo-1", scope = "friends", stopAfter] = process.argv.slice(2);

interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

async function call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data || body.errors) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

const TOKENS = "accessToken accessTokenExpiresAt refreshToken";
const signIn = async () =>
  (await call<{ login: Tokens }>(`mutation ($input: LoginInput!) { login(input: $input) { ${TOKENS} } }`, { input: { login, password } })).login;
const refresh = async (refreshToken: string) =>
  (await call<{ refreshSession: Tokens }>(`mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { ${TOKENS} } }`, { input: { refreshToken } })).refreshSession;

let tokens = await signIn();
/** Trades the refresh token a minute before expiry (or at once when the server said 4401); a failed refresh signs in again. */
async function freshAccessToken(force = false): Promise<string> {
  if (force || Date.parse(tokens.accessTokenExpiresAt) - Date.now() < 60_000) {
    tokens = await refresh(tokens.refreshToken).catch(signIn);
  }
  return tokens.accessToken;
}

let mustRefresh = false;
let received = 0;
// One variables object, updated with each cursor: graphql-ws re-sends it as
// it is when it re-subscribes after a dropped connection, so a resume always
// starts from the last event received.
const variables: { scope: string; after: string | null } = { scope, after: null };

const client = createClient({
  url: `${baseUrl.replace(/^http/, "ws")}/graphql`,
  webSocketImpl: WebSocket,
  // Called on every (re)connect, so a reconnect carries a fresh token.
  connectionParams: async () => ({ authorization: `Bearer ${await freshAccessToken(mustRefresh)}` }),
  // Network drops, restarts, 4408 and 4413 (too slow) are retried by graphql-ws itself.
  retryAttempts: Infinity,
  shouldRetry: () => true,
});

function subscribe(): void {
  const dispose = client.subscribe<{ activityFeed: { cursor: string; refetch: boolean; event: unknown } }>(
    {
      query: `subscription ($scope: FeedFilter, $after: String) {
        activityFeed(scope: $scope, after: $after) { cursor refetch event { id verb metadata createdAt actor { username } } }
      }`,
      variables,
    },
    {
      next: ({ data }) => {
        if (!data) return;
        const update = data.activityFeed;
        variables.after = update.cursor;
        // refetch: too much was missed; an app reloads the feed with the activityFeed query here.
        console.log(JSON.stringify(update));
        if (stopAfter && ++received >= Number(stopAfter)) {
          dispose();
          void client.dispose();
        }
      },
      error: (error) => {
        // graphql-ws does not retry 4401 and 4403 itself: 4401 means the
        // access token expired (refresh it), 4403 that the session ended
        // (sign in again); either way, subscribe again from the last cursor.
        const code = (error as { code?: number }).code;
        const refused = Array.isArray(error) && error.some((e) => e?.extensions?.code === "AUTHN");
        if (code === 4401 || refused) mustRefresh = true;
        else if (code === 4403) tokens = { ...tokens, refreshToken: "" }; // the refresh fails, so freshAccessToken signs in
        else {
          console.error("subscription failed", error);
          process.exitCode = 1;
          return;
        }
        subscribe();
      },
      complete: () => {},
    },
  );
}

subscribe();
console.error(`listening to the ${scope} feed of ${login} at ${baseUrl}`);

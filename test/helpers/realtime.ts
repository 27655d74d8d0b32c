// Live subscriptions as an app holds them: real graphql-ws clients over real
// sockets, and an SSE reader of the gateway's event stream.
import { afterAll, afterEach, beforeAll } from "@jest/globals";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { makeTokenSigner } from "../../src/identity/tokens.js";
import type { TestDatabase } from "./db.js";
import { startTestGateway, type TestGateway } from "./gateway.js";
import { sleep } from "./peers.js";
import { createBareUsers } from "./social.js";

export const FEED_SUBSCRIPTION = `subscription ($scope: FeedFilter, $after: String) {
  activityFeed(scope: $scope, after: $after) { cursor refetch event { id verb visibility metadata actor { id username } } }
}`;
export const NOTIFICATION_SUBSCRIPTION = `subscription { notificationReceived { unreadCount notification { id type title } } }`;
export const MESSAGE_SUBSCRIPTION = `subscription ($conversationId: UUID) {
  messageReceived(conversationId: $conversationId) {
    kind conversationId message { id senderId bodyMd } receipt { userId readUpTo }
  }
}`;

export const wsUrl = (url: string) => `${url.replace(/^http/, "ws")}/graphql`;

/** What a subscription has received so far, and how it ended. */
export interface Stream<T = any> {
  items: T[];
  errors: unknown[];
  ended: boolean;
  /** Resolves once `count` items have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves with the first item matching, then everything before it too. */
  until(match: (item: T) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

/**
 * Resolves once `stream` is live on a gateway whose hub is not ours to
 * inspect (another process): a write through `write` has reached it. A write
 * made before the subscription went live is never replayed, so `write` is
 * called again until one arrives.
 */
export async function untilLive(stream: Stream, write: () => Promise<unknown>): Promise<void> {
  for (let tries = 0; stream.items.length === 0; tries++) {
    if (tries === 20) throw new Error("the subscription never went live");
    await write();
    await stream.waitFor(1, 500).catch(() => undefined);
  }
}

async function waitUntil(check: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(10);
  }
}

function makeStream<T>(): Stream<T> & { stopWith(stop: () => void): void } {
  let stopper = () => {};
  const stream = {
    items: [] as T[],
    errors: [] as unknown[],
    ended: false,
    async waitFor(count: number, timeoutMs = 5000) {
      await waitUntil(() => stream.items.length >= count || stream.ended, () => `${count} items (have ${stream.items.length}: ${JSON.stringify(stream.items).slice(0, 400)}; errors ${JSON.stringify(stream.errors)})`, timeoutMs);
      return stream.items;
    },
    async until(match: (item: T) => boolean, timeoutMs = 5000) {
      await waitUntil(() => stream.items.some(match) || stream.ended, () => `a matching item (have ${JSON.stringify(stream.items).slice(0, 400)}; errors ${JSON.stringify(stream.errors)})`, timeoutMs);
      return stream.items.slice(0, stream.items.findIndex(match) + 1);
    },
    stop: () => stopper(),
    stopWith(stop: () => void) {
      stopper = stop;
    },
  };
  return stream;
}

export interface LiveClient {
  client: Client;
  /** How the socket closed, once it has. */
  closed: Promise<{ code: number; reason: string }>;
  subscribe<T = any>(query: string, variables?: Record<string, unknown>): Stream<T>;
}

/** A graphql-ws client signed in with `token` (no reconnects: the test sees every close). */
export function live(url: string, token: string | null): LiveClient {
  let onClosed: (event: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
    onNonLazyError: () => {},
  });
  return {
    client,
    closed,
    subscribe<T>(query: string, variables: Record<string, unknown> = {}) {
      const stream = makeStream<T>();
      const stop = client.subscribe<Record<string, T>>({ query, variables }, {
        next: (value) => {
          if (value.errors) stream.errors.push(...value.errors);
          if (value.data) stream.items.push(Object.values(value.data)[0] as T);
        },
        error: (error) => {
          stream.errors.push(...(Array.isArray(error) ? error : [error]));
          stream.ended = true;
        },
        complete: () => (stream.ended = true),
      });
      stream.stopWith(stop);
      return stream;
    },
  };
}

/**
 * A realtime test file's own gateway (`env` overrides its config), started
 * before the file's tests and closed after them. Clients from `connect` are
 * disposed after each test, which then waits until the hub holds none of
 * their subscriptions, so every test starts with an empty hub.
 */
export function withLiveGateway(env: Record<string, string> = {}) {
  let gateway: TestGateway | undefined;
  const clients: LiveClient[] = [];
  const current = () => {
    if (!gateway) throw new Error("withLiveGateway: the gateway is not ready yet");
    return gateway;
  };
  beforeAll(async () => {
    gateway = await startTestGateway(env);
  });
  /** Disposes every client, then waits until the hub holds none of their subscriptions. */
  const endAll = async () => {
    await Promise.all(clients.splice(0).map((c) => c.client.dispose()));
    while (current().gateway.hub.size > 0) await sleep(10);
  };
  afterEach(endAll);
  afterAll(async () => {
    await gateway?.close();
  });
  return {
    gateway: current,
    endAll,
    /** A graphql-ws client signed in as `account` (null: none), disposed after the test. */
    connect(account: { token: string | null }): LiveClient {
      const client = live(current().url, account.token);
      clients.push(client);
      return client;
    },
  };
}

/** A subscription over Server-Sent Events (GET /graphql/stream), as fetch-based SSE clients read it. */
export function sse<T = any>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Stream<T> & { status: Promise<number> } {
  const stream = makeStream<T>();
  const controller = new AbortController();
  stream.stopWith(() => controller.abort());
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const status = fetch(`${url}/graphql/stream?${params}`, {
    headers: { accept: "text/event-stream", authorization: `Bearer ${token}` },
    signal: controller.signal,
  }).then((response) => {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trim()).join("\n");
            if (!data) continue;
            const value = JSON.parse(data) as { data?: Record<string, T>; errors?: unknown[] };
            if (value.errors) stream.errors.push(...value.errors);
            if (value.data) stream.items.push(Object.values(value.data)[0] as T);
          }
        }
      } catch {
        // aborted by stop()
      }
      stream.ended = true;
    })();
    return response.status;
  });
  return Object.assign(stream, { status });
}

/** An activity event written as its source would write it (through the realtime trigger), at a chosen visibility. */
export async function emit(db: TestDatabase, actorId: string, title: string, visibility = "public"): Promise<string> {
  const { rows } = await db.root.query<{ id: string }>(
    `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
     values ($1, 'goals.done', 'goal', gen_random_uuid(), jsonb_build_object('goal_title', $2::text), $3) returning id`,
    [actorId, title, visibility],
  );
  return rows[0]!.id;
}

export const titles = (items: Array<{ event: { metadata: { goal_title: string } } | null }>) =>
  items.map((item) => item.event?.metadata.goal_title);

/** Waits until the gateway's hub holds `count` live subscriptions (each has been added and will miss nothing after). */
export async function subscribed(hub: { size: number }, count: number, timeoutMs = 5000): Promise<void> {
  await waitUntil(() => hub.size >= count, () => `${count} live subscriptions (have ${hub.size})`, timeoutMs);
}

/** `n` users with a live session each and an access token for it, made in bulk (no sign-up round trips). */
export async function signedInUsers(db: TestDatabase, prefix: string, n: number): Promise<Array<{ id: string; token: string }>> {
  const signer = await makeTokenSigner({
    secret: db.config.JWT_SECRET,
    issuer: db.config.JWT_ISSUER,
    audience: db.config.JWT_AUDIENCE,
    ttlSeconds: db.config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const ids = await createBareUsers(db, prefix, n);
  const { rows } = await db.root.query<{ user_id: string; id: string }>(
    "insert into app_private.sessions (user_id, expires_at) select u, now() + interval '1 hour' from unnest($1::uuid[]) u returning user_id, id",
    [ids],
  );
  return rows.map((s) => ({ id: s.user_id, token: signer.sign({ userId: s.user_id, sessionId: s.id }).token }));
}

// Read replicas: a gateway in GATEWAY_MODE=replica on a streaming standby
// serves queries and subscriptions, checks tokens without writing, refuses
// every mutation (sign-in and refresh included) with RDONL before any SQL,
// counts rate limits on the primary, and tells its replay lag in
// X-Lifegraph-Replica-Lag, which is how a client that has just written
// knows whether to read from the primary instead (docs/scaling.md).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import pino from "pino";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { READ_ONLY_MESSAGE } from "../../src/http/read-only.js";
import { testConfig } from "../helpers/env.js";
import { AUTH_FIELDS, errorCodes, graphql, register } from "../helpers/gateway.js";
import { sleep } from "../helpers/peers.js";
import { live, MESSAGE_SUBSCRIPTION, subscribed, type LiveClient } from "../helpers/realtime.js";
import { startPrimaryAndStandby, type ReplicaPair } from "../helpers/replica.js";

let pair: ReplicaPair;
let primary: Gateway, replica: Gateway;
let primaryRoot: pg.Pool, standbyRoot: pg.Pool;
const clients: LiveClient[] = [];
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

beforeAll(async () => {
  const config = testConfig();
  pair = await startPrimaryAndStandby(config, process.env.LIFEGRAPH_TEST_CURRENT === "1");
  primaryRoot = new pg.Pool({ connectionString: pair.primary.root("lifegraph"), max: 2 });
  standbyRoot = new pg.Pool({ connectionString: pair.standby.root("lifegraph"), max: 2 });
  primary = await startGateway(config, pair.primary.urls, logger);
  replica = await startGateway(
    testConfig({ GATEWAY_MODE: "replica", PRIMARY_DATABASE_URL: pair.primary.urls.owner, REALTIME_POLL_MS: "200" }),
    pair.standby.urls,
    logger,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.client.dispose()));
  await Promise.all([primary?.close(), replica?.close()]);
  await Promise.all([primaryRoot?.end(), standbyRoot?.end()]);
  await pair?.stop();
});

/** Retries `probe` until it returns something (replication takes a moment). */
async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function lagOf(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ currentUser { rowId } }" }),
  });
  await response.body?.cancel();
  return Number(response.headers.get("x-lifegraph-replica-lag"));
}

const GOALS = "{ goals { nodes { title } } }";
const CREATE_GOAL = `mutation ($title: String!) { createGoal(input: { goal: { title: $title } }) { goal { rowId } } }`;
const goalTitles = async (url: string, token: string) =>
  ((await graphql(url, GOALS, {}, token)).data?.goals.nodes as Array<{ title: string }> | undefined)?.map((g) => g.title);

describe("replica configuration", () => {
  it("needs the primary's URL, where rate limits are counted", () => {
    expect(() => testConfig({ GATEWAY_MODE: "replica" })).toThrow(/GATEWAY_MODE=replica needs PRIMARY_DATABASE_URL/);
  });
});

describe("a replica gateway on a streaming standby", () => {
  let ann: Awaited<ReturnType<typeof register>>;
  let bob: Awaited<ReturnType<typeof register>>;

  it("serves queries as the signed-in user, checking the session without writing", async () => {
    ann = await register(primary.url, "rep_ann");
    bob = await register(primary.url, "rep_bob");
    await graphql(primary.url, CREATE_GOAL, { title: "Read a book a month" }, ann.accessToken);
    // Once her session has replayed, the standby answers as her.
    const me = await eventually("ann's session on the standby", async () => {
      const response = await graphql(replica.url, "{ currentUser { username } }", {}, ann.accessToken);
      return response.status === 200 ? response : null;
    });
    expect(me.data.currentUser.username).toBe("rep_ann");
    expect(await eventually("the goal on the standby", async () => (await goalTitles(replica.url, ann.accessToken))?.length)).toBe(1);
    // Row-level security holds on the standby too.
    expect(await goalTitles(replica.url, bob.accessToken)).toEqual([]);
    const standby = await standbyRoot.query<{ recovery: boolean }>("select pg_is_in_recovery() as recovery");
    expect(standby.rows[0]!.recovery).toBe(true);
  });

  it("takes a READ API key made on the primary", async () => {
    const made = await graphql(primary.url, `mutation { createApiKey(input: { name: "reader", scopes: [READ] }) { result { secret } } }`, {}, ann.accessToken);
    const secret = made.data.createApiKey.result.secret as string;
    const titles = await eventually("the key on the standby", async () => {
      const response = await graphql(replica.url, GOALS, {}, secret);
      return response.status === 200 ? response.data.goals.nodes.map((g: { title: string }) => g.title) : null;
    });
    expect(titles).toEqual(["Read a book a month"]);
  });

  it("refuses mutations, sign-ins and refreshes with RDONL before any SQL", async () => {
    const attempts = [
      await graphql(replica.url, CREATE_GOAL, { title: "Written to a replica" }, ann.accessToken),
      await graphql(replica.url, `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`, { input: { login: "rep_ann", password: "Correct-Horse-9" } }),
      await graphql(replica.url, `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { ${AUTH_FIELDS} } }`, { input: { refreshToken: ann.refreshToken } }),
      await graphql(replica.url, `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`, { input: { username: "rep_new", email: "rep_new@example.com", password: "Correct-Horse-9" } }),
    ];
    for (const response of attempts) {
      // Refused before execution, as the query limits are: a request error (400 under application/graphql-response+json).
      expect([response.status, errorCodes(response), response.data ?? null]).toEqual([400, ["RDONL"], null]);
      // Our refusal, not Postgres's read-only error (which maps to RDONL with another message).
      expect(response.errors![0]!.message).toBe(READ_ONLY_MESSAGE);
    }
    // Over a websocket too.
    const socket = live(replica.url, ann.accessToken);
    clients.push(socket);
    const overSocket = socket.subscribe(CREATE_GOAL, { title: "Written over a replica's socket" });
    await eventually("the socket's answer", async () => overSocket.errors.length > 0 || overSocket.items.length > 0);
    expect(overSocket.errors.map((e: any) => e.extensions?.code)).toEqual(["RDONL"]);
    expect(await goalTitles(primary.url, ann.accessToken)).toEqual(["Read a book a month"]);
    // The refresh token was not spent: the primary still takes it.
    const refreshed = await graphql(primary.url, `mutation ($input: RefreshSessionInput!) { refreshSession(input: $input) { accessToken } }`, { input: { refreshToken: ann.refreshToken } });
    expect(refreshed.data.refreshSession.accessToken).toEqual(expect.any(String));
  });

  it("counts its requests' rate limits on the primary", async () => {
    const count = async () => (await primaryRoot.query<{ n: number }>("select count(*)::int as n from app_private.rate_limits where key like 'graphql_user%'")).rows[0]!.n;
    const before = await count();
    const carl = await register(primary.url, "rep_carl");
    await eventually("carl on the standby", async () => (await graphql(replica.url, "{ currentUser { rowId } }", {}, carl.accessToken)).status === 200);
    // The standby's gateway shares a key it meets within a few ms: on a loaded machine, later than its answer.
    expect(await eventually("carl's count on the primary", async () => (await count()) > before)).toBe(true);
  });

  it("delivers subscriptions by reading the replayed log (a standby cannot LISTEN)", async () => {
    // Friends, as test/helpers/peers.ts makes them (messages go to friends by default).
    await primaryRoot.query("select app_private.make_friends($1, $2, null)", [ann.user.rowId, bob.user.rowId]);
    const client = live(replica.url, bob.accessToken);
    clients.push(client);
    const messages = client.subscribe(MESSAGE_SUBSCRIPTION);
    await subscribed(replica.hub, 1);
    const sent = await graphql(primary.url, `mutation ($to: UUID!, $body: String!) { sendMessage(input: { recipientId: $to, bodyMd: $body }) { result { rowId } } }`,
      { to: bob.user.rowId, body: "written on the primary" }, ann.accessToken);
    expect(sent.errors).toBeUndefined();
    const items = await messages.waitFor(1, 10_000);
    expect(items[0]).toMatchObject({ kind: "MESSAGE", message: { id: sent.data.sendMessage.result.rowId, bodyMd: "written on the primary" } });
  });

  it("tells its replay lag: a write on the primary is not read here until the lag is back to 0", async () => {
    expect(await eventually("a caught-up standby", async () => (await lagOf(replica.url, ann.accessToken)) === 0 || null)).toBe(true);
    await standbyRoot.query("select pg_wal_replay_pause()");
    try {
      await graphql(primary.url, CREATE_GOAL, { title: "Written during the pause" }, ann.accessToken);
      expect(await goalTitles(primary.url, ann.accessToken)).toContain("Written during the pause");
      // The standby has received the write but not replayed it: it says it lags, and does not show it.
      const lag = await eventually("a lag", async () => {
        const seconds = await lagOf(replica.url, ann.accessToken);
        return seconds > 0 ? seconds : null;
      });
      expect(lag).toBeGreaterThan(0);
      expect(await goalTitles(replica.url, ann.accessToken)).not.toContain("Written during the pause");
    } finally {
      await standbyRoot.query("select pg_wal_replay_resume()");
    }
    await eventually("the lag back to 0", async () => (await lagOf(replica.url, ann.accessToken)) === 0);
    expect(await goalTitles(replica.url, ann.accessToken)).toContain("Written during the pause");
  });
});

// Rate limits shared through the database by every gateway, the login
// throttle that a stranger cannot turn into a lockout, one credential attempt
// per request, and register answering alike for known and unknown addresses.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pino from "pino";
import WebSocket from "ws";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { AUTH_FIELDS, errorCodes, type GraphQLResponse } from "../helpers/gateway.js";
import { sleep } from "../helpers/peers.js";

let db: TestDatabase;
let one: Gateway, two: Gateway;

beforeAll(async () => {
  db = await createTestDatabase({
    TRUST_PROXY: "true",
    RATE_LIMIT_AUTH_PER_IP: "6",
    RATE_LIMIT_AUTH_PER_ACCOUNT: "3",
    LOGIN_MAX_FAILURES_PER_IP: "3",
    LOGIN_MAX_FAILURES_PER_ACCOUNT: "6",
    RATE_LIMIT_GRAPHQL_PER_USER: "5",
    RATE_LIMIT_WEBSOCKETS_PER_IP: "2",
    CREDENTIAL_POOL_SIZE: "1",
  });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  // Two gateways on one database: nothing but the database is shared.
  one = await startGateway(db.config, db.urls, logger);
  two = await startGateway(db.config, db.urls, logger);
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close()]);
  await db?.drop();
});

interface Response extends GraphQLResponse {
  retryAfter: string | null;
}

/** A GraphQL request from `ip` (X-Forwarded-For: the gateways trust the proxy here). */
async function gql(gateway: Gateway, ip: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Response> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      "x-forwarded-for": ip,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse, "status">;
  return { status: response.status, retryAfter: response.headers.get("retry-after"), ...body };
}

let signUps = 0;
/** Registers from an address of its own (the per-IP limit is low here). */
async function register(gateway: Gateway, username: string) {
  const response = await gql(gateway, `10.9.8.${++signUps}`, `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { username, email: `${username}@example.com`, password: "Correct-Horse-9" } });
  if (!response.data?.register) throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
  return response.data.register as { accessToken: string; user: { rowId: string; username: string } };
}

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`;
const login = (gateway: Gateway, ip: string, name: string, password: string) =>
  gql(gateway, ip, LOGIN, { input: { login: name, password } });

describe("login throttling", () => {
  it("two gateways share the per-IP limit: past it, 429 with Retry-After and RATEL", async () => {
    const ip = "198.51.100.1";
    const answers: Response[] = [];
    // 6 attempts per IP, alternating gateways, each for a different (unknown) account.
    for (let i = 0; i < 7; i++) answers.push(await login(i % 2 ? two : one, ip, `nobody_${i}`, "Wrong-Password-1"));
    expect(answers.slice(0, 6).map((a) => [a.status, errorCodes(a)])).toEqual(Array(6).fill([200, ["LOGIN"]]));
    const refused = answers[6]!;
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(["RATEL"]);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // Another address is not affected.
    expect(errorCodes(await login(one, "198.51.100.2", "nobody_x", "Wrong-Password-1"))).toEqual(["LOGIN"]);
    const { rows } = await db.root.query("select count(*)::int as n from app_private.rate_limits");
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it("a stranger failing logins blocks only their own address: the owner signs in from another", async () => {
    const owner = await register(one, "throttled_owner");
    const stranger = "203.0.113.7";
    for (let i = 0; i < 3; i++) {
      expect(errorCodes(await login(i % 2 ? two : one, stranger, "throttled_owner", `Wrong-Password-${i}`))).toEqual(["LOGIN"]);
    }
    // The pair is blocked, on both gateways, even with the right password.
    for (const gateway of [one, two]) {
      const blocked = await login(gateway, stranger, "throttled_owner", "Correct-Horse-9");
      expect(blocked.status).toBe(429);
      expect(errorCodes(blocked)).toEqual(["LOCKD"]);
      expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    }
    // The owner, elsewhere, is not.
    const ok = await login(two, "192.0.2.10", "throttled_owner", "Correct-Horse-9");
    expect(ok.status).toBe(200);
    expect(ok.data.login.user.rowId).toBe(owner.user.rowId);
  });

  it("many addresses failing on one account: those that failed must wait, a clean address still signs in", async () => {
    await register(one, "besieged");
    // 6 failures on the account, 2 from each of 3 addresses (none reaches its own block of 3).
    for (const ip of ["203.0.113.21", "203.0.113.22", "203.0.113.23"]) {
      for (let i = 0; i < 2; i++) expect(errorCodes(await login(one, ip, "BESIEGED", "Wrong-Password-1"))).toEqual(["LOGIN"]);
    }
    const dirty = await login(two, "203.0.113.21", "besieged", "Correct-Horse-9");
    expect([dirty.status, errorCodes(dirty)]).toEqual([429, ["LOCKD"]]);
    const clean = await login(two, "192.0.2.20", "besieged", "Correct-Horse-9");
    expect(clean.data.login.user.username).toBe("besieged");
  });

  it("a success clears the failures of its address", async () => {
    await register(one, "forgiven");
    const ip = "192.0.2.30";
    for (let i = 0; i < 2; i++) await login(one, ip, "forgiven", "Wrong-Password-1");
    expect((await login(one, ip, "forgiven", "Correct-Horse-9")).data.login.user.username).toBe("forgiven");
    for (let i = 0; i < 2; i++) expect(errorCodes(await login(one, ip, "forgiven", "Wrong-Password-1"))).toEqual(["LOGIN"]);
    expect((await login(one, ip, "forgiven", "Correct-Horse-9")).data.login.user.username).toBe("forgiven");
  });
});

describe("credential checks on a pool of their own", () => {
  it("logins stuck in the database do not hold up a signed-in user's requests", async () => {
    const user = await register(one, "not_starved");
    const lock = await db.root.connect();
    let logins: Promise<Response>[] = [];
    try {
      // Every credential check now waits on the lock, holding its connection.
      await lock.query("begin; lock table app_private.user_secrets in access exclusive mode");
      logins = Array.from({ length: 8 }, (_, i) => login(one, `192.0.2.${110 + i}`, "not_starved", "Wrong-Password-1"));
      // Until a login waits on the lock: one, the credential pool's one connection.
      const waiting = async () => (await db.root.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%app_private.login(%'",
      )).rows[0].n as number;
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await waiting()).toBe(1);
      // More waiting logins than the owner pool has connections: the session check still runs.
      const me = await gql(one, "192.0.2.120", "{ currentUser { username } }", {}, user.accessToken);
      expect(me.data.currentUser.username).toBe("not_starved");
    } finally {
      await lock.query("rollback");
      lock.release();
    }
    for (const response of await Promise.all(logins)) expect(errorCodes(response)).toEqual(["LOGIN"]);
  });
});

describe("one credential attempt per request", () => {
  const aliased = (n: number) =>
    `mutation { ${Array.from({ length: n }, (_, i) => `a${i}: login(input: { login: "aliased", password: "Guess-${i}-xx" }) { accessToken }`).join("\n")} }`;

  it("an aliased login ×100 is refused with a code before any password is checked", async () => {
    await register(one, "aliased");
    const response = await gql(one, "192.0.2.40", aliased(100));
    // CREDX, or the query limits' alias cap (src/graphql) when it comes first: refused either way.
    const codes = new Set(errorCodes(response));
    expect(codes.size).toBe(1);
    expect(["CREDX", "QLIMT"]).toContain([...codes][0]);
    expect(JSON.stringify(response.data ?? {})).not.toContain("ey");
    // Nothing reached the throttle: no failure was counted for the account (3 would block it).
    for (let i = 0; i < 3; i++) expect(errorCodes(await login(one, "192.0.2.40", "aliased", "Wrong-Password-1"))).toEqual(["LOGIN"]);
  });

  it("three aliased logins, within every query limit, are refused with CREDX", async () => {
    const response = await gql(one, "192.0.2.42", aliased(3));
    expect(new Set(errorCodes(response))).toEqual(new Set(["CREDX"]));
    // Still nothing counted against the account from that address.
    for (let i = 0; i < 2; i++) expect(errorCodes(await login(one, "192.0.2.42", "aliased", "Wrong-Password-1"))).toEqual(["LOGIN"]);
  });

  it("login and register in one request are refused too", async () => {
    const response = await gql(one, "192.0.2.41", `mutation {
      a: login(input: { login: "x", password: "y" }) { accessToken }
      b: register(input: { username: "two_in_one", email: "two_in_one@example.com", password: "Correct-Horse-9" }) { accessToken } }`);
    expect(new Set(errorCodes(response))).toEqual(new Set(["CREDX"]));
    const { rowCount } = await db.root.query("select 1 from app_public.users where username = 'two_in_one'");
    expect(rowCount).toBe(0);
  });
});

describe("account mutations", () => {
  const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { user { username } } }`;

  it("register with a verified address of another account answers like a new one, and mails the owner", async () => {
    const owner = await register(one, "addr_owner");
    await db.root.query("update app_public.user_emails set is_verified = true where user_id = $1", [owner.user.rowId]);
    const known = await gql(one, "192.0.2.50", REGISTER, { input: { username: "addr_taker", email: "ADDR_OWNER@example.com", password: "Correct-Horse-9" } });
    const unknown = await gql(one, "192.0.2.51", REGISTER, { input: { username: "addr_fresh", email: "addr_fresh@example.com", password: "Correct-Horse-9" } });
    expect(known.status).toBe(unknown.status);
    expect(known.errors).toBeUndefined();
    expect(unknown.errors).toBeUndefined();
    expect(Object.keys(known.data.register)).toEqual(Object.keys(unknown.data.register));
    const mails = async (type: string) =>
      (await db.root.query(
        "select u.username, e.data ->> 'email' as email from app_public.notification_events e join app_public.users u on u.id = e.user_id where e.type = $1 order by e.created_at",
        [type],
      )).rows;
    // The owner is told; the newcomer gets no link to an address it cannot have.
    expect(await mails("account.address_in_use")).toEqual([{ username: "addr_owner", email: "addr_owner@example.com" }]);
    expect((await mails("account.verify_email")).map((m) => m.username)).not.toContain("addr_taker");
    const { rows } = await db.root.query(
      "select u.username, e.is_verified from app_public.user_emails e join app_public.users u on u.id = e.user_id where e.email = 'addr_owner@example.com' order by u.username",
    );
    expect(rows).toEqual([{ username: "addr_owner", is_verified: true }, { username: "addr_taker", is_verified: false }]);
    // Signing in by that address still reaches its owner.
    const ok = await login(one, "192.0.2.52", "addr_owner@example.com", "Correct-Horse-9");
    expect(ok.data.login.user.username).toBe("addr_owner");
  });

  it("createUserEmail with another account's verified address answers as usual and mails the owner", async () => {
    const owner = await register(one, "mail_owner");
    await db.root.query("update app_public.user_emails set is_verified = true where user_id = $1", [owner.user.rowId]);
    const other = await register(one, "mail_other");
    const add = (email: string) =>
      gql(one, "192.0.2.53", `mutation ($e: String!) { createUserEmail(input: { userEmail: { email: $e } }) { userEmail { email isVerified } } }`, { e: email }, other.accessToken);
    const known = await add("mail_owner@example.com");
    const unknown = await add("mail_unknown@example.com");
    expect(known.errors).toBeUndefined();
    expect(known.data.createUserEmail.userEmail.isVerified).toBe(unknown.data.createUserEmail.userEmail.isVerified);
    const { rows } = await db.root.query("select count(*)::int as n from app_public.notification_events where type = 'account.address_in_use' and user_id = $1", [owner.user.rowId]);
    expect(rows[0].n).toBe(1);
  });

  it("register and forgotPassword are limited per address: 429 RATEL; a refused register creates nothing", async () => {
    const ask = (ip: string) => gql(two, ip, `mutation { forgotPassword(input: { email: "limited@example.com" }) { result } }`);
    const answers: Response[] = [];
    for (let i = 0; i < 4; i++) answers.push(await ask(`192.0.2.${60 + i}`));
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect([answers[3]!.status, errorCodes(answers[3]!)]).toEqual([429, ["RATEL"]]);
    expect(Number(answers[3]!.retryAfter)).toBeGreaterThan(0);

    const reg = (i: number) => gql(one, `192.0.2.${70 + i}`, REGISTER, { input: { username: `spam_${i}`, email: "spammed@example.com", password: "Correct-Horse-9" } });
    for (let i = 0; i < 3; i++) expect((await reg(i)).status).toBe(200);
    const refused = await reg(3);
    expect([refused.status, errorCodes(refused)]).toEqual([429, ["RATEL"]]);
    const { rowCount } = await db.root.query("select 1 from app_public.users where username = 'spam_3'");
    expect(rowCount).toBe(0);
  });
});

describe("GraphQL requests and websockets", () => {
  it("a signed-in user has so many requests a minute, counted across gateways: then 429 RATEL", async () => {
    const user = await register(one, "busy_user");
    const key = `graphql_user:${createHash("sha256").update(user.user.rowId).digest("base64url").slice(0, 32)}`;
    const spent = async (points: number) => {
      for (let i = 0; i < 100; i++) {
        const { rows } = await db.root.query("select points from app_private.rate_limits where key = $1", [key]);
        if (rows[0]?.points === points) return;
        await sleep(50);
      }
      throw new Error(`the shared count never reached ${points}`);
    };
    const ask = (gateway: Gateway, i: number) => gql(gateway, `192.0.2.${80 + i}`, "{ currentUser { username } }", {}, user.accessToken);
    for (let i = 0; i < 3; i++) expect((await ask(one, i)).status).toBe(200);
    // The first gateway shares its count within RATE_LIMIT_SYNC_MS.
    await spent(3);
    // The other, meeting the user, admits its first point blind and shares it at once;
    // once that sync has returned it knows the first gateway's three, and one is left.
    // (On a loaded machine more than one request can pass while the sync is out: waiting
    // for it here keeps the count exact.)
    expect((await ask(two, 3)).status).toBe(200);
    await spent(4);
    let admitted = 0;
    let refused: Response | undefined;
    for (let i = 4; i < 10 && !refused; i++) {
      const answer = await ask(two, i);
      if (answer.status === 200) admitted++;
      else refused = answer;
    }
    expect(admitted).toBe(1);
    expect([refused?.status, errorCodes(refused!)]).toEqual([429, ["RATEL"]]);
    expect(Number(refused!.retryAfter)).toBeGreaterThan(0);
    // The first gateway, its client quiet, reads back a key near its limit every interval: it refuses too.
    await spent(5);
    await sleep(3 * db.config.RATE_LIMIT_SYNC_MS);
    expect(errorCodes(await ask(one, 8))).toEqual(["RATEL"]);
  });

  it("websocket connections per IP: the third from one address is answered 429", async () => {
    const open = (gateway: Gateway, ip: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${gateway.url.replace("http", "ws")}/graphql`, "graphql-transport-ws", { headers: { "x-forwarded-for": ip } });
        ws.once("open", () => {
          ws.close();
          resolve(101);
        });
        ws.once("unexpected-response", (_req, res) => {
          resolve(res.statusCode ?? 0);
          ws.terminate();
        });
        ws.once("error", () => resolve(-1));
      });
    expect(await open(one, "192.0.2.100")).toBe(101);
    expect(await open(two, "192.0.2.100")).toBe(101);
    expect(await open(one, "192.0.2.100")).toBe(429);
    expect(await open(one, "192.0.2.101")).toBe(101);
  });
});

describe("behind a trusted proxy (TRUST_PROXY)", () => {
  it("the door of /graphql takes the client's protocol from X-Forwarded-Proto: signed URLs say https", async () => {
    const user = await register(one, "proxied_user");
    const ask = (proto?: string) =>
      fetch(`${one.url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-forwarded-for": "192.0.2.200",
          ...(proto ? { "x-forwarded-proto": proto } : {}),
          authorization: `Bearer ${user.accessToken}`,
        },
        body: JSON.stringify({
          query: "mutation ($input: RequestUploadInput!) { requestUpload(input: $input) { uploadUrl } }",
          variables: { input: { bucket: "avatars", contentType: "image/png", size: 10 } },
        }),
      }).then((r) => r.json() as Promise<GraphQLResponse>);
    const behind = await ask("https");
    expect(behind.errors).toBeUndefined();
    expect(behind.data.requestUpload.uploadUrl).toMatch(/^https:\/\//);
    expect((await ask()).data.requestUpload.uploadUrl).toMatch(/^http:\/\//);
  });
});

// Trusted documents: a production gateway runs the example client's
// operations by id (the real client, as a process) and refuses raw
// documents and unknown ids with PERSQ over HTTP, websockets and SSE,
// running nothing; with ALLOW_ADMINS an administrator's raw document runs;
// outside production raw documents and ids both run.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pino from "pino";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { fromRoot } from "../../src/paths.js";
import { createUser, type TestUser } from "../helpers/db.js";
import { errorCodes, startTestGateway, type GraphQLResponse, type TestGateway } from "../helpers/gateway.js";
import { testConfig } from "../helpers/env.js";
import { live, sse } from "../helpers/realtime.js";

const manifest = JSON.parse(await readFile(fromRoot("examples", "client", "gql", "persisted-documents.json"), "utf8")) as Record<string, string>;
const idOf = (name: string) => Object.entries(manifest).find(([, d]) => d.includes(` ${name}`))![0];
const LOGIN = idOf("Login(");
const CURRENT_USER = idOf("CurrentUser ");

const RAW_ME = "query { currentUser { username } }";
const RAW_ENTRY = `mutation { createJournalEntry(input: { journalEntry: { contentMd: "raw" } }) { journalEntry { rowId } } }`;

let prod: TestGateway; // NODE_ENV=production: trusted documents on by default
let admins: Gateway; // the same database, TRUSTED_DOCUMENTS_ALLOW_ADMINS=true
let dev: Gateway; // NODE_ENV=test: off by default
let alice: TestUser;
let bob: TestUser;

async function post(url: string, body: Record<string, unknown>, token?: string): Promise<GraphQLResponse> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

async function tokenOf(user: TestUser): Promise<string> {
  const response = await post(prod.url, { documentId: LOGIN, variables: { login: user.username, password: user.password } });
  return response.data.login.accessToken;
}

const entries = async (userId: string) =>
  (await prod.db.root.query("select count(*)::int as n from app_public.journal_entries where user_id = $1", [userId])).rows[0].n as number;

beforeAll(async () => {
  prod = await startTestGateway({ NODE_ENV: "production" });
  const logger = pino({ level: "silent" });
  admins = await startGateway(testConfig({ NODE_ENV: "production", TRUSTED_DOCUMENTS_ALLOW_ADMINS: "true" }), prod.db.urls, logger);
  dev = await startGateway(testConfig(), prod.db.urls, logger);
  alice = await createUser(prod.db, "alice");
  bob = await createUser(prod.db, "bob");
  await prod.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [alice.id]);
  await prod.db.root.query("update app_public.privacy_settings set messages_from = 'everyone' where user_id = $1", [bob.id]);
});
afterAll(async () => {
  await admins?.close();
  await dev?.close();
  await prod?.close();
});

describe("production (TRUSTED_DOCUMENTS on by default)", () => {
  it("runs the example client, which sends only document ids", async () => {
    const child = spawn(fromRoot("node_modules", ".bin", "tsx"), ["examples/client/index.ts", prod.url, alice.username, alice.password, bob.username], {
      cwd: fromRoot(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining('"sentMessage"') });
    const lines = Object.assign({}, ...out.trim().split("\n").map((line) => JSON.parse(line)));
    expect(lines.currentUser).toMatchObject({ username: alice.username, isAdmin: true });
    expect(lines.journalEntries.nodes).toEqual(expect.arrayContaining([expect.objectContaining({ title: "Example client" })]));
    const { rows } = await prod.db.root.query("select body_md from app_public.direct_messages where sender_id = $1", [alice.id]);
    expect(rows).toEqual([{ body_md: expect.stringContaining("from the example client") }]);
  });

  it("accepts Apollo's extensions.persistedQuery as well", async () => {
    const token = await tokenOf(bob);
    const response = await post(prod.url, { extensions: { persistedQuery: { version: 1, sha256Hash: CURRENT_USER.replace("sha256:", "") } } }, token);
    expect(response.data.currentUser.username).toBe(bob.username);
  });

  it("refuses a raw document with PERSQ and runs nothing, signed in or not, admin or not", async () => {
    const before = await entries(alice.id);
    for (const token of [undefined, await tokenOf(bob), await tokenOf(alice)]) {
      const response = await post(prod.url, { query: RAW_ENTRY }, token);
      expect({ status: response.status, codes: errorCodes(response), data: response.data }).toEqual({ status: 400, codes: ["PERSQ"], data: undefined });
    }
    const login = await post(prod.url, { query: `mutation { login(input: { login: "${alice.username}", password: "${alice.password}" }) { accessToken } }` });
    expect(errorCodes(login)).toEqual(["PERSQ"]);
    expect(login.errors![0]!.message).toMatch(/trusted documents only/);
    expect(await entries(alice.id)).toBe(before);
  });

  it("refuses an id the manifest does not hold, and a raw query sent with GET", async () => {
    const unknown = await post(prod.url, { documentId: `sha256:${"0".repeat(64)}` });
    expect({ status: unknown.status, errors: unknown.errors }).toEqual({ status: 400, errors: [{ message: expect.stringMatching(/^Unknown document id/), extensions: { code: "PERSQ" } }] });
    const get = await fetch(`${prod.url}/graphql?${new URLSearchParams({ query: RAW_ME })}`, { headers: { accept: "application/json" } });
    expect(errorCodes({ status: get.status, ...((await get.json()) as object) })).toEqual(["PERSQ"]);
  });

  it("applies the same rule on websockets: an id runs, a raw document is refused", async () => {
    const socket = live(prod.url, await tokenOf(bob));
    try {
      const raw = socket.subscribe(RAW_ME);
      await raw.waitFor(1);
      expect(raw.errors.map((e) => (e as { extensions?: { code?: string } }).extensions?.code)).toEqual(["PERSQ"]);
      const byId = await new Promise<unknown>((resolve, reject) => {
        let last: unknown;
        // graphql-ws wants a query string; the id decides what runs.
        socket.client.subscribe({ query: "", documentId: CURRENT_USER } as { query: string }, {
          next: (value) => void (last = value),
          error: reject,
          complete: () => resolve(last),
        });
      });
      expect(byId).toMatchObject({ data: { currentUser: { rowId: bob.id, username: bob.username } } });
    } finally {
      await socket.client.dispose();
    }
  });

  it("applies the same rule to /graphql/stream (SSE)", async () => {
    const raw = sse(prod.url, await tokenOf(bob), RAW_ME);
    await raw.waitFor(1);
    expect(raw.ended).toBe(true);
    expect({ items: raw.items, codes: raw.errors.map((e) => (e as { extensions?: { code?: string } }).extensions?.code) }).toEqual({ items: [], codes: ["PERSQ"] });
  });
});

describe("production with TRUSTED_DOCUMENTS_ALLOW_ADMINS=true", () => {
  it("runs an administrator's raw document", async () => {
    const before = await entries(alice.id);
    const response = await post(admins.url, { query: RAW_ENTRY }, await tokenOf(alice));
    expect(response.errors).toBeUndefined();
    expect(response.data.createJournalEntry.journalEntry.rowId).toEqual(expect.any(String));
    expect(await entries(alice.id)).toBe(before + 1);
  });

  it("still refuses anyone else's, and anonymous ones", async () => {
    for (const token of [await tokenOf(bob), undefined]) {
      expect(errorCodes(await post(admins.url, { query: RAW_ME }, token))).toEqual(["PERSQ"]);
    }
  });

  it("runs an administrator's raw document on a websocket too", async () => {
    const socket = live(admins.url, await tokenOf(alice));
    try {
      const stream = socket.subscribe(RAW_ME);
      expect(await stream.waitFor(1)).toEqual([{ username: alice.username }]);
    } finally {
      await socket.client.dispose();
    }
  });
});

describe("development and tests (TRUSTED_DOCUMENTS off by default)", () => {
  it("runs raw documents and document ids alike", async () => {
    const token = await tokenOf(bob);
    expect((await post(dev.url, { query: RAW_ME }, token)).data).toEqual({ currentUser: { username: bob.username } });
    expect((await post(dev.url, { documentId: CURRENT_USER }, token)).data.currentUser.username).toBe(bob.username);
    expect(errorCodes(await post(dev.url, { documentId: "sha256:nope" }, token))).toEqual(["PERSQ"]);
  });
});

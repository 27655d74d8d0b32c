// Any number of gateways on one database: each reads the realtime log for
// its own sockets, so a change written through one reaches subscribers on
// another, here a second gateway process.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { fromRoot } from "../../src/paths.js";
import { graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend } from "../helpers/peers.js";
import { gqlOk, SEND_MESSAGE } from "../helpers/social.js";
import { FEED_SUBSCRIPTION, live, MESSAGE_SUBSCRIPTION, titles, untilLive, type LiveClient } from "../helpers/realtime.js";

let t: TestGateway;
let other: { child: ChildProcess; url: string };
let ann: Account, bob: Account;
const clients: LiveClient[] = [];

/** `npm run gateway` as its own process, on the test database. */
function startGatewayProcess(): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    PORT: "0",
    RUN_WORKER: "false",
    DATABASE_URL: t.db.urls.owner,
    AUTH_DATABASE_URL: t.db.urls.authenticator,
    JWT_SECRET: t.db.config.JWT_SECRET,
  };
  delete env.ROOT_DATABASE_URL;
  const child = spawn(fromRoot("node_modules", ".bin", "tsx"), ["src/start.ts", "gateway"], { cwd: fromRoot(), env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the second gateway did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /gateway listening on (http:\/\/[^"\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`the second gateway exited with ${code}:\n${output}`)));
  });
}

beforeAll(async () => {
  t = await startTestGateway();
  other = await startGatewayProcess();
  ann = await signUp(t.url, "gw_ann");
  bob = await signUp(t.url, "gw_bob");
  await befriend(t.db, ann.id, bob.id);
}, 90_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.client.dispose()));
  if (other) {
    const exited = new Promise((resolve) => other.child.once("exit", resolve));
    other.child.kill("SIGTERM");
    await exited;
  }
  await t.close();
});

describe("two gateway processes on one database", () => {
  it("delivers on one what was written through the other", async () => {
    const client = live(other.url, bob.token);
    clients.push(client);
    const messages = client.subscribe(MESSAGE_SUBSCRIPTION);
    const feed = client.subscribe(FEED_SUBSCRIPTION, { scope: "friends" });
    await untilLive(messages, () => gqlOk(other.url, SEND_MESSAGE, { to: bob.id, body: "warm-up" }, ann.token));

    const sent = await gqlOk(t.url, SEND_MESSAGE, { to: bob.id, body: "through the first gateway" }, ann.token);
    const updates = await messages.until((u) => u.message?.bodyMd === "through the first gateway", 10_000);
    expect(updates.at(-1)).toMatchObject({ kind: "MESSAGE", message: { id: sent.sendMessage.result.rowId, bodyMd: "through the first gateway" } });

    const goal = await graphql(t.url, `mutation { createGoal(input: { goal: { title: "Run a marathon", status: done } }) { goal { rowId } } }`, {}, ann.token);
    expect(goal.errors).toBeUndefined();
    const events = await feed.until((i) => i.event?.verb === "goals.done", 10_000);
    expect(titles(events.filter((i) => i.event?.verb === "goals.done"))).toEqual(["Run a marathon"]);
  });
});

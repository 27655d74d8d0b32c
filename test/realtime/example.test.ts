// examples/realtime-client.ts, run as a user would run it, against a gateway
// whose access tokens last 2 seconds: the server closes its socket with 4401
// again and again, and the client refreshes, resumes from its last cursor
// and misses nothing.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import { fromRoot } from "../../src/paths.js";
import { register, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { sleep } from "../helpers/peers.js";
import { emit } from "../helpers/realtime.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ ACCESS_TOKEN_TTL_SECONDS: "2" });
});
afterAll(async () => {
  await t.close();
});

describe("examples/realtime-client.ts", () => {
  it("prints every event once, in order, across token expiries", async () => {
    const user = await register(t.url, "ex_reader", "Example-Pass-1");
    const child = spawn(
      fromRoot("node_modules", ".bin", "tsx"),
      ["examples/realtime-client.ts", t.url, "ex_reader", "Example-Pass-1", "public", "6"],
      { cwd: fromRoot(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const deadline = Date.now() + 30_000;
      while (!stderr.includes("listening") && Date.now() < deadline) await sleep(50);
      await sleep(500);
      for (let i = 1; i <= 6; i++) {
        await emit(t.db, user.user.rowId, `example ${i}`);
        await sleep(900); // six events over five seconds: two or three expiries
      }
      expect(await Promise.race([exited, sleep(20_000).then(() => "still running")])).toBe(0);
    } finally {
      child.kill();
    }
    const updates = stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(updates.map((u) => u.event.metadata.goal_title)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `example ${i}`));
    expect(new Set(updates.map((u) => u.cursor)).size).toBe(6);
  }, 60_000);
});

// GET /admin/health (admins only) and /readyz, which says ready only once
// the GraphQL schema is built, as startGateway (and so the banner) waits for.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFile } from "node:fs/promises";
import getPort from "get-port";
import pino from "pino";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { fromRoot } from "../../src/paths.js";
import { createTestDatabase } from "../helpers/db.js";
import { signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
let admin: Account;
let member: Account;
beforeAll(async () => {
  t = await startTestGateway();
  admin = await signUp(t.url, "health_admin");
  member = await signUp(t.url, "health_member");
  await t.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
});
afterAll(async () => {
  await t.close();
});

const currentSqlIsEmpty = async () => !(await readFile(fromRoot("migrations", "current.sql"), "utf8"))
  .split("\n").some((line) => line.trim() && !line.trim().startsWith("--"));

const health = (token?: string) =>
  fetch(`${t.url}/admin/health`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("GET /admin/health", () => {
  it("is 401 without a token or with an invalid one", async () => {
    for (const token of [undefined, "not-a-token"]) {
      const response = await health(token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("AUTHN");
    }
  });

  it("is 403 for a signed-in user who is not an admin", async () => {
    const response = await health(member.token);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("DNIED");
  });

  it("gives an admin the database, contract, worker and provider state", async () => {
    const hasHeartbeats = (await t.db.root.query("select to_regclass('app_private.worker_heartbeats') is not null as p")).rows[0].p as boolean;
    const response = await health(admin.token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toEqual({
      status: expect.stringMatching(/^(ok|degraded)$/),
      problems: expect.any(Array),
      checkedAt: expect.any(String),
      database: { latencyMs: expect.any(Number), migration: { current: expect.stringMatching(/^\d{6}$/), expected: expect.stringMatching(/^\d{6}$/), upToDate: true } },
      // Uncommitted work in current.sql (LIFEGRAPH_TEST_CURRENT=1) is not yet the contract.
      contract: expect.objectContaining({ status: (await currentSqlIsEmpty()) ? "pass" : "drift", checkedAt: expect.any(String) }),
      worker: {
        heartbeats: hasHeartbeats ? expect.any(Array) : null,
        alive: hasHeartbeats ? expect.any(Number) : null,
        queue: { depth: expect.any(Number), ready: expect.any(Number), overdue: expect.any(Number), running: expect.any(Number), deadLetters: expect.any(Number) },
        deadLetters: expect.any(Number),
        deadDeliveries: 0,
      },
      providers: {
        email: { configured: false, reachable: null, checkedAt: expect.any(String) },
        push: { configured: false, reachable: null },
        webhooks: expect.objectContaining({ configured: true }),
      },
    });
    expect(Object.keys(body.contract.components)).toEqual([
      "migrations", "extensions", "tables", "columns", "types", "indexes", "constraints", "rls", "policies", "functions", "triggers", "grants",
    ]);
    expect(body.contract.components.extensions).toEqual({ status: "pass", differences: 0 });
  });

  it("counts dead letters: jobs out of attempts", async () => {
    await t.db.root.query("select graphile_worker.add_job('identity__prune_sessions', '{}', max_attempts => 1, job_key => 'health-dead')");
    await t.db.root.query("update graphile_worker._private_jobs set attempts = 1, last_error = 'boom' where key = 'health-dead'");
    try {
      const body = (await (await health(admin.token)).json()) as any;
      expect(body.worker.deadLetters).toBeGreaterThanOrEqual(1);
      expect(body.worker.queue.deadLetters).toBe(body.worker.deadLetters);
    } finally {
      await t.db.root.query("delete from graphile_worker._private_jobs where key = 'health-dead'");
    }
  });
});

describe("/readyz", () => {
  it("is 503 'starting' until the GraphQL schema is built; startGateway returns only then, and it is 200", async () => {
    const port = await getPort();
    const db = await createTestDatabase({ PORT: String(port) });
    let gateway: Gateway | undefined;
    try {
      let started = false;
      const starting = startGateway(db.config, db.urls, pino({ level: "silent" })).then((g) => {
        started = true;
        return g;
      });
      const before: Array<{ status: number; body: unknown }> = [];
      while (!started) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/readyz`);
          const seen = { status: response.status, body: await response.json() };
          if (!started) before.push(seen);
        } catch {
          // Not listening yet.
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      gateway = await starting;
      // Every answer before startGateway returned said "starting".
      expect(before.length).toBeGreaterThan(0);
      expect(before.filter((r) => r.status !== 503 || JSON.stringify(r.body) !== '{"status":"starting"}')).toEqual([]);
      const ready = await fetch(`${gateway.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
    } finally {
      if (gateway) await gateway.close();
      await db.drop();
    }
  });
});

// The HTTP surface around GraphQL: probes, body limit, CORS, Ruru switch.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, signUp, startTestGateway, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ CORS_ORIGINS: "https://app.example.com", MAX_REQUEST_BYTES: "2000", GRAPHIQL: "false" });
});
afterAll(async () => {
  await t.close();
});

describe("probes", () => {
  it("/healthz answers while the process lives", async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz is 200 when migrated, 503 when a migration is missing", async () => {
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
    const { rows } = await t.db.root.query("delete from graphile_migrate.migrations returning *");
    try {
      const response = await fetch(`${t.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "migrations pending" });
    } finally {
      for (const row of rows) {
        await t.db.root.query("insert into graphile_migrate.migrations (hash, previous_hash, filename, date) values ($1, $2, $3, $4)",
          [row.hash, row.previous_hash, row.filename, row.date]);
      }
    }
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });
});

describe("limits and headers", () => {
  it("refuses a body over MAX_REQUEST_BYTES", async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ currentUser { username } } # ${"x".repeat(3000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it("allows the configured origin only", async () => {
    const allowed = await fetch(`${t.url}/graphql`, { method: "OPTIONS", headers: { origin: "https://app.example.com", "access-control-request-method": "POST" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const other = await fetch(`${t.url}/graphql`, { method: "OPTIONS", headers: { origin: "https://evil.example.com", "access-control-request-method": "POST" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves no Ruru when GRAPHIQL=false, and GraphQL still works", async () => {
    expect((await fetch(`${t.url}/graphiql`)).status).toBe(404);
    expect((await graphql(t.url, "{ currentUser { username } }")).data.currentUser).toBeNull();
  });

  it("gives a query error back without masking it", async () => {
    const response = await graphql(t.url, "{ noSuchField }");
    expect(response.errors?.[0]?.message).toMatch(/noSuchField/);
  });
});

describe("a failure no handler answers", () => {
  it("is a JSON 500 with code INTERNAL and no cause, while the gateway keeps serving", async () => {
    const user = await signUp(t.url, "http_fail");
    // The session check of every signed-in request calls this function.
    await t.db.root.query("alter function app_private.touch_session(uuid, uuid) rename to touch_session_gone");
    try {
      const response = await fetch(`${t.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ query: "{ currentUser { username } }" }),
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ errors: [{ message: "Internal error.", extensions: { code: "INTERNAL" } }] });
    } finally {
      await t.db.root.query("alter function app_private.touch_session_gone(uuid, uuid) rename to touch_session");
    }
    expect((await graphql(t.url, "{ currentUser { username } }", {}, user.token)).data.currentUser.username).toBe("http_fail");
  });
});

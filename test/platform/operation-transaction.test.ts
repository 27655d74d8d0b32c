// Each GraphQL operation's transaction (src/graphql/pg-service.ts): opened
// with its settings in one round trip, the settings arriving exactly as given
// (whatever quotes they hold) and gone with the transaction, a failure rolled
// back whole, a nested transaction a savepoint, a read-only key's
// transaction refusing writes, and the sessions an operation ended reported
// before its result (the session cache forgets them without waiting for
// their NOTIFY).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { makeOperationsPgService } from "../../src/graphql/pg-service.js";
import { useTestDatabase } from "../helpers/db.js";

const t = useTestDatabase();
let pool: pg.Pool;
let withPgClient: Awaited<ReturnType<ReturnType<typeof makeOperationsPgService>["adaptor"]["createWithPgClient"]>>;
/** What the service reported as ended, operation by operation. */
const ended: string[][] = [];
/** Every statement sent on the pool's one connection, in order. */
const sent: string[] = [];

beforeAll(async () => {
  // One connection: each test sees what the one before it left behind.
  pool = new pg.Pool({ connectionString: t.db.urls.authenticator, max: 1 });
  // The test database is dropped with force at the end: its goodbye is expected.
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
      sent.push(typeof config === "string" ? config : (config as { text: string }).text);
      return query(config, ...rest);
    };
  });
  const service = makeOperationsPgService(pool, (ids) => ended.push(ids));
  withPgClient = await service.adaptor.createWithPgClient(service.adaptorSettings);
});

afterAll(async () => {
  await pool.end();
});

const HOSTILE = `it's a "quote"\\'; select pg_sleep(10); -- ✓`;

const setting = async (client: pg.PoolClient, name: string) =>
  (await client.query<{ value: string | null }>("select current_setting($1, true) as value", [name])).rows[0]!.value;

describe("an operation's transaction", () => {
  it("opens with every setting in one round trip, runs the operation, and commits in one more", async () => {
    sent.length = 0;
    const rows = await withPgClient(
      { role: t.db.config.DATABASE_VISITOR, "lifegraph.request_id": HOSTILE, statement_timeout: "1234" },
      async (client) => (await client.query<Record<string, string>>({
        text: "select current_user as role, current_setting('lifegraph.request_id') as request_id, current_setting('statement_timeout') as timeout, current_setting('jit_optimize_above_cost') as jit",
      })).rows,
    );
    expect(rows).toEqual([{ role: t.db.config.DATABASE_VISITOR, request_id: HOSTILE, timeout: "1234ms", jit: "-1" }]);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toMatch(/^begin; select set_config\(/);
    expect(sent[2]).toMatch(/; commit$/);
  });

  it("leaves none of its settings on the connection", async () => {
    const client = await pool.connect();
    try {
      expect(await setting(client, "lifegraph.request_id")).toBe("");
      expect(await setting(client, "role")).toBe("none");
      expect(await setting(client, "jit_optimize_above_cost")).not.toBe("-1");
    } finally {
      client.release();
    }
  });

  it("rolls back whole when the operation fails, and the connection serves the next one", async () => {
    sent.length = 0;
    await expect(withPgClient({ role: t.db.config.DATABASE_VISITOR }, async (client) => {
      await client.query({ text: "create temp table made_then_failed (id int)" });
      await client.query({ text: "select 1 / 0" });
    })).rejects.toThrow("division by zero");
    expect(sent.at(-1)).toBe("rollback");
    const tables = await withPgClient({ role: t.db.config.DATABASE_VISITOR }, async (client) =>
      (await client.query<{ n: number }>({ text: "select count(*)::int as n from pg_class where relname = 'made_then_failed'" })).rows);
    expect(tables).toEqual([{ n: 0 }]);
  });

  it("makes a nested transaction a savepoint: its failure undoes only itself", async () => {
    const names = await withPgClient({ role: t.db.config.DATABASE_VISITOR }, async (client) => {
      await client.query({ text: "create temp table kept (id int)" });
      await client.withTransaction(async (inner) => {
        await inner.query({ text: "create temp table undone (id int)" });
        throw new Error("inner fails");
      }).catch(() => undefined);
      return (await client.query<{ relname: string }>({
        text: "select relname from pg_class where relname in ('kept', 'undone') and relpersistence = 't' order by 1",
      })).rows.map((row) => row.relname);
    });
    expect(names).toEqual(["kept"]);
  });

  it("reports the sessions it ended before its result, and none when it ends none or rolls back", async () => {
    const session = async () => (await t.db.root.query<{ id: string }>(
      `with u as (insert into app_public.users (username) values ('ot_' || substr(md5(random()::text), 1, 12)) returning id)
       insert into app_private.sessions (user_id, expires_at) select id, now() + interval '1 hour' from u returning id`)).rows[0]!.id;
    const logout = (sessionId: string, then?: string) => withPgClient(
      { role: t.db.config.DATABASE_VISITOR, "jwt.claims.session_id": sessionId },
      async (client) => {
        const { rows } = await client.query<{ out: boolean }>({ text: "select app_public.logout() as out" });
        if (then) await client.query({ text: then });
        return { out: rows[0]!.out, reportedBefore: ended.length };
      },
    );
    ended.length = 0;
    const first = await session();
    expect(await logout(first)).toEqual({ out: true, reportedBefore: 0 });
    expect(ended).toEqual([[first]]);
    // Logged out already: nothing ended, nothing reported.
    expect(await logout(first)).toEqual({ out: false, reportedBefore: 1 });
    expect(ended).toEqual([[first]]);
    // Rolled back: the session stands, nothing reported.
    const second = await session();
    await expect(logout(second, "select 1 / 0")).rejects.toThrow("division by zero");
    expect(ended).toEqual([[first]]);
    expect((await t.db.root.query("select revoked_at from app_private.sessions where id = $1", [second])).rows).toEqual([{ revoked_at: null }]);
    // Two in one transaction: both, in one report.
    const third = await session();
    await withPgClient({ role: t.db.config.DATABASE_VISITOR }, async (client) => {
      await client.query({ text: `select set_config('jwt.claims.session_id', '${second}', true), app_public.logout()` });
      await client.query({ text: `select set_config('jwt.claims.session_id', '${third}', true), app_public.logout()` });
    });
    expect(ended).toEqual([[first], [second, third]]);
  });

  it("refuses writes when the settings make it read-only (READ-scoped API keys)", async () => {
    await expect(withPgClient({ role: t.db.config.DATABASE_VISITOR, transaction_read_only: "on" }, async (client) => {
      await client.query({ text: "create temp table written (id int)" });
    })).rejects.toMatchObject({ code: "25006" });
  });
});

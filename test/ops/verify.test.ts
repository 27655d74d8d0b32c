// db:verify: a freshly migrated database matches the contract
// (migrations/schema.sql) in every component; drift made on purpose is
// reported under its component, and the script then exits non-zero.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { catalogSnapshot, contractSnapshot, diffSnapshots, type Component, type Snapshot, type VerifyResult } from "../../src/ops/contract.js";
import { schemaDump } from "../../src/db/schema-dump.js";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";
import { TEST_DB_PREFIX } from "../helpers/env.js";

const t = useTestDatabase();
let contract: Snapshot;
// The contract is migrations/schema.sql; with LIFEGRAPH_TEST_CURRENT=1 the
// test database also holds current.sql, which is not in it yet: then the
// contract is this database's own dump (db:verify --contract).
let contractFile: string | undefined;
let tmp: string | undefined;

beforeAll(async () => {
  if (process.env.LIFEGRAPH_TEST_CURRENT === "1") {
    tmp = await mkdtemp(path.join(tmpdir(), "lifegraph-contract-"));
    contractFile = path.join(tmp, "schema.sql");
    await writeFile(contractFile, await schemaDump(t.db.config, t.db.urls.owner));
  }
  contract = await contractSnapshot(t.db.config, { rootUrl: t.db.urls.root!, scratchPrefix: `${TEST_DB_PREFIX}contract_`, dumpPath: contractFile });
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

function runVerify() {
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", JWT_SECRET: t.db.config.JWT_SECRET,
    DATABASE_URL: t.db.urls.owner, ROOT_DATABASE_URL: t.db.urls.root,
  };
  delete env.AUTH_DATABASE_URL;
  const result = spawnSync(fromRoot("node_modules", ".bin", "tsx"), ["scripts/ops/verify.ts", ...(contractFile ? ["--contract", contractFile] : [])], { cwd: fromRoot(), env, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** Runs `drift` in a transaction, diffs the catalog as the transaction sees it, rolls back. */
async function diffAfter(drift: (client: pg.PoolClient) => Promise<void>): Promise<VerifyResult> {
  const client = await t.db.root.connect();
  try {
    await client.query("begin");
    await drift(client);
    return diffSnapshots(contract, await catalogSnapshot(client));
  } finally {
    await client.query("rollback");
    client.release();
  }
}

const failing = (result: VerifyResult) => result.components.filter((c) => !c.ok).map((c) => c.component);
const differences = (result: VerifyResult, component: Component) =>
  result.components.find((c) => c.component === component)!.differences;

it("a migrated database matches the contract in every component", async () => {
  expect(Object.keys(contract.tables).length).toBeGreaterThan(80);
  expect(Object.keys(contract.policies).length).toBeGreaterThan(150);
  expect(Object.keys(contract.functions).length).toBeGreaterThan(200);
  expect(contract.extensions).toHaveProperty("citext");
  const result = await diffAfter(async () => {});
  expect(result.components.filter((c) => !c.ok)).toEqual([]);
  expect(result.ok).toBe(true);
});

describe("drift is reported under its component", () => {
  it("a dropped policy", async () => {
    const result = await diffAfter((c) => c.query("drop policy select_own on app_public.goals").then(() => {}));
    expect(failing(result)).toEqual(["policies"]);
    expect(differences(result, "policies")).toEqual([{ kind: "missing", key: "app_public.goals.select_own" }]);
  });

  it("an altered column: type, nullability and default", async () => {
    const result = await diffAfter(async (c) => {
      await c.query("alter table app_public.journal_entries alter column summary type varchar(500)");
      await c.query("alter table app_public.journal_entries alter column tags drop not null, alter column tags drop default");
    });
    expect(failing(result)).toEqual(["columns"]);
    expect(differences(result, "columns")).toEqual([
      { kind: "changed", key: "app_public.journal_entries.summary", changes: { type: ["text", "character varying(500)"] } },
      { kind: "changed", key: "app_public.journal_entries.tags", changes: { not_null: [true, false], default: ["'{}'::text[]", null] } },
    ]);
  });

  it("a replaced function body, its security and its search_path", async () => {
    const result = await diffAfter(async (c) => {
      const { rows } = await c.query("select pg_get_functiondef('app_public.current_user_id()'::regprocedure) as def");
      const def = (rows[0].def as string).replace(/\$function\$\s*$/, "-- drifted\n$function$");
      await c.query(def);
      await c.query("alter function app_public.current_user_id() security invoker");
      await c.query("alter function app_private.really_create_user(text, text, text, text) reset search_path");
    });
    expect(failing(result)).toEqual(["functions"]);
    const [reallyCreate, currentUserId] = differences(result, "functions");
    expect(reallyCreate).toEqual({
      kind: "changed", key: "app_private.really_create_user(username text, email text, password text, display_name text)",
      changes: { search_path: ["pg_catalog, public, pg_temp", "(not set)"] },
    });
    expect(currentUserId).toMatchObject({ kind: "changed", key: "app_public.current_user_id()" });
    expect(Object.keys(currentUserId!.changes!).sort()).toEqual(["body", "security"]);
    expect(currentUserId!.changes!.security).toEqual(["definer", "invoker"]);
  });

  it("RLS switched off, a dropped trigger, index and constraint, an extra grant", async () => {
    const result = await diffAfter(async (c) => {
      await c.query("alter table app_public.goals disable row level security");
      const { rows: [trigger] } = await c.query(`select tgname from pg_trigger where tgrelid = 'app_public.journal_entries'::regclass and not tgisinternal order by 1 limit 1`);
      await c.query(`drop trigger ${trigger.tgname} on app_public.journal_entries`);
      const { rows: [index] } = await c.query(`select i.indexrelid::regclass::text as name from pg_index i
        where i.indrelid = 'app_public.journal_entries'::regclass and not exists (select 1 from pg_constraint where conindid = i.indexrelid) limit 1`);
      await c.query(`drop index ${index.name}`);
      await c.query("alter table app_public.journal_entries drop constraint journal_title_length");
      await c.query(`grant update on app_public.journal_entries to ${t.db.config.DATABASE_VISITOR}`);
    });
    expect(failing(result).sort()).toEqual(["constraints", "grants", "indexes", "rls", "triggers"].sort());
    expect(differences(result, "rls")).toEqual([{ kind: "changed", key: "app_public.goals", changes: { enabled: [true, false] } }]);
    expect(differences(result, "triggers")).toEqual([expect.objectContaining({ kind: "missing", key: expect.stringMatching(/^app_public\.journal_entries\./) })]);
    expect(differences(result, "indexes")).toEqual([expect.objectContaining({ kind: "missing" })]);
    expect(differences(result, "constraints")).toEqual([{ kind: "missing", key: "app_public.journal_entries.journal_title_length" }]);
    expect(differences(result, "grants")).toEqual([expect.objectContaining({ kind: "changed", key: "table app_public.journal_entries" })]);
  });

  it("an extension moved to another schema (and the indexes whose operator class moved with it)", async () => {
    const result = await diffAfter((c) => c.query("alter extension pg_trgm set schema app_hidden").then(() => {}));
    expect(failing(result).sort()).toEqual(["extensions", "indexes"]);
    expect(differences(result, "extensions")).toEqual([{ kind: "changed", key: "pg_trgm", changes: { schema: ["public", "app_hidden"] } }]);
    for (const d of differences(result, "indexes")) expect(d.changes?.definition?.[1]).toMatch(/app_hidden\.gin_trgm_ops/);
  });
});

describe("npm run db:verify", () => {
  // Serial, in this order: the second drifts the test database for good.
  it("passes a clean database with exit 0, a line per component", () => {
    const { status, output } = runVerify();
    expect(output).toMatch(/^PASS {2}policies/m);
    expect(output).not.toMatch(/^FAIL/m);
    expect(output).toMatch(/matches the contract/);
    expect(status).toBe(0);
  });

  it("exits 1 on drift, naming each component and what differs", async () => {
    await t.db.root.query("drop policy select_own on app_public.goals");
    await t.db.root.query("alter table app_public.journal_entries alter column summary type varchar(500)");
    await t.db.root.query("alter function app_public.current_user_id() security invoker");
    const { status, output } = runVerify();
    expect(output).toMatch(/^FAIL {2}policies .*\n\s+missing\s+app_public\.goals\.select_own$/m);
    expect(output).toMatch(/^FAIL {2}columns .*\n\s+changed\s+app_public\.journal_entries\.summary\n\s+type: contract text\n\s+live\s+character varying\(500\)$/m);
    expect(output).toMatch(/^FAIL {2}functions .*\n\s+changed\s+app_public\.current_user_id\(\)\n\s+security: contract definer\n\s+live\s+invoker$/m);
    expect(output).toMatch(/^PASS {2}triggers/m);
    expect(output).toMatch(/has drifted/);
    expect(status).toBe(1);
  });
});

// The database contract: what migrations/schema.sql (the committed dump of
// our schemas) says the database is, against what a live database is.
//
// Both sides become the same normalised catalog snapshot, read from
// pg_catalog by the queries below: the contract's by restoring
// migrations/schema.sql into a scratch database on the same server (so role
// names and the server's own rendering of types and expressions agree), the
// live one from the database itself. Then each component (tables, columns,
// indexes, constraints, RLS, policies, functions, triggers, types,
// extensions, grants, migrations) is diffed key by key. `npm run db:verify`
// prints it; GET /admin/health shows a cached summary.
import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import pg from "pg";
import type { Config } from "../config.js";
import { fromRoot } from "../paths.js";
import { fillPlaceholders, rolePlaceholders } from "../db/roles.js";
import { SCHEMA_DUMP_PATH } from "../db/schema-dump.js";
import { latestCommittedMigration } from "../db/status.js";
import { migrateWorkerSchema } from "../db/migrate.js";
import { withDatabase } from "../db/urls.js";

export const CONTRACT_SCHEMAS = ["app_public", "app_hidden", "app_private"];

export const COMPONENTS = [
  "migrations", "extensions", "tables", "columns", "types", "indexes", "constraints",
  "rls", "policies", "functions", "triggers", "grants",
] as const;
export type Component = (typeof COMPONENTS)[number];

/** One component: key (a qualified object name) → its normalised properties. */
export type Objects = Record<string, Record<string, unknown>>;
export type Snapshot = Record<Component, Objects>;

interface Queryable {
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

// Each query returns a `key` column and the properties compared.
const QUERIES: Record<Exclude<Component, "migrations">, string> = {
  extensions: `select e.extname as key, n.nspname as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace`,
  tables: `select n.nspname || '.' || c.relname as key,
      case c.relkind when 'r' then 'table' when 'p' then 'partitioned table' when 'v' then 'view'
        when 'm' then 'materialized view' when 'f' then 'foreign table' when 'S' then 'sequence' end as kind,
      c.relpersistence = 'u' as unlogged,
      pg_get_expr(c.relpartbound, c.oid) as partition_of,
      case when c.relkind in ('v', 'm') then md5(pg_get_viewdef(c.oid)) end as definition
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')`,
  columns: `select n.nspname || '.' || c.relname || '.' || a.attname as key,
      row_number() over (partition by a.attrelid order by a.attnum)::int as position,
      format_type(a.atttypid, a.atttypmod) as type,
      a.attnotnull as not_null,
      pg_get_expr(d.adbin, d.adrelid) as default,
      nullif(a.attidentity, '') as identity,
      nullif(a.attgenerated, '') as generated
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and a.attnum > 0 and not a.attisdropped`,
  types: `select n.nspname || '.' || t.typname as key,
      case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'c' then 'composite' when 'r' then 'range' end as kind,
      case when t.typtype = 'e' then array_to_string(array(select enumlabel from pg_enum where enumtypid = t.oid order by enumsortorder), ', ') end as labels,
      case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base,
      case when t.typtype = 'd' then t.typnotnull end as not_null
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = any($1)
      and not exists (select 1 from pg_depend e where e.classid = 'pg_type'::regclass and e.objid = t.oid and e.deptype = 'e')
      and (t.typtype in ('e', 'd', 'r')
      or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))`,
  indexes: `select n.nspname || '.' || ci.relname as key, pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid
    from pg_index i join pg_class ci on ci.oid = i.indexrelid join pg_namespace n on n.oid = ci.relnamespace
    where n.nspname = any($1)`,
  constraints: `select n.nspname || '.' || coalesce(c.relname, t.typname) || '.' || co.conname as key,
      case co.contype when 'c' then 'check' when 'f' then 'foreign key' when 'p' then 'primary key'
        when 'u' then 'unique' when 't' then 'trigger' when 'x' then 'exclusion' else co.contype::text end as type,
      pg_get_constraintdef(co.oid) as definition,
      co.condeferrable as deferrable, co.condeferred as deferred, co.convalidated as validated
    from pg_constraint co
    join pg_namespace n on n.oid = co.connamespace
    left join pg_class c on c.oid = co.conrelid
    left join pg_type t on t.oid = co.contypid
    where n.nspname = any($1)`,
  rls: `select n.nspname || '.' || c.relname as key, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1) and c.relkind in ('r', 'p')`,
  policies: `select schemaname || '.' || tablename || '.' || policyname as key, permissive, cmd,
      array_to_string(array(select r from unnest(roles) r order by r), ', ') as roles, qual as using, with_check
    from pg_policies where schemaname = any($1)`,
  functions: `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as key,
      case p.prokind when 'f' then 'function' when 'p' then 'procedure' when 'a' then 'aggregate' when 'w' then 'window' end as kind,
      pg_get_function_result(p.oid) as returns,
      l.lanname as language,
      case when p.prosecdef then 'definer' else 'invoker' end as security,
      coalesce((select substr(c, 13) from unnest(p.proconfig) c where c like 'search_path=%'), '(not set)') as search_path,
      coalesce(array_to_string(array(select c from unnest(p.proconfig) c where c not like 'search_path=%' order by c), ', '), '') as settings,
      case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end as volatility,
      p.proisstrict as strict, p.proleakproof as leakproof,
      md5(coalesce(p.prosrc, '')) as body
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
    where n.nspname = any($1) and not exists (select 1 from pg_depend e where e.classid = 'pg_proc'::regclass and e.objid = p.oid and e.deptype = 'e')`,
  triggers: `select n.nspname || '.' || c.relname || '.' || t.tgname as key, pg_get_triggerdef(t.oid) as definition,
      case t.tgenabled when 'O' then 'enabled' when 'D' then 'disabled' when 'R' then 'replica' when 'A' then 'always' end as enabled
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where not t.tgisinternal and n.nspname = any($1)`,
  // Privileges as "grantee:privilege" lists (the owner's own and the grantor left out);
  // a null ACL is the object kind's default (functions: EXECUTE to PUBLIC).
  grants: `with objects as (
      select 'schema ' || nspname as key, nspacl as acl, nspowner as owner, 'n'::"char" as kind from pg_namespace where nspname = any($1)
      union all
      select case c.relkind when 'S' then 'sequence ' else 'table ' end || n.nspname || '.' || c.relname,
        c.relacl, c.relowner, case c.relkind when 'S' then 's' else 'r' end::"char"
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      union all
      select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname, a.attacl, c.relowner, null
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1) and a.attacl is not null and a.attnum > 0 and not a.attisdropped
      union all
      select 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
        p.proacl, p.proowner, 'f'
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = any($1) and not exists (select 1 from pg_depend e where e.classid = 'pg_proc'::regclass and e.objid = p.oid and e.deptype = 'e')
      union all
      select 'default privileges of ' || pg_get_userbyid(d.defaclrole) || ' in ' || n.nspname || ' on ' ||
        case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions' when 'T' then 'types' else 'schemas' end,
        d.defaclacl, 0, null
      from pg_default_acl d join pg_namespace n on n.oid = d.defaclnamespace where n.nspname = any($1)
    )
    select o.key, coalesce((
      select string_agg(g, ', ' order by g) from (
        select case when x.grantee = 0 then 'PUBLIC' else pg_get_userbyid(x.grantee) end || ':' || x.privilege_type ||
          case when x.is_grantable then ' (grantable)' else '' end as g
        from aclexplode(coalesce(o.acl, case when o.kind is not null then acldefault(o.kind, o.owner) end)) x
        where x.grantee <> o.owner
      ) privileges), '') as privileges
    from objects o`,
};

/** The normalised snapshot of a database's catalog for our schemas. */
export async function catalogSnapshot(db: Queryable): Promise<Snapshot> {
  const snapshot = {} as Snapshot;
  for (const [component, sql] of Object.entries(QUERIES) as Array<[Exclude<Component, "migrations">, string]>) {
    const { rows } = await db.query(sql, sql.includes("$1") ? [CONTRACT_SCHEMAS] : []);
    const objects: Objects = {};
    for (const { key, ...rest } of rows) objects[key as string] = rest;
    snapshot[component] = objects;
  }
  const { rows: [table] } = await db.query("select to_regclass('graphile_migrate.migrations') is not null as present");
  const migrated = table?.present
    ? await db.query<{ level: string | null }>("select substring(filename from '^(\\d+)') as level from graphile_migrate.migrations order by filename desc limit 1")
    : { rows: [] };
  snapshot.migrations = { level: { current: migrated.rows[0]?.level ?? null } };
  return snapshot;
}

/** Extensions the committed migrations create (the dump of our schemas holds none). */
async function contractExtensions(): Promise<Array<{ name: string; schema: string | null }>> {
  const folder = fromRoot("migrations", "committed");
  const found = new Map<string, string | null>();
  for (const file of (await readdir(folder)).filter((f) => f.endsWith(".sql"))) {
    const text = await readFile(`${folder}/${file}`, "utf8");
    for (const [, name, schema] of text.matchAll(/create extension\s+(?:if not exists\s+)?"?([\w-]+)"?(?:\s+with)?(?:\s+schema\s+(\w+))?/gi)) {
      found.set(name!.toLowerCase(), schema ?? null);
    }
  }
  return [...found].map(([name, schema]) => ({ name, schema }));
}

export interface ContractOptions {
  /** A superuser on the live database's server (the scratch database is made there). */
  rootUrl: string;
  /** The schema dump to restore (default: migrations/schema.sql). */
  dumpPath?: string;
  /** Prefix of the scratch database's name. */
  scratchPrefix?: string;
}

/**
 * The contract as a snapshot: migrations/schema.sql restored (with the
 * extensions and graphile-worker schema it relies on) into a scratch
 * database on the live server, read, and dropped.
 */
export async function contractSnapshot(config: Config, options: ContractOptions): Promise<Snapshot> {
  const dump = await readFile(options.dumpPath ?? SCHEMA_DUMP_PATH, "utf8");
  const name = `${options.scratchPrefix ?? "lifegraph_contract_"}${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: options.rootUrl });
  await admin.connect();
  const id = (s: string) => admin.escapeIdentifier(s);
  try {
    await admin.query(`create database ${id(name)} owner ${id(config.DATABASE_OWNER)} encoding 'utf8' template template0`);
    const scratchUrl = withDatabase(options.rootUrl, name);
    try {
      const scratch = new pg.Client({ connectionString: scratchUrl });
      await scratch.connect();
      try {
        for (const { name: ext, schema } of await contractExtensions()) {
          await scratch.query(`create extension if not exists ${id(ext)}${schema ? ` with schema ${id(schema)}` : ""}`);
        }
      } finally {
        await scratch.end();
      }
      await migrateWorkerSchema(scratchUrl);
      const restore = new pg.Client({ connectionString: scratchUrl });
      await restore.connect();
      try {
        // As pg_dump's own header would: bodies are not checked against
        // objects created later in the file, and the owner creates all.
        await restore.query(`set check_function_bodies = false; set client_min_messages = warning; set role ${id(config.DATABASE_OWNER)}`);
        await restore.query(fillPlaceholders(dump, rolePlaceholders(config, name)));
        await restore.query("reset role");
        const snapshot = await catalogSnapshot(restore);
        snapshot.migrations = { level: { current: await latestCommittedMigration() } };
        return snapshot;
      } finally {
        await restore.end();
      }
    } finally {
      await admin.query(`drop database if exists ${id(name)} with (force)`);
    }
  } finally {
    await admin.end();
  }
}

export interface Difference {
  kind: "missing" | "unexpected" | "changed";
  key: string;
  /** For `changed`: property → [contract, live]. */
  changes?: Record<string, [unknown, unknown]>;
}

export interface ComponentResult {
  component: Component;
  ok: boolean;
  /** Objects the contract has of this component. */
  count: number;
  differences: Difference[];
  /** Differences that do not fail the check (an extension the contract does not name). */
  notes: Difference[];
}

export interface VerifyResult {
  ok: boolean;
  components: ComponentResult[];
}

// Postgres prints an expression as it parsed it: `a and (b and c)` written
// in a migration comes back from the restored dump as `a and b and c`. So
// expressions compare without their parentheses (what they show is unchanged).
const EXPRESSIONS = new Set(["definition", "using", "with_check", "default"]);
const canonical = (prop: string, value: unknown) =>
  EXPRESSIONS.has(prop) && typeof value === "string" ? value.replace(/[()]/g, "").replace(/\s+/g, " ") : value ?? null;
const same = (prop: string, a: unknown, b: unknown) => JSON.stringify(canonical(prop, a)) === JSON.stringify(canonical(prop, b));

export function diffSnapshots(contract: Snapshot, live: Snapshot): VerifyResult {
  const components = COMPONENTS.map((component): ComponentResult => {
    const want = contract[component] ?? {};
    const have = live[component] ?? {};
    const differences: Difference[] = [];
    const notes: Difference[] = [];
    for (const key of Object.keys(want).sort()) {
      if (!(key in have)) {
        differences.push({ kind: "missing", key });
        continue;
      }
      const changes: Record<string, [unknown, unknown]> = {};
      for (const prop of new Set([...Object.keys(want[key]!), ...Object.keys(have[key]!)])) {
        if (!same(prop, want[key]![prop], have[key]![prop])) changes[prop] = [want[key]![prop] ?? null, have[key]![prop] ?? null];
      }
      if (Object.keys(changes).length) differences.push({ kind: "changed", key, changes });
    }
    for (const key of Object.keys(have).sort()) {
      if (key in want) continue;
      // Other extensions (pg_stat_statements, a host's own) are the server's business.
      (component === "extensions" ? notes : differences).push({ kind: "unexpected", key });
    }
    return { component, ok: differences.length === 0, count: Object.keys(want).length, differences, notes };
  });
  return { ok: components.every((c) => c.ok), components };
}

export async function verifyDatabase(config: Config, liveUrl: string, options: ContractOptions): Promise<VerifyResult> {
  const contract = await contractSnapshot(config, options);
  const live = new pg.Client({ connectionString: liveUrl });
  await live.connect();
  try {
    return diffSnapshots(contract, await catalogSnapshot(live));
  } finally {
    await live.end();
  }
}

const show = (value: unknown) => {
  const text = value === null || value === undefined ? "(none)" : typeof value === "string" ? value : JSON.stringify(value);
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
};

/** The report db:verify prints: a line per component, then what differs. */
export function formatVerifyResult(result: VerifyResult, maxPerComponent = 50, contractName = "migrations/schema.sql"): string {
  const lines: string[] = [];
  for (const c of result.components) {
    const summary = c.ok ? `${c.count} as in the contract` : `${c.differences.length} difference${c.differences.length === 1 ? "" : "s"}`;
    lines.push(`${c.ok ? "PASS" : "FAIL"}  ${c.component.padEnd(12)} ${summary}`);
    for (const d of [...c.differences.slice(0, maxPerComponent), ...c.notes.map((n) => ({ ...n, note: true }))]) {
      const note = "note" in d ? " (allowed)" : "";
      if (d.kind === "changed") {
        lines.push(`        changed     ${d.key}`);
        for (const [prop, [want, have]] of Object.entries(d.changes ?? {})) {
          lines.push(`                    ${prop}: contract ${show(want)}`);
          lines.push(`                    ${" ".repeat(prop.length)}  live     ${show(have)}`);
        }
      } else {
        lines.push(`        ${d.kind.padEnd(11)} ${d.key}${note}`);
      }
    }
    if (c.differences.length > maxPerComponent) lines.push(`        ... and ${c.differences.length - maxPerComponent} more`);
  }
  lines.push(result.ok ? `The database matches the contract (${contractName}).` : `The database has drifted from the contract (${contractName}).`);
  return lines.join("\n");
}

/** What /admin/health shows: pass/fail and a count per component. */
export function summariseVerifyResult(result: VerifyResult) {
  return {
    status: result.ok ? "pass" : "drift",
    components: Object.fromEntries(result.components.map((c) => [c.component, {
      status: c.ok ? "pass" : "fail",
      differences: c.differences.length,
      ...(c.ok ? {} : { first: c.differences.slice(0, 5).map((d) => `${d.kind} ${d.key}`) }),
    }])),
  };
}

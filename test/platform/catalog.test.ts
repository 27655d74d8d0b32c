// Catalog lints: rules every migration, present and future, must keep.
import { describe, expect, it } from "@jest/globals";
import { useTestDatabase } from "../helpers/db.js";

const t = useTestDatabase();

const APP_SCHEMAS = ["app_public", "app_hidden", "app_private"];

describe("catalog", () => {
  it("has tables to lint (the lints below are not vacuous)", async () => {
    const { rows } = await t.db.root.query("select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = any($1) and c.relkind = 'r'", [APP_SCHEMAS]);
    expect(rows[0].n).toBeGreaterThanOrEqual(7);
  });

  it("every table in app_* has RLS enabled and at least one policy", async () => {
    const { rows } = await t.db.root.query(
      `select n.nspname || '.' || c.relname as table_name, c.relrowsecurity as rls,
              (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p')
         and (not c.relrowsecurity or not exists (select 1 from pg_policy p where p.polrelid = c.oid))`,
      [APP_SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("every security definer function sets search_path", async () => {
    const { rows } = await t.db.root.query(
      `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prosecdef
         and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%')`,
      [APP_SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("authenticator, visitor and anonymous are not superuser or bypassrls, and own nothing", async () => {
    const roles = [t.db.config.DATABASE_AUTHENTICATOR, t.db.config.DATABASE_VISITOR, t.db.config.DATABASE_ANONYMOUS, t.db.config.DATABASE_OWNER];
    const { rows } = await t.db.root.query(
      "select rolname, rolsuper, rolbypassrls, rolinherit, rolcanlogin from pg_roles where rolname = any($1) order by rolname",
      [roles],
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row.rolsuper).toBe(false);
      expect(row.rolbypassrls).toBe(false);
    }
    expect(rows.find((r) => r.rolname === t.db.config.DATABASE_AUTHENTICATOR)).toMatchObject({ rolinherit: false, rolcanlogin: true });
    const owned = await t.db.root.query(
      `select c.relname from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = any($1)
       union all select p.proname from pg_proc p join pg_roles r on r.oid = p.proowner where r.rolname = any($1)
       union all select n.nspname from pg_namespace n join pg_roles r on r.oid = n.nspowner where r.rolname = any($1)`,
      [roles.slice(0, 3)],
    );
    expect(owned.rows).toEqual([]);
  });

  it("the authenticator may become only the visitor or anonymous", async () => {
    const { rows } = await t.db.root.query(
      `select g.rolname from pg_auth_members m join pg_roles g on g.oid = m.roleid join pg_roles u on u.oid = m.member
       where u.rolname = $1 order by 1`,
      [t.db.config.DATABASE_AUTHENTICATOR],
    );
    expect(rows.map((r) => r.rolname).sort()).toEqual([t.db.config.DATABASE_ANONYMOUS, t.db.config.DATABASE_VISITOR].sort());
  });

  it("the visitor has no table-wide INSERT or UPDATE (column lists only)", async () => {
    const { rows } = await t.db.root.query(
      `select table_schema || '.' || table_name as t, privilege_type from information_schema.role_table_grants
       where grantee = any($1) and privilege_type in ('INSERT', 'UPDATE') and table_schema = any($2)`,
      [[t.db.config.DATABASE_VISITOR, t.db.config.DATABASE_ANONYMOUS], APP_SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("the visitor has no privilege at all in app_private", async () => {
    const { rows } = await t.db.root.query(
      `select has_schema_privilege($1, 'app_private', 'usage') as usage,
              exists (select 1 from information_schema.role_table_grants where grantee = any($2) and table_schema = 'app_private') as tables,
              exists (select 1 from information_schema.role_routine_grants where grantee = any($2) and routine_schema = 'app_private') as routines`,
      [t.db.config.DATABASE_VISITOR, [t.db.config.DATABASE_VISITOR, t.db.config.DATABASE_ANONYMOUS, "PUBLIC"]],
    );
    expect(rows[0]).toEqual({ usage: false, tables: false, routines: false });
  });

  it("every foreign key has an index", async () => {
    const { rows } = await t.db.root.query(
      `select c.conrelid::regclass::text as t, c.conname from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and n.nspname = any($1)
         and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey)`,
      [APP_SCHEMAS],
    );
    expect(rows).toEqual([]);
  });
});

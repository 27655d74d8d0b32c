// Row-level security of every identity table, straight in SQL: user B can
// never read or change user A's rows. RLS-blocked UPDATE/DELETE are silent,
// so we assert on the `returning` set and on the rows that remain.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";

const t = useTestDatabase();
let a: TestUser;
let b: TestUser;
let aKeyId: string;

beforeAll(async () => {
  a = await createUser(t.db, "rls_a");
  b = await createUser(t.db, "rls_b");
  const { rows } = await t.db.root.query(
    "insert into app_public.api_keys (user_id, name, scopes, token_prefix) values ($1, 'ci', '{READ}', 'lg_x') returning id", [a.id],
  );
  aKeyId = rows[0].id;
});

describe("users", () => {
  it("public profiles are readable by everyone, anonymous included; friends-only ones (the default) by nobody else", async () => {
    const read = () => asUser(t.db, null, async (c) => (await c.query("select username from app_public.users where id = $1", [a.id])).rows);
    expect(await read()).toEqual([]);
    await t.db.root.query("update app_public.privacy_settings set profile_visibility = 'public' where user_id = $1", [a.id]);
    try {
      expect(await read()).toEqual([{ username: a.username }]);
    } finally {
      await t.db.root.query("update app_public.privacy_settings set profile_visibility = 'friends' where user_id = $1", [a.id]);
    }
  });

  it("B cannot update or delete A", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query("update app_public.users set display_name = 'x' where id = $1 returning id", [a.id])).rows).toEqual([]);
      expect((await c.query("delete from app_public.users where id = $1 returning id", [a.id])).rows).toEqual([]);
      // B's own row is writable: the policy is not simply closed.
      expect((await c.query("update app_public.users set display_name = 'Bee' where id = $1 returning display_name", [b.id])).rows)
        .toEqual([{ display_name: "Bee" }]);
    });
    const { rows } = await t.db.root.query("select display_name from app_public.users where id = $1", [a.id]);
    expect(rows[0].display_name).toBe(a.username);
  });

  it("nobody can write id or created_at, nor reach the admin and verified flags", async () => {
    await asUser(t.db, a.id, async (c) => {
      for (const column of ["created_at = now()", "id = gen_random_uuid()"]) {
        const result = await attempt(c, `update app_public.users set ${column} where id = $1`, [a.id]);
        expect(result.code).toBe("42501");
      }
      for (const statement of ["update app_private.user_flags set is_admin = true where user_id = $1", "select is_admin from app_private.user_flags where user_id = $1"]) {
        expect((await attempt(c, statement, [a.id])).code).toBe("42501");
      }
    });
  });

  it("the visitor cannot insert users directly", async () => {
    await asUser(t.db, a.id, async (c) => {
      expect((await attempt(c, "insert into app_public.users (username) values ('sneaky')")).code).toBe("42501");
    });
  });
});

describe("user_settings", () => {
  it("B can neither see nor change A's settings", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query("select * from app_public.user_settings where user_id = $1", [a.id])).rows).toEqual([]);
      expect((await c.query("update app_public.user_settings set timezone = 'Asia/Tokyo' where user_id = $1 returning user_id", [a.id])).rows).toEqual([]);
      expect((await c.query("select user_id from app_public.user_settings")).rows).toEqual([{ user_id: b.id }]);
    });
  });

  it("anonymous sees no settings at all", async () => {
    await asUser(t.db, null, async (c) => {
      expect((await attempt(c, "select * from app_public.user_settings")).code).toBe("42501");
    });
  });

  it("refuses an unknown time zone and keeps the old one", async () => {
    await asUser(t.db, a.id, async (c) => {
      expect((await attempt(c, "update app_public.user_settings set timezone = 'Mars/Olympus' where user_id = $1", [a.id])).code).toBe("23514");
      expect((await c.query("update app_public.user_settings set timezone = 'Asia/Kolkata' where user_id = $1 returning timezone", [a.id])).rows)
        .toEqual([{ timezone: "Asia/Kolkata" }]);
    });
  });
});

describe("user_emails", () => {
  it("B cannot read, add to, or delete A's emails", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query("select * from app_public.user_emails where user_id = $1", [a.id])).rows).toEqual([]);
      expect((await c.query("delete from app_public.user_emails where user_id = $1 returning id", [a.id])).rows).toEqual([]);
      // user_id is not a column the visitor may insert…
      expect((await attempt(c, "insert into app_public.user_emails (user_id, email) values ($1, 'x@example.com')", [a.id])).code).toBe("42501");
      // …and is_verified is not either.
      expect((await attempt(c, "insert into app_public.user_emails (email, is_verified) values ('y@example.com', true)")).code).toBe("42501");
      // An email B adds belongs to B.
      const added = await c.query("insert into app_public.user_emails (email) values ('b-second@example.com') returning user_id, is_verified");
      expect(added.rows).toEqual([{ user_id: b.id, is_verified: false }]);
    });
    const { rowCount } = await t.db.root.query("select 1 from app_public.user_emails where user_id = $1", [a.id]);
    expect(rowCount).toBe(1);
  });

  it("the primary email cannot be deleted", async () => {
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query("delete from app_public.user_emails where user_id = $1 and is_primary returning id", [a.id])).rows).toEqual([]);
    });
  });
});

describe("api_keys", () => {
  it("B cannot see or revoke A's keys", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query("select * from app_public.api_keys")).rows).toEqual([]);
      expect((await attempt(c, "select app_public.revoke_api_key($1)", [aKeyId])).code).toBe("NOFND");
      expect((await attempt(c, "update app_public.api_keys set revoked_at = now() where id = $1", [aKeyId])).code).toBe("42501");
    });
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query("select id from app_public.api_keys")).rows).toEqual([{ id: aKeyId }]);
    });
  });
});

describe("app_private", () => {
  it.each(["sessions", "user_secrets", "refresh_tokens", "api_key_secrets"])("is closed to the visitor: %s", async (table) => {
    await asUser(t.db, a.id, async (c) => {
      expect((await attempt(c, `select * from app_private.${table}`)).code).toBe("42501");
    });
  });

  it("a forged or revoked session id resolves to nobody", async () => {
    await asUser(t.db, a.id, async (c) => {
      await c.query("select set_config('jwt.claims.session_id', '00000000-0000-4000-8000-000000000000', true)");
      expect((await c.query("select app_public.current_user_id() as id")).rows).toEqual([{ id: null }]);
    });
  });
});

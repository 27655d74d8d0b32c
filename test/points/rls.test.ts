// Row-level security of the point accounts and ledger in SQL: user B never
// reads A's account or entries, anonymous reads nothing, administrators read
// all, and nobody writes either table directly.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { credit, makeAdmin } from "../marketplace/fixtures.js";

const t = useTestDatabase();
let a: TestUser;
let b: TestUser;
let admin: TestUser;

beforeAll(async () => {
  [a, b, admin] = [await createUser(t.db, "prls_a"), await createUser(t.db, "prls_b"), await createUser(t.db, "prls_admin")];
  await makeAdmin(t.db, admin.id);
  await credit(t.db, a.id, 70);
  await credit(t.db, b.id, 20);
});

describe.each(["point_accounts", "point_transactions"])("%s", (table) => {
  it("B reads only B's rows, never A's", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query(`select * from app_public.${table} where user_id = $1`, [a.id])).rows).toEqual([]);
      const users = (await c.query(`select distinct user_id from app_public.${table}`)).rows.map((r) => r.user_id);
      expect(users).toEqual([b.id]);
    });
  });

  it("A reads A's", async () => {
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query(`select user_id from app_public.${table} where user_id = $1`, [a.id])).rows.length).toBeGreaterThan(0);
    });
  });

  it("anonymous may not read it at all", async () => {
    await asUser(t.db, null, async (c) => {
      expect((await attempt(c, `select * from app_public.${table}`)).code).toBe("42501");
    });
  });

  it("an administrator reads everyone's", async () => {
    await asUser(t.db, admin.id, async (c) => {
      const users = new Set((await c.query(`select user_id from app_public.${table}`)).rows.map((r) => r.user_id));
      expect(users.has(a.id) && users.has(b.id)).toBe(true);
    });
  });

  it("nobody writes it directly, admins included (42501)", async () => {
    for (const user of [a, admin]) {
      await asUser(t.db, user.id, async (c) => {
        expect((await attempt(c, `update app_public.${table} set user_id = user_id`)).code).toBe("42501");
        expect((await attempt(c, `delete from app_public.${table}`)).code).toBe("42501");
        expect((await attempt(c, `insert into app_public.${table} (user_id) values ($1)`, [user.id])).code).toBe("42501");
      });
    }
  });
});

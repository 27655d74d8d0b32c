// Row-level security of the profiles tables, straight in SQL: user B can
// never read or change user A's rows beyond what A's settings share, and the
// counts kept by triggers are out of every client's reach. RLS-blocked
// UPDATE/DELETE are silent, so we assert on the `returning` set and on the
// row as it then stands.
import { beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { asUser, attempt, type TestUser } from "../helpers/db.js";
import { befriend } from "../helpers/peers.js";
import { setPrivacy } from "../helpers/social.js";
import { asSuperuser, describeOwnedTable, failure, insertRow, withTwoUsers, type Row } from "../helpers/rls-matrix.js";

const users = withTwoUsers("prls");

describeOwnedTable({
  table: "profile_stats_daily",
  key: ["user_id", "stat_date"],
  seed: (userId) => ({
    user_id: userId, stat_date: "2024-03-01", followers_count: 1, following_count: 2, friends_count: 3,
    current_streak: 4, longest_streak: 5, completions_last_30_days: 6,
  }),
  // Written by the nightly task alone.
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

const visitor = () => users().db.config.DATABASE_VISITOR;
const rowNow = (client: pg.PoolClient, table: string, where: string, values: unknown[]) =>
  asSuperuser(client, visitor(), async () => (await client.query(`select * from app_public.${table} where ${where}`, values)).rows);

describe("personal_records", () => {
  let a: TestUser;
  let b: TestUser;
  const records: Record<string, Row> = {};

  beforeAll(async () => {
    ({ a, b } = users());
    for (const visibility of ["public", "friends", "private"]) {
      await insertRow(users().db, "personal_records", { user_id: a.id, category: `a_${visibility}`, value: 10, unit: "kg", visibility });
    }
    await insertRow(users().db, "personal_records", { user_id: b.id, category: "b_own", value: 1, unit: "kg", visibility: "private" });
    // As they stand after the trigger marked each the best of its category.
    for (const row of (await users().db.root.query("select * from app_public.personal_records where user_id = $1", [a.id])).rows) {
      records[row.visibility] = row;
    }
  });
  const visibleTo = (userId: string | null) => asUser(users().db, userId, async (c) =>
    (await c.query("select category from app_public.personal_records where user_id = $1 order by category", [a.id])).rows.map((r) => r.category));
  const withSettings = async (privacy: Parameters<typeof setPrivacy>[2], friends: boolean, fn: () => Promise<void>) => {
    const { db } = users();
    await setPrivacy(db, a.id, privacy);
    if (friends) await befriend(db, a.id, b.id);
    try {
      await fn();
    } finally {
      await db.root.query("delete from app_public.friendships where user_id in ($1, $2)", [a.id, b.id]);
      await setPrivacy(db, a.id, { profile_visibility: "friends", show_records: false });
    }
  };

  it("B reads none of A's records by default (friends-only profile, show_records off), only B's own", async () => {
    expect(await visibleTo(b.id)).toEqual([]);
    await asUser(users().db, b.id, async (c) => {
      expect((await c.query("select category from app_public.personal_records")).rows).toEqual([{ category: "b_own" }]);
    });
    expect(await visibleTo(a.id)).toEqual(["a_friends", "a_private", "a_public"]);
  });

  it("B reads what A shares: public records on a public profile with show_records; friends ones too as a friend; never private ones", async () => {
    await withSettings({ profile_visibility: "public", show_records: false }, true, async () => {
      expect(await visibleTo(b.id)).toEqual([]);
    });
    await withSettings({ profile_visibility: "public", show_records: true }, false, async () => {
      expect(await visibleTo(b.id)).toEqual(["a_public"]);
      expect(await visibleTo(null)).toEqual(["a_public"]);
    });
    await withSettings({ profile_visibility: "friends", show_records: true }, true, async () => {
      expect(await visibleTo(b.id)).toEqual(["a_friends", "a_public"]);
      expect(await visibleTo(null)).toEqual([]);
    });
    await withSettings({ profile_visibility: "private", show_records: true }, true, async () => {
      expect(await visibleTo(b.id)).toEqual([]);
    });
  });

  it("B cannot update or delete A's records, even those B may read: nothing returned, rows unchanged", async () => {
    await withSettings({ profile_visibility: "public", show_records: true }, true, async () => {
      await asUser(users().db, b.id, async (c) => {
        expect((await c.query("update app_public.personal_records set value = 999 where user_id = $1 returning *", [a.id])).rows).toEqual([]);
        expect((await c.query("delete from app_public.personal_records where user_id = $1 returning *", [a.id])).rows).toEqual([]);
        for (const row of Object.values(records)) expect(await rowNow(c, "personal_records", "id = $1", [row.id])).toEqual([row]);
      });
    });
  });

  it("B cannot insert a record as A: user_id is not writable, and the policy's WITH CHECK refuses it too", async () => {
    await asUser(users().db, b.id, async (c) => {
      const sql = "insert into app_public.personal_records (user_id, category, value, unit) values ($1, 'forged', 1, 'kg')";
      expect(await failure(c, sql, [a.id])).toEqual({ code: "42501", rls: false });
      await asSuperuser(c, visitor(), () => c.query(`grant insert (user_id) on app_public.personal_records to ${visitor()}`));
      expect(await failure(c, sql, [a.id])).toEqual({ code: "42501", rls: true });
    });
  });

  it("B cannot hand B's record to A (user_id not writable; WITH CHECK behind it)", async () => {
    await asUser(users().db, b.id, async (c) => {
      const sql = "update app_public.personal_records set user_id = $1 where user_id = $2";
      expect(await failure(c, sql, [a.id, b.id])).toEqual({ code: "42501", rls: false });
      await asSuperuser(c, visitor(), () => c.query(`grant update (user_id) on app_public.personal_records to ${visitor()}`));
      expect(await failure(c, sql, [a.id, b.id])).toEqual({ code: "42501", rls: true });
    });
  });

  it("nobody writes is_personal_best, the owner included", async () => {
    await asUser(users().db, a.id, async (c) => {
      expect((await attempt(c, "update app_public.personal_records set is_personal_best = false where user_id = $1", [a.id])).code).toBe("42501");
      expect((await attempt(c, "insert into app_public.personal_records (category, value, unit, is_personal_best) values ('x_y', 1, 'kg', true)")).code).toBe("42501");
    });
  });

  it("A inserts, updates and deletes A's own records", async () => {
    await asUser(users().db, a.id, async (c) => {
      const inserted = await c.query("insert into app_public.personal_records (category, value, unit) values ('a_new', 5, 'kg') returning user_id");
      expect(inserted.rows).toEqual([{ user_id: a.id }]);
      expect((await c.query("update app_public.personal_records set unit = 'lb' where id = $1 returning unit", [records.public!.id])).rows)
        .toEqual([{ unit: "lb" }]);
      expect((await c.query("delete from app_public.personal_records where id = $1 returning id", [records.private!.id])).rows)
        .toEqual([{ id: records.private!.id }]);
    });
  });
});

describe("user_locations", () => {
  let a: TestUser;
  let b: TestUser;
  let aRow: Row;

  beforeAll(async () => {
    ({ a, b } = users());
    aRow = await insertRow(users().db, "user_locations", { user_id: a.id, country_code: "FR", region_code: "IDF", is_visible: true });
    await insertRow(users().db, "user_locations", { user_id: b.id, country_code: "DE" });
    // Shared as widely as A can: the table still answers only to its owner.
    await setPrivacy(users().db, a.id, { profile_visibility: "public", show_location: true });
  });

  it("B reads only B's row, never A's, even when A shares it on the profile; anonymous may not read at all", async () => {
    await asUser(users().db, b.id, async (c) => {
      expect((await c.query("select * from app_public.user_locations where user_id = $1", [a.id])).rows).toEqual([]);
      expect((await c.query("select user_id from app_public.user_locations")).rows).toEqual([{ user_id: b.id }]);
      // Through the profile, as A shares it: country and region, for the profile's viewers.
      const shared = await c.query("select (app_public.users_location(u)).country_code from app_public.users u where u.id = $1", [a.id]);
      expect(shared.rows).toEqual([{ country_code: "FR" }]);
    });
    await asUser(users().db, a.id, async (c) => {
      expect((await c.query("select user_id from app_public.user_locations")).rows).toEqual([{ user_id: a.id }]);
    });
    await asUser(users().db, null, async (c) => {
      expect((await attempt(c, "select * from app_public.user_locations")).code).toBe("42501");
    });
  });

  it("B cannot update or delete A's row: nothing returned, row unchanged", async () => {
    await asUser(users().db, b.id, async (c) => {
      expect((await c.query("update app_public.user_locations set country_code = 'US' where user_id = $1 returning *", [a.id])).rows).toEqual([]);
      expect((await c.query("delete from app_public.user_locations where user_id = $1 returning *", [a.id])).rows).toEqual([]);
      expect(await rowNow(c, "user_locations", "user_id = $1", [a.id])).toEqual([aRow]);
    });
  });

  it("B cannot write a row for A: user_id is not writable, and the policies' WITH CHECK refuse it too", async () => {
    await asUser(users().db, b.id, async (c) => {
      await c.query("delete from app_public.user_locations where user_id = $1", [b.id]);
      const insert = "insert into app_public.user_locations (user_id, country_code) values ($1, 'US')";
      const give = "update app_public.user_locations set user_id = $1 where user_id = $2";
      await c.query("insert into app_public.user_locations (country_code) values ('NL')");
      expect(await failure(c, insert, [a.id])).toEqual({ code: "42501", rls: false });
      expect(await failure(c, give, [a.id, b.id])).toEqual({ code: "42501", rls: false });
      await asSuperuser(c, visitor(), () => c.query(`grant insert (user_id), update (user_id) on app_public.user_locations to ${visitor()}`));
      expect(await failure(c, insert, [a.id])).toEqual({ code: "42501", rls: true });
      expect(await failure(c, give, [a.id, b.id])).toEqual({ code: "42501", rls: true });
      expect(await rowNow(c, "user_locations", "user_id = $1", [a.id])).toEqual([aRow]);
    });
  });

  it("A updates and deletes A's own row", async () => {
    await asUser(users().db, a.id, async (c) => {
      expect((await c.query("update app_public.user_locations set region_code = 'ARA' where user_id = $1 returning region_code", [a.id])).rows)
        .toEqual([{ region_code: "ARA" }]);
      expect((await c.query("delete from app_public.user_locations where user_id = $1 returning user_id", [a.id])).rows).toEqual([{ user_id: a.id }]);
    });
  });
});

describe("app_private.profile_counts", () => {
  it.each([
    ["select", "select * from app_private.profile_counts"],
    ["update", "update app_private.profile_counts set followers_count = 1000"],
    ["insert", "insert into app_private.profile_counts (user_id) values (gen_random_uuid())"],
    ["delete", "delete from app_private.profile_counts"],
  ])("is out of every client's reach: %s (42501)", async (_, sql) => {
    for (const userId of [users().a.id, null]) {
      await asUser(users().db, userId, async (c) => {
        expect((await attempt(c, sql)).code).toBe("42501");
      });
    }
  });

  it("is read only through User.stats, which answers nothing for a profile B may not see, even when asked for it by a made-up row", async () => {
    const { db, a, b } = users();
    await db.root.query("update app_private.profile_counts set followers_count = 7 where user_id = $1", [a.id]);
    const statsOfA = () => asUser(db, b.id, async (c) =>
      (await c.query("select (app_public.users_stats(jsonb_populate_record(null::app_public.users, jsonb_build_object('id', $1::uuid)))).*", [a.id])).rows[0]);
    const locationOfA = () => asUser(db, b.id, async (c) =>
      (await c.query("select app_public.users_location(jsonb_populate_record(null::app_public.users, jsonb_build_object('id', $1::uuid))) as l", [a.id])).rows[0].l);
    try {
      await setPrivacy(db, a.id, { profile_visibility: "friends", show_location: true });
      await db.root.query("insert into app_public.user_locations (user_id, country_code, is_visible) values ($1, 'FR', true) on conflict (user_id) do update set is_visible = true", [a.id]);
      expect(await statsOfA()).toMatchObject({ followers_count: null, friends_count: null, last_active_at: null });
      expect(await locationOfA()).toBeNull();
      await setPrivacy(db, a.id, { profile_visibility: "public" });
      expect(await statsOfA()).toMatchObject({ followers_count: 7, current_streak: null });
      expect(await locationOfA()).not.toBeNull();
    } finally {
      await setPrivacy(db, a.id, { profile_visibility: "friends", show_location: false });
      await db.root.query("update app_private.profile_counts set followers_count = 0 where user_id = $1", [a.id]);
    }
  });
});

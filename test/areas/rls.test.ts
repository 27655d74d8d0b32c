// Row-level security of the life areas: the areas and their dimensions are
// shared and readable by everyone, changed by administrators only; a user's
// own area weights are theirs alone.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, type TestUser } from "../helpers/db.js";
import { asSuperuser, describeOwnedTable, insertRow, lifeAreaIds, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("are");
let area: Record<string, number>;
let admin: TestUser;
beforeAll(async () => {
  const { db } = users();
  area = await lifeAreaIds(db);
  admin = await createUser(db, "are_admin");
  await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
});

const superuser = <T>(c: Parameters<typeof asSuperuser>[0], fn: () => Promise<T>) =>
  asSuperuser(c, users().db.config.DATABASE_VISITOR, fn);

describe("life_areas and area_dimensions", () => {
  it("anonymous reads every area and dimension", async () => {
    await asUser(users().db, null, async (c) => {
      expect((await c.query("select count(*)::int as n from app_public.life_areas")).rows).toEqual([{ n: 16 }]);
      expect((await c.query("select count(*)::int as n from app_public.area_dimensions")).rows).toEqual([{ n: 34 }]);
    });
  });

  it("anonymous cannot change them (42501)", async () => {
    await asUser(users().db, null, async (c) => {
      expect((await attempt(c, "update app_public.life_areas set name = 'Hacked'")).code).toBe("42501");
      expect((await attempt(c, "update app_public.area_dimensions set name = 'Hacked'")).code).toBe("42501");
    });
  });

  it("a signed-in non-admin updates no row, and may not insert or delete", async () => {
    const { db, b } = users();
    await asUser(db, b.id, async (c) => {
      expect((await c.query("update app_public.life_areas set name = 'Hacked' where code = 'WRK' returning id")).rows).toEqual([]);
      expect((await c.query("update app_public.area_dimensions set name = 'Hacked' where code = 'throughput' returning id")).rows).toEqual([]);
      expect(await superuser(c, async () => (await c.query(
        "select a.name as area, d.name as dimension from app_public.life_areas a join app_public.area_dimensions d on d.area_id = a.id where d.code = 'throughput'",
      )).rows)).toEqual([{ area: "Work", dimension: "Throughput" }]);
      expect((await attempt(c, "insert into app_public.life_areas (code, name, emoji, color, default_weight, position) values ('NEW', 'New', 'x', '#000000', 0, 17)")).code).toBe("42501");
      expect((await attempt(c, "delete from app_public.life_areas where code = 'WRK'")).code).toBe("42501");
      expect((await attempt(c, "insert into app_public.area_dimensions (area_id, code, name, default_weight) values ($1, 'sneaky', 'Sneaky', 0)", [area.WRK])).code).toBe("42501");
      expect((await attempt(c, "delete from app_public.area_dimensions where code = 'throughput'")).code).toBe("42501");
    });
  });

  it("an administrator can rename an area and a dimension, but not change their codes", async () => {
    await asUser(users().db, admin.id, async (c) => {
      expect((await c.query("update app_public.life_areas set name = 'Career' where code = 'WRK' returning name")).rows).toEqual([{ name: "Career" }]);
      expect((await c.query("update app_public.area_dimensions set name = 'Output' where code = 'throughput' returning name")).rows).toEqual([{ name: "Output" }]);
      expect((await attempt(c, "update app_public.life_areas set code = 'CAR' where code = 'WRK'")).code).toBe("42501");
    });
  });
});

describe("set_default_area_weights", () => {
  const SET = "select code, default_weight from app_public.set_default_area_weights('{WRK,PUR}', '{0.09,0.07}') where code in ('WRK', 'PUR')";

  it("is refused to a non-admin with DNIED", async () => {
    await asUser(users().db, users().b.id, async (c) => {
      expect((await attempt(c, SET)).code).toBe("DNIED");
    });
  });

  it("lets an administrator move default weight between areas", async () => {
    await asUser(users().db, admin.id, async (c) => {
      expect((await c.query(SET)).rows).toEqual([{ code: "WRK", default_weight: "0.09000" }, { code: "PUR", default_weight: "0.07000" }]);
      expect((await attempt(c, "select app_public.set_default_area_weights('{WRK}', '{0.5}')")).code).toBe("WEIGH");
    });
  });
});

describe("set_default_dimension_weights", () => {
  const SET = "select code, default_weight from app_public.set_default_dimension_weights('WRK', '{quality,throughput,trust}', '{0.5,0.25,0.25}')";

  it("is refused to a non-admin with DNIED", async () => {
    await asUser(users().db, users().b.id, async (c) => {
      expect((await attempt(c, SET)).code).toBe("DNIED");
    });
  });

  it("lets an administrator set an area's dimension weights together; they must still sum to 1", async () => {
    await asUser(users().db, admin.id, async (c) => {
      expect((await c.query(SET)).rows).toEqual([
        { code: "quality", default_weight: "0.50000" }, { code: "throughput", default_weight: "0.25000" }, { code: "trust", default_weight: "0.25000" },
      ]);
      expect((await attempt(c, "select app_public.set_default_dimension_weights('WRK', '{quality}', '{0.9}')")).code).toBe("WEIGH");
      expect((await attempt(c, "select app_public.set_default_dimension_weights('WRK', '{nope}', '{1}')")).code).toBe("NOFND");
      expect((await attempt(c, "select app_public.set_default_dimension_weights('XXX', '{quality}', '{1}')")).code).toBe("NOFND");
    });
  });
});

describeOwnedTable({
  table: "user_area_weights",
  key: ["user_id", "area_id"],
  // The area's default weight: a user's weights keep summing to 1 at commit.
  seed: (userId) => ({ user_id: userId, area_id: area.WRK, weight: 0.08 }),
  insert: () => ({ area_id: area.HLT, weight: 0.08 }),
  update: ["weight", 0.1],
}, users);

describe("set_area_weights", () => {
  it("replaces the caller's weights only", async () => {
    const { db, a, b } = users();
    await insertRow(db, "user_area_weights", { user_id: a.id, area_id: area.FIN, weight: 0.07 });
    await asUser(db, b.id, async (c) => {
      const result = await c.query("select user_id, area_id, weight from app_public.set_area_weights('{WRK,PUR}', '{0.10,0.06}') order by area_id");
      expect(result.rows).toEqual([
        { user_id: b.id, area_id: area.WRK, weight: "0.10000" },
        { user_id: b.id, area_id: area.PUR, weight: "0.06000" },
      ]);
      expect(await superuser(c, async () => (await c.query(
        "select weight from app_public.user_area_weights where user_id = $1 and area_id = $2", [a.id, area.FIN],
      )).rows)).toEqual([{ weight: "0.07000" }]);
    });
  });
});

// Row-level security of the achievements tables, straight in SQL: progress
// is its owner's alone; awards are their owner's, and others' only as the
// owner's privacy settings share them (never a secret one); definitions are
// everyone's but the secret ones, which only their earners and
// administrators see; no client writes progress or awards, and only
// administrators write definitions.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, type TestUser } from "../helpers/db.js";
import { befriend } from "../helpers/peers.js";
import { describeOwnedTable, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("arls");

describeOwnedTable({
  table: "achievement_progress",
  key: ["user_id", "event"],
  seed: (userId) => ({ user_id: userId, event: "journal_entries", progress: 3 }),
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

/** Sets privacy as superuser: profile visibility and whether achievements show. */
const privacy = (userId: string, profile: "public" | "friends" | "private", show: boolean) =>
  users().db.root.query("update app_public.privacy_settings set profile_visibility = $2, show_achievements = $3 where user_id = $1",
    [userId, profile, show]);

describe("user_achievements", () => {
  let a: TestUser;
  let b: TestUser;

  beforeAll(async () => {
    ({ a, b } = users());
    await users().db.root.query(
      "insert into app_public.user_achievements (user_id, achievement_code) values ($1, 'streak_7'), ($1, 'first_purchase'), ($2, 'friends_10')",
      [a.id, b.id]);
  });
  const codesOfA = (viewer: string | null) => asUser(users().db, viewer, async (c) =>
    (await c.query("select achievement_code from app_public.user_achievements where user_id = $1 order by 1", [a.id])).rows
      .map((r) => r.achievement_code));

  it("A reads all of A's awards, the secret one included; B reads none of A's by default (show_achievements off)", async () => {
    expect(await codesOfA(a.id)).toEqual(["first_purchase", "streak_7"]);
    expect(await codesOfA(b.id)).toEqual([]);
    expect(await codesOfA(null)).toEqual([]);
    await asUser(users().db, b.id, async (c) => {
      expect((await c.query("select user_id, achievement_code from app_public.user_achievements")).rows)
        .toEqual([{ user_id: b.id, achievement_code: "friends_10" }]);
    });
  });

  it("others read A's awards when A shows achievements on a profile they may see; never the secret one", async () => {
    const { db } = users();
    try {
      await privacy(a.id, "public", false);
      expect(await codesOfA(b.id)).toEqual([]);
      await privacy(a.id, "public", true);
      expect(await codesOfA(b.id)).toEqual(["streak_7"]);
      expect(await codesOfA(null)).toEqual(["streak_7"]);
      await privacy(a.id, "friends", true);
      expect(await codesOfA(b.id)).toEqual([]);
      await befriend(db, a.id, b.id);
      expect(await codesOfA(b.id)).toEqual(["streak_7"]);
      expect(await codesOfA(null)).toEqual([]);
      await privacy(a.id, "private", true);
      expect(await codesOfA(b.id)).toEqual([]);
    } finally {
      await db.root.query("delete from app_public.friendships where user_id in ($1, $2)", [a.id, b.id]);
      await db.root.query("delete from app_public.achievement_progress where user_id in ($1, $2)", [a.id, b.id]);
      await privacy(a.id, "friends", false);
    }
  });

  it("no visitor writes awards, for themselves or anyone (42501), and nothing changes", async () => {
    for (const user of [a, b]) {
      await asUser(users().db, user.id, async (c) => {
        expect((await attempt(c, "insert into app_public.user_achievements (achievement_code) values ('journal_100')")).code).toBe("42501");
        expect((await attempt(c, "insert into app_public.user_achievements (user_id, achievement_code) values ($1, 'journal_100')", [user.id])).code)
          .toBe("42501");
        expect((await attempt(c, "update app_public.user_achievements set awarded_at = now() - interval '1 year' where user_id = $1", [a.id])).code)
          .toBe("42501");
        expect((await attempt(c, "delete from app_public.user_achievements where user_id = $1", [a.id])).code).toBe("42501");
      });
    }
    await asUser(users().db, null, async (c) => {
      expect((await attempt(c, "insert into app_public.user_achievements (achievement_code) values ('journal_100')")).code).toBe("42501");
    });
    expect((await users().db.root.query("select count(*)::int as n from app_public.user_achievements where user_id = $1", [a.id])).rows)
      .toEqual([{ n: 2 }]);
  });

  it("nor calls the functions that award (app_private: 42501)", async () => {
    await asUser(users().db, a.id, async (c) => {
      expect((await attempt(c, "select app_private.advance_achievements($1, 'journal_entries', 1000)", [a.id])).code).toBe("42501");
      expect((await attempt(c, "select app_private.award_achievements($1, 'journal_entries', 1000)", [a.id])).code).toBe("42501");
    });
  });
});

describe("achievement_definitions", () => {
  const codes = (viewer: string | null) => asUser(users().db, viewer, async (c) =>
    (await c.query("select code from app_public.achievement_definitions order by code")).rows.map((r) => r.code));
  const everyPublic = ["friends_10", "journal_100", "podium", "streak_100", "streak_30", "streak_7"];

  it("everyone reads the public ones; a secret one only whoever earned it, and administrators", async () => {
    const { db, b } = users();
    expect(await codes(null)).toEqual(everyPublic);
    expect(await codes(b.id)).toEqual(everyPublic);
    // A earned the secret first_purchase (above).
    expect(await codes(users().a.id)).toEqual(["first_purchase", ...everyPublic].sort());
    await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [b.id]);
    try {
      expect(await codes(b.id)).toEqual(["first_purchase", ...everyPublic].sort());
    } finally {
      await db.root.query("update app_private.user_flags set is_admin = false where user_id = $1", [b.id]);
    }
  });

  it("only administrators write them: others are refused by row-level security, and nothing changes", async () => {
    const { db, a, b } = users();
    const insert = "insert into app_public.achievement_definitions (code, title, description, tier, event, threshold) values ('forged', 'F', 'F', 'gold', 'podiums', 1)";
    await asUser(db, a.id, async (c) => {
      expect((await attempt(c, insert)).code).toBe("42501");
      expect((await c.query("update app_public.achievement_definitions set points = 99999 returning code")).rows).toEqual([]);
      expect((await c.query("delete from app_public.achievement_definitions returning code")).rows).toEqual([]);
    });
    await asUser(db, null, async (c) => {
      expect((await attempt(c, insert)).code).toBe("42501");
    });
    await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [b.id]);
    try {
      await asUser(db, b.id, async (c) => {
        expect((await c.query(`${insert} returning code`)).rows).toEqual([{ code: "forged" }]);
        expect((await c.query("update app_public.achievement_definitions set points = 60 where code = 'streak_7' returning points")).rows)
          .toEqual([{ points: 60 }]);
        // The code is the key awards hold: not writable.
        expect((await attempt(c, "update app_public.achievement_definitions set code = 'streak_seven' where code = 'streak_7'")).code).toBe("42501");
      });
    } finally {
      await db.root.query("update app_private.user_flags set is_admin = false where user_id = $1", [b.id]);
    }
    expect((await db.root.query("select points from app_public.achievement_definitions where code = 'streak_7'")).rows).toEqual([{ points: 50 }]);
  });
});

// What profiles show of achievements (User.badges: achievements earned and
// competition places won) and what the owner sees of their own standing
// (my_achievement_progress): always everything to the owner; to others as
// the owner's privacy allows, never a secret achievement.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, type TestUser } from "../helpers/db.js";
import { befriend } from "../helpers/peers.js";
import { withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("abdg");
let a: TestUser;
let b: TestUser;
let competitionId: string;

const privacy = (userId: string, profile: "public" | "friends" | "private", show: boolean) =>
  users().db.root.query("update app_public.privacy_settings set profile_visibility = $2, show_achievements = $3 where user_id = $1",
    [userId, profile, show]);

beforeAll(async () => {
  ({ a, b } = users());
  const { db } = users();
  await db.root.query(
    `insert into app_public.user_achievements (user_id, achievement_code, awarded_at)
     values ($1, 'streak_7', now() - interval '3 days'), ($1, 'first_purchase', now() - interval '2 days')`, [a.id]);
  const { rows: [competition] } = await db.root.query(
    "insert into app_public.competitions (title, starts_at, ends_at) values ('Spring run', now() - interval '9 days', now() - interval '8 days') returning id");
  competitionId = competition.id;
  const { rows: rewards } = await db.root.query(
    "insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points) values ($1, 1, 3, 100), ($1, 2, 2, 20) returning id",
    [competitionId]);
  // Two rewards for one place: one badge.
  await db.root.query(
    `insert into app_public.competition_reward_grants (reward_id, competition_id, user_id, placement)
     values ($1, $3, $4, 2), ($2, $3, $4, 2)`,
    [rewards[0].id, rewards[1].id, competitionId, a.id]);
});

const badgesOfA = (viewer: string | null) => asUser(users().db, viewer, async (c) =>
  (await c.query(`select b.kind, b.code, b.title, b.tier, b.competition_id, b.placement
    from app_public.users u, app_public.users_badges(u) b where u.id = $1`, [a.id])).rows);

const podium = () => ({ kind: "competition", code: null, title: "Spring run", tier: "silver", competition_id: competitionId, placement: 2 });
const streak7 = { kind: "achievement", code: "streak_7", title: "Week of rituals", tier: "bronze", competition_id: null, placement: null };
// Earned by the grants themselves (a top-three place): the newest badge.
const podiumAchievement = { kind: "achievement", code: "podium", title: "On the podium", tier: "gold", competition_id: null, placement: null };
const secret = { kind: "achievement", code: "first_purchase", title: "First treat", tier: "bronze", competition_id: null, placement: null };

describe("User.badges", () => {
  it("the owner sees every badge, newest first: the podium achievement a place earned and one badge for the place (same moment), the secret one, the streak", async () => {
    expect(await badgesOfA(a.id)).toEqual([podiumAchievement, podium(), secret, streak7]);
  });

  it("others see none by default (show_achievements off), whatever the profile's visibility", async () => {
    await privacy(a.id, "public", false);
    try {
      expect(await badgesOfA(b.id)).toEqual([]);
      expect(await badgesOfA(null)).toEqual([]);
    } finally {
      await privacy(a.id, "friends", false);
    }
  });

  it("others see them when shown on a profile they may see, but never the secret achievement", async () => {
    const { db } = users();
    try {
      await privacy(a.id, "public", true);
      expect(await badgesOfA(b.id)).toEqual([podiumAchievement, podium(), streak7]);
      expect(await badgesOfA(null)).toEqual([podiumAchievement, podium(), streak7]);
      await privacy(a.id, "friends", true);
      expect(await badgesOfA(b.id)).toEqual([]);
      await befriend(db, a.id, b.id);
      expect(await badgesOfA(b.id)).toEqual([podiumAchievement, podium(), streak7]);
      expect(await badgesOfA(null)).toEqual([]);
      await privacy(a.id, "private", true);
      expect(await badgesOfA(b.id)).toEqual([]);
      expect(await badgesOfA(a.id)).toEqual([podiumAchievement, podium(), secret, streak7]);
    } finally {
      await db.root.query("delete from app_public.friendships where user_id in ($1, $2)", [a.id, b.id]);
      await privacy(a.id, "friends", false);
    }
  });

  it("a place in a private community's competition is shown only to those who may see the community", async () => {
    const { db } = users();
    const { rows: [community] } = await db.root.query(
      "insert into app_public.communities (name, slug, visibility, join_policy, founder_id) values ('Quiet club', 'quiet-club', 'private', 'invite', $1) returning id",
      [a.id]);
    try {
      await db.root.query("update app_public.competitions set community_id = $1 where id = $2", [community.id, competitionId]);
      await privacy(a.id, "public", true);
      expect(await badgesOfA(b.id)).toEqual([podiumAchievement, streak7]);
      expect((await badgesOfA(a.id)).map((x) => x.kind)).toEqual(["achievement", "competition", "achievement", "achievement"]);
    } finally {
      await db.root.query("update app_public.competitions set community_id = null where id = $1", [competitionId]);
      await db.root.query("delete from app_public.communities where id = $1", [community.id]);
      await privacy(a.id, "friends", false);
    }
  });
});

describe("my_achievement_progress", () => {
  const standing = (viewer: string) => asUser(users().db, viewer, async (c) =>
    (await c.query("select code, progress, threshold, awarded_at is not null as awarded from app_public.my_achievement_progress()")).rows);

  it("lists every public definition with the user's progress; a secret one only once earned", async () => {
    const { db } = users();
    await db.root.query("insert into app_public.journal_entries (user_id, content_md) select $1, 'x' from generate_series(1, 3)", [b.id]);
    expect(await standing(b.id)).toEqual([
      { code: "streak_7", progress: 0, threshold: 7, awarded: false },
      { code: "streak_30", progress: 0, threshold: 30, awarded: false },
      { code: "streak_100", progress: 0, threshold: 100, awarded: false },
      // Ann's friend for a while (above): the highest count reached stays.
      { code: "friends_10", progress: 1, threshold: 10, awarded: false },
      { code: "journal_100", progress: 3, threshold: 100, awarded: false },
      { code: "podium", progress: 0, threshold: 1, awarded: false },
    ]);
    const mine = await standing(a.id);
    expect(mine.map((r) => r.code)).toContain("first_purchase");
    expect(mine.find((r) => r.code === "streak_7")).toMatchObject({ awarded: true });
  });

  it("answers for the signed-in user only: B's call never shows A's progress, and B cannot read A's progress rows", async () => {
    const { db } = users();
    await db.root.query("insert into app_public.journal_entries (user_id, content_md) select $1, 'x' from generate_series(1, 7)", [a.id]);
    expect((await standing(b.id)).find((r) => r.code === "journal_100")).toMatchObject({ progress: 3 });
    await asUser(db, b.id, async (c) => {
      expect((await c.query("select * from app_public.achievement_progress where user_id = $1", [a.id])).rows).toEqual([]);
    });
    expect((await standing(a.id)).find((r) => r.code === "journal_100")).toMatchObject({ progress: 7 });
  });
});

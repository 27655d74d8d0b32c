// A profile's numbers over GraphQL (User.stats): followers, following and
// friends follow the social graph as it changes; streaks and completions are
// the owner's to show (show_streaks), always visible to the owner; a profile
// one may not see has no numbers at all.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend } from "../helpers/peers.js";
import { setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let ann: Account;
let ben: Account;
let cat: Account;
let dan: Account;
let eve: Account;

beforeAll(async () => {
  gw = await startTestGateway();
  [ann, ben, cat, dan, eve] = [
    await signUp(gw.url, "st_ann"), await signUp(gw.url, "st_ben"), await signUp(gw.url, "st_cat"),
    await signUp(gw.url, "st_dan"), await signUp(gw.url, "st_eve"),
  ];
});
afterAll(async () => {
  await gw.close();
});

interface Stats {
  followersCount: number | null;
  followingCount: number | null;
  friendsCount: number | null;
  currentStreak: number | null;
  longestStreak: number | null;
  completionsLast30Days: number | null;
  lastActiveAt: string | null;
}

/** `of`'s profile numbers as `as` sees them: undefined when the profile itself is invisible to them. */
const stats = async (as: Account | null, of: Account): Promise<Stats | null | undefined> => {
  const response = await graphql(gw.url, `query ($id: UUID!) { user(rowId: $id) { stats {
    followersCount followingCount friendsCount currentStreak longestStreak completionsLast30Days lastActiveAt } } }`, { id: of.id }, as?.token);
  expect(response.errors).toBeUndefined();
  return response.data.user === null ? undefined : response.data.user.stats;
};
const counts = async (of: Account) => {
  const own = (await stats(of, of))!;
  return { followers: own.followersCount, following: own.followingCount, friends: own.friendsCount };
};
const mutate = async (as: Account, mutation: string, variables: Record<string, unknown>) => {
  const response = await graphql(gw.url, mutation, variables, as.token);
  expect(response.errors).toBeUndefined();
  return response.data;
};
const follow = (as: Account, whom: Account) => mutate(as, `mutation ($id: UUID!) { followUser(input: { userId: $id }) { result } }`, { id: whom.id });
const unfollow = (as: Account, whom: Account) => mutate(as, `mutation ($id: UUID!) { unfollowUser(input: { userId: $id }) { result } }`, { id: whom.id });

describe("counts", () => {
  it("start at zero, with no streak and no activity yet", async () => {
    expect(await stats(ann, ann)).toEqual({
      followersCount: 0, followingCount: 0, friendsCount: 0, currentStreak: 0, longestStreak: 0, completionsLast30Days: 0, lastActiveAt: null,
    });
  });

  it("a friend request accepted counts a friend on both sides, and both were active", async () => {
    const requested = await mutate(ben, `mutation ($id: UUID!) { sendFriendRequest(input: { recipientId: $id }) { result { rowId } } }`, { id: ann.id });
    await mutate(ann, `mutation ($id: UUID!) { respondToFriendRequest(input: { requestId: $id, accept: true }) { result { status } } }`,
      { id: requested.sendFriendRequest.result.rowId });
    expect(await counts(ann)).toEqual({ followers: 0, following: 0, friends: 1 });
    expect(await counts(ben)).toEqual({ followers: 0, following: 0, friends: 1 });
    for (const user of [ann, ben]) {
      const active = (await stats(user, user))!.lastActiveAt;
      expect(active).not.toBeNull();
      expect(Math.abs(Date.now() - new Date(active!).getTime())).toBeLessThan(60_000);
    }
  });

  it("follows count for the followed and the follower, once each, and go when unfollowed", async () => {
    // One follows those whose profile one sees: public ones, here.
    await setPrivacy(gw.db, ann.id, { profile_visibility: "public" });
    await setPrivacy(gw.db, cat.id, { profile_visibility: "public" });
    await follow(cat, ann);
    expect((await follow(cat, ann)).followUser.result).toBe(false); // already following: no second count
    await follow(ben, ann);
    expect(await counts(ann)).toEqual({ followers: 2, following: 0, friends: 1 });
    expect(await counts(cat)).toEqual({ followers: 0, following: 1, friends: 0 });
    await follow(ann, cat);
    expect(await counts(ann)).toEqual({ followers: 2, following: 1, friends: 1 });
    expect(await counts(cat)).toEqual({ followers: 1, following: 1, friends: 0 });
    await unfollow(cat, ann);
    expect(await counts(ann)).toEqual({ followers: 1, following: 1, friends: 1 });
    expect(await counts(cat)).toEqual({ followers: 1, following: 0, friends: 0 });
  });

  it("a block ends the friendship and the follows between the two, and the counts follow", async () => {
    await follow(ann, ben);
    expect(await counts(ann)).toEqual({ followers: 1, following: 2, friends: 1 });
    await mutate(ann, `mutation ($id: UUID!) { blockUser(input: { userId: $id }) { result } }`, { id: ben.id });
    expect(await counts(ann)).toEqual({ followers: 0, following: 1, friends: 0 });
    expect(await counts(ben)).toEqual({ followers: 0, following: 0, friends: 0 });
    // The counts are the rows, exactly.
    const { rows } = await gw.db.root.query(
      `select (select count(*)::int from app_public.follows where followee_id = $1) as followers,
              (select count(*)::int from app_public.follows where follower_id = $1) as following,
              (select count(*)::int from app_public.friendships where user_id = $1) as friends`, [ann.id],
    );
    expect(rows[0]).toEqual({ followers: 0, following: 1, friends: 0 });
    // And the blocked one sees no profile, so no numbers.
    expect(await stats(ben, ann)).toBeUndefined();
  });
});

describe("streaks and completions", () => {
  beforeAll(async () => {
    await befriend(gw.db, ann.id, eve.id);
    const { rows } = await gw.db.root.query("insert into app_public.rituals (user_id, title, cadence) values ($1, 'Stretch', 'daily') returning id", [ann.id]);
    // Kept today and yesterday (a streak of 2, alive), and once 40 days ago (out of the 30-day window).
    for (const ago of ["0 days", "1 day", "40 days"]) {
      await gw.db.root.query("insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, now() - $3::interval)",
        [rows[0].id, ann.id, ago]);
    }
  });
  const ANN = { currentStreak: 2, longestStreak: 2, completionsLast30Days: 2 };
  const HIDDEN = { currentStreak: null, longestStreak: null, completionsLast30Days: null };

  it("are always the owner's to see", async () => {
    await setPrivacy(gw.db, ann.id, { profile_visibility: "private", show_streaks: false });
    expect(await stats(ann, ann)).toMatchObject(ANN);
  });

  it("are hidden from everyone else while show_streaks is off, though the counts show", async () => {
    await setPrivacy(gw.db, ann.id, { profile_visibility: "public", show_streaks: false });
    for (const viewer of [eve, dan, null]) {
      expect(await stats(viewer, ann)).toEqual({ ...HIDDEN, followersCount: 0, followingCount: 1, friendsCount: 1, lastActiveAt: expect.any(String) });
    }
  });

  it("show to whoever sees the profile once show_streaks is on, the same numbers as the owner's", async () => {
    await setPrivacy(gw.db, ann.id, { profile_visibility: "public", show_streaks: true });
    const own = await stats(ann, ann);
    for (const viewer of [eve, dan, null]) expect(await stats(viewer, ann)).toEqual(own);
    expect(own).toMatchObject(ANN);
  });

  it("a profile one may not see has no numbers: friends-only hides them from strangers and anonymous, not from friends", async () => {
    await setPrivacy(gw.db, ann.id, { profile_visibility: "friends", show_streaks: true });
    expect(await stats(eve, ann)).toMatchObject(ANN);
    expect(await stats(dan, ann)).toBeUndefined();
    expect(await stats(null, ann)).toBeUndefined();
    await setPrivacy(gw.db, ann.id, { profile_visibility: "private" });
    expect(await stats(eve, ann)).toBeUndefined();
  });
});

// Blocks and follows over the real gateway. A block ends the friendship, the
// follows both ways and open requests; across it neither side sees the other,
// and everything the blocked user tries is answered as for a user who does
// not exist. Follows need a profile you can see; the counts show in stats.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type GraphQLResponse, type TestGateway } from "../helpers/gateway.js";
import {
  befriend, BLOCK, everywhere, firstError, FOLLOW, gqlOk, rootRows, SEND_MESSAGE, SEND_REQUEST, setPrivacy, sightings, STATS, UNBLOCK, UNFOLLOW,
} from "../helpers/social.js";

let gw: TestGateway;
let n = 0;
const person = (name: string): Promise<Account> => signUp(gw.url, `bf${++n}_${name}`);
const MISSING = "00000000-0000-4000-8000-0000000000ff";

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const stats = async (of: Account, viewer: Account) => (await gqlOk(gw.url, STATS, { id: of.id }, viewer.token)).user?.stats ?? null;
const follows = (a: string, b: string) =>
  rootRows(gw.db, "select follower_id, followee_id from app_public.follows where $1 in (follower_id, followee_id) and $2 in (follower_id, followee_id) order by follower_id = $1 desc", [a, b]);
const friendships = (a: string, b: string) =>
  rootRows(gw.db, "select user_id from app_public.friendships where $1 in (user_id, friend_id) and $2 in (user_id, friend_id)", [a, b]);

async function profileOf(account: Account) {
  const me = (await gqlOk(gw.url, "{ currentUser { id username } }", {}, account.token)).currentUser;
  return { ...account, username: me.username as string, nodeId: me.id as string };
}

describe("blocking", () => {
  let a: Awaited<ReturnType<typeof profileOf>>;
  let b: Awaited<ReturnType<typeof profileOf>>;
  let c: Account;

  beforeAll(async () => {
    a = await profileOf(await person("ann"));
    b = await profileOf(await person("bob"));
    c = await person("cat");
    for (const u of [a, b]) await setPrivacy(gw.db, u.id, { profile_visibility: "public" });
  });

  it("before the block both see each other everywhere (the control)", async () => {
    expect(await sightings(gw.url, b.token, a)).toEqual(everywhere(true));
    expect(await sightings(gw.url, a.token, b)).toEqual(everywhere(true));
  });

  it("ends the friendship, the follows both ways and the pending requests; counts follow", async () => {
    await befriend(gw.url, a, b);
    await gqlOk(gw.url, FOLLOW, { id: b.id }, a.token);
    await gqlOk(gw.url, FOLLOW, { id: a.id }, b.token);
    // C's request to A and A's to nobody else: C is not blocked, its request stays.
    await gqlOk(gw.url, SEND_REQUEST, { to: a.id }, c.token);
    expect(await friendships(a.id, b.id)).toHaveLength(2);
    expect(await follows(a.id, b.id)).toHaveLength(2);
    expect(await stats(a, a)).toEqual({ followersCount: 1, followingCount: 1, friendsCount: 1 });

    expect((await gqlOk(gw.url, BLOCK, { id: b.id }, a.token)).blockUser.result).toBe(true);
    expect(await friendships(a.id, b.id)).toEqual([]);
    expect(await follows(a.id, b.id)).toEqual([]);
    expect(await stats(a, a)).toEqual({ followersCount: 0, followingCount: 0, friendsCount: 0 });
    expect(await stats(b, b)).toEqual({ followersCount: 0, followingCount: 0, friendsCount: 0 });
    expect(await rootRows(gw.db, "select requester_id from app_public.friend_requests where recipient_id = $1 and status = 'pending'", [a.id]))
      .toEqual([{ requester_id: c.id }]);
    // Only the blocker knows.
    expect((await gqlOk(gw.url, "{ blocks { nodes { blockedId } } }", {}, a.token)).blocks.nodes).toEqual([{ blockedId: b.id }]);
    expect((await gqlOk(gw.url, "{ blocks { nodes { blockedId } } }", {}, b.token)).blocks.nodes).toEqual([]);
  });

  it("cancels a pending request either way", async () => {
    const d = await person("dan");
    const e = await person("eve");
    await gqlOk(gw.url, SEND_REQUEST, { to: e.id }, d.token);
    await gqlOk(gw.url, BLOCK, { id: d.id }, e.token);
    expect(await rootRows(gw.db, "select status from app_public.friend_requests where requester_id = $1", [d.id])).toEqual([{ status: "cancelled" }]);
  });

  it("the blocked user no longer finds the blocker anywhere (users, user, userByUsername, node, searchUsers)", async () => {
    expect(await sightings(gw.url, b.token, a)).toEqual(everywhere(false));
  });

  it("nor does the blocker find the blocked", async () => {
    expect(await sightings(gw.url, a.token, b)).toEqual(everywhere(false));
  });

  it("others still see both", async () => {
    expect(await sightings(gw.url, c.token, a)).toEqual(everywhere(true));
    expect(await sightings(gw.url, c.token, b)).toEqual(everywhere(true));
  });

  it.each([
    ["a friend request", SEND_REQUEST, { message: "hello" }],
    ["a follow", FOLLOW, {}],
    ["a message", SEND_MESSAGE, { body: "hello" }],
  ])("%s from the blocked user gets NOFND, exactly as a nonexistent user id does; nothing is written", async (_, query, extra) => {
    await setPrivacy(gw.db, a.id, { messages_from: "everyone" });
    const count = async () => (await rootRows(gw.db, `select
      (select count(*) from app_public.friend_requests) + (select count(*) from app_public.follows)
      + (select count(*) from app_public.direct_messages) + (select count(*) from app_public.notification_events) as n`))[0].n;
    const before = await count();
    const call = (to: string, who: Account): Promise<GraphQLResponse> => graphql(gw.url, query, { to, id: to, ...extra }, who.token);
    const blocked = await call(a.id, b);
    const missing = await call(MISSING, b);
    expect(errorCodes(blocked)).toEqual(["NOFND"]);
    expect(firstError(blocked)).toEqual(firstError(missing));
    expect(Object.values(blocked.data ?? {})).toEqual(Object.values(missing.data ?? {}));
    // The blocker is refused the same way.
    expect(firstError(await call(b.id, a))).toEqual(firstError(await call(MISSING, a)));
    expect(await count()).toBe(before);
  });

  it("unblocking lets them see each other again; the friendship and follows do not come back", async () => {
    expect((await gqlOk(gw.url, UNBLOCK, { id: b.id }, b.token)).unblockUser.result).toBe(false); // not B's block to lift
    expect((await gqlOk(gw.url, UNBLOCK, { id: b.id }, a.token)).unblockUser.result).toBe(true);
    expect(await sightings(gw.url, b.token, a)).toEqual(everywhere(true));
    expect(await friendships(a.id, b.id)).toEqual([]);
    expect(await follows(a.id, b.id)).toEqual([]);
    expect((await gqlOk(gw.url, FOLLOW, { id: a.id }, b.token)).followUser.result).toBe(true);
  });

  it("blocking oneself or nobody is NOFND", async () => {
    expect(errorCodes(await graphql(gw.url, BLOCK, { id: a.id }, a.token))).toEqual(["NOFND"]);
    expect(errorCodes(await graphql(gw.url, BLOCK, { id: MISSING }, a.token))).toEqual(["NOFND"]);
  });
});

describe("following", () => {
  it("a public profile: follow (true), again (false), unfollow (true), again (false); the counts follow", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await setPrivacy(gw.db, b.id, { profile_visibility: "public" });
    expect((await gqlOk(gw.url, FOLLOW, { id: b.id }, a.token)).followUser.result).toBe(true);
    expect((await gqlOk(gw.url, FOLLOW, { id: b.id }, a.token)).followUser.result).toBe(false);
    expect(await follows(a.id, b.id)).toEqual([{ follower_id: a.id, followee_id: b.id }]);
    expect(await stats(b, b)).toEqual({ followersCount: 1, followingCount: 0, friendsCount: 0 });
    expect(await stats(a, a)).toEqual({ followersCount: 0, followingCount: 1, friendsCount: 0 });
    // Anyone who sees B's profile sees the same numbers, anonymous included.
    expect((await gqlOk(gw.url, STATS, { id: b.id })).user.stats).toEqual({ followersCount: 1, followingCount: 0, friendsCount: 0 });
    // Followers and following, from each side.
    expect((await gqlOk(gw.url, "{ currentUser { followers { nodes { followerId } } } }", {}, b.token)).currentUser.followers.nodes)
      .toEqual([{ followerId: a.id }]);
    expect((await gqlOk(gw.url, "{ currentUser { following { nodes { followeeId } } } }", {}, a.token)).currentUser.following.nodes)
      .toEqual([{ followeeId: b.id }]);

    expect((await gqlOk(gw.url, UNFOLLOW, { id: b.id }, a.token)).unfollowUser.result).toBe(true);
    expect((await gqlOk(gw.url, UNFOLLOW, { id: b.id }, a.token)).unfollowUser.result).toBe(false);
    expect(await follows(a.id, b.id)).toEqual([]);
    expect(await stats(b, b)).toEqual({ followersCount: 0, followingCount: 0, friendsCount: 0 });
    expect(await stats(a, a)).toEqual({ followersCount: 0, followingCount: 0, friendsCount: 0 });
  });

  it("a profile you cannot see (private; friends-only when you are not a friend) is NOFND, as nobody is", async () => {
    const a = await person("ann");
    const priv = await person("pri");
    const fo = await person("fri");
    await setPrivacy(gw.db, priv.id, { profile_visibility: "private" });
    await setPrivacy(gw.db, fo.id, { profile_visibility: "friends" });
    const missing = firstError(await graphql(gw.url, FOLLOW, { id: MISSING }, a.token));
    expect(missing?.code).toBe("NOFND");
    for (const target of [priv, fo]) {
      const response = await graphql(gw.url, FOLLOW, { id: target.id }, a.token);
      expect(response.data?.followUser ?? null).toBeNull();
      expect(firstError(response)).toEqual(missing);
    }
    expect(await rootRows(gw.db, "select 1 from app_public.follows where follower_id = $1", [a.id])).toEqual([]);
    // Their numbers are not shown either.
    expect(await stats(fo, a)).toBeNull();

    // Once friends, the friends-only profile can be followed; the private one never.
    await befriend(gw.url, a, fo);
    expect((await gqlOk(gw.url, FOLLOW, { id: fo.id }, a.token)).followUser.result).toBe(true);
    expect(await stats(fo, a)).toEqual({ followersCount: 1, followingCount: 0, friendsCount: 1 });
    await befriend(gw.url, a, priv);
    expect(firstError(await graphql(gw.url, FOLLOW, { id: priv.id }, a.token))).toEqual(missing);
  });

  it("following oneself is BADIN; anonymous cannot follow", async () => {
    const a = await person("ann");
    expect(errorCodes(await graphql(gw.url, FOLLOW, { id: a.id }, a.token))).toEqual(["BADIN"]);
    expect(errorCodes(await graphql(gw.url, FOLLOW, { id: a.id }))).toEqual(["DNIED"]);
  });
});

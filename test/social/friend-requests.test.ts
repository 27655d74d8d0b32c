// Friend requests over the real gateway: send (with a note), cancel, accept
// (two friendship rows, one each way), decline, unfriend; each refusal with
// its stable code and nothing written; the notifications each side gets.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type GraphQLResponse, type TestGateway } from "../helpers/gateway.js";
import {
  befriend, BLOCK, CANCEL, createBareUsers, firstError, gqlOk, notificationEvents, RESPOND, rootRows, SEND_REQUEST, setPrivacy, STATS, UNFRIEND,
} from "../helpers/social.js";

let gw: TestGateway;
let n = 0;
const person = (name: string): Promise<Account> => signUp(gw.url, `fr${++n}_${name}`);

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const send = (from: Account, to: string, message?: string) => graphql(gw.url, SEND_REQUEST, { to, message }, from.token);
const respond = (who: Account, id: string, accept: boolean) => graphql(gw.url, RESPOND, { id, accept }, who.token);
const friendshipsOf = (userId: string) =>
  rootRows(gw.db, "select user_id, friend_id, source_request_id from app_public.friendships where $1 in (user_id, friend_id) order by user_id = $1 desc", [userId]);
const requestsBetween = (a: string, b: string) =>
  rootRows(gw.db, "select requester_id, recipient_id, status, message from app_public.friend_requests where $1 in (requester_id, recipient_id) and $2 in (requester_id, recipient_id) order by created_at", [a, b]);

/** Row counts of everything a request could write. */
async function footprint() {
  const [row] = await rootRows(gw.db, `select
    (select count(*)::int from app_public.friend_requests) as requests,
    (select count(*)::int from app_public.friendships) as friendships,
    (select count(*)::int from app_public.notification_events) as notifications`);
  return row;
}

/** A refusal: the mutation answers null with exactly this code, and writes nothing anywhere. */
async function expectRefused(code: string, request: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const before = await footprint();
  const response = await request();
  expect(errorCodes(response)).toEqual([code]);
  expect(response.data?.sendFriendRequest ?? null).toBeNull();
  expect(await footprint()).toEqual(before);
  return response;
}

describe("sending, cancelling, accepting, declining", () => {
  it("sends a request with a (trimmed) message, and notifies the recipient with social.friend_request", async () => {
    const a = await person("ann");
    const b = await person("bob");
    const data = await gqlOk(gw.url, SEND_REQUEST, { to: b.id, message: "  Met you at the run club  " }, a.token);
    const request = data.sendFriendRequest.result;
    expect(request).toEqual({
      rowId: expect.any(String), requesterId: a.id, recipientId: b.id, status: "pending", message: "Met you at the run club", respondedAt: null,
    });
    expect(await requestsBetween(a.id, b.id)).toEqual([{ requester_id: a.id, recipient_id: b.id, status: "pending", message: "Met you at the run club" }]);
    expect(await friendshipsOf(a.id)).toEqual([]);

    const [event, ...more] = await notificationEvents(gw.db, b.id, "social.friend_request");
    expect(more).toEqual([]);
    expect(event!.data).toMatchObject({ from_username: `fr${n - 1}_ann`, message: "Met you at the run club", request_id: request.rowId });
    expect(await notificationEvents(gw.db, a.id, "social.friend_request")).toEqual([]);

    // Both ends see it; the recipient as received, the sender as sent.
    const seen = `{ currentUser { sentFriendRequests { nodes { rowId } } receivedFriendRequests { nodes { rowId } } } }`;
    expect((await gqlOk(gw.url, seen, {}, a.token)).currentUser).toEqual({
      sentFriendRequests: { nodes: [{ rowId: request.rowId }] }, receivedFriendRequests: { nodes: [] },
    });
    expect((await gqlOk(gw.url, seen, {}, b.token)).currentUser).toEqual({
      sentFriendRequests: { nodes: [] }, receivedFriendRequests: { nodes: [{ rowId: request.rowId }] },
    });
  });

  it("the sender cancels; the recipient can then neither accept nor decline it, and only the sender may cancel", async () => {
    const a = await person("ann");
    const b = await person("bob");
    const id = (await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token)).sendFriendRequest.result.rowId;

    // The recipient cannot cancel the sender's request: null, still pending.
    expect((await gqlOk(gw.url, CANCEL, { id }, b.token)).cancelFriendRequest.result).toBeNull();
    expect((await requestsBetween(a.id, b.id)).map((r) => r.status)).toEqual(["pending"]);

    const cancelled = (await gqlOk(gw.url, CANCEL, { id }, a.token)).cancelFriendRequest.result;
    expect(cancelled).toMatchObject({ rowId: id, status: "cancelled", respondedAt: expect.any(String) });
    expect(errorCodes(await respond(b, id, true))).toEqual(["NOFND"]);
    expect(errorCodes(await respond(b, id, false))).toEqual(["NOFND"]);
    // Cancelling again finds nothing pending.
    expect((await gqlOk(gw.url, CANCEL, { id }, a.token)).cancelFriendRequest.result).toBeNull();
    expect(await requestsBetween(a.id, b.id)).toEqual([{ requester_id: a.id, recipient_id: b.id, status: "cancelled", message: null }]);
    expect(await friendshipsOf(a.id)).toEqual([]);
  });

  it("the recipient accepts: one friendship row each way, counts of one, and social.friend_accepted for the sender", async () => {
    const a = await person("ann");
    const b = await person("bob");
    const id = (await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token)).sendFriendRequest.result.rowId;

    // Only the recipient answers: the sender's own answer finds no request of theirs.
    expect(errorCodes(await respond(a, id, true))).toEqual(["NOFND"]);
    expect(await friendshipsOf(a.id)).toEqual([]);

    const accepted = (await gqlOk(gw.url, RESPOND, { id, accept: true }, b.token)).respondToFriendRequest.result;
    expect(accepted).toMatchObject({ rowId: id, status: "accepted", respondedAt: expect.any(String) });
    expect(await friendshipsOf(a.id)).toEqual([
      { user_id: a.id, friend_id: b.id, source_request_id: id },
      { user_id: b.id, friend_id: a.id, source_request_id: id },
    ]);
    for (const me of [a, b]) {
      expect((await gqlOk(gw.url, STATS, { id: me.id }, me.token)).user.stats).toEqual({ followersCount: 0, followingCount: 0, friendsCount: 1 });
    }
    const accepts = await notificationEvents(gw.db, a.id, "social.friend_accepted");
    expect(accepts.map((e) => e.data.friend_username)).toEqual([`fr${n}_bob`]);
    expect(await notificationEvents(gw.db, b.id, "social.friend_accepted")).toEqual([]);

    // Each sees the other in their own friends list.
    const friends = `{ currentUser { friendships { nodes { friendId } } } }`;
    expect((await gqlOk(gw.url, friends, {}, a.token)).currentUser.friendships.nodes).toEqual([{ friendId: b.id }]);
    expect((await gqlOk(gw.url, friends, {}, b.token)).currentUser.friendships.nodes).toEqual([{ friendId: a.id }]);
    // Answering again finds nothing pending.
    expect(errorCodes(await respond(b, id, true))).toEqual(["NOFND"]);
  });

  it("the recipient declines: no friendship, no acceptance notice, and the sender may ask again later", async () => {
    const a = await person("ann");
    const b = await person("bob");
    const id = (await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token)).sendFriendRequest.result.rowId;
    const declined = (await gqlOk(gw.url, RESPOND, { id, accept: false }, b.token)).respondToFriendRequest.result;
    expect(declined).toMatchObject({ rowId: id, status: "declined", respondedAt: expect.any(String) });
    expect(await friendshipsOf(a.id)).toEqual([]);
    expect(await notificationEvents(gw.db, a.id, "social.friend_accepted")).toEqual([]);

    const again = (await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token)).sendFriendRequest.result;
    expect(again).toMatchObject({ status: "pending" });
    expect(again.rowId).not.toBe(id);
    expect((await requestsBetween(a.id, b.id)).map((r) => r.status)).toEqual(["declined", "pending"]);
  });

  it("B asking A while A's request to B is pending makes them friends (A's request accepted) and tells A", async () => {
    const a = await person("ann");
    const b = await person("bob");
    const id = (await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token)).sendFriendRequest.result.rowId;
    const crossing = (await gqlOk(gw.url, SEND_REQUEST, { to: a.id }, b.token)).sendFriendRequest.result;
    expect(crossing).toMatchObject({ rowId: id, requesterId: a.id, recipientId: b.id, status: "accepted" });
    expect(await requestsBetween(a.id, b.id)).toEqual([{ requester_id: a.id, recipient_id: b.id, status: "accepted", message: null }]);
    expect(await friendshipsOf(a.id)).toHaveLength(2);
    expect((await notificationEvents(gw.db, a.id, "social.friend_accepted")).map((e) => e.data.friend_username)).toEqual([`fr${n}_bob`]);
  });

  it("unfriend ends the friendship both ways (true), then finds none (false)", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await befriend(gw.url, a, b);
    expect(await friendshipsOf(a.id)).toHaveLength(2);
    expect((await gqlOk(gw.url, UNFRIEND, { id: a.id }, b.token)).unfriend.result).toBe(true);
    expect(await friendshipsOf(a.id)).toEqual([]);
    expect((await gqlOk(gw.url, UNFRIEND, { id: b.id }, a.token)).unfriend.result).toBe(false);
    for (const me of [a, b]) {
      expect((await gqlOk(gw.url, STATS, { id: me.id }, me.token)).user.stats.friendsCount).toBe(0);
    }
  });
});

describe("refusals: a stable code, and nothing written", () => {
  it("to oneself: BADIN", async () => {
    const a = await person("ann");
    await expectRefused("BADIN", () => send(a, a.id));
  });

  it("a second request while the first is pending: FRDUP", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token);
    await expectRefused("FRDUP", () => send(a, b.id, "again"));
  });

  it("to a friend: FRDUP, from either side", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await befriend(gw.url, a, b);
    await expectRefused("FRDUP", () => send(a, b.id));
    await expectRefused("FRDUP", () => send(b, a.id));
  });

  it("past 50 pending outgoing requests: FRLIM; cancelling one makes room again", async () => {
    const a = await person("ann");
    const others = await createBareUsers(gw.db, "lim", 51);
    const ids: string[] = [];
    for (const other of others.slice(0, 50)) {
      ids.push((await gqlOk(gw.url, SEND_REQUEST, { to: other }, a.token)).sendFriendRequest.result.rowId);
    }
    const [{ pending }] = await rootRows(gw.db, "select count(*)::int as pending from app_public.friend_requests where requester_id = $1 and status = 'pending'", [a.id]);
    expect(pending).toBe(50);
    await expectRefused("FRLIM", () => send(a, others[50]!));

    await gqlOk(gw.url, CANCEL, { id: ids[0] }, a.token);
    expect((await gqlOk(gw.url, SEND_REQUEST, { to: others[50] }, a.token)).sendFriendRequest.result.status).toBe("pending");
  });

  it("to someone who takes requests from nobody: FRNOT (their profile visible to you)", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await setPrivacy(gw.db, b.id, { profile_visibility: "public", friend_requests_from: "nobody" });
    await expectRefused("FRNOT", () => send(a, b.id));
  });

  it("to someone who takes requests from nobody and whose profile you cannot see: NOFND, as for nobody at all", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await setPrivacy(gw.db, b.id, { profile_visibility: "friends", friend_requests_from: "nobody" });
    const hidden = await expectRefused("NOFND", () => send(a, b.id));
    const missing = await expectRefused("NOFND", () => send(a, "00000000-0000-4000-8000-000000000001"));
    expect(firstError(hidden)).toEqual(firstError(missing));
  });

  it("friends of friends only: FRNOT without a mutual friend, accepted with one", async () => {
    const a = await person("ann");
    const b = await person("bob");
    const c = await person("cat");
    await setPrivacy(gw.db, b.id, { friend_requests_from: "friends_of_friends" });
    await expectRefused("FRNOT", () => send(a, b.id));
    // A friend of A's who is not B's friend does not count.
    const d = await person("dan");
    await befriend(gw.url, a, d);
    await expectRefused("FRNOT", () => send(a, b.id));
    // C, friend of both, does.
    await befriend(gw.url, a, c);
    await befriend(gw.url, b, c);
    expect((await gqlOk(gw.url, SEND_REQUEST, { to: b.id }, a.token)).sendFriendRequest.result.status).toBe("pending");
  });

  it("to someone who blocked you: NOFND, the very answer a nonexistent user id gets", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await setPrivacy(gw.db, b.id, { profile_visibility: "public" });
    await gqlOk(gw.url, BLOCK, { id: a.id }, b.token);
    const blocked = await expectRefused("NOFND", () => send(a, b.id, "hi"));
    const missing = await expectRefused("NOFND", () => send(a, "00000000-0000-4000-8000-000000000002", "hi"));
    expect(firstError(blocked)).toEqual(firstError(missing));
    // And the other way round: the blocker cannot ask the blocked either.
    await expectRefused("NOFND", () => send(b, a.id));
  });

  it("anonymous cannot send at all", async () => {
    const b = await person("bob");
    const before = await footprint();
    const response = await graphql(gw.url, SEND_REQUEST, { to: b.id });
    expect(errorCodes(response)).toEqual(["DNIED"]);
    expect(await footprint()).toEqual(before);
  });
});

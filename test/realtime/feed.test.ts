// The live activity feed: the database decides, at delivery, who receives an
// event, by the same rule the feed query uses; over graphql-ws and SSE.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { signUp, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend } from "../helpers/peers.js";
import { gqlOk, BLOCK, UNFRIEND } from "../helpers/social.js";
import { emit, FEED_SUBSCRIPTION, sse, subscribed, titles, withLiveGateway, type LiveClient } from "../helpers/realtime.js";

const lg = withLiveGateway();
let t: TestGateway;
let ann: Account, bob: Account, cy: Account;

beforeAll(async () => {
  t = lg.gateway();
  ann = await signUp(t.url, "rt_ann");
  bob = await signUp(t.url, "rt_bob");
  cy = await signUp(t.url, "rt_cy");
});

const connect = (account: Account): LiveClient => lg.connect(account);

describe("activityFeed over graphql-ws", () => {
  it("gives a stranger the public events of others and none of their friends-only or private ones", async () => {
    const feed = connect(bob).subscribe(FEED_SUBSCRIPTION, { scope: "public" });
    await subscribed(t.gateway.hub, 1);
    await emit(t.db, ann.id, "ann private", "private");
    await emit(t.db, ann.id, "ann friends", "friends");
    await emit(t.db, ann.id, "ann public", "public");
    const items = await feed.until((item) => item.event?.metadata.goal_title === "ann public");
    expect(titles(items)).toEqual(["ann public"]);
    expect(items[0]).toMatchObject({ refetch: false, event: { verb: "goals.done", visibility: "public", actor: { username: "rt_ann" } } });
    expect(items[0].cursor).toMatch(/^\d+$/);
  });

  it("gives a friend the friends-only events in the friends scope, and a stranger's friends scope nothing of them", async () => {
    await befriend(t.db, ann.id, bob.id);
    const bobs = connect(bob).subscribe(FEED_SUBSCRIPTION, { scope: "friends" });
    const cys = connect(cy).subscribe(FEED_SUBSCRIPTION, { scope: "friends" });
    await subscribed(t.gateway.hub, 2);
    await emit(t.db, ann.id, "for friends", "friends");
    await emit(t.db, ann.id, "ann private 2", "private");
    await emit(t.db, cy.id, "cy own", "friends");
    await emit(t.db, ann.id, "marker", "friends");
    expect(titles(await bobs.until((i) => i.event?.metadata.goal_title === "marker"))).toEqual(["for friends", "marker"]);
    // Cy's friends scope holds friends' events only, and Cy has no friends.
    const cyMe = connect(cy).subscribe(FEED_SUBSCRIPTION, { scope: "me" });
    await subscribed(t.gateway.hub, 3);
    await emit(t.db, cy.id, "cy marker", "friends");
    expect(titles(await cyMe.until((i) => i.event?.metadata.goal_title === "cy marker"))).toEqual(["cy marker"]);
    expect(cys.items).toEqual([]);
  });

  it("applies an unfriend and a block to the next event, with no reconnect", async () => {
    // Ann and Bob are friends (previous test); Bob watches friends and public.
    const bobFriends = connect(bob).subscribe(FEED_SUBSCRIPTION, { scope: "friends" });
    const bobPublic = connect(bob).subscribe(FEED_SUBSCRIPTION, { scope: "public" });
    await subscribed(t.gateway.hub, 2);
    await emit(t.db, ann.id, "before unfriend", "friends");
    await bobFriends.until((i) => i.event?.metadata.goal_title === "before unfriend");

    await gqlOk(t.url, UNFRIEND, { id: bob.id }, ann.token);
    await emit(t.db, ann.id, "after unfriend", "friends");
    await emit(t.db, ann.id, "public after unfriend", "public");
    await bobPublic.until((i) => i.event?.metadata.goal_title === "public after unfriend");

    await gqlOk(t.url, BLOCK, { id: bob.id }, ann.token);
    await emit(t.db, ann.id, "public after block", "public");
    await emit(t.db, cy.id, "cy public marker", "public");
    const seen = await bobPublic.until((i) => i.event?.metadata.goal_title === "cy public marker");
    expect(titles(seen)).toEqual(["public after unfriend", "cy public marker"]);
    expect(titles(bobFriends.items)).toEqual(["before unfriend"]);
  });

  it("never sends anything to an anonymous subscriber: the socket is refused", async () => {
    const anonymous = lg.connect({ token: null });
    expect((await anonymous.closed).code).toBe(4401);
  });
});

describe("activityFeed over Server-Sent Events", () => {
  it("streams the same events to an SSE client", async () => {
    const stream = sse(t.url, cy.token, FEED_SUBSCRIPTION, { scope: "public" });
    try {
      expect(await stream.status).toBe(200);
      await subscribed(t.gateway.hub, 1);
      await emit(t.db, bob.id, "bob private", "private");
      await emit(t.db, bob.id, "bob public", "public");
      expect(titles(await stream.until((i) => i.event?.metadata.goal_title === "bob public"))).toEqual(["bob public"]);
    } finally {
      stream.stop();
    }
  });

  it("ends an SSE stream when its session ends", async () => {
    const dee = await signUp(t.url, "rt_dee");
    const stream = sse(t.url, dee.token, FEED_SUBSCRIPTION, { scope: "public" });
    try {
      expect(await stream.status).toBe(200);
      await subscribed(t.gateway.hub, 1);
      const loggedOutAt = Date.now();
      await gqlOk(t.url, "mutation { logout(input: {}) { clientMutationId } }", {}, dee.token);
      const deadline = Date.now() + 5000;
      while (t.gateway.hub.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(t.gateway.hub.size).toBe(0);
      const ended = Date.now() + 5000;
      while (!stream.ended && Date.now() < ended) await new Promise((r) => setTimeout(r, 20));
      expect(stream.ended).toBe(true);
      expect(Date.now() - loggedOutAt).toBeLessThan(5000);
    } finally {
      stream.stop();
    }
  });

  it("refuses an anonymous SSE subscription with AUTHN", async () => {
    const params = new URLSearchParams({ query: FEED_SUBSCRIPTION, variables: JSON.stringify({ scope: "public" }) });
    const response = await fetch(`${t.url}/graphql/stream?${params}`, { headers: { accept: "text/event-stream" } });
    const text = await response.text();
    expect(text).toContain("AUTHN");
    expect(t.gateway.hub.size).toBe(0);
  });
});

// How a subscription's selection set is applied to live events
// (src/realtime/live.ts): once per event for every subscription with the
// same document and variables, by GraphQL's rules (aliases, fragments,
// directives, __typename, enums), and given back when the last such
// subscription ends.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { signUp, type Account, type TestGateway } from "../helpers/gateway.js";
import { emit, FEED_SUBSCRIPTION, sse, subscribed, withLiveGateway, type LiveClient } from "../helpers/realtime.js";
import { sleep } from "../helpers/peers.js";
import { liveShapes } from "../../src/realtime/live.js";

const lg = withLiveGateway();
let t: TestGateway;
let ann: Account, bob: Account, cy: Account;

beforeAll(async () => {
  t = lg.gateway();
  ann = await signUp(t.url, "lv_ann");
  bob = await signUp(t.url, "lv_bob");
  cy = await signUp(t.url, "lv_cy");
});

const connect = (account: Account): LiveClient => lg.connect(account);

const SHAPED = `subscription Shaped($scope: FeedFilter, $withActor: Boolean!) {
  update: activityFeed(scope: $scope) {
    __typename
    ...Cursor
    event {
      kind: verb
      ... on LiveActivityEvent { visibility metadata }
      actor @include(if: $withActor) { who: username }
    }
  }
}
fragment Cursor on ActivityFeedUpdate { cursor refetch }`;

describe("live projection", () => {
  it("applies aliases, fragments, directives and enums as GraphQL does, per subscription's variables", async () => {
    const bobs = connect(bob).subscribe(SHAPED, { scope: "public", withActor: true });
    const cys = connect(cy).subscribe(SHAPED, { scope: "public", withActor: false });
    await subscribed(t.gateway.hub, 2);
    await emit(t.db, ann.id, "shaped", "public");
    const [forBob] = await bobs.waitFor(1);
    const [forCy] = await cys.waitFor(1);
    expect(forBob).toEqual({
      __typename: "ActivityFeedUpdate",
      cursor: expect.stringMatching(/^\d+$/),
      refetch: false,
      event: { kind: "goals.done", visibility: "public", metadata: { goal_title: "shaped" }, actor: { who: "lv_ann" } },
    });
    expect(forCy).toEqual({ ...forBob, event: { kind: "goals.done", visibility: "public", metadata: { goal_title: "shaped" } } });
  });

  it("gives every subscriber of one selection set the same update, over graphql-ws and SSE alike", async () => {
    const overSocket = [connect(bob), connect(cy)].map((c) => c.subscribe(FEED_SUBSCRIPTION, { scope: "public" }));
    const overSse = sse(t.url, bob.token, FEED_SUBSCRIPTION, { scope: "public" });
    try {
      await subscribed(t.gateway.hub, 3);
      expect(liveShapes()).toBe(1);
      await emit(t.db, ann.id, "for all three", "public");
      const updates = await Promise.all([...overSocket, overSse].map(async (s) => (await s.waitFor(1))[0]));
      expect(updates[0].event).toMatchObject({ verb: "goals.done", metadata: { goal_title: "for all three" }, actor: { username: "lv_ann" } });
      expect(updates[1]).toEqual(updates[0]);
      expect(updates[2]).toEqual(updates[0]);
    } finally {
      overSse.stop();
    }
  });

  it("lets go of a selection set when its last subscription ends, whatever the variables were", async () => {
    const client = connect(bob);
    const streams = ["c0", "c1", "c2"].map((_, i) =>
      client.subscribe(`subscription ($id: UUID) { messageReceived(conversationId: $id) { kind } }`, { id: `00000000-0000-4000-8000-00000000000${i}` }));
    await subscribed(t.gateway.hub, 3);
    expect(liveShapes()).toBe(3);
    streams[0]!.stop();
    while (t.gateway.hub.size > 2) await sleep(10);
    expect(liveShapes()).toBe(2);
    await lg.endAll();
    expect(liveShapes()).toBe(0);
  });

  it("answers a subscription refused by the service with its code, and holds nothing for it", async () => {
    const anonymous = sse(t.url, "not-a-token", FEED_SUBSCRIPTION, { scope: "public" });
    const bad = connect(bob).subscribe(FEED_SUBSCRIPTION, { scope: "public", after: "not a cursor" });
    await bad.waitFor(1).catch(() => undefined);
    expect((bad.errors[0] as { extensions?: { code?: string } }).extensions?.code).toBe("BADIN");
    expect(await anonymous.status).toBe(401);
    anonymous.stop();
    expect(liveShapes()).toBe(0);
    expect(t.gateway.hub.size).toBe(0);
  });
});

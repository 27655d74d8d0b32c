// Who sees an activity event: for each visibility (public, friends, private)
// and each viewer (the actor, a friend, a follower who is not a friend, a
// stranger, someone the actor blocked, someone who blocked the actor, and
// anonymous), exactly which ones show through each way of reading events:
// the four feeds, node(id), the activityEvent lookup, the activityEvents list,
// and SQL as that user. Then the actor changes visibilities, unfriends,
// blocks and unblocks, deletes, and every answer is checked again against a
// small model of the rule (app_hidden.can_see_event).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt } from "../helpers/db.js";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { completeRitual, DELETE_EVENT, feedPage, newRitual, SCOPES, setDefaultVisibility, UPDATE_VISIBILITY, type Scope } from "../helpers/feed.js";
import { befriend, BLOCK, FOLLOW, gqlOk, rootRows, setPrivacy, UNBLOCK, UNFRIEND } from "../helpers/social.js";

type Viewer = "self" | "friend" | "follower" | "stranger" | "blocked" | "blockedBy" | "anonymous";
type Label = "evPublic" | "evFriends" | "evPrivate";
type Visibility = "public" | "friends" | "private";
const VIEWERS: Viewer[] = ["self", "friend", "follower", "stranger", "blocked", "blockedBy", "anonymous"];
const LABELS: Label[] = ["evPublic", "evFriends", "evPrivate"];

let gw: TestGateway;
let actor: Account;
const accounts = {} as Record<Exclude<Viewer, "anonymous">, Account>;
const events = {} as Record<Label, { rowId: string; nodeId: string }>;

/** What the database should now say; every change below updates it. */
const model = {
  visibility: { evPublic: "public", evFriends: "friends", evPrivate: "private" } as Record<Label, Visibility>,
  friends: new Set<Viewer>(["friend"]),
  follows: new Set<Viewer>(["follower"]),
  blocks: new Set<Viewer>(["blocked", "blockedBy"]),
  deleted: new Set<Label>(),
};

function sees(viewer: Viewer, label: Label): boolean {
  if (model.deleted.has(label)) return false;
  if (viewer === "self") return true;
  const visibility = model.visibility[label];
  if (viewer === "anonymous") return visibility === "public";
  if (model.blocks.has(viewer)) return false;
  return visibility === "public" || (visibility === "friends" && model.friends.has(viewer));
}

function inFeed(viewer: Viewer, scope: Scope, label: Label): boolean {
  if (!sees(viewer, label)) return false;
  switch (scope) {
    case "me": return viewer === "self";
    case "friends": return model.friends.has(viewer);
    case "following": return model.follows.has(viewer);
    case "public": return model.visibility[label] === "public";
  }
}

function expected(viewer: Viewer): Record<string, Label[]> {
  const seen = LABELS.filter((l) => sees(viewer, l));
  return {
    ...Object.fromEntries(SCOPES.map((s) => [`feed:${s}`, LABELS.filter((l) => inFeed(viewer, s, l))])),
    activityEvents: seen, activityEvent: seen, node: seen, sql: seen,
  };
}

/** Which of the three events `viewer` gets, through each way of reading them (a refusal shows as its code). */
async function observed(viewer: Viewer): Promise<Record<string, Label[] | string>> {
  const token = viewer === "anonymous" ? undefined : accounts[viewer].token;
  const ids = LABELS.map((l) => events[l].rowId);
  const tracked = (found: string[]) => LABELS.filter((l) => found.includes(events[l].rowId));
  const feeds: Record<string, Label[] | string> = {};
  for (const scope of SCOPES) {
    const response = await feedPage(gw.url, token, scope, 100);
    feeds[`feed:${scope}`] = response.errors
      ? errorCodes(response).join(",")
      : tracked(response.data.activityFeed.map((e: { rowId: string }) => e.rowId));
  }
  const data = await gqlOk(gw.url, `query ($actor: UUID!, ${LABELS.map((l) => `$${l}Row: UUID!, $${l}Node: ID!`).join(", ")}) {
    activityEvents(condition: { actorId: $actor }) { nodes { rowId } }
    ${LABELS.map((l) => `${l}Lookup: activityEvent(rowId: $${l}Row) { rowId } ${l}Node: node(id: $${l}Node) { id }`).join("\n")}
  }`, {
    actor: actor.id,
    ...Object.fromEntries(LABELS.flatMap((l) => [[`${l}Row`, events[l].rowId], [`${l}Node`, events[l].nodeId]])),
  }, token);
  const sql = await asUser(gw.db, viewer === "anonymous" ? null : accounts[viewer].id, async (c) =>
    (await c.query("select id from app_public.activity_events where id = any($1::uuid[])", [ids])).rows.map((r) => r.id as string));
  return {
    ...feeds,
    activityEvents: tracked(data.activityEvents.nodes.map((e: { rowId: string }) => e.rowId)),
    activityEvent: LABELS.filter((l) => data[`${l}Lookup`]?.rowId === events[l].rowId),
    node: LABELS.filter((l) => data[`${l}Node`]?.id === events[l].nodeId),
    sql: tracked(sql),
  };
}

const checkViewer = async (viewer: Viewer) => {
  expect({ viewer, ...(await observed(viewer)) }).toEqual({ viewer, ...expected(viewer) });
};

const pairs = async (table: "friendships" | "follows" | "blocks", cols: [string, string]) =>
  (await rootRows(gw.db, `select ${cols[0]} as x, ${cols[1]} as y from app_public.${table} where $1 in (${cols[0]}, ${cols[1]})`, [actor.id]))
    .map((r) => (r.x === actor.id ? `actor>${nameOf(r.y)}` : `${nameOf(r.x)}>actor`)).sort();
const nameOf = (id: string) => Object.entries(accounts).find(([, a]) => a.id === id)?.[0] ?? id;

beforeAll(async () => {
  gw = await startTestGateway();
  actor = await signUp(gw.url, "vis_actor");
  accounts.self = actor;
  for (const v of ["friend", "follower", "stranger", "blocked", "blockedBy"] as const) accounts[v] = await signUp(gw.url, `vis_${v}`);
  await setPrivacy(gw.db, actor.id, { profile_visibility: "public" });
  // Relations: the blocked one was a friend and a follower until the actor
  // blocked them; the one who blocked the actor was a follower until then.
  await befriend(gw.url, accounts.friend, actor);
  await befriend(gw.url, accounts.blocked, actor);
  for (const v of ["follower", "blocked", "blockedBy"] as const) await gqlOk(gw.url, FOLLOW, { id: actor.id }, accounts[v].token);
  await gqlOk(gw.url, BLOCK, { id: accounts.blocked.id }, actor.token);
  await gqlOk(gw.url, BLOCK, { id: actor.id }, accounts.blockedBy.token);

  // Three kept rituals, each written while the actor's default was one visibility.
  const ritual = await newRitual(gw.url, actor.token, "Evening walk");
  for (const [i, label] of LABELS.entries()) {
    await setDefaultVisibility(gw.url, actor.token, actor.id, model.visibility[label]);
    const rowId = await completeRitual(gw.db, gw.url, actor.token, ritual, 2 * i + 1);
    const nodeId = (await gqlOk(gw.url, "query ($id: UUID!) { activityEvent(rowId: $id) { id } }", { id: rowId }, actor.token)).activityEvent.id;
    events[label] = { rowId, nodeId };
  }
});
afterAll(async () => {
  await gw?.close();
});

describe("as written", () => {
  it("each event took the actor's default visibility of the moment, and the relations are as the model says", async () => {
    const rows = await rootRows(gw.db, "select id, verb, visibility from app_public.activity_events where id = any($1::uuid[])", [LABELS.map((l) => events[l].rowId)]);
    expect(Object.fromEntries(rows.map((r) => [LABELS.find((l) => events[l].rowId === r.id), [r.verb, r.visibility]]))).toEqual({
      evPublic: ["rituals.completed", "public"], evFriends: ["rituals.completed", "friends"], evPrivate: ["rituals.completed", "private"],
    });
    expect(await pairs("friendships", ["user_id", "friend_id"])).toEqual(["actor>friend", "friend>actor"]);
    expect(await pairs("follows", ["follower_id", "followee_id"])).toEqual(["follower>actor"]);
    expect(await pairs("blocks", ["blocker_id", "blocked_id"])).toEqual(["actor>blocked", "blockedBy>actor"]);
  });

  it.each(VIEWERS)("%s sees exactly what the rule allows, through every feed, lookup, list and SQL", checkViewer);
});

describe("changing an event's visibility", () => {
  it("only the actor changes an event's visibility: others get a null node and nothing changes", async () => {
    for (const v of ["friend", "stranger", "blocked"] as const) {
      const response = await graphql(gw.url, UPDATE_VISIBILITY, { id: events.evPrivate.rowId, v: "public" }, accounts[v].token);
      expect({ v, errors: response.errors, node: response.data?.updateActivityEvent?.activityEvent ?? null }).toEqual({ v, errors: undefined, node: null });
    }
    expect(errorCodes(await graphql(gw.url, UPDATE_VISIBILITY, { id: events.evPrivate.rowId, v: "public" }))).toEqual(["DNIED"]);
    const [row] = await rootRows(gw.db, "select visibility from app_public.activity_events where id = $1", [events.evPrivate.rowId]);
    expect(row.visibility).toBe("private");
  });

  it("community without a community is refused (BADIN); the event keeps its visibility", async () => {
    const response = await graphql(gw.url, UPDATE_VISIBILITY, { id: events.evFriends.rowId, v: "community" }, actor.token);
    expect(errorCodes(response)).toEqual(["BADIN"]);
    const [row] = await rootRows(gw.db, "select visibility from app_public.activity_events where id = $1", [events.evFriends.rowId]);
    expect(row.visibility).toBe("friends");
  });

});

// Each change, then every viewer checked against the model as it now stands.
// A change that fails leaves the model unchanged, so its checks fail too.
const changes: Array<[string, () => Promise<void>]> = [
  ["re-rating every event (friends→public, public→private, private→friends)", async () => {
    const plan: Array<[Label, Visibility]> = [["evFriends", "public"], ["evPublic", "private"], ["evPrivate", "friends"]];
    for (const [label, v] of plan) {
      const data = await gqlOk(gw.url, UPDATE_VISIBILITY, { id: events[label].rowId, v }, actor.token);
      expect(data.updateActivityEvent.activityEvent).toEqual({ rowId: events[label].rowId, visibility: v });
      model.visibility[label] = v;
    }
  }],
  ["unfriending the friend", async () => {
    expect((await gqlOk(gw.url, UNFRIEND, { id: accounts.friend.id }, actor.token)).unfriend.result).toBe(true);
    model.friends.delete("friend");
  }],
  ["blocking the follower (which also ends the follow)", async () => {
    await gqlOk(gw.url, BLOCK, { id: accounts.follower.id }, actor.token);
    expect(await pairs("follows", ["follower_id", "followee_id"])).toEqual([]);
    model.blocks.add("follower");
    model.follows.delete("follower");
  }],
  ["lifting both old blocks (friendship and follows do not come back)", async () => {
    await gqlOk(gw.url, UNBLOCK, { id: accounts.blocked.id }, actor.token);
    await gqlOk(gw.url, UNBLOCK, { id: actor.id }, accounts.blockedBy.token);
    model.blocks.delete("blocked");
    model.blocks.delete("blockedBy");
  }],
  ["becoming friends again", async () => {
    await befriend(gw.url, accounts.friend, actor);
    model.friends.add("friend");
  }],
  ["the actor deleting an event (deleteActivityEvent): gone for everyone, the actor included", async () => {
    const data = await gqlOk(gw.url, DELETE_EVENT, { id: events.evFriends.rowId }, actor.token);
    expect(data.deleteActivityEvent.result.rowId).toBe(events.evFriends.rowId);
    // Kept for the audit trail, not removed.
    const [row] = await rootRows(gw.db, "select deleted_at is not null as deleted from app_public.activity_events where id = $1", [events.evFriends.rowId]);
    expect(row.deleted).toBe(true);
    model.deleted.add("evFriends");
  }],
];

for (const [name, change] of changes) {
  describe(`after ${name}`, () => {
    it("the change is made", change);
    it.each(VIEWERS)("%s sees exactly what the rule allows", checkViewer);
  });
}

describe("writing events", () => {
  it("there is no createActivityEvent mutation", async () => {
    const fields = (await gqlOk(gw.url, `{ __type(name: "Mutation") { fields { name } } }`)).__type.fields.map((f: { name: string }) => f.name);
    expect(fields).toContain("updateActivityEvent");
    expect(fields.filter((f: string) => /^create.*ActivityEvent/.test(f))).toEqual([]);
    const response = await graphql(gw.url, `mutation ($id: UUID!) { createActivityEvent(input: { activityEvent: { actorId: $id, verb: "goals.done" } }) { clientMutationId } }`,
      { id: actor.id }, actor.token);
    expect(response.errors?.length).toBeGreaterThan(0);
    expect(response.data).toBeUndefined();
  });

  it("a visitor's SQL insert fails with 42501, in the actor's name or anyone else's", async () => {
    const before = await rootRows(gw.db, "select count(*)::int as n from app_public.activity_events");
    for (const [who, actorId] of [[actor.id, actor.id], [accounts.stranger.id, actor.id]] as const) {
      await asUser(gw.db, who, async (c) => {
        const result = await attempt(c,
          `insert into app_public.activity_events (actor_id, verb, object_type, object_id, visibility)
           values ($1, 'goals.done', 'goal', gen_random_uuid(), 'public')`, [actorId]);
        expect(result.code).toBe("42501");
        expect((await attempt(c, `select app_private.record_activity($1, 'goals.done', 'goal', gen_random_uuid(), '{"goal_title": "x"}')`, [actorId])).code)
          .toBe("42501");
      });
    }
    await asUser(gw.db, null, async (c) => {
      expect((await attempt(c, `insert into app_public.activity_events (actor_id, verb, object_type, object_id, visibility)
        values ($1, 'goals.done', 'goal', gen_random_uuid(), 'public')`, [actor.id])).code).toBe("42501");
    });
    expect(await rootRows(gw.db, "select count(*)::int as n from app_public.activity_events")).toEqual(before);
  });
});

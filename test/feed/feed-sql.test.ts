// What a page of a feed costs the database: its rows' single-row fields (the
// actor of an event, a user's stats) are joined into the page's statement,
// not fetched by a second statement in a transaction of its own. The
// functions tagged @orderedBy (src/graphql/ordered-functions.ts) get their
// order from an explicit ORDER BY, so the rows keep coming newest first, ties
// broken by id, page after page, with the same events visible to each viewer.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { MALFORMED_CURSOR } from "../helpers/feed.js";
import { befriend, gqlOk, rootRows, setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let viewer: Account; // bob's friend, a member of the community
let alice: Account; // public events, a private profile: her events still name her (feed/functions.sql)
let bob: Account; // friends-only and private events
let stranger: Account;
let communityId: string;
const usernames = new Map<string, string>();

/** What an operation of one statement sends: begin with its settings (one message, src/graphql/pg-service.ts), the statement, commit. */
const ONE_STATEMENT = 3;

/** Statements the gateway sent as the authenticator role, i.e. for GraphQL. */
let statements = 0;
const originalQuery = pg.Client.prototype.query;

/** Runs `request`; returns its answer and the GraphQL statements it cost. */
async function counted<T>(request: () => Promise<T>): Promise<{ result: T; sql: number }> {
  const before = statements;
  const result = await request();
  return { result, sql: statements - before };
}

/** `n` events of the user's, three per instant (ties broken by id), an hour apart, written as superuser. */
async function writeEvents(userId: string, n: number, visibility: string, community: string | null = null): Promise<void> {
  await gw.db.root.query(
    `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility, community_id, created_at)
     select $1, 'goals.done', 'goal', gen_random_uuid(), jsonb_build_object('goal_title', 'Goal ' || i), $3, $4,
       date_trunc('hour', now()) - (i / 3) * interval '1 hour'
     from generate_series(1, $2::int) i`,
    [userId, n, visibility, community],
  );
}

/** The events the rule lets through, newest first (as superuser). */
async function expectedIds(where: string, values: unknown[]): Promise<string[]> {
  return (await rootRows(gw.db, `select e.id from app_public.activity_events e
    where e.deleted_at is null and e.hidden_at is null and (${where}) order by e.created_at desc, e.id desc`, values)).map((r) => r.id);
}

interface Row { rowId: string; actorId: string; cursor: string; actor?: { username: string; displayName: string | null } }

interface FeedCase { scope: string; who: () => Account | undefined; where: string; values: () => unknown[] }

const FEED = (fields: string) => `query ($scope: FeedFilter, $after: String) {
  activityFeed(scope: $scope, pageSize: 7, after: $after) { rowId actorId cursor ${fields} } }`;
const COMMUNITY_FEED = (fields: string) => `query ($id: UUID!, $after: String) {
  communityFeed(communityId: $id, pageSize: 7, after: $after) { rowId actorId cursor ${fields} } }`;
const ACTOR = "actor { username displayName }";

/**
 * Pages through a feed twice, without and with the actor: page by page, the
 * same rows at the same cost in statements, each with its actor. Returns the
 * rows and what each page cost.
 */
async function walk(document: (fields: string) => string, field: string, variables: Record<string, unknown>, token?: string) {
  const rows: Row[] = [];
  const costs: number[] = [];
  for (let after: string | undefined, page = 0; page < 100; page++) {
    const bare = await counted(() => gqlOk(gw.url, document(""), { ...variables, after }, token));
    const full = await counted(() => gqlOk(gw.url, document(ACTOR), { ...variables, after }, token));
    const items: Row[] = full.result[field];
    expect(items.map(({ actor: _, ...rest }) => rest)).toEqual(bare.result[field]);
    for (const item of items) expect(item.actor).toEqual({ username: usernames.get(item.actorId), displayName: expect.any(String) });
    expect(full.sql).toBe(bare.sql);
    costs.push(full.sql);
    if (!items.length) return { ids: rows.map((r) => r.rowId), costs };
    rows.push(...items);
    after = items[items.length - 1]!.cursor;
  }
  throw new Error("the feed never ended");
}

beforeAll(async () => {
  gw = await startTestGateway();
  const authenticator = gw.db.config.DATABASE_AUTHENTICATOR;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (this.user === authenticator) statements++;
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  viewer = await signUp(gw.url, "fsql_viewer");
  alice = await signUp(gw.url, "fsql_alice");
  bob = await signUp(gw.url, "fsql_bob");
  stranger = await signUp(gw.url, "fsql_stranger");
  for (const [a, name] of [[viewer, "fsql_viewer"], [alice, "fsql_alice"], [bob, "fsql_bob"], [stranger, "fsql_stranger"]] as const) {
    usernames.set(a.id, name);
  }
  await befriend(gw.url, viewer, bob);
  await setPrivacy(gw.db, alice.id, { profile_visibility: "private" });
  await setPrivacy(gw.db, stranger.id, { profile_visibility: "public" });
  communityId = (await gqlOk(gw.url, `mutation { createCommunity(input: { name: "Early Risers", slug: "early-risers" }) { result { rowId } } }`,
    {}, alice.token)).createCommunity.result.rowId;
  await gqlOk(gw.url, `mutation ($id: UUID!) { joinCommunity(input: { communityId: $id }) { result { role } } }`, { id: communityId }, viewer.token);
  await writeEvents(alice.id, 17, "public");
  await writeEvents(bob.id, 16, "friends");
  await writeEvents(bob.id, 5, "private");
  await writeEvents(bob.id, 4, "public");
  await writeEvents(alice.id, 9, "community", communityId);
  await writeEvents(viewer.id, 8, "community", communityId);
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await gw?.close();
});

describe("the activity feed", () => {
  it("has events enough, several sharing an instant", async () => {
    const [stats] = await rootRows(gw.db, `select count(*)::int as events, count(distinct created_at)::int as instants
      from app_public.activity_events`);
    expect(stats.instants).toBeLessThan(stats.events / 2);
  });

  it.each([
    { scope: "public", who: () => stranger, where: "e.visibility = 'public'", values: () => [] },
    { scope: "public", who: () => undefined, where: "e.visibility = 'public'", values: () => [] },
    { scope: "friends", who: () => viewer, where: "e.actor_id = $1 and e.visibility in ('public', 'friends')", values: () => [bob.id] },
    { scope: "friends", who: () => stranger, where: "false", values: () => [] },
    { scope: "me", who: () => bob, where: "e.actor_id = $1", values: () => [bob.id] },
  ] satisfies FeedCase[])("scope $scope: with actors, page by page, the same events newest first in one statement a page", async ({ scope, who, where, values }) => {
    const { ids, costs } = await walk(FEED, "activityFeed", { scope }, who()?.token);
    expect(ids).toEqual(await expectedIds(where, values()));
    expect(new Set(costs)).toEqual(new Set([ONE_STATEMENT]));
  });
});

describe("a community's feed", () => {
  it("a member reads every event of the community, with actors, newest first, in one statement a page", async () => {
    const { ids, costs } = await walk(COMMUNITY_FEED, "communityFeed", { id: communityId }, viewer.token);
    expect(ids).toEqual(await expectedIds("e.community_id = $1", [communityId]));
    expect(ids.length).toBeGreaterThan(2 * 7);
    expect(new Set(costs)).toEqual(new Set([ONE_STATEMENT]));
  });

  it("a stranger reads none of them", async () => {
    const { ids } = await walk(COMMUNITY_FEED, "communityFeed", { id: communityId }, stranger.token);
    expect(ids).toEqual([]);
  });

  it("a malformed cursor is the same clear BADIN as the activity feed's, and no page", async () => {
    for (const after of ["not a cursor!", Buffer.from("yesterday|not-a-uuid").toString("base64"), ""]) {
      const response = await graphql(gw.url, COMMUNITY_FEED(""), { id: communityId, after }, viewer.token);
      expect({ after, errors: response.errors?.map((e) => [e.extensions?.code, e.message]) })
        .toEqual({ after, errors: [["BADIN", MALFORMED_CURSOR]] });
      expect(response.data?.communityFeed ?? null).toBeNull();
    }
  });
});

describe("searching people", () => {
  const SEARCH = (fields: string) => `query { searchUsers(term: "fsql") { rowId username ${fields} } }`;

  it("each one's stats come in the search's statement, in username order", async () => {
    const bare = await counted(() => gqlOk(gw.url, SEARCH(""), {}, viewer.token));
    const full = await counted(() => gqlOk(gw.url, SEARCH("stats { friendsCount }"), {}, viewer.token));
    // alice's profile is private: the viewer does not find her.
    expect(bare.result.searchUsers.map((u: { username: string }) => u.username)).toEqual(["fsql_bob", "fsql_stranger", "fsql_viewer"]);
    expect(full.result.searchUsers).toEqual([
      { rowId: bob.id, username: "fsql_bob", stats: { friendsCount: 1 } },
      { rowId: stranger.id, username: "fsql_stranger", stats: { friendsCount: 0 } },
      { rowId: viewer.id, username: "fsql_viewer", stats: { friendsCount: 1 } },
    ]);
    expect(full.sql).toBe(bare.sql);
    expect(full.sql).toBe(ONE_STATEMENT);
  });
});

// Row-level security of the social tables through the real gateway: A has a
// row in every one of them (friends, a pending request, a block, a follow, a
// hidden and a reported event, an audit entry, a daily snapshot, a private
// record, a location, a conversation where A deleted C's message for itself). B, a
// stranger, lists every connection and finds none of A's rows, and cannot
// change them; A, asking the same, finds them (so the policies are not
// simply closed).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend } from "../helpers/peers.js";
import { rootRows } from "../helpers/social.js";

let gw: TestGateway;
let a: Account;
let b: Account;
let c: Account; // A's friend, who talks with A
let d: Account; // A asked D to be friends
let e: Account; // blocked by A
let f: Account; // followed by A
let eventId: string;

beforeAll(async () => {
  gw = await startTestGateway();
  [a, b, c, d, e, f] = (await Promise.all(["sr_a", "sr_b", "sr_c", "sr_d", "sr_e", "sr_f"].map((name) => signUp(gw.url, name)))) as [Account, Account, Account, Account, Account, Account];
  await befriend(gw.db, a.id, c.id);
  const asA = (query: string, variables: Record<string, unknown>) => graphql(gw.url, query, variables, a.token);
  for (const [query, variables] of [
    ["mutation ($id: UUID!) { sendFriendRequest(input: { recipientId: $id }) { result { rowId } } }", { id: d.id }],
    ["mutation ($id: UUID!) { blockUser(input: { userId: $id }) { result } }", { id: e.id }],
    ["mutation ($id: UUID!) { sendMessage(input: { recipientId: $id, bodyMd: \"hi C\" }) { result { rowId } } }", { id: c.id }],
  ] as const) {
    expect((await asA(query, variables)).errors).toBeUndefined();
  }
  await gw.db.root.query("update app_public.privacy_settings set profile_visibility = 'public' where user_id = $1", [f.id]);
  expect((await asA("mutation ($id: UUID!) { followUser(input: { userId: $id }) { result } }", { id: f.id })).errors).toBeUndefined();
  // The friendship with C wrote an event of A's; A hides, reports, then deletes another.
  eventId = (await rootRows(gw.db, "select id from app_public.activity_events where actor_id = $1 limit 1", [a.id]))[0].id;
  expect((await graphql(gw.url, "mutation ($id: UUID!) { sendMessage(input: { recipientId: $id, bodyMd: \"hi A\" }) { result { rowId } } }", { id: a.id }, c.token)).errors).toBeUndefined();
  const [message] = await rootRows(gw.db, "select id from app_public.direct_messages where sender_id = $1", [c.id]);
  for (const [query, variables] of [
    ["mutation ($id: UUID!) { createActivityHide(input: { activityHide: { eventId: $id } }) { clientMutationId } }", { id: eventId }],
    ["mutation ($id: UUID!) { createContentReport(input: { contentReport: { eventId: $id, reason: \"test\" } }) { clientMutationId } }", { id: eventId }],
    ["mutation ($id: UUID!) { deleteMessage(input: { messageId: $id }) { result } }", { id: message.id }],
    ["mutation { createPersonalRecord(input: { personalRecord: { category: \"plank\", value: \"120\", unit: \"s\", visibility: private } }) { clientMutationId } }", {}],
    ["mutation { createUserLocation(input: { userLocation: { countryCode: \"FR\", isVisible: true } }) { clientMutationId } }", {}],
  ] as const) {
    expect((await asA(query, variables)).errors).toBeUndefined();
  }
  await gw.db.root.query("insert into app_public.moderation_actions (moderator_id, action, event_id) values ($1, 'delete_own_event', $2)", [a.id, eventId]);
  await gw.db.root.query("select app_private.snapshot_profile_stats(current_date)");
});
afterAll(async () => {
  await gw.close();
});

// Each connection, and the columns of a row that name the people it concerns.
const CONNECTIONS: Record<string, string[]> = {
  privacySettings: ["userId"],
  friendRequests: ["requesterId", "recipientId"],
  friendships: ["userId", "friendId"],
  blocks: ["blockerId", "blockedId"],
  follows: ["followerId", "followeeId"],
  activityHides: ["userId"],
  contentReports: ["reporterId"],
  moderationActions: ["moderatorId"],
  profileStatsDailies: ["userId"],
  personalRecords: ["userId"],
  userLocations: ["userId"],
  conversationMembers: ["userId"],
  directMessages: ["senderId"],
  messageDeletions: ["userId"],
};
const ALL = `{ ${Object.entries(CONNECTIONS).map(([field, columns]) => `${field} { nodes { ${columns.join(" ")} } }`).join(" ")} }`;
const involving = (nodes: Record<string, string>[], columns: string[], userId: string) =>
  nodes.filter((node) => columns.some((column) => node[column] === userId)).length;

describe("the social tables over GraphQL", () => {
  it("B finds none of A's rows in any connection; A finds its own in each", async () => {
    const [asB, asA] = await Promise.all([graphql(gw.url, ALL, {}, b.token), graphql(gw.url, ALL, {}, a.token)]);
    expect(asB.errors).toBeUndefined();
    expect(asA.errors).toBeUndefined();
    for (const [field, columns] of Object.entries(CONNECTIONS)) {
      expect({ field, rows: involving(asB.data[field].nodes, columns, a.id) }).toEqual({ field, rows: 0 });
      // moderationActions are for administrators: A reads none, not even its own.
      const seen = involving(asA.data[field].nodes, columns, a.id) > 0;
      expect({ field, seen }).toEqual({ field, seen: field !== "moderationActions" });
    }
  });

  it("B cannot change A's settings, location or events, and nothing changes", async () => {
    const before = await rootRows(gw.db, `select
      (select row_to_json(p) from app_public.privacy_settings p where user_id = $1) as privacy,
      (select count(*)::int from app_public.personal_records where user_id = $1) as records,
      (select count(*)::int from app_public.user_locations where user_id = $1) as locations,
      (select visibility from app_public.activity_events where id = $2) as visibility`, [a.id, eventId]);
    // As for every table: an update row-level security refuses answers a
    // null node, a delete answers NOFND.
    const privacy = await graphql(gw.url, `mutation ($id: UUID!) { updatePrivacySetting(input: { userId: $id, patch: { profileVisibility: public } }) { privacySetting { userId } } }`, { id: a.id }, b.token);
    expect(privacy.data).toEqual({ updatePrivacySetting: { privacySetting: null } });
    const event = await graphql(gw.url, `mutation ($id: UUID!) { updateActivityEvent(input: { rowId: $id, patch: { visibility: public } }) { activityEvent { rowId } } }`, { id: eventId }, b.token);
    expect(event.data).toEqual({ updateActivityEvent: { activityEvent: null } });
    const location = await graphql(gw.url, `mutation ($id: UUID!) { deleteUserLocation(input: { userId: $id }) { userLocation { userId } } }`, { id: a.id }, b.token);
    expect(errorCodes(location)).toEqual(["NOFND"]);
    const after = await rootRows(gw.db, `select
      (select row_to_json(p) from app_public.privacy_settings p where user_id = $1) as privacy,
      (select count(*)::int from app_public.personal_records where user_id = $1) as records,
      (select count(*)::int from app_public.user_locations where user_id = $1) as locations,
      (select visibility from app_public.activity_events where id = $2) as visibility`, [a.id, eventId]);
    expect(after).toEqual(before);
  });

  it("anonymous may not list them (DNIED)", async () => {
    const response = await graphql(gw.url, "{ privacySettings { totalCount } }");
    expect(errorCodes(response)).toEqual(["DNIED"]);
  });
});

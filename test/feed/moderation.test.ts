// Moderation of activity over the real gateway: the author deletes, an
// administrator hides and shows again, every action lands in the audit trail
// only administrators read; and what each user does for themselves: hide an
// event from their own feed, report one they can see (but not one they cannot).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { completeRitual, DELETE_EVENT, feed, HIDE, MODERATE, newRitual, REPORT, setDefaultVisibility } from "../helpers/feed.js";
import { FOLLOW, gqlOk, rootRows, setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let actor: Account;
let admin: Account;
let fan: Account;
let other: Account;
let ritual: string;
let day = 0;

beforeAll(async () => {
  gw = await startTestGateway();
  actor = await signUp(gw.url, "mod_actor");
  admin = await signUp(gw.url, "mod_admin");
  fan = await signUp(gw.url, "mod_fan");
  other = await signUp(gw.url, "mod_other");
  await gw.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [admin.id]);
  await setPrivacy(gw.db, actor.id, { profile_visibility: "public", default_activity_visibility: "public" });
  await gqlOk(gw.url, FOLLOW, { id: actor.id }, fan.token);
  ritual = await newRitual(gw.url, actor.token, "Stretch");
});
afterAll(async () => {
  await gw?.close();
});

/** A new public event of the actor's (a ritual kept on a day no other test used). */
const publicEvent = () => completeRitual(gw.db, gw.url, actor.token, ritual, (day += 2));

/** Where the event shows for each person: the public feed, and node lookup by row id. */
async function whereSeen(eventId: string) {
  const seen: Record<string, boolean> = {};
  for (const [name, who] of Object.entries({ actor, admin, fan, other, anonymous: undefined })) {
    const lookup = await gqlOk(gw.url, "query ($id: UUID!) { activityEvent(rowId: $id) { rowId } }", { id: eventId }, who?.token);
    seen[name] = lookup.activityEvent?.rowId === eventId;
  }
  for (const [name, who] of Object.entries({ actor, fan, other })) {
    const scope = name === "actor" ? "me" : name === "fan" ? "following" : "public";
    seen[`${name}:feed`] = (await feed(gw.url, who.token, scope)).some((e) => e.rowId === eventId);
  }
  return seen;
}
const seenByAll = (seen: boolean) => ({
  actor: seen, admin: seen, fan: seen, other: seen, anonymous: seen, "actor:feed": seen, "fan:feed": seen, "other:feed": seen,
});

const actionsOf = (eventId: string) =>
  rootRows(gw.db, "select action, moderator_id, reason from app_public.moderation_actions where event_id = $1 order by created_at, id", [eventId]);

describe("moderation by an administrator", () => {
  it("a non-admin is refused (DNIED): nothing hidden, nothing in the audit trail", async () => {
    const id = await publicEvent();
    for (const who of [actor, fan]) {
      const response = await graphql(gw.url, MODERATE, { id, hide: true, reason: "spam" }, who.token);
      expect(errorCodes(response)).toEqual(["DNIED"]);
      expect(response.data?.moderateActivityEvent ?? null).toBeNull();
    }
    expect(errorCodes(await graphql(gw.url, MODERATE, { id, hide: true, reason: "spam" }))).toEqual(["DNIED"]);
    expect(await whereSeen(id)).toEqual(seenByAll(true));
    expect(await actionsOf(id)).toEqual([]);
  });

  it("hides an event from everyone, the author included; shows it again; both in the audit trail", async () => {
    const id = await publicEvent();
    expect(await whereSeen(id)).toEqual(seenByAll(true));
    const hidden = await gqlOk(gw.url, MODERATE, { id, hide: true, reason: "off-topic" }, admin.token);
    expect(hidden.moderateActivityEvent.result.rowId).toBe(id);
    expect(await whereSeen(id)).toEqual(seenByAll(false));
    const [row] = await rootRows(gw.db, "select hidden_at is not null as hidden, hidden_by from app_public.activity_events where id = $1", [id]);
    expect(row).toEqual({ hidden: true, hidden_by: admin.id });
    // Nor can the author change who sees it while it is hidden.
    const rerate = await graphql(gw.url, `mutation ($id: UUID!) { updateActivityEvent(input: { rowId: $id, patch: { visibility: friends } }) { activityEvent { rowId } } }`,
      { id }, actor.token);
    expect(rerate.data?.updateActivityEvent?.activityEvent ?? null).toBeNull();

    await gqlOk(gw.url, MODERATE, { id, hide: false, reason: "appeal upheld" }, admin.token);
    expect(await whereSeen(id)).toEqual(seenByAll(true));
    expect(await actionsOf(id)).toEqual([
      { action: "hide_event", moderator_id: admin.id, reason: "off-topic" },
      { action: "unhide_event", moderator_id: admin.id, reason: "appeal upheld" },
    ]);
  });

  it("an unknown event is NOFND", async () => {
    expect(errorCodes(await graphql(gw.url, MODERATE, { id: "00000000-0000-4000-8000-000000000abc", hide: true }, admin.token))).toEqual(["NOFND"]);
  });
});

describe("deletion by the author", () => {
  it("only the author deletes (others: NOFND, nothing changes); the deletion is audited", async () => {
    const id = await publicEvent();
    for (const who of [fan, admin]) {
      expect(errorCodes(await graphql(gw.url, DELETE_EVENT, { id }, who.token))).toEqual(["NOFND"]);
    }
    expect(await whereSeen(id)).toEqual(seenByAll(true));
    expect((await gqlOk(gw.url, DELETE_EVENT, { id }, actor.token)).deleteActivityEvent.result.rowId).toBe(id);
    expect(await whereSeen(id)).toEqual(seenByAll(false));
    expect(await actionsOf(id)).toEqual([{ action: "delete_own_event", moderator_id: actor.id, reason: null }]);
    // Twice is NOFND.
    expect(errorCodes(await graphql(gw.url, DELETE_EVENT, { id }, actor.token))).toEqual(["NOFND"]);
  });
});

describe("the audit trail (moderationActions)", () => {
  const LIST = "{ moderationActions { totalCount nodes { action eventId moderatorId } } }";

  it("administrators read every action", async () => {
    const [{ n }] = await rootRows(gw.db, "select count(*)::int as n from app_public.moderation_actions");
    expect(n).toBeGreaterThanOrEqual(3);
    const data = await gqlOk(gw.url, LIST, {}, admin.token);
    expect(data.moderationActions.totalCount).toBe(n);
    expect(new Set(data.moderationActions.nodes.map((a: { action: string }) => a.action))).toEqual(new Set(["hide_event", "unhide_event", "delete_own_event"]));
  });

  it("nobody else does, not even the author of an audited deletion; anonymous is refused", async () => {
    for (const who of [actor, fan, other]) {
      expect((await gqlOk(gw.url, LIST, {}, who.token)).moderationActions).toEqual({ totalCount: 0, nodes: [] });
    }
    expect(errorCodes(await graphql(gw.url, LIST))).toEqual(["DNIED"]);
  });
});

describe("hiding an event from one's own feed", () => {
  it("takes it out of that user's feed only; undoing it brings it back", async () => {
    const id = await publicEvent();
    const data = await gqlOk(gw.url, HIDE, { id }, fan.token);
    expect(data.createActivityHide.activityHide).toEqual({ eventId: id, userId: fan.id });
    for (const scope of ["following", "public"] as const) {
      expect((await feed(gw.url, fan.token, scope)).map((e) => e.rowId)).not.toContain(id);
    }
    // Everyone else still has it, and the fan can still open it.
    expect((await feed(gw.url, other.token, "public")).map((e) => e.rowId)).toContain(id);
    expect((await feed(gw.url, actor.token, "me")).map((e) => e.rowId)).toContain(id);
    expect((await gqlOk(gw.url, "query ($id: UUID!) { activityEvent(rowId: $id) { rowId } }", { id }, fan.token)).activityEvent).toEqual({ rowId: id });

    await gqlOk(gw.url, `mutation ($id: UUID!, $me: UUID!) { deleteActivityHide(input: { eventId: $id, userId: $me }) { activityHide { eventId } } }`,
      { id, me: fan.id }, fan.token);
    expect((await feed(gw.url, fan.token, "following")).map((e) => e.rowId)).toContain(id);
  });

  it("an event one cannot see cannot be hidden: the same refusal as for no event at all, nothing written", async () => {
    await setDefaultVisibility(gw.url, actor.token, actor.id, "friends");
    const friendsOnly = await publicEvent();
    await setDefaultVisibility(gw.url, actor.token, actor.id, "public");
    const invisible = await graphql(gw.url, HIDE, { id: friendsOnly }, other.token);
    const missing = await graphql(gw.url, HIDE, { id: "00000000-0000-4000-8000-000000000def" }, other.token);
    expect(errorCodes(invisible)).toEqual(["DNIED"]);
    expect(errorCodes(invisible)).toEqual(errorCodes(missing));
    expect(await rootRows(gw.db, "select 1 from app_public.activity_hides where user_id = $1", [other.id])).toEqual([]);
  });
});

describe("reporting an event", () => {
  it("a visible event can be reported; the reporter and administrators read the report, no one else", async () => {
    const id = await publicEvent();
    const data = await gqlOk(gw.url, REPORT, { id, reason: "Spam link" }, other.token);
    expect(data.createContentReport.contentReport).toEqual({ rowId: expect.any(String), eventId: id, reporterId: other.id });
    const reportId = data.createContentReport.contentReport.rowId;
    const LIST = "{ contentReports { nodes { rowId reason } } }";
    expect((await gqlOk(gw.url, LIST, {}, other.token)).contentReports.nodes).toEqual([{ rowId: reportId, reason: "Spam link" }]);
    expect((await gqlOk(gw.url, LIST, {}, admin.token)).contentReports.nodes).toContainEqual({ rowId: reportId, reason: "Spam link" });
    for (const who of [actor, fan]) {
      expect((await gqlOk(gw.url, LIST, {}, who.token)).contentReports.nodes).toEqual([]);
    }
  });

  it("an event one cannot see cannot be reported: the same refusal as for no event at all, nothing written", async () => {
    await setDefaultVisibility(gw.url, actor.token, actor.id, "private");
    const privateEvent = await publicEvent();
    await setDefaultVisibility(gw.url, actor.token, actor.id, "public");
    const count = async () => (await rootRows(gw.db, "select count(*)::int as n from app_public.content_reports"))[0].n;
    const before = await count();
    const invisible = await graphql(gw.url, REPORT, { id: privateEvent, reason: "x" }, other.token);
    const missing = await graphql(gw.url, REPORT, { id: "00000000-0000-4000-8000-000000000fed", reason: "x" }, other.token);
    expect(errorCodes(invisible)).toEqual(["DNIED"]);
    expect(errorCodes(invisible)).toEqual(errorCodes(missing));
    expect(errorCodes(await graphql(gw.url, REPORT, { id: privateEvent, reason: "x" }))).toEqual(["DNIED"]);
    expect(await count()).toBe(before);
  });

  it("a report needs a reason (BADIN)", async () => {
    const id = await publicEvent();
    expect(errorCodes(await graphql(gw.url, REPORT, { id, reason: "" }, other.token))).toEqual(["BADIN"]);
  });
});

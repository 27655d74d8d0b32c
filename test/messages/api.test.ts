// Direct messages over the real gateway: who may write to whom (the
// recipient's messages_from), what a message may hold, receipts and unread
// counts, listing page by page, the edit and delete windows, and reports.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, refusal, signUp, startTestGateway, writesNothing, type Account, type TestGateway } from "../helpers/gateway.js";
import { messaging, type Message } from "../helpers/messages.js";
import { befriend } from "../helpers/peers.js";
import { setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let alice: Account;
let bob: Account; // alice's friend
let carol: Account; // a stranger to everyone
let dan: Account; // alice's friend
let m: ReturnType<typeof messaging>;

beforeAll(async () => {
  gw = await startTestGateway();
  alice = await signUp(gw.url, "dm_alice");
  bob = await signUp(gw.url, "dm_bob");
  carol = await signUp(gw.url, "dm_carol");
  dan = await signUp(gw.url, "dm_dan");
  await befriend(gw.db, alice.id, bob.id);
  await befriend(gw.db, alice.id, dan.id);
  m = messaging(gw.url);
});
afterAll(async () => {
  await gw.close();
});

const count = async (table: string) => (await gw.db.root.query(`select count(*)::int as n from app_public.${table}`)).rows[0].n as number;
const row = async (messageId: string) =>
  (await gw.db.root.query("select body_md, edited_at, deleted_at from app_public.direct_messages where id = $1", [messageId])).rows[0];
const backdate = (messageId: string, minutes: number) =>
  gw.db.root.query("update app_public.direct_messages set created_at = now() - make_interval(mins => $2) where id = $1", [messageId, minutes]);

describe("who may message whom", () => {
  it("by default only friends: a stranger gets MSGNO and nothing is written, a friend's message goes through", async () => {
    const conversations = await count("conversations");
    const refused = await writesNothing(gw.db, "direct_messages", () => m.send(carol, alice.id, "hello stranger"));
    expect(errorCodes(refused)).toEqual(["MSGNO"]);
    expect(refused.data?.sendMessage ?? null).toBeNull();
    expect(await count("conversations")).toBe(conversations);

    const sent = await m.sent(bob, alice, "hi alice");
    expect(sent).toMatchObject({ senderId: bob.id, bodyMd: "hi alice", editedAt: null, deletedAt: null, deliveredAt: null, readAt: null });
    const { rows } = await gw.db.root.query("select sender_id, body_md from app_public.direct_messages where id = $1", [sent.rowId]);
    expect(rows).toEqual([{ sender_id: bob.id, body_md: "hi alice" }]);
  });

  it("follows the recipient's own setting, changed over GraphQL: everyone lets a stranger in, nobody keeps even friends out", async () => {
    const setting = (messagesFrom: string) => graphql(gw.url,
      `mutation ($id: UUID!, $to: MessagePolicy!) { updatePrivacySetting(input: { userId: $id, patch: { messagesFrom: $to } }) { privacySetting { messagesFrom } } }`,
      { id: alice.id, to: messagesFrom }, alice.token);
    try {
      expect((await setting("everyone")).data.updatePrivacySetting.privacySetting).toEqual({ messagesFrom: "everyone" });
      expect((await m.sent(carol, alice, "now I may write")).bodyMd).toBe("now I may write");

      expect((await setting("nobody")).data.updatePrivacySetting.privacySetting).toEqual({ messagesFrom: "nobody" });
      for (const sender of [bob, carol]) {
        const refused = await writesNothing(gw.db, "direct_messages", () => m.send(sender, alice.id, "anyone there?"));
        expect(errorCodes(refused)).toEqual(["MSGNO"]);
      }
      // Alice's own setting does not stop her writing to others.
      expect((await m.sent(alice, bob, "I can still write")).senderId).toBe(alice.id);
    } finally {
      await setting("friends");
    }
    // Back to friends only: the stranger, who has a conversation with alice, is refused again.
    expect(errorCodes(await m.send(carol, alice.id, "again"))).toEqual(["MSGNO"]);
  });

  it("otherUser names the other member to both, even when neither may see the other's (friends-only) profile", async () => {
    const [sid, tia] = [await signUp(gw.url, "dm_sid"), await signUp(gw.url, "dm_tia")];
    await setPrivacy(gw.db, tia.id, { messages_from: "everyone" });
    const first = await m.sent(sid, tia, "hello, we have not met");
    // Strangers: the profiles stay closed…
    expect((await graphql(gw.url, `query ($id: UUID!) { user(rowId: $id) { rowId } }`, { id: sid.id }, tia.token)).data.user).toBeNull();
    // …but a conversation says who is in it.
    for (const [as, other] of [[tia, sid], [sid, tia]] as const) {
      const [conversation] = (await m.inbox(as)).conversations;
      expect({ rowId: conversation!.rowId, otherUser: conversation!.otherUser }).toEqual({
        rowId: first.conversationId, otherUser: { rowId: other.id, username: other === sid ? "dm_sid" : "dm_tia" },
      });
    }
    // Naming them opens nothing else of the profile: its numbers and location stay the profile rule's.
    await gw.db.root.query("insert into app_public.user_locations (user_id, country_code, is_visible) values ($1, 'FR', true)", [sid.id]);
    await setPrivacy(gw.db, sid.id, { show_streaks: true, show_location: true });
    const profile = await graphql(gw.url, `{ conversations { nodes { otherUser { stats { followersCount currentStreak } location { countryCode } } } } }`, {}, tia.token);
    expect(profile.errors).toBeUndefined();
    expect(profile.data.conversations.nodes).toEqual([{ otherUser: { stats: null, location: null } }]);
  });

  it("refuses a body over 4000 characters, an empty or missing one with BADIN, writing nothing; 4000 exactly is fine", async () => {
    for (const [body, constraint] of [["x".repeat(4001), "message_body_length"], ["", "message_body_length"], [null, "message_body_unless_deleted"]] as const) {
      const response = await writesNothing(gw.db, "direct_messages", () => m.send(bob, alice.id, body));
      expect(refusal(response)).toEqual([{ code: "BADIN", constraint }]);
    }
    const events = (await gw.db.root.query("select count(*)::int as n from app_public.notification_events where type = 'messages.received'")).rows[0].n;
    const long = await m.sent(bob, alice, "y".repeat(4000));
    expect(long.bodyMd).toHaveLength(4000);
    expect((await gw.db.root.query("select count(*)::int as n from app_public.notification_events where type = 'messages.received'")).rows[0].n).toBe(events + 1);
  });

  it("refuses a message to oneself (BADIN), and answers a user who blocked you exactly as one who does not exist (NOFND)", async () => {
    const self = await writesNothing(gw.db, "direct_messages", () => m.send(alice, alice.id, "note to self"));
    expect(errorCodes(self)).toEqual(["BADIN"]);

    await gw.db.root.query("insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [dan.id, bob.id]);
    try {
      const blocked = await writesNothing(gw.db, "direct_messages", () => m.send(bob, dan.id, "you there?"));
      const missing = await writesNothing(gw.db, "direct_messages", () => m.send(bob, "00000000-0000-4000-8000-000000000000", "you there?"));
      expect(errorCodes(blocked)).toEqual(["NOFND"]);
      expect(blocked.errors?.map((e) => e.message)).toEqual(missing.errors?.map((e) => e.message));
      expect(errorCodes(missing)).toEqual(["NOFND"]);
      // Nor may the blocker write to the one they blocked.
      expect(errorCodes(await m.send(dan, bob.id, "hm"))).toEqual(["NOFND"]);
    } finally {
      await gw.db.root.query("delete from app_public.blocks where blocker_id = $1", [dan.id]);
    }
  });
});

describe("receipts and unread counts", () => {
  it("deliveredAt and readAt stay null until the recipient marks the conversation; the counts go down", async () => {
    // A fresh pair: dan writes to alice three times, bob once more.
    const sent: Message[] = [];
    for (const body of ["one", "two", "three"]) sent.push(await m.sent(dan, alice, body));
    const fromBob = await m.sent(bob, alice, "and me");
    const withDan = sent[0]!.conversationId;
    const withBob = fromBob.conversationId;

    const before = await m.inbox(alice);
    const unreadBefore = Object.fromEntries(before.conversations.map((c) => [c.rowId, c.unreadCount]));
    expect(unreadBefore[withDan]).toBe(3);
    expect(unreadBefore[withBob]).toBeGreaterThanOrEqual(1);
    expect(before.unread).toBe(Object.values(unreadBefore).reduce((x, y) => x + y, 0));
    expect(before.conversations.find((c) => c.rowId === withDan)!.otherUser).toEqual({ rowId: dan.id, username: "dm_dan" });
    // What one sent oneself is never unread.
    expect((await m.inbox(dan)).conversations.find((c) => c.rowId === withDan)!.unreadCount).toBe(0);
    for (const message of sent) expect(await m.message(dan, message.rowId)).toMatchObject({ deliveredAt: null, readAt: null });

    // Received, not read: delivered only.
    const delivered = await m.mark(alice, withDan, false);
    expect(delivered.errors).toBeUndefined();
    expect(delivered.data.markConversation.result).toMatchObject({ userId: alice.id, deliveredUpTo: expect.any(String), readUpTo: null });
    for (const message of sent) {
      const seen = (await m.message(dan, message.rowId))!;
      expect(seen.deliveredAt).not.toBeNull();
      expect(new Date(seen.deliveredAt!).getTime()).toBeGreaterThanOrEqual(new Date(seen.createdAt).getTime());
      expect(seen.readAt).toBeNull();
    }
    expect((await m.inbox(alice)).unread).toBe(before.unread);

    // Read: the conversation's count drops to 0, the total by as much, the other conversation keeps its own.
    expect((await m.mark(alice, withDan, true)).data.markConversation.result.readUpTo).not.toBeNull();
    for (const message of sent) expect((await m.message(dan, message.rowId))!.readAt).not.toBeNull();
    const after = await m.inbox(alice);
    const unreadAfter = Object.fromEntries(after.conversations.map((c) => [c.rowId, c.unreadCount]));
    expect(unreadAfter[withDan]).toBe(0);
    expect(unreadAfter[withBob]).toBe(unreadBefore[withBob]);
    expect(after.unread).toBe(before.unread - 3);

    // A new message is unread and undelivered again; the ones before keep their receipts.
    const fourth = await m.sent(dan, alice, "four");
    expect(await m.message(dan, fourth.rowId)).toMatchObject({ deliveredAt: null, readAt: null });
    expect((await m.message(dan, sent[2]!.rowId))!.readAt).not.toBeNull();
    expect((await m.inbox(alice)).unread).toBe(after.unread + 1);

    // Marking is one's own: a stranger marks nothing.
    expect((await m.mark(carol, withDan, true)).data.markConversation.result).toBeNull();
    expect(await m.message(dan, fourth.rowId)).toMatchObject({ deliveredAt: null, readAt: null });
    for (const conversation of (await m.inbox(alice)).conversations) await m.mark(alice, conversation.rowId, true);
    expect((await m.inbox(alice)).unread).toBe(0);
    // A receipt never moves backwards: marking delivered only keeps the read mark.
    await m.mark(alice, withDan, false);
    expect((await m.message(dan, fourth.rowId))!.readAt).not.toBeNull();
  });

  it("lists a conversation's messages in order, page by page with cursors, both ways", async () => {
    const [ann, ben] = [await signUp(gw.url, "dm_pager_a"), await signUp(gw.url, "dm_pager_b")];
    await befriend(gw.db, ann.id, ben.id);
    const bodies = ["p1", "p2", "p3", "p4", "p5"];
    let conversationId = "";
    for (const [i, body] of bodies.entries()) conversationId = (await m.sent(i % 2 ? ben : ann, i % 2 ? ann : ben, body)).conversationId;
    const PAGE = `query ($id: UUID!, $after: Cursor, $order: [DirectMessageOrderBy!]) { conversation(rowId: $id) {
      directMessages(first: 2, after: $after, orderBy: $order) {
        nodes { bodyMd } pageInfo { hasNextPage endCursor } } } }`;
    const readAll = async (as: Account, order: string[]) => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const response: any = await graphql(gw.url, PAGE, { id: conversationId, after, order }, as.token);
        expect(response.errors).toBeUndefined();
        const connection = response.data.conversation.directMessages;
        expect(connection.nodes.length).toBeLessThanOrEqual(2);
        seen.push(...connection.nodes.map((n: { bodyMd: string }) => n.bodyMd));
        if (!connection.pageInfo.hasNextPage) return { seen, pages: page + 1 };
        after = connection.pageInfo.endCursor;
      }
      throw new Error("more pages than messages");
    };
    for (const reader of [ann, ben]) {
      expect(await readAll(reader, ["CREATED_AT_ASC", "ROW_ID_ASC"])).toEqual({ seen: bodies, pages: 3 });
      expect(await readAll(reader, ["CREATED_AT_DESC", "ROW_ID_DESC"])).toEqual({ seen: [...bodies].reverse(), pages: 3 });
    }
    // The conversation is nobody else's to page through.
    expect((await graphql(gw.url, PAGE, { id: conversationId, after: null, order: ["CREATED_AT_ASC"] }, alice.token)).data.conversation).toBeNull();
  });
});

describe("editing", () => {
  it("the sender edits within 15 minutes (editedAt set); afterwards EDITW and the body stays", async () => {
    const message = await m.sent(bob, alice, "helo");
    const edited = await m.edit(bob, message.rowId, "hello");
    expect(edited.errors).toBeUndefined();
    expect(edited.data.editMessage.result).toMatchObject({ rowId: message.rowId, bodyMd: "hello", editedAt: expect.any(String) });
    expect(await m.message(alice, message.rowId)).toMatchObject({ bodyMd: "hello", editedAt: expect.any(String) });
    // Too long an edit is refused like too long a message.
    expect(refusal(await m.edit(bob, message.rowId, "z".repeat(4001)))).toEqual([{ code: "BADIN", constraint: "message_body_length" }]);
    expect((await row(message.rowId)).body_md).toBe("hello");

    await backdate(message.rowId, 16);
    const late = await m.edit(bob, message.rowId, "hello!!");
    expect(errorCodes(late)).toEqual(["EDITW"]);
    expect((await row(message.rowId)).body_md).toBe("hello");
  });

  it("only the sender may edit: the recipient and a stranger get NOFND, the body stays", async () => {
    const message = await m.sent(bob, alice, "mine to edit");
    for (const other of [alice, carol]) {
      expect(errorCodes(await m.edit(other, message.rowId, "hijacked"))).toEqual(["NOFND"]);
    }
    expect(await row(message.rowId)).toEqual({ body_md: "mine to edit", edited_at: null, deleted_at: null });
  });
});

describe("deleting", () => {
  it("for me: gone for me alone, the other member still sees it", async () => {
    const message = await m.sent(bob, alice, "delete me for alice");
    const done = await m.remove(alice, message.rowId, false);
    expect(done.data.deleteMessage.result).toBe(true);
    expect(await m.message(alice, message.rowId)).toBeNull();
    const inbox = await m.inbox(alice);
    expect(inbox.conversations.flatMap((c) => c.messages.map((x) => x.rowId))).not.toContain(message.rowId);
    expect(await m.message(bob, message.rowId)).toMatchObject({ bodyMd: "delete me for alice", deletedAt: null });
    expect(await row(message.rowId)).toMatchObject({ body_md: "delete me for alice", deleted_at: null });
    // The sender may delete it for themselves too; a stranger may not touch it.
    expect((await m.remove(bob, message.rowId, false)).data.deleteMessage.result).toBe(true);
    expect(await m.message(bob, message.rowId)).toBeNull();
    expect(errorCodes(await m.remove(carol, message.rowId, false))).toEqual(["NOFND"]);
    const { rows } = await gw.db.root.query("select user_id from app_public.message_deletions where message_id = $1 order by user_id", [message.rowId]);
    expect(rows.map((r) => r.user_id).sort()).toEqual([alice.id, bob.id].sort());
  });

  it("for everyone: only the sender, within an hour; the body goes for both, deletedAt is set, and the moderation trail has it", async () => {
    const message = await m.sent(bob, alice, "oops, wrong chat");
    const trail = () => gw.db.root.query("select moderator_id, action, message_id from app_public.moderation_actions where message_id = $1", [message.rowId])
      .then((r) => r.rows);

    expect(errorCodes(await m.remove(alice, message.rowId, true))).toEqual(["DNIED"]);
    expect(errorCodes(await m.remove(carol, message.rowId, true))).toEqual(["NOFND"]);
    expect(await row(message.rowId)).toMatchObject({ body_md: "oops, wrong chat", deleted_at: null });
    expect(await trail()).toEqual([]);

    expect((await m.remove(bob, message.rowId, true)).data.deleteMessage.result).toBe(true);
    for (const member of [alice, bob]) {
      expect(await m.message(member, message.rowId)).toMatchObject({ rowId: message.rowId, bodyMd: null, deletedAt: expect.any(String) });
    }
    expect(await trail()).toEqual([{ moderator_id: bob.id, action: "delete_message", message_id: message.rowId }]);
    // A message deleted for everyone can no longer be edited.
    expect(errorCodes(await m.edit(bob, message.rowId, "back"))).toEqual(["NOFND"]);
  });

  it("for everyone after an hour: EDITW, the body stays, nothing in the trail", async () => {
    const message = await m.sent(bob, alice, "old news");
    await backdate(message.rowId, 61);
    expect(errorCodes(await m.remove(bob, message.rowId, true))).toEqual(["EDITW"]);
    expect(await row(message.rowId)).toMatchObject({ body_md: "old news", deleted_at: null });
    expect((await gw.db.root.query("select count(*)::int as n from app_public.moderation_actions where message_id = $1", [message.rowId])).rows[0].n).toBe(0);
    // Deleting it for oneself is still possible.
    expect((await m.remove(bob, message.rowId, false)).data.deleteMessage.result).toBe(true);
  });
});

describe("optional arguments left null", () => {
  // A client passes an unset optional variable as null: the documented
  // defaults (for me; read) must hold then too, never the destructive reading.
  it("deleteMessage with forEveryone null deletes for me only, like leaving it out", async () => {
    const DELETE = `mutation ($id: UUID!, $all: Boolean) { deleteMessage(input: { messageId: $id, forEveryone: $all }) { result } }`;
    const omitted = await m.sent(bob, alice, "left out");
    expect((await graphql(gw.url, `mutation ($id: UUID!) { deleteMessage(input: { messageId: $id }) { result } }`, { id: omitted.rowId }, bob.token))
      .data.deleteMessage.result).toBe(true);
    expect(await row(omitted.rowId)).toMatchObject({ body_md: "left out", deleted_at: null });

    const nulled = await m.sent(bob, alice, "passed as null");
    expect((await graphql(gw.url, DELETE, { id: nulled.rowId, all: null }, bob.token)).data.deleteMessage.result).toBe(true);
    expect(await row(nulled.rowId)).toMatchObject({ body_md: "passed as null", deleted_at: null });
    expect(await m.message(alice, nulled.rowId)).toMatchObject({ bodyMd: "passed as null", deletedAt: null });
    expect(await m.message(bob, nulled.rowId)).toBeNull();
  });

  it("markConversation with read null marks read, like leaving it out", async () => {
    const first = await m.sent(dan, alice, "read me (omitted)");
    const omitted = await graphql(gw.url, `mutation ($id: UUID!) { markConversation(input: { conversationId: $id }) { result { readUpTo } } }`,
      { id: first.conversationId }, alice.token);
    expect(omitted.data.markConversation.result.readUpTo).not.toBeNull();
    expect((await m.message(dan, first.rowId))!.readAt).not.toBeNull();

    const second = await m.sent(dan, alice, "read me (null)");
    const nulled = await graphql(gw.url, `mutation ($id: UUID!, $read: Boolean) { markConversation(input: { conversationId: $id, read: $read }) { result { readUpTo } } }`,
      { id: second.conversationId, read: null }, alice.token);
    expect(nulled.errors).toBeUndefined();
    expect((await m.message(dan, second.rowId))!.readAt).not.toBeNull();
  });
});

describe("reporting a message", () => {
  const REPORT = `mutation ($id: UUID!, $reason: String!) { createContentReport(input: { contentReport: { messageId: $id, reason: $reason } }) {
    contentReport { rowId reporterId messageId reason } } }`;

  it("a member reports a message of their conversation; someone who cannot see it is refused and nothing is written", async () => {
    const message = await m.sent(bob, alice, "something nasty");
    const refused = await writesNothing(gw.db, "content_reports", () => graphql(gw.url, REPORT, { id: message.rowId, reason: "not mine to judge" }, carol.token));
    expect(errorCodes(refused)).toEqual(["DNIED"]);

    const reported = await graphql(gw.url, REPORT, { id: message.rowId, reason: "harassment" }, alice.token);
    expect(reported.errors).toBeUndefined();
    expect(reported.data.createContentReport.contentReport).toMatchObject({ reporterId: alice.id, messageId: message.rowId, reason: "harassment" });
    const { rows } = await gw.db.root.query("select reporter_id, message_id, event_id from app_public.content_reports where message_id = $1", [message.rowId]);
    expect(rows).toEqual([{ reporter_id: alice.id, message_id: message.rowId, event_id: null }]);
  });
});

describe("the API's shape", () => {
  it("offers no generic create, update or delete of conversations, members, messages or deletions: only the functions", async () => {
    const response = await graphql(gw.url, `{ __type(name: "Mutation") { fields { name } } }`, {}, alice.token);
    const names: string[] = response.data.__type.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(["sendMessage", "editMessage", "deleteMessage", "markConversation"]));
    const generic = names.filter((n) => /^(create|update|delete)(Conversation|ConversationMember|DirectMessage|MessageDeletion)(ById)?$/.test(n));
    expect(generic).toEqual([]);
  });
});

describe("a flood", () => {
  it("costs the sender: the 61st message within a minute is SLOWD and not written; older ones do not count", async () => {
    const first = await m.sent(dan, alice, "hello");
    // 59 more of the last minute, arranged directly: 60 in all.
    await gw.db.root.query(
      "insert into app_public.direct_messages (conversation_id, sender_id, body_md, created_at) select $1, $2, 'x', now() - interval '10 seconds' from generate_series(1, 59)",
      [first.conversationId, dan.id]);
    const before = await count("direct_messages");
    expect(errorCodes(await m.send(dan, alice.id, "one more"))).toEqual(["SLOWD"]);
    expect(await count("direct_messages")).toBe(before);
    await gw.db.root.query("update app_public.direct_messages set created_at = now() - interval '2 minutes' where sender_id = $1", [dan.id]);
    expect((await m.sent(dan, alice, "later")).bodyMd).toBe("later");
  });
});

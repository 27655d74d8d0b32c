// A direct message raises a `messages.received` notification for its
// recipient (never its sender), delivered on the channels the recipient's
// preferences choose; a refused message raises none.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { befriend, connectAs, type VisitorConnection } from "../helpers/peers.js";

let asBob: VisitorConnection | undefined;
let asCarol: VisitorConnection | undefined;
// Registered before the database's own afterAll, so it runs first: the
// connections close before the database is dropped.
afterAll(async () => {
  await asBob?.close();
  await asCarol?.close();
});
const t = useTestDatabase();
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  alice = await createUser(t.db, "note_alice");
  bob = await createUser(t.db, "note_bob");
  carol = await createUser(t.db, "note_carol");
  await befriend(t.db, alice.id, bob.id);
  asBob = await connectAs(t.db, bob.id);
  asCarol = await connectAs(t.db, carol.id);
});
beforeEach(async () => {
  await t.db.root.query("delete from app_public.notification_preferences");
  await t.db.root.query("delete from app_public.push_subscriptions");
});

const send = async (from: VisitorConnection, to: string, body: string) =>
  (await from.query<{ id: string; conversation_id: string }>("select id, conversation_id from app_public.send_message($1, $2)", [to, body])).rows[0]!;
const events = async (messageId: string) =>
  (await t.db.root.query("select id, user_id, type, data from app_public.notification_events where dedupe_key = $1", [`message:${messageId}`])).rows;
const channels = async (eventId: string) =>
  (await t.db.root.query("select channel::text from app_public.notification_deliveries where event_id = $1 order by channel::text", [eventId]))
    .rows.map((r) => r.channel as string);

describe("messages.received", () => {
  it("goes to the recipient alone, with who wrote and a preview of at most 140 characters", async () => {
    const body = `${"a".repeat(130)} and then some more words`;
    const message = await send(asBob!, alice.id, body);
    const raised = await events(message.id);
    expect(raised).toEqual([{
      id: expect.any(String), user_id: alice.id, type: "messages.received",
      data: { username: alice.username, from_username: bob.username, preview: body.slice(0, 140), conversation_id: message.conversation_id },
    }]);
    const { rows } = await t.db.root.query("select count(*)::int as n from app_public.notification_events where user_id = $1 and type = 'messages.received'", [bob.id]);
    expect(rows[0].n).toBe(0);
  });

  it("follows the default channels: in-app, and push to each live subscription", async () => {
    const inAppOnly = await events((await send(asBob!, alice.id, "no phone yet")).id);
    expect(await channels(inAppOnly[0].id)).toEqual(["in_app"]);
    await t.db.root.query(
      "insert into app_public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, 'https://push.example.com/alice', $2, $3)",
      [alice.id, "B".repeat(87), "A".repeat(22)],
    );
    const withPush = await events((await send(asBob!, alice.id, "now with a phone")).id);
    expect(await channels(withPush[0].id)).toEqual(["in_app", "push"]);
  });

  it("follows the recipient's preferences: channels turned off get nothing, a channel turned on gets it", async () => {
    await t.db.root.query(
      "insert into app_public.push_subscriptions (user_id, endpoint, p256dh, auth) values ($1, 'https://push.example.com/alice2', $2, $3)",
      [alice.id, "B".repeat(87), "A".repeat(22)],
    );
    await t.db.root.query(
      `insert into app_public.notification_preferences (user_id, type, channel, enabled) values
         ($1, 'messages.received', 'in_app', false), ($1, 'messages.received', 'push', false), ($1, 'messages.received', 'email', true)`,
      [alice.id],
    );
    const byEmail = await events((await send(asBob!, alice.id, "mail me")).id);
    expect(await channels(byEmail[0].id)).toEqual(["email"]);

    await t.db.root.query("update app_public.notification_preferences set enabled = false where user_id = $1", [alice.id]);
    const silent = await events((await send(asBob!, alice.id, "shh")).id);
    // The event is kept (the message exists); nothing is delivered.
    expect(silent).toHaveLength(1);
    expect(await channels(silent[0].id)).toEqual([]);
    // Another user's preferences are theirs alone: bob still hears from alice on his defaults.
    const asAlice = await connectAs(t.db, alice.id);
    try {
      const reply = await events((await send(asAlice, bob.id, "hi bob")).id);
      expect(reply[0].user_id).toBe(bob.id);
      expect(await channels(reply[0].id)).toEqual(["in_app"]);
    } finally {
      await asAlice.close();
    }
  });

  it("a refused message notifies nobody", async () => {
    const before = (await t.db.root.query("select count(*)::int as n from app_public.notification_events")).rows[0].n;
    expect((await asCarol!.attempt("select app_public.send_message($1, 'hello?')", [alice.id])).code).toBe("MSGNO");
    expect((await asBob!.attempt("select app_public.send_message($1, '')", [alice.id])).code).toBe("23514");
    expect((await t.db.root.query("select count(*)::int as n from app_public.notification_events")).rows[0].n).toBe(before);
  });
});

// A block ends a conversation for both people: it disappears, with its
// messages and receipts, from both sides (SQL and GraphQL), and nothing sent
// once the block stands gets through, even when the block and the sends
// happen at the same moment on separate connections.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, createUser, type TestUser } from "../helpers/db.js";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { messaging } from "../helpers/messages.js";
import { befriend, connectAs, sleep, type VisitorConnection } from "../helpers/peers.js";
import { rand, randInt, SEED } from "../helpers/random.js";

let gw: TestGateway;
let m: ReturnType<typeof messaging>;

beforeAll(async () => {
  gw = await startTestGateway();
  m = messaging(gw.url);
});
afterAll(async () => {
  await gw.close();
});

const visibleInSql = (userId: string, conversationId: string) =>
  asUser(gw.db, userId, async (c) => ({
    conversations: (await c.query("select id from app_public.conversations where id = $1", [conversationId])).rowCount,
    members: (await c.query("select user_id from app_public.conversation_members where conversation_id = $1", [conversationId])).rowCount,
    messages: (await c.query("select id from app_public.direct_messages where conversation_id = $1", [conversationId])).rowCount,
    allMessages: (await c.query("select id from app_public.direct_messages")).rowCount,
  }));

describe("a block hides the conversation", () => {
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    alice = await signUp(gw.url, "blk_alice");
    bob = await signUp(gw.url, "blk_bob");
    await befriend(gw.db, alice.id, bob.id);
  });

  it("from both sides, with its messages and receipts, in SQL and over GraphQL; lifting it shows the history again", async () => {
    const first = await m.sent(bob, alice, "hey");
    await m.sent(alice, bob, "hey yourself");
    const conversationId = first.conversationId;
    await m.mark(alice, conversationId, true);
    await m.sent(bob, alice, "unread one");
    // Before: both see everything (the policies are not simply closed).
    for (const user of [alice, bob]) {
      expect(await visibleInSql(user.id, conversationId)).toEqual({ conversations: 1, members: 2, messages: 3, allMessages: 3 });
      expect((await m.inbox(user)).conversations.map((c) => c.messages.length)).toEqual([3]);
    }
    expect((await m.inbox(alice)).unread).toBe(1);

    const blocked = await graphql(gw.url, `mutation ($id: UUID!) { blockUser(input: { userId: $id }) { result } }`, { id: bob.id }, alice.token);
    expect(blocked.data.blockUser.result).toBe(true);

    for (const user of [alice, bob]) {
      expect(await visibleInSql(user.id, conversationId)).toEqual({ conversations: 0, members: 0, messages: 0, allMessages: 0 });
      expect(await m.inbox(user)).toEqual({ conversations: [], unread: 0 });
      const direct = await graphql(gw.url, `query ($c: UUID!, $m: UUID!) {
        conversation(rowId: $c) { rowId } directMessage(rowId: $m) { rowId }
        directMessages { totalCount } conversationMembers { totalCount } }`, { c: conversationId, m: first.rowId }, user.token);
      expect(direct.errors).toBeUndefined();
      expect(direct.data).toEqual({ conversation: null, directMessage: null, directMessages: { totalCount: 0 }, conversationMembers: { totalCount: 0 } });
    }
    // Neither may write to the other; both get the answer for a missing user.
    expect(errorCodes(await m.send(bob, alice.id, "why?"))).toEqual(["NOFND"]);
    expect(errorCodes(await m.send(alice, bob.id, "bye"))).toEqual(["NOFND"]);
    // The rows are still there: a block hides, it does not delete.
    const { rows } = await gw.db.root.query("select count(*)::int as n from app_public.direct_messages where conversation_id = $1", [conversationId]);
    expect(rows[0].n).toBe(3);

    const unblocked = await graphql(gw.url, `mutation ($id: UUID!) { unblockUser(input: { userId: $id }) { result } }`, { id: bob.id }, alice.token);
    expect(unblocked.data.unblockUser.result).toBe(true);
    for (const user of [alice, bob]) {
      expect(await visibleInSql(user.id, conversationId)).toEqual({ conversations: 1, members: 2, messages: 3, allMessages: 3 });
    }
  });
});

describe("across a block, the message functions find nothing either", () => {
  it("editMessage and deleteMessage answer NOFND on either side, markConversation marks nothing; the rows stay as they were", async () => {
    const [sue, tom] = [await signUp(gw.url, "blk_sue"), await signUp(gw.url, "blk_tom")];
    await befriend(gw.db, sue.id, tom.id);
    const fromSue = await m.sent(sue, tom, "from sue");
    const fromTom = await m.sent(tom, sue, "from tom");
    const state = async () => ({
      messages: (await gw.db.root.query("select id, body_md, edited_at, deleted_at from app_public.direct_messages where conversation_id = $1 order by id",
        [fromSue.conversationId])).rows,
      members: (await gw.db.root.query("select user_id, delivered_up_to, read_up_to from app_public.conversation_members where conversation_id = $1 order by user_id",
        [fromSue.conversationId])).rows,
      deletions: (await gw.db.root.query("select count(*)::int as n from app_public.message_deletions where message_id in ($1, $2)",
        [fromSue.rowId, fromTom.rowId])).rows[0].n,
    });
    await graphql(gw.url, `mutation ($id: UUID!) { blockUser(input: { userId: $id }) { result } }`, { id: sue.id }, tom.token);
    const before = await state();

    for (const [as, own, theirs] of [[sue, fromSue, fromTom], [tom, fromTom, fromSue]] as const) {
      const edited = await m.edit(as, own.rowId, "changed behind the block");
      expect({ who: as.id, codes: errorCodes(edited), shown: edited.data?.editMessage ?? null }).toEqual({ who: as.id, codes: ["NOFND"], shown: null });
      expect({ who: as.id, codes: errorCodes(await m.remove(as, own.rowId, true)) }).toEqual({ who: as.id, codes: ["NOFND"] });
      expect({ who: as.id, codes: errorCodes(await m.remove(as, theirs.rowId, false)) }).toEqual({ who: as.id, codes: ["NOFND"] });
      expect({ who: as.id, marked: (await m.mark(as, own.conversationId, true)).data.markConversation.result }).toEqual({ who: as.id, marked: null });
    }
    expect(await state()).toEqual(before);
  });
});

describe("a block racing messages", () => {
  let x: TestUser; // blocks y
  let y: TestUser;
  const connections: VisitorConnection[] = [];

  beforeAll(async () => {
    x = await createUser(gw.db, "race_x");
    y = await createUser(gw.db, "race_y");
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
  });

  it(`nothing sent after the block commits gets through, either way; every send succeeds or gets NOFND (seed ${SEED})`, async () => {
    const xBlock = await connectAs(gw.db, x.id);
    const xSend = await connectAs(gw.db, x.id);
    const ySend = await connectAs(gw.db, y.id);
    connections.push(xBlock, xSend, ySend);
    const outcomes = { sent: 0, refused: 0 };
    const ROUNDS = 30;

    for (let round = 0; round < ROUNDS; round++) {
      // Friends again, unblocked: sending is allowed until the block lands.
      await gw.db.root.query("delete from app_public.blocks where blocker_id = $1", [x.id]);
      await befriend(gw.db, x.id, y.id);
      const tag = `r${round}-`;

      // The block's transaction stays open a moment after block_user returns:
      // sends arriving then must wait for it, and fail once it commits.
      const block = async () => {
        await sleep(randInt(0, 15));
        await xBlock.query("begin");
        await xBlock.query("select app_public.block_user($1)", [y.id]);
        // As text: microseconds, which a Date would round away.
        const { rows } = await xBlock.query<{ at: string }>("select clock_timestamp()::text as at");
        await sleep(randInt(0, 10));
        await xBlock.query("commit");
        return rows[0]!.at;
      };
      const sends = async (from: VisitorConnection, to: string, prefix: string) => {
        const results: Array<{ id?: string; code?: string }> = [];
        for (let i = 0; i < 3; i++) {
          await sleep(randInt(0, 8));
          const result = await from.attempt<{ id: string }>("select (app_public.send_message($1, $2)).id", [to, `${tag}${prefix}${i}`]);
          results.push({ id: result.rows[0]?.id, code: result.code });
        }
        return results;
      };
      const [blockedAt, fromY, fromX] = await Promise.all([block(), sends(ySend, x.id, "y"), sends(xSend, y.id, "x")]);

      const results = [...fromY, ...fromX];
      // Success or NOFND (the blocked and the blocker alike): never MSGNO, a deadlock or anything else.
      expect(results.map((r) => r.code).filter((code) => code !== undefined && code !== "NOFND")).toEqual([]);
      outcomes.sent += results.filter((r) => r.code === undefined).length;
      outcomes.refused += results.filter((r) => r.code === "NOFND").length;

      const { rows: written } = await gw.db.root.query<{ id: string; after_block: boolean }>(
        "select id, created_at >= $2::timestamptz as after_block from app_public.direct_messages where body_md like $1", [`${tag}%`, blockedAt],
      );
      // Exactly the sends that succeeded were written, all before the block took hold.
      expect(written.map((r) => r.id).sort()).toEqual(results.flatMap((r) => (r.id ? [r.id] : [])).sort());
      expect(written.filter((r) => r.after_block)).toEqual([]);
      // y was told only of x's messages that made it before the block.
      const { rows: told } = await gw.db.root.query<{ dedupe_key: string }>(
        "select dedupe_key from app_public.notification_events where user_id = $1 and type = 'messages.received' and data->>'preview' like $2",
        [y.id, `${tag}%`],
      );
      expect(told.map((r) => r.dedupe_key).sort()).toEqual(fromX.flatMap((r) => (r.id ? [`message:${r.id}`] : [])).sort());
      // And, blocked, neither sees a single message of the other.
      for (const user of [x, y]) {
        const seen = await asUser(gw.db, user.id, async (c) => (await c.query("select body_md from app_public.direct_messages")).rows);
        expect(seen).toEqual([]);
      }
    }
    // The race was run: sends went through before blocks, and were refused after them.
    expect(outcomes.sent).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it("over GraphQL too: concurrent blockUser and sendMessage requests leave the blocked user nothing to see", async () => {
    const [p, q] = [await signUp(gw.url, "race_gql_p"), await signUp(gw.url, "race_gql_q")];
    const codes = new Set<string | undefined>();
    for (let round = 0; round < 10; round++) {
      await gw.db.root.query("delete from app_public.blocks where blocker_id = $1", [p.id]);
      await befriend(gw.db, p.id, q.id);
      const requests = [
        (async () => {
          await sleep(randInt(0, 10));
          return graphql(gw.url, `mutation ($id: UUID!) { blockUser(input: { userId: $id }) { result } }`, { id: q.id }, p.token);
        })(),
        ...Array.from({ length: 4 }, async (_, i) => {
          await sleep(Math.floor(rand() * 15));
          return i % 2 ? m.send(q, p.id, `g${round}-${i}`) : m.send(p, q.id, `g${round}-${i}`);
        }),
      ];
      const [blocked, ...sends] = await Promise.all(requests);
      expect(blocked!.errors).toBeUndefined();
      for (const send of sends) {
        const code = errorCodes(send!)[0];
        codes.add(code);
        if (!code) expect(send!.data.sendMessage.result.bodyMd).toMatch(/^g/);
      }
      for (const user of [p, q]) expect(await m.inbox(user)).toEqual({ conversations: [], unread: 0 });
    }
    expect([...codes].filter((code) => code !== undefined && code !== "NOFND")).toEqual([]);
  });
});

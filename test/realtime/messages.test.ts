// Live messages, receipts and notifications reach their conversation's
// members and their own user only.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, signUp, type Account, type TestGateway } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { befriend, sleep } from "../helpers/peers.js";
import { gqlOk, SEND_MESSAGE } from "../helpers/social.js";
import { MESSAGE_SUBSCRIPTION, NOTIFICATION_SUBSCRIPTION, subscribed, withLiveGateway } from "../helpers/realtime.js";

const lg = withLiveGateway();
let t: TestGateway;
let ann: Account, bob: Account, cy: Account;

beforeAll(async () => {
  t = lg.gateway();
  ann = await signUp(t.url, "lm_ann");
  bob = await signUp(t.url, "lm_bob");
  cy = await signUp(t.url, "lm_cy");
  await befriend(t.db, ann.id, bob.id);
  await befriend(t.db, ann.id, cy.id);
});

function subscribe(account: Account, query: string, variables: Record<string, unknown> = {}) {
  return lg.connect(account).subscribe(query, variables);
}

const send = async (from: Account, to: Account, body: string) =>
  (await gqlOk(t.url, SEND_MESSAGE, { to: to.id, body }, from.token)).sendMessage.result.rowId as string;

describe("messageReceived", () => {
  it("brings a message to both members at once, and never to anyone else", async () => {
    const bobs = subscribe(bob, MESSAGE_SUBSCRIPTION);
    const anns = subscribe(ann, MESSAGE_SUBSCRIPTION);
    const cys = subscribe(cy, MESSAGE_SUBSCRIPTION);
    await subscribed(t.gateway.hub, 3);
    const id = await send(ann, bob, "hello bob");
    await send(ann, cy, "hello cy");
    const [toBob] = await bobs.waitFor(1);
    expect(toBob).toMatchObject({ kind: "MESSAGE", message: { id, senderId: ann.id, bodyMd: "hello bob" }, receipt: null });
    expect((await anns.waitFor(2)).map((u) => u.message.bodyMd)).toEqual(["hello bob", "hello cy"]);
    const toCy = await cys.waitFor(1);
    expect(toCy.map((u) => u.message.bodyMd)).toEqual(["hello cy"]);
    await sleep(200);
    expect(bobs.items).toHaveLength(1);
    expect(cys.items).toHaveLength(1);
  });

  it("filters to one conversation, and sends the other member's read receipt", async () => {
    await send(ann, bob, "first");
    const conversationId = (await gqlOk(t.url, `{ conversations { nodes { rowId } } }`, {}, bob.token)).conversations.nodes[0].rowId;
    const annInBob = subscribe(ann, MESSAGE_SUBSCRIPTION, { conversationId });
    await subscribed(t.gateway.hub, 1);
    await send(ann, cy, "elsewhere");
    const marked = await graphql(t.url, `mutation ($id: UUID!) { markConversation(input: { conversationId: $id }) { clientMutationId } }`, { id: conversationId }, bob.token);
    expect(marked.errors).toBeUndefined();
    const [receipt] = await annInBob.waitFor(1);
    expect(receipt).toMatchObject({ kind: "RECEIPT", conversationId, message: null, receipt: { userId: bob.id } });
    expect(receipt.receipt.readUpTo).toBeTruthy();
    await sleep(200);
    expect(annInBob.items).toHaveLength(1);
  });

  it("cannot be pointed at someone else's conversation", async () => {
    await send(ann, bob, "private talk");
    const conversationId = (await gqlOk(t.url, `{ conversations { nodes { rowId } } }`, {}, bob.token)).conversations.nodes[0].rowId;
    const spy = subscribe(cy, MESSAGE_SUBSCRIPTION, { conversationId });
    await subscribed(t.gateway.hub, 1);
    await send(ann, bob, "still private");
    await send(ann, cy, "marker");
    await sleep(300);
    expect(spy.items).toEqual([]);
  });
});

describe("notificationReceived", () => {
  it("brings a new in-app notification and the unread count to its user only", async () => {
    await runQueuedJobs(t.db); // the earlier tests' messages notified too
    const bobs = subscribe(bob, NOTIFICATION_SUBSCRIPTION);
    const cys = subscribe(cy, NOTIFICATION_SUBSCRIPTION);
    await subscribed(t.gateway.hub, 2);
    const unread = async (account: Account) =>
      (await gqlOk(t.url, `{ unreadNotificationCounts { nodes { unread } } }`, {}, account.token)).unreadNotificationCounts.nodes
        .reduce((sum: number, n: { unread: number }) => sum + n.unread, 0);
    const before = await unread(bob);
    await send(ann, bob, "ping");
    await runQueuedJobs(t.db);
    const [received] = await bobs.waitFor(1);
    expect(received.notification.type).toBe("messages.received");
    expect(received.unreadCount).toBe(before + 1);
    expect(received.unreadCount).toBe(await unread(bob));
    await sleep(200);
    expect(cys.items).toEqual([]);
  });
});

// The marketplace over the real gateway: buying with purchaseItem, the
// error codes a client acts on (extensions.code), retries with the same
// idempotency key, and one's own points and purchases.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, writesNothing, type Account, type TestGateway } from "../helpers/gateway.js";
import { balance, createItem, credit, quietAchievements, stock } from "./fixtures.js";

let gw: TestGateway;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  gw = await startTestGateway();
  await quietAchievements(gw.db);
  alice = await signUp(gw.url, "mkt_alice");
  bob = await signUp(gw.url, "mkt_bob");
  await credit(gw.db, alice.id, 100);
});
afterAll(async () => {
  await gw.close();
});

const PURCHASE = `mutation ($item: UUID!, $quantity: Int!, $key: String!) {
  purchaseItem(input: { itemId: $item, quantity: $quantity, idempotencyKey: $key }) {
    result { rowId itemId quantity unitPrice totalPrice status } } }`;
const buy = (as: Account, item: string, quantity: number, key: string) => graphql(gw.url, PURCHASE, { item, quantity, key }, as.token);

describe("purchaseItem", () => {
  it("buys: the purchase comes back fulfilled, the balance and the stock move; a retry returns the same purchase", async () => {
    const item = await createItem(gw.db, { title: "Sticker", price: 15, stock: 3 });
    const first = await buy(alice, item, 2, "gql-sticker-1");
    expect(first.errors).toBeUndefined();
    expect(first.data.purchaseItem.result).toMatchObject({ itemId: item, quantity: 2, unitPrice: 15, totalPrice: 30, status: "fulfilled" });
    expect(await balance(gw.db, alice.id)).toBe(70);
    expect(await stock(gw.db, item)).toBe(1);
    const retry = await buy(alice, item, 2, "gql-sticker-1");
    expect(retry.data.purchaseItem.result.rowId).toBe(first.data.purchaseItem.result.rowId);
    expect(await balance(gw.db, alice.id)).toBe(70);

    const mine = await graphql(gw.url, `{ currentUser { pointAccount { balance lifetimeEarned } }
      marketplacePurchases { nodes { rowId item { title } } } pointTransactions(orderBy: [CREATED_AT_ASC]) { nodes { amount reason balanceAfter } } }`, {}, alice.token);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.marketplacePurchases.nodes).toEqual([{ rowId: first.data.purchaseItem.result.rowId, item: { title: "Sticker" } }]);
    expect(mine.data.pointTransactions.nodes.map((n: any) => [n.amount, n.reason])).toEqual([[100, "admin_adjustment"], [-30, "purchase"]]);
  });

  it("answers STOCK, PTLOW, IDEMP and ITEMX in extensions.code, writing nothing", async () => {
    const item = await createItem(gw.db, { price: 10, stock: 1 });
    expect(errorCodes(await writesNothing(gw.db, "marketplace_purchases", () => buy(alice, item, 2, "gql-stock-1")))).toEqual(["STOCK"]);
    const dear = await createItem(gw.db, { price: 1000 });
    expect(errorCodes(await writesNothing(gw.db, "marketplace_purchases", () => buy(alice, dear, 1, "gql-dear-01")))).toEqual(["PTLOW"]);
    expect(errorCodes(await writesNothing(gw.db, "marketplace_purchases", () => buy(alice, item, 1, "gql-sticker-1")))).toEqual(["IDEMP"]);
    const off = await createItem(gw.db, { price: 1, isActive: false });
    expect(errorCodes(await writesNothing(gw.db, "marketplace_purchases", () => buy(alice, off, 1, "gql-off-001")))).toEqual(["ITEMX"]);
    expect(errorCodes(await buy(alice, item, 1, "short"))).toEqual(["BADIN"]);
  });

  it("bob sees none of alice's purchases or points; anonymous cannot buy", async () => {
    const seen = await graphql(gw.url, `{ marketplacePurchases { totalCount } pointTransactions { totalCount } pointAccounts { nodes { userId balance } } }`, {}, bob.token);
    expect(seen.errors).toBeUndefined();
    expect(seen.data).toEqual({ marketplacePurchases: { totalCount: 0 }, pointTransactions: { totalCount: 0 }, pointAccounts: { nodes: [{ userId: bob.id, balance: "0" }] } });
    const item = await createItem(gw.db, { price: 0 });
    expect(errorCodes(await graphql(gw.url, PURCHASE, { item, quantity: 1, key: "anon-key-1" }))).toEqual(["DNIED"]);
  });
});

// Purchases at the same moment, on connections of their own (each acting as
// its buyer, as the gateway would): the stock is never oversold, no balance
// goes below zero, the ledger and the cached balances agree, a repeated
// idempotency key charges once, and a refused purchase leaves nothing behind.
//
// The server's max_connections (100 here, shared with other test files) caps
// how many connections one test may hold: the buyers share a pool of
// BUYER_CONNECTIONS (30 by default; LIFEGRAPH_TEST_BUYER_CONNECTIONS), so
// that many purchases are in flight at once and the rest queue for a
// connection, all started together by one Promise.all.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { createBareUsers, sessionFor } from "../helpers/social.js";
import { balance, createItem, credit, expectLedgerConsistent, quietAchievements, stock } from "./fixtures.js";

const BUYER_CONNECTIONS = Number(process.env.LIFEGRAPH_TEST_BUYER_CONNECTIONS ?? 30);

const t = useTestDatabase();
let pool: pg.Pool;
afterAll(async () => {
  await pool?.end();
});
beforeAll(async () => {
  await quietAchievements(t.db);
  pool = new pg.Pool({ connectionString: t.db.urls.root, max: BUYER_CONNECTIONS });
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
});

interface Outcome {
  row?: Record<string, any>;
  code?: string;
}

/** One purchase_item call as the user behind `sessionId`, on a pooled connection of its own. */
async function purchaseAs(sessionId: string, itemId: string, quantity: number, key: string): Promise<Outcome> {
  const client = await pool.connect();
  try {
    await client.query("select set_config('jwt.claims.session_id', $1, false)", [sessionId]);
    await client.query(`set role ${t.db.config.DATABASE_VISITOR}`);
    try {
      const { rows } = await client.query("select * from app_public.purchase_item($1, $2, $3)", [itemId, quantity, key]);
      return { row: rows[0] };
    } catch (error) {
      return { code: (error as { code?: string }).code };
    }
  } finally {
    await client.query("reset role");
    client.release();
  }
}

const tally = (outcomes: Outcome[]) => {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.code ?? "ok"] = (counts[o.code ?? "ok"] ?? 0) + 1;
  return counts;
};

describe("100 buyers, 10 in stock", () => {
  it("sells exactly 10: 90 STOCK, no negative balance, ledger equals every cached balance", async () => {
    const buyers = await createBareUsers(t.db, "buyer", 100);
    await credit(t.db, buyers, 500);
    const item = await createItem(t.db, { price: 120, stock: 10 });
    const sessions = await Promise.all(buyers.map((id) => sessionFor(t.db, id)));

    const outcomes = await Promise.all(sessions.map((s, i) => purchaseAs(s, item, 1, `rush-${i}-0001`)));

    expect(tally(outcomes)).toEqual({ ok: 10, STOCK: 90 });
    expect(outcomes.filter((o) => o.row).every((o) => o.row!.status === "fulfilled" && o.row!.total_price === 120)).toBe(true);
    expect(await stock(t.db, item)).toBe(0);
    const { rows } = await t.db.root.query(
      "select status, count(*)::int as n from app_public.marketplace_purchases where item_id = $1 group by status", [item]);
    expect(rows).toEqual([{ status: "fulfilled", n: 10 }]);
    const winners = new Set(outcomes.flatMap((o) => (o.row ? [o.row.user_id] : [])));
    for (const buyer of buyers) expect(await balance(t.db, buyer)).toBe(winners.has(buyer) ? 380 : 500);
    const { rows: [debits] } = await t.db.root.query(
      "select count(*)::int as n, sum(amount)::int as total from app_public.point_transactions where reason = 'purchase' and user_id = any($1)", [buyers]);
    expect(debits).toEqual({ n: 10, total: -1200 });
    await expectLedgerConsistent(t.db);
  });

  it("buyers who each want 3 of 10: 3 sales, 1 left, no oversell", async () => {
    const buyers = await createBareUsers(t.db, "triple", 40);
    await credit(t.db, buyers, 100);
    const item = await createItem(t.db, { price: 5, stock: 10 });
    const sessions = await Promise.all(buyers.map((id) => sessionFor(t.db, id)));
    const outcomes = await Promise.all(sessions.map((s, i) => purchaseAs(s, item, 3, `triple-${i}-key`)));
    expect(tally(outcomes)).toEqual({ ok: 3, STOCK: 37 });
    expect(await stock(t.db, item)).toBe(1);
    await expectLedgerConsistent(t.db);
  });
});

describe("idempotency", () => {
  let buyer: TestUser;
  let session: string;
  beforeAll(async () => {
    buyer = await createUser(t.db, "idem");
    session = await sessionFor(t.db, buyer.id);
    await credit(t.db, buyer.id, 1000);
  });

  it("20 calls at once with one key: one purchase, charged once, every call gets it", async () => {
    const item = await createItem(t.db, { price: 30, stock: 50 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => purchaseAs(session, item, 2, "same-key-0001")));
    expect(tally(outcomes)).toEqual({ ok: 20 });
    expect(new Set(outcomes.map((o) => o.row!.id)).size).toBe(1);
    expect(await balance(t.db, buyer.id)).toBe(1000 - 60);
    expect(await stock(t.db, item)).toBe(48);
    const { rows } = await t.db.root.query("select count(*)::int as n from app_public.marketplace_purchases where user_id = $1", [buyer.id]);
    expect(rows[0].n).toBe(1);
    await expectLedgerConsistent(t.db);
  });

  it("the same key for another item or another quantity is IDEMP, and charges nothing", async () => {
    const [first, other] = [await createItem(t.db, { price: 10 }), await createItem(t.db, { price: 10 })];
    const bought = await purchaseAs(session, first, 1, "once-only-key");
    expect(bought.row).toMatchObject({ item_id: first, quantity: 1, status: "fulfilled" });
    const before = await balance(t.db, buyer.id);
    expect((await purchaseAs(session, other, 1, "once-only-key")).code).toBe("IDEMP");
    expect((await purchaseAs(session, first, 2, "once-only-key")).code).toBe("IDEMP");
    expect((await purchaseAs(session, first, 1, "once-only-key")).row!.id).toBe(bought.row!.id);
    expect(await balance(t.db, buyer.id)).toBe(before);
    // The key is the buyer's own: another buyer may use the same one.
    const someone = await createUser(t.db, "idem_other");
    await credit(t.db, someone.id, 10);
    expect((await purchaseAs(await sessionFor(t.db, someone.id), other, 1, "once-only-key")).row).toMatchObject({ user_id: someone.id });
  });
});

describe("refusals leave nothing behind", () => {
  const snapshot = async (userId: string, itemId: string) => ({
    balance: await balance(t.db, userId),
    stock: await stock(t.db, itemId),
    purchases: (await t.db.root.query("select count(*)::int as n from app_public.marketplace_purchases where user_id = $1", [userId])).rows[0].n,
    entries: (await t.db.root.query("select count(*)::int as n from app_public.point_transactions where user_id = $1", [userId])).rows[0].n,
    events: (await t.db.root.query("select count(*)::int as n from app_public.activity_events where actor_id = $1", [userId])).rows[0].n,
    notifications: (await t.db.root.query("select count(*)::int as n from app_public.notification_events where user_id = $1", [userId])).rows[0].n,
  });

  it("PTLOW: not enough points — no purchase row, stock unchanged, no ledger entry, no event", async () => {
    const poor = await createUser(t.db, "poor");
    await credit(t.db, poor.id, 99);
    const item = await createItem(t.db, { price: 100, stock: 5 });
    const before = await snapshot(poor.id, item);
    expect((await purchaseAs(await sessionFor(t.db, poor.id), item, 1, "too-dear-0001")).code).toBe("PTLOW");
    expect(await snapshot(poor.id, item)).toEqual(before);
    expect(before).toMatchObject({ balance: 99, stock: 5, purchases: 0 });
  });

  it("ITEMX: inactive, not yet on sale, no longer on sale; NOFND: no such item; BADIN: over max_per_purchase", async () => {
    const user = await createUser(t.db, "window");
    await credit(t.db, user.id, 1000);
    const session = await sessionFor(t.db, user.id);
    const cases: Array<[string, Promise<string>]> = [
      ["ITEMX", createItem(t.db, { isActive: false, stock: 3 })],
      ["ITEMX", createItem(t.db, { availableFrom: new Date(Date.now() + 3600_000).toISOString(), stock: 3 })],
      ["ITEMX", createItem(t.db, { availableFrom: "2020-01-01T00:00:00Z", availableUntil: "2020-02-01T00:00:00Z", stock: 3 })],
      ["BADIN", createItem(t.db, { maxPerPurchase: 1, stock: 3 })],
    ];
    for (const [i, [code, made]] of cases.entries()) {
      const item = await made;
      const before = await snapshot(user.id, item);
      expect((await purchaseAs(session, item, 2, `refused-${i}-key`)).code).toBe(code);
      expect(await snapshot(user.id, item)).toEqual(before);
    }
    expect((await purchaseAs(session, "00000000-0000-4000-8000-000000000000", 1, "missing-item")).code).toBe("NOFND");
  });
});

// What administrators do with purchases and items: fulfil, refund (points
// and stock back, once), revoke (neither), edit items and stock (audited,
// while purchases, refunds and restocks are not), and the restock job.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { queuedJobs, runQueuedJobs } from "../helpers/jobs.js";
import { notificationEvents } from "../helpers/social.js";
import { balance, createItem, credit, expectLedgerConsistent, makeAdmin, quietAchievements, stock } from "./fixtures.js";

const t = useTestDatabase();
let admin: TestUser;
let buyer: TestUser;
let keys = 0;

beforeAll(async () => {
  await quietAchievements(t.db);
  admin = await createUser(t.db, "mk_admin");
  buyer = await createUser(t.db, "mk_buyer");
  await makeAdmin(t.db, admin.id);
  await credit(t.db, buyer.id, 1000);
});

const buy = (itemId: string, quantity = 1) =>
  asUser(t.db, buyer.id, async (c) => c.query("select * from app_public.purchase_item($1, $2, $3)", [itemId, quantity, `admin-test-${++keys}`]));
// asUser rolls back: purchases that must last are made through a committed connection.
async function bought(itemId: string, quantity = 1): Promise<Record<string, any>> {
  const client = await t.db.root.connect();
  try {
    const { rows: [s] } = await client.query("insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [buyer.id]);
    await client.query("select set_config('jwt.claims.session_id', $1, false)", [s.id]);
    await client.query(`set role ${t.db.config.DATABASE_VISITOR}`);
    return (await client.query("select * from app_public.purchase_item($1, $2, $3)", [itemId, quantity, `admin-test-${++keys}`])).rows[0];
  } finally {
    await client.query("reset role");
    client.release();
  }
}
const asAdmin = <T>(fn: (c: import("pg").PoolClient) => Promise<T>) => asUser(t.db, admin.id, fn);
const committedAsAdmin = async (sql: string, values: unknown[]) => {
  const client = await t.db.root.connect();
  try {
    const { rows: [s] } = await client.query("insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [admin.id]);
    await client.query("select set_config('jwt.claims.session_id', $1, false)", [s.id]);
    await client.query(`set role ${t.db.config.DATABASE_VISITOR}`);
    return (await client.query(sql, values)).rows;
  } finally {
    await client.query("reset role");
    client.release();
  }
};

describe("refund", () => {
  it("gives the points and the stock back, tells the buyer; a second refund changes nothing", async () => {
    const item = await createItem(t.db, { title: "Cinema ticket", price: 75, stock: 4 });
    const before = await balance(t.db, buyer.id);
    const audited = async () =>
      (await t.db.root.query("select count(*)::int as n from app_public.marketplace_item_audit where item_id = $1", [item])).rows[0].n;
    const auditRows = await audited();
    const purchase = await bought(item, 2);
    expect(purchase).toMatchObject({ status: "fulfilled", total_price: 150 });
    expect(await balance(t.db, buyer.id)).toBe(before - 150);
    expect(await stock(t.db, item)).toBe(2);

    const [refunded] = await committedAsAdmin("select * from app_public.refund_purchase($1, 'Cinema closed')", [purchase.id]);
    expect(refunded).toMatchObject({ status: "refunded", status_reason: "Cinema closed" });
    expect(refunded.refunded_at).not.toBeNull();
    expect(await balance(t.db, buyer.id)).toBe(before);
    expect(await stock(t.db, item)).toBe(4);
    expect((await notificationEvents(t.db, buyer.id, "marketplace.refunded")).map((e) => e.data)).toEqual([
      { username: buyer.username, item_title: "Cinema ticket", total_price: 150, reason: "Cinema closed" },
    ]);

    const [again] = await committedAsAdmin("select * from app_public.refund_purchase($1, 'again')", [purchase.id]);
    expect(again).toMatchObject({ status: "refunded", status_reason: "Cinema closed" });
    expect(await balance(t.db, buyer.id)).toBe(before);
    expect(await stock(t.db, item)).toBe(4);
    const { rows } = await t.db.root.query(
      "select reason, amount from app_public.point_transactions where source_id = $1 order by created_at", [purchase.id]);
    expect(rows).toEqual([{ reason: "purchase", amount: -150 }, { reason: "refund", amount: 150 }]);
    expect(await notificationEvents(t.db, buyer.id, "marketplace.refunded")).toHaveLength(1);
    // Purchase and refund stock movements are not edits.
    expect(await audited()).toBe(auditRows);
    await expectLedgerConsistent(t.db);
  });

  it("the buyer may not refund (DNIED), a stranger is told NOFND, nothing moves", async () => {
    const item = await createItem(t.db, { price: 20 });
    const purchase = await bought(item);
    const stranger = await createUser(t.db, "mk_stranger");
    const before = await balance(t.db, buyer.id);
    await asUser(t.db, buyer.id, async (c) => {
      expect((await attempt(c, "select app_public.refund_purchase($1, 'please')", [purchase.id])).code).toBe("DNIED");
    });
    await asUser(t.db, stranger.id, async (c) => {
      expect((await attempt(c, "select app_public.refund_purchase($1, 'please')", [purchase.id])).code).toBe("NOFND");
    });
    expect(await balance(t.db, buyer.id)).toBe(before);
  });
});

describe("revoke and fulfil", () => {
  it("revoke takes a purchase back without points or stock; it cannot then be refunded", async () => {
    const item = await createItem(t.db, { price: 40, stock: 3 });
    const purchase = await bought(item);
    const before = await balance(t.db, buyer.id);
    const [revoked] = await committedAsAdmin("select * from app_public.revoke_purchase($1, 'Fraud')", [purchase.id]);
    expect(revoked).toMatchObject({ status: "revoked", status_reason: "Fraud" });
    expect(await balance(t.db, buyer.id)).toBe(before);
    expect(await stock(t.db, item)).toBe(2);
    await asAdmin(async (c) => {
      expect((await attempt(c, "select app_public.refund_purchase($1, 'changed my mind')", [purchase.id])).code).toBe("BADIN");
      expect((await attempt(c, "select app_public.revoke_purchase($1, '')", [purchase.id])).code).toBe("BADIN");
    });
    await asUser(t.db, buyer.id, async (c) => {
      expect((await attempt(c, "select app_public.revoke_purchase($1, 'mine')", [purchase.id])).code).toBe("DNIED");
    });
  });

  it("an item delivered by hand stays pending until an administrator fulfils it", async () => {
    const item = await createItem(t.db, { price: 5, needsFulfilment: true });
    const purchase = await bought(item);
    expect(purchase).toMatchObject({ status: "pending", fulfilled_at: null });
    await asUser(t.db, buyer.id, async (c) => {
      expect((await attempt(c, "select app_public.fulfil_purchase($1)", [purchase.id])).code).toBe("DNIED");
    });
    const [fulfilled] = await committedAsAdmin("select * from app_public.fulfil_purchase($1)", [purchase.id]);
    expect(fulfilled.status).toBe("fulfilled");
    expect(fulfilled.fulfilled_at).not.toBeNull();
  });

  it("the purchase is a private activity and a notification", async () => {
    const item = await createItem(t.db, { title: "Tea", price: 3 });
    const purchase = await bought(item);
    const { rows } = await t.db.root.query(
      "select verb, visibility, metadata from app_public.activity_events where actor_id = $1 and dedupe_key = $2", [buyer.id, `purchase:${purchase.id}`]);
    expect(rows).toEqual([{ verb: "marketplace.purchased", visibility: "private", metadata: { item_title: "Tea" } }]);
    const events = await notificationEvents(t.db, buyer.id, "marketplace.purchased");
    expect(events.at(-1)!.data).toEqual({ username: buyer.username, item_title: "Tea", quantity: 1, total_price: 3 });
  });
});

describe("editing items and stock", () => {
  it("a price edit by an administrator is audited (field, old, new, who); a visitor's edit changes nothing", async () => {
    const item = await createItem(t.db, { price: 10 });
    await asUser(t.db, buyer.id, async (c) => {
      expect((await c.query("update app_public.marketplace_items set price = 1 where id = $1 returning id", [item])).rows).toEqual([]);
    });
    await committedAsAdmin("update app_public.marketplace_items set price = 12, title = 'Renamed' where id = $1", [item]);
    const { rows } = await t.db.root.query(
      "select field, old_value, new_value, changed_by from app_public.marketplace_item_audit where item_id = $1 and field <> 'created' order by field", [item]);
    expect(rows).toEqual([
      { field: "price", old_value: 10, new_value: 12, changed_by: admin.id },
      { field: "title", old_value: expect.any(String), new_value: "Renamed", changed_by: admin.id },
    ]);
  });

  it("set_item_stock is admin only and audited; purchases move stock without an audit row", async () => {
    const item = await createItem(t.db, { price: 1 });
    await asUser(t.db, buyer.id, async (c) => {
      expect((await attempt(c, "select app_public.set_item_stock($1, 5)", [item])).code).toBe("DNIED");
    });
    await committedAsAdmin("select app_public.set_item_stock($1, 5)", [item]);
    await bought(item, 2);
    await committedAsAdmin("select app_public.set_item_stock($1, 9)", [item]);
    const { rows } = await t.db.root.query(
      "select field, old_value, new_value, changed_by from app_public.marketplace_item_audit where item_id = $1 and field like 'stock.%' order by id", [item]);
    expect(rows).toEqual([
      { field: "stock.sku", old_value: null, new_value: expect.any(String), changed_by: admin.id },
      { field: "stock.quantity", old_value: null, new_value: 5, changed_by: admin.id },
      { field: "stock.quantity", old_value: 3, new_value: 9, changed_by: admin.id },
    ]);
    // Back to unlimited: the inventory row goes (audited too).
    await committedAsAdmin("select app_public.set_item_stock($1, null)", [item]);
    expect(await stock(t.db, item)).toBeNull();
  });

  it("restock: one job per item at restock_at sets the stock to restock_quantity and queues the next", async () => {
    const item = await createItem(t.db, { price: 1 });
    await committedAsAdmin("select app_public.set_item_stock($1, 2, 7, '1 day')", [item]);
    await bought(item, 2);
    expect(await stock(t.db, item)).toBe(0);
    const jobs = (await queuedJobs(t.db, "marketplace__restock")).filter((j) => j.key === `marketplace__restock:${item}`);
    expect(jobs).toHaveLength(1);
    const { rows: [before] } = await t.db.root.query("select restock_at from app_public.marketplace_inventory where item_id = $1", [item]);
    // Due now: as the clock would have it a day later.
    await t.db.root.query("update app_public.marketplace_inventory set restock_at = now() - interval '1 minute' where item_id = $1", [item]);
    await runQueuedJobs(t.db);
    expect(await stock(t.db, item)).toBe(7);
    const { rows: [after] } = await t.db.root.query("select restock_at from app_public.marketplace_inventory where item_id = $1", [item]);
    expect(after.restock_at.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(before.restock_at.getTime()).toBeGreaterThan(Date.now());
    const next = (await queuedJobs(t.db, "marketplace__restock")).filter((j) => j.key === `marketplace__restock:${item}`);
    expect(next.map((j) => j.run_at.getTime())).toEqual([after.restock_at.getTime()]);
    // The restock is a movement: no audit row beyond the admin's own edit.
    const { rows } = await t.db.root.query("select count(*)::int as n from app_public.marketplace_item_audit where item_id = $1 and field = 'stock.quantity'", [item]);
    expect(rows[0].n).toBe(1);
    // No longer restocked: the job goes.
    await committedAsAdmin("select app_public.set_item_stock($1, 3)", [item]);
    expect((await queuedJobs(t.db, "marketplace__restock")).filter((j) => j.key === `marketplace__restock:${item}`)).toEqual([]);
  });
});

it("buy without committing leaves no trace (rolled back helper sanity)", async () => {
  const item = await createItem(t.db, { price: 1, stock: 1 });
  const { rows } = await buy(item);
  expect(rows[0].status).toBe("fulfilled");
  expect(await stock(t.db, item)).toBe(1);
});

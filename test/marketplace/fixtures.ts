// Arranging the marketplace and the points ledger for the tests: items
// (limited or not) and points credited as the ledger would credit them,
// written as superuser; and the checks every test ends with.
import { expect } from "@jest/globals";
import type { TestDatabase } from "../helpers/db.js";

export interface ItemSpec {
  title?: string;
  price?: number;
  /** Units in stock; undefined: unlimited (no inventory row). */
  stock?: number;
  communityId?: string | null;
  needsFulfilment?: boolean;
  isActive?: boolean;
  maxPerPurchase?: number;
  availableFrom?: string;
  availableUntil?: string | null;
}

let items = 0;

export async function createItem(db: TestDatabase, spec: ItemSpec = {}): Promise<string> {
  const { rows } = await db.root.query<{ id: string }>(
    `insert into app_public.marketplace_items (title, price, community_id, needs_fulfilment, is_active, max_per_purchase, available_from, available_until)
     values ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now() - interval '1 minute'), $8) returning id`,
    [spec.title ?? `Item ${++items}`, spec.price ?? 10, spec.communityId ?? null, spec.needsFulfilment ?? false, spec.isActive ?? true,
      spec.maxPerPurchase ?? 10, spec.availableFrom ?? null, spec.availableUntil ?? null],
  );
  const id = rows[0]!.id;
  if (spec.stock !== undefined) {
    await db.root.query("insert into app_public.marketplace_inventory (item_id, sku, quantity) values ($1, $2, $3)",
      [id, `SKU-${id.replace(/-/g, "").slice(0, 12).toUpperCase()}`, spec.stock]);
  }
  return id;
}

/** Credits points through the ledger (an adjustment by the system). */
export async function credit(db: TestDatabase, userIds: string | string[], amount: number): Promise<void> {
  await db.root.query(
    "select app_private.post_points(u, $2, 'admin_adjustment', null, null, 'test credit') from unnest($1::uuid[]) u",
    [[userIds].flat(), amount],
  );
}

export async function balance(db: TestDatabase, userId: string): Promise<number> {
  const { rows } = await db.root.query("select balance from app_public.point_accounts where user_id = $1", [userId]);
  return Number(rows[0]?.balance ?? 0);
}

export async function stock(db: TestDatabase, itemId: string): Promise<number | null> {
  const { rows } = await db.root.query("select quantity from app_public.marketplace_inventory where item_id = $1", [itemId]);
  return rows[0]?.quantity ?? null;
}

/** Every cached balance equals its ledger, and none is negative. */
export async function expectLedgerConsistent(db: TestDatabase): Promise<void> {
  const { rows } = await db.root.query(
    "select user_id, cached_balance, ledger_balance, drift from app_private.point_balances where drift <> 0 or cached_balance < 0");
  expect(rows).toEqual([]);
}

export async function makeAdmin(db: TestDatabase, userId: string): Promise<void> {
  await db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [userId]);
}

/**
 * Purchases also count towards achievements, some of which pay points (the
 * achievements domain): the marketplace tests set those to 0 so that every
 * balance they check is the marketplace's own doing.
 */
export async function quietAchievements(db: TestDatabase): Promise<void> {
  await db.root.query(`do $$ begin
    if to_regclass('app_public.achievement_definitions') is not null then
      update app_public.achievement_definitions set points = 0;
    end if; end $$`);
}

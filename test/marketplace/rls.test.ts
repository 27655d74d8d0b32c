// Row-level security of the marketplace in SQL: who sees which items (global,
// public and private community, inactive), their stock like the item, whose
// purchases, and the audit (administrators only); no client writes stock,
// purchases or the audit directly, and only administrators write items.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { createItem, credit, makeAdmin, quietAchievements } from "./fixtures.js";

const t = useTestDatabase();
let a: TestUser; // a member of both communities
let b: TestUser; // a member of none
let admin: TestUser;
let items: { global: string; inactive: string; publicCommunity: string; privateCommunity: string };
let aPurchase: string;
let bPurchase: string;

async function community(slug: string, visibility: "public" | "private", founder: string): Promise<string> {
  const { rows: [c] } = await t.db.root.query(
    `insert into app_public.communities (name, slug, visibility, join_policy, founder_id) values ($1::text, $1::text, $2, $3, $4) returning id`,
    [slug, visibility, visibility === "private" ? "invite" : "open", founder]);
  await t.db.root.query(
    "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, 'founder') on conflict do nothing", [c.id, founder]);
  return c.id;
}

async function purchase(user: TestUser, itemId: string, key: string): Promise<string> {
  const client = await t.db.root.connect();
  try {
    const { rows: [s] } = await client.query("insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [user.id]);
    await client.query("select set_config('jwt.claims.session_id', $1, false)", [s.id]);
    await client.query(`set role ${t.db.config.DATABASE_VISITOR}`);
    return (await client.query("select id from app_public.purchase_item($1, 1, $2)", [itemId, key])).rows[0].id;
  } finally {
    await client.query("reset role");
    client.release();
  }
}

beforeAll(async () => {
  await quietAchievements(t.db);
  [a, b, admin] = [await createUser(t.db, "mrls_a"), await createUser(t.db, "mrls_b"), await createUser(t.db, "mrls_admin")];
  await makeAdmin(t.db, admin.id);
  await credit(t.db, [a.id, b.id], 100);
  const open = await community("open-club", "public", a.id);
  const closed = await community("secret-club", "private", a.id);
  items = {
    global: await createItem(t.db, { title: "Global", price: 1, stock: 10 }),
    inactive: await createItem(t.db, { title: "Inactive", price: 1, isActive: false, stock: 10 }),
    publicCommunity: await createItem(t.db, { title: "Open club mug", price: 1, communityId: open, stock: 10 }),
    privateCommunity: await createItem(t.db, { title: "Secret club pin", price: 1, communityId: closed, stock: 10 }),
  };
  aPurchase = await purchase(a, items.global, "rls-a-global");
  bPurchase = await purchase(b, items.global, "rls-b-global");
  await t.db.root.query("update app_public.marketplace_items set price = 2 where id = $1", [items.global]);
});

const titles = async (userId: string | null) =>
  asUser(t.db, userId, async (c) => (await c.query("select title from app_public.marketplace_items order by title")).rows.map((r) => r.title));
const stocked = async (userId: string | null) =>
  asUser(t.db, userId, async (c) => (await c.query("select item_id from app_public.marketplace_inventory")).rows.map((r) => r.item_id).sort());

describe("items and their stock", () => {
  it("anonymous and non-members see the active global and public-community items, with their stock", async () => {
    for (const user of [null, b.id]) {
      expect(await titles(user)).toEqual(["Global", "Open club mug"]);
      expect(await stocked(user)).toEqual([items.global, items.publicCommunity].sort());
    }
  });

  it("a member also sees the private community's items", async () => {
    expect(await titles(a.id)).toEqual(["Global", "Open club mug", "Secret club pin"]);
  });

  it("an administrator sees everything, inactive included", async () => {
    expect(await titles(admin.id)).toEqual(["Global", "Inactive", "Open club mug", "Secret club pin"]);
    expect((await stocked(admin.id))).toHaveLength(4);
  });

  it("a non-member cannot buy a community item: ITEMX (public community), NOFND (private)", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await attempt(c, "select app_public.purchase_item($1, 1, 'rls-b-open-mug')", [items.publicCommunity])).code).toBe("ITEMX");
      expect((await attempt(c, "select app_public.purchase_item($1, 1, 'rls-b-secret-pin')", [items.privateCommunity])).code).toBe("NOFND");
    });
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query("select status from app_public.purchase_item($1, 1, 'rls-a-secret-pin')", [items.privateCommunity])).rows)
        .toEqual([{ status: "fulfilled" }]);
    });
  });

  it("only administrators insert, update or delete items; nobody writes stock directly", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await attempt(c, "insert into app_public.marketplace_items (title, price) values ('Mine', 0)")).code).toBe("42501");
      expect((await c.query("update app_public.marketplace_items set price = 0 where id = $1 returning id", [items.global])).rows).toEqual([]);
      expect((await c.query("delete from app_public.marketplace_items where id = $1 returning id", [items.inactive])).rows).toEqual([]);
      expect((await attempt(c, "update app_public.marketplace_inventory set quantity = 1000")).code).toBe("42501");
    });
    await asUser(t.db, admin.id, async (c) => {
      const { rows } = await c.query("insert into app_public.marketplace_items (title, price) values ('Admin made', 5) returning created_by");
      expect(rows).toEqual([{ created_by: admin.id }]);
      expect((await attempt(c, "update app_public.marketplace_inventory set quantity = 1000")).code).toBe("42501");
      expect((await attempt(c, "update app_public.marketplace_items set created_by = null")).code).toBe("42501");
    });
  });
});

describe("purchases", () => {
  it("B reads B's purchases, never A's; A reads A's; an administrator reads both", async () => {
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query("select id from app_public.marketplace_purchases")).rows).toEqual([{ id: bPurchase }]);
      expect((await c.query("select id from app_public.marketplace_purchases where id = $1", [aPurchase])).rows).toEqual([]);
    });
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query("select id from app_public.marketplace_purchases where id = $1", [aPurchase])).rows).toEqual([{ id: aPurchase }]);
    });
    await asUser(t.db, admin.id, async (c) => {
      expect((await c.query("select id from app_public.marketplace_purchases where id = any($1)", [[aPurchase, bPurchase]])).rows).toHaveLength(2);
    });
  });

  it("anonymous reads none, and nobody writes purchases directly", async () => {
    await asUser(t.db, null, async (c) => {
      expect((await attempt(c, "select * from app_public.marketplace_purchases")).code).toBe("42501");
      expect((await attempt(c, "select app_public.purchase_item($1, 1, 'anon-key-01')", [items.global])).code).toBe("42501");
    });
    for (const user of [a, admin]) {
      await asUser(t.db, user.id, async (c) => {
        expect((await attempt(c, "update app_public.marketplace_purchases set status = 'refunded'")).code).toBe("42501");
        expect((await attempt(c, "delete from app_public.marketplace_purchases")).code).toBe("42501");
        expect((await attempt(c, "insert into app_public.marketplace_purchases (item_id, quantity, unit_price, idempotency_key) values ($1, 1, 0, 'forged-key')", [items.global])).code).toBe("42501");
      });
    }
  });
});

describe("audit", () => {
  it("administrators read the audit (the price edit is there); others read nothing; nobody writes it", async () => {
    await asUser(t.db, admin.id, async (c) => {
      const { rows } = await c.query("select field, old_value, new_value from app_public.marketplace_item_audit where item_id = $1 and field = 'price'", [items.global]);
      expect(rows).toEqual([{ field: "price", old_value: 1, new_value: 2 }]);
      expect((await attempt(c, "delete from app_public.marketplace_item_audit")).code).toBe("42501");
    });
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query("select * from app_public.marketplace_item_audit")).rows).toEqual([]);
    });
    await asUser(t.db, null, async (c) => {
      expect((await attempt(c, "select * from app_public.marketplace_item_audit")).code).toBe("42501");
    });
  });
});

// The points ledger: append-only for everyone (the owner's direct writes
// included), a cascade with its user, admin corrections as new entries,
// earning rules (once per source, within the daily cap), and the nightly
// reconciliation that tells every administrator about a drift.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { insertRow } from "../helpers/rls-matrix.js";
import { notificationEvents } from "../helpers/social.js";
import { balance, credit, expectLedgerConsistent, makeAdmin } from "../marketplace/fixtures.js";

const t = useTestDatabase();
let admin: TestUser;
let alice: TestUser;

beforeAll(async () => {
  admin = await createUser(t.db, "pt_admin");
  alice = await createUser(t.db, "pt_alice");
  await makeAdmin(t.db, admin.id);
});

const entries = async (userId: string, reason?: string) =>
  (await t.db.root.query(
    "select reason, amount, balance_after::int, source_type from app_public.point_transactions where user_id = $1 and ($2::text is null or reason::text = $2) order by created_at, id",
    [userId, reason ?? null])).rows;

describe("append-only", () => {
  it("every user has an account from the start, at 0", async () => {
    const fresh = await createUser(t.db, "pt_fresh");
    const { rows } = await t.db.root.query("select balance::int, lifetime_earned::int from app_public.point_accounts where user_id = $1", [fresh.id]);
    expect(rows).toEqual([{ balance: 0, lifetime_earned: 0 }]);
  });

  it("the visitor has no insert, update or delete on the ledger or the accounts (42501), the owner of the entries included", async () => {
    await credit(t.db, alice.id, 50);
    await asUser(t.db, alice.id, async (c) => {
      expect((await attempt(c, "update app_public.point_transactions set amount = 5000 where user_id = $1", [alice.id])).code).toBe("42501");
      expect((await attempt(c, "delete from app_public.point_transactions where user_id = $1", [alice.id])).code).toBe("42501");
      expect((await attempt(c, "insert into app_public.point_transactions (user_id, amount, reason, balance_after) values ($1, 5, 'refund', 0)", [alice.id])).code).toBe("42501");
      expect((await attempt(c, "update app_public.point_accounts set balance = 1e6 where user_id = $1", [alice.id])).code).toBe("42501");
      expect((await attempt(c, "select app_private.post_points($1, 100, 'refund', null, null, 'free')", [alice.id])).code).toBe("42501");
    });
  });

  it("even the database owner cannot update or delete an entry directly (DNIED)", async () => {
    const owner = t.db.config.DATABASE_OWNER;
    const client = await t.db.root.connect();
    try {
      await client.query("begin");
      await client.query(`set local role ${owner}`);
      expect((await attempt(client, "update app_public.point_transactions set amount = 1 where user_id = $1", [alice.id])).code).toBe("DNIED");
      expect((await attempt(client, "delete from app_public.point_transactions where user_id = $1", [alice.id])).code).toBe("DNIED");
    } finally {
      await client.query("rollback");
      client.release();
    }
  });

  it("deleting a user takes their entries and account with them; deleting the admin who adjusted keeps the entry", async () => {
    const gone = await createUser(t.db, "pt_gone");
    const tempAdmin = await createUser(t.db, "pt_tmp_admin");
    await makeAdmin(t.db, tempAdmin.id);
    await credit(t.db, gone.id, 30);
    await asUser(t.db, tempAdmin.id, async () => undefined);
    const client = await t.db.root.connect();
    try {
      const { rows: [s] } = await client.query("insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [tempAdmin.id]);
      await client.query("select set_config('jwt.claims.session_id', $1, false)", [s.id]);
      await client.query(`set role ${t.db.config.DATABASE_VISITOR}`);
      await client.query("select app_public.adjust_points($1, 5, 'Welcome bonus')", [alice.id]);
    } finally {
      await client.query("reset role");
      client.release();
    }
    await t.db.root.query("delete from app_public.users where id = $1", [tempAdmin.id]);
    const { rows } = await t.db.root.query("select created_by, note from app_public.point_transactions where user_id = $1 and note = 'Welcome bonus'", [alice.id]);
    expect(rows).toEqual([{ created_by: null, note: "Welcome bonus" }]);

    await t.db.root.query("delete from app_public.users where id = $1", [gone.id]);
    expect(await entries(gone.id)).toEqual([]);
    expect((await t.db.root.query("select * from app_public.point_accounts where user_id = $1", [gone.id])).rows).toEqual([]);
    await expectLedgerConsistent(t.db);
  });
});

describe("adjust_points", () => {
  it("admins credit and debit with a note; a debit below zero is PTLOW; a missing note BADIN; others DNIED", async () => {
    const bob = await createUser(t.db, "pt_bob");
    await asUser(t.db, admin.id, async (c) => {
      const { rows: [entry] } = await c.query("select * from app_public.adjust_points($1, 40, 'Goodwill')", [bob.id]);
      expect(entry).toMatchObject({ amount: 40, reason: "admin_adjustment", note: "Goodwill", created_by: admin.id });
      expect(Number(entry.balance_after)).toBe(40);
      expect((await c.query("select * from app_public.adjust_points($1, -15, 'Correction')", [bob.id])).rows[0].balance_after).toBe("25");
      expect((await attempt(c, "select app_public.adjust_points($1, -26, 'Too much')", [bob.id])).code).toBe("PTLOW");
      expect((await attempt(c, "select app_public.adjust_points($1, 5, '  ')", [bob.id])).code).toBe("BADIN");
      expect((await attempt(c, "select app_public.adjust_points($1, 5, 'x')", ["00000000-0000-4000-8000-000000000000"])).code).toBe("23503");
    });
    await asUser(t.db, bob.id, async (c) => {
      expect((await attempt(c, "select app_public.adjust_points($1, 1000, 'Me')", [bob.id])).code).toBe("DNIED");
    });
  });
});

describe("earning rules", () => {
  it("completing a ritual credits its points once; the daily cap holds; an inactive rule pays nothing", async () => {
    const user = await createUser(t.db, "pt_ritual");
    await t.db.root.query("update app_public.point_earning_rules set daily_cap = 3, points = 10 where code = 'rituals.completed'");
    const rituals = [];
    for (let i = 0; i < 5; i++) rituals.push(await insertRow(t.db, "rituals", { user_id: user.id, title: `Ritual ${i}` }));
    for (const ritual of rituals.slice(0, 4)) {
      await insertRow(t.db, "ritual_completions", { ritual_id: ritual.id, user_id: user.id });
    }
    expect(await entries(user.id)).toEqual([
      { reason: "ritual_completed", amount: 10, balance_after: 10, source_type: "ritual_completion" },
      { reason: "ritual_completed", amount: 10, balance_after: 20, source_type: "ritual_completion" },
      { reason: "ritual_completed", amount: 10, balance_after: 30, source_type: "ritual_completion" },
    ]);
    // Paying the same source again (a retried trigger) writes nothing.
    const { rows: [completion] } = await t.db.root.query("select id from app_public.ritual_completions where user_id = $1 limit 1", [user.id]);
    const { rows: [repeat] } = await t.db.root.query(
      "select (app_private.post_points($1, 10, 'ritual_completed', 'ritual_completion', $2)).id", [user.id, completion.id]);
    expect(repeat.id).toBeNull();
    expect(await balance(t.db, user.id)).toBe(30);
    // Yesterday's entries do not count towards today's cap.
    await t.db.root.query("alter table app_public.point_transactions disable trigger _900_append_only");
    await t.db.root.query("update app_public.point_transactions set created_at = created_at - interval '2 days' where user_id = $1", [user.id]);
    await t.db.root.query("alter table app_public.point_transactions enable trigger _900_append_only");
    await t.db.root.query("update app_public.point_earning_rules set is_active = false where code = 'rituals.completed'");
    await insertRow(t.db, "ritual_completions", { ritual_id: rituals[4]!.id, user_id: user.id });
    expect(await balance(t.db, user.id)).toBe(30);
    await t.db.root.query("update app_public.point_earning_rules set is_active = true where code = 'rituals.completed'");
    await t.db.root.query("delete from app_public.ritual_completions where ritual_id = $1", [rituals[4]!.id]);
    await insertRow(t.db, "ritual_completions", { ritual_id: rituals[4]!.id, user_id: user.id });
    expect(await balance(t.db, user.id)).toBe(40);
    await expectLedgerConsistent(t.db);
  });

  it("a goal done pays once, even done again; a journal entry pays within its cap", async () => {
    const user = await createUser(t.db, "pt_goal");
    const goal = await insertRow(t.db, "goals", { user_id: user.id, title: "Ship it" });
    await t.db.root.query("update app_public.goals set status = 'done' where id = $1", [goal.id]);
    await t.db.root.query("update app_public.goals set status = 'active' where id = $1", [goal.id]);
    await t.db.root.query("update app_public.goals set status = 'done' where id = $1", [goal.id]);
    expect(await entries(user.id, "goal_done")).toEqual([{ reason: "goal_done", amount: 50, balance_after: 50, source_type: "goal" }]);
    for (let i = 0; i < 5; i++) await insertRow(t.db, "journal_entries", { user_id: user.id, content_md: `Day ${i}` });
    expect((await entries(user.id, "journal_entry")).map((e) => e.amount)).toEqual([5, 5, 5]);
  });

  it("everyone signed in reads the active rules; admins read all and edit points, cap, activity and description", async () => {
    await t.db.root.query("update app_public.point_earning_rules set is_active = false where code = 'journal.entry'");
    try {
      await asUser(t.db, alice.id, async (c) => {
        expect((await c.query("select code from app_public.point_earning_rules order by code")).rows.map((r) => r.code)).toEqual(["goals.done", "rituals.completed"]);
        expect((await c.query("update app_public.point_earning_rules set points = 999 returning code")).rows).toEqual([]);
      });
      await asUser(t.db, null, async (c) => {
        expect((await attempt(c, "select * from app_public.point_earning_rules")).code).toBe("42501");
      });
      await asUser(t.db, admin.id, async (c) => {
        expect((await c.query("select code from app_public.point_earning_rules")).rows).toHaveLength(3);
        const { rows } = await c.query("update app_public.point_earning_rules set points = 12, daily_cap = 4 where code = 'goals.done' returning points, daily_cap, updated_by");
        expect(rows).toEqual([{ points: 12, daily_cap: 4, updated_by: admin.id }]);
        expect((await attempt(c, "update app_public.point_earning_rules set reason = 'refund' where code = 'goals.done'")).code).toBe("42501");
      });
    } finally {
      await t.db.root.query("update app_public.point_earning_rules set is_active = true where code = 'journal.entry'");
    }
  });
});

describe("reconciliation", () => {
  it("a forced mismatch is found by point_balance_drift and reported by points__reconcile to every admin", async () => {
    const victim = await createUser(t.db, "pt_drift");
    await credit(t.db, victim.id, 100);
    await asUser(t.db, admin.id, async (c) => {
      expect((await c.query("select * from app_public.point_balance_drift()")).rows).toEqual([]);
    });
    await t.db.root.query("update app_public.point_accounts set balance = balance + 7 where user_id = $1", [victim.id]);
    await asUser(t.db, admin.id, async (c) => {
      expect((await c.query("select user_id, cached_balance::int, ledger_balance::int, drift::int from app_public.point_balance_drift()")).rows)
        .toEqual([{ user_id: victim.id, cached_balance: 107, ledger_balance: 100, drift: 7 }]);
    });
    await asUser(t.db, victim.id, async (c) => {
      expect((await attempt(c, "select * from app_public.point_balance_drift()")).code).toBe("DNIED");
      expect((await attempt(c, "select * from app_private.point_balances")).code).toBe("42501");
    });

    await t.db.root.query("select graphile_worker.add_job('points__reconcile', '{}')");
    await runQueuedJobs(t.db);
    expect((await notificationEvents(t.db, admin.id, "points.drift")).map((e) => e.data)).toEqual([
      { username: admin.username, drifted_users: 1, total_drift: 7 },
    ]);
    expect(await notificationEvents(t.db, victim.id, "points.drift")).toEqual([]);
    await t.db.root.query("update app_public.point_accounts set balance = balance - 7 where user_id = $1", [victim.id]);
    await expectLedgerConsistent(t.db);
  });
});

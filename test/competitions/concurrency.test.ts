// Competitions under real concurrency: separate connections acting as
// different users at the same moment (as the gateway would), and the
// finalisation run twice, one after the other and at once.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { useTestDatabase } from "../helpers/db.js";
import { actAs, connect, createBareUsers, outcome, rootRows, sessionFor } from "../helpers/social.js";
import { addParticipants, addScores, makeCompetition } from "./fixtures.js";

const clients: pg.Client[] = [];
// Registered before the database's own hooks, so the connections close first.
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});
const t = useTestDatabase();
beforeAll(async () => {
  for (let i = 0; i < 20; i++) clients.push(await connect(t.db));
});

describe("capacity", () => {
  it("50 joins at once on 20 connections, capacity 20: exactly 20 participants, 30 CFULL (3 rounds)", async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await makeCompetition(t.db, { status: "scheduled", capacity: 20, startsIn: 3600, endsIn: 7200 });
      const users = await createBareUsers(t.db, `cap${round}`, 50);
      const sessions = await Promise.all(users.map((u) => sessionFor(t.db, u)));
      const queue = [...sessions];
      const codes: string[] = [];
      await Promise.all(clients.map(async (client) => {
        for (let session = queue.shift(); session; session = queue.shift()) {
          await actAs(client, t.db, session);
          const result = await outcome(client.query("select user_id from app_public.join_competition($1)", [id]));
          codes.push(result.code ?? "ok");
        }
      }));
      const [row] = await rootRows(t.db,
        `select c.participant_count, (select count(*)::int from app_public.competition_participants p where p.competition_id = c.id) as rows
         from app_public.competitions c where c.id = $1`, [id]);
      expect({ round, ...row }).toEqual({ round, participant_count: 20, rows: 20 });
      expect({ round, codes: codes.sort() }).toEqual({ round, codes: [...Array(30).fill("CFULL"), ...Array(20).fill("ok")] });
      const [{ events }] = await rootRows(t.db,
        "select count(*)::int as events from app_public.activity_events where verb = 'competitions.joined' and object_id = $1", [id]);
      expect(events).toBe(20);
    }
  });
});

describe("finalisation", () => {
  /** A finished competition: 6 participants, overall ranks 1, 1, 3, 4, 5 and one who never scored. */
  async function finished(tag: string) {
    const users = await createBareUsers(t.db, tag, 6);
    const { id, rounds: [r1, r2] } = await makeCompetition(t.db, {
      status: "finished", startsIn: -7200, endsIn: -60, rounds: [{ scoring: "sum" }, { scoring: "max", weight: 2 }],
    });
    await addParticipants(t.db, id, users);
    const [u1, u2, u3, u4, u5] = users;
    // Overall: u1 = 10 + 2×5 = 20, u2 = 20 + 0 = 20, u3 = 2×8 = 16, u4 = 3, u5 = 1; the sixth scored nothing.
    await addScores(t.db, id, [[r1!, u1!, 4], [r1!, u1!, 6], [r2!, u1!, 5], [r2!, u1!, 2], [r1!, u2!, 20], [r2!, u3!, 8],
      [r1!, u4!, 3], [r1!, u5!, 1]]);
    const { rows: [item] } = await t.db.root.query(
      "insert into app_public.marketplace_items (title, price) values ('Golden mug', 500) returning id");
    await t.db.root.query("insert into app_public.marketplace_inventory (item_id, sku, quantity) values ($1, $2, 1)",
      [item.id, `MUG-${tag.toUpperCase()}`]);
    await t.db.root.query(
      `insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points, item_id) values
       ($1, 1, 1, 100, null), ($1, 1, 1, null, $2), ($1, 2, 3, 50, null), ($1, 4, 10, 10, null)`, [id, item.id]);
    return { id, users, itemId: item.id as string };
  }

  async function outcomeOf(id: string, users: string[], itemId: string) {
    const grants = await rootRows(t.db,
      `select g.user_id, g.placement, g.status, g.detail, w.points, g.point_transaction_id is not null as paid, g.purchase_id is not null as given
       from app_public.competition_reward_grants g join app_public.competition_rewards w on w.id = g.reward_id
       where g.competition_id = $1 order by g.placement, w.points nulls last, g.user_id`, [id]);
    const ledger = await rootRows(t.db,
      `select t.user_id, t.amount from app_public.point_transactions t
       join app_public.competition_reward_grants g on g.id = t.source_id
       where g.competition_id = $1 and t.reason = 'competition_reward' order by t.user_id, t.amount`, [id]);
    // Other domains may pay for a placing too (achievements): the cached balances must agree with the ledger.
    const drift = await rootRows(t.db,
      "select user_id, drift::int from app_private.point_balances where user_id = any($1::uuid[]) and drift <> 0", [users]);
    const purchases = await rootRows(t.db,
      "select user_id, unit_price, status from app_public.marketplace_purchases where item_id = $1", [itemId]);
    const [{ quantity }] = await rootRows(t.db, "select quantity from app_public.marketplace_inventory where item_id = $1", [itemId]);
    const notifications = await rootRows(t.db,
      "select user_id, data from app_public.notification_events where type = 'competitions.reward' and user_id = any($1::uuid[])", [users]);
    const placed = await rootRows(t.db,
      "select actor_id, metadata from app_public.activity_events where verb = 'competitions.placed' and object_id = $1", [id]);
    return { grants, ledger, drift, purchases, quantity, notifications, placed };
  }

  function expectAwardedOnce(result: Awaited<ReturnType<typeof outcomeOf>>, users: string[]) {
    const [u1, u2, u3, u4, u5, u6] = users;
    const byUser = (id: string) => result.grants.filter((g) => g.user_id === id);
    // Ties share a placement: u1 and u2 are both first, u3 is third (2–3 wins), u4 and u5 fourth and fifth.
    expect(byUser(u1!).map((g) => [g.placement, g.points])).toEqual([[1, 100], [1, null]]);
    expect(byUser(u2!).map((g) => [g.placement, g.points])).toEqual([[1, 100], [1, null]]);
    expect(byUser(u3!).map((g) => [g.placement, g.points, g.status, g.paid])).toEqual([[3, 50, "fulfilled", true]]);
    expect(byUser(u4!).map((g) => [g.placement, g.points])).toEqual([[4, 10]]);
    expect(byUser(u5!).map((g) => [g.placement, g.points])).toEqual([[5, 10]]);
    // Who never scored is not placed.
    expect(byUser(u6!)).toEqual([]);
    expect(result.grants).toHaveLength(7);
    // One item in stock for two winners: one gets it (a free, fulfilled purchase), the other's grant failed.
    const items = result.grants.filter((g) => g.points === null);
    expect(items.map((g) => [g.status, g.given]).sort()).toEqual([["failed", false], ["fulfilled", true]]);
    expect(items.find((g) => g.status === "failed")!.detail).toBe("Out of stock.");
    expect(result.purchases).toEqual([{ user_id: items.find((g) => g.status === "fulfilled")!.user_id, unit_price: 0, status: "fulfilled" }]);
    expect(result.quantity).toBe(0);
    // The ledger: one competition credit per points grant, and the balances agree with it.
    expect(result.ledger.map((l) => [l.user_id, l.amount]).sort()).toEqual(
      [[u1, 100], [u2, 100], [u3, 50], [u4, 10], [u5, 10]].sort());
    expect(result.drift).toEqual([]);
    // One notification per grant; one activity event per placed user.
    expect(result.notifications).toHaveLength(7);
    expect(result.notifications.find((n) => n.user_id === u3)!.data).toEqual({
      username: expect.any(String), competition_title: "Test competition", placement: 3, reward: "50 points" });
    expect(result.placed.map((p) => [p.actor_id, p.metadata.placement]).sort()).toEqual(
      [[u1, 1], [u2, 1], [u3, 3], [u4, 4], [u5, 5]].sort());
  }

  it("run twice, one after the other: awards once", async () => {
    const { id, users, itemId } = await finished("fin");
    const first = await t.db.root.query("select app_private.finalise_competition($1) as n", [id]);
    const second = await t.db.root.query("select app_private.finalise_competition($1) as n", [id]);
    expect([first.rows[0].n, second.rows[0].n]).toEqual([7, 0]);
    expectAwardedOnce(await outcomeOf(id, users, itemId), users);
  });

  it("run twice at the same moment, on two connections: awards once (5 rounds)", async () => {
    for (let round = 0; round < 5; round++) {
      const { id, users, itemId } = await finished(`fic${round}`);
      const [a, b] = [clients[0]!, clients[1]!];
      await Promise.all([a.query("reset role"), b.query("reset role")]);
      const results = await Promise.all([a, b].map((c) => outcome(c.query("select app_private.finalise_competition($1) as n", [id]))));
      expect({ round, made: results.map((r) => r.code ?? r.rows![0]!.n).sort() }).toEqual({ round, made: [0, 7] });
      expectAwardedOnce(await outcomeOf(id, users, itemId), users);
    }
  });

  it("is not run before the end: a competition still active is left as it is", async () => {
    const users = await createBareUsers(t.db, "finact", 2);
    const { id, rounds: [r1] } = await makeCompetition(t.db, { status: "active" });
    await addParticipants(t.db, id, users);
    await addScores(t.db, id, [[r1!, users[0]!, 5]]);
    await t.db.root.query("insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points) values ($1, 1, 1, 5)", [id]);
    expect((await t.db.root.query("select app_private.finalise_competition($1) as n", [id])).rows).toEqual([{ n: 0 }]);
    expect(await rootRows(t.db, "select finalised_at from app_public.competitions where id = $1", [id])).toEqual([{ finalised_at: null }]);
  });
});

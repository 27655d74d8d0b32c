// The marketplace workload. Purchases per second under contention: 100
// buyers (each with far more points than they spend) buy one unit at a time,
// BENCH_MARKET_PURCHASES (20) each, all at once: first all on ONE limited
// item (every purchase queues on its inventory row), then each on an item of
// its own (100 items: no shared row). Both through SQL, not the gateway, to
// isolate the database's cost: each purchase is one transaction on a pooled
// connection (BENCH_MARKET_CONNECTIONS, 50) that sets the visitor role and
// the buyer's session as the gateway does (set_config in the transaction),
// then calls app_public.purchase_item. Ratio: the one-item time ÷ the
// 100-item time (the price of contention). At the end of the same run: each
// item's stock went down by exactly its purchases, no balance is negative,
// and every cached balance equals its ledger.
//
// Then the leaderboard: a global competition of BENCH_LEADERBOARD_PARTICIPANTS
// (10k) participants with a score in each of 3 rounds, and
// app_public.competition_leaderboard(competition_id) (and for one round)
// called BENCH_LEADERBOARD_CALLS (100) times each by a participant: p50/p99,
// against the peer: the same overall ranks summed from every score at read
// time (the standings without the totals the triggers keep).

import { performance } from "node:perf_hooks";
import pg from "pg";
import { type BenchRow, type Workload, fmtInt, fmtMsPrecise, fmtRatio, intEnv, percentile } from "./db.js";

const BUYERS = 100;
const AGGREGATE_AT_READ = `
  with per_round as (
    select s.user_id, r.weight * case r.scoring when 'sum' then sum(s.value) when 'max' then max(s.value)
      when 'average' then round(avg(s.value), 2) when 'count' then count(*) else max(s.value) end as score
    from app_public.competition_scores s join app_public.competition_rounds r on r.id = s.round_id
    where s.competition_id = $1 group by s.user_id, r.id, r.scoring, r.weight)
  select rank() over (order by coalesce(t.score, 0) desc) as rank, p.user_id, coalesce(t.score, 0) as score
  from app_public.competition_participants p
  left join (select user_id, sum(score) as score from per_round group by user_id) t on t.user_id = p.user_id
  where p.competition_id = $1`;

export const marketplace: Workload = {
  name: "marketplace",
  description: "purchases/s, 100 buyers on 1 item vs on 100 items (SQL as the visitor); leaderboard p99 at 10k participants",
  async run(ctx) {
    const perBuyer = intEnv("BENCH_MARKET_PURCHASES", 20);
    const connections = intEnv("BENCH_MARKET_CONNECTIONS", 50);
    const participants = intEnv("BENCH_LEADERBOARD_PARTICIPANTS", 10_000);
    const calls = intEnv("BENCH_LEADERBOARD_CALLS", 100);
    const rows: BenchRow[] = [];
    const root = new pg.Client({ connectionString: ctx.db.rootUrl });
    await root.connect();
    const pool = new pg.Pool({ connectionString: ctx.db.rootUrl, max: connections });
    try {
      const visitor = ctx.config.DATABASE_VISITOR;
      // Achievements that pay points for purchases would blur the balance check.
      await root.query(`do $$ begin if to_regclass('app_public.achievement_definitions') is not null then
        update app_public.achievement_definitions set points = 0; end if; end $$`);

      ctx.progress(`seeding ${BUYERS} buyers and 101 items…`);
      await root.query("insert into app_public.users (username) select 'mk_buyer_' || g from generate_series(1, $1::int) g", [BUYERS]);
      const { rows: buyers } = await root.query<{ id: string; session: string }>(
        `insert into app_private.sessions (user_id, expires_at)
         select id, now() + interval '1 day' from app_public.users where username like 'mk\\_buyer\\_%' returning user_id as id, id as session`,
      );
      const budget = 1_000_000;
      await root.query("select app_private.post_points(id, $2, 'admin_adjustment', null, null, 'bench') from unnest($1::uuid[]) id",
        [buyers.map((b) => b.id), budget]);
      const stockEach = BUYERS * perBuyer * 2;
      const makeItem = async (title: string) => {
        const { rows: [item] } = await root.query(
          "insert into app_public.marketplace_items (title, price, available_from) values ($1, 7, now() - interval '1 hour') returning id", [title]);
        await root.query("insert into app_public.marketplace_inventory (item_id, sku, quantity) values ($1, $2, $3)",
          [item.id, `BENCH-${item.id.slice(0, 8).toUpperCase()}`, stockEach]);
        return item.id as string;
      };
      const shared = await makeItem("Shared item");
      const own: string[] = [];
      for (let i = 0; i < BUYERS; i++) own.push(await makeItem(`Own item ${i}`));

      let keys = 0;
      const purchase = async (session: string, item: string) => {
        const client = await pool.connect();
        try {
          await client.query("begin");
          await client.query("select set_config('role', $1, true), set_config('jwt.claims.session_id', $2, true)", [visitor, session]);
          await client.query("select id from app_public.purchase_item($1, 1, $2)", [item, `bench-${++keys}-${session.slice(0, 8)}`]);
          await client.query("commit");
        } catch (error) {
          await client.query("rollback");
          throw error;
        } finally {
          client.release();
        }
      };
      const run = async (itemOf: (i: number) => string) => {
        const t = performance.now();
        await Promise.all(buyers.map(async (b, i) => {
          for (let k = 0; k < perBuyer; k++) await purchase(b.session, itemOf(i));
        }));
        return performance.now() - t;
      };
      // Warm up the plans of every pooled connection.
      await Promise.all(Array.from({ length: connections }, (_, i) => purchase(buyers[i % BUYERS]!.session, own[i % BUYERS]!)));
      ctx.progress(`${fmtInt(BUYERS * perBuyer)} purchases on one item…`);
      const sharedMs = await run(() => shared);
      ctx.progress(`${fmtInt(BUYERS * perBuyer)} purchases on 100 items…`);
      const ownMs = await run((i) => own[i]!);

      // Checks, in the same run.
      const { rows: bad } = await root.query(
        `select i.id from app_public.marketplace_items i join app_public.marketplace_inventory v on v.item_id = i.id
         where v.quantity <> $1 - (select coalesce(sum(p.quantity), 0) from app_public.marketplace_purchases p where p.item_id = i.id)`, [stockEach]);
      if (bad.length) throw new Error(`${bad.length} items' stock does not match their purchases`);
      const { rows: [sharedSold] } = await root.query("select count(*)::int as n from app_public.marketplace_purchases where item_id = $1", [shared]);
      if (sharedSold.n !== BUYERS * perBuyer) throw new Error(`shared item: ${sharedSold.n} purchases, expected ${BUYERS * perBuyer}`);
      const { rows: [ledger] } = await root.query(
        "select count(*) filter (where drift <> 0)::int as drifted, count(*) filter (where cached_balance < 0)::int as negative from app_private.point_balances");
      if (ledger.drifted || ledger.negative) throw new Error(`ledger: ${ledger.drifted} drifted, ${ledger.negative} negative balances`);
      const { rows: [spent] } = await root.query(
        "select sum($2 - balance)::bigint as spent, count(*)::int as n from app_public.point_accounts where user_id = any($1)", [buyers.map((b) => b.id), budget]);
      const purchases = (await root.query("select sum(total_price)::bigint as total from app_public.marketplace_purchases")).rows[0].total;
      if (spent.spent !== purchases) throw new Error(`points spent ${spent.spent} ≠ purchases ${purchases}`);

      const n = BUYERS * perBuyer;
      const sharedRate = (n * 1000) / sharedMs;
      const ownRate = (n * 1000) / ownMs;
      rows.push({ measure: `purchases: ${BUYERS} buyers × ${perBuyer} on ONE item (${connections} connections)`, value: `${fmtInt(sharedRate)}/s (${fmtInt(n)} in ${fmtMsPrecise(sharedMs)})`,
        ratio: fmtRatio(sharedMs / ownMs, "100 items") });
      rows.push({ measure: `purchases: ${BUYERS} buyers × ${perBuyer} on 100 items (one each)`, value: `${fmtInt(ownRate)}/s (${fmtInt(n)} in ${fmtMsPrecise(ownMs)})` });
      rows.push({ measure: "  checked: stock = start − purchases per item; balances ≥ 0; ledger = cached balance", value: "ok" });

      // The leaderboard.
      ctx.progress(`seeding a competition of ${fmtInt(participants)} participants, 3 rounds…`);
      await root.query("insert into app_public.users (username) select 'lb_' || g from generate_series(1, $1::int) g", [participants]);
      const { rows: [competition] } = await root.query(
        `insert into app_public.competitions (title, starts_at, ends_at, status) values ('Bench cup', now() - interval '3 days', now() + interval '4 days', 'active') returning id`);
      const { rows: rounds } = await root.query(
        `insert into app_public.competition_rounds (competition_id, position, title, opens_at, closes_at)
         select $1, g, 'Round ' || g, now() - interval '3 days' + (g - 1) * interval '2 days', now() - interval '3 days' + g * interval '2 days'
         from generate_series(1, 3) g returning id`, [competition.id]);
      await root.query(
        "insert into app_public.competition_participants (competition_id, user_id) select $1, id from app_public.users where username like 'lb\\_%'", [competition.id]);
      await root.query(
        `insert into app_public.competition_scores (round_id, competition_id, user_id, value)
         select r.id, $1, p.user_id, round((random() * 1000)::numeric, 2)
         from app_public.competition_participants p cross join unnest($2::uuid[]) r(id) where p.competition_id = $1`,
        [competition.id, rounds.map((r) => r.id)]);
      await root.query("analyze");
      const { rows: [viewer] } = await root.query(
        `insert into app_private.sessions (user_id, expires_at) select user_id, now() + interval '1 day' from app_public.competition_participants
         where competition_id = $1 limit 1 returning id`, [competition.id]);
      const client = await pool.connect();
      const timed = async (roundId: string | null) => {
        await client.query("begin");
        await client.query("select set_config('role', $1, true), set_config('jwt.claims.session_id', $2, true)", [visitor, viewer.id]);
        const times: number[] = [];
        let count = 0;
        for (let i = 0; i < calls + 5; i++) {
          const t = performance.now();
          const { rows: board } = await client.query("select * from app_public.competition_leaderboard($1, $2)", [competition.id, roundId]);
          if (i >= 5) times.push(performance.now() - t);
          count = board.length;
        }
        await client.query("commit");
        if (count !== participants) throw new Error(`leaderboard returned ${count} rows, expected ${participants}`);
        return times.sort((a, b) => a - b);
      };
      try {
        ctx.progress(`leaderboard: ${calls} calls overall, ${calls} for one round…`);
        // The peer: the same overall ranks added up from every score at read
        // time (what the standings cost without the totals triggers keep).
        const peer: number[] = [];
        for (let i = 0; i < calls + 5; i++) {
          const t = performance.now();
          const { rows: ranked } = await root.query(AGGREGATE_AT_READ, [competition.id]);
          if (i >= 5) peer.push(performance.now() - t);
          if (ranked.length !== participants) throw new Error(`the peer ranked ${ranked.length} rows, expected ${participants}`);
        }
        peer.sort((a, b) => a - b);
        for (const [label, roundId] of [["overall (3 rounds)", null], ["one round", rounds[0]!.id]] as const) {
          const times = await timed(roundId);
          rows.push({ measure: `leaderboard, ${fmtInt(participants)} participants, ${label}: all rows, as a participant`,
            value: `p50 ${fmtMsPrecise(percentile(times, 50))}, p99 ${fmtMsPrecise(percentile(times, 99))}`,
            ...(roundId === null ? { ratio: fmtRatio(percentile(times, 99) / percentile(peer, 99), "aggregate at read, p99") } : {}) });
        }
        rows.push({ measure: "  peer: the same overall ranks summed from every score at read (owner, no names)",
          value: `p50 ${fmtMsPrecise(percentile(peer, 50))}, p99 ${fmtMsPrecise(percentile(peer, 99))}` });
      } finally {
        client.release();
      }
      return rows;
    } finally {
      await pool.end();
      await root.end();
    }
  },
};

// The leaderboard against a reference computed here, on seeded random data
// full of ties: each scoring rule per round, and overall weighted; streak
// scores computed by the database from ritual completions; block peers left
// out without changing the ranks.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { asUser, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { rand, randInt, SEED } from "../helpers/random.js";
import { rootRows } from "../helpers/social.js";
import { addParticipants, addScores, makeCompetition, type Scoring } from "./fixtures.js";

const t = useTestDatabase();
let viewer: TestUser;
beforeAll(async () => {
  viewer = await createUser(t.db, "lbview");
});

/** An exact decimal (as Postgres prints it) in integer units of 10^-scale. */
function units(text: string, scale: number): bigint {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = text.replace("-", "").split(".");
  const value = BigInt(whole! + fraction.padEnd(scale, "0").slice(0, scale));
  if (fraction.slice(scale).replace(/0/g, "")) throw new Error(`${text} has more than ${scale} decimals`);
  return negative ? -value : value;
}

interface Line { rank: number; user_id: string; score: bigint; entries: number }

/** rank() over score desc: ties share a place and the next one skips. Ordered by rank, then username. */
function ranked(scores: Array<{ user_id: string; username: string; score: bigint; entries: number }>): Line[] {
  const sorted = [...scores].sort((a, b) => (a.score === b.score ? (a.username < b.username ? -1 : 1) : a.score > b.score ? -1 : 1));
  return sorted.map((s) => ({
    rank: 1 + sorted.filter((o) => o.score > s.score).length, user_id: s.user_id, score: s.score, entries: s.entries,
  }));
}

// Weights in thousandths, round scores in hundredths: overall in 10^-5.
const ROUNDS: Array<{ scoring: Scoring; weight: number }> = [
  { scoring: "sum", weight: 1 }, { scoring: "max", weight: 2 }, { scoring: "average", weight: 0.5 },
  { scoring: "count", weight: 1.5 }, { scoring: "streak", weight: 3 },
];

describe(`against the reference (seed ${SEED})`, () => {
  let id: string;
  let rounds: string[];
  let people: Array<{ id: string; username: string }>;
  const values = new Map<string, number[]>(); // `${round}|${user}` → values

  beforeAll(async () => {
    const tag = randomBytes(3).toString("hex");
    const { rows } = await t.db.root.query<{ id: string; username: string }>(
      `insert into app_public.users (username, display_name)
       select 'lb_' || $1 || '_' || lpad(i::text, 3, '0'), 'Player ' || i from generate_series(1, 80) i returning id, username`, [tag]);
    people = rows;
    ({ id, rounds } = await makeCompetition(t.db, { rounds: ROUNDS }));
    await addParticipants(t.db, id, people.map((p) => p.id));
    const scores: Array<[string, string, number]> = [];
    const computed: Array<[string, string, number]> = [];
    for (const p of people) {
      for (const [i, round] of ROUNDS.entries()) {
        if (round.scoring === "streak") {
          // One computed row or none (small numbers: many ties).
          if (rand() < 0.7) {
            const v = randInt(0, 4);
            computed.push([rounds[i]!, p.id, v]);
            values.set(`${i}|${p.id}`, [v]);
          }
          continue;
        }
        const n = randInt(0, 3);
        const vs = Array.from({ length: n }, () => randInt(0, 5));
        values.set(`${i}|${p.id}`, vs);
        for (const v of vs) scores.push([rounds[i]!, p.id, v]);
      }
    }
    await addScores(t.db, id, scores);
    await t.db.root.query(
      `insert into app_public.competition_scores (round_id, competition_id, user_id, value, is_computed)
       select r, $1, u, v, true from unnest($2::uuid[], $3::uuid[], $4::numeric[]) as s(r, u, v)`,
      [id, computed.map((c) => c[0]), computed.map((c) => c[1]), computed.map((c) => c[2])]);
  });

  /** A participant's score in round i, in hundredths. */
  function roundScore(i: number, userId: string): bigint {
    const vs = values.get(`${i}|${userId}`) ?? [];
    if (!vs.length) return 0n;
    const sum = vs.reduce((a, b) => a + b, 0);
    switch (ROUNDS[i]!.scoring) {
      case "sum": return BigInt(sum * 100);
      case "max": return BigInt(Math.max(...vs) * 100);
      // Two decimals, half away from zero (no halves arise: at most three integers).
      case "average": return BigInt(Math.round((sum * 100) / vs.length));
      case "count": return BigInt(vs.length * 100);
      case "streak": return BigInt(vs[0]! * 100);
    }
  }

  const board = async (roundId: string | null) =>
    asUser(t.db, viewer.id, async (c) => (await c.query(
      "select rank, user_id, score::text, entries from app_public.competition_leaderboard($1, $2)", [id, roundId])).rows);

  for (const [i, round] of ROUNDS.entries()) {
    it(`round ${i + 1} (${round.scoring}): every participant, scored and ranked as the reference says`, async () => {
      const expected = ranked(people.map((p) => ({
        user_id: p.id, username: p.username, score: roundScore(i, p.id), entries: (values.get(`${i}|${p.id}`) ?? []).length,
      })));
      const got = (await board(rounds[i]!)).map((r) => ({ rank: r.rank, user_id: r.user_id, score: units(r.score, 2), entries: r.entries }));
      expect(got).toEqual(expected);
      // Ties are there to be ranked (the data is made for it).
      expect(new Set(expected.map((e) => e.rank)).size).toBeLessThan(expected.length);
    });
  }

  it("overall: the sum of weight × round score, ranked with rank() (ties share, the next place skips)", async () => {
    const expected = ranked(people.map((p) => ({
      user_id: p.id,
      username: p.username,
      score: ROUNDS.reduce((total, r, i) => total + BigInt(Math.round(r.weight * 1000)) * roundScore(i, p.id), 0n),
      entries: ROUNDS.reduce((total, _, i) => total + (values.get(`${i}|${p.id}`) ?? []).length, 0),
    })));
    const got = (await board(null)).map((r) => ({ rank: r.rank, user_id: r.user_id, score: units(r.score, 5), entries: r.entries }));
    expect(got).toEqual(expected);
    expect(got).toHaveLength(80);
  });

  it("hides the viewer's block peers (either way round) without changing anyone's rank", async () => {
    const full = await board(null);
    const [blocked, blocker] = [full[3]!.user_id, full[10]!.user_id];
    await t.db.root.query("insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2), ($3, $1)", [viewer.id, blocked, blocker]);
    try {
      expect(await board(null)).toEqual(full.filter((r) => r.user_id !== blocked && r.user_id !== blocker));
    } finally {
      await t.db.root.query("delete from app_public.blocks where $1 in (blocker_id, blocked_id)", [viewer.id]);
    }
  });

  it("a round of another competition, or a competition one may not see, gives no rows", async () => {
    const other = await makeCompetition(t.db, {});
    await asUser(t.db, viewer.id, async (c) => {
      expect((await c.query("select * from app_public.competition_leaderboard($1, $2)", [id, other.rounds[0]])).rows).toEqual([]);
    });
    await t.db.root.query("update app_public.competitions set status = 'draft' where id = $1", [other.id]);
    await addParticipants(t.db, other.id, [people[0]!.id]);
    await asUser(t.db, viewer.id, async (c) => {
      expect((await c.query("select * from app_public.competition_leaderboard($1)", [other.id])).rows).toEqual([]);
    });
  });
});

describe("streak rounds, computed from ritual completions", () => {
  let id: string;
  let round: string;
  let person: TestUser;
  let outsider: TestUser;
  let rituals: string[];

  beforeAll(async () => {
    person = await createUser(t.db, "streaker");
    outsider = await createUser(t.db, "outsider");
    const made = await makeCompetition(t.db, {
      startsIn: -10 * 86400, endsIn: 86400, rounds: [{ scoring: "streak", opensIn: -8 * 86400 - 60 }],
    });
    id = made.id;
    round = made.rounds[0]!;
    await addParticipants(t.db, id, [person.id]);
    const { rows } = await t.db.root.query<{ id: string }>(
      "insert into app_public.rituals (user_id, title) values ($1, 'Stretch'), ($1, 'Read'), ($2, 'Walk') returning id",
      [person.id, outsider.id]);
    rituals = rows.map((r) => r.id);
  });

  const complete = (ritual: string, user: string, daysAgo: number) => t.db.root.query(
    "insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, now() - make_interval(days => $3)) returning id",
    [ritual, user, daysAgo]);
  const computed = async () => rootRows(t.db,
    "select user_id, value::int from app_public.competition_scores where round_id = $1 and is_computed", [round]);

  it("is the longest run of consecutive days with a ritual kept, within the round (one computed row)", async () => {
    // Day 9 is before the round opened; 7, 6, 5 is a run of 3; 3, 2, 1, 0 of 4 (day 2 twice, two rituals).
    for (const day of [9, 7, 6, 5, 3, 2, 1, 0]) await complete(rituals[0]!, person.id, day);
    await complete(rituals[1]!, person.id, 2);
    await complete(rituals[2]!, outsider.id, 0);
    expect(await computed()).toEqual([{ user_id: person.id, value: 4 }]);
    const [line] = await asUser(t.db, person.id, async (c) =>
      (await c.query("select rank, score::int, entries from app_public.competition_leaderboard($1, $2)", [id, round])).rows);
    expect(line).toEqual({ rank: 1, score: 4, entries: 1 });
  });

  it("follows deletions: breaking the run of 4 leaves the run of 3", async () => {
    await t.db.root.query(
      "delete from app_public.ritual_completions where user_id = $1 and (completed_at at time zone 'UTC')::date = (now() at time zone 'UTC')::date - 1",
      [person.id]);
    expect(await computed()).toEqual([{ user_id: person.id, value: 3 }]);
  });
});

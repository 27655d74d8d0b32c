// Rollups and the global fulfillment score against an independent reference
// written in TypeScript (luxon for time zones, never Postgres): random scores
// of two users in two time zones, with instants right around local midnight
// and around the 2024 DST changes of Toronto (ISO weeks that span them).
// Set LIFEGRAPH_REF_SEED to replay a run; the seed is in the test names.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { DateTime } from "luxon";
import { asUser, createUser, useTestDatabase, type TestDatabase, type TestUser } from "../helpers/db.js";
import { SEED, rand, randInt, pick, shuffle } from "../helpers/random.js";


// ---------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------
type Kind = "day" | "week" | "month" | "quarter";
const KINDS: Kind[] = ["day", "week", "month", "quarter"];
const TOL = 0.0015;
const DAY_MS = 86_400_000;

const dayNum = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY_MS;
const isoOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const localDay = (ms: number, tz: string) => DateTime.fromMillis(ms, { zone: tz }).toISODate()!;
const round = (x: number, dp: number) => Math.sign(x) * Math.round(Math.abs(x) * 10 ** dp) / 10 ** dp;

function periodOf(kind: Kind, day: string): { start: string; end: string } {
  if (kind === "day") return { start: day, end: day };
  // luxon weeks are ISO weeks (Monday first).
  const d = DateTime.fromISO(day, { zone: "utc" });
  return { start: d.startOf(kind).toISODate()!, end: d.endOf(kind).toISODate()! };
}

interface Score {
  id?: string;
  userId: string;
  areaId: number;
  dimensionId: number | null;
  ms: number;
  /** Local date of `ms` in the user's time zone, by luxon. */
  day: string;
  tenths: number;
  source: "manual" | "ai";
}

interface Rollup {
  userId: string;
  areaId: number;
  kind: Kind;
  start: string;
  end: string;
  score: number;
  n: number;
  covered: number;
  confidence: number;
  t7: number | null;
  t30: number | null;
  t90: number | null;
}
const rollupKey = (r: { userId: string; areaId: number; kind: string; start: string }) => `${r.userId}|${r.areaId}|${r.kind}|${r.start}`;

function referenceRollups(scores: Iterable<Score>): Map<string, Rollup> {
  const byArea = new Map<string, { userId: string; areaId: number; days: Map<number, { sum: number; n: number }> }>();
  for (const s of scores) {
    const k = `${s.userId}|${s.areaId}`;
    let g = byArea.get(k);
    if (!g) byArea.set(k, (g = { userId: s.userId, areaId: s.areaId, days: new Map() }));
    const d = g.days.get(dayNum(s.day)) ?? { sum: 0, n: 0 };
    d.sum += s.tenths;
    d.n += 1;
    g.days.set(dayNum(s.day), d);
  }
  const out = new Map<string, Rollup>();
  for (const { userId, areaId, days } of byArea.values()) {
    const windowMean = (from: number, to: number) => {
      let sum = 0;
      let n = 0;
      for (const [d, v] of days) if (d >= from && d <= to) { sum += v.sum; n += v.n; }
      return n === 0 ? null : sum / n / 10;
    };
    const trend = (anchor: number, N: number) => {
      const recent = windowMean(anchor - N + 1, anchor);
      const prior = windowMean(anchor - 2 * N + 1, anchor - N);
      return recent === null || prior === null ? null : round(recent - prior, 3);
    };
    for (const kind of KINDS) {
      const periods = new Map<string, { end: string; sum: number; n: number; covered: number; last: number }>();
      for (const [d, v] of days) {
        const { start, end } = periodOf(kind, isoOf(d));
        const p = periods.get(start) ?? { end, sum: 0, n: 0, covered: 0, last: -Infinity };
        p.sum += v.sum;
        p.n += v.n;
        p.covered += 1;
        p.last = Math.max(p.last, d);
        periods.set(start, p);
      }
      for (const [start, p] of periods) {
        const periodDays = dayNum(p.end) - dayNum(start) + 1;
        const r: Rollup = {
          userId, areaId, kind, start, end: p.end,
          score: round(p.sum / p.n / 10, 3),
          n: p.n,
          covered: p.covered,
          confidence: round(0.5 * Math.min(1, p.n / periodDays) + 0.5 * (p.covered / periodDays), 3),
          t7: trend(p.last, 7),
          t30: trend(p.last, 30),
          t90: trend(p.last, 90),
        };
        out.set(rollupKey(r), r);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Comparing with the database
// ---------------------------------------------------------------------------
interface DbRollup {
  user_id: string; area_id: number; kind: Kind; period_start: string; period_end: string;
  score: number; sample_count: number; covered_days: number; confidence: number;
  trend_7d: number | null; trend_30d: number | null; trend_90d: number | null;
}

async function dbRollups(db: TestDatabase, userIds: string[]): Promise<Map<string, DbRollup>> {
  const { rows } = await db.root.query<DbRollup>(
    `select user_id, area_id, period_kind::text as kind, period_start::text, period_end::text, score::float8 as score,
       sample_count, covered_days, confidence::float8 as confidence,
       app_public.score_rollups_trend_7_days(r)::float8 as trend_7d, app_public.score_rollups_trend_30_days(r)::float8 as trend_30d, app_public.score_rollups_trend_90_days(r)::float8 as trend_90d
     from app_public.score_rollups r where user_id = any($1::uuid[])`, [userIds],
  );
  return new Map(rows.map((r) => [rollupKey({ userId: r.user_id, areaId: r.area_id, kind: r.kind, start: r.period_start }), r]));
}

const near = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= TOL);

function diffRollups(expected: Map<string, Rollup>, actual: Map<string, DbRollup>): string[] {
  const diffs: string[] = [];
  for (const [k, e] of expected) {
    const a = actual.get(k);
    if (!a) { diffs.push(`missing ${k}`); continue; }
    const bad: string[] = [];
    if (a.period_end !== e.end) bad.push(`period_end ${a.period_end} ≠ ${e.end}`);
    if (a.sample_count !== e.n) bad.push(`sample_count ${a.sample_count} ≠ ${e.n}`);
    if (a.covered_days !== e.covered) bad.push(`covered_days ${a.covered_days} ≠ ${e.covered}`);
    if (!near(a.score, e.score)) bad.push(`score ${a.score} ≠ ${e.score}`);
    if (!near(a.confidence, e.confidence)) bad.push(`confidence ${a.confidence} ≠ ${e.confidence}`);
    if (!near(a.trend_7d, e.t7)) bad.push(`trend_7d ${a.trend_7d} ≠ ${e.t7}`);
    if (!near(a.trend_30d, e.t30)) bad.push(`trend_30d ${a.trend_30d} ≠ ${e.t30}`);
    if (!near(a.trend_90d, e.t90)) bad.push(`trend_90d ${a.trend_90d} ≠ ${e.t90}`);
    if (bad.length) diffs.push(`${k}: ${bad.join(", ")}`);
  }
  for (const k of actual.keys()) if (!expected.has(k)) diffs.push(`extra ${k}`);
  return diffs;
}

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------
const TORONTO = "America/Toronto";
const KOLKATA = "Asia/Kolkata";
const FIRST_DAY = "2024-02-20";
const LAST_DAY = "2024-11-20";

/** Instants around Toronto's 2024 DST changes and local midnights around them (and Kolkata's midnights). */
const SPECIAL_INSTANTS = [
  // Spring forward, Sunday 2024-03-10 02:00 EST → 03:00 EDT (the ISO week Mon 03-04 … Sun 03-10).
  "2024-03-04T04:59:59.999Z", "2024-03-04T05:00:00.000Z", // Mon 03-04 midnight EST
  "2024-03-10T04:59:59.999Z", "2024-03-10T05:00:00.000Z", // Sun 03-10 midnight EST
  "2024-03-10T06:59:59.999Z", "2024-03-10T07:00:00.000Z", // 01:59:59.999 EST, 03:00 EDT
  "2024-03-11T03:59:59.999Z", "2024-03-11T04:00:00.000Z", // Sun 23:59:59.999 EDT, Mon 03-11 00:00 EDT
  "2024-03-11T04:30:00.000Z", // Mon 00:30 EDT (Sun 23:30 with a fixed EST offset)
  // Fall back, Sunday 2024-11-03 02:00 EDT → 01:00 EST (the ISO week Mon 10-28 … Sun 11-03).
  "2024-10-28T03:59:59.999Z", "2024-10-28T04:00:00.000Z", // Mon 10-28 midnight EDT
  "2024-11-03T03:59:59.999Z", "2024-11-03T04:00:00.000Z", // Sun 11-03 midnight EDT
  "2024-11-03T05:30:00.000Z", "2024-11-03T06:30:00.000Z", // 01:30 EDT, 01:30 EST: the same local time twice
  "2024-11-04T04:30:00.000Z", // Sun 23:30 EST (Mon 00:30 with a fixed EDT offset)
  "2024-11-04T04:59:59.999Z", "2024-11-04T05:00:00.000Z", // Sun 23:59:59.999 EST, Mon 11-04 00:00 EST
  // Kolkata midnights (UTC+05:30) in the same weeks.
  "2024-03-10T18:29:59.999Z", "2024-03-10T18:30:00.000Z",
  "2024-11-03T18:29:59.999Z", "2024-11-03T18:30:00.000Z",
  "2024-03-31T18:29:59.999Z", "2024-03-31T18:30:00.000Z", // month and quarter boundary
  "2024-06-30T18:29:59.999Z", "2024-06-30T18:30:00.000Z",
].map((s) => Date.parse(s));

/** A random instant on a local day, often right at one of its ends (days have 23 or 25 hours at DST changes). */
function instantOn(day: string, tz: string): number {
  const start = DateTime.fromISO(day, { zone: tz }).startOf("day").toMillis();
  const next = DateTime.fromISO(day, { zone: tz }).startOf("day").plus({ days: 1 }).toMillis();
  const r = rand();
  if (r < 0.12) return start + pick([0, 1, 1000, 59_000]);
  if (r < 0.24) return next - pick([1, 1000, 30_000]);
  return start + Math.floor(rand() * (next - start));
}

interface Area { id: number; code: string; position: number; defaultWeight: number; dimensions: number[] }

const t = useTestDatabase();
let users: { user: TestUser; tz: string; areas: Area[] }[];
let allAreas: Area[];
/** The reference's view of app_public.scores, by id once inserted. */
const model = new Map<string, Score>();
const manualKeys = new Set<string>();
const manualKey = (s: Pick<Score, "userId" | "areaId" | "dimensionId" | "day">) => `${s.userId}|${s.areaId}|${s.dimensionId}|${s.day}`;

function makeScore(userId: string, tz: string, area: Area, ms: number, allowManual = true): Score {
  const dimensionId = rand() < 0.4 || area.dimensions.length === 0 ? null : pick(area.dimensions);
  const s: Score = { userId, areaId: area.id, dimensionId, ms, day: localDay(ms, tz), tenths: randInt(0, 50), source: "ai" };
  if (allowManual && rand() < 0.3 && !manualKeys.has(manualKey(s))) {
    s.source = "manual";
    manualKeys.add(manualKey(s));
  }
  return s;
}

/** Inserts as root with explicit user and recorded_at, no score_date; checks the day the trigger derived. */
async function insertScores(scores: Score[]): Promise<string[]> {
  if (scores.length === 0) return [];
  const { rows } = await t.db.root.query<{ id: string; note: string; score_date: string }>(
    `insert into app_public.scores (user_id, area_id, dimension_id, recorded_at, score, source, note)
     select * from unnest($1::uuid[], $2::int[], $3::int[], $4::timestamptz[], $5::numeric[], $6::app_public.score_source[], $7::text[])
     returning id::text, note, score_date::text`,
    [
      scores.map((s) => s.userId), scores.map((s) => s.areaId), scores.map((s) => s.dimensionId),
      scores.map((s) => new Date(s.ms).toISOString()), scores.map((s) => (s.tenths / 10).toFixed(1)),
      scores.map((s) => s.source), scores.map((_, i) => `ref:${i}`),
    ],
  );
  const wrongDays: string[] = [];
  for (const row of rows) {
    const s = scores[Number(row.note.slice(4))]!;
    s.id = row.id;
    model.set(row.id, s);
    if (row.score_date !== s.day) wrongDays.push(`${new Date(s.ms).toISOString()}: score_date ${row.score_date}, expected ${s.day}`);
  }
  expect(wrongDays).toEqual([]);
  expect(rows).toHaveLength(scores.length);
  return rows.map((r) => r.id);
}

async function expectRollupsMatchReference(userIds: string[]) {
  const expected = referenceRollups([...model.values()].filter((s) => userIds.includes(s.userId)));
  const diffs = diffRollups(expected, await dbRollups(t.db, userIds));
  expect(diffs.slice(0, 30)).toEqual([]);
  expect(diffs).toHaveLength(0);
  return expected;
}

beforeAll(async () => {
  const { rows } = await t.db.root.query<{ id: number; code: string; position: number; default_weight: string; dimensions: number[] }>(
    `select a.id, a.code, a.position, a.default_weight::text,
       coalesce(array_agg(d.id order by d.id) filter (where d.id is not null), '{}') as dimensions
     from app_public.life_areas a left join app_public.area_dimensions d on d.area_id = a.id
     group by a.id order by a.position`,
  );
  allAreas = rows.map((r) => ({ id: r.id, code: r.code, position: r.position, defaultWeight: Number(r.default_weight), dimensions: r.dimensions }));
  users = [];
  for (const tz of [TORONTO, KOLKATA]) {
    const user = await createUser(t.db, "ref_scores");
    await t.db.root.query("update app_public.user_settings set timezone = $2 where user_id = $1", [user.id, tz]);
    // Six areas per user: four random from daily to rare, one scored only in (b), one with a designed shape.
    users.push({ user, tz, areas: shuffle([...allAreas]).slice(0, 6) });
  }
});

describe(`score rollups vs the TypeScript reference (seed ${SEED})`, () => {
  it("(a) a full recompute matches the reference, row for row", async () => {
    const densities = [0.9, 0.6, 0.25, 0.06];
    for (const { user, tz, areas } of users) {
      const scores: Score[] = [];
      areas.slice(0, 4).forEach((area, i) => {
        // A blackout of a few weeks gives trend windows with an empty side.
        const blackout = randInt(dayNum(FIRST_DAY) + 20, dayNum(LAST_DAY) - 60);
        const blackoutEnd = blackout + randInt(10, 45);
        for (let d = dayNum(FIRST_DAY); d <= dayNum(LAST_DAY); d++) {
          if (d >= blackout && d <= blackoutEnd) continue;
          if (rand() >= densities[i]!) continue;
          const count = 1 + (rand() < 0.3 ? 1 : 0) + (rand() < 0.1 ? 1 : 0);
          for (let c = 0; c < count; c++) scores.push(makeScore(user.id, tz, area, instantOn(isoOf(d), tz)));
        }
      });
      // areas[5]: every other day from January 4th until June, then Q3 holds only July 1st and September 30th. Deleting
      // the latter in (b) leaves a quarter ending after the change whose last scored day is 91 days
      // before it: its trends reach 270 days back from the change.
      for (let d = dayNum("2024-01-04"); d <= dayNum("2024-06-30"); d += 2) scores.push(makeScore(user.id, tz, areas[5]!, instantOn(isoOf(d), tz)));
      for (const day of ["2024-07-01", "2024-09-30"]) scores.push(makeScore(user.id, tz, areas[5]!, instantOn(day, tz)));
      // The DST and midnight instants, in the two densest areas.
      for (const ms of SPECIAL_INSTANTS) {
        scores.push(makeScore(user.id, tz, areas[0]!, ms, false));
        if (rand() < 0.5) scores.push(makeScore(user.id, tz, areas[1]!, ms, false));
      }
      await insertScores(shuffle(scores));
    }

    // The reference data covers what it should: the DST weeks, and trends both null and not.
    const toronto = users[0]!;
    const torontoDays = new Set([...model.values()].filter((s) => s.userId === toronto.user.id && s.areaId === toronto.areas[0]!.id).map((s) => s.day));
    for (const day of ["2024-03-04", "2024-03-09", "2024-03-10", "2024-03-11", "2024-10-28", "2024-11-02", "2024-11-03", "2024-11-04"]) {
      expect(torontoDays.has(day)).toBe(true);
    }

    for (const { user } of users) {
      const { rows } = await t.db.root.query("select count(*)::int as n from app_public.score_rollups where user_id = $1", [user.id]);
      expect(rows[0].n).toBe(0);
      await t.db.root.query("select app_private.recompute_rollups($1)", [user.id]);
    }
    const expected = await expectRollupsMatchReference(users.map((u) => u.user.id));
    const all = [...expected.values()];
    expect(all.length).toBeGreaterThan(500);
    for (const kind of KINDS) expect(all.some((r) => r.kind === kind)).toBe(true);
    expect(all.some((r) => r.t90 === null) && all.some((r) => r.t90 !== null)).toBe(true);
    expect(all.some((r) => r.t7 === null) && all.some((r) => r.t7 !== null)).toBe(true);
    // The DST week of Toronto has scores both before and after the change.
    const dstWeek = expected.get(rollupKey({ userId: toronto.user.id, areaId: toronto.areas[0]!.id, kind: "week", start: "2024-03-04" }));
    expect(dstWeek?.covered).toBeGreaterThanOrEqual(3);
    const { rows: queue } = await t.db.root.query("select count(*)::int as n from app_private.rollup_queue");
    expect(queue[0].n).toBe(0);
  });

  it("(b) the incremental refresh after inserts, updates, deletes and a backdated score matches the reference; so do partition recomputes", async () => {
    const userIds = users.map((u) => u.user.id);
    for (const { user, tz, areas } of users) {
      const mine = () => [...model.values()].filter((s) => s.userId === user.id);
      const lastDay = mine().reduce((m, s) => (s.day > m ? s.day : m), "0000");

      // Each area gets its own kind of change, so that the queue holds different `since` days:
      // areas[0] only recent changes (its trends reach ~180 days behind them), areas[1] one
      // backdated score, areas[2] and areas[3] changes anywhere, areas[4] its first scores.
      const inArea = (k: number) => mine().filter((s) => s.areaId === areas[k]!.id);
      const recent = (s: Score) => s.day >= isoOf(dayNum(lastDay) - 12);
      const fresh: Score[] = [];
      for (let i = 0; i < 8; i++) fresh.push(makeScore(user.id, tz, areas[0]!, instantOn(isoOf(dayNum(lastDay) - randInt(-6, 10)), tz)));
      for (let i = 0; i < 6; i++) fresh.push(makeScore(user.id, tz, pick([areas[2]!, areas[3]!]), instantOn(isoOf(randInt(dayNum(FIRST_DAY), dayNum(lastDay))), tz)));
      fresh.push(makeScore(user.id, tz, areas[4]!, instantOn(isoOf(dayNum(lastDay) - 3), tz)));
      await insertScores(fresh);

      // Updates of single scores and of a batch.
      const toUpdate = [...shuffle(inArea(0).filter(recent)).slice(0, 4), ...shuffle([...inArea(2), ...inArea(3)]).slice(0, 8)];
      for (const s of toUpdate.slice(0, 4)) {
        s.tenths = (s.tenths + randInt(1, 50)) % 51;
        await t.db.root.query("update app_public.scores set score = $2 where id = $1", [s.id, (s.tenths / 10).toFixed(1)]);
      }
      for (const s of toUpdate.slice(4)) s.tenths = (s.tenths + randInt(1, 50)) % 51;
      await t.db.root.query(
        "update app_public.scores s set score = x.score from unnest($1::bigint[], $2::numeric[]) x(id, score) where s.id = x.id",
        [toUpdate.slice(4).map((s) => s.id), toUpdate.slice(4).map((s) => (s.tenths / 10).toFixed(1))],
      );

      // Deletes: random scores, a whole recent day of areas[0], and a whole week of areas[2] (its rollups must go).
      const toDelete = new Set([...shuffle(inArea(0).filter(recent)).slice(0, 2), ...shuffle([...inArea(2), ...inArea(3)]).slice(0, 8)].map((s) => s.id!));
      const someDay = pick(inArea(0).filter(recent)).day;
      for (const s of inArea(0)) if (s.day === someDay) toDelete.add(s.id!);
      const weekStart = periodOf("week", pick(inArea(2)).day).start;
      for (const s of inArea(2)) if (periodOf("week", s.day).start === weekStart) toDelete.add(s.id!);
      for (const s of inArea(5)) if (s.day === "2024-09-30") toDelete.add(s.id!);
      const deleteIds = [...toDelete];
      await t.db.root.query("delete from app_public.scores where id = any($1::bigint[])", [deleteIds.slice(0, 4)]);
      await t.db.root.query("delete from app_public.scores where id = any($1::bigint[])", [deleteIds.slice(4)]);
      for (const id of deleteIds) model.delete(id);

      // A backdated score, 100 days before the last day.
      await insertScores([makeScore(user.id, tz, areas[1]!, instantOn(isoOf(dayNum(lastDay) - 100), tz))]);

      // A score moved 30 days later (as a repair in SQL might): the day it left is the earliest change.
      const moved = pick(inArea(1).filter((s) => s.source === "ai" && s.day >= isoOf(dayNum(lastDay) - 200) && s.day <= isoOf(dayNum(lastDay) - 140)));
      moved.day = isoOf(dayNum(moved.day) + 30);
      await t.db.root.query("update app_public.scores set score_date = $2 where id = $1", [moved.id, moved.day]);
    }

    // The rollups are stale now (so the comparison below can fail), and queued.
    const stale = diffRollups(referenceRollups(model.values()), await dbRollups(t.db, userIds));
    expect(stale.length).toBeGreaterThan(0);
    const { rows: queued } = await t.db.root.query<{ user_id: string; since: string }>(
      "select user_id, since::text from app_private.rollup_queue where user_id = any($1::uuid[])", [userIds],
    );
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.some((q) => q.since < "2024-09-01")).toBe(true);
    expect(queued.some((q) => q.since >= "2024-11-01")).toBe(true);
    expect(queued.filter((q) => q.since === "2024-09-30")).toHaveLength(2);

    await t.db.root.query("select app_private.refresh_queued_rollups()");
    const { rows: left } = await t.db.root.query("select count(*)::int as n from app_private.rollup_queue");
    expect(left[0].n).toBe(0);
    await expectRollupsMatchReference(userIds);

    // A recompute of each partition gives exactly the same rows.
    const snapshot = async () => (await t.db.root.query(
      `select user_id, area_id, period_kind, period_start::text, period_end::text, score::text, sample_count, covered_days,
         confidence::text, last_scored_day::text, running_tenths, running_count, app_public.score_rollups_trend_7_days(r)::text, app_public.score_rollups_trend_30_days(r)::text, app_public.score_rollups_trend_90_days(r)::text
       from app_public.score_rollups r order by user_id, area_id, period_kind, period_start`,
    )).rows;
    const before = await snapshot();
    // A stray rollup of an area without scores (say, from a lost job): a partition recompute drops it.
    const unscored = allAreas.find((a) => !users[0]!.areas.includes(a))!;
    await t.db.root.query(
      `insert into app_public.score_rollups (user_id, area_id, period_kind, period_start, period_end, score, sample_count, covered_days,
         confidence, last_scored_day) values ($1, $2, 'day', '2024-05-01', '2024-05-01', 3, 1, 1, 1, '2024-05-01')`, [users[0]!.user.id, unscored.id],
    );
    for (let part = 0; part <= 3; part++) await t.db.root.query("select app_private.recompute_rollup_partition($1)", [part]);
    const after = await snapshot();
    expect(after.length).toBe(before.length);
    expect(after).toEqual(before);
  });

  it("(c) the global fulfillment score with custom weights matches the reference", async () => {
    const reference = referenceRollups(model.values());
    const u = users[0]!;
    const scored = new Set(u.areas.map((a) => a.id));
    // Every area but three gets its own weight, one of them a scored area left at its default.
    const keepDefault = new Set([u.areas[3]!.id, ...shuffle(allAreas.filter((a) => !scored.has(a.id))).slice(0, 2).map((a) => a.id)]);
    const overridden = allAreas.filter((a) => !keepDefault.has(a.id));
    const budget = 100_000 - allAreas.filter((a) => keepDefault.has(a.id)).reduce((s, a) => s + Math.round(a.defaultWeight * 100_000), 0);
    const parts = overridden.map(() => rand() + 0.05);
    const total = parts.reduce((s, x) => s + x, 0);
    const units = parts.map((x) => Math.floor((x / total) * budget));
    units[0]! += budget - units.reduce((s, x) => s + x, 0);
    const weights = new Map(allAreas.map((a) => [a.id, a.defaultWeight]));
    overridden.forEach((a, i) => weights.set(a.id, units[i]! / 100_000));

    const client = await t.db.root.connect();
    try {
      // Saved one by one in one transaction: the sum is checked once, at commit (deferred).
      await client.query("begin");
      for (const [i, a] of overridden.entries()) {
        await client.query("insert into app_public.user_area_weights (user_id, area_id, weight) values ($1, $2, $3)",
          [u.user.id, a.id, (units[i]! / 100_000).toFixed(5)]);
      }
      await client.query("commit");
    } finally {
      client.release();
    }
    const { rows: saved } = await t.db.root.query("select count(*)::int as n from app_public.user_area_weights where user_id = $1", [u.user.id]);
    expect(saved[0].n).toBe(overridden.length);

    const gfsSql = `select g.period_kind::text as kind, g.period_start::text as start, g.period_end::text as "end",
        g.score::float8 as score, g.coverage::float8 as coverage,
        coalesce((select json_agg(json_build_object('area_id', x.area_id, 'code', x.area_code, 'weight', x.weight,
            'score', x.score, 'contribution', x.contribution) order by x.o)
          from unnest(g.areas) with ordinality as x(area_id, area_code, weight, score, contribution, o)), '[]') as areas
      from app_public.users u cross join lateral app_public.users_gfs(u, $2::app_public.period_kind, $3::date) g where u.id = $1`;
    type Gfs = { kind: string; start: string; end: string; score: number | null; coverage: number;
      areas: { area_id: number; code: string; weight: number; score: number; contribution: number }[] };

    const expectGfs = (actual: Gfs, kind: Kind, onDate: string, active: (a: Area) => boolean) => {
      const { start, end } = periodOf(kind, onDate);
      const parts = allAreas.filter(active).flatMap((a) => {
        const r = reference.get(rollupKey({ userId: u.user.id, areaId: a.id, kind, start }));
        return r ? [{ area: a, w: weights.get(a.id)!, s: r.score }] : [];
      });
      const sumW = parts.reduce((s, p) => s + p.w, 0);
      expect({ kind: actual.kind, start: actual.start, end: actual.end }).toEqual({ kind, start, end });
      expect(actual.coverage).toBeCloseTo(sumW, 6);
      if (parts.length === 0) {
        expect(actual.score).toBeNull();
        expect(actual.areas).toEqual([]);
        return 0;
      }
      const score = round(parts.reduce((s, p) => s + p.w * p.s, 0) / sumW, 3);
      expect(Math.abs(actual.score! - score)).toBeLessThanOrEqual(TOL);
      expect(actual.areas.map((a) => a.code)).toEqual(parts.map((p) => p.area.code));
      actual.areas.forEach((a, i) => {
        const p = parts[i]!;
        expect(a.area_id).toBe(p.area.id);
        expect(a.weight).toBeCloseTo(p.w, 6);
        expect(Math.abs(a.score - p.s)).toBeLessThanOrEqual(TOL);
        expect(Math.abs(a.contribution - round(p.w * p.s, 4))).toBeLessThanOrEqual(TOL);
      });
      return parts.length;
    };

    const cases: [Kind, string][] = [
      ["week", "2024-03-10"], ["week", "2024-11-03"], ["week", "2024-11-04"], ["day", "2024-05-05"],
      ["month", "2024-06-15"], ["month", "2024-03-01"], ["quarter", "2024-08-01"], ["quarter", "2024-12-31"],
    ];
    let nonEmpty = 0;
    await asUser(t.db, u.user.id, async (c) => {
      for (const [kind, onDate] of cases) {
        const { rows } = await c.query<Gfs>(gfsSql, [u.user.id, kind, onDate]);
        nonEmpty += expectGfs(rows[0]!, kind, onDate, () => true) > 1 ? 1 : 0;
      }
      // Today (2026 or later): no rollups, an empty score.
      const { rows } = await c.query<Gfs>(gfsSql, [u.user.id, "month", null]);
      expect(rows[0]!.score).toBeNull();
      expect(rows[0]!.coverage).toBe(0);
    });
    expect(nonEmpty).toBeGreaterThanOrEqual(5);

    // An inactive area leaves the score (in a transaction that is rolled back).
    const root = await t.db.root.connect();
    try {
      await root.query("begin");
      const gone = u.areas[0]!;
      await root.query("update app_public.life_areas set is_active = false where id = $1", [gone.id]);
      const { rows } = await root.query<Gfs>(gfsSql, [u.user.id, "quarter", "2024-08-01"]);
      expectGfs(rows[0]!, "quarter", "2024-08-01", (a) => a.id !== gone.id);
      expect(rows[0]!.areas.some((a) => a.area_id === gone.id)).toBe(false);
    } finally {
      await root.query("rollback");
      root.release();
    }
  });
});

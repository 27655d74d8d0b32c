// wellness_stats(days) and wellness_streak() against an independent reference
// in TypeScript (luxon for the user's today, exact integer arithmetic for the
// rounded averages). Asia/Kolkata, plus UTC+14 and UTC−11, so that at any hour
// of the day one of the users' local date differs from the UTC date.
// Set LIFEGRAPH_REF_SEED to replay; the seed is in the test names.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { DateTime } from "luxon";
import type pg from "pg";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { SEED, rand, randInt } from "../helpers/random.js";

const maybe = (x: number) => (rand() < 0.15 ? null : x);

const addDays = (iso: string, n: number) => DateTime.fromISO(iso, { zone: "utc" }).plus({ days: n }).toISODate()!;

// ---------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------
/** Values in integer units: sleep in hundredths of an hour, the rest as stored. */
interface Entry {
  day: string;
  sleep: number | null; water: number | null; exercise: number | null; meditation: number | null;
  mood: number | null; energy: number | null;
}
type Field = "sleep" | "water" | "exercise" | "meditation" | "mood" | "energy";
/** Column, its unit (stored value = integer / scale), and the decimals of the average. */
const FIELDS: [Field, string, number, number][] = [
  ["sleep", "avg_sleep_hours", 100, 2], ["water", "avg_water_ml", 1, 0], ["exercise", "avg_exercise_minutes", 1, 1],
  ["meditation", "avg_meditation_minutes", 1, 1], ["mood", "avg_mood", 1, 2], ["energy", "avg_energy", 1, 2],
];

/** round(sum / (count·scale), dp), half away from zero, in exact integer arithmetic (values are non-negative). */
function roundedMean(values: number[], scale: number, dp: number): number | null {
  if (values.length === 0) return null;
  const num = BigInt(values.reduce((s, v) => s + v, 0)) * 10n ** BigInt(dp);
  const den = BigInt(values.length * scale);
  return Number((2n * num + den) / (2n * den)) / 10 ** dp;
}

function referenceStats(entries: Entry[], today: string, days: number) {
  const first = addDays(today, -(days - 1));
  const inRange = entries.filter((e) => e.day >= first && e.day <= today);
  const out: Record<string, unknown> = { days, first_day: first, last_day: today, entries: inRange.length };
  for (const [field, column, scale, dp] of FIELDS) {
    out[column] = roundedMean(inRange.map((e) => e[field]).filter((v): v is number => v !== null), scale, dp);
  }
  return out;
}

/** Consecutive days with an entry, ending today, or yesterday when today has none. */
function referenceStreak(entries: Entry[], today: string): number {
  const days = new Set(entries.map((e) => e.day));
  let day = days.has(today) ? today : addDays(today, -1);
  let n = 0;
  while (days.has(day)) { n += 1; day = addDays(day, -1); }
  return n;
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------
const ZONES = ["Asia/Kolkata", "Pacific/Kiritimati", "Pacific/Pago_Pago"];
const t = useTestDatabase();
let people: { user: TestUser; tz: string }[];
const todayOf = (tz: string) => DateTime.now().setZone(tz).toISODate()!;

async function insertEntries(client: pg.PoolClient, entries: Entry[]): Promise<void> {
  if (entries.length === 0) return;
  const col = (f: (e: Entry) => unknown) => entries.map(f);
  const { rowCount } = await client.query(
    `insert into app_public.wellness_entries (entry_date, sleep_hours, water_ml, exercise_minutes, meditation_minutes, mood, energy)
     select * from unnest($1::date[], $2::numeric[], $3::int[], $4::int[], $5::int[], $6::smallint[], $7::smallint[])`,
    [col((e) => e.day), col((e) => (e.sleep === null ? null : (e.sleep / 100).toFixed(2))), col((e) => e.water), col((e) => e.exercise),
      col((e) => e.meditation), col((e) => e.mood), col((e) => e.energy)],
  );
  expect(rowCount).toBe(entries.length);
}

function randomEntry(day: string): Entry {
  return {
    day,
    sleep: maybe(randInt(0, 2400)), water: maybe(randInt(0, 4000)), exercise: maybe(randInt(0, 180)),
    meditation: maybe(randInt(0, 60)), mood: maybe(randInt(1, 10)), energy: maybe(randInt(1, 10)),
  };
}

type Pattern = "today" | "yesterday" | "stale" | "none" | "random";
function randomEntries(today: string, pattern: Pattern): Entry[] {
  if (pattern === "none") return [];
  const keep = new Map<number, boolean>();
  for (let i = 0; i <= 400; i++) keep.set(i, rand() < (i < 30 ? 0.85 : 0.4));
  if (pattern === "today") keep.set(0, true);
  if (pattern === "yesterday") { keep.set(0, false); keep.set(1, true); }
  if (pattern === "stale") { keep.set(0, false); keep.set(1, false); keep.set(2, true); }
  const entries: Entry[] = [];
  for (const [i, k] of keep) if (k) entries.push(randomEntry(addDays(today, -i)));
  return entries;
}

async function statsOf(client: pg.PoolClient, days: number) {
  const { rows } = await client.query(
    `select s.days, s.first_day::text, s.last_day::text, s.entries,
       ${FIELDS.map(([, column]) => `s.${column}::float8 as ${column}`).join(", ")}
     from app_public.wellness_stats($1) s`, [days],
  );
  return rows[0];
}

beforeAll(async () => {
  people = [];
  for (const tz of ZONES) {
    const user = await createUser(t.db, "ref_wellness");
    await t.db.root.query("update app_public.user_settings set timezone = $2 where user_id = $1", [user.id, tz]);
    people.push({ user, tz });
  }
});

describe(`wellness stats and streak vs the TypeScript reference (seed ${SEED})`, () => {
  for (const zone of ZONES) {
    for (const pattern of ["today", "yesterday", "stale", "none", "random"] as const) {
      it(`${zone}, entries ending ${pattern}: wellness_stats(days) and wellness_streak()`, async () => {
        const { user, tz } = people.find((p) => p.tz === zone)!;
        const today = todayOf(tz);
        const entries = randomEntries(today, pattern);
        await asUser(t.db, user.id, async (c) => {
          await insertEntries(c, entries);
          const { rows } = await c.query("select app_hidden.user_today(app_public.current_user_id())::text as today, app_public.wellness_streak() as streak");
          expect(rows[0].today).toBe(today);
          const streak = referenceStreak(entries, today);
          expect(rows[0].streak).toBe(streak);
          if (pattern === "stale" || pattern === "none") expect(streak).toBe(0);
          if (pattern === "today" || pattern === "yesterday") expect(streak).toBeGreaterThan(0);
          for (const days of [1, 2, 7, 30, 90, 366, randInt(3, 365)]) {
            expect({ days, ...(await statsOf(c, days)) }).toEqual({ days, ...referenceStats(entries, today, days) });
          }
        });
      });
    }
  }

  it("only the caller's own entries count, and days outside 1..366 are refused", async () => {
    const [a, b] = people;
    const today = todayOf(a!.tz);
    const mine = randomEntries(today, "today");
    // b has entries every day (committed, as root): a must not see them.
    await t.db.root.query("insert into app_public.wellness_entries (user_id, entry_date, mood) select $1, d::date, 3 from generate_series($2::date - 40, $2::date, '1 day') d",
      [b!.user.id, todayOf(b!.tz)]);
    await asUser(t.db, a!.user.id, async (c) => {
      await insertEntries(c, mine);
      expect((await c.query("select app_public.wellness_streak() as s")).rows[0].s).toBe(referenceStreak(mine, today));
      expect({ days: 30, ...(await statsOf(c, 30)) }).toEqual({ days: 30, ...referenceStats(mine, today, 30) });
      for (const days of [0, 367]) expect((await attempt(c, "select app_public.wellness_stats($1)", [days])).code).toBe("BADIN");
    });
    await t.db.root.query("delete from app_public.wellness_entries where user_id = $1", [b!.user.id]);
  });

  it("an entry dated ahead (allowed up to two days) is not part of today's streak nor of the stats", async () => {
    const { user, tz } = people.find((p) => p.tz === "Asia/Kolkata")!;
    const today = todayOf(tz);
    // A run ending yesterday, nothing today, and an entry for tomorrow.
    const entries = [5, 4, 3, 2, 1, -1].map((i) => randomEntry(addDays(today, -i)));
    await asUser(t.db, user.id, async (c) => {
      await insertEntries(c, entries);
      expect({ days: 7, ...(await statsOf(c, 7)) }).toEqual({ days: 7, ...referenceStats(entries, today, 7) });
      expect((await c.query("select app_public.wellness_streak() as s")).rows[0].s).toBe(referenceStreak(entries, today));
    });
  });
});

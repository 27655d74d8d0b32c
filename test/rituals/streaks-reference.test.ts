// Ritual slots and streaks against an independent reference written in
// TypeScript (luxon for time zones, never Postgres): random completions of
// daily, weekly, monthly and custom rituals, for users in two time zones,
// placed relative to the real current local date (the current streak
// depends on today). Set LIFEGRAPH_REF_SEED to replay; the seed is in the names.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { DateTime } from "luxon";
import { createUser, sqlState, useTestDatabase, type TestUser } from "../helpers/db.js";
import { SEED, rand, randInt, pick, shuffle } from "../helpers/random.js";


// ---------------------------------------------------------------------------
// The reference: calendar arithmetic on ISO dates, local days by luxon
// ---------------------------------------------------------------------------
type Cadence = "daily" | "weekly" | "monthly" | "custom";
const cal = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });
const addDays = (iso: string, n: number) => cal(iso).plus({ days: n }).toISODate()!;
const addMonths = (iso: string, n: number) => cal(iso).plus({ months: n }).toISODate()!;
const isoDow = (iso: string) => cal(iso).weekday; // 1 = Monday … 7 = Sunday
const localDay = (ms: number, tz: string) => DateTime.fromMillis(ms, { zone: tz }).toISODate()!;
const localMidnight = (day: string, tz: string) => DateTime.fromISO(day, { zone: tz }).startOf("day").toMillis();

function slotStart(cadence: Cadence, day: string): string {
  if (cadence === "weekly") return cal(day).startOf("week").toISODate()!; // ISO weeks
  if (cadence === "monthly") return cal(day).startOf("month").toISODate()!;
  return day;
}
function nextSlot(cadence: Cadence, dows: Set<number>, slot: string): string {
  if (cadence === "daily") return addDays(slot, 1);
  if (cadence === "weekly") return addDays(slot, 7);
  if (cadence === "monthly") return addMonths(slot, 1);
  let d = addDays(slot, 1);
  while (!dows.has(isoDow(d))) d = addDays(d, 1);
  return d;
}
function prevSlot(cadence: Cadence, dows: Set<number>, slot: string): string {
  if (cadence === "daily") return addDays(slot, -1);
  if (cadence === "weekly") return addDays(slot, -7);
  if (cadence === "monthly") return addMonths(slot, -1);
  let d = addDays(slot, -1);
  while (!dows.has(isoDow(d))) d = addDays(d, -1);
  return d;
}

interface Run { started_on: string; ended_on: string; length: number }

function referenceRuns(cadence: Cadence, dows: Set<number>, slots: Iterable<string>): Run[] {
  const runs: Run[] = [];
  for (const s of [...new Set(slots)].sort()) {
    const last = runs[runs.length - 1];
    if (last && nextSlot(cadence, dows, last.ended_on) === s) {
      last.ended_on = s;
      last.length += 1;
    } else {
      runs.push({ started_on: s, ended_on: s, length: 1 });
    }
  }
  return runs;
}

/** The last run is alive when it ends in the current slot or the one before; on a custom ritual's unscheduled day, at its latest scheduled day. */
function referenceCurrent(cadence: Cadence, dows: Set<number>, runs: Run[], today: string): number {
  const last = runs[runs.length - 1];
  if (!last) return 0;
  let alive: string[];
  if (cadence === "custom") {
    alive = dows.has(isoDow(today)) ? [today, prevSlot(cadence, dows, today)] : [prevSlot(cadence, dows, today)];
  } else {
    const current = slotStart(cadence, today);
    alive = [current, prevSlot(cadence, dows, current)];
  }
  return alive.includes(last.ended_on) ? last.length : 0;
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------
const ZONES = ["America/Toronto", "Asia/Kolkata"];
type Pattern = "current" | "previous" | "stale" | "random";

interface Completion { id?: string; ms: number; day: string; slot: string }
interface Ritual {
  id: string;
  userId: string;
  tz: string;
  cadence: Cadence;
  daysOfWeek: number[] | null;
  dows: Set<number>;
  pattern: Pattern;
  completions: Map<string, Completion>;
}

const t = useTestDatabase();
let people: { user: TestUser; tz: string; today: string }[];
const rituals: Ritual[] = [];
const NOW = Date.now();

/** A random instant on a local day, often right by midnight, never later than now. */
function instantOn(day: string, tz: string): number {
  const start = localMidnight(day, tz);
  const end = Math.min(localMidnight(addDays(day, 1), tz), NOW - 60_000);
  if (end <= start) return start;
  const r = rand();
  if (r < 0.15) return Math.min(end - 1, start + pick([0, 1, 1000, 60_000]));
  if (r < 0.3) return Math.max(start, end - pick([1, 1000, 60_000]));
  return start + Math.floor(rand() * (end - start));
}

async function createRitual(userId: string, tz: string, cadence: Cadence, daysOfWeek: number[] | null, pattern: Pattern): Promise<Ritual> {
  const { rows } = await t.db.root.query<{ id: string }>(
    "insert into app_public.rituals (user_id, title, cadence, days_of_week) values ($1, $2, $3, $4::smallint[]) returning id",
    [userId, `${cadence} ${pattern} ${daysOfWeek ?? ""}`, cadence, daysOfWeek],
  );
  const ritual: Ritual = { id: rows[0]!.id, userId, tz, cadence, daysOfWeek, dows: new Set(daysOfWeek ?? []), pattern, completions: new Map() };
  rituals.push(ritual);
  return ritual;
}

/** Inserts completions as root (explicit user); checks the slot the trigger chose against the reference's. */
async function insertCompletions(ritual: Ritual, instants: number[]): Promise<void> {
  if (instants.length === 0) return;
  const { rows } = await t.db.root.query<{ id: string; note: string; slot_start: string }>(
    `insert into app_public.ritual_completions (ritual_id, user_id, completed_at, note)
     select $1, $2, * from unnest($3::timestamptz[], $4::text[]) returning id::text, note, slot_start::text`,
    [ritual.id, ritual.userId, instants.map((ms) => new Date(ms).toISOString()), instants.map((_, i) => `ref:${i}`)],
  );
  const wrong: string[] = [];
  for (const row of rows) {
    const ms = instants[Number(row.note.slice(4))]!;
    const day = localDay(ms, ritual.tz);
    const c: Completion = { id: row.id, ms, day, slot: slotStart(ritual.cadence, day) };
    if (row.slot_start !== c.slot) wrong.push(`${ritual.cadence} ${new Date(ms).toISOString()} (${ritual.tz}): slot ${row.slot_start}, expected ${c.slot}`);
    ritual.completions.set(row.id, c);
  }
  expect(wrong).toEqual([]);
  expect(rows).toHaveLength(instants.length);
}

/** The slots a ritual can be kept in, oldest first, up to the current one (the latest scheduled day, for custom). */
function candidateSlots(ritual: Ritual, today: string): string[] {
  const slots: string[] = [];
  if (ritual.cadence === "daily") for (let i = 120; i >= 0; i--) slots.push(addDays(today, -i));
  if (ritual.cadence === "weekly") for (let i = 60; i >= 0; i--) slots.push(addDays(slotStart("weekly", today), -7 * i));
  if (ritual.cadence === "monthly") for (let i = 26; i >= 0; i--) slots.push(addMonths(slotStart("monthly", today), -i));
  if (ritual.cadence === "custom") for (let i = 200; i >= 0; i--) if (ritual.dows.has(isoDow(addDays(today, -i)))) slots.push(addDays(today, -i));
  return slots;
}

/** A random day of a slot, not after today. */
function dayIn(cadence: Cadence, slot: string, today: string): string {
  const length = cadence === "weekly" ? 7 : cadence === "monthly" ? cal(slot).daysInMonth! : 1;
  const day = addDays(slot, randInt(0, length - 1));
  return day > today ? today : day;
}

interface DbRitual { id: string; current: number; longest: number; today: string; streaks: [string, string, number][] }

async function expectMatchesReference(subset: Ritual[] = rituals): Promise<{ runs: number; alive: number }> {
  const { rows } = await t.db.root.query<DbRitual>(
    `select r.id, app_public.rituals_current_streak(r) as current, app_public.rituals_longest_streak(r) as longest,
       app_hidden.user_today(r.user_id)::text as today,
       coalesce((select json_agg(json_build_array(s.started_on::text, s.ended_on::text, s.length) order by s.started_on)
         from app_public.ritual_streaks s where s.ritual_id = r.id), '[]') as streaks
     from app_public.rituals r where r.id = any($1::uuid[])`, [subset.map((r) => r.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const diffs: string[] = [];
  let runs = 0;
  let alive = 0;
  for (const ritual of subset) {
    const actual = byId.get(ritual.id)!;
    const today = people.find((p) => p.user.id === ritual.userId)!.today;
    const label = `${ritual.tz} ${ritual.cadence}${ritual.daysOfWeek ? ` [${ritual.daysOfWeek}]` : ""} ${ritual.pattern}`;
    if (actual.today !== today) diffs.push(`${label}: user_today ${actual.today}, luxon says ${today}`);
    const expected = referenceRuns(ritual.cadence, ritual.dows, [...ritual.completions.values()].map((c) => c.slot));
    const current = referenceCurrent(ritual.cadence, ritual.dows, expected, today);
    const longest = Math.max(0, ...expected.map((r) => r.length));
    runs += expected.length;
    if (current > 0) alive += 1;
    const got = actual.streaks.map(([started_on, ended_on, length]) => ({ started_on, ended_on, length }));
    if (JSON.stringify(got) !== JSON.stringify(expected)) diffs.push(`${label}: streaks ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    if (actual.longest !== longest) diffs.push(`${label}: longest ${actual.longest}, expected ${longest}`);
    if (actual.current !== current) diffs.push(`${label}: current ${actual.current}, expected ${current}`);
  }
  expect(diffs).toEqual([]);
  return { runs, alive };
}

beforeAll(async () => {
  people = [];
  for (const tz of ZONES) {
    const user = await createUser(t.db, "ref_rituals");
    await t.db.root.query("update app_public.user_settings set timezone = $2 where user_id = $1", [user.id, tz]);
    people.push({ user, tz, today: localDay(NOW, tz) });
  }
});

describe(`ritual streaks vs the TypeScript reference (seed ${SEED})`, () => {
  it("random completions of every cadence, in both zones: slots, streak rows, longest and current streaks", async () => {
    for (const { user, tz, today } of people) {
      const plans: { cadence: Cadence; days: number[] | null; pattern: Pattern }[] = [];
      for (const cadence of ["daily", "weekly", "monthly"] as const) {
        for (const pattern of ["current", "previous", "stale", "random"] as const) plans.push({ cadence, days: null, pattern });
      }
      // Custom: one schedule that includes today's weekday, one that does not; days in random order.
      const todayDow = isoDow(today);
      const others = shuffle([1, 2, 3, 4, 5, 6, 7].filter((d) => d !== todayDow));
      const withToday = shuffle([todayDow, ...others.slice(0, randInt(1, 3))]);
      const withoutToday = shuffle(others.slice(0, randInt(1, 4)));
      for (const pattern of ["current", "previous", "stale"] as const) plans.push({ cadence: "custom", days: withToday, pattern });
      for (const pattern of ["current", "previous", "random"] as const) plans.push({ cadence: "custom", days: withoutToday, pattern });

      for (const plan of plans) {
        const ritual = await createRitual(user.id, tz, plan.cadence, plan.days, plan.pattern);
        const candidates = candidateSlots(ritual, today);
        const keep = candidates.map(() => rand() < 0.75);
        const n = candidates.length;
        if (plan.pattern === "current") keep[n - 1] = true;
        if (plan.pattern === "previous") { keep[n - 1] = false; keep[n - 2] = true; }
        if (plan.pattern === "stale") { keep[n - 1] = false; keep[n - 2] = false; keep[n - 3] = true; }
        const instants = shuffle(candidates.filter((_, i) => keep[i]).map((slot) => instantOn(dayIn(plan.cadence, slot, today), tz)));
        // Most in one statement, the rest one at a time.
        const cut = Math.max(0, instants.length - 8);
        await insertCompletions(ritual, instants.slice(0, cut));
        for (const ms of instants.slice(cut)) await insertCompletions(ritual, [ms]);
      }
    }
    const { runs, alive } = await expectMatchesReference();
    // Not a vacuous comparison: many runs, and current streaks both alive and not.
    expect(runs).toBeGreaterThan(rituals.length * 3);
    expect(alive).toBeGreaterThanOrEqual(people.length * 5);
    expect(alive).toBeLessThan(rituals.length);
  });

  it("deleting a completion splits a streak, or shortens it", async () => {
    let splits = 0;
    for (const ritual of rituals) {
      const runs = referenceRuns(ritual.cadence, ritual.dows, [...ritual.completions.values()].map((c) => c.slot));
      const long = runs.filter((r) => r.length >= 3);
      const victims: Completion[] = [];
      if (long.length > 0) {
        const run = pick(long);
        const inside = [...ritual.completions.values()].filter((c) => c.slot > run.started_on && c.slot < run.ended_on);
        victims.push(pick(inside));
        splits += 1;
      }
      // The latest completion too, for half of them: the current streak shrinks or ends.
      const latest = [...ritual.completions.values()].sort((a, b) => (a.slot < b.slot ? -1 : 1)).pop();
      if (latest && rand() < 0.5 && !victims.includes(latest)) victims.push(latest);
      for (const c of victims) {
        const { rowCount } = await t.db.root.query("delete from app_public.ritual_completions where id = $1", [c.id]);
        expect(rowCount).toBe(1);
        ritual.completions.delete(c.id!);
      }
    }
    expect(splits).toBeGreaterThan(rituals.length / 2);
    await expectMatchesReference();
  });

  it("a custom ritual refuses a completion on an unscheduled local day (RSLOT), at both midnights", async () => {
    const randomCustom = rituals.filter((r) => r.cadence === "custom" && r.dows.size < 7);
    expect(randomCustom.length).toBeGreaterThan(0);
    for (const { user, tz, today } of people) {
      // A Monday-only ritual, and a Monday at least a week ago.
      const ritual = await createRitual(user.id, tz, "custom", [1], "random");
      let monday = addDays(today, -7);
      while (isoDow(monday) !== 1) monday = addDays(monday, -1);
      const at = (day: string, hour: number, minute: number) =>
        DateTime.fromISO(day, { zone: tz }).set({ hour, minute }).toMillis();
      // Right after Monday starts and right before it ends: accepted, in Monday's slot.
      await insertCompletions(ritual, [at(monday, 0, 15)]);
      const second = at(monday, 23, 45);
      expect(await sqlState(t.db.root.query(
        "insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, $3)",
        [ritual.id, user.id, new Date(second).toISOString()],
      ))).toBe("23505"); // one completion per slot
      // Right before Monday starts and right after it ends: unscheduled local days.
      for (const ms of [at(addDays(monday, -1), 23, 45), at(addDays(monday, 1), 0, 15)]) {
        expect(await sqlState(t.db.root.query(
          "insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, $3)",
          [ritual.id, user.id, new Date(ms).toISOString()],
        ))).toBe("RSLOT");
      }
    }
    // And a random unscheduled day of every random custom ritual.
    for (const ritual of randomCustom) {
      const today = people.find((p) => p.user.id === ritual.userId)!.today;
      let day = addDays(today, -randInt(1, 60));
      while (ritual.dows.has(isoDow(day))) day = addDays(day, -1);
      expect(await sqlState(t.db.root.query(
        "insert into app_public.ritual_completions (ritual_id, user_id, completed_at) values ($1, $2, $3)",
        [ritual.id, ritual.userId, new Date(instantOn(day, ritual.tz)).toISOString()],
      ))).toBe("RSLOT");
    }
    await expectMatchesReference();
  });

  it("a custom schedule that names a weekday twice still counts consecutive scheduled days", async () => {
    // days_of_week = {1, 1, 3} passes the check constraint; its scheduled days are Mondays and Wednesdays.
    const { user, tz, today } = people[0]!;
    const ritual = await createRitual(user.id, tz, "custom", [1, 1, 3], "current");
    const days: string[] = [];
    for (let i = 0; i <= 28; i++) if ([1, 3].includes(isoDow(addDays(today, -i)))) days.push(addDays(today, -i));
    await insertCompletions(ritual, days.map((d) => instantOn(d, tz)));
    const runs = referenceRuns("custom", ritual.dows, days);
    expect(runs).toHaveLength(1);
    await expectMatchesReference([ritual]);
  });
});

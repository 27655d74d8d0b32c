// Bad input to the life domain through the real gateway: each is refused
// with a stable code (docs/errors.md), never INTERNAL, and writes nothing;
// the valid variant of each goes through.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type GraphQLResponse, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
let a: Account;
let b: Account;

beforeAll(async () => {
  t = await startTestGateway();
  a = await signUp(t.url, "lvg_alice");
  b = await signUp(t.url, "lvg_bob");
});
afterAll(async () => {
  await t.close();
});

const count = async (table: string) =>
  (await t.db.root.query(`select count(*)::int as n from app_public.${table}`)).rows[0].n as number;

/** Runs `request` and asserts that the table's row count did not change. */
async function writesNothing(table: string, request: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> {
  const before = await count(table);
  const response = await request();
  expect(await count(table)).toBe(before);
  return response;
}

const refusal = (response: GraphQLResponse) =>
  (response.errors ?? []).map((e) => ({ code: e.extensions?.code, constraint: e.extensions?.constraint }));

describe("recordScore", () => {
  const RECORD = `mutation ($score: BigFloat!) {
    recordScore(input: { areaCode: "HLT", score: $score, scoreDate: "2024-03-01" }) { result { rowId score } }
  }`;

  it.each(["5.5", "-1", "12", "1000"])("refuses %s with BADIN score_range and writes nothing", async (score) => {
    const response = await writesNothing("scores", () => graphql(t.url, RECORD, { score }, a.token));
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "score_range" }]);
    expect(response.data?.recordScore ?? null).toBeNull();
  });

  it("refuses a second decimal (4.55) rather than rounding it, and writes nothing", async () => {
    const response = await writesNothing("scores", () => graphql(t.url, RECORD, { score: "4.55" }, a.token));
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "score_one_decimal" }]);
  });

  it("records a score within 0-5", async () => {
    const response = await graphql(t.url, RECORD, { score: "4.5" }, a.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.recordScore.result.score).toBe("4.5");
    const { rows } = await t.db.root.query("select score from app_public.scores where user_id = $1", [a.id]);
    expect(rows).toEqual([{ score: "4.5" }]);
  });
});

describe("wellness entries", () => {
  const CREATE = `mutation { createWellnessEntry(input: { wellnessEntry: { entryDate: "2024-03-01", mood: 6 } }) { wellnessEntry { rowId } } }`;

  it("accept one entry a day and refuse a second with NUNIQ wellness_entry_once_per_day", async () => {
    const first = await graphql(t.url, CREATE, {}, a.token);
    expect(first.errors).toBeUndefined();
    expect(first.data.createWellnessEntry.wellnessEntry.rowId).toEqual(expect.any(String));
    const second = await writesNothing("wellness_entries", () => graphql(t.url, CREATE, {}, a.token));
    expect(refusal(second)).toEqual([{ code: "NUNIQ", constraint: "wellness_entry_once_per_day" }]);
    // The same day is free for another user.
    expect((await graphql(t.url, CREATE, {}, b.token)).errors).toBeUndefined();
  });
});

describe("user settings", () => {
  const UPDATE = `mutation ($user: UUID!, $tz: String!) {
    updateUserSetting(input: { userId: $user, patch: { timezone: $tz } }) { userSetting { timezone } }
  }`;
  const timezone = async () =>
    (await t.db.root.query("select timezone from app_public.user_settings where user_id = $1", [a.id])).rows[0].timezone;

  it("refuse an unknown time zone with BADIN timezone_known and keep the old one", async () => {
    const before = await timezone();
    const response = await graphql(t.url, UPDATE, { user: a.id, tz: "Mars/Olympus_Mons" }, a.token);
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "timezone_known" }]);
    expect(await timezone()).toBe(before);
  });

  it("accept a known time zone", async () => {
    const response = await graphql(t.url, UPDATE, { user: a.id, tz: "Asia/Tokyo" }, a.token);
    expect(response.data.updateUserSetting.userSetting).toEqual({ timezone: "Asia/Tokyo" });
    expect(await timezone()).toBe("Asia/Tokyo");
  });
});

describe("setAreaWeights", () => {
  const SET = `mutation ($codes: [String]!, $weights: [BigFloat]!) {
    setAreaWeights(input: { areaCodes: $codes, weights: $weights }) { result { area { code } weight } }
  }`;
  const weights = async () => (await t.db.root.query(
    "select a.code, w.weight from app_public.user_area_weights w join app_public.life_areas a on a.id = w.area_id where w.user_id = $1 order by a.code",
    [b.id],
  )).rows;

  it("saves weights that keep the sum at 1", async () => {
    // WRK and PUR default to 0.08 each: 0.10 + 0.06 keeps the total.
    const response = await graphql(t.url, SET, { codes: ["WRK", "PUR"], weights: ["0.10", "0.06"] }, b.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.setAreaWeights.result).toEqual(expect.arrayContaining([
      { area: { code: "WRK" }, weight: "0.10000" }, { area: { code: "PUR" }, weight: "0.06000" },
    ]));
    expect(await weights()).toEqual([{ code: "PUR", weight: "0.06000" }, { code: "WRK", weight: "0.10000" }]);
  });

  it("refuses weights that do not sum to 1 with WEIGH and keeps the saved ones", async () => {
    const before = await weights();
    expect(before).toHaveLength(2);
    const response = await graphql(t.url, SET, { codes: ["WRK"], weights: ["0.5"] }, b.token);
    expect(errorCodes(response)).toEqual(["WEIGH"]);
    expect(await weights()).toEqual(before);
  });
});

describe("journal entries", () => {
  const CREATE = `mutation ($date: Date) { createJournalEntry(input: { journalEntry: { contentMd: "Hello", entryDate: $date } }) { journalEntry { rowId entryDate } } }`;

  it("refuse a day far in the future with BADIN entry_date_not_future", async () => {
    const response = await writesNothing("journal_entries", () => graphql(t.url, CREATE, { date: "2999-01-01" }, a.token));
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "entry_date_not_future" }]);
  });

  it("accept today (by default)", async () => {
    const response = await graphql(t.url, CREATE, {}, a.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.createJournalEntry.journalEntry.entryDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe("ritual completions", () => {
  const RITUAL = `mutation ($input: RitualInput!) { createRitual(input: { ritual: $input }) { ritual { rowId } } }`;
  const COMPLETE = `mutation ($ritual: UUID!, $at: Datetime!) {
    createRitualCompletion(input: { ritualCompletion: { ritualId: $ritual, completedAt: $at } }) { ritualCompletion { rowId slotStart } }
  }`;
  const ritual = async (token: string, input: Record<string, unknown>) => {
    const response = await graphql(t.url, RITUAL, { input }, token);
    expect(response.errors).toBeUndefined();
    return response.data.createRitual.ritual.rowId as string;
  };
  let daily: string;
  beforeAll(async () => {
    daily = await ritual(a.token, { title: "Meditate" });
  });

  it("accept one completion a slot and refuse a second with NUNIQ ritual_completion_once_per_slot", async () => {
    // A's time zone is UTC or Asia/Tokyo (see user settings): both times fall on 2024-03-01 in either.
    const first = await graphql(t.url, COMPLETE, { ritual: daily, at: "2024-03-01T01:00:00Z" }, a.token);
    expect(first.data.createRitualCompletion.ritualCompletion.slotStart).toBe("2024-03-01");
    const second = await writesNothing("ritual_completions",
      () => graphql(t.url, COMPLETE, { ritual: daily, at: "2024-03-01T10:00:00Z" }, a.token));
    expect(refusal(second)).toEqual([{ code: "NUNIQ", constraint: "ritual_completion_once_per_slot" }]);
  });

  it("refuse completing someone else's ritual with NOFND (the composite foreign key)", async () => {
    const response = await writesNothing("ritual_completions",
      () => graphql(t.url, COMPLETE, { ritual: daily, at: "2024-03-02T08:00:00Z" }, b.token));
    expect(refusal(response)).toEqual([{ code: "NOFND", constraint: "ritual_completions_ritual_id_user_id_fkey" }]);
  });

  it("refuse a custom ritual on an unscheduled day with RSLOT, accept it on a scheduled one", async () => {
    const mondays = await ritual(a.token, { title: "Long run", cadence: "custom", daysOfWeek: [1] });
    // 2024-01-02 was a Tuesday, 2024-01-01 a Monday; 06:00 UTC is the same day in UTC and in Asia/Tokyo.
    const tuesday = await writesNothing("ritual_completions",
      () => graphql(t.url, COMPLETE, { ritual: mondays, at: "2024-01-02T06:00:00Z" }, a.token));
    expect(errorCodes(tuesday)).toEqual(["RSLOT"]);
    const monday = await graphql(t.url, COMPLETE, { ritual: mondays, at: "2024-01-01T06:00:00Z" }, a.token);
    expect(monday.errors).toBeUndefined();
    expect(monday.data.createRitualCompletion.ritualCompletion.slotStart).toBe("2024-01-01");
  });
});

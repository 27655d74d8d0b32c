// Wellness through the real gateway, as an app uses it: a day's entry and the
// stats and streak over the user's own days.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";

// "Today" is the user's: a time zone away from UTC.
const session = withSignedIn(["wellness_api"], { timezone: "America/Toronto" });

describe("wellness over GraphQL", () => {
  it("summarises wellness in the user's time zone", async () => {
    const { gw, gql } = session();
    const { rows } = await gw.db.root.query("select (now() at time zone 'America/Toronto')::date::text as today");
    const today = rows[0].today;
    const created = await gql(`mutation ($d: Date!) { createWellnessEntry(input: { wellnessEntry: { entryDate: $d, sleepHours: "7.5", mood: 8 } }) { wellnessEntry { rowId } } }`, { d: today });
    expect(created.errors).toBeUndefined();
    const { data } = await gql(`{ wellnessStats(days: 7) { entries avgSleepHours avgMood lastDay } wellnessStreak }`);
    expect(data).toEqual({ wellnessStats: { entries: 1, avgSleepHours: "7.50", avgMood: "8.00", lastDay: today }, wellnessStreak: 1 });
  });
});

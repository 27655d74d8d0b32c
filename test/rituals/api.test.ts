// Rituals through the real gateway, as an app uses them: a streak counted from
// completions, one completion a slot.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";

// Slots are the user's days: a time zone away from UTC.
const session = withSignedIn(["rituals_api"], { timezone: "America/Toronto" });

describe("rituals over GraphQL", () => {
  it("counts a ritual streak from completions, and refuses a second completion in the slot", async () => {
    const { gql } = session();
    const ritual = await gql(`mutation { createRitual(input: { ritual: { title: "Stretch", cadence: daily } }) { ritual { rowId } } }`);
    const ritualId = ritual.data.createRitual.ritual.rowId;
    const complete = (at: string) => gql(`mutation ($r: UUID!, $at: Datetime!) {
      createRitualCompletion(input: { ritualCompletion: { ritualId: $r, completedAt: $at } }) { ritualCompletion { slotStart } } }`, { r: ritualId, at });
    const now = Date.now();
    for (const daysAgo of [2, 1, 0]) expect((await complete(new Date(now - daysAgo * 86_400_000).toISOString())).errors).toBeUndefined();
    const again = await complete(new Date(now).toISOString());
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "NUNIQ", constraint: "ritual_completion_once_per_slot" });
    const { data } = await gql(`query ($r: UUID!) { ritual(rowId: $r) { currentStreak longestStreak streaks { nodes { length } } } }`, { r: ritualId });
    expect(data.ritual).toEqual({ currentStreak: 3, longestStreak: 3, streaks: { nodes: [{ length: 3 }] } });
  });
});

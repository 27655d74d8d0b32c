// Bad ritual completions through the real gateway: each is refused with a
// stable code (docs/errors.md), never INTERNAL, and writes nothing; the valid
// variant of each goes through.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, refusal, withSignedIn, writesNothing } from "../helpers/gateway.js";

const session = withSignedIn(["riv_alice", "riv_bob"]);

describe("ritual completions", () => {
  const RITUAL = `mutation ($input: RitualInput!) { createRitual(input: { ritual: $input }) { ritual { rowId } } }`;
  const COMPLETE = `mutation ($ritual: UUID!, $at: Datetime!) {
    createRitualCompletion(input: { ritualCompletion: { ritualId: $ritual, completedAt: $at } }) { ritualCompletion { rowId slotStart } }
  }`;
  const ritual = async (token: string, input: Record<string, unknown>) => {
    const response = await graphql(session().gw.url, RITUAL, { input }, token);
    expect(response.errors).toBeUndefined();
    return response.data.createRitual.ritual.rowId as string;
  };
  let daily: string;
  beforeAll(async () => {
    daily = await ritual(session().accounts[0].token, { title: "Meditate" });
  });

  it("accept one completion a slot and refuse a second with NUNIQ ritual_completion_once_per_slot", async () => {
    const { gw: t, accounts: [a] } = session();
    // A's time zone is UTC (the default): both times fall on 2024-03-01.
    const first = await graphql(t.url, COMPLETE, { ritual: daily, at: "2024-03-01T01:00:00Z" }, a.token);
    expect(first.data.createRitualCompletion.ritualCompletion.slotStart).toBe("2024-03-01");
    const second = await writesNothing(t.db, "ritual_completions",
      () => graphql(t.url, COMPLETE, { ritual: daily, at: "2024-03-01T10:00:00Z" }, a.token));
    expect(refusal(second)).toEqual([{ code: "NUNIQ", constraint: "ritual_completion_once_per_slot" }]);
  });

  it("refuse completing someone else's ritual with NOFND (the composite foreign key)", async () => {
    const { gw: t, accounts: [, b] } = session();
    const response = await writesNothing(t.db, "ritual_completions",
      () => graphql(t.url, COMPLETE, { ritual: daily, at: "2024-03-02T08:00:00Z" }, b.token));
    expect(refusal(response)).toEqual([{ code: "NOFND", constraint: "ritual_completions_ritual_id_user_id_fkey" }]);
  });

  it("refuse a custom ritual on an unscheduled day with RSLOT, accept it on a scheduled one", async () => {
    const { gw: t, accounts: [a] } = session();
    const mondays = await ritual(a.token, { title: "Long run", cadence: "custom", daysOfWeek: [1] });
    // 2024-01-02 was a Tuesday, 2024-01-01 a Monday; A's days are UTC's (the default time zone).
    const tuesday = await writesNothing(t.db, "ritual_completions",
      () => graphql(t.url, COMPLETE, { ritual: mondays, at: "2024-01-02T06:00:00Z" }, a.token));
    expect(errorCodes(tuesday)).toEqual(["RSLOT"]);
    const monday = await graphql(t.url, COMPLETE, { ritual: mondays, at: "2024-01-01T06:00:00Z" }, a.token);
    expect(monday.errors).toBeUndefined();
    expect(monday.data.createRitualCompletion.ritualCompletion.slotStart).toBe("2024-01-01");
  });
});

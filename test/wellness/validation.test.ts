// Bad wellness entries through the real gateway: refused with a stable code
// (docs/errors.md), never INTERNAL, and writing nothing; the valid variant goes through.
import { describe, expect, it } from "@jest/globals";
import { graphql, refusal, withSignedIn, writesNothing } from "../helpers/gateway.js";

const session = withSignedIn(["wev_alice", "wev_bob"]);

describe("wellness entries", () => {
  const CREATE = `mutation { createWellnessEntry(input: { wellnessEntry: { entryDate: "2024-03-01", mood: 6 } }) { wellnessEntry { rowId } } }`;

  it("accept one entry a day and refuse a second with NUNIQ wellness_entry_once_per_day", async () => {
    const { gw: t, accounts: [a, b] } = session();
    const first = await graphql(t.url, CREATE, {}, a.token);
    expect(first.errors).toBeUndefined();
    expect(first.data.createWellnessEntry.wellnessEntry.rowId).toEqual(expect.any(String));
    const second = await writesNothing(t.db, "wellness_entries", () => graphql(t.url, CREATE, {}, a.token));
    expect(refusal(second)).toEqual([{ code: "NUNIQ", constraint: "wellness_entry_once_per_day" }]);
    // The same day is free for another user.
    expect((await graphql(t.url, CREATE, {}, b.token)).errors).toBeUndefined();
  });
});

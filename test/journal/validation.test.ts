// Bad journal entries through the real gateway: refused with a stable code
// (docs/errors.md), never INTERNAL, and writing nothing; the valid variant goes through.
import { describe, expect, it } from "@jest/globals";
import { graphql, refusal, withSignedIn, writesNothing } from "../helpers/gateway.js";

const session = withSignedIn(["jnv_alice"]);

describe("journal entries", () => {
  const CREATE = `mutation ($date: Date) { createJournalEntry(input: { journalEntry: { contentMd: "Hello", entryDate: $date } }) { journalEntry { rowId entryDate } } }`;

  it("refuse a day far in the future with BADIN entry_date_not_future", async () => {
    const { gw: t, accounts: [a] } = session();
    const response = await writesNothing(t.db, "journal_entries", () => graphql(t.url, CREATE, { date: "2999-01-01" }, a.token));
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "entry_date_not_future" }]);
  });

  it("accept today (by default)", async () => {
    const { gw: t, accounts: [a] } = session();
    const response = await graphql(t.url, CREATE, {}, a.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.createJournalEntry.journalEntry.entryDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

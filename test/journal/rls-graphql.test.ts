// Row-level security of the journal through the real gateway: B's connections,
// lookups and mutations never reach A's entries or the areas they are about;
// A's own do. (In SQL: rls.test.ts.)
import { describe, expect, it } from "@jest/globals";
import { graphql } from "../helpers/gateway.js";
import { describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

const users = withSeededUsers();

const UPDATE = `mutation ($id: UUID!) { updateJournalEntry(input: { rowId: $id, patch: { title: "Hacked" } }) { journalEntry { rowId } } }`;

describeGraphqlRls({
  connections: { journalEntries: "journal_entries", journalEntryAreas: "journal_entry_areas" },
  lookups: [{ field: "journalEntry", table: "journal_entries", title: "Private" }],
  profile: ["journalEntries"],
  updates: [{ name: "updateJournalEntry", table: "journal_entries", query: UPDATE }],
  deletes: [
    { name: "deleteJournalEntry", table: "journal_entries", query: `mutation ($id: UUID!) { deleteJournalEntry(input: { rowId: $id }) { journalEntry { rowId } } }` },
  ],
}, users);

describe("mutations on A's rows by B", () => {
  it("the same update by A goes through (the mutation is not simply inert)", async () => {
    const { t, a, aRows } = users();
    const response = await graphql(t.url, UPDATE, { id: aRows.journal_entries!.id }, a.token);
    expect(response.data.updateJournalEntry.journalEntry).toEqual({ rowId: aRows.journal_entries!.id });
    const { rows } = await t.db.root.query("select title from app_public.journal_entries where id = $1", [aRows.journal_entries!.id]);
    expect(rows).toEqual([{ title: "Hacked" }]);
    aRows.journal_entries = (await t.db.root.query("select * from app_public.journal_entries where id = $1", [aRows.journal_entries!.id])).rows[0];
  });
});

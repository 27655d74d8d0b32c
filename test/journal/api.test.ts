// The journal through the real gateway, as an app uses it: an entry written
// without a sentiment, which the worker then analyses.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";

const session = withSignedIn(["journal_api"]);

describe("the journal over GraphQL", () => {
  it("writes a journal entry that the worker analyses", async () => {
    const { gw, gql } = session();
    const entry = await gql(`mutation { createJournalEntry(input: { journalEntry: { entryDate: "2024-05-14", contentMd: "A wonderful, happy day.", tags: ["joy"] } }) { journalEntry { rowId sentiment } } }`);
    expect(entry.data.createJournalEntry.journalEntry.sentiment).toBeNull();
    await runQueuedJobs(gw.db);
    const { data } = await gql(`{ journalEntries { nodes { sentiment summary } } }`);
    expect(Number(data.journalEntries.nodes[0].sentiment)).toBeGreaterThan(0.3);
  });
});

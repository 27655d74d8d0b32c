// Reviews through the real gateway, as an app uses them: a review generated on
// request, with the period's journal highlights.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";

// Periods are the user's days: a time zone away from UTC.
const session = withSignedIn(["reviews_api"], { timezone: "America/Toronto" });

describe("reviews over GraphQL", () => {
  it("writes a review on request, with the period's journal highlights", async () => {
    const { gw, gql } = session();
    // Highlights come from analysed entries of the period: write one and let the worker analyse it.
    const entry = await gql(`mutation { createJournalEntry(input: { journalEntry: { entryDate: "2024-05-14", contentMd: "A wonderful, happy day.", tags: ["joy"] } }) { journalEntry { rowId } } }`);
    expect(entry.errors).toBeUndefined();
    await runQueuedJobs(gw.db);
    const asked = await gql(`mutation { generateReview(input: { kind: monthly, periodStart: "2024-05-01" }) { result } }`);
    expect(asked.data.generateReview.result).toBe(true);
    await runQueuedJobs(gw.db);
    const { data } = await gql(`{ reviews { nodes { kind periodStart gfs journalHighlights } } }`);
    expect(data.reviews.nodes).toEqual([expect.objectContaining({ kind: "monthly", periodStart: "2024-05-01" })]);
    expect(data.reviews.nodes[0].journalHighlights[0].summary).toBe("A wonderful, happy day.");
  });
});

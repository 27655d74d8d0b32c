// Row-level security of wellness through the real gateway: B's connections,
// lookups and mutations never reach A's entries, module progress or coaching
// conversations, nor can B post into A's conversation; A's own requests do.
// (In SQL: rls.test.ts.)
import { describe, expect, it } from "@jest/globals";
import { errorCodes, graphql } from "../helpers/gateway.js";
import { countOf, describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

const users = withSeededUsers();

describeGraphqlRls({
  connections: {
    wellnessEntries: "wellness_entries",
    coachingConversations: "coaching_conversations",
    coachingMessages: "coaching_messages",
    moduleProgresses: "module_progress",
  },
  profile: ["wellnessEntries"],
  updates: [
    { name: "updateWellnessEntry", table: "wellness_entries", query: `mutation ($id: UUID!) { updateWellnessEntry(input: { rowId: $id, patch: { mood: 1 } }) { wellnessEntry { rowId } } }` },
  ],
  deletes: [
    { name: "deleteWellnessEntry", table: "wellness_entries", query: `mutation ($id: UUID!) { deleteWellnessEntry(input: { rowId: $id }) { wellnessEntry { rowId } } }` },
  ],
}, users);

describe("mutations on A's rows by B", () => {
  it("B cannot post into A's coaching conversation (NOFND)", async () => {
    const { t, a, b, aRows } = users();
    const before = await countOf(t, "coaching_messages", a.id) + await countOf(t, "coaching_messages", b.id);
    const message = await graphql(t.url, `mutation ($conversation: UUID!) {
      createCoachingMessage(input: { coachingMessage: { conversationId: $conversation, content: "Intruder" } }) { coachingMessage { rowId } }
    }`, { conversation: aRows.coaching_conversations!.id }, b.token);
    expect(errorCodes(message)).toEqual(["NOFND"]);
    expect(await countOf(t, "coaching_messages", a.id) + await countOf(t, "coaching_messages", b.id)).toBe(before);
    const { rows } = await t.db.root.query("select message_count from app_public.coaching_conversations where id = $1", [aRows.coaching_conversations!.id]);
    // The seeded message only: B's attempt was not counted.
    expect(rows).toEqual([{ message_count: 1 }]);
  });
});

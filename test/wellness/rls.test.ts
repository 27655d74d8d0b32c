// Row-level security of wellness: daily entries, module progress, coaching
// conversations and their messages belong to their user alone.
import { describe, expect, it } from "@jest/globals";
import { asUser } from "../helpers/db.js";
import { describeOwnedTable, insertRow, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("wel");
const conversation = async (userId: string) =>
  (await insertRow(users().db, "coaching_conversations", { user_id: userId, title: "Sleep trouble" })).id;

describeOwnedTable({
  table: "wellness_entries",
  seed: (userId) => ({ user_id: userId, entry_date: "2024-03-01", sleep_hours: 6.5, mood: 4 }),
  insert: () => ({ entry_date: "2024-03-02", mood: 7 }),
  update: ["mood", 9],
}, users);

describeOwnedTable({
  table: "module_progress",
  seed: (userId) => ({ user_id: userId, module_name: "sleep", progress_percent: 20 }),
  insert: () => ({ module_name: "nutrition" }),
  update: ["progress_percent", 55],
}, users);

describeOwnedTable({
  table: "coaching_conversations",
  seed: (userId) => ({ user_id: userId, title: "About my father" }),
  insert: () => ({ title: "About work" }),
  update: ["title", "About my mother"],
}, users);

describeOwnedTable({
  table: "coaching_messages",
  seed: async (userId) => ({ conversation_id: await conversation(userId), user_id: userId, content: "I feel stuck." }),
  insert: async (userId) => ({ conversation_id: await conversation(userId), content: "Hello coach" }),
  // Messages are never edited.
  update: "denied",
  // B cannot post into A's conversation.
  hijack: (aRow) => ({ conversation_id: aRow.conversation_id, content: "Intruder here" }),
}, users);

describe("wellness averages", () => {
  it("the visitor's helper averages only rows the caller may see", async () => {
    const { db, a, b } = users();
    await insertRow(db, "wellness_entries", { user_id: a.id, entry_date: "2024-05-01", mood: 8 });
    const stats = (userId: string) => asUser(db, userId, async (c) =>
      (await c.query("select entries, avg_mood from app_hidden.wellness_stats_for($1, '2024-05-01', '2024-05-31')", [a.id])).rows[0]);
    expect(await stats(a.id)).toEqual({ entries: 1, avg_mood: "8.00" });
    expect(await stats(b.id)).toEqual({ entries: 0, avg_mood: null });
  });
});

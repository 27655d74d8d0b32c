// Row-level security of the journal: entries and the areas they are about
// belong to their writer alone.
import { beforeAll } from "@jest/globals";
import { describeOwnedTable, insertRow, lifeAreaIds, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("jrn");
let area: Record<string, number>;
beforeAll(async () => {
  area = await lifeAreaIds(users().db);
});

const entry = async (userId: string) =>
  (await insertRow(users().db, "journal_entries", { user_id: userId, content_md: "Dear diary" })).id;

describeOwnedTable({
  table: "journal_entries",
  seed: (userId) => ({ user_id: userId, title: "Private", content_md: `Secret of ${userId}` }),
  insert: () => ({ content_md: "A new day" }),
  update: ["title", "Changed"],
}, users);

describeOwnedTable({
  table: "journal_entry_areas",
  key: ["entry_id", "area_id"],
  seed: async (userId) => ({ entry_id: await entry(userId), user_id: userId, area_id: area.WRK }),
  insert: async (userId) => ({ entry_id: await entry(userId), area_id: area.HLT }),
  // Links are added and removed, never edited.
  update: "denied",
  // B cannot tag A's entry.
  hijack: (aRow) => ({ entry_id: aRow.entry_id, area_id: area.FAM }),
}, users);

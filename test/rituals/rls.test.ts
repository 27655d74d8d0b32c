// Row-level security of rituals: B can neither see A's rituals nor complete
// one; streaks are kept by the database and only readable by their owner.
import { describeOwnedTable, insertRow, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("rit");
const ritual = async (userId: string) => (await insertRow(users().db, "rituals", { user_id: userId, title: "Meditate" })).id;

describeOwnedTable({
  table: "rituals",
  seed: (userId) => ({ user_id: userId, title: "Morning pages" }),
  insert: () => ({ title: "Evening walk", cadence: "weekly" }),
  update: ["title", "Morning run"],
}, users);

describeOwnedTable({
  table: "ritual_completions",
  // The slot is placed by a trigger.
  seed: async (userId) => ({ ritual_id: await ritual(userId), user_id: userId, completed_at: "2024-03-01T12:00:00Z" }),
  insert: async (userId) => ({ ritual_id: await ritual(userId), completed_at: "2024-03-02T12:00:00Z" }),
  update: ["note", "Felt good"],
  // B cannot complete A's ritual.
  hijack: (aRow) => ({ ritual_id: aRow.ritual_id, completed_at: "2024-03-03T12:00:00Z" }),
}, users);

describeOwnedTable({
  table: "ritual_streaks",
  key: ["ritual_id", "started_on"],
  seed: async (userId) => ({
    ritual_id: await ritual(userId), user_id: userId, started_on: "2024-03-01", ended_on: "2024-03-03", length: 3, last_slot: 8824,
  }),
  // Kept by the database from completions.
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

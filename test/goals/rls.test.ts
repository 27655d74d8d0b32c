// Row-level security of goals and key results: B can neither see A's goals
// nor attach a key result to one.
import { describeOwnedTable, insertRow, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("gol");
const goal = async (userId: string) => (await insertRow(users().db, "goals", { user_id: userId, title: "Run a marathon" })).id;

describeOwnedTable({
  table: "goals",
  seed: (userId) => ({ user_id: userId, title: "Learn the cello", progress: 10 }),
  insert: () => ({ title: "Write a book" }),
  update: ["title", "Learn the viola"],
}, users);

describeOwnedTable({
  table: "key_results",
  seed: async (userId) => ({ goal_id: await goal(userId), user_id: userId, title: "10 km", target_value: 10 }),
  insert: async (userId) => ({ goal_id: await goal(userId), title: "21 km", target_value: 21 }),
  update: ["current_value", 5],
  // B cannot attach a key result to A's goal.
  hijack: (aRow) => ({ goal_id: aRow.goal_id, title: "Sabotage", target_value: 1 }),
}, users);

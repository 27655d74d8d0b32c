// Row-level security of relationships and the interactions log.
import { describeOwnedTable, insertRow, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("rel");
const relationship = async (userId: string) =>
  (await insertRow(users().db, "relationships", { user_id: userId, person_name: "Grandma" })).id;

describeOwnedTable({
  table: "relationships",
  seed: (userId) => ({ user_id: userId, person_name: "Ann", kind: "friend", quality: 6 }),
  insert: () => ({ person_name: "Bob", kind: "colleague" }),
  update: ["quality", 9],
}, users);

describeOwnedTable({
  table: "relationship_interactions",
  seed: async (userId) => ({ relationship_id: await relationship(userId), user_id: userId, kind: "call", note: "Long talk" }),
  insert: async (userId) => ({ relationship_id: await relationship(userId), kind: "visit" }),
  update: ["note", "Short talk"],
  // B cannot log a contact with A's people.
  hijack: (aRow) => ({ relationship_id: aRow.relationship_id, kind: "message" }),
}, users);

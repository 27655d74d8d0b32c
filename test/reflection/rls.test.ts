// Row-level security of the reflection logs and the autobiography.
import { describeOwnedTable, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("rfl");

describeOwnedTable({
  table: "integrity_logs",
  seed: (userId) => ({ user_id: userId, commitment: "Call mum on Sunday", made_to: "Mum" }),
  insert: () => ({ commitment: "Finish the report" }),
  update: ["outcome", "kept"],
}, users);

describeOwnedTable({
  table: "forgiveness_logs",
  seed: (userId) => ({ user_id: userId, subject: "My old boss", reflection_md: "Still angry." }),
  insert: () => ({ subject: "Myself" }),
  update: ["status", "working"],
}, users);

describeOwnedTable({
  table: "autobiography_chapters",
  seed: (userId) => ({ user_id: userId, title: "Childhood", content_md: "I was born…" }),
  insert: () => ({ title: "Student years" }),
  update: ["title", "Early years"],
}, users);

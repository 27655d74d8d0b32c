// Row-level security of reviews: written by the worker; the owner may read
// and delete them, nobody else sees them.
import { describeOwnedTable, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("rvw");

describeOwnedTable({
  table: "reviews",
  seed: (userId) => ({
    user_id: userId, kind: "monthly", period_start: "2024-03-01", period_end: "2024-03-31", gfs: 0.7,
    journal_highlights: JSON.stringify([{ title: "A private highlight" }]),
  }),
  insert: "denied",
  update: "denied",
}, users);

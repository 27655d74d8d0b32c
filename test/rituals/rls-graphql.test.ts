// Row-level security of rituals through the real gateway: B's connections and
// mutations never reach A's rituals, completions or streaks; A's own requests
// do. (In SQL: rls.test.ts.)
import { describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

describeGraphqlRls({
  connections: { rituals: "rituals", ritualCompletions: "ritual_completions", ritualStreaks: "ritual_streaks" },
  updates: [
    { name: "updateRitual", table: "rituals", query: `mutation ($id: UUID!) { updateRitual(input: { rowId: $id, patch: { title: "Hacked" } }) { ritual { rowId } } }` },
  ],
  deletes: [
    { name: "deleteRitual", table: "rituals", query: `mutation ($id: UUID!) { deleteRitual(input: { rowId: $id }) { ritual { rowId } } }` },
  ],
}, withSeededUsers());

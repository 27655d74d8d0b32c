// Row-level security of goals and key results through the real gateway: B's
// connections, lookups and mutations never reach A's goals, nor can B attach
// a key result to one; A's own requests do. (In SQL: rls.test.ts.)
import { describe, expect, it } from "@jest/globals";
import { errorCodes, graphql } from "../helpers/gateway.js";
import { countOf, describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

const users = withSeededUsers();

describeGraphqlRls({
  connections: { goals: "goals", keyResults: "key_results" },
  lookups: [{ field: "goal", table: "goals", title: "Run a marathon" }],
  profile: ["goals"],
  updates: [
    { name: "updateGoal", table: "goals", query: `mutation ($id: UUID!) { updateGoal(input: { rowId: $id, patch: { title: "Hacked" } }) { goal { rowId } } }` },
  ],
  deletes: [
    { name: "deleteGoal", table: "goals", query: `mutation ($id: UUID!) { deleteGoal(input: { rowId: $id }) { goal { rowId } } }` },
  ],
}, users);

describe("mutations on A's rows by B", () => {
  it("B cannot attach a key result to A's goal (NOFND)", async () => {
    const { t, a, b, aRows } = users();
    const before = await countOf(t, "key_results", a.id);
    const keyResult = await graphql(t.url, `mutation ($goal: UUID!) {
      createKeyResult(input: { keyResult: { goalId: $goal, title: "Sabotage", targetValue: "1" } }) { keyResult { rowId } }
    }`, { goal: aRows.goals!.id }, b.token);
    expect(errorCodes(keyResult)).toEqual(["NOFND"]);
    expect(await countOf(t, "key_results", a.id)).toBe(before);
  });
});

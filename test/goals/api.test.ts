// Goals through the real gateway, as an app uses them: progress kept in step
// with key results, and goals filtered and sorted as clients ask.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";

const session = withSignedIn(["goals_api"]);

describe("goals over GraphQL", () => {
  it("keeps a goal's progress in step with its key results", async () => {
    const { gql } = session();
    const goal = await gql(`mutation { createGoal(input: { goal: { title: "Run a 10k", status: active, priority: high } }) { goal { rowId } } }`);
    const goalId = goal.data.createGoal.goal.rowId;
    for (const [title, target, current] of [["Distance", 10, 5], ["Runs a week", 4, 4]] as const) {
      const kr = await gql(`mutation ($g: UUID!, $t: String!, $target: BigFloat!, $current: BigFloat!) {
        createKeyResult(input: { keyResult: { goalId: $g, title: $t, targetValue: $target, currentValue: $current } }) { keyResult { rowId } } }`,
        { g: goalId, t: title, target: String(target), current: String(current) });
      expect(kr.errors).toBeUndefined();
    }
    const { data } = await gql(`query ($g: UUID!) { goal(rowId: $g) { progress keyResults { totalCount } } }`, { g: goalId });
    expect(data.goal).toEqual({ progress: "75.00", keyResults: { totalCount: 2 } });
  });

  it("filters and sorts goals by what clients ask for", async () => {
    const { gql } = session();
    for (const [title, priority] of [["Read", "low"], ["Ship", "critical"], ["Rest", "high"]]) {
      const created = await gql(`mutation ($t: String!, $p: GoalPriority!) { createGoal(input: { goal: { title: $t, priority: $p } }) { goal { rowId } } }`, { t: title, p: priority });
      expect(created.errors).toBeUndefined();
    }
    const goals = await gql(`{ goals(filter: { priority: { in: [high, critical] } }, orderBy: PRIORITY_DESC) { nodes { title priority } } }`);
    expect(goals.errors).toBeUndefined();
    const mine = goals.data.goals.nodes.filter((g: { title: string }) => ["Read", "Ship", "Rest"].includes(g.title));
    expect(mine).toEqual([{ title: "Ship", priority: "critical" }, { title: "Rest", priority: "high" }]);
    expect(goals.data.goals.nodes.every((g: { priority: string }) => ["high", "critical"].includes(g.priority))).toBe(true);
  });
});

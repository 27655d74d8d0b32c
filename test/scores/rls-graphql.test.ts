// Row-level security of scores and their rollups through the real gateway:
// B's connections, profile view, aggregates and mutations never reach A's
// scores, nor does A's fulfillment score (GFS) show on A's public profile;
// A's own requests do. (In SQL: rls.test.ts.)
import { describe, expect, it } from "@jest/globals";
import { graphql } from "../helpers/gateway.js";
import { describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

// A scored WRK 4, 5 and 3 in March 2024, B 1 and 2; each has a month rollup of the mean.
const users = withSeededUsers();

describeGraphqlRls({
  connections: { scores: "scores", scoreRollups: "score_rollups" },
  profile: ["scores", "scoreRollups"],
  updates: [
    { name: "updateScore", table: "scores", query: `mutation ($id: BigInt!) { updateScore(input: { rowId: $id, patch: { score: "0.1" } }) { score { rowId } } }` },
  ],
  deletes: [
    { name: "deleteScore", table: "scores", query: `mutation ($id: BigInt!) { deleteScore(input: { rowId: $id }) { score { rowId } } }` },
  ],
}, users);

describe("lookups", () => {
  it("A's public profile shows B not A's fulfillment score", async () => {
    const { t, a, b } = users();
    const query = `query ($a: UUID!) { user(rowId: $a) { scores { totalCount } gfs(period: month, onDate: "2024-03-15") { score coverage } } }`;
    const asB = (await graphql(t.url, query, { a: a.id }, b.token)).data.user;
    expect(asB).toEqual({ scores: { totalCount: 0 }, gfs: { score: null, coverage: "0" } });
    const asA = (await graphql(t.url, query, { a: a.id }, a.token)).data.user;
    expect(asA.scores.totalCount).toBe(3);
    expect(Number(asA.gfs.score)).toBe(4);
  });
});

describe("aggregates", () => {
  it("count only the caller's rows", async () => {
    const { t, a, b } = users();
    const query = `{
      scores { aggregates { sum { score } max { score } distinctCount { userId } } }
      scoreRollups { aggregates { sum { score sampleCount } } }
      byUser: scores { groupedAggregates(groupBy: [USER_ID]) { keys sum { score } } }
    }`;
    const asB = await graphql(t.url, query, {}, b.token);
    expect(asB.errors).toBeUndefined();
    expect(asB.data.scores.aggregates).toEqual({ sum: { score: "3.0" }, max: { score: "2.0" }, distinctCount: { userId: "1" } });
    expect(asB.data.scoreRollups.aggregates).toEqual({ sum: { score: "1.500", sampleCount: "2" } });
    expect(asB.data.byUser.groupedAggregates).toEqual([{ keys: [b.id], sum: { score: "3.0" } }]);
    const asA = await graphql(t.url, query, {}, a.token);
    expect(asA.data.scores.aggregates.sum).toEqual({ score: "12.0" });
  });
});

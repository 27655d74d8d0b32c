// Scores through the real gateway, as an app uses them: recording a score,
// its rollups and the GFS, and the GFS weighed by the user's area weights.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";

// Days and periods are the user's own: a time zone away from UTC.
const session = withSignedIn(["scores_api"], { timezone: "America/Toronto" });

describe("scores over GraphQL", () => {
  it("records a score (a second one the same day replaces it) and shows its rollups and GFS", async () => {
    const { gw, gql } = session();
    const record = (score: number) =>
      gql(`mutation ($s: BigFloat!) { recordScore(input: { areaCode: "WRK", score: $s, scoreDate: "2024-05-14" }) { result { rowId score source } } }`, { s: String(score) });
    const first = await record(2.5);
    const second = await record(4.5);
    expect(second.errors).toBeUndefined();
    expect(second.data.recordScore.result).toMatchObject({ rowId: first.data.recordScore.result.rowId, score: "4.5", source: "manual" });
    await gql(`mutation { recordScore(input: { areaCode: "HLT", score: "3", scoreDate: "2024-05-15" }) { result { rowId } } }`);
    await runQueuedJobs(gw.db);
    const response = await gql(`{
      scoreRollups(condition: { periodKind: week }) { nodes { area { code } periodStart periodEnd score sampleCount } }
      currentUser { gfs(period: week, onDate: "2024-05-16") { score coverage periodStart areas { areaCode weight score contribution } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.scoreRollups.nodes).toEqual(expect.arrayContaining([
      { area: { code: "WRK" }, periodStart: "2024-05-13", periodEnd: "2024-05-19", score: "4.500", sampleCount: 1 },
    ]));
    const gfs = response.data.currentUser.gfs;
    expect(gfs).toMatchObject({ periodStart: "2024-05-13", score: "3.750" });
    expect(gfs.areas.map((a: any) => a.areaCode)).toEqual(["WRK", "HLT"]);
  });

  // The scores of the test above (WRK 4.5, HLT 3); saving and refusing weights: test/areas/api.test.ts.
  it("weighs the GFS by the user's area weights", async () => {
    const { gql } = session();
    const weights = await gql(`mutation { setAreaWeights(input: { areaCodes: ["WRK", "HLT"], weights: ["0.12", "0.04"] }) { result { weight } } }`);
    expect(weights.errors).toBeUndefined();
    const { data } = await gql(`{ currentUser { gfs(period: week, onDate: "2024-05-16") { score } } }`);
    // (0.12·4.5 + 0.04·3) / 0.16
    expect(Number(data.currentUser.gfs.score)).toBeCloseTo(4.125, 3);
  });
});

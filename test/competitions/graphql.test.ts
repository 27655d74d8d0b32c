// Competitions through the real gateway: joining, the leaderboard query, and
// the error codes a client acts on.
import { describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, withSignedIn } from "../helpers/gateway.js";
import { gqlOk } from "../helpers/social.js";
import { addParticipants, addScores, makeCompetition } from "./fixtures.js";

const session = withSignedIn(["gqcomp_ann", "gqcomp_ben", "gqcomp_cat"] as const);

const JOIN = `mutation ($id: UUID!) { joinCompetition(input: { competitionId: $id }) { result { competitionId userId } } }`;
const BOARD = `query ($id: UUID!, $round: UUID) {
  competitionLeaderboard(competitionId: $id, roundId: $round) { nodes { rank userId username score entries } } }`;

describe("joinCompetition and competitionLeaderboard", () => {
  it("joins a scheduled competition; a full one answers CFULL and one under way CSTRT, writing nothing", async () => {
    const { gw, accounts: [ann, ben, cat], gql } = session();
    const { id } = await makeCompetition(gw.db, { status: "scheduled", capacity: 2, startsIn: 3600, endsIn: 7200 });
    const joined = await gql(JOIN, { id });
    expect(joined.errors).toBeUndefined();
    expect(joined.data.joinCompetition.result).toEqual({ competitionId: id, userId: ann.id });
    await gqlOk(gw.url, JOIN, { id }, ben.token);
    const full = await gqlOk(gw.url, `query ($id: UUID!) { competition(rowId: $id) { participantCount status } }`, { id }, cat.token);
    expect(full.competition).toEqual({ participantCount: 2, status: "scheduled" });
    const refused = await graphql(gw.url, JOIN, { id }, cat.token);
    expect(errorCodes(refused)).toEqual(["CFULL"]);

    const { id: started } = await makeCompetition(gw.db, { status: "active" });
    expect(errorCodes(await gql(JOIN, { id: started }))).toEqual(["CSTRT"]);
    const [{ n }] = (await gw.db.root.query("select count(*)::int as n from app_public.competition_participants where competition_id = $1", [started])).rows;
    expect(n).toBe(0);
  });

  it("reads the leaderboard: ranks with ties, overall and per round; a closed round answers RNDCL", async () => {
    const { gw, accounts: [ann, ben, cat], gql } = session();
    const { id, rounds: [sum, max] } = await makeCompetition(gw.db, {
      rounds: [{ scoring: "sum" }, { scoring: "max", weight: 2, opensIn: 3000 }],
    });
    await addParticipants(gw.db, id, [ann.id, ben.id, cat.id]);
    // Ann submits through the API; Ben ties with her; Cat has nothing yet.
    const submit = `mutation ($round: UUID!, $value: BigFloat!) { submitScore(input: { roundId: $round, value: $value }) { result { value } } }`;
    expect((await gql(submit, { round: sum, value: "4" })).data.submitScore.result).toEqual({ value: "4.00" });
    expect((await gql(submit, { round: sum, value: "3.5" })).errors).toBeUndefined();
    await addScores(gw.db, id, [[sum!, ben.id, 7.5]]);
    const closed = await gql(submit, { round: max, value: "9" });
    expect(errorCodes(closed)).toEqual(["RNDCL"]);

    const overall = await gqlOk(gw.url, BOARD, { id }, cat.token);
    const usernames = ["gqcomp_ann", "gqcomp_ben"].sort();
    expect(overall.competitionLeaderboard.nodes).toEqual([
      { rank: 1, userId: usernames[0] === "gqcomp_ann" ? ann.id : ben.id, username: usernames[0], score: "7.5", entries: expect.any(Number) },
      { rank: 1, userId: usernames[1] === "gqcomp_ann" ? ann.id : ben.id, username: usernames[1], score: "7.5", entries: expect.any(Number) },
      { rank: 3, userId: cat.id, username: "gqcomp_cat", score: "0", entries: 0 },
    ]);
    const perRound = await gqlOk(gw.url, BOARD, { id, round: max }, cat.token);
    expect(perRound.competitionLeaderboard.nodes.map((n: { rank: number }) => n.rank)).toEqual([1, 1, 1]);
  });
});

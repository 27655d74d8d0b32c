// Bad scores through the real gateway: each is refused with a stable code
// (docs/errors.md), never INTERNAL, and writes nothing; a valid one goes through.
import { describe, expect, it } from "@jest/globals";
import { graphql, refusal, withSignedIn, writesNothing } from "../helpers/gateway.js";

const session = withSignedIn(["scv_alice"]);

describe("recordScore", () => {
  const RECORD = `mutation ($score: BigFloat!) {
    recordScore(input: { areaCode: "HLT", score: $score, scoreDate: "2024-03-01" }) { result { rowId score } }
  }`;

  it.each(["5.5", "-1", "12", "1000"])("refuses %s with BADIN score_range and writes nothing", async (score) => {
    const { gw: t, accounts: [a] } = session();
    const response = await writesNothing(t.db, "scores", () => graphql(t.url, RECORD, { score }, a.token));
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "score_range" }]);
    expect(response.data?.recordScore ?? null).toBeNull();
  });

  it("refuses a second decimal (4.55) rather than rounding it, and writes nothing", async () => {
    const { gw: t, accounts: [a] } = session();
    const response = await writesNothing(t.db, "scores", () => graphql(t.url, RECORD, { score: "4.55" }, a.token));
    expect(refusal(response)).toEqual([{ code: "BADIN", constraint: "score_one_decimal" }]);
  });

  it("records a score within 0-5", async () => {
    const { gw: t, accounts: [a] } = session();
    const response = await graphql(t.url, RECORD, { score: "4.5" }, a.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.recordScore.result.score).toBe("4.5");
    const { rows } = await t.db.root.query("select score from app_public.scores where user_id = $1", [a.id]);
    expect(rows).toEqual([{ score: "4.5" }]);
  });
});

// Bad area weights through the real gateway: refused with a stable code
// (docs/errors.md), never INTERNAL, keeping the saved weights; valid ones go through.
import { describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, withSignedIn } from "../helpers/gateway.js";

const session = withSignedIn(["arv_bob"]);

describe("setAreaWeights", () => {
  const SET = `mutation ($codes: [String]!, $weights: [BigFloat]!) {
    setAreaWeights(input: { areaCodes: $codes, weights: $weights }) { result { area { code } weight } }
  }`;
  const weights = async () => {
    const { gw: t, accounts: [b] } = session();
    return (await t.db.root.query(
      "select a.code, w.weight from app_public.user_area_weights w join app_public.life_areas a on a.id = w.area_id where w.user_id = $1 order by a.code",
      [b.id],
    )).rows;
  };

  it("saves weights that keep the sum at 1", async () => {
    const { gw: t, accounts: [b] } = session();
    // WRK and PUR default to 0.08 each: 0.10 + 0.06 keeps the total.
    const response = await graphql(t.url, SET, { codes: ["WRK", "PUR"], weights: ["0.10", "0.06"] }, b.token);
    expect(response.errors).toBeUndefined();
    expect(response.data.setAreaWeights.result).toEqual(expect.arrayContaining([
      { area: { code: "WRK" }, weight: "0.10000" }, { area: { code: "PUR" }, weight: "0.06000" },
    ]));
    expect(await weights()).toEqual([{ code: "PUR", weight: "0.06000" }, { code: "WRK", weight: "0.10000" }]);
  });

  it("refuses weights that do not sum to 1 with WEIGH and keeps the saved ones", async () => {
    const { gw: t, accounts: [b] } = session();
    const before = await weights();
    expect(before).toHaveLength(2);
    const response = await graphql(t.url, SET, { codes: ["WRK"], weights: ["0.5"] }, b.token);
    expect(errorCodes(response)).toEqual(["WEIGH"]);
    expect(await weights()).toEqual(before);
  });
});

// Life areas through the real gateway, as an app uses them: the shared list of
// areas and their dimensions, and a user's own area weights, which must sum to 1.
import { describe, expect, it } from "@jest/globals";
import { graphql, withSignedIn } from "../helpers/gateway.js";

const session = withSignedIn(["areas_api"]);

describe("life areas over GraphQL", () => {
  it("lists the 16 areas with dimensions, to anyone", async () => {
    const { gw } = session();
    const response = await graphql(gw.url, `{ lifeAreas(orderBy: POSITION_ASC) { totalCount nodes { code defaultWeight dimensions { totalCount } } } }`);
    expect(response.errors).toBeUndefined();
    const { totalCount, nodes } = response.data.lifeAreas;
    expect(totalCount).toBe(16);
    expect(nodes[0].code).toBe("WRK");
    expect(nodes.reduce((sum: number, a: any) => sum + Number(a.defaultWeight), 0)).toBeCloseTo(1, 10);
    expect(nodes.every((a: any) => a.dimensions.totalCount >= 2)).toBe(true);
  });

  // How the weights weigh the GFS: test/scores/api.test.ts.
  it("saves weights that sum to 1, and refuses others with WEIGH", async () => {
    const { gw, accounts: [me], gql } = session();
    const bad = await gql(`mutation { setAreaWeights(input: { areaCodes: ["WRK"], weights: ["0.5"] }) { clientMutationId } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe("WEIGH");
    const good = await gql(`mutation { setAreaWeights(input: { areaCodes: ["WRK", "HLT"], weights: ["0.12", "0.04"] }) { result { weight } } }`);
    expect(good.errors).toBeUndefined();
    // A single row written directly is checked at commit, with the same code.
    const single = await gql(`mutation { createUserAreaWeight(input: { userAreaWeight: { areaId: 2, weight: "0.5" } }) { userAreaWeight { weight } } }`);
    expect(single.errors?.[0]?.extensions?.code).toBe("WEIGH");
    const { rows } = await gw.db.root.query("select count(*)::int as n from app_public.user_area_weights where user_id = $1", [me.id]);
    expect(rows[0].n).toBe(2);
  });
});

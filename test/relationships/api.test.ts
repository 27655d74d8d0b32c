// Relationships through the real gateway, as an app uses them: filtered and
// sorted as clients ask.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";

const session = withSignedIn(["relationships_api"]);

describe("relationships over GraphQL", () => {
  it("filters and sorts relationships by what clients ask for", async () => {
    const { gql } = session();
    for (const [name, quality] of [["Ana", 9], ["Ben", 4]] as const) {
      await gql(`mutation ($n: String!, $q: Int!) { createRelationship(input: { relationship: { personName: $n, quality: $q } }) { relationship { rowId } } }`, { n: name, q: quality });
    }
    const close = await gql(`{ relationships(filter: { quality: { greaterThanOrEqualTo: 7 } }, orderBy: PERSON_NAME_ASC) { nodes { personName } } }`);
    expect(close.errors).toBeUndefined();
    expect(close.data.relationships.nodes).toEqual([{ personName: "Ana" }]);
  });
});

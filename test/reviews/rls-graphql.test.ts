// Row-level security of reviews through the real gateway: B can neither see
// nor delete A's reviews; A sees them and may delete them. (In SQL: rls.test.ts.)
import { describe, expect, it } from "@jest/globals";
import { graphql } from "../helpers/gateway.js";
import { countOf, describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

const users = withSeededUsers();

const DELETE = `mutation ($id: UUID!) { deleteReview(input: { rowId: $id }) { review { rowId } } }`;

describeGraphqlRls({
  connections: { reviews: "reviews" },
  deletes: [{ name: "deleteReview", table: "reviews", query: DELETE }],
}, users);

describe("mutations on A's rows by B", () => {
  it("A's own delete goes through", async () => {
    const { t, a, aRows } = users();
    const id = aRows.reviews!.id;
    const response = await graphql(t.url, DELETE, { id }, a.token);
    expect(response.data.deleteReview.review).toEqual({ rowId: id });
    expect(await countOf(t, "reviews", a.id)).toBe(0);
  });
});

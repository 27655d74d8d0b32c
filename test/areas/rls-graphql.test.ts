// Row-level security of a user's area weights through the real gateway: B's
// connection never reaches A's weights; A's does. (In SQL: rls.test.ts.)
import { describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

describeGraphqlRls({
  connections: { userAreaWeights: "user_area_weights" },
}, withSeededUsers());

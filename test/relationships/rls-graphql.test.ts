// Row-level security of relationships through the real gateway: B's
// connections never reach A's relationships or their interactions log; A's
// do. (In SQL: rls.test.ts.)
import { describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

describeGraphqlRls({
  connections: { relationships: "relationships", relationshipInteractions: "relationship_interactions" },
}, withSeededUsers());

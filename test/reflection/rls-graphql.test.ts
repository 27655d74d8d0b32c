// Row-level security of the reflection logs and the autobiography through the
// real gateway: B's connections never reach A's rows; A's do. (In SQL: rls.test.ts.)
import { describeGraphqlRls, withSeededUsers } from "../helpers/graphql-rls.js";

describeGraphqlRls({
  connections: {
    integrityLogs: "integrity_logs",
    forgivenessLogs: "forgiveness_logs",
    autobiographyChapters: "autobiography_chapters",
  },
}, withSeededUsers());

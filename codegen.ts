// GraphQL Code Generator (`npm run codegen`): types for the example client's
// operations (examples/client/operations.ts) from the committed
// schema.graphql, and the trusted-documents manifest
// (examples/client/gql/persisted-documents.json: sha256 → document) that a
// production gateway accepts. The output is committed;
// test/platform/codegen.test.ts fails when it is stale.
import type { CodegenConfig } from "@graphql-codegen/cli";

// Our custom scalars as they travel in JSON: big numbers and cursors are
// strings so no precision is lost; JSON is whatever the column holds.
const scalars = {
  BigFloat: "string",
  BigInt: "string",
  Cursor: "string",
  Date: "string",
  Datetime: "string",
  InternetAddress: "string",
  JSON: "unknown",
  Time: "string",
  UUID: "string",
};

const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["examples/client/operations.ts"],
  ignoreNoDocuments: false,
  generates: {
    "examples/client/gql/": {
      preset: "client",
      presetConfig: {
        fragmentMasking: false,
        // The hash the gateway looks documents up by (@grafserv/persisted).
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
      config: {
        scalars,
        strictScalars: true,
        // Plain fetch needs the document text and hash, not a DocumentNode.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        // ESM: relative imports with their .js extension (tsconfig NodeNext).
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;

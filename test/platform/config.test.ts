// Configuration is validated at startup with a message naming the variable.
import { describe, expect, it } from "@jest/globals";
import { ConfigError, loadConfig } from "../../src/config.js";

const fails = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

describe("loadConfig", () => {
  it("has working defaults for development", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NODE_ENV: "development", PORT: 5678, graphiql: true, seedDemoData: true, ACCESS_TOKEN_TTL_SECONDS: 900 });
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ JWT_SECRET: "too-short" }, "JWT_SECRET"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ CORS_ORIGINS: "not a url" }, "CORS_ORIGINS"],
    [{ DATABASE_VISITOR: "Robert'); drop table" }, "DATABASE_VISITOR"],
    [{ NODE_ENV: "production" }, "JWT_SECRET or JWT_PRIVATE_KEY is required"],
  ])("refuses %j, naming %s", (env, name) => {
    expect(fails(env)).toContain(name);
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ ROOT_DATABASE_URL: "" }).ROOT_DATABASE_URL).toBeUndefined();
  });

  it("turns Ruru and demo data off in production", () => {
    const config = loadConfig({ NODE_ENV: "production", JWT_SECRET: "s".repeat(32) });
    expect(config.graphiql).toBe(false);
    expect(config.seedDemoData).toBe(false);
  });
});

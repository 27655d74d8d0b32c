// schema.graphql in the repository is what the current migrations produce.
// When this fails: `npm run schema:export` and commit the file.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { schemaSdl } from "../../src/graphql/schema-sdl.js";
import { fromRoot } from "../../src/paths.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

it("schema.graphql is up to date", async () => {
  const committed = await readFile(fromRoot("schema.graphql"), "utf8");
  expect(await schemaSdl(db.config, db.urls)).toBe(committed);
});

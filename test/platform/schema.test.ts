// schema.graphql in the repository is what the current migrations produce.
// When this fails: `npm run schema:export` and commit the file.
import { readFile } from "node:fs/promises";
import { expect, it } from "@jest/globals";
import { schemaSdl } from "../../src/graphql/schema-sdl.js";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";

const t = useTestDatabase();

it("schema.graphql is up to date", async () => {
  const committed = await readFile(fromRoot("schema.graphql"), "utf8");
  expect(await schemaSdl(t.db.config, t.db.urls)).toBe(committed);
});

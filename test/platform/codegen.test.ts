// examples/client/gql/ (the typed operations and the trusted-documents
// manifest) is what `npm run codegen` makes of schema.graphql and
// examples/client/operations.ts: the real CLI runs on copies of its inputs
// in a scratch folder, and its output must equal the committed one. When
// this fails: `npm run codegen` and commit the output.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { fromRoot } from "../../src/paths.js";

const GQL = path.join("examples", "client", "gql");
let scratch: string;

async function folder(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(path.join(root, GQL))).sort()) files[name] = await readFile(path.join(root, GQL, name), "utf8");
  return files;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "lifegraph-codegen-"));
  await mkdir(path.join(scratch, "examples", "client"), { recursive: true });
  for (const file of ["codegen.ts", "schema.graphql", path.join("examples", "client", "operations.ts")]) {
    await copyFile(fromRoot(file), path.join(scratch, file));
  }
  await symlink(fromRoot("node_modules"), path.join(scratch, "node_modules"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

it("examples/client/gql is up to date", async () => {
  const run = spawnSync(fromRoot("node_modules", ".bin", "graphql-codegen"), ["--config", "codegen.ts", "--silent"], { cwd: scratch, encoding: "utf8" });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  const fresh = await folder(scratch);
  expect(Object.keys(fresh)).toContain("persisted-documents.json");
  expect(await folder(fromRoot())).toEqual(fresh);
});

it("the manifest holds every operation of the example client, keyed by its sha256", async () => {
  const manifest = JSON.parse(await readFile(fromRoot(GQL, "persisted-documents.json"), "utf8")) as Record<string, string>;
  const names = Object.values(manifest).map((d) => /^(?:query|mutation|subscription) (\w+)/.exec(d)?.[1]).sort();
  expect(names).toEqual(["ActivityFeedPage", "CreateJournalEntry", "CurrentUser", "FindUser", "Login", "RecentJournalEntries", "SendMessage"]);
  for (const [id, document] of Object.entries(manifest)) expect(id).toBe(`sha256:${createHash("sha256").update(document).digest("hex")}`);
});

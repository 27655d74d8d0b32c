// `npm install` must not rewrite package-lock.json. npm 11 writes a `libc`
// field on packages built for one C library (@swc/core-linux-x64-gnu, …) and
// npm 10 (the one Node 22 ships, and the Docker image's) deletes them again,
// so the file flipped with whoever installed last. Without them both leave
// it as it is, and `npm ci` works under both. After adding a dependency with
// npm 11: `npx npm@10 install --package-lock-only`.
import { readFile } from "node:fs/promises";
import { expect, it } from "@jest/globals";
import { fromRoot } from "../../src/paths.js";

it("package-lock.json holds no libc fields, which npm 10 and npm 11 disagree on", async () => {
  const lock = JSON.parse(await readFile(fromRoot("package-lock.json"), "utf8")) as { packages: Record<string, { libc?: string[] }> };
  expect(Object.entries(lock.packages).filter(([, entry]) => entry.libc).map(([name]) => name)).toEqual([]);
});

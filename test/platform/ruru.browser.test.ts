// Ruru in a real browser (headless Chromium): a development gateway with the
// demo data opens /graphiql on the ready document (src/graphql/ruru.ts);
// running its SignIn mutation shows a token in the result pane, which goes
// into the headers pane as the document says; then "Me" shows alice.
//
// Needs Debian's chromium at /usr/bin/chromium (apt-get install chromium),
// or CHROMIUM_PATH: without it this test fails, saying so.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { seedDemoData } from "../../src/db/seed.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = process.env.LIFEGRAPH_RURU_SCREENSHOTS; // a folder: screenshots of each step, to see what failed

let t: TestGateway;
let profile: string;
let browser: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: this test drives Ruru in Debian's chromium (apt-get install -y chromium)`);
  }
  t = await startTestGateway({ GRAPHIQL: "true" });
  await seedDemoData(t.db.urls.owner);
  profile = await mkdtemp(path.join(tmpdir(), "lifegraph-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1400, height: 900 },
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await t?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Puts the cursor on the operation's name and runs it (Ruru runs the operation under the cursor); resolves with the result pane's text once it shows `until`. */
async function run(page: Page, operation: string, until: string): Promise<string> {
  await page.locator(".graphiql-query-editor").getByText(operation, { exact: true }).first().click();
  await page.keyboard.press("Control+Enter");
  const response = page.locator(".graphiql-response").filter({ hasText: until });
  await response.waitFor({ timeout: 15_000 });
  // The editor draws spaces as non-breaking ones.
  return (await response.innerText()).replace(/\u00a0/g, " ");
}

it("opens on the ready document, signs in as alice and runs a query with her token", async () => {
  const page = await browser!.newPage();
  await page.goto(`${t.url}/graphiql`);
  const editor = page.locator(".graphiql-query-editor");
  await editor.getByText("mutation SignIn").waitFor({ timeout: 30_000 });
  for (const text of ["query Me", "query MyJournal", '{"Authorization": "Bearer <accessToken>"}']) await editor.getByText(text).waitFor();
  await shot(page, "1-open");

  const signedIn = await run(page, "SignIn", "accessToken");
  await shot(page, "2-signed-in");
  expect(signedIn).toContain('"username": "alice"');
  // The pane wraps long lines; a token has no whitespace of its own.
  const token = /"accessToken": "([^"]+)"/.exec(signedIn)?.[1]?.replace(/\s+/g, "");
  expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

  await page.locator(".graphiql-editor-tools").getByText("Headers", { exact: true }).click();
  await page.locator(".graphiql-editor-tool .graphiql-editor").last().click();
  await page.keyboard.insertText(`{"Authorization": "Bearer ${token}"}`);
  await shot(page, "3-headers");

  const me = await run(page, "Me", "currentUser");
  await shot(page, "4-me");
  expect(me).toMatch(/"currentUser": \{\s*"username": "alice",\s*"displayName": "Alice Martin",\s*"isAdmin": true\s*\}/);
  expect(me).not.toContain('"errors"');
}, 120_000);

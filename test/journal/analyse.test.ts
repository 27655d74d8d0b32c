// journal__analyse: enqueued once per burst of edits, fills sentiment and
// summary with the local analyser, or with an OpenAI-compatible endpoint
// (a real local HTTP server here) when ANALYSER_URL is set.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { testConfig } from "../helpers/env.js";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { clearJobs, queuedJobs, runQueuedJobs } from "../helpers/jobs.js";
import { extractiveSummary, localAnalyser, plainText } from "../../src/journal/analyser.js";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "writer");
});
beforeEach(async () => {
  await clearJobs(t.db);
});

const HAPPY = "What a wonderful day. I felt proud and grateful. The team was great and we celebrated a big win together.";
const SAD = "A terrible, exhausting day. I felt anxious and sad. Everything went wrong and I was angry at myself.";

async function newEntry(content: string): Promise<string> {
  const { rows } = await t.db.root.query(
    "insert into app_public.journal_entries (user_id, content_md) values ($1, $2) returning id", [user.id, content],
  );
  return rows[0].id;
}
const entry = async (id: string) =>
  (await t.db.root.query("select sentiment::float8, summary, analysed_at from app_public.journal_entries where id = $1", [id])).rows[0];

describe("journal__analyse", () => {
  it("a burst of edits is one job, keyed by the entry, a few seconds out", async () => {
    const id = await newEntry("first draft");
    await t.db.root.query("update app_public.journal_entries set content_md = 'second draft' where id = $1", [id]);
    await t.db.root.query("update app_public.journal_entries set content_md = $2 where id = $1", [id, HAPPY]);
    // Tag edits do not change the content: no new analysis.
    await t.db.root.query("update app_public.journal_entries set tags = '{x}' where id = $1", [id]);
    const jobs = await queuedJobs(t.db, "journal__analyse");
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ key: `journal__analyse:${id}`, payload: { entry_id: id } });
    expect(jobs[0]!.run_at.getTime()).toBeGreaterThan(Date.now());
  });

  it("writes a positive or negative sentiment and a summary; running twice is harmless", async () => {
    const happy = await newEntry(HAPPY);
    const sad = await newEntry(`# Rough\n\n${SAD}`);
    await runQueuedJobs(t.db);
    const [h, s] = [await entry(happy), await entry(sad)];
    expect(h.sentiment).toBeGreaterThan(0.3);
    expect(s.sentiment).toBeLessThan(-0.3);
    expect(h.summary.length).toBeGreaterThan(10);
    expect(s.summary).not.toContain("#");
    await t.db.root.query("select graphile_worker.add_job('journal__analyse', json_build_object('entry_id', $1::uuid))", [happy]);
    await runQueuedJobs(t.db);
    expect((await entry(happy)).sentiment).toBe(h.sentiment);
  });

  it("does not store an analysis of content that has changed since", async () => {
    const id = await newEntry(HAPPY);
    const { rows } = await t.db.root.query("select app_private.save_journal_analysis($1, 'stale text', 0.9, 'stale') as saved", [id]);
    expect(rows[0].saved).toBeNull();
    expect(await entry(id)).toMatchObject({ sentiment: null, summary: null });
  });

  it("a deleted entry's job completes without error", async () => {
    const id = await newEntry(HAPPY);
    await t.db.root.query("delete from app_public.journal_entries where id = $1", [id]);
    await runQueuedJobs(t.db);
    expect(await queuedJobs(t.db)).toEqual([]);
  });
});

describe("the local analyser", () => {
  it("summarises with the sentences that carry the entry's recurring words", () => {
    const text =
      "Morning run by the river. Coffee was cold. The river was calm and the run felt easy. Then emails. Evening: planned the next river run.";
    const summary = extractiveSummary(text);
    expect(summary.split(/(?<=\.)\s/)).toHaveLength(2);
    expect(summary).toContain("river");
    expect(summary).not.toContain("Coffee was cold");
  });

  it("strips markdown before scoring", async () => {
    expect(plainText("## Title\n- **bold** [link](http://x.y) `code`")).toBe("Title\nbold link code");
    expect((await localAnalyser().analyse("**Great**, happy, wonderful!")).sentiment).toBeGreaterThan(0.5);
  });
});

describe("an OpenAI-compatible analyser", () => {
  let server: Server;
  let requests: Array<{ url?: string; auth?: string; body: any }>;

  beforeAll(async () => {
    requests = [];
    server = createServer(async (req: IncomingMessage, res) => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      requests.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(raw) });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ choices: [{ message: { content: JSON.stringify({ sentiment: -0.25, summary: "From the model." }) } }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("is used when ANALYSER_URL is set, with the configured model and key", async () => {
    const { port } = server.address() as AddressInfo;
    const config = testConfig({ ANALYSER_URL: `http://127.0.0.1:${port}/v1`, ANALYSER_API_KEY: "sk-test", ANALYSER_MODEL: "tiny" });
    const id = await newEntry(HAPPY);
    await runQueuedJobs(t.db, config);
    expect(await entry(id)).toMatchObject({ sentiment: -0.25, summary: "From the model." });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ url: "/v1/chat/completions", auth: "Bearer sk-test", body: { model: "tiny" } });
    expect(JSON.stringify(requests[0]!.body.messages)).toContain("celebrated a big win");
  });
});

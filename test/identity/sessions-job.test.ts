// identity__prune_sessions, run by the real graphile-worker: enqueued from
// plain SQL, and fired by the crontab line in worker-tasks/crontab.
import { beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import pino from "pino";
import { Logger, runOnce } from "graphile-worker";
import { loadCrontab, startWorker } from "../../src/worker/runner.js";
import { makeTaskList } from "../../worker-tasks/index.js";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";

const t = useTestDatabase({ SESSION_RETENTION_DAYS: "30" });
let user: TestUser;
const quiet = new Logger(() => () => {});

beforeAll(async () => {
  user = await createUser(t.db, "prune");
});

/** Sessions: ended long ago (prunable), ended recently and live (both kept). */
async function seedSessions(): Promise<Record<string, string>> {
  const specs: Array<[string, string, string | null]> = [
    ["expired-old", "-40 days", null],
    ["revoked-old", "1 day", "-31 days"],
    ["expired-recent", "-2 days", null],
    ["live", "1 day", null],
  ];
  const rows: Array<{ label: string; id: string }> = [];
  for (const [label, expires, revoked] of specs) {
    const { rows: [row] } = await t.db.root.query<{ id: string }>(
      "insert into app_private.sessions (user_id, expires_at, revoked_at) values ($1, now() + $2::interval, now() + $3::interval) returning id",
      [user.id, expires, revoked],
    );
    rows.push({ label, id: row!.id });
  }
  return Object.fromEntries(rows.map((r) => [r.label, r.id]));
}

async function remaining(ids: Record<string, string>): Promise<string[]> {
  const { rows } = await t.db.root.query<{ id: string }>("select id from app_private.sessions where id = any($1)", [Object.values(ids)]);
  const left = new Set(rows.map((r) => r.id));
  return Object.entries(ids).filter(([, id]) => left.has(id)).map(([label]) => label).sort();
}

beforeEach(async () => {
  await t.db.root.query("delete from app_private.sessions");
  await t.db.root.query("delete from graphile_worker._private_jobs");
});

describe("identity__prune_sessions", () => {
  it("runs when enqueued with plain SQL and keeps what is recent or live", async () => {
    const ids = await seedSessions();
    await t.db.root.query("select graphile_worker.add_job('identity__prune_sessions', '{}'::json)");
    await runOnce({ connectionString: t.db.urls.owner, taskList: makeTaskList(t.db.config), logger: quiet });
    expect(await remaining(ids)).toEqual(["expired-recent", "live"]);
    const { rows } = await t.db.root.query("select count(*)::int as n from graphile_worker._private_jobs");
    expect(rows[0].n).toBe(0);
  });

  it("is idempotent: a second run prunes nothing more", async () => {
    const ids = await seedSessions();
    for (let i = 0; i < 2; i++) {
      await t.db.root.query("select graphile_worker.add_job('identity__prune_sessions', '{}'::json)");
      await runOnce({ connectionString: t.db.urls.owner, taskList: makeTaskList(t.db.config), logger: quiet });
    }
    expect(await remaining(ids)).toEqual(["expired-recent", "live"]);
  });

  it("honours a retention given in the payload", async () => {
    const ids = await seedSessions();
    await t.db.root.query(`select graphile_worker.add_job('identity__prune_sessions', '{"retentionDays": 1}'::json)`);
    await runOnce({ connectionString: t.db.urls.owner, taskList: makeTaskList(t.db.config), logger: quiet });
    expect(await remaining(ids)).toEqual(["live"]);
  });

  it("is scheduled by the crontab, and the worker fires a missed run", async () => {
    const items = await loadCrontab();
    expect(items.map((i) => i.task)).toContain("identity__prune_sessions");
    const ids = await seedSessions();
    // The schedule was known and last ran two days ago: the nightly run of
    // the last day was missed, and ?fill=1d makes the worker catch it up.
    await t.db.root.query(
      `insert into graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
       values ('identity__prune_sessions', now() - interval '3 days', now() - interval '2 days')
       on conflict (identifier) do update set last_execution = excluded.last_execution`,
    );
    const worker = await startWorker(t.db.config, t.db.urls.owner, pino({ level: "silent" }));
    try {
      const deadline = Date.now() + 20_000;
      while ((await remaining(ids)).length > 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    } finally {
      await worker.stop();
    }
    expect(await remaining(ids)).toEqual(["expired-recent", "live"]);
  });
});

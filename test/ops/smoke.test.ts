// db:smoke: every check passes on a healthy database (the throwaway user
// leaves nothing behind), and each fails, with a non-zero exit, when what it
// checks is broken.
import { execFile } from "node:child_process";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { SMTPServer } from "smtp-server";
import { runSmoke, type SmokeCheck } from "../../src/ops/smoke.js";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";

let smtp: SMTPServer;
let smtpUrl: string;
beforeAll(async () => {
  smtp = new SMTPServer({ authOptional: true, disabledCommands: ["STARTTLS"], onData: (stream, _session, callback) => stream.resume().on("end", () => callback()) });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});
const t = useTestDatabase(() => ({ SMTP_URL: smtpUrl }));

const byName = (checks: SmokeCheck[]) => Object.fromEntries(checks.map((c) => [c.name, c]));
const hasHeartbeats = async () => (await t.db.root.query("select to_regclass('app_private.worker_heartbeats') is not null as p")).rows[0].p as boolean;

/** A live worker, as src/worker/heartbeat.ts would record it (when the table exists). */
async function beat() {
  if (await hasHeartbeats()) {
    await t.db.root.query("insert into app_private.worker_heartbeats (worker_id, process) values ('smoke-test', 'test:1') on conflict (worker_id) do update set beat_at = now()");
  }
}

/** Asynchronous: the SMTP server above answers from this process. */
function runCli(): Promise<{ status: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", JWT_SECRET: t.db.config.JWT_SECRET,
    DATABASE_URL: t.db.urls.owner, ROOT_DATABASE_URL: t.db.urls.root, SMTP_URL: smtpUrl,
  };
  delete env.AUTH_DATABASE_URL;
  return new Promise((resolve) => {
    execFile(fromRoot("node_modules", ".bin", "tsx"), ["scripts/ops/smoke.ts"], { cwd: fromRoot(), env, encoding: "utf8", timeout: 120_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, output: stdout + stderr }));
  });
}

describe("a healthy database", () => {
  it("passes every check, each timed, and the throwaway user is gone afterwards", async () => {
    await beat();
    const usersBefore = (await t.db.root.query("select count(*)::int as n from app_public.users")).rows[0].n;
    const checks = await runSmoke(t.db.config, t.db.urls);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      "database", "anonymous is blocked", "throwaway user CRUD", "functions can be called", "throwaway user removed", "worker alive", "smtp",
    ]);
    for (const c of checks) expect(c.ms).toEqual(expect.any(Number));
    const checksByName = byName(checks);
    expect(checksByName["functions can be called"]!.detail).toMatch(/current_user_id/);
    expect(checksByName.smtp!.skipped).toBeUndefined();
    expect((await t.db.root.query("select count(*)::int as n from app_public.users")).rows[0].n).toBe(usersBefore);
    expect((await t.db.root.query("select count(*)::int as n from app_public.users where username like 'smoke\\_%'")).rows[0].n).toBe(0);
    expect((await t.db.root.query("select count(*)::int as n from app_public.journal_entries where title = 'smoke'")).rows[0].n).toBe(0);
  });

  it("skips SMTP when none is configured", async () => {
    await beat();
    const checks = byName(await runSmoke({ ...t.db.config, SMTP_URL: undefined }, t.db.urls));
    expect(checks.smtp).toMatchObject({ ok: true, skipped: true, detail: "SMTP_URL not set" });
  });

  it("npm run db:smoke prints a line per check with its time and exits 0", async () => {
    await beat();
    const { status, output } = await runCli();
    expect(output).toMatch(/^PASS {2}throwaway user CRUD\s+\d+ ms/m);
    expect(output).toMatch(/^PASS {2}smtp\s+\d+ ms/m);
    expect(output).toMatch(/All checks passed/);
    expect(status).toBe(0);
  });
});

describe("each check fails when what it checks is broken", () => {
  it("anonymous reading a private table", async () => {
    const anon = t.db.config.DATABASE_ANONYMOUS;
    await t.db.root.query(`grant usage on schema app_private to ${anon}; grant select on app_private.sessions to ${anon}`);
    try {
      const checks = byName(await runSmoke(t.db.config, t.db.urls));
      expect(checks["anonymous is blocked"]).toMatchObject({ ok: false, detail: "anonymous could read app_private.sessions" });
      expect(checks["throwaway user CRUD"]!.ok).toBe(true);
    } finally {
      await t.db.root.query(`revoke select on app_private.sessions from ${anon}; revoke usage on schema app_private from ${anon}`);
    }
  });

  it("the visitor unable to write their own data, and the user still cleaned up", async () => {
    await t.db.root.query(`revoke insert on app_public.journal_entries from ${t.db.config.DATABASE_VISITOR}`);
    try {
      const checks = byName(await runSmoke(t.db.config, t.db.urls));
      expect(checks["throwaway user CRUD"]).toMatchObject({ ok: false, detail: expect.stringMatching(/permission denied.*42501/) });
      expect(checks["throwaway user removed"]!.ok).toBe(true);
      expect((await t.db.root.query("select count(*)::int as n from app_public.users where username like 'smoke\\_%'")).rows[0].n).toBe(0);
    } finally {
      await t.db.root.query(`grant insert (entry_date, title, content_md, tags) on app_public.journal_entries to ${t.db.config.DATABASE_VISITOR}`);
    }
  });

  it("a function that fails", async () => {
    await t.db.root.query("alter function app_public.wellness_streak() rename to wellness_streak_gone");
    await t.db.root.query("create function app_public.wellness_streak() returns int language sql stable as 'select 1 / 0'");
    await t.db.root.query(`grant execute on function app_public.wellness_streak() to ${t.db.config.DATABASE_VISITOR}`);
    try {
      const checks = byName(await runSmoke(t.db.config, t.db.urls));
      expect(checks["functions can be called"]).toMatchObject({ ok: false, detail: "failed: app_public.wellness_streak() (22012)" });
    } finally {
      await t.db.root.query("drop function app_public.wellness_streak()");
      await t.db.root.query("alter function app_public.wellness_streak_gone() rename to wellness_streak");
    }
  });

  it("no live worker, with a non-zero exit", async () => {
    // With heartbeats: none recent. Without the table: a job due for minutes that nobody took.
    if (await hasHeartbeats()) await t.db.root.query("update app_private.worker_heartbeats set beat_at = now() - interval '1 hour'");
    await t.db.root.query("select graphile_worker.add_job('identity__prune_sessions', '{}', run_at => now() - interval '5 minutes', job_key => 'smoke-overdue')");
    try {
      const checks = byName(await runSmoke(t.db.config, t.db.urls));
      expect(checks["worker alive"]).toMatchObject({ ok: false, detail: expect.stringMatching(/no heartbeat|not taken: is a worker running/) });
      const { status, output } = await runCli();
      expect(output).toMatch(/^FAIL {2}worker alive/m);
      expect(output).toMatch(/1 check failed/);
      expect(status).toBe(1);
    } finally {
      await t.db.root.query("select graphile_worker.remove_job('smoke-overdue')");
    }
  });

  it("SMTP that does not answer", async () => {
    await beat();
    const checks = byName(await runSmoke({ ...t.db.config, SMTP_URL: "smtp://127.0.0.1:1" }, t.db.urls));
    expect(checks.smtp).toMatchObject({ ok: false, detail: expect.stringMatching(/^unreachable: /) });
  });
});

// Runtime checks of a live database and its services (npm run db:smoke),
// each timed: anonymous is kept from private data; a throwaway user can
// create, read, update and delete a journal entry of their own as the
// visitor, through the authenticator as the gateway connects, and is
// removed afterwards; the read-only functions of the API can be called; a
// worker is alive; SMTP answers, when configured.
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Config } from "../config.js";
import type { DatabaseUrls } from "../db/urls.js";
import { queueStats, smtpReachability, workerHeartbeats } from "./probes.js";

export interface SmokeCheck {
  name: string;
  ok: boolean;
  /** Skipped: not configured (counts as passing). */
  skipped?: boolean;
  ms: number;
  detail: string;
}

class CheckFailed extends Error {}
const fail = (message: string): never => {
  throw new CheckFailed(message);
};

/** Runs `statement` in a savepoint; its SQLSTATE when it fails. */
async function sqlState(client: pg.ClientBase, statement: string, values: unknown[] = []): Promise<string | null> {
  await client.query("savepoint smoke");
  try {
    await client.query(statement, values);
    await client.query("release savepoint smoke");
    return null;
  } catch (error) {
    await client.query("rollback to savepoint smoke");
    return (error as { code?: string }).code ?? "unknown";
  }
}

export async function runSmoke(config: Config, urls: DatabaseUrls): Promise<SmokeCheck[]> {
  const owner = new pg.Pool({ connectionString: urls.owner, max: 2 });
  const authenticator = new pg.Pool({ connectionString: urls.authenticator, max: 2 });
  const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const checks: SmokeCheck[] = [];
  const check = async (name: string, fn: () => Promise<string | { skipped: string }>) => {
    const started = performance.now();
    try {
      const result = await fn();
      const skipped = typeof result === "object";
      checks.push({ name, ok: true, ...(skipped ? { skipped } : {}), ms: Math.round(performance.now() - started), detail: skipped ? result.skipped : result });
    } catch (error) {
      const detail = error instanceof CheckFailed ? error.message : `${(error as Error).message}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ""}`;
      checks.push({ name, ok: false, ms: Math.round(performance.now() - started), detail });
    }
  };

  /** As the gateway runs a request: the authenticator, switched to `role`, in a transaction always rolled back unless `commit`. */
  const asRole = async <T>(role: string, sessionId: string | null, fn: (client: pg.PoolClient) => Promise<T>, commit = false): Promise<T> => {
    const client = await authenticator.connect();
    try {
      await client.query("begin");
      await client.query(`set local role ${id(role)}`);
      if (sessionId) await client.query("select set_config('jwt.claims.session_id', $1, true)", [sessionId]);
      const result = await fn(client);
      await client.query(commit ? "commit" : "rollback");
      return result;
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  try {
    await check("database", async () => {
      const { rows: [row] } = await owner.query("select current_setting('server_version') as version");
      return `Postgres ${row.version}`;
    });

    await check("anonymous is blocked", async () => {
      const { rows: privateTables } = await owner.query<{ name: string }>(
        "select t as name from unnest($1::text[]) t where to_regclass(t) is not null",
        [["app_private.sessions", "app_private.user_secrets", "app_private.user_flags"]]);
      return asRole(config.DATABASE_ANONYMOUS, null, async (client) => {
        for (const { name: table } of privateTables) {
          const code = await sqlState(client, `select * from ${table} limit 1`);
          if (code !== "42501") fail(`anonymous could read ${table}${code ? ` (${code})` : ""}`);
        }
        for (const table of ["app_public.journal_entries", "app_public.goals"]) {
          await client.query("savepoint look");
          try {
            const { rows } = await client.query(`select 1 from ${table} limit 1`);
            if (rows.length) fail(`anonymous sees rows of ${table}`);
          } catch (error) {
            if (error instanceof CheckFailed) throw error;
            if ((error as { code?: string }).code !== "42501") throw error;
          }
          await client.query("rollback to savepoint look");
        }
        const { rows: [who] } = await client.query("select app_public.current_user_id() as id");
        if (who.id !== null) fail("anonymous has a user id");
        return `refused ${privateTables.map((t) => t.name).join(", ")}; no rows of private journal entries or goals`;
      });
    });

    // The throwaway user: made as the owner (as registration does), used
    // through the authenticator, removed in `finally` whatever happened.
    const username = `smoke_${randomBytes(5).toString("hex")}`;
    let userId: string | null = null;
    let sessionId: string | null = null;
    try {
      await check("throwaway user CRUD", async () => {
        const { rows: [user] } = await owner.query<{ id: string }>(
          "select id from app_private.really_create_user($1, $2, $3, null)",
          [username, `${username}@smoke.invalid`, randomBytes(24).toString("base64url")],
        );
        userId = user!.id;
        const { rows: [session] } = await owner.query<{ id: string }>(
          "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '5 minutes') returning id", [userId],
        );
        sessionId = session!.id;
        return asRole(config.DATABASE_VISITOR, sessionId, async (client) => {
          const { rows: [me] } = await client.query("select app_public.current_user_id() as id");
          if (me.id !== userId) fail("the session did not make the visitor this user");
          const { rows: [created] } = await client.query<{ id: string }>(
            "insert into app_public.journal_entries (title, content_md) values ('smoke', 'A smoke test entry.') returning id");
          const read = await client.query("select content_md from app_public.journal_entries where id = $1", [created!.id]);
          if (read.rows[0]?.content_md !== "A smoke test entry.") fail("could not read back the entry just written");
          const updated = await client.query("update app_public.journal_entries set content_md = 'Updated.' where id = $1", [created!.id]);
          if (updated.rowCount !== 1) fail("could not update the entry");
          const deleted = await client.query("delete from app_public.journal_entries where id = $1", [created!.id]);
          if (deleted.rowCount !== 1) fail("could not delete the entry");
          const others = await client.query("select count(*)::int as n from app_public.journal_entries where user_id <> $1", [userId]);
          if (others.rows[0].n !== 0) fail("the visitor sees other users' journal entries");
          return `created, read, updated and deleted a journal entry as ${username}`;
        }, true);
      });

      await check("functions can be called", async () => {
        if (!sessionId) fail("no throwaway user to call them as");
        // Every argument-less stable or immutable API function, as the
        // visitor, in a read-only transaction.
        const { rows: functions } = await owner.query<{ name: string }>(`
          select format('%I.%I', n.nspname, p.proname) as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'app_public' and p.pronargs = 0 and p.prokind = 'f' and p.provolatile in ('s', 'i')
            and p.prorettype <> 'trigger'::regtype and has_function_privilege($1, p.oid, 'execute') order by 1`,
          [config.DATABASE_VISITOR]);
        // A function that refuses on purpose (an error code of ours, five
        // letters, docs/errors.md: DNIED for admin-only ones) has answered.
        const outcome = await asRole(config.DATABASE_VISITOR, sessionId, async (client) => {
          await client.query("set transaction read only");
          const failures: string[] = [];
          const refusals: string[] = [];
          for (const { name } of functions) {
            const code = await sqlState(client, `select * from ${name}() limit 1`);
            if (code && /^[A-Z]{5}$/.test(code)) refusals.push(`${name.replace("app_public.", "")} ${code}`);
            else if (code) failures.push(`${name}() (${code})`);
          }
          return { failures, refusals };
        });
        if (outcome.failures.length) fail(`failed: ${outcome.failures.join(", ")}`);
        if (!functions.length) fail("no functions found");
        return `${functions.length} functions answered (${functions.map((f) => f.name.replace("app_public.", "")).join(", ")})` +
          (outcome.refusals.length ? `; refused as they should a plain user: ${outcome.refusals.join(", ")}` : "");
      });
    } finally {
      if (userId) {
        await check("throwaway user removed", async () => {
          await owner.query("delete from app_public.users where id = $1", [userId]);
          // Jobs its writes enqueued (analysis of the entry, say) have nothing left to do.
          await owner.query("delete from graphile_worker._private_jobs where locked_at is null and payload::text like '%' || $1 || '%'", [userId]);
          const { rows: [left] } = await owner.query("select count(*)::int as n from app_public.users where id = $1", [userId]);
          if (left.n !== 0) fail(`${username} is still there`);
          return `${username} deleted`;
        });
      }
    }

    await check("worker alive", async () => {
      const beats = await workerHeartbeats(owner, config);
      const queue = await queueStats(owner);
      if (beats) {
        const alive = beats.filter((b) => b.alive);
        if (!alive.length) {
          fail(beats.length
            ? `no heartbeat in the last ${config.WORKER_DEAD_AFTER_SECONDS} s (last ${beats[0]!.ageSeconds} s ago)`
            : "no worker heartbeats: no worker is running");
        }
        return `${new Set(alive.map((b) => b.process)).size} worker process(es) beating (newest ${alive[0]!.ageSeconds} s ago); queue ${queue.depth}, ${queue.deadLetters} dead letters`;
      }
      // No heartbeat table (a database before worker heartbeats): a queue
      // that drains is the sign of a live worker.
      if (queue.overdue > 0) fail(`${queue.overdue} jobs due for over a minute and not taken: is a worker running?`);
      return `no heartbeat table; no job waits over a minute (queue ${queue.depth}, ${queue.deadLetters} dead letters)`;
    });

    await check("smtp", async () => {
      const smtp = await smtpReachability(config);
      if (!smtp.configured) return { skipped: "SMTP_URL not set" };
      if (!smtp.reachable) fail(`unreachable: ${smtp.error}`);
      return "the server answered";
    });
  } finally {
    await Promise.all([owner.end(), authenticator.end()]);
  }
  return checks;
}

export function formatSmoke(checks: SmokeCheck[]): string {
  const lines = checks.map((c) =>
    `${c.skipped ? "SKIP" : c.ok ? "PASS" : "FAIL"}  ${c.name.padEnd(24)} ${`${c.ms} ms`.padStart(8)}  ${c.detail}`);
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed ? `${failed} check${failed === 1 ? "" : "s"} failed.` : "All checks passed.");
  return lines.join("\n");
}

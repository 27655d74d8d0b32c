// The privacy workload: how long one user's data export takes after a year
// of use. One user with BENCH_PRIVACY_DAYS (365) days of life: a journal
// entry, a score in each of the 16 areas and three kept rituals a day, and
// BENCH_PRIVACY_MESSAGES (2) messages a day each way with a friend (points,
// activity and streaks follow from the triggers). Then the privacy__export
// job runs, as the worker runs it (storage on disk in a temporary folder):
// its time from queued to ready, the archive's size and what it holds.
// Last, the same account is erased (app_private.erase_user): its time.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Logger, runOnce } from "graphile-worker";
import { makeTaskList } from "../../worker-tasks/index.js";
import { type BenchRow, type Workload, fmtInt, fmtMs, intEnv, withClient } from "./db.js";

export const privacy: Workload = {
  name: "privacy",
  description: "data export, then erasure, of a user with a year of data (journal, scores, rituals, messages)",
  async run(ctx) {
    const days = intEnv("BENCH_PRIVACY_DAYS", 365);
    const messagesPerDay = intEnv("BENCH_PRIVACY_MESSAGES", 2);
    const storageDir = await mkdtemp(path.join(tmpdir(), "lifegraph-bench-privacy-"));
    try {
      const userId = await withClient(ctx.db.rootUrl, async (root) => {
        ctx.progress(`seeding a year (${days} days) of one user's life…`);
        const { rows: [me, friend] } = await root.query<{ id: string }>(
          "insert into app_public.users (username) values ('pv_bench_me'), ('pv_bench_friend') returning id",
        );
        const [meId, friendId] = [me!.id, friend!.id];
        await root.query("select app_private.make_friends($1, $2, null)", [meId, friendId]);
        await root.query(
          `insert into app_public.journal_entries (user_id, entry_date, title, content_md)
           select $1, current_date - g, 'Day ' || g, repeat('Today I kept going. ', 20) from generate_series(1, $2::int) g`,
          [meId, days],
        );
        await root.query(
          `insert into app_public.scores (user_id, area_id, score_date, score)
           select $1, a.id, current_date - g, 1 + (g + a.id) % 5 from generate_series(1, $2::int) g cross join app_public.life_areas a`,
          [meId, days],
        );
        const { rows: rituals } = await root.query<{ id: string }>(
          "insert into app_public.rituals (user_id, title) select $1, 'Ritual ' || g from generate_series(1, 3) g returning id",
          [meId],
        );
        for (const ritual of rituals) {
          await root.query(
            `insert into app_public.ritual_completions (ritual_id, user_id, completed_at)
             select $1, $2, now() - g * interval '1 day' from generate_series(1, $3::int) g`,
            [ritual.id, meId, days],
          );
        }
        const [low, high] = [meId, friendId].sort();
        const { rows: [conversation] } = await root.query<{ id: string }>(
          "insert into app_public.conversations (user_low, user_high) values ($1, $2) returning id", [low, high],
        );
        await root.query(
          "insert into app_public.conversation_members (conversation_id, user_id) values ($1, $2), ($1, $3)", [conversation!.id, meId, friendId],
        );
        await root.query(
          `insert into app_public.direct_messages (conversation_id, sender_id, body_md, created_at)
           select $1, case when n % 2 = 0 then $2::uuid else $3::uuid end, 'Message ' || n, now() - n * interval '1 hour'
           from generate_series(1, $4::int) n`,
          [conversation!.id, meId, friendId, days * messagesPerDay * 2],
        );
        // Only the export runs below, not the jobs the seeding queued.
        await root.query("delete from graphile_worker._private_jobs");
        return meId;
      });

      const exportId = await withClient(ctx.db.rootUrl, async (root) => {
        const { rows: [row] } = await root.query<{ id: string }>("insert into app_public.data_exports (user_id) values ($1) returning id", [userId]);
        await root.query("select graphile_worker.add_job('privacy__export', json_build_object('exportId', $1::uuid))", [row!.id]);
        return row!.id;
      });
      ctx.progress("exporting…");
      // The download link needs a signing key; the bench config has no JWT secret.
      const config = { ...ctx.config, STORAGE_DIR: storageDir, STORAGE_SIGNING_SECRET: ctx.config.STORAGE_SIGNING_SECRET ?? randomBytes(32).toString("hex") };
      const started = performance.now();
      await runOnce({ connectionString: ctx.db.ownerUrl, taskList: makeTaskList(config), logger: new Logger(() => () => {}) });
      const elapsed = performance.now() - started;

      return await withClient(ctx.db.rootUrl, async (root) => {
        const { rows: [done] } = await root.query(
          `select e.status, e.error, f.size from app_public.data_exports e left join app_public.files f on f.id = e.file_id where e.id = $1`,
          [exportId],
        );
        if (done.status !== "ready") throw new Error(`the export is ${done.status}: ${done.error}`);
        const { rows: [counts] } = await root.query(
          `select (select count(*) from app_public.journal_entries where user_id = $1)::int as journal,
             (select count(*) from app_public.scores where user_id = $1)::int as scores,
             (select count(*) from app_public.ritual_completions where user_id = $1)::int as completions,
             (select count(*) from app_public.direct_messages where sender_id = $1)::int as messages,
             (select count(*) from app_public.activity_events where actor_id = $1)::int as activity`,
          [userId],
        );
        const erasing = performance.now();
        await root.query("select app_private.erase_user($1)", [userId]);
        const erased = performance.now() - erasing;
        const rows: BenchRow[] = [
          { measure: "export, a year of data (queued → ready)", value: fmtMs(elapsed) },
          { measure: "erasure of that account (erase_user)", value: fmtMs(erased) },
          { measure: "archive size (zip)", value: `${fmtInt(Math.round(Number(done.size) / 1024))} KiB` },
          {
            measure: "rows of the main tables",
            value: `${fmtInt(counts.journal)} journal, ${fmtInt(counts.scores)} scores, ${fmtInt(counts.completions)} completions, ${fmtInt(counts.messages)} messages, ${fmtInt(counts.activity)} activity`,
          },
        ];
        return rows;
      });
    } finally {
      await rm(storageDir, { recursive: true, force: true });
    }
  },
};

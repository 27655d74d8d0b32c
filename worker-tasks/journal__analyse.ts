// Fills in a journal entry's sentiment and summary. Enqueued by the trigger on
// app_public.journal_entries with a job_key per entry, so a burst of edits is
// analysed once; the result is stored only if the entry has not changed since.
import type { Task } from "graphile-worker";
import type { Config } from "../src/config.js";
import { makeAnalyser } from "../src/journal/analyser.js";

export function analyseJournalEntry(config: Config): Task {
  const analyser = makeAnalyser(config);
  return async (payload, helpers) => {
    const { entry_id: entryId } = payload as { entry_id: string };
    const { rows } = await helpers.withPgClient((client) =>
      client.query<{ content_md: string }>("select content_md from app_public.journal_entries where id = $1", [entryId]),
    );
    if (rows.length === 0) return; // Deleted meanwhile: nothing to analyse.
    const content = rows[0]!.content_md;
    const { sentiment, summary } = await analyser.analyse(content);
    await helpers.withPgClient((client) =>
      client.query("select app_private.save_journal_analysis($1, $2, $3, $4)", [entryId, content, sentiment, summary]),
    );
  };
}

// Journal analysis behind one interface: the local analyser (AFINN word
// scores from the `sentiment` package and an extractive summary) by default,
// or any OpenAI-compatible chat endpoint when ANALYSER_URL is set.
import Sentiment from "sentiment";
import type { Config } from "../config.js";

export interface Analysis {
  /** From -1 (negative) to 1 (positive). */
  sentiment: number;
  summary: string;
}

export interface Analyser {
  analyse(markdown: string): Promise<Analysis>;
}

const SUMMARY_SENTENCES = 2;
const SUMMARY_MAX_CHARS = 280;

/** Markdown reduced to its words: the analysers score prose, not markup. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/[*_~`]+/g, "")
    .replace(/[ \t]+/g, " ")
    .trim();
}

const sentences = new Intl.Segmenter("en", { granularity: "sentence" });
const words = new Intl.Segmenter("en", { granularity: "word" });

function wordsOf(text: string): string[] {
  return [...words.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment.toLowerCase());
}

/**
 * The sentences whose words recur most in the entry (short words ignored as
 * mostly function words), kept in their original order.
 */
export function extractiveSummary(text: string): string {
  const all = [...sentences.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
  if (all.length <= SUMMARY_SENTENCES) return truncate(all.join(" "));
  const frequency = new Map<string, number>();
  for (const word of wordsOf(text)) if (word.length > 3) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const ranked = all
    .map((sentence, index) => {
      const content = wordsOf(sentence).filter((w) => w.length > 3);
      const weight = content.reduce((sum, w) => sum + (frequency.get(w) ?? 0), 0) / Math.max(1, Math.sqrt(content.length));
      return { sentence, index, weight };
    })
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .slice(0, SUMMARY_SENTENCES)
    .sort((a, b) => a.index - b.index);
  return truncate(ranked.map((r) => r.sentence).join(" "));
}

function truncate(text: string): string {
  return text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS - 1).trimEnd()}…`;
}

export function localAnalyser(): Analyser {
  const afinn = new Sentiment();
  return {
    async analyse(markdown) {
      const text = plainText(markdown);
      // `comparative` is the AFINN score per word (-5..5, usually within ±1);
      // tanh(2x) maps it onto -1..1 without a hard clip.
      const { comparative } = afinn.analyze(text);
      return { sentiment: Math.round(Math.tanh(2 * comparative) * 1000) / 1000, summary: extractiveSummary(text) };
    },
  };
}

/** An OpenAI-compatible `/chat/completions` endpoint that answers in JSON. */
export function remoteAnalyser(baseUrl: string, apiKey: string | undefined, model: string): Analyser {
  const endpoint = `${baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return {
    async analyse(markdown) {
      const response = await fetch(endpoint, {
        method: "POST",
        signal: AbortSignal.timeout(15_000),
        headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({
          model,
          response_format: { type: "json_object" },
          messages: [
            {
              role: "system",
              content:
                'You analyse journal entries. Reply with JSON only: {"sentiment": number from -1 to 1, "summary": at most two sentences}.',
            },
            { role: "user", content: markdown },
          ],
        }),
      });
      if (!response.ok) throw new Error(`analyser endpoint answered ${response.status}`);
      const body = (await response.json()) as { choices?: Array<{ message?: { content?: string } }> };
      const parsed = JSON.parse(body.choices?.[0]?.message?.content ?? "null") as Partial<Analysis> | null;
      if (typeof parsed?.sentiment !== "number" || typeof parsed.summary !== "string") {
        throw new Error("analyser endpoint returned no sentiment/summary");
      }
      return { sentiment: Math.max(-1, Math.min(1, parsed.sentiment)), summary: truncate(parsed.summary.trim()) };
    },
  };
}

export function makeAnalyser(config: Config): Analyser {
  return config.ANALYSER_URL
    ? remoteAnalyser(config.ANALYSER_URL, config.ANALYSER_API_KEY, config.ANALYSER_MODEL)
    : localAnalyser();
}

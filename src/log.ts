import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.js";

// Credentials and personal text never reach the logs.
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  "*.password",
  "*.oldPassword",
  "*.newPassword",
  "*.refreshToken",
  "*.accessToken",
  "*.secret",
];

const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const COLOURS: Record<number, string> = { 10: "90", 20: "90", 30: "32", 40: "33", 50: "31", 60: "35" };
// Fields every line has, or that the line already says another way.
const OMIT = new Set(["level", "time", "pid", "hostname", "msg", "component", "err", "label", "v"]);

const value = (v: unknown): string => {
  if (typeof v === "string") return /[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return JSON.stringify(v);
};

/**
 * One pino JSON line as one line a person reads:
 * `12:01:02.345 INFO  worker  Completed task 7 (…) taskIdentifier=… jobId=7`.
 * An error adds its message; at error level and above, its stack follows,
 * indented. Request logs (pino-http) show as method, URL, status and time.
 */
export function prettyLine(json: string, colour = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = Number(entry.level);
  const time = new Date(Number(entry.time)).toISOString().slice(11, 23);
  const name = LEVELS[level] ?? String(entry.level);
  const parts = [time, colour ? `\u001b[${COLOURS[level] ?? "0"}m${name}\u001b[0m` : name];
  if (entry.component) parts.push(String(entry.component).padEnd(7));
  const req = entry.req as { id?: unknown; method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (req?.method) {
    parts.push(`${req.method} ${req.url ?? ""} ${res?.statusCode ?? ""}${entry.responseTime !== undefined ? ` ${entry.responseTime}ms` : ""}`);
  }
  if (entry.msg !== undefined && !(req?.method && /^request (completed|errored)$/.test(String(entry.msg)))) parts.push(String(entry.msg));
  const err = entry.err as { message?: string; code?: string; stack?: string } | undefined;
  if (err?.message) parts.push(`— ${err.code ? `${err.code} ` : ""}${err.message}`);
  const skip = req?.method ? new Set([...OMIT, "req", "res", "responseTime", "reqId"]) : OMIT;
  const fields = Object.entries(entry).filter(([key, v]) => !skip.has(key) && v !== undefined);
  if (req?.method && req.id !== undefined) fields.unshift(["reqId", req.id]);
  if (fields.length) parts.push(fields.map(([key, v]) => `${key}=${value(v)}`).join(" "));
  let line = parts.join("  ");
  if (err?.stack && level >= 50) line += `\n    ${err.stack.split("\n").slice(1).map((l) => l.trim()).join("\n    ")}`;
  return line;
}

/** Pretty lines on stdout, written synchronously as pino's own destination is. */
function prettyDestination(): DestinationStream {
  const out = pino.destination({ fd: 1, sync: true });
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  return { write: (chunk: string) => void out.write(`${prettyLine(chunk.trimEnd(), colour)}\n`) };
}

/**
 * JSON lines (one object a line, for log collectors), except in development
 * on a terminal: there, one readable line per entry (LOG_FORMAT=json keeps
 * JSON, LOG_FORMAT=pretty asks for it anywhere). No pino-pretty: it would
 * be a transport thread and a dependency for a few lines of formatting.
 */
export function makeLogger(config: Pick<Config, "LOG_LEVEL"> & Partial<Pick<Config, "NODE_ENV" | "LOG_FORMAT">>): Logger {
  const format = config.LOG_FORMAT;
  const pretty = format === "pretty" || (format !== "json" && config.NODE_ENV === "development" && Boolean(process.stdout.isTTY));
  const options = { level: config.LOG_LEVEL, redact: { paths: REDACT, censor: "[redacted]" } };
  return pretty ? pino(options, prettyDestination()) : pino(options);
}

// Shared bits of `npm run bench`: a fresh, migrated bench database, made the
// way test/helpers/prepare-template.ts makes the test template (roles and
// database as the superuser, then our migrations connected as the owner), and
// the shape of a workload.
import { availableParallelism, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import type { Logger } from "pino";
import type { Config } from "../../src/config.js";
import { ensureRolesAndDatabase } from "../../src/db/roles.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { databaseUrls, withCredentials, withDatabase } from "../../src/db/urls.js";

export interface BenchDatabase {
  name: string;
  /** Superuser, connected to the bench database: seeding, inspection. */
  rootUrl: string;
  /** The owner, as the worker and the migrations connect. */
  ownerUrl: string;
}

/** One line of the summary table. `ratio` compares with the peer named in it. */
export interface BenchRow {
  measure: string;
  value: string;
  target?: string;
  ratio?: string;
}

export interface WorkloadContext {
  config: Config;
  db: BenchDatabase;
  /** For the worker and other components; quiet unless BENCH_LOG_LEVEL says otherwise. */
  logger: Logger;
  /** A progress line on stderr. */
  progress(message: string): void;
}

export interface Workload {
  name: string;
  description: string;
  run(ctx: WorkloadContext): Promise<BenchRow[]>;
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropBenchDatabase(rootUrl: string, name: string): Promise<void> {
  await withClient(rootUrl, (c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`));
}

/** Drops `name` if it exists, then creates and migrates it. `rootUrl`: a superuser, any database. */
export async function freshBenchDatabase(rootUrl: string, config: Config, name: string): Promise<BenchDatabase> {
  await dropBenchDatabase(rootUrl, name);
  await ensureRolesAndDatabase(rootUrl, config, name);
  const ownerUrl = withDatabase(withCredentials(rootUrl, config.DATABASE_OWNER, config.DATABASE_OWNER_PASSWORD), name);
  const dbRootUrl = withDatabase(rootUrl, name);
  await migrateDatabase(config, { ...databaseUrls(config, ownerUrl), root: dbRootUrl });
  return { name, rootUrl: dbRootUrl, ownerUrl };
}

// Formatting shared by the workloads.
const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
export const fmtInt = (n: number): string => number.format(n);
export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtLimit = (ms: number): string => (ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : fmtMs(ms));
/** With a decimal below 100 ms: the latency of one request or statement. */
export const fmtMsPrecise = (ms: number): string => (ms < 100 ? `${ms.toFixed(1)} ms` : fmtMs(ms));
export const fmtRate = (rows: number, ms: number): string => `${fmtInt((rows * 1000) / ms)}/s`;
export const fmtRatio = (ratio: number, peer: string): string => `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}× ${peer}`;
/** "≤ 5 s: ok" or "≤ 5 s: above target". */
export const fmtTarget = (ms: number, targetMs: number): string =>
  `≤ ${fmtLimit(targetMs)}: ${ms <= targetMs ? "ok" : "above target"}`;
/** The `p`th percentile of values sorted ascending: the value at that rank, no interpolation. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A positive integer knob from the environment, or its default. */
export function intEnv(name: string, fallback: number): number {
  return intListEnv(name, [fallback])[0]!;
}

/** A comma-separated list of positive integers, e.g. BENCH_WORKER_CONCURRENCY=8,32. */
export function intListEnv(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  return raw.split(",").map((part) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be positive integers, got ${raw}`);
    return value;
  });
}

/** A GraphQL request to a bench gateway: its data, or a thrown error with the status and errors. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Waits (up to 60 s) for the 1-minute load average to fall below the core count, so that peers measured one after the other meet the same machine. */
export async function waitQuiet(progress: (m: string) => void): Promise<void> {
  const cores = availableParallelism();
  const started = Date.now();
  while (loadavg()[0]! >= cores && Date.now() - started < 60_000) await sleep(2000);
  const waited = Date.now() - started;
  const load = loadavg()[0]!.toFixed(2);
  if (waited >= 1000) progress(`waited ${(waited / 1000).toFixed(0)} s for a quiet machine (1-min load ${load}, ${cores} cores)`);
  else progress(`machine quiet enough (1-min load ${load}, ${cores} cores)`);
}

// The gateway workload: what one GraphQL request costs on lifegraph, with its
// full auth, next to PostGraphile on the same database (issue 15). Servers,
// each a child process started the way production starts it:
//   lifegraph          `src/start.ts gateway` (NODE_ENV=production), real
//                      access tokens of BENCH_GATEWAY_USERS users;
//   lifegraph, no cache the same with SESSION_CACHE_MS=0: the session round
//                      trip before every request, as before the cache;
//   V5 bare            PostGraphile V5, the same schema plugins, as the owner
//                      (no row-level security), no auth (scripts/bench/peers/v5.ts);
//   V5 + RLS           the same file verifying the same JWTs and setting the
//                      same pgSettings (role, jwt.claims.session_id);
//   V4 + RLS           PostGraphile V4 with the same pgSettings
//                      (scripts/bench/peers/v4/server.js).
// Workloads: pk read, a list of 20, 3 levels nested, currentUser, an
// aggregate, a mutation with its triggers; the feed and a message send on
// lifegraph only (the peers cannot express them: absolute figures). What a
// peer cannot run (V4 has no aggregates) says n/a.
//
// Two phases:
//   1. counting: with `log_statement = all` on the bench database only, each
//      server answers BENCH_GATEWAY_COUNT (20) sequential requests of each
//      workload and the statements and transactions its connections sent
//      are counted in the server log (BENCH_PG_LOG, default Debian's
//      /var/log/postgresql/postgresql-<major>-main.log; pg_stat_statements
//      needs shared_preload_libraries, and pg_stat_database counts reach
//      shared memory up to 10 s late). Then the servers are restarted
//      without statement logging. BENCH_GATEWAY_COUNT=0 skips it.
//   2. load: autocannon (keep-alive, BENCH_GATEWAY_CONNECTIONS = 32) for
//      BENCH_GATEWAY_SECONDS (5) per server and workload, servers in a
//      shuffled order within each workload, BENCH_GATEWAY_ROUNDS (3) rounds
//      (the median drops one disturbed round), after every user's token has
//      been used once on every server (the steady state);
//      before each round it waits (up to 60 s) for the 1-minute load average
//      to fall below the core count. Each run reads the server's CPU time
//      (/proc/<pid>/stat utime + stime) before and after.
// Figures: req/s (mean of the rounds), p50/p99 latency (median of the
// rounds), Node CPU ms per request, statements and transactions per request,
// and lifegraph's req/s ÷ each peer's. JSON: BENCH_JSON (default
// bench-results/gateway.json).
import type { ChildProcess } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, open, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { availableParallelism, loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { databaseUrls } from "../../src/db/urls.js";
import { makeTokenSigner } from "../../src/identity/tokens.js";
import { fromRoot } from "../../src/paths.js";
import { type BenchRow, type Workload, type WorkloadContext, fmtInt, intEnv, median, waitQuiet, withClient } from "./db.js";
import { spawnGateway, spawnServer, spawnV4Peer, stop, waitForLine } from "./servers.js";

const SECRET = "gateway-bench-secret-gateway-bench-secret";

type Dialect = "v5" | "v4";
interface ServerSpec {
  key: string;
  name: string;
  dialect: Dialect;
  /** Reads as the owner, without a user: documents that need one are given the user's id. */
  bare?: boolean;
  ours?: boolean;
  start(ctx: WorkloadContext): Promise<Running>;
}
interface Running {
  child: ChildProcess;
  url: string;
}

interface Seeded {
  tokens: string[];
  userIds: string[];
  /** One journal entry of each user, for the pk read. */
  entryIds: string[];
}

/** A request of workload `name` as user `i`, or null where the server cannot express it. */
interface Case {
  name: string;
  oursOnly?: boolean;
  request(spec: ServerSpec, seed: Seeded, i: number): { query: string; variables?: Record<string, unknown> } | null;
}

const CASES: Case[] = [
  {
    name: "pk read",
    request: (s, d, i) => s.dialect === "v5"
      ? { query: "query ($id: UUID!) { journalEntry(rowId: $id) { rowId title entryDate } }", variables: { id: d.entryIds[i] } }
      : { query: "query ($id: UUID!) { journalEntryById(id: $id) { id title entryDate } }", variables: { id: d.entryIds[i] } },
  },
  {
    name: "list of 20",
    request: (s) => ({
      query: s.dialect === "v5"
        ? "{ journalEntries(first: 20) { nodes { rowId title entryDate tags sentiment } } }"
        : "{ allJournalEntries(first: 20) { nodes { id title entryDate tags sentiment } } }",
    }),
  },
  {
    name: "nested 3 levels",
    request: (s) => ({
      query: s.dialect === "v5"
        ? "{ goals(first: 20) { nodes { title keyResults { nodes { title currentValue goal { title } } } } } }"
        : "{ allGoals(first: 20) { nodes { title keyResults { nodes { title currentValue goal { title } } } } } }",
    }),
  },
  {
    name: "currentUser",
    request: (s) => ({ query: `{ currentUser { ${s.dialect === "v5" ? "rowId" : "id"} username displayName } }` }),
  },
  {
    name: "aggregate",
    // V4's pg-aggregates is another package (0.1.x) that the V4 peer does not carry.
    request: (s) => s.dialect === "v5"
      ? { query: "{ journalEntries { totalCount aggregates { average { sentiment } sum { sentiment } } } }" }
      : null,
  },
  {
    name: "mutation (createJournalEntry)",
    request: (s, d, i) => {
      const field = s.dialect === "v5" ? "rowId" : "id";
      if (s.bare) {
        return {
          query: `mutation ($u: UUID!) { createJournalEntry(input: { journalEntry: { userId: $u, entryDate: "2026-01-01", title: "bench", contentMd: "A bench entry." } }) { journalEntry { ${field} } } }`,
          variables: { u: d.userIds[i] },
        };
      }
      return { query: `mutation { createJournalEntry(input: { journalEntry: { title: "bench", contentMd: "A bench entry." } }) { journalEntry { ${field} } } }` };
    },
  },
  {
    name: "feed page (activityFeed)",
    oursOnly: true,
    request: () => ({ query: "{ activityFeed(scope: public, pageSize: 20) { rowId verb createdAt actor { username } } }" }),
  },
  {
    name: "message send",
    oursOnly: true,
    request: (_s, d, i) => ({
      query: "mutation ($r: UUID!) { sendMessage(input: { recipientId: $r, bodyMd: \"A bench message.\" }) { result { rowId } } }",
      variables: { r: d.userIds[(i + 1) % d.userIds.length] },
    }),
  },
];

function ours(key: string, name: string, extraEnv: Record<string, string>): ServerSpec {
  return { key, name, dialect: "v5", ours: true, start: (ctx) => spawnGateway(ctx, name, SECRET, extraEnv) };
}

function v5(key: string, name: string, mode: "bare" | "rls"): ServerSpec {
  return {
    key, name, dialect: "v5", bare: mode === "bare",
    async start(ctx) {
      const urls = databaseUrls(ctx.config, ctx.db.ownerUrl);
      const child = spawnServer(["--import", "tsx", "scripts/bench/peers/v5.ts"], fromRoot(), {
        ...process.env,
        NODE_ENV: "production",
        GRAPHILE_ENV: "production",
        PEER_MODE: mode,
        DATABASE_URL: mode === "bare" ? urls.owner : urls.authenticator,
        JWT_SECRET: SECRET,
        JWT_ISSUER: ctx.config.JWT_ISSUER,
        JWT_AUDIENCE: ctx.config.JWT_AUDIENCE,
        VISITOR_ROLE: ctx.config.DATABASE_VISITOR,
        ANONYMOUS_ROLE: ctx.config.DATABASE_ANONYMOUS,
      });
      return { child, url: await waitForLine(child, /listening on (http:\/\/\S+)/, name) };
    },
  };
}

const V4: ServerSpec = {
  key: "v4", name: "V4 + RLS", dialect: "v4",
  start: (ctx) => spawnV4Peer(ctx, SECRET),
};

const SERVERS: ServerSpec[] = [
  ours("lifegraph", "lifegraph", {}),
  ours("lifegraph-nocache", "lifegraph, no session cache", { SESSION_CACHE_MS: "0" }),
  v5("v5", "V5 bare", "bare"),
  v5("v5rls", "V5 + RLS", "rls"),
  V4,
];

async function seed(ctx: WorkloadContext, users: number): Promise<Seeded> {
  const signer = await makeTokenSigner({ secret: SECRET, issuer: ctx.config.JWT_ISSUER, audience: ctx.config.JWT_AUDIENCE, ttlSeconds: 24 * 3600 });
  return withClient(ctx.db.rootUrl, async (root) => {
    const { rows } = await root.query<{ user_id: string; id: string }>(
      `with u as (insert into app_public.users (username, display_name)
         select format('gw_%s', i), format('Bench user %s', i) from generate_series(1, $1::int) i returning id)
       insert into app_private.sessions (user_id, expires_at) select id, now() + interval '1 day' from u returning user_id, id`,
      [users],
    );
    // The rows only: their side effects (jobs, points, activity) are not what is read.
    await root.query("set session_replication_role = replica");
    await root.query(`insert into app_public.journal_entries (user_id, entry_date, title, content_md, tags, sentiment)
      select u.id, current_date - e, format('Entry %s', e), repeat('Some words about the day. ', 20), '{bench,day}', ((e % 21) - 10) / 10.0
      from app_public.users u, generate_series(1, 50) e where u.username like 'gw\\_%'`);
    await root.query(`with g as (insert into app_public.goals (user_id, title, status, progress)
        select u.id, format('Goal %s', n), 'active', 0 from app_public.users u, generate_series(1, 20) n where u.username like 'gw\\_%'
        returning id, user_id)
      insert into app_public.key_results (goal_id, user_id, title, target_value, current_value)
      select g.id, g.user_id, format('Key result %s', k), 10, k from g, generate_series(1, 3) k`);
    await root.query(`insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
      select u.id, 'goals.done', 'goal', gen_random_uuid(), jsonb_build_object('goal_title', 'Goal'), 'public'
      from app_public.users u, generate_series(1, 10) where u.username like 'gw\\_%'`);
    await root.query("set session_replication_role = origin");
    // Anyone may message anyone (the default is friends only): the message send needs no friendships.
    await root.query(`insert into app_public.privacy_settings (user_id, messages_from)
      select id, 'everyone' from app_public.users where username like 'gw\\_%'
      on conflict (user_id) do update set messages_from = 'everyone'`);
    await root.query("vacuum analyze");
    const { rows: entries } = await root.query<{ user_id: string; id: string }>(
      "select distinct on (user_id) user_id, id from app_public.journal_entries order by user_id, id");
    const entryOf = new Map(entries.map((e) => [e.user_id, e.id]));
    return {
      tokens: rows.map((s) => signer.sign({ userId: s.user_id, sessionId: s.id }).token),
      userIds: rows.map((s) => s.user_id),
      entryIds: rows.map((s) => entryOf.get(s.user_id)!),
    };
  });
}

function body(spec: ServerSpec, c: Case, data: Seeded, i: number): { headers: Record<string, string>; body: string } | null {
  const request = c.request(spec, data, i);
  if (!request) return null;
  return {
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(spec.bare ? {} : { authorization: `Bearer ${data.tokens[i]}` }),
    },
    body: JSON.stringify(request),
  };
}

/** One request, checked: null when it answered data without errors, else why not. */
async function check(url: string, request: { headers: Record<string, string>; body: string }): Promise<string | null> {
  const response = await fetch(`${url}/graphql`, { method: "POST", ...request });
  const text = await response.text();
  if (response.status !== 200) return `HTTP ${response.status}: ${text.slice(0, 200)}`;
  const json = JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (json.errors?.length) return json.errors.map((e) => e.extensions?.code ?? e.message).join(", ").slice(0, 200);
  return json.data ? null : "no data";
}

const TICKS_PER_SECOND = 100;
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime: fields 14 and 15 of the line, 12 and 13 after the name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  failures: number;
}

async function load(server: Running, spec: ServerSpec, c: Case, data: Seeded, seconds: number, connections: number): Promise<Run> {
  let n = Math.floor(Math.random() * data.tokens.length);
  const cpuBefore = await cpuMs(server.child.pid!);
  const result = await autocannon({
    url: `${server.url}/graphql`,
    connections,
    duration: seconds,
    requests: [{
      method: "POST",
      setupRequest: (request) => ({ ...request, ...body(spec, c, data, (n = (n + 1) % data.tokens.length))! }),
    }],
  });
  const cpuAfter = await cpuMs(server.child.pid!);
  const total = result.requests.total;
  return {
    reqPerSec: total / (result.duration || seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: total ? (cpuAfter - cpuBefore) / total : NaN,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/** Statements and transactions the bench database received, in a piece of the server log. */
function countLog(text: string, database: string): { statements: number; transactions: number } {
  const line = new RegExp(`^\\S+ \\S+ \\S+ \\[(\\d+)\\] \\S*@${database} LOG:  (?:statement|execute (?:<unnamed>|\\S+)): (.*)$`);
  const inTransaction = new Set<string>();
  let statements = 0;
  let transactions = 0;
  for (const raw of text.split("\n")) {
    const match = line.exec(raw);
    if (!match) continue;
    const [, pid, sql] = match;
    statements++;
    const verb = sql!.trim().split(/[\s;]/)[0]!.toLowerCase();
    if (verb === "begin" || verb === "start") {
      inTransaction.add(pid!);
      transactions++;
    } else if (verb === "commit" || verb === "rollback" || verb === "end") {
      inTransaction.delete(pid!);
    } else if (!inTransaction.has(pid!)) {
      transactions++;
    }
  }
  return { statements, transactions };
}

async function logSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

async function logSince(file: string, offset: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(size - offset);
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString("utf8");
  } finally {
    await handle.close();
  }
}

async function startAll(ctx: WorkloadContext, specs: ServerSpec[]): Promise<Map<string, Running>> {
  const running = new Map<string, Running>();
  // One at a time: a start builds a schema, and two cores are all there is.
  try {
    for (const spec of specs) {
      ctx.progress(`starting ${spec.name}…`);
      running.set(spec.key, await spec.start(ctx));
    }
  } catch (error) {
    await stopAll(running);
    throw error;
  }
  return running;
}

async function stopAll(running: Map<string, Running>): Promise<void> {
  await Promise.all([...running.values()].map((r) => stop(r.child)));
}

const shuffled = <T>(items: T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

interface Cell {
  runs: Run[];
  refused?: string;
  statements?: number;
  transactions?: number;
}

export const gateway: Workload = {
  name: "gateway",
  description: "per-request cost: lifegraph (full auth, with and without the session cache) vs PostGraphile V5 bare, V5 + RLS, V4 + RLS: req/s, p50/p99, CPU and SQL per request",
  async run(ctx) {
    const users = intEnv("BENCH_GATEWAY_USERS", 1000);
    const seconds = intEnv("BENCH_GATEWAY_SECONDS", 5);
    const connections = intEnv("BENCH_GATEWAY_CONNECTIONS", 32);
    const rounds = intEnv("BENCH_GATEWAY_ROUNDS", 3);
    const countN = Number(process.env.BENCH_GATEWAY_COUNT ?? 20);
    const only = (process.env.BENCH_GATEWAY_SERVERS ?? "").split(",").filter(Boolean);
    const specs = only.length ? SERVERS.filter((s) => only.includes(s.key)) : SERVERS;
    const onlyCases = (process.env.BENCH_GATEWAY_WORKLOADS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const cases = onlyCases.length ? CASES.filter((c) => onlyCases.some((o) => c.name.startsWith(o))) : CASES;
    const major = await withClient(ctx.db.rootUrl, (c) => c.query<{ v: string }>("select current_setting('server_version_num') as v"))
      .then((r) => Math.floor(Number(r.rows[0]!.v) / 10000));
    const logFile = process.env.BENCH_PG_LOG || `/var/log/postgresql/postgresql-${major}-main.log`;

    ctx.progress(`seeding ${fmtInt(users)} users × 50 journal entries, 20 goals × 3 key results…`);
    const data = await seed(ctx, users);
    const cells = new Map<string, Cell>();
    const cell = (spec: ServerSpec, c: Case) => {
      const key = `${spec.key}|${c.name}`;
      if (!cells.has(key)) cells.set(key, { runs: [] });
      return cells.get(key)!;
    };
    const pairs = (spec: ServerSpec) => cases.filter((c) => (!c.oursOnly || spec.ours) && c.request(spec, data, 0) !== null);

    // Phase 1: what each request sends to Postgres, from the server log.
    let counted = countN > 0;
    try {
      await access(logFile, constants.R_OK);
    } catch {
      ctx.progress(`cannot read the server log ${logFile} (BENCH_PG_LOG): statements per request not counted`);
      counted = false;
    }
    if (counted) {
      const db = ctx.db.name;
      await withClient(ctx.db.rootUrl, (c) => c.query(`alter database ${c.escapeIdentifier(db)} set log_statement = 'all'`));
      const running = await startAll(ctx, specs);
      try {
        for (const spec of specs) {
          for (const c of pairs(spec)) {
            const server = running.get(spec.key)!;
            const refused = await check(server.url, body(spec, c, data, 0)!);
            if (refused) {
              cell(spec, c).refused = refused;
              continue;
            }
            // The same users once before counting: the steady state, their sessions checked already.
            for (let i = 1; i <= countN; i++) await check(server.url, body(spec, c, data, i)!);
            await sleep(200);
            const offset = await logSize(logFile);
            for (let i = 1; i <= countN; i++) await check(server.url, body(spec, c, data, i)!);
            await sleep(300);
            const counts = countLog(await logSince(logFile, offset), db);
            cell(spec, c).statements = counts.statements / countN;
            cell(spec, c).transactions = counts.transactions / countN;
          }
        }
      } finally {
        await stopAll(running);
        await withClient(ctx.db.rootUrl, (c) => c.query(`alter database ${c.escapeIdentifier(db)} reset log_statement`));
      }
    }

    // Phase 2: load.
    const running = await startAll(ctx, specs);
    try {
      // Every user once on each server first: the steady state of a gateway
      // whose users keep coming back (their sessions checked, their rate-limit
      // keys known), not the first request of each, which the counting phase
      // shows apart.
      ctx.progress(`warming up (each of ${fmtInt(users)} users once, then 1 s per server and workload)…`);
      for (const spec of specs) {
        const server = running.get(spec.key)!;
        const first = pairs(spec)[0];
        if (!first) continue;
        let next = 0;
        await Promise.all(Array.from({ length: 8 }, async () => {
          while (next < data.tokens.length) await check(server.url, body(spec, first, data, next++)!);
        }));
      }
      for (const spec of specs) {
        for (const c of pairs(spec)) {
          const server = running.get(spec.key)!;
          const refused = cell(spec, c).refused ?? (await check(server.url, body(spec, c, data, 0)!));
          if (refused) {
            cell(spec, c).refused = refused;
            continue;
          }
          await load(server, spec, c, data, 1, 8);
        }
      }
      for (let round = 1; round <= rounds; round++) {
        await waitQuiet(ctx.progress);
        for (const c of cases) {
          for (const spec of shuffled(specs)) {
            if (!pairs(spec).includes(c) || cell(spec, c).refused) continue;
            ctx.progress(`round ${round}/${rounds}: ${c.name} on ${spec.name}…`);
            cell(spec, c).runs.push(await load(running.get(spec.key)!, spec, c, data, seconds, connections));
          }
        }
      }
    } finally {
      await stopAll(running);
    }

    // Summary.
    const rows: BenchRow[] = [
      { measure: "NOTE", value: `${connections} connections × ${seconds} s × ${rounds} rounds per cell; a loaded machine makes figures noisy: read the ratios` },
    ];
    const json: Record<string, unknown>[] = [];
    for (const c of cases) {
      const ourRate = (key: string) => {
        const runs = cells.get(`${key}|${c.name}`)?.runs ?? [];
        return runs.length ? runs.reduce((s, r) => s + r.reqPerSec, 0) / runs.length : NaN;
      };
      for (const spec of specs) {
        if (!(!c.oursOnly || spec.ours)) continue;
        const result = cells.get(`${spec.key}|${c.name}`);
        if (!result || (!result.runs.length && !result.refused)) {
          rows.push({ measure: `${c.name}: ${spec.name}`, value: "n/a (cannot be expressed)" });
          json.push({ workload: c.name, server: spec.name, expressible: false });
          continue;
        }
        if (result.refused) {
          rows.push({ measure: `${c.name}: ${spec.name}`, value: `n/a: ${result.refused}` });
          json.push({ workload: c.name, server: spec.name, refused: result.refused });
          continue;
        }
        const rate = ourRate(spec.key);
        const p50 = median(result.runs.map((r) => r.p50));
        const p99 = median(result.runs.map((r) => r.p99));
        const cpu = median(result.runs.map((r) => r.cpuMsPerRequest));
        const failures = result.runs.reduce((s, r) => s + r.failures, 0);
        const sql = result.statements === undefined ? "" : `, ${result.statements.toFixed(1)} stmt / ${result.transactions!.toFixed(1)} tx per req`;
        const lifegraph = ourRate("lifegraph");
        rows.push({
          measure: `${c.name}: ${spec.name}`,
          value: `${fmtInt(rate)} req/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, CPU ${cpu.toFixed(2)} ms/req${sql}${failures ? `, ${fmtInt(failures)} failed` : ""}`,
          ratio: spec.key !== "lifegraph" && Number.isFinite(lifegraph) ? `lifegraph ${(lifegraph / rate).toFixed(2)}× req/s` : undefined,
        });
        json.push({
          workload: c.name, server: spec.name, reqPerSec: rate, p50Ms: p50, p99Ms: p99, cpuMsPerRequest: cpu, failures,
          statementsPerRequest: result.statements, transactionsPerRequest: result.transactions,
          lifegraphReqPerSecRatio: spec.key !== "lifegraph" ? lifegraph / rate : undefined,
          runs: result.runs,
        });
      }
    }
    const out = process.env.BENCH_JSON || fromRoot("bench-results", "gateway.json");
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify({ users, seconds, connections, rounds, loadavg: loadavg(), cores: availableParallelism(), results: json }, null, 2));
    rows.push({ measure: "JSON", value: out });
    return rows;
  },
};

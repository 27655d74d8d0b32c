// The limits workload: what the query limits and the metrics cost a request.
// Three gateways (startGateway, in this process) on the same database:
//   - base: as production runs it (limits on, metrics off);
//   - without limits: GRAPHQL_LIMITS=off (a switch that exists for this bench);
//   - with metrics: METRICS_TOKEN set (request timing, error codes, the
//     operation label; nobody scrapes during the load).
// Each takes the same anonymous query (the 16 life areas and their
// dimensions, through the policies, about 200 fields) from autocannon,
// BENCH_LIMITS_CONNECTIONS (8) connections, in BENCH_LIMITS_ROUNDS (5)
// interleaved rounds of BENCH_LIMITS_SECONDS (3) s per gateway, in a
// rotating order, so drift (a warming JIT, a busy neighbour) falls on all
// three alike. Reported: each
// gateway's req/s over all its rounds, and the ratios base ÷ without limits
// and with metrics ÷ base, as times per request (above 1: slower).
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import type { Config } from "../../src/config.js";
import { withCredentials } from "../../src/db/urls.js";
import { startGateway, type Gateway } from "../../src/http/app.js";
import { type BenchRow, type Workload, fmtInt, fmtMsPrecise, fmtRatio, intEnv } from "./db.js";

const QUERY = `query Areas {
  lifeAreas(first: 16) { nodes { code name emoji color defaultWeight dimensions(first: 10) { nodes { code name defaultWeight } } } }
}`;
const BODY = JSON.stringify({ query: QUERY });

interface Variant {
  name: string;
  overrides: Partial<Config>;
  gateway?: Gateway;
  requests: number;
  seconds: number;
  p99s: number[];
}

async function load(url: string, connections: number, seconds: number) {
  const result = await autocannon({
    url: `${url}/graphql`,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: BODY,
  });
  if (result.errors || result.non2xx) throw new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return { requests: result.requests.total, seconds: result.duration, p99: result.latency.p99 };
}

export const limits: Workload = {
  name: "limits",
  description: "req/s with and without the query limits, and with and without metrics (interleaved autocannon rounds)",
  async run(ctx) {
    const connections = intEnv("BENCH_LIMITS_CONNECTIONS", 8);
    const rounds = intEnv("BENCH_LIMITS_ROUNDS", 5);
    const seconds = intEnv("BENCH_LIMITS_SECONDS", 3);
    const config: Config = {
      ...ctx.config,
      PORT: 0,
      JWT_SECRET: ctx.config.JWT_SECRET ?? (ctx.config.JWT_PRIVATE_KEY ? undefined : randomBytes(32).toString("hex")),
      METRICS_TOKEN: undefined,
      METRICS_PORT: undefined,
      GRAPHQL_LIMITS: "on",
      // One address sends everything: let it have as many requests in flight as there are connections.
      GRAPHQL_MAX_IN_FLIGHT: Math.max(ctx.config.GRAPHQL_MAX_IN_FLIGHT, connections),
    };
    const variants: Variant[] = [
      { name: "base (limits on, metrics off)", overrides: {}, requests: 0, seconds: 0, p99s: [] },
      { name: "without limits (GRAPHQL_LIMITS=off)", overrides: { GRAPHQL_LIMITS: "off" }, requests: 0, seconds: 0, p99s: [] },
      { name: "with metrics (METRICS_TOKEN set)", overrides: { METRICS_TOKEN: randomBytes(24).toString("hex") }, requests: 0, seconds: 0, p99s: [] },
    ];
    const urls = {
      owner: ctx.db.ownerUrl,
      authenticator: withCredentials(ctx.db.ownerUrl, config.DATABASE_AUTHENTICATOR, config.DATABASE_AUTHENTICATOR_PASSWORD),
    };
    try {
      for (const variant of variants) {
        ctx.progress(`starting the gateway ${variant.name}…`);
        variant.gateway = await startGateway({ ...config, ...variant.overrides }, urls, ctx.logger);
        // The answer is checked once, then each gateway is warmed (plans cached, pools full).
        const response = await fetch(`${variant.gateway.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: BODY });
        const body = (await response.json()) as { data?: { lifeAreas: { nodes: unknown[] } }; errors?: unknown };
        if (body.errors || body.data?.lifeAreas.nodes.length !== 16) throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 300)}`);
        await load(variant.gateway.url, connections, 1);
      }
      for (let round = 1; round <= rounds; round++) {
        ctx.progress(`round ${round}/${rounds}`);
        // Each round starts with another gateway: no variant always follows the same one.
        for (const variant of [...variants.slice(round % variants.length), ...variants.slice(0, round % variants.length)]) {
          const result = await load(variant.gateway!.url, connections, seconds);
          variant.requests += result.requests;
          variant.seconds += result.seconds;
          variant.p99s.push(result.p99);
        }
      }
    } finally {
      for (const variant of variants) await variant.gateway?.close();
    }
    const perSecond = (v: Variant) => v.requests / v.seconds;
    const [base, unlimited, measured] = variants as [Variant, Variant, Variant];
    const rows: BenchRow[] = variants.map((v) => ({
      measure: `${v.name}: req/s (${connections} connections, ${rounds}×${seconds} s)`,
      value: `${fmtInt(perSecond(v))} req/s, p99 ${fmtMsPrecise(Math.max(...v.p99s))} (worst round)`,
    }));
    rows.push(
      { measure: "cost of the query limits: time per request, limits on ÷ off", value: `${fmtInt(perSecond(base))} vs ${fmtInt(perSecond(unlimited))} req/s`, ratio: fmtRatio(perSecond(unlimited) / perSecond(base), "without limits") },
      { measure: "cost of the metrics: time per request, metrics on ÷ off", value: `${fmtInt(perSecond(measured))} vs ${fmtInt(perSecond(base))} req/s`, ratio: fmtRatio(perSecond(base) / perSecond(measured), "without metrics") },
    );
    return rows;
  },
};

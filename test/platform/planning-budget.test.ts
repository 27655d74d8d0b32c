// The planning budget: grafast plans an operation synchronously, blocking
// the process while it does. A document within the static limits (raised
// here) that takes longer than GRAPHQL_PLANNING_TIMEOUT_MS to plan is
// refused with QPLAN, and the gateway keeps answering meanwhile.
//
// grafast checks the budget between its planning phases: the first phase
// (planning every field) runs to its end, the others (optimising,
// finalising: most of the time on a large document) are cut. The same
// document again is refused at once (grafast remembers the timeout for a
// minute). How much of the block the budget saves is measured by
// `npm run bench -- limits`, not here.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const BUDGET_MS = 200;
/** Root fields of the heavy document: seconds of planning without a budget. */
const ALIASES = 200;
// grafast gives the first plans of a process up to 5x the budget (its JIT
// warm-up), easing to 1x after eight: these warm it up.
const WARM_UPS = 10;

const RAISED_LIMITS = {
  GRAPHQL_MAX_ALIASES: "100000",
  GRAPHQL_MAX_TOKENS: "1000000",
  GRAPHQL_MAX_COST: "1000000000000",
  MAX_REQUEST_BYTES: "5000000",
};

let budgeted: TestGateway;
let unbudgeted: TestGateway;

beforeAll(async () => {
  budgeted = await startTestGateway({ ...RAISED_LIMITS, GRAPHQL_PLANNING_TIMEOUT_MS: String(BUDGET_MS) });
  unbudgeted = await startTestGateway({ ...RAISED_LIMITS, GRAPHQL_PLANNING_TIMEOUT_MS: "60000" });
}, 120_000);

afterAll(async () => {
  await budgeted?.close();
  await unbudgeted?.close();
});

const heavy = `query Heavy {\n${Array.from(
  { length: ALIASES },
  (_, i) => `  e${i}: activityEvents(first: 1) { nodes { rowId verb createdAt actor { username displayName } community { name } } }`,
).join("\n")}\n}`;

/** The heavy request, with /healthz probed every 20 ms while it runs. */
async function heavyWithProbes(url: string) {
  const response = graphql(url, heavy);
  const probes = Array.from({ length: 5 }, (_, i) =>
    new Promise((resolve) => setTimeout(resolve, i * 20)).then(async () => ({ status: (await fetch(`${url}/healthz`)).status })),
  );
  return { result: await response, probes: await Promise.all(probes) };
}

describe("the planning budget", () => {
  it("plans an ordinary operation within it", async () => {
    const response = await graphql(budgeted.url, "query Small { activityEvents(first: 5) { nodes { rowId actor { username } } } }");
    expect(response.errors).toBeUndefined();
    expect(response.data?.activityEvents.nodes).toEqual([]);
  });

  it("refuses an operation that takes too long to plan (QPLAN), and /healthz answers meanwhile", async () => {
    for (let i = 0; i < WARM_UPS; i++) {
      const warm = await graphql(budgeted.url, `query Warm${i} { activityEvents(first: 1) { nodes { rowId } } }`);
      expect(warm.errors).toBeUndefined();
    }
    const refused = await heavyWithProbes(budgeted.url);
    expect(refused.result.errors?.map((e) => e.extensions?.code)).toEqual(["QPLAN"]);
    expect(refused.result.data ?? null).toBeNull();
    expect(refused.result.status).toBe(400);
    expect(refused.probes.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);

    // With a budget it fits in, the same document runs: the refusal was the budget's.
    const planned = await heavyWithProbes(unbudgeted.url);
    expect(planned.result.errors).toBeUndefined();
    expect(Object.keys(planned.result.data ?? {})).toHaveLength(ALIASES);

    // Sent again, it is refused again (grafast remembers the timeout; how
    // much time that saves is the bench's to say, not a test's).
    const again = await heavyWithProbes(budgeted.url);
    expect(again.result.errors?.map((e) => e.extensions?.code)).toEqual(["QPLAN"]);
  }, 120_000);
});

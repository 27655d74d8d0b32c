// The gateway's door: query limits that refuse before any SQL, a code on
// every error response, GET for queries only, no CSRF-prone media types, and
// a bound on one client's requests in flight.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { errorCodes, graphql, signUp, startTestGateway, type GraphQLResponse, type TestGateway } from "../helpers/gateway.js";

let t: TestGateway;
/** Statements the gateway sent as the authenticator role, i.e. for GraphQL (the owner's rate-limit and session checks are not counted). */
let statements = 0;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  t = await startTestGateway();
  const authenticator = t.db.config.DATABASE_AUTHENTICATOR;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (this.user === authenticator) statements++;
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await t.close();
});

/** Runs `request`; returns its answer and the GraphQL statements it cost. */
async function counted<T>(request: () => Promise<T>): Promise<{ result: T; sql: number }> {
  const before = statements;
  const result = await request();
  return { result, sql: statements - before };
}

const post = (body: string, contentType = "application/json", token?: string) =>
  fetch(`${t.url}/graphql`, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

const codesOf = async (response: Response) => ((await response.json()) as GraphQLResponse).errors?.map((e) => e.extensions?.code);

/** Each fragment spreads the next one twice: 2^levels copies of the innermost field once expanded. */
function fragmentFanOut(levels: number): string {
  const parts = [`query { ...F${levels} }`, `fragment F0 on Query { currentUser { username } }`];
  for (let i = 1; i <= levels; i++) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return parts.join("\n");
}

describe("query limits run before any SQL", () => {
  it("counts statements: a plain query costs some", async () => {
    const { result, sql } = await counted(() => graphql(t.url, "{ lifeAreas { nodes { code } } }"));
    expect(result.errors).toBeUndefined();
    expect(sql).toBeGreaterThan(0);
  });

  it("refuses an anonymous fragment fan-out of 30 levels (about 1 KB) at validation", async () => {
    const query = fragmentFanOut(30);
    expect(query.length).toBeLessThan(1500);
    const { result, sql } = await counted(() => graphql(t.url, query));
    expect(errorCodes(result)).toEqual(["QLIMT"]);
    expect(sql).toBe(0);
    // The gateway still answers.
    expect((await graphql(t.url, "{ currentUser { username } }")).data).toEqual({ currentUser: null });
  });

  it("refuses 1,000 aliases, and 31 (GRAPHQL_MAX_ALIASES is 30)", async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: lifeAreas { nodes { code } }`).join(" ")} }`;
    for (const n of [1000, 31]) {
      const { result, sql } = await counted(() => graphql(t.url, aliases(n)));
      expect(errorCodes(result)).toEqual(["QLIMT"]);
      expect(sql).toBe(0);
    }
    expect((await graphql(t.url, aliases(30))).errors).toBeUndefined();
  });

  it("refuses a depth of 120 with QLIMT, not INTERNAL", async () => {
    const query = `{ ${"query { ".repeat(120)}__typename${" }".repeat(120)} }`;
    const { result, sql } = await counted(() => graphql(t.url, query));
    expect(errorCodes(result)).toEqual(["QLIMT"]);
    expect(sql).toBe(0);
  });

  it("refuses first: 1000000, written in the document or passed as a variable", async () => {
    const literal = await counted(() => graphql(t.url, "{ lifeAreas(first: 1000000) { nodes { code } } }"));
    expect(errorCodes(literal.result)).toEqual(["QLIMT"]);
    expect(literal.sql).toBe(0);
    const variable = await counted(() => graphql(t.url, "query ($n: Int) { lifeAreas(last: $n) { nodes { code } } }", { n: 1_000_000 }));
    expect(errorCodes(variable.result)).toEqual(["QLIMT"]);
    expect(variable.sql).toBe(0);
    expect((await graphql(t.url, "query ($n: Int) { lifeAreas(first: $n) { nodes { code } } }", { n: 100 })).errors).toBeUndefined();
  });

  it("gives a connection without first or last one page of GRAPHQL_MAX_PAGE (100), and refuses a null page", async () => {
    const user = await signUp(t.url, "limits_pages");
    await t.db.root.query(
      `insert into app_public.journal_entries (user_id, entry_date, content_md)
       select $1, current_date - n, 'entry ' || n from generate_series(1, 120) n`, [user.id]);
    const page = (args: string, variables = {}) =>
      graphql(t.url, `query ${args.includes("$n") ? "($n: Int) " : ""}{ journalEntries${args} { totalCount nodes { rowId } } }`, variables, user.token);
    const all = await page("");
    expect(all.errors).toBeUndefined();
    expect(all.data.journalEntries.totalCount).toBe(120);
    expect(all.data.journalEntries.nodes).toHaveLength(100);
    expect((await page("(last: 5)")).data.journalEntries.nodes).toHaveLength(5);
    expect((await page("(first: $n)", { n: 7 })).data.journalEntries.nodes).toHaveLength(7);
    expect((await page("(first: 100, offset: 100)")).data.journalEntries.nodes).toHaveLength(20);
    for (const [args, variables] of [["(first: null)", {}], ["(first: $n)", {}], ["(last: $n)", { n: null }]] as const) {
      const { result, sql } = await counted(() => page(args, variables));
      expect(errorCodes(result)).toEqual(["QLIMT"]);
      expect(sql).toBe(0);
    }
  });

  it("reads no page for a connection asked only for totalCount and aggregates: one query, as for the page alone", async () => {
    const user = await signUp(t.url, "limits_counts");
    const ask = (selection: string) => counted(() => graphql(t.url, `{ journalEntries { ${selection} } }`, {}, user.token));
    const pageOnly = await ask("nodes { rowId }");
    const countsOnly = await ask("totalCount aggregates { sum { sentiment } }");
    expect(countsOnly.result.errors).toBeUndefined();
    expect(countsOnly.result.data.journalEntries.totalCount).toBe(0);
    expect(countsOnly.sql).toBe(pageOnly.sql);
  });

  it("refuses too many tokens, too many directives and a cost over the estimate", async () => {
    const tokens = await counted(() => graphql(t.url, `{ currentUser { ${"username ".repeat(6000)} } }`));
    expect(errorCodes(tokens.result)).toEqual(["QLIMT"]);
    expect(tokens.sql).toBe(0);
    const directives = await counted(() => graphql(t.url, `{ currentUser { username ${"@include(if: true) ".repeat(40)} } }`));
    expect(errorCodes(directives.result)).toContain("QLIMT");
    expect(directives.sql).toBe(0);
    // Three connections of 100 nested: 10^6 rows at most.
    const cost = await counted(() =>
      graphql(t.url, "{ lifeAreas { nodes { dimensions { nodes { area { dimensions { nodes { code } } } } } } } }"));
    expect(errorCodes(cost.result)).toEqual(["QLIMT"]);
    expect(cost.sql).toBe(0);
  });
});

describe("every error response has a code", () => {
  it("parse and validation errors", async () => {
    expect(errorCodes(await graphql(t.url, "{ currentUser { "))).toEqual(["GQLPA"]);
    expect(errorCodes(await graphql(t.url, "{ noSuchField }"))).toEqual(["GQLVA"]);
  });

  it("a malformed JSON body, a batch, a body that is no request", async () => {
    const malformed = await post("{ not json");
    expect(malformed.status).toBe(400);
    expect(await codesOf(malformed)).toEqual(["GQLBD"]);
    const batch = await post(JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]));
    expect(batch.status).toBe(400);
    expect(await codesOf(batch)).toEqual(["GQLBD"]);
    const noQuery = await post(JSON.stringify({ variables: {} }));
    expect(noQuery.status).toBe(400);
    expect(await codesOf(noQuery)).toEqual(["GQLBD"]);
  });

  it("a body over the size limit", async () => {
    const response = await post(JSON.stringify({ query: `{ __typename } # ${"x".repeat(200_000)}` }));
    expect(response.status).toBe(413);
    expect(await codesOf(response)).toEqual(["GQLSZ"]);
  });

  it("text/plain, form-encoded and missing media types are 415 GQLCT (no CSRF-simple POSTs)", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const { result: response, sql } = await counted(() => post(JSON.stringify({ query: "{ __typename }" }), type));
      expect(response.status).toBe(415);
      expect(await codesOf(response)).toEqual(["GQLCT"]);
      expect(sql).toBe(0);
    }
  });

  it("an Accept the server cannot answer is 406 GQLAC", async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/csv" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(406);
    expect(await codesOf(response)).toEqual(["GQLAC"]);
  });

  it("a subscription over POST and a missing operation are GQLOP, not INTERNAL", async () => {
    const subscription = await counted(() => graphql(t.url, "subscription { activityFeed { __typename } }"));
    expect(errorCodes(subscription.result)).toEqual(["GQLOP"]);
    expect(subscription.sql).toBe(0);
    const twoOps = await graphql(t.url, "query A { __typename } query B { __typename }");
    expect(errorCodes(twoOps)).toEqual(["GQLOP"]);
    const response = await post(JSON.stringify({ query: "query A { __typename }", operationName: "B" }));
    expect(await codesOf(response)).toEqual(["GQLOP"]);
  });
});

describe("GET for queries only", () => {
  const get = (params: Record<string, string>, token?: string) =>
    fetch(`${t.url}/graphql?${new URLSearchParams(params)}`, {
      headers: { accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  it("answers a query, with variables and the bearer token", async () => {
    const user = await signUp(t.url, "limits_get");
    const response = await get({ query: "query ($n: Int) { currentUser { username } lifeAreas(first: $n) { nodes { code } } }", variables: JSON.stringify({ n: 2 }) }, user.token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as GraphQLResponse;
    expect(body.data.currentUser).toEqual({ username: "limits_get" });
    expect(body.data.lifeAreas.nodes).toHaveLength(2);
  });

  it("refuses a mutation with 405 GQLME, running nothing", async () => {
    const { result: response, sql } = await counted(() => get({ query: 'mutation { login(input: { login: "x", password: "y" }) { accessToken } }' }));
    expect(response.status).toBe(405);
    expect(await codesOf(response)).toEqual(["GQLME"]);
    expect(sql).toBe(0);
  });

  it("applies the limits to GET too", async () => {
    const response = await get({ query: fragmentFanOut(30) });
    expect(await codesOf(response)).toEqual(["QLIMT"]);
  });
});

describe("requests in flight", () => {
  it("one user's 12 blocked queries leave another user's query free to run", async () => {
    const [hog, other] = [await signUp(t.url, "limits_hog"), await signUp(t.url, "limits_other")];
    // A root transaction holds the goals table: the hog's queries, which read
    // it, wait in Postgres on connections of the gateway's pool (10).
    const lock = await t.db.root.connect();
    await lock.query("begin; lock table app_public.goals in access exclusive mode");
    const done: boolean[] = [];
    let hogs: Promise<unknown>[] = [];
    try {
      hogs = Array.from({ length: 12 }, (_, i) =>
        graphql(t.url, "{ goals { nodes { title } } }", {}, hog.token).then((r) => {
          done[i] = true;
          return r;
        }));
      // Wait until the admitted ones (GRAPHQL_MAX_IN_FLIGHT, 4) wait on the lock.
      const waiting = async () =>
        (await t.db.root.query(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and usename = $1 and wait_event_type = 'Lock'`,
          [t.db.config.DATABASE_AUTHENTICATOR],
        )).rows[0].n as number;
      for (let tries = 0; tries < 400 && (await waiting()) < 4; tries++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await waiting()).toBe(4);
      const mine = await graphql(t.url, "{ currentUser { username } }", {}, other.token);
      expect(mine.data.currentUser).toEqual({ username: "limits_other" });
      expect(done.filter(Boolean)).toHaveLength(0);
    } finally {
      await lock.query("commit");
      lock.release();
    }
    const results = (await Promise.all(hogs)) as GraphQLResponse[];
    expect(results.map((r) => r.errors)).toEqual(Array(12).fill(undefined));
  });
});

describe("in production", () => {
  let prod: TestGateway;
  beforeAll(async () => {
    prod = await startTestGateway({ NODE_ENV: "production", GRAPHIQL: "false", TRUSTED_DOCUMENTS: "off" });
  });
  afterAll(async () => {
    await prod.close();
  });

  it("has no introspection and no suggestions", async () => {
    const introspection = await graphql(prod.url, "{ __schema { types { name } } }");
    expect(new Set(errorCodes(introspection))).toEqual(new Set(["GQLVA"]));
    const typo = await graphql(prod.url, "{ currentUsr { username } }");
    expect(errorCodes(typo)).toEqual(["GQLVA"]);
    expect(typo.errors![0]!.message).not.toMatch(/Did you mean/);
    expect(errorCodes(await graphql(t.url, "{ currentUsr { username } }"))).toEqual(["GQLVA"]);
    expect((await graphql(t.url, "{ currentUsr { username } }")).errors![0]!.message).toMatch(/Did you mean/);
  });

  it("GRAPHQL_INTROSPECTION=true turns introspection back on", async () => {
    const on = await startTestGateway({ NODE_ENV: "production", GRAPHQL_INTROSPECTION: "true", TRUSTED_DOCUMENTS: "off" });
    try {
      expect((await graphql(on.url, "{ __schema { queryType { name } } }")).data).toEqual({ __schema: { queryType: { name: "Query" } } });
    } finally {
      await on.close();
    }
  });
});

// The life domain through the real gateway, as an app uses it: areas, a score
// and its rollup and GFS, weights, journal, goal progress from key results, a
// ritual streak, wellness stats, and a review on request.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, register, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";

let gw: TestGateway;
let token: string;
let userId: string;
const gql = (query: string, variables: Record<string, unknown> = {}) => graphql(gw.url, query, variables, token);

beforeAll(async () => {
  gw = await startTestGateway();
  const auth = await register(gw.url, "lifeapi");
  token = auth.accessToken;
  userId = auth.user.rowId;
  await gw.db.root.query("update app_public.user_settings set timezone = 'America/Toronto' where user_id = $1", [userId]);
});
afterAll(async () => {
  await gw.close();
});

describe("the life domain over GraphQL", () => {
  it("lists the 16 areas with dimensions, to anyone", async () => {
    const response = await graphql(gw.url, `{ lifeAreas(orderBy: POSITION_ASC) { totalCount nodes { code defaultWeight dimensions { totalCount } } } }`);
    expect(response.errors).toBeUndefined();
    const { totalCount, nodes } = response.data.lifeAreas;
    expect(totalCount).toBe(16);
    expect(nodes[0].code).toBe("WRK");
    expect(nodes.reduce((sum: number, a: any) => sum + Number(a.defaultWeight), 0)).toBeCloseTo(1, 10);
    expect(nodes.every((a: any) => a.dimensions.totalCount >= 2)).toBe(true);
  });

  it("records a score (a second one the same day replaces it) and shows its rollups and GFS", async () => {
    const record = (score: number) =>
      gql(`mutation ($s: BigFloat!) { recordScore(input: { areaCode: "WRK", score: $s, scoreDate: "2024-05-14" }) { result { rowId score source } } }`, { s: String(score) });
    const first = await record(2.5);
    const second = await record(4.5);
    expect(second.errors).toBeUndefined();
    expect(second.data.recordScore.result).toMatchObject({ rowId: first.data.recordScore.result.rowId, score: "4.5", source: "manual" });
    await gql(`mutation { recordScore(input: { areaCode: "HLT", score: "3", scoreDate: "2024-05-15" }) { result { rowId } } }`);
    await runQueuedJobs(gw.db);
    const response = await gql(`{
      scoreRollups(condition: { periodKind: week }) { nodes { area { code } periodStart periodEnd score sampleCount } }
      currentUser { gfs(period: week, onDate: "2024-05-16") { score coverage periodStart areas { areaCode weight score contribution } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.scoreRollups.nodes).toEqual(expect.arrayContaining([
      { area: { code: "WRK" }, periodStart: "2024-05-13", periodEnd: "2024-05-19", score: "4.500", sampleCount: 1 },
    ]));
    const gfs = response.data.currentUser.gfs;
    expect(gfs).toMatchObject({ periodStart: "2024-05-13", score: "3.750" });
    expect(gfs.areas.map((a: any) => a.areaCode)).toEqual(["WRK", "HLT"]);
  });

  it("saves weights that sum to 1, and refuses others with WEIGH", async () => {
    const bad = await gql(`mutation { setAreaWeights(input: { areaCodes: ["WRK"], weights: ["0.5"] }) { clientMutationId } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe("WEIGH");
    const good = await gql(`mutation { setAreaWeights(input: { areaCodes: ["WRK", "HLT"], weights: ["0.12", "0.04"] }) { result { weight } } }`);
    expect(good.errors).toBeUndefined();
    // A single row written directly is checked at commit, with the same code.
    const single = await gql(`mutation { createUserAreaWeight(input: { userAreaWeight: { areaId: 2, weight: "0.5" } }) { userAreaWeight { weight } } }`);
    expect(single.errors?.[0]?.extensions?.code).toBe("WEIGH");
    const { rows } = await gw.db.root.query("select count(*)::int as n from app_public.user_area_weights where user_id = $1", [userId]);
    expect(rows[0].n).toBe(2);
    const { data } = await gql(`{ currentUser { gfs(period: week, onDate: "2024-05-16") { score } } }`);
    // (0.12·4.5 + 0.04·3) / 0.16
    expect(Number(data.currentUser.gfs.score)).toBeCloseTo(4.125, 3);
  });

  it("keeps a goal's progress in step with its key results", async () => {
    const goal = await gql(`mutation { createGoal(input: { goal: { title: "Run a 10k", status: active, priority: high } }) { goal { rowId } } }`);
    const goalId = goal.data.createGoal.goal.rowId;
    for (const [title, target, current] of [["Distance", 10, 5], ["Runs a week", 4, 4]] as const) {
      const kr = await gql(`mutation ($g: UUID!, $t: String!, $target: BigFloat!, $current: BigFloat!) {
        createKeyResult(input: { keyResult: { goalId: $g, title: $t, targetValue: $target, currentValue: $current } }) { keyResult { rowId } } }`,
        { g: goalId, t: title, target: String(target), current: String(current) });
      expect(kr.errors).toBeUndefined();
    }
    const { data } = await gql(`query ($g: UUID!) { goal(rowId: $g) { progress keyResults { totalCount } } }`, { g: goalId });
    expect(data.goal).toEqual({ progress: "75.00", keyResults: { totalCount: 2 } });
  });

  it("filters and sorts goals and relationships by what clients ask for", async () => {
    for (const [title, priority] of [["Read", "low"], ["Ship", "critical"], ["Rest", "high"]]) {
      const created = await gql(`mutation ($t: String!, $p: GoalPriority!) { createGoal(input: { goal: { title: $t, priority: $p } }) { goal { rowId } } }`, { t: title, p: priority });
      expect(created.errors).toBeUndefined();
    }
    const goals = await gql(`{ goals(filter: { priority: { in: [high, critical] } }, orderBy: PRIORITY_DESC) { nodes { title priority } } }`);
    expect(goals.errors).toBeUndefined();
    const mine = goals.data.goals.nodes.filter((g: { title: string }) => ["Read", "Ship", "Rest"].includes(g.title));
    expect(mine).toEqual([{ title: "Ship", priority: "critical" }, { title: "Rest", priority: "high" }]);
    expect(goals.data.goals.nodes.every((g: { priority: string }) => ["high", "critical"].includes(g.priority))).toBe(true);
    for (const [name, quality] of [["Ana", 9], ["Ben", 4]] as const) {
      await gql(`mutation ($n: String!, $q: Int!) { createRelationship(input: { relationship: { personName: $n, quality: $q } }) { relationship { rowId } } }`, { n: name, q: quality });
    }
    const close = await gql(`{ relationships(filter: { quality: { greaterThanOrEqualTo: 7 } }, orderBy: PERSON_NAME_ASC) { nodes { personName } } }`);
    expect(close.errors).toBeUndefined();
    expect(close.data.relationships.nodes).toEqual([{ personName: "Ana" }]);
  });

  it("counts a ritual streak from completions, and refuses a second completion in the slot", async () => {
    const ritual = await gql(`mutation { createRitual(input: { ritual: { title: "Stretch", cadence: daily } }) { ritual { rowId } } }`);
    const ritualId = ritual.data.createRitual.ritual.rowId;
    const complete = (at: string) => gql(`mutation ($r: UUID!, $at: Datetime!) {
      createRitualCompletion(input: { ritualCompletion: { ritualId: $r, completedAt: $at } }) { ritualCompletion { slotStart } } }`, { r: ritualId, at });
    const now = Date.now();
    for (const daysAgo of [2, 1, 0]) expect((await complete(new Date(now - daysAgo * 86_400_000).toISOString())).errors).toBeUndefined();
    const again = await complete(new Date(now).toISOString());
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "NUNIQ", constraint: "ritual_completion_once_per_slot" });
    const { data } = await gql(`query ($r: UUID!) { ritual(rowId: $r) { currentStreak longestStreak streaks { nodes { length } } } }`, { r: ritualId });
    expect(data.ritual).toEqual({ currentStreak: 3, longestStreak: 3, streaks: { nodes: [{ length: 3 }] } });
  });

  it("summarises wellness in the user's time zone", async () => {
    const { rows } = await gw.db.root.query("select (now() at time zone 'America/Toronto')::date::text as today");
    const today = rows[0].today;
    const created = await gql(`mutation ($d: Date!) { createWellnessEntry(input: { wellnessEntry: { entryDate: $d, sleepHours: "7.5", mood: 8 } }) { wellnessEntry { rowId } } }`, { d: today });
    expect(created.errors).toBeUndefined();
    const { data } = await gql(`{ wellnessStats(days: 7) { entries avgSleepHours avgMood lastDay } wellnessStreak }`);
    expect(data).toEqual({ wellnessStats: { entries: 1, avgSleepHours: "7.50", avgMood: "8.00", lastDay: today }, wellnessStreak: 1 });
  });

  it("writes a journal entry that the worker analyses, and a review on request", async () => {
    const entry = await gql(`mutation { createJournalEntry(input: { journalEntry: { entryDate: "2024-05-14", contentMd: "A wonderful, happy day.", tags: ["joy"] } }) { journalEntry { rowId sentiment } } }`);
    expect(entry.data.createJournalEntry.journalEntry.sentiment).toBeNull();
    await runQueuedJobs(gw.db);
    const asked = await gql(`mutation { generateReview(input: { kind: monthly, periodStart: "2024-05-01" }) { result } }`);
    expect(asked.data.generateReview.result).toBe(true);
    await runQueuedJobs(gw.db);
    const { data } = await gql(`{ journalEntries { nodes { sentiment summary } } reviews { nodes { kind periodStart gfs journalHighlights } } }`);
    expect(Number(data.journalEntries.nodes[0].sentiment)).toBeGreaterThan(0.3);
    expect(data.reviews.nodes).toEqual([expect.objectContaining({ kind: "monthly", periodStart: "2024-05-01" })]);
    expect(data.reviews.nodes[0].journalHighlights[0].summary).toBe("A wonderful, happy day.");
  });
});

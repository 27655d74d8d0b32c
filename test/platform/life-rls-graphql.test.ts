// Row-level security of the life domain through the real gateway: with two
// signed-in users, B's connections, lookups, aggregates and mutations never
// reach A's rows; A's own requests do (so the policies are not simply closed).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { insertRow, lifeAreaIds, type Row } from "../helpers/rls-matrix.js";

let t: TestGateway;
let a: Account;
let b: Account;
/** A's seeded rows, by table. */
const aRows: Record<string, Row> = {};

/** One row of each kind for a user, inserted as superuser; returns them by table. */
async function seed(userId: string, scores: number[]): Promise<Record<string, Row>> {
  const db = t.db;
  const area = await lifeAreaIds(db);
  const rows: Record<string, Row> = {};
  rows.journal_entries = await insertRow(db, "journal_entries", { user_id: userId, title: "Private", content_md: "Dear diary" });
  for (const [i, score] of scores.entries()) {
    rows.scores = await insertRow(db, "scores", { user_id: userId, area_id: area.WRK, score_date: `2024-03-0${i + 1}`, score });
  }
  rows.goals = await insertRow(db, "goals", { user_id: userId, title: "Run a marathon" });
  rows.rituals = await insertRow(db, "rituals", { user_id: userId, title: "Meditate" });
  rows.wellness_entries = await insertRow(db, "wellness_entries", { user_id: userId, entry_date: "2024-03-01", mood: 5 });
  rows.reviews = await insertRow(db, "reviews", { user_id: userId, kind: "monthly", period_start: "2024-03-01", period_end: "2024-03-31" });
  rows.coaching_conversations = await insertRow(db, "coaching_conversations", { user_id: userId, title: "Sleep" });
  rows.coaching_messages = await insertRow(db, "coaching_messages", {
    conversation_id: rows.coaching_conversations.id, user_id: userId, role: "user", content: "I sleep badly",
  });
  rows.journal_entry_areas = await insertRow(db, "journal_entry_areas", { entry_id: rows.journal_entries.id, user_id: userId, area_id: area.WRK });
  rows.key_results = await insertRow(db, "key_results", { goal_id: rows.goals.id, user_id: userId, title: "Run 10 km", target_value: 10 });
  rows.ritual_completions = await insertRow(db, "ritual_completions", {
    ritual_id: rows.rituals.id, user_id: userId, completed_at: "2024-03-01T08:00:00Z",
  });
  rows.relationships = await insertRow(db, "relationships", { user_id: userId, person_name: "Sam" });
  rows.relationship_interactions = await insertRow(db, "relationship_interactions", { relationship_id: rows.relationships.id, user_id: userId });
  rows.integrity_logs = await insertRow(db, "integrity_logs", { user_id: userId, commitment: "Call mum on Sundays" });
  rows.forgiveness_logs = await insertRow(db, "forgiveness_logs", { user_id: userId, subject: "An old friend" });
  rows.autobiography_chapters = await insertRow(db, "autobiography_chapters", { user_id: userId, title: "Childhood" });
  rows.module_progress = await insertRow(db, "module_progress", { user_id: userId, module_name: "sleep-basics" });
  await db.root.query(
    "insert into app_public.user_area_weights (user_id, area_id, weight) select $1, id, default_weight from app_public.life_areas", [userId],
  );
  // Children change their parents (goal progress, message count): as they now stand.
  for (const parent of ["goals", "coaching_conversations"]) {
    rows[parent] = (await db.root.query(`select * from app_public.${parent} where id = $1`, [rows[parent]!.id])).rows[0];
  }
  const mean = scores.reduce((x, y) => x + y, 0) / scores.length;
  rows.score_rollups = await insertRow(db, "score_rollups", {
    user_id: userId, area_id: area.WRK, period_kind: "month", period_start: "2024-03-01", period_end: "2024-03-31",
    score: mean, sample_count: scores.length, covered_days: scores.length, confidence: 0.5, last_scored_day: "2024-03-20",
  });
  return rows;
}

beforeAll(async () => {
  t = await startTestGateway();
  a = await signUp(t.url, "lrg_alice");
  b = await signUp(t.url, "lrg_bob");
  Object.assign(aRows, await seed(a.id, [4, 5, 3]));
  await seed(b.id, [1, 2]);
});
afterAll(async () => {
  await t.close();
});

// Connections of the Query root, and the table behind each.
const CONNECTIONS = {
  journalEntries: "journal_entries",
  scores: "scores",
  goals: "goals",
  rituals: "rituals",
  wellnessEntries: "wellness_entries",
  reviews: "reviews",
  scoreRollups: "score_rollups",
  coachingConversations: "coaching_conversations",
  coachingMessages: "coaching_messages",
  journalEntryAreas: "journal_entry_areas",
  keyResults: "key_results",
  ritualCompletions: "ritual_completions",
  ritualStreaks: "ritual_streaks",
  relationships: "relationships",
  relationshipInteractions: "relationship_interactions",
  integrityLogs: "integrity_logs",
  forgivenessLogs: "forgiveness_logs",
  autobiographyChapters: "autobiography_chapters",
  moduleProgresses: "module_progress",
  userAreaWeights: "user_area_weights",
} as const;
const ALL_CONNECTIONS = `{ ${Object.keys(CONNECTIONS).map((c) => `${c} { totalCount nodes { userId } }`).join(" ")} }`;

const countOf = async (table: string, userId: string) =>
  (await t.db.root.query(`select count(*)::int as n from app_public.${table} where user_id = $1`, [userId])).rows[0].n as number;

describe("connections", () => {
  it.each([["B", () => b], ["A", () => a]] as const)("%s sees exactly their own rows in every connection", async (_, who) => {
    const me = who();
    const response = await graphql(t.url, ALL_CONNECTIONS, {}, me.token);
    expect(response.errors).toBeUndefined();
    for (const [field, table] of Object.entries(CONNECTIONS)) {
      const { totalCount, nodes } = response.data[field] as { totalCount: number; nodes: { userId: string }[] };
      const own = await countOf(table, me.id);
      expect({ field, totalCount, users: [...new Set(nodes.map((n) => n.userId))] }).toEqual({ field, totalCount: own, users: [me.id] });
    }
  });

  it("B filtering on A's user id gets nothing", async () => {
    const response = await graphql(t.url, `query ($a: UUID!) {
      journalEntries(condition: { userId: $a }) { totalCount }
      scores(condition: { userId: $a }) { totalCount }
      scoreRollups(condition: { userId: $a }) { totalCount }
    }`, { a: a.id }, b.token);
    expect(response.data).toEqual({ journalEntries: { totalCount: 0 }, scores: { totalCount: 0 }, scoreRollups: { totalCount: 0 } });
  });

  it("anonymous may not read them (DNIED)", async () => {
    const response = await graphql(t.url, "{ journalEntries { totalCount } }");
    expect(errorCodes(response)).toEqual(["DNIED"]);
  });
});

describe("lookups", () => {
  it("B gets null for A's rows by rowId and by node id; A gets them", async () => {
    const byRowId = `query ($entry: UUID!, $goal: UUID!) { journalEntry(rowId: $entry) { id title } goal(rowId: $goal) { id title } }`;
    const vars = { entry: aRows.journal_entries!.id, goal: aRows.goals!.id };
    const mine = await graphql(t.url, byRowId, vars, a.token);
    expect(mine.data.journalEntry.title).toBe("Private");
    expect(mine.data.goal.title).toBe("Run a marathon");
    expect((await graphql(t.url, byRowId, vars, b.token)).data).toEqual({ journalEntry: null, goal: null });

    const byNode = "query ($id: ID!) { node(id: $id) { id } }";
    expect((await graphql(t.url, byNode, { id: mine.data.journalEntry.id }, a.token)).data.node).toEqual({ id: mine.data.journalEntry.id });
    expect((await graphql(t.url, byNode, { id: mine.data.journalEntry.id }, b.token)).data.node).toBeNull();
  });

  it("A's public profile shows B none of A's private relations, nor A's fulfillment score", async () => {
    const query = `query ($a: UUID!) { user(rowId: $a) {
      username journalEntries { totalCount } scores { totalCount } goals { totalCount } wellnessEntries { totalCount }
      scoreRollups { totalCount } gfs(period: month, onDate: "2024-03-15") { score coverage }
    } }`;
    const asB = (await graphql(t.url, query, { a: a.id }, b.token)).data.user;
    expect(asB).toEqual({
      username: "lrg_alice", journalEntries: { totalCount: 0 }, scores: { totalCount: 0 }, goals: { totalCount: 0 },
      wellnessEntries: { totalCount: 0 }, scoreRollups: { totalCount: 0 }, gfs: { score: null, coverage: "0" },
    });
    const asA = (await graphql(t.url, query, { a: a.id }, a.token)).data.user;
    expect(asA.scores.totalCount).toBe(3);
    expect(Number(asA.gfs.score)).toBe(4);
  });
});

describe("aggregates", () => {
  it("count only the caller's rows", async () => {
    const query = `{
      scores { aggregates { sum { score } max { score } distinctCount { userId } } }
      scoreRollups { aggregates { sum { score sampleCount } } }
      byUser: scores { groupedAggregates(groupBy: [USER_ID]) { keys sum { score } } }
    }`;
    const asB = await graphql(t.url, query, {}, b.token);
    expect(asB.errors).toBeUndefined();
    expect(asB.data.scores.aggregates).toEqual({ sum: { score: "3.0" }, max: { score: "2.0" }, distinctCount: { userId: "1" } });
    expect(asB.data.scoreRollups.aggregates).toEqual({ sum: { score: "1.500", sampleCount: "2" } });
    expect(asB.data.byUser.groupedAggregates).toEqual([{ keys: [b.id], sum: { score: "3.0" } }]);
    const asA = await graphql(t.url, query, {}, a.token);
    expect(asA.data.scores.aggregates.sum).toEqual({ score: "12.0" });
  });
});

describe("mutations on A's rows by B", () => {
  const updates = [
    {
      name: "updateJournalEntry", table: "journal_entries",
      query: `mutation ($id: UUID!) { updateJournalEntry(input: { rowId: $id, patch: { title: "Hacked" } }) { journalEntry { rowId } } }`,
    },
    {
      name: "updateScore", table: "scores",
      query: `mutation ($id: BigInt!) { updateScore(input: { rowId: $id, patch: { score: "0.1" } }) { score { rowId } } }`,
    },
    {
      name: "updateGoal", table: "goals",
      query: `mutation ($id: UUID!) { updateGoal(input: { rowId: $id, patch: { title: "Hacked" } }) { goal { rowId } } }`,
    },
    {
      name: "updateRitual", table: "rituals",
      query: `mutation ($id: UUID!) { updateRitual(input: { rowId: $id, patch: { title: "Hacked" } }) { ritual { rowId } } }`,
    },
    {
      name: "updateWellnessEntry", table: "wellness_entries",
      query: `mutation ($id: UUID!) { updateWellnessEntry(input: { rowId: $id, patch: { mood: 1 } }) { wellnessEntry { rowId } } }`,
    },
  ];
  const deletes = [
    { name: "deleteJournalEntry", table: "journal_entries", query: `mutation ($id: UUID!) { deleteJournalEntry(input: { rowId: $id }) { journalEntry { rowId } } }` },
    { name: "deleteScore", table: "scores", query: `mutation ($id: BigInt!) { deleteScore(input: { rowId: $id }) { score { rowId } } }` },
    { name: "deleteGoal", table: "goals", query: `mutation ($id: UUID!) { deleteGoal(input: { rowId: $id }) { goal { rowId } } }` },
    { name: "deleteRitual", table: "rituals", query: `mutation ($id: UUID!) { deleteRitual(input: { rowId: $id }) { ritual { rowId } } }` },
    { name: "deleteWellnessEntry", table: "wellness_entries", query: `mutation ($id: UUID!) { deleteWellnessEntry(input: { rowId: $id }) { wellnessEntry { rowId } } }` },
    { name: "deleteReview", table: "reviews", query: `mutation ($id: UUID!) { deleteReview(input: { rowId: $id }) { review { rowId } } }` },
  ];
  const unchanged = async (table: string) => {
    const row = aRows[table]!;
    const { rows } = await t.db.root.query(`select * from app_public.${table} where id = $1`, [row.id]);
    expect(rows).toEqual([row]);
  };

  it.each(updates)("$name returns a null node and leaves A's row as it was", async ({ name, table, query }) => {
    const response = await graphql(t.url, query, { id: String(aRows[table]!.id) }, b.token);
    expect(response.errors).toBeUndefined();
    expect(Object.values(response.data[name] as Record<string, unknown>)).toEqual([null]);
    await unchanged(table);
  });

  // PostGraphile V5 answers a delete that matched no row (here: hidden by
  // row-level security) with an error, where an update answers null: it must
  // say NOFND ("no such record, or not yours"), not INTERNAL.
  it.each(deletes)("$name is refused with NOFND and leaves A's row in place", async ({ name, table, query }) => {
    const response = await graphql(t.url, query, { id: String(aRows[table]!.id) }, b.token);
    expect(response.data?.[name] ?? null).toBeNull();
    expect(errorCodes(response)).toEqual(["NOFND"]);
    await unchanged(table);
  });

  it("A's own delete goes through", async () => {
    const id = aRows.reviews!.id;
    const response = await graphql(t.url, deletes.at(-1)!.query, { id }, a.token);
    expect(response.data.deleteReview.review).toEqual({ rowId: id });
    expect(await countOf("reviews", a.id)).toBe(0);
  });

  it("the same update by A goes through (the mutation is not simply inert)", async () => {
    const query = updates[0]!.query;
    const response = await graphql(t.url, query, { id: aRows.journal_entries!.id }, a.token);
    expect(response.data.updateJournalEntry.journalEntry).toEqual({ rowId: aRows.journal_entries!.id });
    const { rows } = await t.db.root.query("select title from app_public.journal_entries where id = $1", [aRows.journal_entries!.id]);
    expect(rows).toEqual([{ title: "Hacked" }]);
    aRows.journal_entries = (await t.db.root.query("select * from app_public.journal_entries where id = $1", [aRows.journal_entries!.id])).rows[0];
  });

  it("B cannot attach a key result to A's goal, nor post into A's coaching conversation (NOFND)", async () => {
    const before = await countOf("key_results", a.id) + await countOf("coaching_messages", a.id) + await countOf("coaching_messages", b.id);
    const keyResult = await graphql(t.url, `mutation ($goal: UUID!) {
      createKeyResult(input: { keyResult: { goalId: $goal, title: "Sabotage", targetValue: "1" } }) { keyResult { rowId } }
    }`, { goal: aRows.goals!.id }, b.token);
    expect(errorCodes(keyResult)).toEqual(["NOFND"]);
    const message = await graphql(t.url, `mutation ($conversation: UUID!) {
      createCoachingMessage(input: { coachingMessage: { conversationId: $conversation, content: "Intruder" } }) { coachingMessage { rowId } }
    }`, { conversation: aRows.coaching_conversations!.id }, b.token);
    expect(errorCodes(message)).toEqual(["NOFND"]);
    expect(await countOf("key_results", a.id) + await countOf("coaching_messages", a.id) + await countOf("coaching_messages", b.id)).toBe(before);
    const { rows } = await t.db.root.query("select message_count from app_public.coaching_conversations where id = $1", [aRows.coaching_conversations!.id]);
    // The seeded message only: B's attempt was not counted.
    expect(rows).toEqual([{ message_count: 1 }]);
  });
});

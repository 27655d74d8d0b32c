// Row-level security through the real gateway, table-driven like rls-matrix.ts
// (which checks the same tables in SQL). Each domain's rls-graphql test starts
// a gateway of its own in which users A and B have one row in every life table,
// declares which connections, lookups and mutations are its own, and
// `describeGraphqlRls` asserts that B's connections, lookups and mutations
// never reach A's rows while A's own requests do (so the policies are not
// simply closed). Every domain seeds every table: rows point across domains
// (key results at goals, entry areas at areas), and a domain's checks must not
// depend on which others happen to share its database.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "./gateway.js";
import { insertRow, lifeAreaIds, type Row } from "./rls-matrix.js";

export interface SeededUsers {
  t: TestGateway;
  a: Account;
  b: Account;
  /** A's seeded rows, by table, as they now stand: a test that changes one replaces it here. */
  aRows: Record<string, Row>;
}

/** One row of each kind for a user, inserted as superuser; returns them by table. */
async function seed(t: TestGateway, userId: string, scores: number[]): Promise<Record<string, Row>> {
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

/**
 * A gateway of the test file's own with A ("lrg_alice": WRK scores 4, 5, 3 in
 * March 2024) and B ("lrg_bob": 1, 2), each with a row in every life table;
 * closed after the file. Call the returned function inside a test.
 */
export function withSeededUsers(): () => SeededUsers {
  let users: SeededUsers | undefined;
  beforeAll(async () => {
    const t = await startTestGateway();
    const a = await signUp(t.url, "lrg_alice");
    const b = await signUp(t.url, "lrg_bob");
    // A's profile is public: B sees it, and none of the rows behind it.
    await t.db.root.query("update app_public.privacy_settings set profile_visibility = 'public' where user_id = $1", [a.id]);
    const aRows = await seed(t, a.id, [4, 5, 3]);
    await seed(t, b.id, [1, 2]);
    users = { t, a, b, aRows };
  });
  afterAll(async () => {
    await users?.t.close();
  });
  return () => {
    if (!users) throw new Error("withSeededUsers: the gateway is not ready yet");
    return users;
  };
}

/** The user's rows in the table, counted as superuser. */
export const countOf = async (t: TestGateway, table: string, userId: string) =>
  (await t.db.root.query(`select count(*)::int as n from app_public.${table} where user_id = $1`, [userId])).rows[0].n as number;

/** A mutation of one row, its id in `$id`. */
export interface RowMutation {
  /** The mutation's field, e.g. updateGoal. */
  name: string;
  table: string;
  query: string;
}

export interface GraphqlRlsSpec {
  /** Connections of the Query root, and the table behind each. */
  connections: Record<string, string>;
  /** Lookups by rowId (a UUID) on the Query root, and the title of A's seeded row. */
  lookups?: Array<{ field: string; table: string; title: string }>;
  /** Connections that are also relations of a user's public profile (same name on User). */
  profile?: string[];
  /** Updates of A's row: B gets a null node. */
  updates?: RowMutation[];
  /** Deletes of A's row: B is refused with NOFND. */
  deletes?: RowMutation[];
}

/**
 * The checks of a domain's tables. Declare tests that change A's rows (A's own
 * update or delete) after this call: jest runs them in order, after these.
 */
export function describeGraphqlRls(spec: GraphqlRlsSpec, users: () => SeededUsers): void {
  const connections = Object.entries(spec.connections);

  describe("connections", () => {
    const all = `{ ${connections.map(([field]) => `${field} { totalCount nodes { userId } }`).join(" ")} }`;

    it.each([["B", () => users().b], ["A", () => users().a]] as const)("%s sees exactly their own rows in every connection", async (_, who) => {
      const { t } = users();
      const me = who();
      const response = await graphql(t.url, all, {}, me.token);
      expect(response.errors).toBeUndefined();
      for (const [field, table] of connections) {
        const { totalCount, nodes } = response.data[field] as { totalCount: number; nodes: { userId: string }[] };
        const own = await countOf(t, table, me.id);
        expect({ field, totalCount, users: [...new Set(nodes.map((n) => n.userId))] }).toEqual({ field, totalCount: own, users: [me.id] });
      }
    });

    it("B filtering on A's user id gets nothing", async () => {
      const { t, a, b } = users();
      const response = await graphql(t.url, `query ($a: UUID!) {
        ${connections.map(([field]) => `${field}(condition: { userId: $a }) { totalCount }`).join("\n")}
      }`, { a: a.id }, b.token);
      expect(response.data).toEqual(Object.fromEntries(connections.map(([field]) => [field, { totalCount: 0 }])));
    });

    it("anonymous may not read them (DNIED)", async () => {
      const { t } = users();
      for (const [field] of connections) {
        const response = await graphql(t.url, `{ ${field} { totalCount } }`);
        expect({ field, codes: errorCodes(response) }).toEqual({ field, codes: ["DNIED"] });
      }
    });
  });

  if (spec.lookups?.length || spec.profile?.length) {
    describe("lookups", () => {
      const lookups = spec.lookups ?? [];
      if (lookups.length) {
        it("B gets null for A's rows by rowId and by node id; A gets them", async () => {
          const { t, a, b, aRows } = users();
          const byNode = "query ($id: ID!) { node(id: $id) { id } }";
          for (const { field, table, title } of lookups) {
            const byRowId = `query ($id: UUID!) { ${field}(rowId: $id) { id title } }`;
            const vars = { id: aRows[table]!.id };
            const mine = await graphql(t.url, byRowId, vars, a.token);
            expect({ field, title: mine.data[field].title }).toEqual({ field, title });
            expect((await graphql(t.url, byRowId, vars, b.token)).data).toEqual({ [field]: null });

            const id = mine.data[field].id;
            expect((await graphql(t.url, byNode, { id }, a.token)).data.node).toEqual({ id });
            expect((await graphql(t.url, byNode, { id }, b.token)).data.node).toBeNull();
          }
        });
      }

      const profile = spec.profile ?? [];
      if (profile.length) {
        it("A's public profile shows B none of A's private relations", async () => {
          const { t, a, b } = users();
          const query = `query ($a: UUID!) { user(rowId: $a) { username ${profile.map((r) => `${r} { totalCount }`).join(" ")} } }`;
          const asB = (await graphql(t.url, query, { a: a.id }, b.token)).data.user;
          expect(asB).toEqual({ username: "lrg_alice", ...Object.fromEntries(profile.map((r) => [r, { totalCount: 0 }])) });
          const asA = (await graphql(t.url, query, { a: a.id }, a.token)).data.user;
          for (const relation of profile) {
            const table = spec.connections[relation];
            if (!table) throw new Error(`describeGraphqlRls: profile relation ${relation} is not among the connections`);
            expect({ relation, totalCount: asA[relation].totalCount }).toEqual({ relation, totalCount: await countOf(t, table, a.id) });
          }
        });
      }
    });
  }

  const updates = spec.updates ?? [];
  const deletes = spec.deletes ?? [];
  if (updates.length || deletes.length) {
    describe("mutations on A's rows by B", () => {
      const unchanged = async (table: string) => {
        const { t, aRows } = users();
        const row = aRows[table]!;
        const { rows } = await t.db.root.query(`select * from app_public.${table} where id = $1`, [row.id]);
        expect(rows).toEqual([row]);
      };

      if (updates.length) {
        it.each(updates)("$name returns a null node and leaves A's row as it was", async ({ name, table, query }) => {
          const { t, b, aRows } = users();
          const response = await graphql(t.url, query, { id: String(aRows[table]!.id) }, b.token);
          expect(response.errors).toBeUndefined();
          expect(Object.values(response.data[name] as Record<string, unknown>)).toEqual([null]);
          await unchanged(table);
        });
      }

      // PostGraphile V5 answers a delete that matched no row (here: hidden by
      // row-level security) with an error, where an update answers null: it must
      // say NOFND ("no such record, or not yours"), not INTERNAL.
      if (deletes.length) {
        it.each(deletes)("$name is refused with NOFND and leaves A's row in place", async ({ name, table, query }) => {
          const { t, b, aRows } = users();
          const response = await graphql(t.url, query, { id: String(aRows[table]!.id) }, b.token);
          expect(response.data?.[name] ?? null).toBeNull();
          expect(errorCodes(response)).toEqual(["NOFND"]);
          await unchanged(table);
        });
      }
    });
  }
}

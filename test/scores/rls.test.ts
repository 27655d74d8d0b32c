// Row-level security of scores and their rollups: raw scores are the
// owner's to write; rollups are computed by the worker and only readable.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt } from "../helpers/db.js";
import { asSuperuser, describeOwnedTable, insertRow, lifeAreaIds, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("scr");
let area: Record<string, number>;
beforeAll(async () => {
  area = await lifeAreaIds(users().db);
});

describeOwnedTable({
  table: "scores",
  seed: (userId) => ({ user_id: userId, area_id: area.WRK, score_date: "2024-03-01", score: 3 }),
  insert: () => ({ area_id: area.HLT, score_date: "2024-03-02", score: 4 }),
  update: ["score", 1.5],
}, users);

describeOwnedTable({
  table: "score_rollups",
  key: ["user_id", "area_id", "period_kind", "period_start"],
  seed: (userId) => ({
    user_id: userId, area_id: area.WRK, period_kind: "day", period_start: "2024-03-01", period_end: "2024-03-01",
    score: 3, sample_count: 1, covered_days: 1, confidence: 1, last_scored_day: "2024-03-01",
  }),
  // Written by the worker only.
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

describe("score_rollups partitions", () => {
  it.each([0, 1, 2, 3])("app_private.score_rollups_p%i is closed to the visitor", async (part) => {
    await asUser(users().db, users().a.id, async (c) => {
      expect((await attempt(c, `select * from app_private.score_rollups_p${part}`)).code).toBe("42501");
    });
  });
});

describe("record_score", () => {
  it("writes the caller's score and never replaces another user's score of the same day", async () => {
    const { db, a, b } = users();
    await insertRow(db, "scores", { user_id: a.id, area_id: area.FIN, score_date: "2024-04-01", score: 4 });
    await asUser(db, b.id, async (c) => {
      const { rows } = await c.query("select user_id, score from app_public.record_score('FIN', 2.5, '2024-04-01')");
      expect(rows).toEqual([{ user_id: b.id, score: "2.5" }]);
      const stored = await asSuperuser(c, db.config.DATABASE_VISITOR, async () =>
        (await c.query("select user_id, score from app_public.scores where area_id = $1 and score_date = '2024-04-01' order by user_id = $2", [area.FIN, b.id])).rows);
      expect(stored).toEqual([{ user_id: a.id, score: "4.0" }, { user_id: b.id, score: "2.5" }]);
    });
  });
});

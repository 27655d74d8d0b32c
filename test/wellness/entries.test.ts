// Wellness input as users write it: every range is checked by the database
// (by constraint name, nothing written), one entry a day, and a coaching
// conversation's message count kept by its trigger.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "well");
});

const refusal = async (sql: string, values: unknown[]) =>
  asUser(t.db, user.id, async (c) => {
    try {
      await c.query(sql, values);
      return null;
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      return { code, constraint };
    }
  });
const entries = async () =>
  (await t.db.root.query("select count(*)::int as n from app_public.wellness_entries where user_id = $1", [user.id])).rows[0].n;

describe("wellness entries", () => {
  it.each([
    ["sleep_hours", 24.5, "sleep_hours_range"],
    ["sleep_hours", -1, "sleep_hours_range"],
    ["water_ml", 20_001, "water_ml_range"],
    ["exercise_minutes", 1_441, "exercise_minutes_range"],
    ["meditation_minutes", -5, "meditation_minutes_range"],
    ["mood", 11, "mood_range"],
    ["mood", 0, "mood_range"],
    ["energy", 0, "energy_range"],
  ])("refuses %s = %s (%s) and writes nothing", async (column, value, constraint) => {
    const result = await refusal(`insert into app_public.wellness_entries (entry_date, ${column}) values ('2024-03-01', $1)`, [value]);
    expect(result).toEqual({ code: "23514", constraint });
    expect(await entries()).toBe(0);
  });

  it("takes one entry a day: a second for the same day is refused", async () => {
    await t.db.root.query("insert into app_public.wellness_entries (user_id, entry_date, mood) values ($1, '2024-03-02', 6)", [user.id]);
    const result = await refusal("insert into app_public.wellness_entries (entry_date, mood) values ('2024-03-02', 7)", []);
    expect(result?.code).toBe("23505");
    const { rows } = await t.db.root.query("select mood from app_public.wellness_entries where user_id = $1", [user.id]);
    expect(rows).toEqual([{ mood: 6 }]);
  });
});

describe("coaching conversations", () => {
  it("count their messages as they are written and deleted", async () => {
    const { rows: [conversation] } = await t.db.root.query(
      "insert into app_public.coaching_conversations (user_id, title) values ($1, 'Sleep') returning id", [user.id],
    );
    const count = async () =>
      (await t.db.root.query("select message_count, last_message_at from app_public.coaching_conversations where id = $1", [conversation.id])).rows[0];
    const ids: string[] = [];
    for (const [role, content] of [["user", "I wake at 4"], ["assistant", "What happens at 4?"], ["user", "Worries"]]) {
      const { rows } = await t.db.root.query(
        "insert into app_public.coaching_messages (conversation_id, user_id, role, content) values ($1, $2, $3, $4) returning id",
        [conversation.id, user.id, role, content],
      );
      ids.push(rows[0].id);
    }
    expect((await count()).message_count).toBe(3);
    expect((await count()).last_message_at).not.toBeNull();
    await t.db.root.query("delete from app_public.coaching_messages where id = $1", [ids[0]]);
    expect((await count()).message_count).toBe(2);
  });
});

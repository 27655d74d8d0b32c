// A relationship's actual contact frequency and last contact come from its
// interactions log: contacts per month over the last 90 days.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { createUser, useTestDatabase, type TestUser } from "../helpers/db.js";

const t = useTestDatabase();
let user: TestUser;

beforeAll(async () => {
  user = await createUser(t.db, "rel");
});

describe("relationship contact", () => {
  it("counts the interactions of the last 90 days per month, and shows the latest", async () => {
    const { rows: [relationship] } = await t.db.root.query(
      "insert into app_public.relationships (user_id, person_name, desired_contacts_per_month) values ($1, 'Mum', 4) returning id", [user.id],
    );
    const contact = async () =>
      (await t.db.root.query(
        `select app_public.relationships_actual_contacts_per_month(r) as actual, app_public.relationships_last_contact_at(r) as last
         from app_public.relationships r where r.id = $1`,
        [relationship.id],
      )).rows[0];
    expect(await contact()).toEqual({ actual: "0.00", last: null });
    for (const daysAgo of [100, 40, 10, 3]) {
      await t.db.root.query(
        "insert into app_public.relationship_interactions (relationship_id, user_id, occurred_at) values ($1, $2, now() - $3 * interval '1 day')",
        [relationship.id, user.id, daysAgo],
      );
    }
    const { actual, last } = await contact();
    // Three in the last 90 days: one a month.
    expect(actual).toBe("1.00");
    expect(Date.now() - last.getTime()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(Date.now() - last.getTime()).toBeLessThan(3 * 86_400_000 + 60_000);
  });
});

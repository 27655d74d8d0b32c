// Personal records: the database marks the one best record of each
// (user, category) — the highest value, or the lowest when higherIsBetter is
// false — and keeps it right as records are added, changed and deleted, also
// when two are saved at the same moment. Others see records only as each
// record's visibility, the owner's show_records and the profile rule allow.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { errorCodes, graphql, signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend, connectAs, type VisitorConnection } from "../helpers/peers.js";
import { setPrivacy } from "../helpers/social.js";
import { randInt, SEED } from "../helpers/random.js";

let gw: TestGateway;
let rita: Account;

beforeAll(async () => {
  gw = await startTestGateway();
  rita = await signUp(gw.url, "pr_rita");
});
afterAll(async () => {
  await gw.close();
});

const FIELDS = "rowId category value unit higherIsBetter visibility isPersonalBest";
const create = (as: Account, record: Record<string, unknown>) => graphql(gw.url,
  `mutation ($r: PersonalRecordInput!) { createPersonalRecord(input: { personalRecord: $r }) { personalRecord { ${FIELDS} } } }`, { r: record }, as.token);
const created = async (as: Account, record: Record<string, unknown>) => {
  const response = await create(as, record);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.createPersonalRecord.personalRecord as { rowId: string; isPersonalBest: boolean };
};
const update = (as: Account, rowId: string, patch: Record<string, unknown>) => graphql(gw.url,
  `mutation ($id: UUID!, $p: PersonalRecordPatch!) { updatePersonalRecord(input: { rowId: $id, patch: $p }) { personalRecord { ${FIELDS} } } }`,
  { id: rowId, p: patch }, as.token);
const remove = (as: Account, rowId: string) => graphql(gw.url,
  `mutation ($id: UUID!) { deletePersonalRecord(input: { rowId: $id }) { personalRecord { rowId } } }`, { id: rowId }, as.token);

/** The values of a user's category, best first as the owner sees them over GraphQL, with the one(s) marked best. */
const category = async (as: Account, name: string) => {
  const response = await graphql(gw.url, `query ($c: String!) { personalRecords(condition: { category: $c }) { nodes { value isPersonalBest } } }`,
    { c: name }, as.token);
  expect(response.errors).toBeUndefined();
  const nodes = response.data.personalRecords.nodes as Array<{ value: string; isPersonalBest: boolean }>;
  return { values: nodes.map((n) => Number(n.value)).sort((x, y) => x - y), best: nodes.filter((n) => n.isPersonalBest).map((n) => Number(n.value)) };
};

/** Every (user, category) in the database whose marks are not exactly one best, the highest (or lowest) value. */
const wrongBests = async () => (await gw.db.root.query(`
  select user_id, category, count(*) filter (where is_personal_best)::int as marked,
    case when bool_and(higher_is_better) then max(value) else min(value) end as best_value
  from app_public.personal_records group by user_id, category
  having count(*) filter (where is_personal_best) <> 1
    or (array_agg(value) filter (where is_personal_best))[1] <> case when bool_and(higher_is_better) then max(value) else min(value) end`)).rows;

describe("the personal best", () => {
  /** A category's record ids by value, created in this order. */
  const records = async (name: string, values: number[], extra: Record<string, unknown> = {}) => {
    const ids: Record<number, string> = {};
    for (const value of values) ids[value] = (await created(rita, { category: name, value: String(value), unit: "s", ...extra })).rowId;
    return ids;
  };

  it("is the highest value by default, and moves when a better record is added", async () => {
    await records("plank", [60]);
    expect(await category(rita, "plank")).toEqual({ values: [60], best: [60] });
    await records("plank", [90]);
    expect(await category(rita, "plank")).toEqual({ values: [60, 90], best: [90] });
    await records("plank", [75]);
    expect(await category(rita, "plank")).toEqual({ values: [60, 75, 90], best: [90] });
    expect(await wrongBests()).toEqual([]);
  });

  it("is the lowest value when higherIsBetter is false (times)", async () => {
    await records("run_5k", [1500, 1400, 1450], { higherIsBetter: false });
    expect(await category(rita, "run_5k")).toEqual({ values: [1400, 1450, 1500], best: [1400] });
    expect(await wrongBests()).toEqual([]);
  });

  it("moves when a record is updated to beat the best", async () => {
    const ids = await records("wall_sit", [60, 90, 75]);
    const response = await update(rita, ids[60]!, { value: "120" });
    expect(response.errors).toBeUndefined();
    expect(await category(rita, "wall_sit")).toEqual({ values: [75, 90, 120], best: [120] });
    expect(await wrongBests()).toEqual([]);
  });

  it("moves to the next best when the best is updated to a worse value", async () => {
    const ids = await records("hang", [60, 90, 75]);
    const response = await update(rita, ids[90]!, { value: "30" });
    expect(response.errors).toBeUndefined();
    expect(await category(rita, "hang")).toEqual({ values: [30, 60, 75], best: [75] });
    expect(await wrongBests()).toEqual([]);
  });

  it("moves to the next best when the best is deleted", async () => {
    const ids = await records("pushups", [20, 40, 30]);
    expect((await remove(rita, ids[40]!)).errors).toBeUndefined();
    expect(await category(rita, "pushups")).toEqual({ values: [20, 30], best: [30] });
    expect((await remove(rita, ids[30]!)).errors).toBeUndefined();
    expect(await category(rita, "pushups")).toEqual({ values: [20], best: [20] });
    expect(await wrongBests()).toEqual([]);
  });

  it("follows higherIsBetter when it changes (every record of the category at once)", async () => {
    await records("situps", [20, 40, 30]);
    const response = await gw.db.root.query(
      "update app_public.personal_records set higher_is_better = false where user_id = $1 and category = 'situps'", [rita.id],
    ).then(() => undefined, (error: Error & { code?: string }) => error.code);
    expect(response).toBeUndefined();
    expect(await category(rita, "situps")).toEqual({ values: [20, 30, 40], best: [20] });
    expect(await wrongBests()).toEqual([]);
  });

  it("follows a record moved to another category: both categories are marked again", async () => {
    await records("squat", [100]);
    const deadlifts = await records("deadlift", [140, 120]);
    // The deadlift best was entered under the wrong category: it is a squat.
    const response = await update(rita, deadlifts[140]!, { category: "squat" });
    expect(response.errors).toBeUndefined();
    expect(await category(rita, "squat")).toEqual({ values: [100, 140], best: [140] });
    expect(await category(rita, "deadlift")).toEqual({ values: [120], best: [120] });
    expect(await wrongBests()).toEqual([]);
  });

  it("goes to the record achieved first on a tie, also when a date is corrected", async () => {
    const first = (await created(rita, { category: "rope_climb", value: "8", unit: "m", achievedOn: "2024-02-01" })).rowId;
    const second = (await created(rita, { category: "rope_climb", value: "8", unit: "m", achievedOn: "2024-03-01" })).rowId;
    const best = async () => (await gw.db.root.query(
      "select id from app_public.personal_records where user_id = $1 and category = 'rope_climb' and is_personal_best", [rita.id])).rows.map((r) => r.id);
    expect(await best()).toEqual([first]);
    // The second was in fact achieved in January: it came first.
    expect((await update(rita, second, { achievedOn: "2024-01-15" })).errors).toBeUndefined();
    expect(await best()).toEqual([second]);
  });

  it("is what the mutation's payload says: a new best says so at once, as does the record it replaced when read again", async () => {
    const first = await created(rita, { category: "rowing", value: "500", unit: "m" });
    expect(first.isPersonalBest).toBe(true);
    const better = await created(rita, { category: "rowing", value: "800", unit: "m" });
    expect(better.isPersonalBest).toBe(true);
    const worse = await created(rita, { category: "rowing", value: "600", unit: "m" });
    expect(worse.isPersonalBest).toBe(false);
    const improved = await update(rita, worse.rowId, { value: "900" });
    expect(improved.data?.updatePersonalRecord?.personalRecord?.isPersonalBest).toBe(true);
  });

  it("is kept by the database alone: clients cannot set it", async () => {
    await records("burpees", [10, 20]);
    const forged = await create(rita, { category: "burpees", value: "1", unit: "s", isPersonalBest: true });
    expect(forged.errors?.[0]?.message).toMatch(/isPersonalBest/);
    const { rows } = await gw.db.root.query("select id from app_public.personal_records where user_id = $1 and category = 'burpees' and value = 10", [rita.id]);
    const patched = await graphql(gw.url, `mutation ($id: UUID!) { updatePersonalRecord(input: { rowId: $id, patch: { isPersonalBest: true } }) { personalRecord { rowId } } }`,
      { id: rows[0].id }, rita.token);
    expect(patched.errors?.[0]?.message).toMatch(/isPersonalBest/);
    expect(await category(rita, "burpees")).toEqual({ values: [10, 20], best: [20] });
  });

  it("refuses a malformed category or unit (BADIN) and writes nothing", async () => {
    const before = (await gw.db.root.query("select count(*)::int as n from app_public.personal_records")).rows[0].n;
    for (const [record, constraint] of [
      [{ category: "Plank Hold", value: "1", unit: "s" }, "record_category_format"],
      [{ category: "plank", value: "1", unit: "" }, "record_unit_length"],
    ] as const) {
      const response = await create(rita, record);
      expect(response.errors?.map((e) => ({ code: e.extensions?.code, constraint: e.extensions?.constraint }))).toEqual([{ code: "BADIN", constraint }]);
    }
    expect((await gw.db.root.query("select count(*)::int as n from app_public.personal_records")).rows[0].n).toBe(before);
  });
});

describe("records saved at the same moment", () => {
  const connections: VisitorConnection[] = [];
  afterAll(async () => {
    for (const connection of connections) await connection.close();
  });

  it(`leave exactly one best per category, the right one (seed ${SEED})`, async () => {
    const racer = await signUp(gw.url, "pr_racer");
    for (let i = 0; i < 6; i++) connections.push(await connectAs(gw.db, racer.id));
    const insert = (connection: VisitorConnection, name: string, value: number, higherIsBetter = true) =>
      connection.attempt("insert into app_public.personal_records (category, value, unit, higher_is_better) values ($1, $2, 'u', $3) returning id",
        [name, value, higherIsBetter]);

    // Pairs: two records of one category at once, many times over.
    for (let round = 0; round < 25; round++) {
      const name = `pair_${round}`;
      const results = await Promise.all([insert(connections[0]!, name, randInt(1, 50)), insert(connections[1]!, name, randInt(1, 50))]);
      expect(results.map((r) => r.code)).toEqual([undefined, undefined]);
    }
    // Bursts: six at once, into the same few categories, both kinds of better.
    for (let round = 0; round < 10; round++) {
      const results = await Promise.all(connections.map((connection, i) =>
        insert(connection, `burst_${i % 2}`, randInt(1, 1000), i % 2 === 0)));
      expect(results.map((r) => r.code)).toEqual(connections.map(() => undefined));
    }
    const { rows } = await gw.db.root.query(
      "select count(distinct category)::int as categories, count(*)::int as records from app_public.personal_records where user_id = $1", [racer.id],
    );
    expect(rows[0]).toEqual({ categories: 27, records: 25 * 2 + 10 * 6 });
    expect(await wrongBests()).toEqual([]);
  });
});

describe("who sees records", () => {
  let fred: Account; // rita's friend
  let sam: Account; // a stranger

  beforeAll(async () => {
    fred = await signUp(gw.url, "pr_fred");
    sam = await signUp(gw.url, "pr_sam");
    await befriend(gw.db, rita.id, fred.id);
    await gw.db.root.query("delete from app_public.personal_records where user_id = $1", [rita.id]);
    for (const visibility of ["public", "friends", "private"]) {
      await created(rita, { category: `lift_${visibility}`, value: "1", unit: "kg", visibility });
    }
  });

  const seen = async (as: Account | null) => {
    const response = await graphql(gw.url, `query ($id: UUID!) {
      user(rowId: $id) { personalRecords(orderBy: CATEGORY_ASC) { nodes { category } } }
      personalRecords(condition: { userId: $id }, orderBy: CATEGORY_ASC) { nodes { category } } }`, { id: rita.id }, as?.token);
    expect(response.errors).toBeUndefined();
    const everywhere = response.data.personalRecords.nodes.map((n: { category: string }) => n.category);
    // Through the profile, when there is one to see, the same records.
    if (response.data.user) expect(response.data.user.personalRecords.nodes.map((n: { category: string }) => n.category)).toEqual(everywhere);
    return { profile: response.data.user !== null, records: everywhere as string[] };
  };

  it("the owner sees all of them, whatever the settings", async () => {
    await setPrivacy(gw.db, rita.id, { profile_visibility: "private", show_records: false });
    expect(await seen(rita)).toEqual({ profile: true, records: ["lift_friends", "lift_private", "lift_public"] });
  });

  it("others see none while show_records is off, whatever each record's visibility", async () => {
    await setPrivacy(gw.db, rita.id, { profile_visibility: "public", show_records: false });
    for (const viewer of [fred, sam, null]) expect(await seen(viewer)).toEqual({ profile: true, records: [] });
  });

  it("with show_records on: friends see public and friends records, strangers and anonymous the public ones; private stays private", async () => {
    await setPrivacy(gw.db, rita.id, { profile_visibility: "public", show_records: true });
    expect(await seen(fred)).toEqual({ profile: true, records: ["lift_friends", "lift_public"] });
    expect(await seen(sam)).toEqual({ profile: true, records: ["lift_public"] });
    expect(await seen(null)).toEqual({ profile: true, records: ["lift_public"] });
  });

  it("only as far as the profile is visible: a friends-only profile shows nothing to strangers, a private one nothing to friends", async () => {
    await setPrivacy(gw.db, rita.id, { profile_visibility: "friends", show_records: true });
    expect(await seen(fred)).toEqual({ profile: true, records: ["lift_friends", "lift_public"] });
    expect(await seen(sam)).toEqual({ profile: false, records: [] });
    expect(await seen(null)).toEqual({ profile: false, records: [] });
    await setPrivacy(gw.db, rita.id, { profile_visibility: "private" });
    expect(await seen(fred)).toEqual({ profile: false, records: [] });
  });

  it("never across a block, either way", async () => {
    await setPrivacy(gw.db, rita.id, { profile_visibility: "public", show_records: true });
    await gw.db.root.query("insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [sam.id, rita.id]);
    try {
      expect(await seen(sam)).toEqual({ profile: false, records: [] });
    } finally {
      await gw.db.root.query("delete from app_public.blocks where blocker_id = $1", [sam.id]);
    }
    expect(await seen(sam)).toEqual({ profile: true, records: ["lift_public"] });
  });

  it("others can neither change nor delete them", async () => {
    const { rows } = await gw.db.root.query("select id from app_public.personal_records where user_id = $1 and category = 'lift_public'", [rita.id]);
    const id = rows[0].id as string;
    // Visible to sam, yet not his: the update finds nothing to change (a null node), the delete nothing to delete.
    const updated = await update(sam, id, { value: "999" });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updatePersonalRecord).toEqual({ personalRecord: null });
    expect(errorCodes(await remove(sam, id))).toEqual(["NOFND"]);
    const { rows: after } = await gw.db.root.query("select value::text from app_public.personal_records where id = $1", [id]);
    expect(after).toEqual([{ value: "1" }]);
  });
});

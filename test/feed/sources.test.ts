// Where activity events come from: the triggers of other domains, fired by
// what users do through the API (and the worker, for reviews). Each source
// writes one event with its verb's metadata and the actor's default
// visibility; a trigger that fires again for the same thing writes no second
// event (its dedupe key).
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { signUp, startTestGateway, type Account, type TestGateway } from "../helpers/gateway.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { completeRitual, feed, newRitual } from "../helpers/feed.js";
import { befriend, gqlOk, rootRows, setPrivacy } from "../helpers/social.js";

let gw: TestGateway;
let n = 0;
const person = (name: string): Promise<Account> => signUp(gw.url, `src${++n}_${name}`);

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

interface EventRow {
  verb: string;
  object_type: string;
  object_id: string;
  metadata: Record<string, unknown>;
  visibility: string;
}
const eventsOf = (actorId: string, verb?: string) => rootRows<EventRow>(gw.db,
  `select verb, object_type, object_id, metadata, visibility from app_public.activity_events
   where actor_id = $1 and ($2::text is null or verb = $2) order by created_at, id`, [actorId, verb ?? null]);

const dayAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const COMPLETE = `mutation ($ritualId: UUID!, $at: Datetime!) {
  createRitualCompletion(input: { ritualCompletion: { ritualId: $ritualId, completedAt: $at } }) { ritualCompletion { rowId slotStart } } }`;
const keep = async (who: Account, ritualId: string, daysAgo: number) =>
  (await gqlOk(gw.url, COMPLETE, { ritualId, at: dayAgo(daysAgo) }, who.token)).createRitualCompletion.ritualCompletion as { rowId: string; slotStart: string };
const unkeep = (who: Account, rowId: string) =>
  gqlOk(gw.url, "mutation ($id: UUID!) { deleteRitualCompletion(input: { rowId: $id }) { ritualCompletion { rowId } } }", { id: rowId }, who.token);

describe("rituals", () => {
  it("a kept ritual is one rituals.completed event, in the actor's own feed, with the default visibility", async () => {
    const me = await person("keeper");
    const ritual = await newRitual(gw.url, me.token, "Meditate");
    const completion = await keep(me, ritual, 1);
    expect(await eventsOf(me.id)).toEqual([{
      verb: "rituals.completed", object_type: "ritual", object_id: ritual,
      metadata: { ritual_title: "Meditate", slot_start: completion.slotStart }, visibility: "friends",
    }]);
    const mine = await feed(gw.url, me.token, "me");
    expect(mine.map((e) => e.verb)).toEqual(["rituals.completed"]);
  });

  it("a 7-slot streak is one rituals.streak event (length 7), written with the seventh completion", async () => {
    const me = await person("streaker");
    const ritual = await newRitual(gw.url, me.token, "Stretch");
    for (let d = 7; d >= 2; d--) await keep(me, ritual, d);
    expect(await eventsOf(me.id, "rituals.streak")).toEqual([]);
    await keep(me, ritual, 1);
    expect(await eventsOf(me.id, "rituals.streak")).toEqual([{
      verb: "rituals.streak", object_type: "ritual", object_id: ritual, metadata: { ritual_title: "Stretch", length: 7 }, visibility: "friends",
    }]);
    expect(await eventsOf(me.id, "rituals.completed")).toHaveLength(7);
  });

  it("the streak growing, or rebuilt after a completion is deleted and kept again, writes no second milestone", async () => {
    const me = await person("rebuild");
    const ritual = await newRitual(gw.url, me.token, "Walk");
    const kept = [];
    for (let d = 8; d >= 1; d--) kept.push(await keep(me, ritual, d));
    expect(await eventsOf(me.id, "rituals.streak")).toHaveLength(1);
    // Day 5 ago deleted (the run splits in two) and kept again (one run again).
    await unkeep(me, kept[3]!.rowId);
    await keep(me, ritual, 5);
    expect((await eventsOf(me.id, "rituals.streak")).map((e) => e.metadata.length)).toEqual([7]);
  });

  it("a day filled in before a run that already reached 7 writes no second 7-day milestone for that run", async () => {
    const me = await person("backfill");
    const ritual = await newRitual(gw.url, me.token, "Read");
    for (let d = 7; d >= 1; d--) await keep(me, ritual, d);
    expect((await eventsOf(me.id, "rituals.streak")).map((e) => e.metadata.length)).toEqual([7]);
    // Yesterday's-yesterday forgotten: the same run, now 8 long.
    await keep(me, ritual, 8);
    const [streak] = await rootRows(gw.db, "select length from app_public.ritual_streaks where ritual_id = $1", [ritual]);
    expect(streak.length).toBe(8);
    expect((await eventsOf(me.id, "rituals.streak")).map((e) => e.metadata.length)).toEqual([7]);
  });
});

describe("goals", () => {
  const CREATE_GOAL = `mutation ($title: String!, $status: GoalStatus) { createGoal(input: { goal: { title: $title, status: $status } }) { goal { rowId } } }`;
  const SET_STATUS = `mutation ($id: UUID!, $status: GoalStatus!) { updateGoal(input: { rowId: $id, patch: { status: $status } }) { goal { status } } }`;

  it("a goal set to done is one goals.done event; done again after reopening writes no second", async () => {
    const me = await person("goal");
    const goal = (await gqlOk(gw.url, CREATE_GOAL, { title: "Run a marathon", status: "active" }, me.token)).createGoal.goal.rowId;
    expect(await eventsOf(me.id)).toEqual([]);
    await gqlOk(gw.url, SET_STATUS, { id: goal, status: "done" }, me.token);
    const done = [{ verb: "goals.done", object_type: "goal", object_id: goal, metadata: { goal_title: "Run a marathon" }, visibility: "friends" }];
    expect(await eventsOf(me.id)).toEqual(done);
    await gqlOk(gw.url, SET_STATUS, { id: goal, status: "active" }, me.token);
    await gqlOk(gw.url, SET_STATUS, { id: goal, status: "done" }, me.token);
    expect(await eventsOf(me.id)).toEqual(done);
  });

  it("a goal created done is one event too", async () => {
    const me = await person("goal2");
    const goal = (await gqlOk(gw.url, CREATE_GOAL, { title: "Already did it", status: "done" }, me.token)).createGoal.goal.rowId;
    expect((await eventsOf(me.id)).map((e) => [e.verb, e.object_id])).toEqual([["goals.done", goal]]);
  });

  it("a key result reached is one goals.key_result_reached event, however often it is reached again", async () => {
    const me = await person("kr");
    const goal = (await gqlOk(gw.url, CREATE_GOAL, { title: "Get fit", status: "active" }, me.token)).createGoal.goal.rowId;
    const CREATE_KR = `mutation ($goal: UUID!, $start: BigFloat, $target: BigFloat!, $current: BigFloat) {
      createKeyResult(input: { keyResult: { goalId: $goal, title: "Push-ups", startValue: $start, targetValue: $target, currentValue: $current } }) { keyResult { rowId } } }`;
    const SET = `mutation ($id: UUID!, $v: BigFloat!) { updateKeyResult(input: { rowId: $id, patch: { currentValue: $v } }) { keyResult { currentValue } } }`;
    const kr = (await gqlOk(gw.url, CREATE_KR, { goal, start: "0", target: "50", current: "10" }, me.token)).createKeyResult.keyResult.rowId;
    expect(await eventsOf(me.id, "goals.key_result_reached")).toEqual([]);
    await gqlOk(gw.url, SET, { id: kr, v: "49" }, me.token);
    expect(await eventsOf(me.id, "goals.key_result_reached")).toEqual([]);
    await gqlOk(gw.url, SET, { id: kr, v: "50" }, me.token);
    const reached = [{
      verb: "goals.key_result_reached", object_type: "key_result", object_id: kr,
      metadata: { goal_title: "Get fit", key_result_title: "Push-ups" }, visibility: "friends",
    }];
    expect(await eventsOf(me.id, "goals.key_result_reached")).toEqual(reached);
    for (const v of ["60", "20", "50"]) await gqlOk(gw.url, SET, { id: kr, v }, me.token);
    expect(await eventsOf(me.id, "goals.key_result_reached")).toEqual(reached);

    // Downward targets (a time to beat) are reached by going below them.
    const down = (await gqlOk(gw.url, CREATE_KR, { goal, start: "30", target: "25", current: "30" }, me.token)).createKeyResult.keyResult.rowId;
    await gqlOk(gw.url, SET, { id: down, v: "26" }, me.token);
    expect(await eventsOf(me.id, "goals.key_result_reached")).toHaveLength(1);
    await gqlOk(gw.url, SET, { id: down, v: "24.5" }, me.token);
    expect((await eventsOf(me.id, "goals.key_result_reached")).map((e) => e.object_id)).toEqual([kr, down]);
  });
});

describe("friendships", () => {
  it("becoming friends is one social.friendship event for each friend, naming the other", async () => {
    const a = await person("ann");
    const b = await person("bob");
    await befriend(gw.url, a, b);
    const [aName, bName] = [`src${n - 1}_ann`, `src${n}_bob`];
    expect(await eventsOf(a.id)).toEqual([{ verb: "social.friendship", object_type: "user", object_id: b.id, metadata: { friend_username: bName }, visibility: "friends" }]);
    expect(await eventsOf(b.id)).toEqual([{ verb: "social.friendship", object_type: "user", object_id: a.id, metadata: { friend_username: aName }, visibility: "friends" }]);
    // Each sees the other's in the friends feed.
    expect((await feed(gw.url, a.token, "friends")).map((e) => e.actorId)).toEqual([b.id]);
    expect((await feed(gw.url, b.token, "friends")).map((e) => e.actorId)).toEqual([a.id]);
  });
});

describe("reviews", () => {
  it("a generated review is one reviews.completed event (kind and period only); generating it again writes no second", async () => {
    const me = await person("review");
    const ask = () => gqlOk(gw.url, `mutation { generateReview(input: { kind: monthly, periodStart: "2024-05-01" }) { result } }`, {}, me.token);
    await ask();
    await runQueuedJobs(gw.db);
    const [review] = await rootRows(gw.db, "select id from app_public.reviews where user_id = $1", [me.id]);
    expect(review).toBeDefined();
    const written = [{
      verb: "reviews.completed", object_type: "review", object_id: review.id, metadata: { kind: "monthly", period_start: "2024-05-01" }, visibility: "friends",
    }];
    expect(await eventsOf(me.id)).toEqual(written);
    await ask();
    await runQueuedJobs(gw.db);
    await gw.db.root.query("select app_private.generate_review($1, 'monthly', '2024-05-10')", [me.id]);
    expect(await eventsOf(me.id)).toEqual(written);
  });
});

describe("visibility at write time", () => {
  it("is the actor's default of the moment; a community default is written as friends (no community yet)", async () => {
    const me = await person("vis");
    const ritual = await newRitual(gw.url, me.token, "Sketch");
    const written: string[] = [];
    for (const [i, v] of (["public", "private", "community", "friends"] as const).entries()) {
      await setPrivacy(gw.db, me.id, { default_activity_visibility: v });
      await completeRitual(gw.db, gw.url, me.token, ritual, 2 * i + 1);
      written.push(v === "community" ? "friends" : v);
    }
    expect((await eventsOf(me.id)).map((e) => e.visibility)).toEqual(written);
  });

  it("unknown verbs and metadata without exactly the verb's keys are refused (BADIN) where events are written", async () => {
    const me = await person("guard");
    const record = (verb: string, metadata: object) => gw.db.root.query(
      "select app_private.record_activity($1, $2, 'goal', gen_random_uuid(), $3)", [me.id, verb, JSON.stringify(metadata)]);
    await expect(record("goals.exploded", { goal_title: "x" })).rejects.toMatchObject({ code: "BADIN" });
    await expect(record("goals.done", {})).rejects.toMatchObject({ code: "BADIN" });
    await expect(record("goals.done", { goal_title: "x", score: 5 })).rejects.toMatchObject({ code: "BADIN" });
    expect(await eventsOf(me.id)).toEqual([]);
  });
});

// Achievements through the real gateway: a ritual kept a week shows up as a
// badge on currentUser, with the progress behind it; another user sees the
// badge only once its owner shows achievements; no client can award itself.
import { describe, expect, it } from "@jest/globals";
import { withSignedIn } from "../helpers/gateway.js";
import { gqlOk } from "../helpers/social.js";

const session = withSignedIn(["ach_ann", "ach_ben"] as const);

const BADGES = "badges { kind code title tier competitionId placement awardedAt }";

describe("badges over GraphQL", () => {
  it("a ritual completed 7 days running earns a badge on currentUser, and myAchievementProgress shows where Ann stands", async () => {
    const { gw, accounts: [ann] } = session();
    const created = await gqlOk(gw.url, `mutation { createRitual(input: { ritual: { title: "Stretch", cadence: daily } }) { ritual { rowId } } }`,
      {}, ann.token);
    const ritualId = created.createRitual.ritual.rowId;
    for (let daysAgo = 6; daysAgo >= 0; daysAgo--) {
      const completedAt = new Date(Date.now() - daysAgo * 86_400_000).toISOString();
      await gqlOk(gw.url, `mutation ($ritualId: UUID!, $at: Datetime!) {
        createRitualCompletion(input: { ritualCompletion: { ritualId: $ritualId, completedAt: $at } }) { ritualCompletion { rowId } } }`,
      { ritualId, at: completedAt }, ann.token);
    }
    const me = await gqlOk(gw.url, `{ currentUser { ${BADGES} } myAchievementProgress { code progress threshold awardedAt } }`, {}, ann.token);
    expect(me.currentUser.badges).toEqual([{
      kind: "achievement", code: "streak_7", title: "Week of rituals", tier: "bronze", competitionId: null, placement: null,
      awardedAt: expect.any(String),
    }]);
    const streak7 = me.myAchievementProgress.find((r: { code: string }) => r.code === "streak_7");
    expect(streak7).toEqual({ code: "streak_7", progress: 7, threshold: 7, awardedAt: me.currentUser.badges[0].awardedAt });
    expect(me.myAchievementProgress.map((r: { code: string }) => r.code)).not.toContain("first_purchase");
    const ledger = await gw.db.root.query(
      "select amount from app_public.point_transactions where user_id = $1 and reason = 'achievement'", [ann.id]);
    expect(ledger.rows).toEqual([{ amount: 50 }]);
  });

  it("Ben sees Ann's badge only once Ann shows achievements on a profile Ben may see", async () => {
    const { gw, accounts: [ann, ben] } = session();
    const annAsBenSees = async () => (await gqlOk(gw.url, `query ($id: UUID!) { user(rowId: $id) { ${BADGES} } }`, { id: ann.id }, ben.token)).user;
    await gw.db.root.query("update app_public.privacy_settings set profile_visibility = 'public' where user_id = $1", [ann.id]);
    expect(await annAsBenSees()).toEqual({ badges: [] });
    await gqlOk(gw.url, `mutation ($id: UUID!) {
      updatePrivacySetting(input: { userId: $id, patch: { showAchievements: true } }) { privacySetting { showAchievements } } }`,
    { id: ann.id }, ann.token);
    expect((await annAsBenSees()).badges.map((b: { code: string }) => b.code)).toEqual(["streak_7"]);
  });

  it("no mutation writes awards or progress, and Ben reads none of Ann's progress nor her secret definitions", async () => {
    const { gw, accounts: [ann, ben] } = session();
    const schema = await gqlOk(gw.url, "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }");
    const mutations: string[] = schema.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(mutations.filter((name) => /UserAchievement|AchievementProgress/.test(name))).toEqual([]);
    expect(schema.__schema.queryType.fields.map((f: { name: string }) => f.name).filter((n: string) => /chievement/i.test(n)).sort())
      .toEqual(["achievementDefinition", "achievementDefinitionById", "achievementDefinitions", "achievementProgress",
        "achievementProgressById", "achievementProgresses", "myAchievementProgress", "userAchievement", "userAchievementById", "userAchievements"]);
    const seen = await gqlOk(gw.url, `query ($ann: UUID!) {
      achievementProgresses { nodes { userId event progress } }
      annsStreak: achievementProgress(userId: $ann, event: ritual_streak) { progress }
      userAchievements { nodes { userId achievementCode } }
      achievementDefinitions { nodes { code } }
    }`, { ann: ann.id }, ben.token);
    expect(seen.achievementProgresses.nodes).toEqual([]);
    expect(seen.annsStreak).toBeNull();
    // Ann shows achievements (above): Ben sees her award, and it is the only one there is.
    expect(seen.userAchievements.nodes).toEqual([{ userId: ann.id, achievementCode: "streak_7" }]);
    expect(seen.achievementDefinitions.nodes.map((d: { code: string }) => d.code)).not.toContain("first_purchase");
    const own = await gqlOk(gw.url, "{ achievementProgresses { nodes { userId event progress } } }", {}, ann.token);
    expect(own.achievementProgresses.nodes).toEqual([{ userId: ann.id, event: "ritual_streak", progress: 7 }]);
  });
});

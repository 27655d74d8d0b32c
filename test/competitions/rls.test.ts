// Row-level security of the competitions tables: a community's competition
// is seen by those who may see the community (and joined by its members),
// drafts by organisers only, grants by the winner and administrators, and
// nothing is written directly except what organisers may edit.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { rootRows } from "../helpers/social.js";
import { addParticipants, addScores, makeAdmin, makeCommunity, makeCompetition, type Made } from "./fixtures.js";

const t = useTestDatabase();
let founder: TestUser;
let member: TestUser;
let outsider: TestUser;
let admin: TestUser;
let secret: Made;
let open: Made;

const TABLES = ["competitions", "competition_rounds", "competition_participants", "competition_scores", "competition_rewards"];

async function visible(userId: string | null, competitionId: string) {
  return asUser(t.db, userId, async (c) => {
    const counts: Record<string, number | string> = {};
    for (const table of TABLES) {
      const column = table === "competitions" ? "id" : "competition_id";
      const result = await attempt(c, `select count(*)::int as n from app_public.${table} where ${column} = $1`, [competitionId]);
      counts[table] = result.code ?? (result.rows[0]!.n as number);
    }
    return counts;
  });
}

beforeAll(async () => {
  founder = await createUser(t.db, "rfound");
  member = await createUser(t.db, "rmember");
  outsider = await createUser(t.db, "routside");
  admin = await createUser(t.db, "radmin");
  await makeAdmin(t.db, admin.id);
  const privateCommunity = await makeCommunity(t.db, founder.id, [[member.id, "member"]], "private");
  const publicCommunity = await makeCommunity(t.db, founder.id, [[member.id, "member"]], "public");
  secret = await makeCompetition(t.db, { communityId: privateCommunity, status: "scheduled", startsIn: 3600, endsIn: 7200 });
  open = await makeCompetition(t.db, { communityId: publicCommunity, status: "scheduled", startsIn: 3600, endsIn: 7200 });
  for (const made of [secret, open]) {
    await addParticipants(t.db, made.id, [founder.id]);
    await t.db.root.query("update app_public.competitions set status = 'active' where id = $1", [made.id]);
    await addScores(t.db, made.id, [[made.rounds[0]!, founder.id, 5]]);
    await t.db.root.query("update app_public.competitions set status = 'scheduled' where id = $1", [made.id]);
    await t.db.root.query("insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points) values ($1, 1, 1, 10)", [made.id]);
  }
});

describe("a private community's competition", () => {
  it("is invisible to a non-member, with its rounds, participants, scores, rewards and leaderboard", async () => {
    expect(await visible(outsider.id, secret.id)).toEqual(Object.fromEntries(TABLES.map((table) => [table, 0])));
    await asUser(t.db, outsider.id, async (c) => {
      expect((await c.query("select * from app_public.competition_leaderboard($1)", [secret.id])).rows).toEqual([]);
      expect((await attempt(c, "select app_public.join_competition($1)", [secret.id])).code).toBe("NOFND");
    });
  });

  it("is seen whole by a member, who may join it", async () => {
    expect(await visible(member.id, secret.id)).toEqual(Object.fromEntries(TABLES.map((table) => [table, 1])));
    await asUser(t.db, member.id, async (c) => {
      expect((await c.query("select rank, user_id from app_public.competition_leaderboard($1)", [secret.id])).rows)
        .toEqual([{ rank: 1, user_id: founder.id }]);
      expect((await attempt(c, "select user_id from app_public.join_competition($1)", [secret.id])).rows).toEqual([{ user_id: member.id }]);
      // The joined event is for the community's members.
      expect((await c.query("select visibility, community_id is not null as in_community from app_public.activity_events where verb = 'competitions.joined' and actor_id = $1", [member.id])).rows)
        .toEqual([{ visibility: "community", in_community: true }]);
    });
  });

  it("anonymous sees neither it nor (ever) participants and scores", async () => {
    expect(await visible(null, secret.id)).toEqual({
      competitions: 0, competition_rounds: 0, competition_participants: "42501", competition_scores: "42501", competition_rewards: 0,
    });
  });
});

describe("a public community's competition", () => {
  it("is seen by anyone signed in; entering it joins its open community (joined_via competition)", async () => {
    expect(await visible(outsider.id, open.id)).toEqual(Object.fromEntries(TABLES.map((table) => [table, 1])));
    await asUser(t.db, outsider.id, async (c) => {
      expect((await attempt(c, "select user_id from app_public.join_competition($1)", [open.id])).rows).toEqual([{ user_id: outsider.id }]);
      expect((await c.query(
        "select joined_via::text from app_public.community_members m join app_public.competitions k on k.community_id = m.community_id where k.id = $1 and m.user_id = $2",
        [open.id, outsider.id])).rows).toEqual([{ joined_via: "competition" }]);
    });
  });

  it("of a community that approves its members is entered by members only (COMRL)", async () => {
    await t.db.root.query("update app_public.communities set join_policy = 'approval' where id = (select community_id from app_public.competitions where id = $1)", [open.id]);
    try {
      await asUser(t.db, outsider.id, async (c) => {
        expect((await attempt(c, "select app_public.join_competition($1)", [open.id])).code).toBe("COMRL");
      });
    } finally {
      await t.db.root.query("update app_public.communities set join_policy = 'open' where id = (select community_id from app_public.competitions where id = $1)", [open.id]);
    }
  });

  it("is edited by the community's admins only: others change nothing, and nobody sets the status or counters", async () => {
    await asUser(t.db, member.id, async (c) => {
      expect((await c.query("update app_public.competitions set title = 'Mine now' where id = $1 returning id", [open.id])).rows).toEqual([]);
      expect((await c.query("delete from app_public.competition_rewards where competition_id = $1 returning id", [open.id])).rows).toEqual([]);
    });
    await asUser(t.db, founder.id, async (c) => {
      expect((await c.query("update app_public.competitions set title = 'Renamed cup' where id = $1 returning title", [open.id])).rows)
        .toEqual([{ title: "Renamed cup" }]);
      expect((await attempt(c, "update app_public.competitions set status = 'active' where id = $1", [open.id])).code).toBe("42501");
      expect((await attempt(c, "update app_public.competitions set participant_count = 9 where id = $1", [open.id])).code).toBe("42501");
      expect((await attempt(c, "insert into app_public.competitions (title, starts_at, ends_at) values ('Direct', now(), now() + interval '1 day')")).code).toBe("42501");
    });
  });
});

describe("drafts", () => {
  it("a global draft is seen by administrators only", async () => {
    const draft = await makeCompetition(t.db, { status: "draft", startsIn: 3600, endsIn: 7200 });
    expect((await visible(outsider.id, draft.id)).competitions).toBe(0);
    expect((await visible(null, draft.id)).competitions).toBe(0);
    expect((await visible(admin.id, draft.id)).competitions).toBe(1);
    await asUser(t.db, outsider.id, async (c) => {
      expect((await attempt(c, "select app_public.join_competition($1)", [draft.id])).code).toBe("NOFND");
    });
  });
});

describe("reward grants", () => {
  it("B cannot read A's grants; A and administrators can; nobody writes them", async () => {
    const [a, b] = [member, outsider];
    const done = await makeCompetition(t.db, { status: "finished", startsIn: -7200, endsIn: -60 });
    await addParticipants(t.db, done.id, [a.id, b.id]);
    await addScores(t.db, done.id, [[done.rounds[0]!, a.id, 9], [done.rounds[0]!, b.id, 3]]);
    await t.db.root.query(
      "insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points) values ($1, 1, 1, 40), ($1, 2, 2, 20)", [done.id]);
    await t.db.root.query("select app_private.finalise_competition($1)", [done.id]);
    const grants = await rootRows(t.db, "select id, user_id from app_public.competition_reward_grants where competition_id = $1", [done.id]);
    const aGrant = grants.find((g) => g.user_id === a.id)!.id;
    await asUser(t.db, b.id, async (c) => {
      expect((await c.query("select user_id from app_public.competition_reward_grants where id = $1", [aGrant])).rows).toEqual([]);
      expect((await c.query("select user_id from app_public.competition_reward_grants where competition_id = $1", [done.id])).rows)
        .toEqual([{ user_id: b.id }]);
      expect((await attempt(c, "update app_public.competition_reward_grants set status = 'pending' where id = $1", [aGrant])).code).toBe("42501");
      expect((await attempt(c,
        "insert into app_public.competition_reward_grants (reward_id, competition_id, user_id, placement) select id, competition_id, $1, 1 from app_public.competition_rewards where competition_id = $2 limit 1",
        [b.id, done.id])).code).toBe("42501");
    });
    await asUser(t.db, a.id, async (c) => {
      expect((await c.query("select user_id, placement, status from app_public.competition_reward_grants where id = $1", [aGrant])).rows)
        .toEqual([{ user_id: a.id, placement: 1, status: "fulfilled" }]);
    });
    await asUser(t.db, admin.id, async (c) => {
      expect((await c.query("select count(*)::int as n from app_public.competition_reward_grants where competition_id = $1", [done.id])).rows)
        .toEqual([{ n: 2 }]);
    });
    await asUser(t.db, null, async (c) => {
      expect((await attempt(c, "select * from app_public.competition_reward_grants")).code).toBe("42501");
    });
  });
});

// Live updates of communities and competitions: a community event reaches
// the community's members only (and not across a block); leaderboardChanged
// signals once per transaction to whoever may see the competition, and never
// to outsiders of a private community.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { signUp, type Account, type TestGateway } from "../helpers/gateway.js";
import { befriend, sleep } from "../helpers/peers.js";
import { FEED_SUBSCRIPTION, subscribed, withLiveGateway } from "../helpers/realtime.js";
import { rootRows } from "../helpers/social.js";

const LEADERBOARD_SUBSCRIPTION = `subscription ($id: UUID!) {
  leaderboardChanged(competitionId: $id) { competitionId participantCount status }
}`;

const lg = withLiveGateway();
let t: TestGateway;
let ann: Account, bob: Account, cy: Account, dee: Account;

beforeAll(async () => {
  t = lg.gateway();
  ann = await signUp(t.url, "lc_ann");
  bob = await signUp(t.url, "lc_bob");
  cy = await signUp(t.url, "lc_cy");
  dee = await signUp(t.url, "lc_dee");
  // All friends of ann, so the friends feed would carry her events to each.
  for (const other of [bob, cy, dee]) await befriend(t.db, ann.id, other.id);
});

function subscribe(account: Account, query: string, variables: Record<string, unknown> = {}) {
  return lg.connect(account).subscribe(query, variables);
}

async function community(visibility: "public" | "private", members: Account[]) {
  const [{ id }] = await rootRows(t.db,
    `insert into app_public.communities (name, slug, visibility, join_policy, founder_id)
     values ('Live', 'live-' || substr(md5(random()::text), 1, 8), $1::app_public.community_visibility,
       case when $1::text = 'private' then 'invite' else 'open' end::app_public.community_join_policy, $2) returning id`,
    [visibility, members[0]!.id]);
  for (const [i, m] of members.entries()) {
    await rootRows(t.db, "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, $3)", [id, m.id, i === 0 ? "founder" : "member"]);
  }
  return id as string;
}

describe("community events", () => {
  it("reach the community's members only, and not a member the actor blocked", async () => {
    const id = await community("private", [ann, bob, cy]);
    await rootRows(t.db, "insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [ann.id, cy.id]);
    const streams = [bob, cy, dee].map((a) => subscribe(a, FEED_SUBSCRIPTION, { scope: "friends" }));
    await subscribed(t.gateway.hub, 3);
    await rootRows(t.db,
      `select app_private.record_activity($1, 'communities.joined', 'community', $2, '{"community_name": "Live"}', null, $2)`, [ann.id, id]);
    // A public event after it: every friend gets that one, so its arrival
    // shows the community event had its chance to arrive first.
    await rootRows(t.db,
      `select app_private.record_activity($1, 'goals.done', 'goal', gen_random_uuid(), '{"goal_title": "marker"}', null, null, 'public')`, [ann.id]);
    const [toBob, toCy, toDee] = await Promise.all([
      streams[0]!.until((u) => u.event?.verb === "goals.done"),
      // ann blocked cy: across the block cy sees neither event.
      sleep(300).then(() => streams[1]!.items),
      streams[2]!.until((u) => u.event?.verb === "goals.done"),
    ]);
    expect(toBob.map((u) => u.event.verb)).toEqual(["communities.joined", "goals.done"]);
    expect(toBob[0]!.event.visibility).toBe("community");
    expect(toCy).toEqual([]);
    expect(toDee.map((u) => u.event.verb)).toEqual(["goals.done"]);
  });
});

describe("leaderboardChanged", () => {
  async function competition(communityId: string | null, participants: Account[]) {
    const [{ id }] = await rootRows(t.db,
      `insert into app_public.competitions (community_id, title, starts_at, ends_at, status)
       values ($1, 'Live race', date_trunc('hour', now()) - interval '1 day', date_trunc('hour', now()) + interval '1 day', 'scheduled') returning id`, [communityId]);
    const [{ id: round }] = await rootRows(t.db,
      `insert into app_public.competition_rounds (competition_id, position, title, opens_at, closes_at)
       select id, 1, 'Round', starts_at, ends_at from app_public.competitions where id = $1 returning id`, [id]);
    for (const p of participants) {
      await rootRows(t.db, "insert into app_public.competition_participants (competition_id, user_id) values ($1, $2)", [id, p.id]);
    }
    return { id: id as string, round: round as string };
  }
  const score = (c: { id: string; round: string }, who: Account, value: number) =>
    `insert into app_public.competition_scores (round_id, competition_id, user_id, value) values ('${c.round}', '${c.id}', '${who.id}', ${value})`;

  it("signals once per transaction, however many scores it wrote, to everyone subscribed to a global competition", async () => {
    const c = await competition(null, [ann, bob]);
    const streams = [bob, dee].map((a) => subscribe(a, LEADERBOARD_SUBSCRIPTION, { id: c.id }));
    await subscribed(t.gateway.hub, 2);
    await t.db.root.query(`begin; ${score(c, ann, 3)}; ${score(c, bob, 5)}; ${score(c, ann, 1)}; commit`);
    await t.db.root.query(score(c, bob, 2));
    for (const s of streams) {
      expect(await s.waitFor(2)).toEqual([
        { competitionId: c.id, participantCount: 2, status: expect.any(String) },
        { competitionId: c.id, participantCount: 2, status: expect.any(String) },
      ]);
    }
    await sleep(200);
    expect(streams.map((s) => s.items.length)).toEqual([2, 2]);
  });

  it("reaches only the members of a private community's competition, and only its own subscribers", async () => {
    const id = await community("private", [ann, bob]);
    const c = await competition(id, [ann, bob]);
    const other = await competition(null, [cy]);
    const member = subscribe(bob, LEADERBOARD_SUBSCRIPTION, { id: c.id });
    const outsider = subscribe(dee, LEADERBOARD_SUBSCRIPTION, { id: c.id });
    const elsewhere = subscribe(cy, LEADERBOARD_SUBSCRIPTION, { id: other.id });
    await subscribed(t.gateway.hub, 3);
    await t.db.root.query(score(c, ann, 4));
    await t.db.root.query(score(other, cy, 1));
    expect(await member.waitFor(1)).toEqual([{ competitionId: c.id, participantCount: 2, status: expect.any(String) }]);
    expect(await elsewhere.waitFor(1)).toEqual([{ competitionId: other.id, participantCount: 1, status: expect.any(String) }]);
    await sleep(300);
    expect(outsider.items).toEqual([]);
    expect(member.items).toHaveLength(1);
  });
});

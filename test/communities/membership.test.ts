// Communities in SQL, as the gateway's visitor: founding, the three ways in,
// roles that act only downwards, the founder who cannot be left out, and
// invites whose uses hold under concurrent redemption.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { useTestDatabase } from "../helpers/db.js";
import { actAs, connect, createBareUsers, inParallel, notificationEvents, outcome, rootRows, sessionFor } from "../helpers/social.js";

const clients: pg.Client[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});
const t = useTestDatabase();
beforeAll(async () => {
  for (let i = 0; i < 12; i++) clients.push(await connect(t.db));
});

let slugs = 0;
/** Runs one statement as the user on the first connection. */
async function as(userId: string, text: string, values: unknown[] = []) {
  const c = clients[0]!;
  await actAs(c, t.db, await sessionFor(t.db, userId));
  try {
    return await outcome(c.query(text, values));
  } finally {
    await c.query("reset role");
  }
}
async function people(n: number) {
  return createBareUsers(t.db, "cm", n);
}
async function found(founder: string, options: { visibility?: string; joinPolicy?: string } = {}) {
  const r = await as(founder, "select * from app_public.create_community($1, $2, null, $3, $4)",
    [`Community ${++slugs}`, `club-${slugs}-${process.pid}`, options.visibility ?? "public", options.joinPolicy ?? "open"]);
  if (r.code) throw new Error(`create_community failed: ${r.code}`);
  return r.rows![0] as { id: string; member_count: number; founder_id: string };
}
const members = (communityId: string) =>
  rootRows(t.db, "select user_id, role::text, joined_via::text from app_public.community_members where community_id = $1 order by joined_at, user_id", [communityId]);
const memberCount = async (communityId: string) =>
  (await rootRows(t.db, "select member_count from app_public.communities where id = $1", [communityId]))[0]!.member_count as number;

describe("founding and joining", () => {
  it("the founder is the first member, with the founder role; the slug is unique whatever its case", async () => {
    const [a, b] = await people(2);
    const c = await found(a!);
    expect(c.member_count).toBe(1);
    expect(await members(c.id)).toEqual([{ user_id: a, role: "founder", joined_via: "discovery" }]);
    const slug = (await rootRows(t.db, "select slug from app_public.communities where id = $1", [c.id]))[0]!.slug as string;
    const again = await as(b!, "select * from app_public.create_community('Another', $1)", [slug.toUpperCase()]);
    expect(again.code).toBe("23505");
  });

  it("a person founds at most 20 communities (COMLM); the 21st writes nothing", async () => {
    const [a] = await people(1);
    for (let i = 0; i < 20; i++) await found(a!);
    const refused = await as(a!, "select * from app_public.create_community('One more', $1)", [`one-more-${process.pid}`]);
    expect(refused.code).toBe("COMLM");
    expect((await rootRows(t.db, "select count(*)::int as n from app_public.communities where founder_id = $1", [a]))[0]!.n).toBe(20);
  });

  it("a bad slug or a private community that is not invite-only is refused by its constraint", async () => {
    const [a] = await people(1);
    expect((await as(a!, "select * from app_public.create_community('Bad', 'no spaces allowed')")).code).toBe("23514");
    expect((await as(a!, "select * from app_public.create_community('Bad', 'private-open', null, 'private', 'open')")).code).toBe("23514");
    expect(await rootRows(t.db, "select 1 from app_public.communities where founder_id = $1", [a])).toEqual([]);
  });

  it("an open community takes anyone, writes a community event and counts them; joining twice is NUNIQ", async () => {
    const [a, b] = await people(2);
    const c = await found(a!);
    expect((await as(b!, "select role::text from app_public.join_community($1)", [c.id])).rows).toEqual([{ role: "member" }]);
    expect(await memberCount(c.id)).toBe(2);
    expect((await as(b!, "select * from app_public.join_community($1)", [c.id])).code).toBe("NUNIQ");
    const events = await rootRows(t.db, "select verb, visibility::text, community_id from app_public.activity_events where actor_id = $1", [b]);
    expect(events).toEqual([{ verb: "communities.joined", visibility: "community", community_id: c.id }]);
  });

  it("an approval community takes requests: moderators hear of them and decide; the approved member is told", async () => {
    const [a, b, m] = await people(3);
    const c = await found(a!, { joinPolicy: "approval" });
    expect((await as(b!, "select * from app_public.join_community($1)", [c.id])).code).toBe("COMJP");
    const req = (await as(b!, "select id, status::text from app_public.request_to_join_community($1, 'hi')", [c.id])).rows![0]!;
    expect(req.status).toBe("pending");
    expect((await as(b!, "select * from app_public.request_to_join_community($1)", [c.id])).code).toBe("23505");
    expect((await notificationEvents(t.db, a!, "communities.join_request")).map((e) => e.data.request_id)).toEqual([req.id]);
    // A plain member may not decide.
    await rootRows(t.db, "insert into app_public.community_members (community_id, user_id) values ($1, $2)", [c.id, m]);
    expect((await as(m!, "select * from app_public.decide_join_request($1, true)", [req.id])).code).toBe("COMRL");
    expect((await as(a!, "select status::text from app_public.decide_join_request($1, true)", [req.id])).rows).toEqual([{ status: "approved" }]);
    expect((await members(c.id)).map((r) => r.user_id)).toContain(b);
    expect((await notificationEvents(t.db, b!, "communities.joined"))).toHaveLength(1);
  });

  it("a private community does not exist for outsiders: NOFND, as for a missing one", async () => {
    const [a, b] = await people(2);
    const c = await found(a!, { visibility: "private", joinPolicy: "invite" });
    expect((await as(b!, "select * from app_public.join_community($1)", [c.id])).code).toBe("NOFND");
    expect((await as(b!, "select * from app_public.join_community(gen_random_uuid())")).code).toBe("NOFND");
    expect((await as(b!, "select count(*)::int as n from app_public.communities where id = $1", [c.id])).rows).toEqual([{ n: 0 }]);
  });
});

describe("invites", () => {
  it("an expired or revoked invite is INVEX, a used-up one INVUS, and nothing is joined", async () => {
    const [a, b, d, e] = await people(4);
    const c = await found(a!, { visibility: "private", joinPolicy: "invite" });
    const one = (await as(a!, "select id, code from app_public.create_community_invite($1, 1)", [c.id])).rows![0]!;
    expect((await as(b!, "select role::text, joined_via::text from app_public.join_community_by_invite($1)", [one.code])).rows)
      .toEqual([{ role: "member", joined_via: "invite" }]);
    expect((await as(d!, "select * from app_public.join_community_by_invite($1)", [one.code])).code).toBe("INVUS");
    const expired = (await as(a!, "select code from app_public.create_community_invite($1, 5)", [c.id])).rows![0]!;
    await rootRows(t.db, "update app_public.community_invites set expires_at = now() - interval '1 second' where code = $1", [expired.code]);
    expect((await as(d!, "select * from app_public.join_community_by_invite($1)", [expired.code])).code).toBe("INVEX");
    const revoked = (await as(a!, "select id, code from app_public.create_community_invite($1, 5)", [c.id])).rows![0]!;
    await as(a!, "select * from app_public.revoke_community_invite($1)", [revoked.id]);
    expect((await as(e!, "select * from app_public.join_community_by_invite($1)", [revoked.code])).code).toBe("INVEX");
    expect((await members(c.id)).map((r) => r.user_id).sort()).toEqual([a, b].sort());
  });

  it("an invite of 5 uses redeemed by 12 people at once admits exactly 5", async () => {
    const [a, ...others] = await people(13);
    const c = await found(a!, { visibility: "private", joinPolicy: "invite" });
    const code = (await as(a!, "select code from app_public.create_community_invite($1, 5)", [c.id])).rows![0]!.code;
    const sessions = await Promise.all(others.map((id) => sessionFor(t.db, id!)));
    const results = await Promise.all(others.map(async (_, i) => {
      const client = clients[i % clients.length]!;
      return { client, i };
    }).map(async (p) => {
      const { client, i } = await p;
      // One connection per person: 12 connections, 12 people.
      await actAs(client, t.db, sessions[i]!);
      const r = await outcome(client.query("select 1 from app_public.join_community_by_invite($1)", [code]));
      await client.query("reset role");
      return r.code ?? "ok";
    }));
    expect(results.filter((r) => r === "ok")).toHaveLength(5);
    expect(results.filter((r) => r === "INVUS")).toHaveLength(7);
    expect(await memberCount(c.id)).toBe(6);
    expect((await rootRows(t.db, "select use_count from app_public.community_invites where code = $1", [code]))[0]!.use_count).toBe(5);
  });
});

describe("roles", () => {
  async function staffed() {
    const [founder, admin, moderator, member, other] = (await people(5)) as [string, string, string, string, string];
    const c = await found(founder);
    for (const [id, role] of [[admin, "admin"], [moderator, "moderator"], [member, "member"], [other, "member"]] as const) {
      await rootRows(t.db, "insert into app_public.community_members (community_id, user_id, role) values ($1, $2, $3)", [c.id, id, role]);
    }
    return { c, founder, admin, moderator, member, other };
  }

  it("a moderator removes members but not a moderator or above (COMRL); a member removes nobody", async () => {
    const s = await staffed();
    expect((await as(s.member, "select * from app_public.remove_community_member($1, $2)", [s.c.id, s.other])).code).toBe("COMRL");
    expect((await as(s.moderator, "select * from app_public.remove_community_member($1, $2)", [s.c.id, s.admin])).code).toBe("COMRL");
    expect((await as(s.moderator, "select * from app_public.remove_community_member($1, $2)", [s.c.id, s.founder])).code).toBe("COMRL");
    expect((await as(s.moderator, "select * from app_public.remove_community_member($1, $2)", [s.c.id, s.other])).rows).toEqual([{ remove_community_member: true }]);
    expect(await memberCount(s.c.id)).toBe(4);
  });

  it("admins promote and demote below themselves only; the founder also makes admins", async () => {
    const s = await staffed();
    expect((await as(s.moderator, "select * from app_public.set_community_role($1, $2, 'moderator')", [s.c.id, s.member])).code).toBe("COMRL");
    expect((await as(s.admin, "select role::text from app_public.set_community_role($1, $2, 'moderator')", [s.c.id, s.member])).rows).toEqual([{ role: "moderator" }]);
    expect((await as(s.admin, "select * from app_public.set_community_role($1, $2, 'admin')", [s.c.id, s.member])).code).toBe("COMRL");
    expect((await as(s.admin, "select role::text from app_public.set_community_role($1, $2, 'member')", [s.c.id, s.moderator])).rows).toEqual([{ role: "member" }]);
    expect((await as(s.founder, "select role::text from app_public.set_community_role($1, $2, 'admin')", [s.c.id, s.member])).rows).toEqual([{ role: "admin" }]);
    expect((await as(s.founder, "select * from app_public.set_community_role($1, $2, 'founder')", [s.c.id, s.member])).code).toBe("COMRL");
  });

  it("the founder cannot leave nor be removed, even by the owner's SQL, until ownership moves", async () => {
    const s = await staffed();
    expect((await as(s.founder, "select * from app_public.leave_community($1)", [s.c.id])).code).toBe("COMFD");
    expect((await outcome(t.db.root.query("delete from app_public.community_members where community_id = $1 and user_id = $2", [s.c.id, s.founder]))).code).toBe("COMFD");
    expect((await as(s.admin, "select * from app_public.transfer_community_ownership($1, $2)", [s.c.id, s.member])).code).toBe("COMRL");
    expect((await as(s.founder, "select founder_id from app_public.transfer_community_ownership($1, $2)", [s.c.id, s.member])).rows)
      .toEqual([{ founder_id: s.member }]);
    const roles = Object.fromEntries((await members(s.c.id)).map((r) => [r.user_id, r.role]));
    expect([roles[s.founder], roles[s.member]]).toEqual(["admin", "founder"]);
    expect((await as(s.founder, "select * from app_public.leave_community($1)", [s.c.id])).rows).toEqual([{ leave_community: true }]);
    expect(await memberCount(s.c.id)).toBe(4);
  });

  it("deleting the founder's account takes the community with it (a cascade, not a leave)", async () => {
    const s = await staffed();
    await rootRows(t.db, "delete from app_public.users where id = $1", [s.founder]);
    expect(await rootRows(t.db, "select 1 from app_public.communities where id = $1", [s.c.id])).toEqual([]);
  });

  it("member_count stays exact under 10 concurrent joins and leaves", async () => {
    const [a, ...others] = await people(11);
    const c = await found(a!);
    const sessions = await Promise.all(others.map((id) => sessionFor(t.db, id!)));
    await inParallel(others.map((_, i) => async () => {
      const client = clients[i]!;
      await actAs(client, t.db, sessions[i]!);
      await client.query("select 1 from app_public.join_community($1)", [c.id]);
      if (i % 2 === 0) await client.query("select app_public.leave_community($1)", [c.id]);
      await client.query("reset role");
    }), 10);
    const [{ n }] = await rootRows(t.db, "select count(*)::int as n from app_public.community_members where community_id = $1", [c.id]);
    expect(n).toBe(6);
    expect(await memberCount(c.id)).toBe(6);
  });
});

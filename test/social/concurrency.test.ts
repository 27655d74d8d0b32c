// The social graph under real concurrency: separate connections acting as
// different users at the same moment (each as the gateway would: a session id
// in jwt.claims.session_id and the visitor role), and concurrent requests
// through the gateway.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { useTestDatabase } from "../helpers/db.js";
import { graphql, signUp, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { randInt, SEED } from "../helpers/random.js";
import {
  actAs, connect, createBareUsers, outcome, rootRows, SEND_REQUEST, sessionFor, setPrivacy,
} from "../helpers/social.js";

const clients: pg.Client[] = [];
// Registered before the database's own hooks: jest runs afterAll hooks in
// registration order, so the connections close before the database is dropped.
afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()));
});
const t = useTestDatabase();
beforeAll(async () => {
  for (let i = 0; i < 20; i++) clients.push(await connect(t.db));
});

/** Bare users with a session each. */
async function people(prefix: string, n: number, privacy: Parameters<typeof setPrivacy>[2] = {}) {
  const ids = await createBareUsers(t.db, prefix, n);
  const sessions: string[] = [];
  for (const id of ids) {
    await setPrivacy(t.db, id, privacy);
    sessions.push(await sessionFor(t.db, id));
  }
  return { ids, sessions };
}

/** Waits until the promise settled or the backend waits on a lock, whichever comes first. */
async function settledOrWaiting(promise: Promise<unknown>, pid: number): Promise<void> {
  let settled = false;
  void promise.then(() => (settled = true), () => (settled = true));
  for (let i = 0; i < 200 && !settled; i++) {
    const [row] = await rootRows(t.db, "select wait_event_type from pg_stat_activity where pid = $1", [pid]);
    if (row?.wait_event_type === "Lock") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("crossing friend requests", () => {
  it("sent at the same moment on two connections end as exactly one friendship, every time (10 races)", async () => {
    const [ca, cb] = [clients[0]!, clients[1]!];
    for (let round = 0; round < 10; round++) {
      const { ids: [a, b], sessions: [sa, sb] } = await people(`cross${round}`, 2);
      await actAs(ca, t.db, sa!);
      await actAs(cb, t.db, sb!);
      const results = await Promise.all([
        outcome(ca.query("select status from app_public.send_friend_request($1)", [b])),
        outcome(cb.query("select status from app_public.send_friend_request($1)", [a])),
      ]);
      // Both calls succeed: one sends, the other finds it and accepts.
      expect({ round, codes: results.map((r) => r.code) }).toEqual({ round, codes: [undefined, undefined] });
      expect(results.map((r) => r.rows![0]!.status).sort()).toEqual(["accepted", "pending"]);
      const friendships = await rootRows(t.db,
        "select user_id, friend_id from app_public.friendships where $1 in (user_id, friend_id) or $2 in (user_id, friend_id)", [a, b]);
      expect(friendships).toHaveLength(2);
      expect(new Set(friendships.map((f) => `${f.user_id}>${f.friend_id}`))).toEqual(new Set([`${a}>${b}`, `${b}>${a}`]));
      const requests = await rootRows(t.db,
        "select status from app_public.friend_requests where $1 in (requester_id, recipient_id)", [a]);
      expect(requests).toEqual([{ status: "accepted" }]);
      const [counts] = await rootRows(t.db,
        "select array_agg(friends_count order by friends_count) as counts from app_private.profile_counts where user_id in ($1, $2)", [a, b]);
      expect(counts.counts).toEqual([1, 1]);
    }
  });
});

describe("the limit of 50 pending requests", () => {
  it("holds when ten requests to ten people are sent at once from 45 pending: five pass, five get FRLIM (3 rounds)", async () => {
    for (let round = 0; round < 3; round++) {
      const { ids: [me], sessions: [session] } = await people(`lim${round}`, 1);
      const waiting = await createBareUsers(t.db, `limw${round}`, 45);
      await t.db.root.query(
        "insert into app_public.friend_requests (requester_id, recipient_id) select $1, unnest($2::uuid[])", [me, waiting],
      );
      const targets = await createBareUsers(t.db, `limt${round}`, 10);
      const racers = clients.slice(0, 10);
      for (const c of racers) await actAs(c, t.db, session!);
      const results = await Promise.all(racers.map((c, i) =>
        outcome(c.query("select status from app_public.send_friend_request($1)", [targets[i]]))));
      const [{ pending }] = await rootRows(t.db,
        "select count(*)::int as pending from app_public.friend_requests where requester_id = $1 and status = 'pending'", [me]);
      expect({ round, pending }).toEqual({ round, pending: 50 });
      expect({ round, codes: results.map((r) => r.code ?? "ok").sort() }).toEqual({ round, codes: [...Array(5).fill("FRLIM"), ...Array(5).fill("ok")] });
    }
  });
});

describe("follows and their counts", () => {
  const N = 14;
  let ids: string[];
  let results: Array<{ code?: string }>;

  beforeAll(async () => {
    const made = await people("fol", N, { profile_visibility: "public" });
    ids = made.ids;
    const sessions = new Map(ids.map((id, i) => [id, made.sessions[i]!]));
    // Seeded: the title names the seed; LIFEGRAPH_REF_SEED replays a run.
    const ops = Array.from({ length: 1000 }, () => {
      const actor = randInt(0, N - 1);
      let target = randInt(0, N - 2);
      if (target >= actor) target++;
      return { actor: ids[actor]!, target: ids[target]!, fn: randInt(0, 2) < 2 ? "follow_user" : "unfollow_user" };
    });
    // 20 connections, each taking the next call and acting as its user.
    const queue = [...ops];
    results = [];
    await Promise.all(clients.map(async (client) => {
      for (let op = queue.shift(); op; op = queue.shift()) {
        await actAs(client, t.db, sessions.get(op.actor)!);
        results.push(await outcome(client.query(`select app_public.${op.fn}($1) as result`, [op.target])));
      }
    }));
    expect(results).toHaveLength(1000);
  });

  it(`1,000 concurrent follow and unfollow calls leave every follower and following count equal to the follows (seed ${SEED})`, async () => {
    const rows = await rootRows(t.db, `select c.user_id, c.followers_count, c.following_count,
        (select count(*)::int from app_public.follows f where f.followee_id = c.user_id) as real_followers,
        (select count(*)::int from app_public.follows f where f.follower_id = c.user_id) as real_following
      from app_private.profile_counts c where c.user_id = any($1)`, [ids]);
    expect(rows).toHaveLength(N);
    const follows = rows.reduce((sum, r) => sum + r.real_following, 0);
    expect(follows).toBeGreaterThan(0);
    for (const r of rows) {
      expect({ user: r.user_id, followers: r.followers_count, following: r.following_count })
        .toEqual({ user: r.user_id, followers: r.real_followers, following: r.real_following });
    }
  });

  it(`every one of those calls succeeds: none is lost to a deadlock or any other error (seed ${SEED})`, () => {
    const failures = results.filter((r) => r.code).map((r) => r.code);
    expect(failures).toEqual([]);
  });

  // The same, made certain. Each follow updates two counts rows. A third
  // transaction holds the row the first follow needs first; the follows start
  // one after the other, each running until it waits (row locks are granted
  // in the order asked), and then the holder lets go. Follows that take their
  // two rows in differing orders then deadlock (40P01), and one is lost.
  async function followAtOnce(pairs: Array<[number, number]>, n: number) {
    const { ids, sessions } = await people(`ring${n}`, n, { profile_visibility: "public" });
    const holder = await t.db.root.connect();
    const calls: Array<Promise<{ code?: string }>> = [];
    try {
      await holder.query("begin");
      await holder.query("select 1 from app_private.profile_counts where user_id = $1 for update", [ids[pairs[0]![1]]]);
      for (const [i, [from, to]] of pairs.entries()) {
        const c = clients[i]!;
        await actAs(c, t.db, sessions[from]!);
        const [{ pid }] = (await c.query("select pg_backend_pid() as pid")).rows;
        const call = outcome(c.query("select app_public.follow_user($1) as result", [ids[to]]));
        calls.push(call);
        await settledOrWaiting(call, pid);
      }
    } finally {
      await holder.query("commit");
      holder.release();
    }
    const results = await Promise.all(calls);
    const counts = await rootRows(t.db, `select c.followers_count, c.following_count,
        (select count(*)::int from app_public.follows f where f.followee_id = c.user_id) as real_followers,
        (select count(*)::int from app_public.follows f where f.follower_id = c.user_id) as real_following
      from app_private.profile_counts c where c.user_id = any($1::uuid[])`, [ids]);
    return { codes: results.map((r) => r.code ?? "ok"), counts };
  }

  it("two people following each other at the same moment both succeed", async () => {
    const { codes, counts } = await followAtOnce([[0, 1], [1, 0]], 2);
    expect(codes).toEqual(["ok", "ok"]);
    expect(counts).toEqual(Array(2).fill({ followers_count: 1, following_count: 1, real_followers: 1, real_following: 1 }));
  });

  it("three people following round in a ring at the same moment all succeed", async () => {
    const { codes, counts } = await followAtOnce([[0, 1], [1, 2], [2, 0]], 3);
    expect(codes).toEqual(["ok", "ok", "ok"]);
    expect(counts).toEqual(Array(3).fill({ followers_count: 1, following_count: 1, real_followers: 1, real_following: 1 }));
  });
});

describe("a block racing a follow or a request", () => {
  // B's call runs in a transaction B has not committed yet when A blocks B:
  // whichever way the two are ordered, once both are done B must neither
  // follow A nor have a request pending with A.
  async function race(call: string) {
    const { ids: [a, b], sessions: [sa, sb] } = await people("race", 2, { profile_visibility: "public" });
    const [ca, cb] = [clients[0]!, clients[1]!];
    await actAs(ca, t.db, sa!);
    await actAs(cb, t.db, sb!);
    const [{ pid }] = (await ca.query("select pg_backend_pid() as pid")).rows;
    await cb.query("begin");
    expect((await outcome(cb.query(`select 1 from ${call}`, [a]))).code).toBeUndefined();
    const block = outcome(ca.query("select app_public.block_user($1) as result", [b]));
    await settledOrWaiting(block, pid);
    await cb.query("commit");
    expect((await block).rows).toEqual([{ result: true }]);
    return { a, b };
  }

  it("a follow committed after the block does not survive it", async () => {
    const { a, b } = await race("app_public.follow_user($1)");
    expect(await rootRows(t.db, "select 1 from app_public.follows where follower_id = $1 and followee_id = $2", [b, a])).toEqual([]);
    const [counts] = await rootRows(t.db, "select followers_count from app_private.profile_counts where user_id = $1", [a]);
    expect(counts.followers_count).toBe(0);
  });

  it("a request committed after the block does not stay pending", async () => {
    const { a, b } = await race("app_public.send_friend_request($1)");
    expect(await rootRows(t.db,
      "select status from app_public.friend_requests where requester_id = $1 and recipient_id = $2", [b, a])).toEqual([{ status: "cancelled" }]);
  });
});

describe("crossing requests through the gateway", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(async () => {
    await gw?.close();
  });

  it("two concurrent sendFriendRequest calls, each to the other, end as one friendship (5 races)", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await signUp(gw.url, `gx${round}_a`);
      const b = await signUp(gw.url, `gx${round}_b`);
      const [ra, rb] = await Promise.all([
        graphql(gw.url, SEND_REQUEST, { to: b.id }, a.token),
        graphql(gw.url, SEND_REQUEST, { to: a.id }, b.token),
      ]);
      expect([ra.errors, rb.errors]).toEqual([undefined, undefined]);
      expect([ra.data.sendFriendRequest.result.status, rb.data.sendFriendRequest.result.status].sort()).toEqual(["accepted", "pending"]);
      const rows = await gw.db.root.query("select user_id from app_public.friendships where $1 in (user_id, friend_id)", [a.id]);
      expect(rows.rows.map((r) => r.user_id).sort()).toEqual([a.id, b.id].sort());
    }
  });
});

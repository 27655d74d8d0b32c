// The friends feed's recent inbox (feed/functions.sql): pages read since the
// horizon from the viewer's own inbox and below it from the events, and
// whatever the horizon, every page is what the visibility rule says. The
// writers keep the inbox whole: an event's fan-out, an event shared again
// or moved in time, a new friendship's backfill, the two in a race; the
// daily trim moves the horizon and deletes below it; an erased account
// leaves no row behind.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { loadCrontab } from "../../src/worker/runner.js";
import { asUser, useTestDatabase } from "../helpers/db.js";
import { runQueuedJobs } from "../helpers/jobs.js";
import { createBareUsers, rootRows } from "../helpers/social.js";

const t = useTestDatabase();
let viewer: string;
let friends: string[]; // viewer's friends; the last one leaves (unfriended) below
let stranger: string; // befriended below: the backfill
let others: string[];

const q = (text: string, values: unknown[] = []) => t.db.root.query(text, values);
const makeFriends = (a: string, b: string) => q("select app_private.make_friends($1, $2, null)", [a, b]);

/** `n` goals.done events of the user's, `hoursApart` apart from `fromHoursAgo` back, in a visibility rotation. */
async function writeEvents(userId: string, n: number, fromHoursAgo: number, hoursApart: number): Promise<void> {
  await q(
    `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility, created_at)
     select $1, 'goals.done', 'goal', gen_random_uuid(), jsonb_build_object('goal_title', 'Goal ' || i),
       (array['public', 'friends', 'private', 'friends'])[1 + i % 4]::app_public.activity_visibility,
       date_trunc('hour', now()) - ($3 + (i / 2) * $4) * interval '1 hour'
     from generate_series(1, $2::int) i`,
    [userId, n, fromHoursAgo, hoursApart],
  );
}

/** The viewer's friends feed by the rule, computed from the tables (as superuser), newest first. */
async function expectedFeed(who: string): Promise<string[]> {
  return (await rootRows(t.db, `select e.id from app_public.activity_events e
    where e.actor_id in (select friend_id from app_public.friendships where user_id = $1)
      and e.visibility in ('public', 'friends') and e.deleted_at is null and e.hidden_at is null
      and e.id not in (select event_id from app_public.activity_hides where user_id = $1)
      and not exists (select 1 from app_public.blocks b
        where (b.blocker_id = $1 and b.blocked_id = e.actor_id) or (b.blocker_id = e.actor_id and b.blocked_id = $1))
    order by e.created_at desc, e.id desc`, [who])).map((r) => r.id);
}

/** The ids of every page of the viewer's friends feed, through activity_feed as the viewer. */
async function walk(who: string, pageSize: number): Promise<string[]> {
  return asUser(t.db, who, async (client) => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { rows }: { rows: Array<{ id: string; cursor: string }> } = await client.query(
        "select e.id, app_public.activity_events_cursor(e) as cursor from app_public.activity_feed('friends', $1, $2) e",
        [pageSize, after],
      );
      ids.push(...rows.map((r) => r.id));
      if (rows.length < pageSize) return ids;
      after = rows.at(-1)!.cursor;
    }
  });
}

async function horizon(): Promise<Date> {
  return (await rootRows(t.db, "select starts_at from app_private.feed_inbox_horizon"))[0].starts_at;
}
async function inboxCount(where = "true", values: unknown[] = []): Promise<number> {
  return (await rootRows(t.db, `select count(*)::int as n from app_private.feed_inbox i where ${where}`, values))[0].n;
}

/** Pages of several sizes all equal the rule's feed. */
async function expectFeedWhole(): Promise<void> {
  const expected = await expectedFeed(viewer);
  for (const size of [1, 7, 20]) expect(await walk(viewer, size)).toEqual(expected);
}

beforeAll(async () => {
  const users = await createBareUsers(t.db, "inbox", 8);
  [viewer, stranger, others] = [users[0]!, users[1]!, users.slice(2)];
  friends = others.slice(0, 4);
  for (const f of friends) await makeFriends(viewer, f);
  // The friends know each other too: their fan-outs reach more than the viewer.
  await makeFriends(friends[0]!, friends[1]!);
  // An inbox that starts now holds nothing yet: a month of history written
  // in bulk lies below it, as after an import.
  await q("update app_private.feed_inbox_horizon set starts_at = now()");
  await q("delete from app_private.feed_inbox");
  for (const [i, who] of [...friends, stranger, ...others.slice(4)].entries()) await writeEvents(who, 40, i, 17);
  // Ties: two friends' events at the same instants.
  await writeEvents(friends[0]!, 6, 30, 0);
  await writeEvents(friends[1]!, 6, 30, 0);
});

describe("pages across the horizon", () => {
  it("with the horizon at now, the inbox is empty and the feed is read from the events", async () => {
    expect(await inboxCount()).toBe(0);
    const expected = await expectedFeed(viewer);
    expect(expected.length).toBeGreaterThan(60);
    await expectFeedWhole();
  });

  it("moved back ten days, the inbox holds each friend's shared events since, and pages cross the horizon whole", async () => {
    const added = (await rootRows(t.db, "select app_private.extend_feed_inbox(now() - interval '10 days') as n"))[0].n;
    const expectedRows = (await rootRows(t.db, `select count(*)::int as n from app_public.activity_events e
      join app_public.friendships f on f.user_id = e.actor_id
      where e.visibility <> 'private' and e.created_at >= now() - interval '10 days'`))[0].n;
    expect(Number(added)).toBe(expectedRows);
    expect(await inboxCount()).toBe(expectedRows);
    // Some of the viewer's feed lies on each side of the horizon.
    const h = await horizon();
    const [split] = await rootRows(t.db, `select count(*) filter (where created_at >= $2)::int as above, count(*) filter (where created_at < $2)::int as below
      from app_public.activity_events where id = any($1)`, [await expectedFeed(viewer), h]);
    expect(split.above).toBeGreaterThan(10);
    expect(split.below).toBeGreaterThan(10);
    await expectFeedWhole();
  });

  it("moved back past everything, the whole feed comes from the inbox", async () => {
    await q("select app_private.extend_feed_inbox(now() - interval '60 days')");
    const [{ below }] = await rootRows(t.db, "select count(*)::int as below from app_public.activity_events where created_at < $1", [await horizon()]);
    expect(below).toBe(0);
    await expectFeedWhole();
  });

  it("pages since the horizon are read from the inbox: a row taken out of it (as superuser) takes its event off the page", async () => {
    const [newest] = await expectedFeed(viewer);
    // The time as text: a JavaScript Date would drop its microseconds.
    const { rows: [row] } = await q(`with d as (delete from app_private.feed_inbox where viewer_id = $1 and event_id = $2 returning *)
      select viewer_id, created_at::text, event_id from d`, [viewer, newest]);
    try {
      expect(await walk(viewer, 20)).not.toContain(newest);
    } finally {
      await q("insert into app_private.feed_inbox (viewer_id, created_at, event_id) values ($1, $2, $3)", [row.viewer_id, row.created_at, row.event_id]);
    }
    expect((await walk(viewer, 20))[0]).toBe(newest);
  });

  it("never moves forward by extending, nor changes anything then", async () => {
    const before = await horizon();
    const added = (await rootRows(t.db, "select app_private.extend_feed_inbox(now()) as n"))[0].n;
    expect(Number(added)).toBe(0);
    expect(await horizon()).toEqual(before);
  });
});

describe("what changes after an event is in the inbox is decided when the page is read", () => {
  it("hides, deletes, moderation, a return to private, an unfriending and a block all show at once", async () => {
    const feed = await expectedFeed(viewer);
    await q("insert into app_public.activity_hides (user_id, event_id) values ($1, $2)", [viewer, feed[0]]);
    await q("update app_public.activity_events set deleted_at = now() where id = $1", [feed[1]]);
    await q("update app_public.activity_events set hidden_at = now() where id = $1", [feed[2]]);
    await q("update app_public.activity_events set visibility = 'private' where id = $1", [feed[3]]);
    await q("delete from app_public.friendships where (user_id, friend_id) in (($1, $2), ($2, $1))", [viewer, friends[3]]);
    await q("insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [friends[2], viewer]);
    const after = await expectedFeed(viewer);
    for (const gone of feed.slice(0, 4)) expect(after).not.toContain(gone);
    expect(after.length).toBeLessThan(feed.length - 20);
    await expectFeedWhole();
  });

  it("an event shared again (private to friends) reaches the inboxes it never went to", async () => {
    const [event] = await rootRows(t.db, `select id from app_public.activity_events
      where actor_id = $1 and visibility = 'private' and deleted_at is null order by created_at desc limit 1`, [friends[0]]);
    expect(await inboxCount("i.event_id = $1", [event.id])).toBe(0);
    await q("update app_public.activity_events set visibility = 'friends' where id = $1", [event.id]);
    // The viewer and friends[1]: both friends of friends[0].
    expect(await inboxCount("i.event_id = $1", [event.id])).toBe(2);
    expect(await expectedFeed(viewer)).toContain(event.id);
    await expectFeedWhole();
  });

  it("a new friend's shared events since the horizon are filled in, and are on the viewer's pages", async () => {
    expect(await inboxCount("i.viewer_id = $1 and i.event_id in (select id from app_public.activity_events where actor_id = $2)", [viewer, stranger])).toBe(0);
    await makeFriends(viewer, stranger);
    const [{ shared }] = await rootRows(t.db, `select count(*)::int as shared from app_public.activity_events
      where actor_id = $1 and visibility <> 'private' and created_at >= $2`, [stranger, await horizon()]);
    expect(shared).toBeGreaterThan(20);
    expect(await inboxCount("i.viewer_id = $1 and i.event_id in (select id from app_public.activity_events where actor_id = $2)", [viewer, stranger]))
      .toBe(shared);
    const [newest] = await rootRows(t.db, `select id from app_public.activity_events
      where actor_id = $1 and visibility <> 'private' order by created_at desc, id desc limit 1`, [stranger]);
    expect(await expectedFeed(viewer)).toContain(newest.id);
    await expectFeedWhole();
  });

  it("an event moved in time (as the demo seed dates its events) is read at its new place, once", async () => {
    const [newest, second] = await expectedFeed(viewer);
    await q("update app_public.activity_events set created_at = created_at - interval '3 days 13 minutes' where id = $1", [newest]);
    await q("update app_public.activity_events set created_at = created_at + interval '1 millisecond' where id = $1", [second]);
    const after = await expectedFeed(viewer);
    expect(after.indexOf(newest!)).toBeGreaterThan(5);
    expect(after[0]).toBe(second);
    await expectFeedWhole();
  });

  it("a new event goes to every friend of its actor's at once, and to nobody when private", async () => {
    const write = (visibility: string) => rootRows(t.db, `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
      values ($1, 'goals.done', 'goal', gen_random_uuid(), '{"goal_title": "New"}', $2) returning id`, [friends[0], visibility]);
    const [shared] = await write("public");
    const [hidden] = await write("private");
    const [{ n: friendsOfActor }] = await rootRows(t.db, "select count(*)::int as n from app_public.friendships where user_id = $1", [friends[0]]);
    expect(await inboxCount("i.event_id = $1", [shared.id])).toBe(friendsOfActor);
    expect(await inboxCount("i.event_id = $1", [hidden.id])).toBe(0);
    expect((await walk(viewer, 1))[0]).toBe(shared.id);
  });
});

describe("an event and a friendship committed at once", () => {
  // Either may take the actor first; the one that waits sees the other.
  async function race(friendshipFirst: boolean): Promise<void> {
    const [a, b] = (await createBareUsers(t.db, "race", 2)) as [string, string];
    const eventTx = await t.db.root.connect();
    const friendTx = await t.db.root.connect();
    try {
      await eventTx.query("begin");
      await friendTx.query("begin");
      const writeEvent = () => eventTx.query<{ id: string }>(`insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
        values ($1, 'goals.done', 'goal', gen_random_uuid(), '{"goal_title": "Raced"}', 'friends') returning id`, [b]);
      const befriendNow = () => friendTx.query("select app_private.make_friends($1, $2, null)", [a, b]);
      let eventId: string;
      if (friendshipFirst) {
        await befriendNow();
        const pending = writeEvent();
        await waitForLockWait();
        await friendTx.query("commit");
        eventId = (await pending).rows[0]!.id;
        await eventTx.query("commit");
      } else {
        eventId = (await writeEvent()).rows[0]!.id;
        const pending = befriendNow();
        await waitForLockWait();
        await eventTx.query("commit");
        await pending;
        await friendTx.query("commit");
      }
      expect(await inboxCount("i.viewer_id = $1 and i.event_id = $2", [a, eventId])).toBe(1);
      expect(await walk(a, 20)).toContain(eventId);
    } finally {
      eventTx.release();
      friendTx.release();
    }
  }
  /** Until a backend of this database waits on an advisory lock. */
  async function waitForLockWait(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const [{ n }] = await rootRows(t.db, `select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and not l.granted and d.datname = current_database()`);
      if (n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("nobody waited on the actor's lock");
  }

  it("the friendship first: the event, waiting, goes to the new friend", () => race(true));
  it("the event first: the friendship, waiting, fills it in", () => race(false));
});

describe("the daily trim", () => {
  it("moves the horizon to a week ago and deletes below it, and the feed stays whole", async () => {
    await q("delete from graphile_worker._private_jobs");
    expect(await inboxCount("i.created_at < now() - interval '7 days'")).toBeGreaterThan(100);
    await q("select graphile_worker.add_job('feed__trim_inbox', '{}'::json)");
    await runQueuedJobs(t.db);
    const [{ age }] = await rootRows(t.db, "select extract(epoch from now() - starts_at)::int as age from app_private.feed_inbox_horizon");
    expect(Math.abs(age - 7 * 86400)).toBeLessThan(120);
    expect(await inboxCount("i.created_at < $1", [await horizon()])).toBe(0);
    expect(await inboxCount()).toBeGreaterThan(20);
    await expectFeedWhole();
  });

  it("a trim cut short leaves only rows no page reads", async () => {
    await q("select app_private.advance_feed_inbox(interval '3 days')");
    // One batch of one viewer, then stopped.
    await q("select app_private.trim_feed_inbox(null, 1)");
    expect(await inboxCount("i.created_at < $1", [await horizon()])).toBeGreaterThan(0);
    await expectFeedWhole();
  });

  it("runs daily from the crontab", async () => {
    expect((await loadCrontab()).map((i) => i.task)).toContain("feed__trim_inbox");
  });
});

describe("erasure", () => {
  it("an erased account's events leave their friends' inboxes", async () => {
    const inboxOf = () => inboxCount("i.event_id in (select id from app_public.activity_events where actor_id = $1)", [friends[0]]);
    expect(await inboxOf()).toBeGreaterThan(0);
    const ids = (await rootRows(t.db, "select id from app_public.activity_events where actor_id = $1", [friends[0]])).map((r) => r.id);
    await q("select app_private.erase_user($1)", [friends[0]]);
    expect(await inboxCount("i.event_id = any($1)", [ids])).toBe(0);
    await expectFeedWhole();
  });
});

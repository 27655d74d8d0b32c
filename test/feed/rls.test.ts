// Row-level security of the feed tables, straight in SQL as the visitor:
// activity events as their visibility allows (and only the actor changes
// one, only its visibility), hides and reports their owner's alone (reports
// also the administrators'), the moderation trail administrators' alone, and
// the verbs readable by all. RLS-blocked UPDATE/DELETE are silent: we assert
// on the `returning` set and on the row as it then stands.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, useTestDatabase } from "../helpers/db.js";
import { createBareUsers, rootRows } from "../helpers/social.js";

const t = useTestDatabase();
// A: the actor; B: a stranger to A; C: A's friend; M: an administrator.
let a: string, b: string, c: string, m: string;
const ev = {} as Record<"aPublic" | "aFriends" | "aPrivate" | "bPublic" | "bPrivate", string>;
let hideId: { user_id: string; event_id: string };
let reportId: string;

async function event(actor: string, visibility: string): Promise<string> {
  const [row] = await rootRows(t.db, `insert into app_public.activity_events (actor_id, verb, object_type, object_id, metadata, visibility)
    values ($1, 'goals.done', 'goal', gen_random_uuid(), '{"goal_title": "Ship it"}', $2) returning id`, [actor, visibility]);
  return row.id;
}
const eventRow = async (id: string) => (await rootRows(t.db, "select * from app_public.activity_events where id = $1", [id]))[0];

beforeAll(async () => {
  [a, b, c, m] = await createBareUsers(t.db, "frls", 4) as [string, string, string, string];
  await t.db.root.query("insert into app_public.friendships (user_id, friend_id) values ($1, $2), ($2, $1)", [a, c]);
  await t.db.root.query("update app_private.user_flags set is_admin = true where user_id = $1", [m]);
  ev.aPublic = await event(a, "public");
  ev.aFriends = await event(a, "friends");
  ev.aPrivate = await event(a, "private");
  ev.bPublic = await event(b, "public");
  ev.bPrivate = await event(b, "private");
  hideId = { user_id: a, event_id: ev.bPublic };
  await t.db.root.query("insert into app_public.activity_hides (user_id, event_id) values ($1, $2)", [a, ev.bPublic]);
  reportId = (await rootRows(t.db, "insert into app_public.content_reports (reporter_id, event_id, reason) values ($1, $2, 'spam') returning id", [a, ev.bPublic]))[0].id;
  await t.db.root.query(`insert into app_public.moderation_actions (moderator_id, action, event_id, reason)
    values ($1, 'delete_own_event', $2, null), ($3, 'hide_event', $4, 'abuse')`, [a, ev.aPrivate, m, ev.bPublic]);
});

const visibleIds = (who: string | null) => asUser(t.db, who, async (cl) =>
  (await cl.query("select id from app_public.activity_events where id = any($1::uuid[])", [Object.values(ev)])).rows.map((r) => r.id).sort());
const sorted = (...ids: string[]) => [...ids].sort();

describe("activity_events", () => {
  it("B, a stranger, reads A's public event only; never A's friends-only or private ones", async () => {
    expect(await visibleIds(b)).toEqual(sorted(ev.aPublic, ev.bPublic, ev.bPrivate));
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select id from app_public.activity_events where actor_id = $1 and visibility <> 'public'", [a])).rows).toEqual([]);
    });
  });

  it("C, A's friend, reads the public and friends-only ones; A reads all of A's; anonymous the public ones", async () => {
    expect(await visibleIds(c)).toEqual(sorted(ev.aPublic, ev.aFriends, ev.bPublic));
    expect(await visibleIds(a)).toEqual(sorted(ev.aPublic, ev.aFriends, ev.aPrivate, ev.bPublic));
    expect(await visibleIds(null)).toEqual(sorted(ev.aPublic, ev.bPublic));
  });

  it("B's and C's updates of A's events are silent: nothing returned, rows unchanged", async () => {
    const before = await Promise.all([ev.aPublic, ev.aFriends, ev.aPrivate].map(eventRow));
    for (const who of [b, c]) {
      await asUser(t.db, who, async (cl) => {
        const result = await cl.query("update app_public.activity_events set visibility = 'private' where actor_id = $1 returning id", [a]);
        expect(result.rows).toEqual([]);
      });
    }
    expect(await Promise.all([ev.aPublic, ev.aFriends, ev.aPrivate].map(eventRow))).toEqual(before);
  });

  it("A changes the visibility of A's own event, and nothing else of it", async () => {
    await asUser(t.db, a, async (cl) => {
      expect((await cl.query("update app_public.activity_events set visibility = 'public' where id = $1 returning id, visibility", [ev.aPrivate])).rows)
        .toEqual([{ id: ev.aPrivate, visibility: "public" }]);
      for (const set of ["actor_id = $2", "metadata = '{}'", "deleted_at = null", "hidden_at = null", "verb = 'goals.done'", "created_at = now()"]) {
        const values = set.includes("$2") ? [ev.aPrivate, b] : [ev.aPrivate];
        expect({ set, code: (await attempt(cl, `update app_public.activity_events set ${set} where id = $1`, values)).code }).toEqual({ set, code: "42501" });
      }
    });
  });

  it("nobody deletes or inserts as the visitor, the actor included (42501); anonymous updates nothing", async () => {
    const count = () => rootRows(t.db, "select count(*)::int as n from app_public.activity_events");
    const before = await count();
    for (const who of [a, b]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "delete from app_public.activity_events where id = $1 returning id", [ev.aPublic])).code).toBe("42501");
        expect((await attempt(cl, `insert into app_public.activity_events (actor_id, verb, object_type, object_id, visibility)
          values ($1, 'goals.done', 'goal', gen_random_uuid(), 'public')`, [who])).code).toBe("42501");
      });
    }
    await asUser(t.db, null, async (cl) => {
      expect((await attempt(cl, "update app_public.activity_events set visibility = 'private' where id = $1", [ev.aPublic])).code).toBe("42501");
    });
    expect(await count()).toEqual(before);
  });

  it("deleted and moderated events vanish for everyone, the actor included", async () => {
    const client = await t.db.root.connect();
    try {
      await client.query("update app_public.activity_events set deleted_at = now() where id = $1", [ev.aFriends]);
      await client.query("update app_public.activity_events set hidden_at = now() where id = $1", [ev.aPublic]);
      for (const who of [a, b, c, null]) expect((await visibleIds(who)).filter((id) => id === ev.aFriends || id === ev.aPublic)).toEqual([]);
    } finally {
      await client.query("update app_public.activity_events set deleted_at = null, hidden_at = null where id in ($1, $2)", [ev.aFriends, ev.aPublic]);
      client.release();
    }
  });
});

describe("activity_hides", () => {
  it("B neither sees nor removes A's hide; A does both", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select * from app_public.activity_hides where user_id = $1", [a])).rows).toEqual([]);
      expect((await cl.query("select * from app_public.activity_hides")).rows).toEqual([]);
      expect((await cl.query("delete from app_public.activity_hides where user_id = $1 returning *", [a])).rows).toEqual([]);
    });
    expect(await rootRows(t.db, "select user_id, event_id from app_public.activity_hides")).toEqual([hideId]);
    await asUser(t.db, a, async (cl) => {
      expect((await cl.query("select user_id, event_id from app_public.activity_hides")).rows).toEqual([hideId]);
      expect((await cl.query("delete from app_public.activity_hides where event_id = $1 returning user_id", [ev.bPublic])).rows).toEqual([{ user_id: a }]);
    });
  });

  it("B cannot hide in A's name; B hides for B only events B can see; nobody updates a hide", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await attempt(cl, "insert into app_public.activity_hides (user_id, event_id) values ($1, $2)", [a, ev.aPublic])).code).toBe("42501");
      expect((await attempt(cl, "insert into app_public.activity_hides (event_id) values ($1)", [ev.aPrivate])).code).toBe("42501");
      expect((await attempt(cl, "insert into app_public.activity_hides (event_id) values ($1)", [ev.aFriends])).code).toBe("42501");
      expect((await cl.query("insert into app_public.activity_hides (event_id) values ($1) returning user_id", [ev.aPublic])).rows).toEqual([{ user_id: b }]);
      expect((await attempt(cl, "update app_public.activity_hides set user_id = $1", [a])).code).toBe("42501");
    });
  });

  it("anonymous may not read hides at all (42501)", async () => {
    await asUser(t.db, null, async (cl) => {
      expect((await attempt(cl, "select * from app_public.activity_hides")).code).toBe("42501");
    });
  });
});

describe("content_reports", () => {
  it("B never reads A's report; A and the administrator do", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select * from app_public.content_reports")).rows).toEqual([]);
    });
    for (const who of [a, m]) {
      await asUser(t.db, who, async (cl) => {
        expect((await cl.query("select id, reporter_id from app_public.content_reports")).rows).toEqual([{ id: reportId, reporter_id: a }]);
      });
    }
  });

  it("nobody updates or deletes a report as the visitor, the reporter and administrators included (42501)", async () => {
    for (const who of [a, b, m]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "update app_public.content_reports set reason = 'changed' where id = $1 returning id", [reportId])).code).toBe("42501");
        expect((await attempt(cl, "delete from app_public.content_reports where id = $1 returning id", [reportId])).code).toBe("42501");
      });
    }
    expect(await rootRows(t.db, "select reason from app_public.content_reports where id = $1", [reportId])).toEqual([{ reason: "spam" }]);
  });

  it("B cannot report in A's name, nor report what B cannot see; B's own report of a visible event is B's", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await attempt(cl, "insert into app_public.content_reports (reporter_id, event_id, reason) values ($1, $2, 'x')", [a, ev.aPublic])).code).toBe("42501");
      expect((await attempt(cl, "insert into app_public.content_reports (event_id, reason) values ($1, 'x')", [ev.aPrivate])).code).toBe("42501");
      expect((await cl.query("insert into app_public.content_reports (event_id, reason) values ($1, 'rude') returning reporter_id", [ev.aPublic])).rows)
        .toEqual([{ reporter_id: b }]);
    });
  });

  it("anonymous may neither read nor report (42501)", async () => {
    await asUser(t.db, null, async (cl) => {
      expect((await attempt(cl, "select * from app_public.content_reports")).code).toBe("42501");
      expect((await attempt(cl, "insert into app_public.content_reports (event_id, reason) values ($1, 'x')", [ev.aPublic])).code).toBe("42501");
    });
  });
});

describe("moderation_actions", () => {
  it("only administrators read the trail: not A, even of A's own deletion, not B", async () => {
    for (const who of [a, b, c]) {
      await asUser(t.db, who, async (cl) => {
        expect((await cl.query("select * from app_public.moderation_actions")).rows).toEqual([]);
      });
    }
    await asUser(t.db, m, async (cl) => {
      expect((await cl.query("select action from app_public.moderation_actions order by action")).rows)
        .toEqual([{ action: "delete_own_event" }, { action: "hide_event" }]);
    });
  });

  it("nobody writes it as the visitor, administrators included (42501)", async () => {
    for (const who of [a, m]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "insert into app_public.moderation_actions (moderator_id, action) values ($1, 'hide_event')", [who])).code).toBe("42501");
        expect((await attempt(cl, "update app_public.moderation_actions set reason = 'x'")).code).toBe("42501");
        expect((await attempt(cl, "delete from app_public.moderation_actions")).code).toBe("42501");
      });
    }
    await asUser(t.db, null, async (cl) => {
      expect((await attempt(cl, "select * from app_public.moderation_actions")).code).toBe("42501");
    });
    expect(await rootRows(t.db, "select count(*)::int as n from app_public.moderation_actions")).toEqual([{ n: 2 }]);
  });
});

describe("activity_verbs", () => {
  it("everyone reads them, anonymous included; nobody writes them (42501)", async () => {
    const [{ n }] = await rootRows(t.db, "select count(*)::int as n from app_public.activity_verbs");
    expect(n).toBeGreaterThanOrEqual(6);
    for (const who of [a, null]) {
      await asUser(t.db, who, async (cl) => {
        expect((await cl.query("select verb from app_public.activity_verbs")).rows).toHaveLength(n);
        expect((await attempt(cl, "insert into app_public.activity_verbs (verb, description) values ('x.y', 'z')")).code).toBe("42501");
        expect((await attempt(cl, "update app_public.activity_verbs set description = 'z'")).code).toBe("42501");
        expect((await attempt(cl, "delete from app_public.activity_verbs")).code).toBe("42501");
      });
    }
  });
});

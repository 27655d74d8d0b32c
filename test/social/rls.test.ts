// Row-level security of the social tables, straight in SQL as the visitor:
// user B can never read or change A's rows (privacy settings, friend
// requests, friendships, blocks, follows), while A and the other party of
// each row can read it (so the policies are not simply closed). RLS-blocked
// UPDATE/DELETE are silent: we assert on the `returning` set and on the row
// as it then stands; statements the visitor has no grant for fail with 42501.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, useTestDatabase } from "../helpers/db.js";
import { createBareUsers, rootRows } from "../helpers/social.js";

const t = useTestDatabase();
// A: the owner of the rows; B: an outsider; C: A's requested friend;
// E: A's friend whom A follows; D: blocked by A.
let a: string, b: string, c: string, d: string, e: string;

beforeAll(async () => {
  [a, b, c, d, e] = await createBareUsers(t.db, "srls", 5) as [string, string, string, string, string];
  const q = (text: string, values: unknown[]) => t.db.root.query(text, values);
  await q("insert into app_public.friend_requests (requester_id, recipient_id, message) values ($1, $2, 'hi C'), ($3, $2, 'hi from B')", [a, c, b]);
  await q("insert into app_public.friendships (user_id, friend_id) values ($1, $2), ($2, $1), ($3, $4), ($4, $3)", [a, e, b, d]);
  await q("insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2), ($3, $4)", [a, d, b, c]);
  await q("insert into app_public.follows (follower_id, followee_id) values ($1, $2), ($3, $4)", [a, e, b, e]);
  await q("update app_public.privacy_settings set messages_from = 'nobody', friend_requests_from = 'nobody' where user_id = $1", [a]);
});

const rowsOf = (text: string, values: unknown[] = []) => rootRows(t.db, text, values);

describe("privacy_settings", () => {
  it("B reads only B's own row, never A's", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select * from app_public.privacy_settings where user_id = $1", [a])).rows).toEqual([]);
      expect((await cl.query("select user_id from app_public.privacy_settings")).rows).toEqual([{ user_id: b }]);
    });
  });

  it("B's update of A's row is silent: nothing returned, A's row unchanged; A's own update works", async () => {
    const before = await rowsOf("select * from app_public.privacy_settings where user_id = $1", [a]);
    await asUser(t.db, b, async (cl) => {
      const result = await cl.query("update app_public.privacy_settings set profile_visibility = 'public', messages_from = 'everyone' where user_id = $1 returning *", [a]);
      expect(result.rows).toEqual([]);
    });
    expect(await rowsOf("select * from app_public.privacy_settings where user_id = $1", [a])).toEqual(before);
    await asUser(t.db, a, async (cl) => {
      const result = await cl.query("update app_public.privacy_settings set profile_visibility = 'public' where user_id = $1 returning user_id, profile_visibility", [a]);
      expect(result.rows).toEqual([{ user_id: a, profile_visibility: "public" }]);
    });
  });

  it("nobody deletes, inserts, or moves a row to another user as the visitor (42501)", async () => {
    await asUser(t.db, a, async (cl) => {
      expect((await attempt(cl, "delete from app_public.privacy_settings where user_id = $1", [a])).code).toBe("42501");
      expect((await attempt(cl, "insert into app_public.privacy_settings (user_id) values ($1)", [b])).code).toBe("42501");
      expect((await attempt(cl, "update app_public.privacy_settings set user_id = $1 where user_id = $2", [b, a])).code).toBe("42501");
    });
  });
});

describe("friend_requests", () => {
  it("B sees only the requests B is part of, never A's to C", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select * from app_public.friend_requests where requester_id = $1 or recipient_id = $1", [a])).rows).toEqual([]);
      const all = (await cl.query("select requester_id, recipient_id from app_public.friend_requests")).rows;
      expect(all).toEqual([{ requester_id: b, recipient_id: c }]);
    });
  });

  it("both parties see it: A as sender, C as recipient (message included)", async () => {
    for (const who of [a, c]) {
      await asUser(t.db, who, async (cl) => {
        expect((await cl.query("select requester_id, message from app_public.friend_requests where requester_id = $1", [a])).rows)
          .toEqual([{ requester_id: a, message: "hi C" }]);
      });
    }
  });

  it("nobody updates, deletes or inserts as the visitor, the parties included (42501): only the functions write", async () => {
    for (const who of [a, b, c]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "update app_public.friend_requests set status = 'accepted' where requester_id = $1 returning *", [a])).code).toBe("42501");
        expect((await attempt(cl, "delete from app_public.friend_requests where requester_id = $1 returning *", [a])).code).toBe("42501");
        expect((await attempt(cl, "insert into app_public.friend_requests (requester_id, recipient_id) values ($1, $2)", [who, d])).code).toBe("42501");
      });
    }
    expect(await rowsOf("select status from app_public.friend_requests where requester_id = $1", [a])).toEqual([{ status: "pending" }]);
  });

  it("B's cancel of A's request changes nothing", async () => {
    const [request] = await rowsOf("select id from app_public.friend_requests where requester_id = $1", [a]);
    await asUser(t.db, b, async (cl) => {
      const { rows } = await cl.query("select * from app_public.cancel_friend_request($1)", [request.id]);
      expect(rows.every((r) => r.id === null)).toBe(true);
      expect((await attempt(cl, "select app_public.respond_to_friend_request($1, true)", [request.id])).code).toBe("NOFND");
    });
    expect(await rowsOf("select status from app_public.friend_requests where id = $1", [request.id])).toEqual([{ status: "pending" }]);
  });
});

describe("friendships", () => {
  it("each user reads only their own side: B never sees A's friends; E sees E's row, not A's", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select * from app_public.friendships where user_id = $1 or friend_id = $1", [a])).rows).toEqual([]);
      expect((await cl.query("select user_id, friend_id from app_public.friendships")).rows).toEqual([{ user_id: b, friend_id: d }]);
    });
    await asUser(t.db, e, async (cl) => {
      expect((await cl.query("select user_id, friend_id from app_public.friendships")).rows).toEqual([{ user_id: e, friend_id: a }]);
    });
    await asUser(t.db, a, async (cl) => {
      expect((await cl.query("select user_id, friend_id from app_public.friendships")).rows).toEqual([{ user_id: a, friend_id: e }]);
    });
  });

  it("nobody writes as the visitor (42501); B's unfriend of A and E changes nothing", async () => {
    for (const who of [a, b]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "delete from app_public.friendships where user_id = $1 returning *", [a])).code).toBe("42501");
        expect((await attempt(cl, "update app_public.friendships set friend_id = $2 where user_id = $1 returning *", [a, b])).code).toBe("42501");
        expect((await attempt(cl, "insert into app_public.friendships (user_id, friend_id) values ($1, $2)", [who, c])).code).toBe("42501");
      });
    }
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select app_public.unfriend($1) as result", [a])).rows).toEqual([{ result: false }]);
    });
    expect(await rowsOf("select count(*)::int as n from app_public.friendships where $1 in (user_id, friend_id)", [a])).toEqual([{ n: 2 }]);
  });
});

describe("blocks", () => {
  it("only the blocker sees a block: not B, not even D, whom A blocked", async () => {
    for (const who of [b, d]) {
      await asUser(t.db, who, async (cl) => {
        expect((await cl.query("select * from app_public.blocks where blocker_id = $1 or blocked_id = $1", [a])).rows).toEqual([]);
      });
    }
    await asUser(t.db, d, async (cl) => {
      expect((await cl.query("select * from app_public.blocks")).rows).toEqual([]);
    });
    await asUser(t.db, a, async (cl) => {
      expect((await cl.query("select blocker_id, blocked_id from app_public.blocks")).rows).toEqual([{ blocker_id: a, blocked_id: d }]);
    });
  });

  it("nobody writes as the visitor (42501); B's unblock of D lifts nothing of A's", async () => {
    for (const who of [a, b, d]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "delete from app_public.blocks where blocker_id = $1 returning *", [a])).code).toBe("42501");
        expect((await attempt(cl, "update app_public.blocks set blocked_id = $2 where blocker_id = $1", [a, b])).code).toBe("42501");
        expect((await attempt(cl, "insert into app_public.blocks (blocker_id, blocked_id) values ($1, $2)", [who, e])).code).toBe("42501");
      });
    }
    await asUser(t.db, d, async (cl) => {
      expect((await cl.query("select app_public.unblock_user($1) as result", [d])).rows).toEqual([{ result: false }]);
    });
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select app_public.unblock_user($1) as result", [d])).rows).toEqual([{ result: false }]);
    });
    expect(await rowsOf("select blocked_id from app_public.blocks where blocker_id = $1", [a])).toEqual([{ blocked_id: d }]);
  });
});

describe("follows", () => {
  it("B sees only follows B is part of; the followee sees who follows them", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select * from app_public.follows where follower_id = $1 or followee_id = $1", [a])).rows).toEqual([]);
      expect((await cl.query("select follower_id, followee_id from app_public.follows")).rows).toEqual([{ follower_id: b, followee_id: e }]);
    });
    await asUser(t.db, e, async (cl) => {
      const rows = (await cl.query("select follower_id from app_public.follows order by follower_id")).rows.map((r) => r.follower_id);
      expect(rows).toEqual([a, b].sort());
    });
  });

  it("nobody writes as the visitor (42501); B's unfollow in A's name is impossible", async () => {
    for (const who of [a, b, e]) {
      await asUser(t.db, who, async (cl) => {
        expect((await attempt(cl, "delete from app_public.follows where follower_id = $1 returning *", [a])).code).toBe("42501");
        expect((await attempt(cl, "update app_public.follows set followee_id = $2 where follower_id = $1", [a, b])).code).toBe("42501");
        expect((await attempt(cl, "insert into app_public.follows (follower_id, followee_id) values ($1, $2)", [a, c])).code).toBe("42501");
      });
    }
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select app_public.unfollow_user($1) as result", [a])).rows).toEqual([{ result: false }]);
    });
    expect(await rowsOf("select followee_id from app_public.follows where follower_id = $1", [a])).toEqual([{ followee_id: e }]);
  });
});

describe("anonymous", () => {
  it.each(["privacy_settings", "friend_requests", "friendships", "blocks", "follows"])("may not read %s at all (42501)", async (table) => {
    await asUser(t.db, null, async (cl) => {
      expect((await attempt(cl, `select * from app_public.${table}`)).code).toBe("42501");
    });
  });
});

describe("the app_hidden helpers the policies use", () => {
  // They are security definer and callable by the visitor in SQL: asked about
  // someone else, they must not hand B what the tables' policies keep from B
  // (A's friends, whom A follows or blocked, A's settings). Refusing (42501)
  // or answering nothing both keep the secret.
  const secretKept = (result: { rows: Record<string, unknown>[]; code?: string }, nothing: unknown) =>
    result.code === "42501" || (result.code === undefined && JSON.stringify(result.rows) === JSON.stringify([{ v: nothing }]));

  it.each([
    ["friend_ids(A): A's friends", "select app_hidden.friend_ids($1) as v", () => [a], []],
    ["followee_ids(A): whom A follows", "select app_hidden.followee_ids($1) as v", () => [a], []],
    ["block_peer_ids(A): whom A blocked", "select app_hidden.block_peer_ids($1) as v", () => [a], []],
    ["are_friends(A, E)", "select app_hidden.are_friends($1, $2) as v", () => [a, e], false],
    ["is_blocked_between(A, D)", "select app_hidden.is_blocked_between($1, $2) as v", () => [a, d], false],
    ["privacy_of(A): A's settings", "select to_jsonb(app_hidden.privacy_of($1)) as v", () => [a], null],
  ] as const)("B learns nothing of A through %s", async (_, sql, args, nothing) => {
    await asUser(t.db, b, async (cl) => {
      const result = await attempt(cl, sql, args());
      expect({ sql, result, kept: secretKept(result, nothing) }).toEqual({ sql, result, kept: true });
    });
  });

  it("while B still gets B's own answers (the policies keep working)", async () => {
    await asUser(t.db, b, async (cl) => {
      expect((await cl.query("select app_hidden.friend_ids($1) as v", [b])).rows).toEqual([{ v: [d] }]);
      expect((await cl.query("select app_hidden.block_peer_ids($1) as v", [b])).rows).toEqual([{ v: [c] }]);
      expect((await cl.query("select app_hidden.are_friends($1, $2) as v", [b, d])).rows).toEqual([{ v: true }]);
    });
  });
});

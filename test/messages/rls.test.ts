// Row-level security of the messages tables, straight in SQL: a conversation,
// its members' receipts, its messages and the deletions are seen by its two
// members only (deletions by their author only), and no client writes any of
// them except through send_message, edit_message, delete_message and
// mark_conversation. There is no write privilege to refuse with 42501, and
// behind it no write policy: granted by mistake, a write still changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { befriend, connectAs, type VisitorConnection } from "../helpers/peers.js";
import { asSuperuser, failure } from "../helpers/rls-matrix.js";

const connections: VisitorConnection[] = [];
// Before the database's own afterAll: the connections close before it is dropped.
afterAll(async () => {
  for (const connection of connections) await connection.close();
});
const t = useTestDatabase();
let a: TestUser;
let b: TestUser;
let c: TestUser; // an outsider with a conversation of his own, with d
let d: TestUser;
let ab: string;
let cd: string;
let abMessages: string[];
let bDeleted: string;

beforeAll(async () => {
  [a, b, c, d] = [await createUser(t.db, "mrls_a"), await createUser(t.db, "mrls_b"), await createUser(t.db, "mrls_c"), await createUser(t.db, "mrls_d")];
  await befriend(t.db, a.id, b.id);
  await befriend(t.db, c.id, d.id);
  const [asA, asB, asC] = [await connectAs(t.db, a.id), await connectAs(t.db, b.id), await connectAs(t.db, c.id)];
  connections.push(asA, asB, asC);
  const send = async (from: VisitorConnection, to: string, body: string) =>
    (await from.query("select id, conversation_id from app_public.send_message($1, $2)", [to, body])).rows[0] as { id: string; conversation_id: string };
  const first = await send(asA, b.id, "a to b");
  abMessages = [first.id, (await send(asB, a.id, "b to a")).id, (await send(asA, b.id, "a again")).id];
  ab = first.conversation_id;
  cd = (await send(asC, d.id, "c to d")).conversation_id;
  bDeleted = abMessages[2]!;
  await asB.query("select app_public.delete_message($1, false)", [bDeleted]);
  await asB.query("select app_public.mark_conversation($1, true)", [ab]);
});

const ids = (rows: Array<Record<string, unknown>>, key = "id") => rows.map((r) => r[key] as string).sort();
const visitor = () => t.db.config.DATABASE_VISITOR;

describe("reading", () => {
  it("conversations: each member sees theirs, the outsider only his own", async () => {
    for (const user of [a, b]) {
      await asUser(t.db, user.id, async (client) => {
        expect(ids((await client.query("select id from app_public.conversations")).rows)).toEqual([ab]);
      });
    }
    await asUser(t.db, c.id, async (client) => {
      expect((await client.query("select id from app_public.conversations where id = $1", [ab])).rows).toEqual([]);
      expect(ids((await client.query("select id from app_public.conversations")).rows)).toEqual([cd]);
    });
  });

  it("conversation_members: both receipts of one's own conversations, nothing of others'", async () => {
    await asUser(t.db, a.id, async (client) => {
      const { rows } = await client.query("select conversation_id, user_id, read_up_to is not null as read from app_public.conversation_members order by user_id");
      expect(rows).toEqual(expect.arrayContaining([
        { conversation_id: ab, user_id: a.id, read: false }, { conversation_id: ab, user_id: b.id, read: true },
      ]));
      expect(rows).toHaveLength(2);
    });
    await asUser(t.db, c.id, async (client) => {
      expect((await client.query("select * from app_public.conversation_members where conversation_id = $1", [ab])).rows).toEqual([]);
      expect(ids((await client.query("select user_id from app_public.conversation_members")).rows, "user_id")).toEqual([c.id, d.id].sort());
    });
  });

  it("direct_messages: the members', less what each deleted for themselves; none of them for the outsider", async () => {
    await asUser(t.db, a.id, async (client) => {
      expect(ids((await client.query("select id from app_public.direct_messages")).rows)).toEqual([...abMessages].sort());
    });
    await asUser(t.db, b.id, async (client) => {
      expect(ids((await client.query("select id from app_public.direct_messages")).rows)).toEqual(abMessages.filter((id) => id !== bDeleted).sort());
    });
    await asUser(t.db, c.id, async (client) => {
      expect((await client.query("select * from app_public.direct_messages where id = any($1)", [abMessages])).rows).toEqual([]);
      expect((await client.query("select * from app_public.direct_messages where conversation_id = $1", [ab])).rows).toEqual([]);
      expect((await client.query("select conversation_id from app_public.direct_messages")).rows).toEqual([{ conversation_id: cd }]);
    });
  });

  it("message_deletions: only their author sees them, not the other member", async () => {
    await asUser(t.db, b.id, async (client) => {
      expect((await client.query("select message_id, user_id from app_public.message_deletions")).rows).toEqual([{ message_id: bDeleted, user_id: b.id }]);
    });
    for (const user of [a, c]) {
      await asUser(t.db, user.id, async (client) => {
        expect((await client.query("select * from app_public.message_deletions")).rows).toEqual([]);
      });
    }
  });

  it.each(["conversations", "conversation_members", "direct_messages", "message_deletions"])("anonymous may not read %s at all", async (table) => {
    await asUser(t.db, null, async (client) => {
      expect((await attempt(client, `select * from app_public.${table}`)).code).toBe("42501");
    });
  });
});

describe("writing", () => {
  const inserts: Record<string, (user: TestUser) => [string, unknown[]]> = {
    conversations: (user) => ["insert into app_public.conversations (user_low, user_high) values ($1, $2)", [user.id < d.id ? user.id : d.id, user.id < d.id ? d.id : user.id]],
    conversation_members: (user) => ["insert into app_public.conversation_members (conversation_id, user_id) values ($1, $2)", [ab, user.id]],
    direct_messages: (user) => ["insert into app_public.direct_messages (conversation_id, sender_id, body_md) values ($1, $2, 'forged')", [ab, user.id]],
    message_deletions: (user) => ["insert into app_public.message_deletions (message_id, user_id) values ($1, $2)", [abMessages[0], user.id]],
  };
  const updates: Record<string, [string, unknown[]]> = {
    conversations: ["update app_public.conversations set last_message_at = now() where id = $1 returning *", [ab]],
    conversation_members: ["update app_public.conversation_members set read_up_to = now() where conversation_id = $1 returning *", [ab]],
    direct_messages: ["update app_public.direct_messages set body_md = 'rewritten' where id = any($1) returning *", [abMessages]],
    message_deletions: ["update app_public.message_deletions set created_at = now() where message_id = $1 returning *", [bDeleted]],
  };
  const deletes: Record<string, [string, unknown[]]> = {
    conversations: ["delete from app_public.conversations where id = $1 returning *", [ab]],
    conversation_members: ["delete from app_public.conversation_members where conversation_id = $1 returning *", [ab]],
    direct_messages: ["delete from app_public.direct_messages where id = any($1) returning *", [abMessages]],
    message_deletions: ["delete from app_public.message_deletions where message_id = $1 returning *", [bDeleted]],
  };
  const tables = Object.keys(inserts);
  const snapshot = async (client: pg.PoolClient) => asSuperuser(client, visitor(), async () => ({
    conversations: (await client.query("select * from app_public.conversations where id = $1", [ab])).rows,
    members: (await client.query("select * from app_public.conversation_members where conversation_id = $1 order by user_id", [ab])).rows,
    messages: (await client.query("select * from app_public.direct_messages where conversation_id = $1 order by id", [ab])).rows,
    deletions: (await client.query("select * from app_public.message_deletions order by message_id, user_id")).rows,
  }));

  it.each(tables)("nobody inserts into %s, a member included (no privilege, and behind it no policy): messages go through send_message", async (table) => {
    for (const user of [a, b, c]) {
      await asUser(t.db, user.id, async (client) => {
        expect(await failure(client, ...inserts[table]!(user))).toEqual({ code: "42501", rls: false });
        await asSuperuser(client, visitor(), () => client.query(`grant insert on app_public.${table} to ${visitor()}`));
        expect(await failure(client, ...inserts[table]!(user))).toEqual({ code: "42501", rls: true });
      });
    }
  });

  it.each(tables)("nobody updates or deletes %s (42501), a member included", async (table) => {
    for (const user of [a, b, c]) {
      await asUser(t.db, user.id, async (client) => {
        expect((await attempt(client, ...updates[table]!)).code).toBe("42501");
        expect((await attempt(client, ...deletes[table]!)).code).toBe("42501");
      });
    }
  });

  it.each(tables)("%s: with the privileges granted by mistake (rolled back), no policy lets an update or delete through: nothing returned, nothing changed", async (table) => {
    for (const user of [a, b, c]) {
      await asUser(t.db, user.id, async (client) => {
        const before = await snapshot(client);
        await asSuperuser(client, visitor(), () => client.query(`grant update, delete on app_public.${table} to ${visitor()}`));
        expect((await client.query(...updates[table]!)).rows).toEqual([]);
        expect((await client.query(...deletes[table]!)).rows).toEqual([]);
        expect(await snapshot(client)).toEqual(before);
      });
    }
  });

  it("the outsider's calls reach nothing: edit and delete answer NOFND, marking changes no receipt", async () => {
    await asUser(t.db, c.id, async (client) => {
      const before = await snapshot(client);
      expect((await attempt(client, "select app_public.edit_message($1, 'mine now')", [abMessages[0]])).code).toBe("NOFND");
      expect((await attempt(client, "select app_public.delete_message($1, false)", [abMessages[0]])).code).toBe("NOFND");
      expect((await attempt(client, "select app_public.delete_message($1, true)", [abMessages[0]])).code).toBe("NOFND");
      expect((await client.query("select (app_public.mark_conversation($1, true)).user_id", [ab])).rows).toEqual([{ user_id: null }]);
      expect(await snapshot(client)).toEqual(before);
    });
  });

  it("anonymous may not send, and nobody reaches the private helpers", async () => {
    await asUser(t.db, null, async (client) => {
      expect((await attempt(client, "select app_public.send_message($1, 'hi')", [a.id])).code).toBe("42501");
    });
    await asUser(t.db, a.id, async (client) => {
      expect((await attempt(client, "select app_private.assert_may_message($1, $2)", [a.id, b.id])).code).toBe("42501");
      expect((await attempt(client, "select app_private.lock_pair($1, $2)", [a.id, b.id])).code).toBe("42501");
    });
  });
});

// The files table in SQL: rows are made by request_upload only (bucket rules
// and the pending cap checked there and in the trigger), a file is read by
// its owner and by exactly those who may read what it is attached to, and a
// deleted row queues the deletion of its object.
import { beforeAll, describe, expect, it } from "@jest/globals";
import { asUser, attempt, createUser, useTestDatabase, type TestUser } from "../helpers/db.js";
import { befriend } from "../helpers/peers.js";
import { queuedJobs } from "../helpers/jobs.js";

const t = useTestDatabase();
let a: TestUser;
let b: TestUser; // A's friend and correspondent
let c: TestUser; // an outsider
const files: Record<"plain" | "entry" | "message" | "pendingMessage", string> = { plain: "", entry: "", message: "", pendingMessage: "" };
const READY = "update app_public.files set status = 'ready', sha256 = repeat('a', 64), uploaded_at = now() where id = $1";

/** request_upload as the user, committed (asUser rolls back): the row stays for the later tests. */
async function requestAs(userId: string, args: unknown[]): Promise<string> {
  const client = await t.db.root.connect();
  try {
    await client.query("begin");
    const { rows } = await client.query("insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [userId]);
    await client.query("select set_config('jwt.claims.session_id', $1, true)", [rows[0].id]);
    await client.query(`set local role ${t.db.config.DATABASE_VISITOR}`);
    const result = await client.query("select id from app_hidden.request_upload($1, $2, $3, $4, $5)", args);
    await client.query("commit");
    return result.rows[0].id;
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  [a, b, c] = [await createUser(t.db, "frls_a"), await createUser(t.db, "frls_b"), await createUser(t.db, "frls_c")];
  await befriend(t.db, a.id, b.id);
  const entry = (await t.db.root.query("insert into app_public.journal_entries (user_id, content_md) values ($1, 'today') returning id", [a.id])).rows[0].id;
  const sent = await t.db.root.query(
    `with conv as (insert into app_public.conversations (user_low, user_high) values (least($1::uuid, $2::uuid), greatest($1::uuid, $2::uuid)) returning id)
     insert into app_public.direct_messages (conversation_id, sender_id, body_md) select id, $1, 'hi' from conv returning id`,
    [a.id, b.id],
  );
  const messageId = sent.rows[0].id;
  files.plain = await requestAs(a.id, ["attachments", "image/png", 1000, null, null]);
  files.entry = await requestAs(a.id, ["attachments", "application/pdf", 1000, entry, null]);
  files.message = await requestAs(a.id, ["attachments", "image/jpeg", 1000, null, messageId]);
  files.pendingMessage = await requestAs(a.id, ["attachments", "image/jpeg", 1000, null, messageId]);
  for (const id of [files.plain, files.entry, files.message]) await t.db.root.query(READY, [id]);
});

const visible = (userId: string | null) =>
  asUser(t.db, userId, async (client) => (await client.query("select id from app_public.files")).rows.map((r) => r.id).sort());

describe("request_upload", () => {
  it("makes a pending row of the caller with a key made by the server", async () => {
    const { rows } = await t.db.root.query("select owner_id, bucket, key, status, size from app_public.files where id = $1", [files.pendingMessage]);
    expect(rows[0]).toEqual({
      owner_id: a.id, bucket: "attachments", key: `attachments/${a.id}/${files.pendingMessage}`, status: "pending", size: "1000",
    });
  });

  it("refuses a type the bucket does not take (FTYPE) and a size over its limit (FSIZE)", async () => {
    await asUser(t.db, a.id, async (client) => {
      const call = (args: unknown[]) => attempt(client, "select app_hidden.request_upload($1, $2, $3)", args);
      expect((await call(["attachments", "image/svg+xml", 10])).code).toBe("FTYPE");
      expect((await call(["avatars", "application/pdf", 10])).code).toBe("FTYPE");
      expect((await call(["attachments", "image/png", 50 * 1024 * 1024 + 1])).code).toBe("FSIZE");
      expect((await call(["avatars", "image/png", 5 * 1024 * 1024 + 1])).code).toBe("FSIZE");
      expect((await call(["avatars", "image/png", 5 * 1024 * 1024])).code).toBeUndefined();
      expect((await call(["attachments", "image/png", 0])).code).toBe("23514");
    });
  });

  it("leaves exports to the server (DNIED), and anonymous may not call it", async () => {
    await asUser(t.db, a.id, async (client) => {
      expect((await attempt(client, "select app_hidden.request_upload('exports', 'application/zip', 10)")).code).toBe("DNIED");
    });
    await asUser(t.db, null, async (client) => {
      expect((await attempt(client, "select app_hidden.request_upload('attachments', 'image/png', 10)")).code).toBe("42501");
    });
  });

  it("attaches only to the caller's own entry or message (NOFND)", async () => {
    const { rows } = await t.db.root.query("select journal_entry_id, message_id from app_public.files where id in ($1, $2)", [files.entry, files.message]);
    const [entry, message] = [rows.find((r) => r.journal_entry_id)!.journal_entry_id, rows.find((r) => r.message_id)!.message_id];
    for (const user of [b, c]) {
      await asUser(t.db, user.id, async (client) => {
        expect((await attempt(client, "select app_hidden.request_upload('attachments', 'image/png', 10, $1)", [entry])).code).toBe("NOFND");
        expect((await attempt(client, "select app_hidden.request_upload('attachments', 'image/png', 10, null, $1)", [message])).code).toBe("NOFND");
      });
    }
  });

  it("caps pending uploads at 20 a user (FPEND)", async () => {
    await asUser(t.db, c.id, async (client) => {
      for (let i = 0; i < 20; i++) await client.query("select app_hidden.request_upload('attachments', 'image/png', 10)");
      expect((await attempt(client, "select app_hidden.request_upload('attachments', 'image/png', 10)")).code).toBe("FPEND");
    });
  });

  it("the owner role (an export job) inserts directly; the trigger still checks and keys it", async () => {
    const { rows } = await t.db.root.query(
      "insert into app_public.files (owner_id, bucket, content_type, size, key) values ($1, 'exports', 'application/zip', 10, '../../etc/passwd') returning id, key",
      [a.id],
    );
    expect(rows[0].key).toBe(`exports/${a.id}/${rows[0].id}`);
    await t.db.root.query("delete from app_public.files where id = $1", [rows[0].id]);
  });
});

describe("reading", () => {
  it("A, the owner, sees all of A's files", async () => {
    expect(await visible(a.id)).toEqual(Object.values(files).sort());
  });

  it("B sees the ready attachment of the message A sent B, and nothing else of A's", async () => {
    expect(await visible(b.id)).toEqual([files.message]);
  });

  it("C, who may read neither the entry nor the message, sees none", async () => {
    expect(await visible(c.id)).toEqual([]);
  });

  it("anonymous may not read the table at all", async () => {
    await asUser(t.db, null, async (client) => {
      expect((await attempt(client, "select * from app_public.files")).code).toBe("42501");
    });
  });
});

describe("writing", () => {
  it("nobody inserts or updates rows as the visitor, the owner included (42501)", async () => {
    for (const user of [a, b]) {
      await asUser(t.db, user.id, async (client) => {
        expect((await attempt(client, "insert into app_public.files (bucket, content_type, size) values ('attachments', 'image/png', 1)")).code).toBe("42501");
        expect((await attempt(client, "update app_public.files set status = 'ready' where id = $1", [files.plain])).code).toBe("42501");
      });
    }
  });

  it("B cannot delete A's files, even the one B may read: nothing returned, rows still there", async () => {
    await asUser(t.db, b.id, async (client) => {
      expect((await client.query("delete from app_public.files where id = any($1) returning id", [Object.values(files)])).rows).toEqual([]);
    });
    const { rows } = await t.db.root.query("select count(*)::int as n from app_public.files where id = any($1)", [Object.values(files)]);
    expect(rows[0].n).toBe(4);
  });

  it("A deletes A's file", async () => {
    await asUser(t.db, a.id, async (client) => {
      expect((await client.query("delete from app_public.files where id = $1 returning id", [files.plain])).rows).toEqual([{ id: files.plain }]);
    });
  });

  it("a committed delete leaves a storage__delete job with the bucket and key", async () => {
    await t.db.root.query("delete from app_public.files where id = $1", [files.pendingMessage]);
    const jobs = await queuedJobs(t.db, "storage__delete");
    expect(jobs.map((j) => j.payload)).toContainEqual({ bucket: "attachments", key: `attachments/${a.id}/${files.pendingMessage}` });
  });
});

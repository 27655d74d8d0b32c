// A table-driven check of row-level security on tables that belong to one
// user. Each domain test declares, per table, how to make a row of a user and
// what the visitor may do with it; `describeOwnedTable` then asserts in SQL
// that user B can neither read nor change user A's row, that A can (so the
// policy is not simply closed), and that anonymous sees nothing.
//
// RLS-blocked UPDATE/DELETE are silent: we assert on the `returning` set and,
// in the same transaction as superuser, on the row as it then stands.
import { beforeAll, describe, expect, it } from "@jest/globals";
import type pg from "pg";
import { asUser, attempt, createUser, useTestDatabase, type TestDatabase, type TestUser } from "./db.js";

export type Row = Record<string, unknown>;
type Values = Row | Promise<Row>;

export interface OwnedTable {
  /** Table name in app_public. */
  table: string;
  /** Columns that identify a row; `id` by default. */
  key?: string[];
  /** The columns the visitor may read, when not all of them (column grants). */
  readable?: string[];
  /** A row of `userId`, inserted as superuser (include user_id). */
  seed(userId: string): Values;
  /** A row the visitor inserts for themselves (user_id left to its default), or
   * "denied" when the visitor may never insert (42501 for the owner too). */
  insert: ((userId: string) => Values) | "denied";
  /** A column the owner may update and a new value for it, or "denied". */
  update: [column: string, value: unknown] | "denied";
  /** Whether the owner may delete the row; default true. */
  delete?: boolean;
  /** Child tables: B's row pointing at A's parent (its user_id defaults to B),
   * refused by the composite foreign key (parent_id, user_id) with 23503. */
  hijack?(aRow: Row): Row;
}

export interface Users {
  db: TestDatabase;
  a: TestUser;
  b: TestUser;
}

/** A database of the test file's own with users A and B; dropped after the file. */
export function withTwoUsers(prefix: string): () => Users {
  const t = useTestDatabase();
  let users: Users | undefined;
  beforeAll(async () => {
    users = { db: t.db, a: await createUser(t.db, `${prefix}_a`), b: await createUser(t.db, `${prefix}_b`) };
  });
  return () => {
    if (!users) throw new Error("withTwoUsers: the database is not ready yet");
    return users;
  };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `insert into … returning *` of a row object, with numbered parameters. Without
 * `returning`, the SELECT policy does not check the new row: only WITH CHECK does. */
function insertSql(table: string, row: Row, returning = true): [string, unknown[]] {
  const columns = Object.keys(row);
  const params = columns.map((_, i) => `$${i + 1}`).join(", ");
  return [
    `insert into app_public.${ident(table)} (${columns.map(ident).join(", ")}) values (${params})${returning ? " returning *" : ""}`,
    Object.values(row),
  ];
}

function where(key: string[], row: Row, first = 1): [string, unknown[]] {
  return [key.map((k, i) => `${ident(k)} = $${first + i}`).join(" and "), key.map((k) => row[k])];
}

/** How a statement failed: its SQLSTATE, and whether row-level security (rather than a missing privilege) refused it. */
export async function failure(client: pg.PoolClient, text: string, values: unknown[]): Promise<{ code?: string; rls: boolean }> {
  await client.query("savepoint failure");
  try {
    await client.query(text, values);
  } catch (error) {
    await client.query("rollback to savepoint failure");
    const { code, message } = error as { code?: string; message: string };
    return { code, rls: /row-level security/.test(message) };
  }
  await client.query("release savepoint failure");
  throw new Error(`expected the statement to fail: ${text}`);
}

/** Inserts a row as superuser and returns it (fixtures: parents of child rows). */
export async function insertRow(db: TestDatabase, table: string, row: Row): Promise<Row> {
  return (await db.root.query(...insertSql(table, row))).rows[0];
}

/** Life area ids by code (WRK, HLT…). */
export async function lifeAreaIds(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.root.query<{ code: string; id: number }>("select code, id from app_public.life_areas");
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** Runs `fn` as superuser inside the visitor's transaction: sees its uncommitted writes, bypasses RLS. */
export async function asSuperuser<T>(client: pg.PoolClient, role: string, fn: () => Promise<T>): Promise<T> {
  await client.query("reset role");
  try {
    return await fn();
  } finally {
    await client.query(`set local role ${role}`);
  }
}

export function describeOwnedTable(spec: OwnedTable, users: () => Users): void {
  const key = spec.key ?? ["id"];
  const table = `app_public.${ident(spec.table)}`;
  const readable = spec.readable ? spec.readable.map(ident).join(", ") : "*";

  describe(spec.table, () => {
    let db: TestDatabase;
    let a: TestUser;
    let b: TestUser;
    let aRow: Row;
    let bRow: Row;

    beforeAll(async () => {
      ({ db, a, b } = users());
      aRow = await insertRow(db, spec.table, await spec.seed(a.id));
      bRow = await insertRow(db, spec.table, await spec.seed(b.id));
    });

    const visitor = () => db.config.DATABASE_VISITOR;
    const rowNow = async (client: pg.PoolClient, row: Row) => {
      const [cond, values] = where(key, row);
      return asSuperuser(client, visitor(), async () => (await client.query(`select * from ${table} where ${cond}`, values)).rows);
    };
    const keyOf = (row: Row) => Object.fromEntries(key.map((k) => [k, row[k]]));

    it("B sees only B's rows, never A's", async () => {
      await asUser(db, b.id, async (c) => {
        const [cond, values] = where(key, aRow);
        expect((await c.query(`select ${readable} from ${table} where ${cond}`, values)).rows).toEqual([]);
        expect((await c.query(`select ${readable} from ${table} where user_id = $1`, [a.id])).rows).toEqual([]);
        const all = (await c.query(`select user_id from ${table}`)).rows;
        expect(all.length).toBeGreaterThan(0);
        expect(all.every((r) => r.user_id === b.id)).toBe(true);
      });
    });

    it("A sees A's row", async () => {
      await asUser(db, a.id, async (c) => {
        const [cond, values] = where(key, aRow);
        expect((await c.query(`select user_id from ${table} where ${cond}`, values)).rows).toEqual([{ user_id: a.id }]);
      });
    });

    it("anonymous may not read it at all", async () => {
      await asUser(db, null, async (c) => {
        expect((await attempt(c, `select * from ${table}`)).code).toBe("42501");
      });
    });

    if (spec.readable) {
      it("the other columns are closed to everyone, the owner included (42501)", async () => {
        await asUser(db, a.id, async (c) => {
          expect((await attempt(c, `select * from ${table} where user_id = $1`, [a.id])).code).toBe("42501");
        });
      });
    }

    if (spec.update === "denied") {
      const column = key[0]!;
      it("nobody updates it as the visitor, the owner included (42501)", async () => {
        for (const user of [a, b]) {
          await asUser(db, user.id, async (c) => {
            const [cond, values] = where(key, aRow);
            const result = await attempt(c, `update ${table} set ${ident(column)} = ${ident(column)} where ${cond} returning *`, values);
            expect(result.code).toBe("42501");
          });
        }
      });
    } else {
      const [column, value] = spec.update;
      it(`B cannot update A's row (${column}): nothing returned, row unchanged`, async () => {
        await asUser(db, b.id, async (c) => {
          const [cond, values] = where(key, aRow, 2);
          const result = await c.query(`update ${table} set ${ident(column)} = $1 where ${cond} returning *`, [value, ...values]);
          expect(result.rows).toEqual([]);
          expect(await rowNow(c, aRow)).toEqual([aRow]);
        });
      });

      it(`A can update A's row (${column})`, async () => {
        await asUser(db, a.id, async (c) => {
          const [cond, values] = where(key, aRow, 2);
          const result = await c.query(`update ${table} set ${ident(column)} = $1 where ${cond} returning *`, [value, ...values]);
          expect(result.rows).toHaveLength(1);
          const [now] = await rowNow(c, aRow);
          expect(now![column]).not.toEqual(aRow[column]);
          expect(now![column]).toEqual(result.rows[0][column]);
        });
      });

      it("B cannot give B's row to A: user_id is not writable, and the policy's WITH CHECK refuses it too", async () => {
        await asUser(db, b.id, async (c) => {
          const [cond, values] = where(key, bRow, 2);
          const sql = `update ${table} set user_id = $1 where ${cond}`;
          expect(await failure(c, sql, [a.id, ...values])).toEqual({ code: "42501", rls: false });
          // Second line of defence: with the column granted (rolled back), row-level security.
          await asSuperuser(c, visitor(), () => c.query(`grant update (user_id) on ${table} to ${visitor()}`));
          expect(await failure(c, sql, [a.id, ...values])).toEqual({ code: "42501", rls: true });
        });
      });
    }

    if (spec.delete === false) {
      it("nobody deletes it as the visitor, the owner included (42501)", async () => {
        for (const user of [a, b]) {
          await asUser(db, user.id, async (c) => {
            const [cond, values] = where(key, aRow);
            expect((await attempt(c, `delete from ${table} where ${cond}`, values)).code).toBe("42501");
          });
        }
      });
    } else {
      it("B cannot delete A's row: nothing returned, row still there", async () => {
        await asUser(db, b.id, async (c) => {
          const [cond, values] = where(key, aRow);
          expect((await c.query(`delete from ${table} where ${cond} returning *`, values)).rows).toEqual([]);
          expect((await c.query(`delete from ${table} where user_id = $1 returning *`, [a.id])).rows).toEqual([]);
          expect(await rowNow(c, aRow)).toEqual([aRow]);
        });
      });

      it("A can delete A's row", async () => {
        await asUser(db, a.id, async (c) => {
          const [cond, values] = where(key, aRow);
          const result = await c.query(`delete from ${table} where ${cond} returning *`, values);
          expect(result.rows.map(keyOf)).toEqual([keyOf(aRow)]);
          expect(await rowNow(c, aRow)).toEqual([]);
        });
      });
    }

    if (spec.insert === "denied") {
      it("nobody inserts as the visitor, the owner included (42501)", async () => {
        for (const user of [a, b]) {
          await asUser(db, user.id, async (c) => {
            const { user_id: _, ...row } = await spec.seed(user.id);
            expect((await attempt(c, ...insertSql(spec.table, row))).code).toBe("42501");
          });
        }
      });
    } else {
      const insert = spec.insert;
      it("B cannot insert a row claiming A's user_id: not insertable, and the policy's WITH CHECK refuses it too", async () => {
        await asUser(db, b.id, async (c) => {
          const [sql, values] = insertSql(spec.table, { ...(await insert(a.id)), user_id: a.id }, false);
          expect(await failure(c, sql, values)).toEqual({ code: "42501", rls: false });
          await asSuperuser(c, visitor(), () => c.query(`grant insert (user_id) on ${table} to ${visitor()}`));
          expect(await failure(c, sql, values)).toEqual({ code: "42501", rls: true });
        });
      });

      if (spec.hijack) {
        const hijack = spec.hijack;
        it("B cannot attach a row to A's parent (composite foreign key: 23503)", async () => {
          await asUser(db, b.id, async (c) => {
            expect((await attempt(c, ...insertSql(spec.table, hijack(aRow)))).code).toBe("23503");
          });
        });
      }

      it("A can insert a row, which belongs to A", async () => {
        await asUser(db, a.id, async (c) => {
          const result = await c.query(...insertSql(spec.table, await insert(a.id)));
          expect(result.rows.map((r) => r.user_id)).toEqual([a.id]);
        });
      });
    }
  });
}

// Row-level security of the privacy tables: an export is its owner's to
// read and nobody's to write (request_data_export and the worker write);
// the tombstones and the retention log are closed to every client.
import { describe, expect, it } from "@jest/globals";
import { asUser, attempt } from "../helpers/db.js";
import { describeOwnedTable, withTwoUsers } from "../helpers/rls-matrix.js";

const users = withTwoUsers("pvrls");

describeOwnedTable({
  table: "data_exports",
  seed: (userId) => ({ user_id: userId, status: "failed", error: "test" }),
  insert: "denied",
  update: "denied",
  delete: false,
}, users);

describe("app_private privacy tables", () => {
  it("are closed to the visitor and to anonymous", async () => {
    const { db, a } = users();
    await db.root.query("insert into app_private.retention_runs (task, removed) values ('test', '{}')");
    for (const userId of [a.id, null]) {
      await asUser(db, userId, async (client) => {
        for (const table of ["app_private.tombstones", "app_private.retention_runs"]) {
          expect((await attempt(client, `select * from ${table}`)).code).toBe("42501");
        }
        expect((await attempt(client, "select app_private.erase_user($1)", [a.id])).code).toBe("42501");
        expect((await attempt(client, "select * from app_private.export_plan($1, 'x')", [a.id])).code).toBe("42501");
      });
    }
  });

  it("anonymous may neither request an export nor delete an account", async () => {
    const { db } = users();
    await asUser(db, null, async (client) => {
      expect((await attempt(client, "select app_public.request_data_export()")).code).toBe("42501");
      expect((await attempt(client, "select app_public.delete_account('x')")).code).toBe("42501");
    });
  });
});

// docs/scaling.md says, for every table of ours, how Citus would hold it.
// This keeps that true: a table added without a row there, or a row left
// for a table that is gone, fails here, and so does a distribution column
// the table does not have (unless the row says it is to be added).
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "@jest/globals";
import { fromRoot } from "../../src/paths.js";
import { useTestDatabase } from "../helpers/db.js";

const handle = useTestDatabase();

interface Row {
  table: string;
  kind: string;
  by: string;
  notes: string;
}

async function documented(): Promise<Row[]> {
  const doc = await readFile(fromRoot("docs", "scaling.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Sharding by user with Citus"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `app_"))
    .map((line) => {
      const [table, kind, by, ...notes] = line.split("|").slice(1, -1).map((cell) => cell.trim());
      return { table: table!.replaceAll("`", ""), kind: kind!, by: by!.replaceAll("`", ""), notes: notes.join("|") };
    });
}

describe("docs/scaling.md", () => {
  it("places every table of app_public, app_hidden and app_private, and only those", async () => {
    const { rows } = await handle.db.root.query<{ name: string }>(
      `select format('%s.%s', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('app_public', 'app_hidden', 'app_private') and c.relkind in ('r', 'p') order by 1`,
    );
    const tables = rows.map((r) => r.name);
    const rowsInDoc = await documented();
    const listed = rowsInDoc.map((r) => r.table).sort();
    expect(listed.filter((t, i) => listed[i - 1] === t)).toEqual([]);
    expect({ missingFromDoc: tables.filter((t) => !listed.includes(t)), goneFromDatabase: listed.filter((t) => !tables.includes(t)) })
      .toEqual({ missingFromDoc: [], goneFromDatabase: [] });
  });

  it("names a class for each, and for a distributed table a column it has (or says it is to be added)", async () => {
    const rowsInDoc = await documented();
    expect(rowsInDoc.filter((r) => !["distributed", "reference", "local"].includes(r.kind))).toEqual([]);
    const { rows } = await handle.db.root.query<{ name: string; columns: string[] }>(
      `select format('%s.%s', n.nspname, c.relname) as name, array_agg(a.attname::text) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where n.nspname in ('app_public', 'app_hidden', 'app_private') and c.relkind in ('r', 'p') group by 1`,
    );
    const columns = new Map(rows.map((r) => [r.name, r.columns]));
    const wrong = rowsInDoc.filter((r) => {
      if (r.kind !== "distributed") return r.by !== "";
      if (!r.by) return true;
      return !columns.get(r.table)?.includes(r.by) && !/the column is to add/.test(r.notes);
    });
    expect(wrong).toEqual([]);
  });
});

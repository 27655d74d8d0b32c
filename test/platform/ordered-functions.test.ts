// @orderedBy (src/graphql/ordered-functions.ts) is believed only where it can
// be the function's whole order: a schema with a tag that names no column,
// leaves ties to chance, or sits on a function that returns no table's rows
// is not built. (feed-sql.test.ts checks what a good tag does.)
import { expect, it } from "@jest/globals";
import { schemaSdl } from "../../src/graphql/schema-sdl.js";
import { useTestDatabase } from "../helpers/db.js";

const t = useTestDatabase();
/** Where the function's (no) rows come from. */
const source = (returns: string) => (returns.startsWith("setof ") ? `(select (null::${returns.slice(6)}).*) r` : "(select null::uuid) r");

it.each([
  ["setof app_public.activity_events", "created_at desc, verb", "must cover a unique key"],
  ["setof app_public.activity_events", "created_at desc, nope desc, id", "names no column nope"],
  ["setof app_public.activity_events", "created_at sideways", 'cannot read "created_at sideways"'],
  // A type has no unique key: nothing says its rows never tie.
  ["setof app_public.leaderboard_row", "rank, username", "must cover a unique key"],
  ["table (id uuid)", "id", "is for functions returning setof a table"],
])("returns %s, tagged @orderedBy %s: %s", async (returns, order, refusal) => {
  await t.db.root.query(`create function app_public.tagged_for_test() returns ${returns} as 'select * from ${source(returns)} where false'
    language sql stable`);
  await t.db.root.query(`comment on function app_public.tagged_for_test() is E'@orderedBy ${order}'`);
  try {
    await expect(schemaSdl(t.db.config, t.db.urls)).rejects.toThrow(`app_public.tagged_for_test: @orderedBy ${refusal}`);
  } finally {
    await t.db.root.query("drop function app_public.tagged_for_test()");
  }
});

// Where a user is still named: every table of ours, found in the catalog,
// searched for the user's id (uuid and uuid[] columns, and inside text and
// JSON) and for their username and email addresses (text and JSON).
import type { TestDatabase } from "../helpers/db.js";

export interface Trace {
  table: string;
  column: string;
  rows: number;
}

export interface Person {
  id: string;
  username: string;
  emails: string[];
}

export async function traces(db: TestDatabase, person: Person): Promise<Trace[]> {
  const { rows: columns } = await db.root.query<{ rel: string; att: string; type: string }>(
    `select c.oid::regclass::text as rel, a.attname as att, format_type(a.atttypid, null) as type
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
     where n.nspname in ('app_public', 'app_private', 'app_hidden') and c.relkind in ('r', 'p') and not c.relispartition
       and format_type(a.atttypid, null) in ('uuid', 'uuid[]', 'text', 'citext', 'character varying', 'jsonb', 'json', 'text[]')
     order by 1, 2`,
  );
  const needles = [person.id, person.username, ...person.emails].map((s) => `%${s.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`);
  const found: Trace[] = [];
  for (const { rel, att, type } of columns) {
    const column = `t.${JSON.stringify(att)}`;
    const where = type === "uuid" ? `${column} = $1::uuid`
      : type === "uuid[]" ? `$1::uuid = any (${column})`
      : `lower(${column}::text) like any ($1::text[])`;
    const { rows } = await db.root.query<{ n: number }>(`select count(*)::int as n from ${rel} t where ${where}`, [type.startsWith("uuid") ? person.id : needles]);
    if (rows[0]!.n > 0) found.push({ table: rel, column: att, rows: rows[0]!.n });
  }
  return found;
}

/** The user's name and addresses, read before they are erased. */
export async function personOf(db: TestDatabase, userId: string): Promise<Person> {
  const { rows } = await db.root.query<{ username: string; emails: string[] }>(
    `select u.username, coalesce(array_agg(e.email::text) filter (where e.email is not null), '{}') as emails
     from app_public.users u left join app_public.user_emails e on e.user_id = u.id where u.id = $1 group by u.username`,
    [userId],
  );
  return { id: userId, username: rows[0]!.username, emails: rows[0]!.emails };
}

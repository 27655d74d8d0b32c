// Arranging the social graph for the domains built on it (messages,
// profiles): friendships, privacy settings and blocks written as superuser,
// and visitor connections whose statements commit, for tests where two
// people act at the same moment (asUser's transaction is always rolled back).
import pg from "pg";
import type { TestDatabase } from "./db.js";

/** Both rows of a friendship, as accepting a request writes them. */
export async function befriend(db: TestDatabase, a: string, b: string): Promise<void> {
  await db.root.query("select app_private.make_friends($1, $2, null)", [a, b]);
}

export type Privacy = Partial<{
  profile_visibility: "public" | "friends" | "private";
  show_streaks: boolean;
  show_records: boolean;
  show_location: boolean;
  messages_from: "friends" | "everyone" | "nobody";
}>;

/** Sets some of a user's privacy settings. */
export async function setPrivacy(db: TestDatabase, userId: string, settings: Privacy): Promise<void> {
  const columns = Object.keys(settings);
  if (columns.length === 0) return;
  const assignments = columns.map((column, i) => `${column} = $${i + 2}`).join(", ");
  const { rowCount } = await db.root.query(
    `update app_public.privacy_settings set ${assignments} where user_id = $1`, [userId, ...Object.values(settings)],
  );
  if (rowCount !== 1) throw new Error(`setPrivacy: no privacy settings for ${userId}`);
}

/** A visitor connection of its own: each statement commits unless it opens a transaction. */
export interface VisitorConnection {
  userId: string;
  client: pg.Client;
  query<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** The SQLSTATE the statement failed with, or undefined when it succeeded (with its rows). */
  attempt<R extends pg.QueryResultRow = any>(text: string, values?: unknown[]): Promise<{ rows: R[]; code?: string }>;
  close(): Promise<void>;
}

/** Connects as the visitor signed in as `userId` through a real session row, as the gateway would. */
export async function connectAs(db: TestDatabase, userId: string): Promise<VisitorConnection> {
  const client = new pg.Client({ connectionString: db.urls.root });
  // A connection still open when the file's database is dropped is cut: expected then.
  client.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  await client.connect();
  const { rows } = await client.query<{ id: string }>(
    "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [userId],
  );
  await client.query("select set_config('jwt.claims.session_id', $1, false)", [rows[0]!.id]);
  await client.query(`set role ${db.config.DATABASE_VISITOR}`);
  return {
    userId,
    client,
    query: (text, values = []) => client.query(text, values),
    async attempt(text, values = []) {
      try {
        return { rows: (await client.query(text, values)).rows };
      } catch (error) {
        return { rows: [], code: (error as { code?: string }).code };
      }
    },
    close: () => client.end(),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

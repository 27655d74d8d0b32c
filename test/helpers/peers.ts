// Arranging the social graph for the domains built on it (messages,
// profiles): friendships written as superuser (privacy: setPrivacy in
// social.ts), and visitor connections whose statements commit, for tests where two
// people act at the same moment (asUser's transaction is always rolled back).
import pg from "pg";
import type { TestDatabase } from "./db.js";
import { actAs, connect, sessionFor } from "./social.js";

/** Both rows of a friendship, as accepting a request writes them. */
export async function befriend(db: TestDatabase, a: string, b: string): Promise<void> {
  await db.root.query("select app_private.make_friends($1, $2, null)", [a, b]);
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
  const client = await connect(db);
  await actAs(client, db, await sessionFor(db, userId));
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

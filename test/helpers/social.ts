// Helpers of the social and feed tests: GraphQL calls that must succeed, the
// social-graph mutations, users made in bulk, and raw connections that act
// as a given user (as asUser does, but committed, and on connections of
// their own so that several users can act at the same moment).
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestDatabase } from "./db.js";
import { graphql, type GraphQLResponse } from "./gateway.js";

/** The data of a GraphQL response that must have succeeded; throws with the errors otherwise. */
export async function gqlOk<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await graphql<T>(url, query, variables, token);
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL failed: ${JSON.stringify(response.errors)}\n${query}`);
  }
  return response.data;
}

/** One error's code and message, to compare two refusals as a client would see them. */
export const firstError = (response: GraphQLResponse) => {
  const error = response.errors?.[0];
  return error ? { code: error.extensions?.code, message: error.message } : undefined;
};

export const REQUEST_FIELDS = "rowId requesterId recipientId status message respondedAt";

export const SEND_REQUEST = `mutation ($to: UUID!, $message: String) {
  sendFriendRequest(input: { recipientId: $to, message: $message }) { result { ${REQUEST_FIELDS} } } }`;
export const RESPOND = `mutation ($id: UUID!, $accept: Boolean!) {
  respondToFriendRequest(input: { requestId: $id, accept: $accept }) { result { ${REQUEST_FIELDS} } } }`;
export const CANCEL = `mutation ($id: UUID!) { cancelFriendRequest(input: { requestId: $id }) { result { ${REQUEST_FIELDS} } } }`;
export const UNFRIEND = `mutation ($id: UUID!) { unfriend(input: { friendId: $id }) { result } }`;
export const BLOCK = `mutation ($id: UUID!) { blockUser(input: { userId: $id }) { result } }`;
export const UNBLOCK = `mutation ($id: UUID!) { unblockUser(input: { userId: $id }) { result } }`;
export const FOLLOW = `mutation ($id: UUID!) { followUser(input: { userId: $id }) { result } }`;
export const UNFOLLOW = `mutation ($id: UUID!) { unfollowUser(input: { userId: $id }) { result } }`;
export const SEND_MESSAGE = `mutation ($to: UUID!, $body: String!) { sendMessage(input: { recipientId: $to, bodyMd: $body }) { result { rowId } } }`;
export const STATS = `query ($id: UUID!) { user(rowId: $id) { stats { followersCount followingCount friendsCount } } }`;

export interface Member {
  id: string;
  token: string;
}

/** A user as others look them up: by row id, username and node id. */
export interface Findable {
  id: string;
  username: string;
  nodeId: string;
}

/** Through which ways a viewer (its token; none: anonymous) finds `target`: one probe, so blocks and privacy are checked the same ways. */
export async function sightings(url: string, viewerToken: string | undefined, target: Findable) {
  const data = await gqlOk(url, `query ($id: UUID!, $name: String!, $node: ID!, $term: String!) {
    users { nodes { rowId } }
    user(rowId: $id) { rowId username }
    userByUsername(username: $name) { rowId }
    node(id: $node) { id }
    searchUsers(term: $term) { rowId }
  }`, { id: target.id, name: target.username, node: target.nodeId, term: target.username }, viewerToken);
  return {
    users: data.users.nodes.some((u: { rowId: string }) => u.rowId === target.id),
    user: data.user?.rowId === target.id,
    userByUsername: data.userByUsername?.rowId === target.id,
    node: data.node?.id === target.nodeId,
    searchUsers: data.searchUsers.some((u: { rowId: string }) => u.rowId === target.id),
  };
}
/** What `sightings` answers when the target is seen (or not) through every way. */
export const everywhere = (seen: boolean) => ({ users: seen, user: seen, userByUsername: seen, node: seen, searchUsers: seen });

/** `from` asks `to`, who accepts: friends through the real mutations. */
export async function befriend(url: string, from: Member, to: Member): Promise<void> {
  const sent = await gqlOk(url, SEND_REQUEST, { to: to.id }, from.token);
  await gqlOk(url, RESPOND, { id: sent.sendFriendRequest.result.rowId, accept: true }, to.token);
}

export type PrivacyPatch = Partial<{
  profile_visibility: "public" | "friends" | "private";
  show_streaks: boolean;
  show_records: boolean;
  show_location: boolean;
  default_activity_visibility: "public" | "friends" | "community" | "private";
  friend_requests_from: "everyone" | "friends_of_friends" | "nobody";
  messages_from: "friends" | "everyone" | "nobody";
}>;

/** Sets a user's privacy settings as superuser (arranging a test, not the thing tested). */
export async function setPrivacy(db: TestDatabase, userId: string, patch: PrivacyPatch): Promise<void> {
  const columns = Object.keys(patch);
  if (!columns.length) return;
  const sets = columns.map((c, i) => `${c} = $${i + 2}`).join(", ");
  const { rowCount } = await db.root.query(`update app_public.privacy_settings set ${sets} where user_id = $1`, [userId, ...Object.values(patch)]);
  if (rowCount !== 1) throw new Error(`no privacy settings for ${userId}`);
}

/**
 * Users made straight in the table, without email or password (no bcrypt):
 * for tests that need many people who never sign in. Their settings, privacy
 * settings and counts come from the same triggers as any user's.
 */
export async function createBareUsers(db: TestDatabase, prefix: string, n: number): Promise<string[]> {
  const tag = randomBytes(3).toString("hex");
  const { rows } = await db.root.query<{ id: string }>(
    `insert into app_public.users (username, display_name)
     select $1 || '_' || $2 || '_' || i, $1 || ' ' || i from generate_series(1, $3::int) i returning id`,
    [prefix, tag, n],
  );
  return rows.map((r) => r.id);
}

/** A session row for the user, as sign-in makes: its id is what the gateway puts in jwt.claims.session_id. */
export async function sessionFor(db: TestDatabase, userId: string): Promise<string> {
  const { rows } = await db.root.query<{ id: string }>(
    "insert into app_private.sessions (user_id, expires_at) values ($1, now() + interval '1 hour') returning id", [userId],
  );
  return rows[0]!.id;
}

/** A connection of its own (autocommit), not yet acting as anyone. */
export async function connect(db: TestDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.urls.root });
  // A connection cut when the database is dropped after the file is expected.
  client.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") throw error;
  });
  await client.connect();
  return client;
}

/** Makes the connection act as the session's user (or anonymous when null) until told otherwise. */
export async function actAs(client: pg.Client, db: TestDatabase, sessionId: string | null): Promise<void> {
  await client.query("reset role");
  await client.query("select set_config('jwt.claims.session_id', $1, false)", [sessionId ?? ""]);
  await client.query(`set role ${sessionId ? db.config.DATABASE_VISITOR : db.config.DATABASE_ANONYMOUS}`);
}

/** The outcome of one call: its rows, or the SQLSTATE it failed with. */
export async function outcome<T = Record<string, unknown>>(promise: Promise<pg.QueryResult>): Promise<{ rows?: T[]; code?: string }> {
  try {
    return { rows: (await promise).rows as T[] };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? String(error) };
  }
}

/** Runs `tasks` with at most `limit` at a time; resolves with every result, in order. */
export async function inParallel<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Rows of a query as superuser. */
export async function rootRows<T = any>(db: TestDatabase, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.root.query(text, values)).rows as T[];
}

/** Notification events a user got, by type (checked through the root pool). */
export async function notificationEvents(db: TestDatabase, userId: string, type?: string): Promise<Array<{ type: string; data: any }>> {
  return rootRows(db,
    "select type, data from app_public.notification_events where user_id = $1 and ($2::text is null or type = $2) order by created_at, id",
    [userId, type ?? null]);
}

// Demo data for `npm start`: a few users to sign in with, each with ninety
// days of life data (src/db/demo-life.sql), and their social life: friends,
// follows, a block, the feed their life data wrote, and a conversation
// (src/db/demo-social.sql); then their community life: a community with
// roles, a running competition, a marketplace (src/db/demo-community.sql).
// Idempotent: users that exist are left as they are, life data is added only
// to users without scores, each social step leaves what exists as it is, and
// the community is made once.
import { readFile } from "node:fs/promises";
import pg from "pg";
import { localAnalyser } from "../journal/analyser.js";
import { fromRoot } from "../paths.js";

type Audience = "public" | "friends" | "private";

export interface DemoUser {
  username: string;
  email: string;
  password: string;
  displayName: string;
  timezone: string;
  isAdmin: boolean;
  /** Who sees the profile, and the visibility new activity gets. */
  privacy: { profile: Audience; activity: Audience };
}

export const DEMO_PASSWORD = "lifegraph-demo-1";

const demoUser = (username: string, displayName: string, timezone: string, profile: Audience, activity: Audience, isAdmin = false): DemoUser => ({
  username, email: `${username}@example.com`, password: DEMO_PASSWORD, displayName, timezone, isAdmin, privacy: { profile, activity },
});

// Their relations are in demo-social.sql: alice, bob and carol are friends
// with one another, carol with dan; erin, private, blocked dan.
export const DEMO_USERS: DemoUser[] = [
  demoUser("alice", "Alice Martin", "America/Toronto", "friends", "friends", true),
  demoUser("bob", "Bob Iyer", "Asia/Kolkata", "public", "public"),
  demoUser("carol", "Carol Dubois", "Europe/Paris", "friends", "friends"),
  demoUser("dan", "Dan Okafor", "America/Sao_Paulo", "public", "public"),
  demoUser("erin", "Erin Walsh", "Australia/Sydney", "private", "private"),
];

export async function seedDemoData(ownerUrl: string): Promise<DemoUser[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query("begin");
    for (const user of DEMO_USERS) {
      const { rowCount } = await client.query("select 1 from app_public.users where username = $1", [user.username]);
      if (rowCount) continue;
      const { rows } = await client.query<{ id: string }>(
        "select id from app_private.really_create_user($1, $2, $3, $4)",
        [user.username, user.email, user.password, user.displayName],
      );
      const id = rows[0]!.id;
      await client.query("update app_private.user_flags set is_admin = $2, is_verified = true where user_id = $1", [id, user.isAdmin]);
      await client.query("update app_public.user_emails set is_verified = true where user_id = $1", [id]);
      await client.query("update app_public.user_settings set timezone = $2 where user_id = $1", [id, user.timezone]);
      // Before any activity: each event takes its actor's default visibility.
      await client.query(
        "update app_public.privacy_settings set profile_visibility = $2, default_activity_visibility = $3 where user_id = $1",
        [id, user.privacy.profile, user.privacy.activity],
      );
    }
    await seedLifeData(client, DEMO_USERS.map((u) => u.username));
    await client.query(await readFile(fromRoot("src", "db", "demo-social.sql"), "utf8"));
    await client.query("select pg_temp.seed_demo_social()");
    await client.query(await readFile(fromRoot("src", "db", "demo-community.sql"), "utf8"));
    await client.query("select pg_temp.seed_demo_community()");
    await client.query("commit");
    return DEMO_USERS;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    await client.end();
  }
}

async function seedLifeData(client: pg.Client, usernames: string[]): Promise<void> {
  const { rows: users } = await client.query<{ id: string }>(
    `select u.id from app_public.users u where u.username = any($1)
       and not exists (select 1 from app_public.scores s where s.user_id = u.id)`,
    [usernames],
  );
  if (users.length === 0) return;
  await client.query(await readFile(fromRoot("src", "db", "demo-life.sql"), "utf8"));
  for (const { id } of users) await client.query("select pg_temp.seed_demo_life($1)", [id]);
  // What the worker would do within seconds, done now so that the first
  // look in Ruru already shows analysed entries, rollups and reviews.
  const analyser = localAnalyser();
  const { rows: entries } = await client.query<{ id: string; content_md: string }>(
    "select id, content_md from app_public.journal_entries where user_id = any($1) and analysed_at is null",
    [users.map((u) => u.id)],
  );
  for (const entry of entries) {
    const { sentiment, summary } = await analyser.analyse(entry.content_md);
    await client.query("select app_private.save_journal_analysis($1, $2, $3, $4)", [entry.id, entry.content_md, sentiment, summary]);
  }
  await client.query("select app_private.refresh_queued_rollups()");
  await client.query(
    // Last month's and last quarter's reviews, as the crontab would have made them.
    `select app_private.generate_review(u.id, k.kind::app_public.review_kind, (app_hidden.user_today(u.id) - k.back)::date)
     from unnest($1::uuid[]) u(id), (values ('monthly', interval '1 month'), ('quarterly', interval '3 months')) k(kind, back)`,
    [users.map((u) => u.id)],
  );
}

// Demo data for `npm start`: a few users to sign in with. Idempotent: users
// that exist are left as they are.
import pg from "pg";

export interface DemoUser {
  username: string;
  email: string;
  password: string;
  displayName: string;
  timezone: string;
  isAdmin: boolean;
}

export const DEMO_PASSWORD = "lifegraph-demo-1";

export const DEMO_USERS: DemoUser[] = [
  { username: "alice", email: "alice@example.com", password: DEMO_PASSWORD, displayName: "Alice Martin", timezone: "America/Toronto", isAdmin: true },
  { username: "bob", email: "bob@example.com", password: DEMO_PASSWORD, displayName: "Bob Iyer", timezone: "Asia/Kolkata", isAdmin: false },
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
      await client.query("update app_public.users set is_admin = $2, is_verified = true where id = $1", [id, user.isAdmin]);
      await client.query("update app_public.user_emails set is_verified = true where user_id = $1", [id]);
      await client.query("update app_public.user_settings set timezone = $2 where user_id = $1", [id, user.timezone]);
    }
    await client.query("commit");
    return DEMO_USERS;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    await client.end();
  }
}

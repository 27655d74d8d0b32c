// The GraphQL operations' database service: PostGraphile's node-postgres
// adaptor, except that a request's transaction opens in one round trip.
//
// The adaptor sends `begin`, then the request's settings (role, session
// claim, statement timeout) as a statement of their own, then the
// operation's SQL, then `commit`: four round trips, each a system call
// each way and a wake-up of the backend. Here `begin` and the settings go
// as one simple-query message, the settings as escaped literals, so an
// operation costs three (the commit also reads back which sessions the
// operation ended). Everything after that is the adaptor's own client
// (its queueing, savepoints for nested transactions), told that it runs
// inside a transaction already. Every operation runs in a transaction, as
// every one of ours has settings (at least the role).
import pg from "pg";
import { makePgService, makeWithPgClientViaPgClientAlreadyInTransaction } from "postgraphile/adaptors/pg";

type Service = ReturnType<typeof makePgService>;
type WithPgClient = ReturnType<typeof makeWithPgClientViaPgClientAlreadyInTransaction>;

/**
 * The service for app_public over `pool` (the authenticator's).
 * `sessionsEnded` hears, before the operation's result is answered, the
 * sessions its transaction ended (a logout, a password change): the
 * gateway's session cache forgets them at once (src/identity/session-cache.ts).
 */
export function makeOperationsPgService(pool: pg.Pool, sessionsEnded: (ids: string[]) => void = () => {}): Service {
  const service = makePgService({ pool, schemas: ["app_public"], pubsub: false });
  const stock = service.adaptor;
  return {
    ...service,
    adaptor: {
      ...stock,
      // Only the default variant runs operations; any other is the adaptor's.
      createWithPgClient: (settings, variant) => (variant ? stock.createWithPgClient(settings, variant) : withOperationTransaction(pool, sessionsEnded)),
    },
  };
}

/**
 * Settings every operation's transaction gets besides the request's: the
 * adaptor sets this once per connection, for the session; here it is local
 * to the transaction, so it costs no round trip and leaves nothing behind on
 * a pooled (or PgBouncer's) connection. Planning JIT code costs more than
 * our short queries would gain from it.
 */
const ALWAYS = { jit_optimize_above_cost: "-1" };

/** `begin` and `set_config(…, true)` for each setting, as one message. */
function openingStatement(settings: Record<string, string | undefined> | null): string {
  const calls = Object.entries({ ...ALWAYS, ...settings })
    .filter((entry): entry is [string, string] => entry[1] != null)
    .map(([key, value]) => `set_config(${pg.escapeLiteral(key)}, ${pg.escapeLiteral(value)}, true)`);
  return `begin; select ${calls.join(", ")}`;
}

/**
 * Commits, reading first (in the same message) the sessions the transaction
 * ended, which the sessions trigger lists in a transaction-local setting.
 */
const CLOSING_STATEMENT = "select current_setting('lifegraph.ended_sessions', true) as ended; commit";

function withOperationTransaction(pool: pg.Pool, sessionsEnded: (ids: string[]) => void): WithPgClient {
  return (async (pgSettings, callback) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(openingStatement(pgSettings));
      const result = await makeWithPgClientViaPgClientAlreadyInTransaction(client, true)(null, callback);
      const [ended] = (await client.query(CLOSING_STATEMENT)) as unknown as [pg.QueryResult<{ ended: string | null }>];
      const ids = ended.rows[0]?.ended;
      if (ids) sessionsEnded(ids.split(","));
      return result;
    } catch (error) {
      // A connection that cannot roll back is not given back to the pool.
      await client.query("rollback").catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }) as WithPgClient;
}

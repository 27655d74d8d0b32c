// Daily: the friends feed's recent inbox keeps a week (feed/functions.sql).
// The horizon moves first, in a statement of its own, so pages stop reading
// below it; then the rows below it go, a batch of viewers per statement. A
// run stopped half-way leaves rows no page reads, and the next run takes them.
import type { Task } from "graphile-worker";

const KEEP = "7 days";
/** Viewers per delete: a short statement (about a week of each one's friends' events). */
const VIEWERS_PER_BATCH = 500;

export const trimFeedInbox: Task = async (_payload, helpers) => {
  const startsAt = await helpers.withPgClient(async (client) => {
    const { rows } = await client.query<{ starts_at: Date }>("select app_private.advance_feed_inbox($1::interval) as starts_at", [KEEP]);
    return rows[0]!.starts_at;
  });
  let after: string | null = null;
  let batches = 0;
  do {
    after = await helpers.withPgClient(async (client) => {
      const { rows } = await client.query<{ last: string | null }>("select app_private.trim_feed_inbox($1, $2) as last", [after, VIEWERS_PER_BATCH]);
      return rows[0]!.last;
    });
    batches++;
  } while (after !== null);
  helpers.logger.info(`feed inbox trimmed below ${startsAt.toISOString()} in ${batches} batches`);
};

// Sends a user's digest for a channel: the deliveries held since the last one
// become one message. Enqueued by app_private.notify when the user's digest
// frequency is not `immediate`, keyed per user and channel.
import type { Task } from "graphile-worker";

export const sendDigest: Task = async (payload, helpers) => {
  const { user_id: userId, channel } = payload as { user_id: string; channel: string };
  await helpers.withPgClient((client) =>
    client.query("select app_private.collect_digest($1, $2::app_public.notification_channel)", [userId, channel]),
  );
};

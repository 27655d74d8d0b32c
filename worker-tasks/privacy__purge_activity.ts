// Daily: activity events older than ACTIVITY_RETENTION_DAYS (12 months) go,
// except reported or moderated ones (docs/privacy.md).
import { retentionTask } from "../src/privacy/retention.js";

export const purgeActivity = (days: number) =>
  retentionTask("privacy__purge_activity", days, async (client, retentionDays) => {
    const { rows } = await client.query<{ n: number }>("select app_private.purge_activity_events($1::interval) as n", [`${retentionDays} days`]);
    return { activity_events: rows[0]!.n };
  });

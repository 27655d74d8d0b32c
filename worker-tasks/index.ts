// Every graphile-worker task, named <domain>__<action> like its file.
import type { TaskList } from "graphile-worker";
import type { Config } from "../src/config.js";
import { refreshCommunityMetrics } from "./communities__refresh_metrics.js";
import { advanceCompetition } from "./competitions__advance.js";
import { finaliseCompetition } from "./competitions__finalise.js";
import { trimFeedInbox } from "./feed__trim_inbox.js";
import { pruneSessions } from "./identity__prune_sessions.js";
import { checkGoals } from "./goals__remind.js";
import { analyseJournalEntry } from "./journal__analyse.js";
import { deliverNotification } from "./notifications__deliver.js";
import { sendDigest } from "./notifications__digest.js";
import { pruneNotifications } from "./notifications__prune.js";
import { restockItem } from "./marketplace__restock.js";
import { snapshotProfiles } from "./profiles__snapshot.js";
import { reconcilePoints } from "./points__reconcile.js";
import { exportData } from "./privacy__export.js";
import { pruneExports } from "./privacy__prune_exports.js";
import { purgeActivity } from "./privacy__purge_activity.js";
import { pruneRealtimeLog } from "./realtime__prune.js";
import { generateReview } from "./reviews__generate.js";
import { scheduleReviews } from "./reviews__schedule.js";
import { remindRitual } from "./rituals__remind.js";
import { reportWeek } from "./rituals__weekly_report.js";
import { recomputeRollups } from "./scores__recompute.js";
import { repairRollups } from "./scores__repair.js";
import { refreshRollups } from "./scores__rollup.js";
import { deleteStoredFile } from "./storage__delete.js";
import { sweepStorage } from "./storage__sweep.js";

export function makeTaskList(config: Config): TaskList {
  return {
    communities__refresh_metrics: refreshCommunityMetrics,
    competitions__advance: advanceCompetition,
    competitions__finalise: finaliseCompetition,
    feed__trim_inbox: trimFeedInbox,
    identity__prune_sessions: pruneSessions(config.SESSION_RETENTION_DAYS),
    goals__remind: checkGoals,
    journal__analyse: analyseJournalEntry(config),
    notifications__deliver: deliverNotification(config),
    notifications__digest: sendDigest,
    notifications__prune: pruneNotifications(config.NOTIFICATION_READ_RETENTION_DAYS, config.NOTIFICATION_LOG_RETENTION_DAYS),
    marketplace__restock: restockItem,
    profiles__snapshot: snapshotProfiles,
    points__reconcile: reconcilePoints,
    privacy__export: exportData(config),
    privacy__prune_exports: pruneExports,
    privacy__purge_activity: purgeActivity(config.ACTIVITY_RETENTION_DAYS),
    realtime__prune: pruneRealtimeLog,
    reviews__generate: generateReview,
    reviews__schedule: scheduleReviews,
    rituals__remind: remindRitual,
    rituals__weekly_report: reportWeek,
    scores__recompute: recomputeRollups,
    scores__repair: repairRollups,
    scores__rollup: refreshRollups,
    storage__delete: deleteStoredFile(config),
    storage__sweep: sweepStorage(config),
  };
}

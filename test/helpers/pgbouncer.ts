// A PgBouncer of the test's own (Debian's `pgbouncer` package), in
// transaction mode in front of the test server: a generated ini and
// userlist in a temp dir, a free port, and a stop that kills it.
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { sleep } from "./peers.js";

export interface PgBouncer {
  port: number;
  /** `postgres://<user>@127.0.0.1:<port>/<database>` through the pooler. */
  url(user: string, database: string): string;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `serverPoolSize` server connections per (user, database): fewer than the
 * gateways' client connections, so transactions of different clients share
 * server connections, as in production.
 */
export async function startPgBouncer(target: { host: string; port: number }, users: string[], serverPoolSize = 3): Promise<PgBouncer> {
  const dir = await mkdtemp(path.join(tmpdir(), "lg-pgbouncer-"));
  // pgbouncer refuses to run as root: it switches to postgres (-u), who must read these.
  await chmod(dir, 0o755);
  const port = await freePort();
  const ini = path.join(dir, "pgbouncer.ini");
  await writeFile(path.join(dir, "userlist.txt"), users.map((u) => `"${u}" ""`).join("\n") + "\n", { mode: 0o644 });
  await writeFile(ini, `[databases]
* = host=${target.host} port=${target.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${path.join(dir, "userlist.txt")}
pool_mode = transaction
default_pool_size = ${serverPoolSize}
max_client_conn = 500
; node-postgres sends none of these, psql and JDBC do
ignore_startup_parameters = extra_float_digits
`, { mode: 0o644 });
  const child = spawn("pgbouncer", ["-u", "postgres", ini], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = (user: string, database: string) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  // Ready once a query goes through it.
  for (let i = 0; ; i++) {
    const client = new pg.Client({ connectionString: url("postgres", "postgres") });
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      break;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (i > 100 || child.exitCode !== null) {
        await stop();
        throw new Error(`pgbouncer did not start: ${(error as Error).message}\n${output}`);
      }
      await sleep(50);
    }
  }
  return { port, url, output: () => output, stop };
}

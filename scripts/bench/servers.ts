// The servers the benchmarks run, each a child process of its own (a load
// generator in a server's process would take turns on its event loop):
// lifegraph's gateway as production starts it, PostGraphile V4, the peer
// of the gateway and realtime workloads, and the realtime workload's floor.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { databaseUrls } from "../../src/db/urls.js";
import { fromRoot } from "../../src/paths.js";
import type { WorkloadContext } from "./db.js";

const V4_DIR = fromRoot("scripts", "bench", "peers", "v4");
const unlimited = "1000000000";

/** BENCH_NODE_FLAGS: node flags for every server alike (e.g. --cpu-prof, GC sizing). */
const nodeFlags = () => (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);

/** Servers started and not yet exited: killed if the bench itself dies, so none is left holding the bench database. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A server child: node with BENCH_NODE_FLAGS, then `args`, in `cwd`, its output piped to the bench. */
export function spawnServer(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags(), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env });
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** Waits for a line matching `pattern` on the child's output; returns the first group. */
export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`${what} exited with ${code}:\n${output}`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000).then(() => child.kill("SIGKILL"))]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * lifegraph's gateway as production runs it (`node --import tsx src/start.ts
 * gateway`: the child is the gateway itself, whose CPU and memory the
 * benchmarks read), on the bench database, checking tokens signed with
 * `secret`, with limits that never refuse; resolves once /readyz answers.
 */
export async function spawnGateway(ctx: WorkloadContext, name: string, secret: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const urls = databaseUrls(ctx.config, ctx.db.ownerUrl);
  const port = await freePort();
  const child = spawnServer(["--import", "tsx", "src/start.ts", "gateway"], fromRoot(), {
    ...process.env,
    NODE_ENV: "production",
    // warn: no per-request log line (pino-http is mounted at info).
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: urls.owner,
    AUTH_DATABASE_URL: urls.authenticator,
    ROOT_DATABASE_URL: "",
    JWT_SECRET: secret,
    // Raw documents, as the peers take them.
    TRUSTED_DOCUMENTS: "off",
    // One address and few users (or thousands of sockets): the limits
    // still run, but never refuse.
    RATE_LIMIT_GRAPHQL_PER_USER: unlimited, RATE_LIMIT_GRAPHQL_PER_IP: unlimited,
    RATE_LIMIT_AUTH_PER_IP: unlimited, RATE_LIMIT_AUTH_PER_ACCOUNT: unlimited,
    RATE_LIMIT_WEBSOCKETS_PER_IP: unlimited,
    GRAPHQL_MAX_IN_FLIGHT: "100",
    // No idle poll of the realtime log among the counted statements.
    REALTIME_POLL_MS: "60000",
    ...extraEnv,
  });
  const output: string[] = [];
  child.stdout!.on("data", (c: Buffer) => output.push(String(c)));
  child.stderr!.on("data", (c: Buffer) => output.push(String(c)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { child, url };
    await sleep(250);
  }
  await stop(child);
  throw new Error(`${name} did not become ready:\n${output.join("").slice(-3000)}`);
}

/** Installs the V4 peer's own dependencies (scripts/bench/peers/v4: V4 needs graphql 15) on first use. */
async function installV4Peer(ctx: WorkloadContext): Promise<void> {
  if (existsSync(path.join(V4_DIR, "node_modules", "postgraphile"))) return;
  ctx.progress("installing the V4 peer (scripts/bench/peers/v4)…");
  await new Promise<void>((resolve, reject) => {
    const npm = spawn("npm", ["ci", "--no-audit", "--no-fund"], { cwd: V4_DIR, stdio: "inherit" });
    npm.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`npm ci for the V4 peer failed (${code})`))));
  });
}

/** The V4 peer (installed on first use) on the bench database, checking tokens signed with `secret`. */
export async function spawnV4Peer(ctx: WorkloadContext, secret: string): Promise<{ child: ChildProcess; url: string }> {
  await installV4Peer(ctx);
  const urls = databaseUrls(ctx.config, ctx.db.ownerUrl);
  const child = spawnServer(["server.js"], V4_DIR, {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: urls.authenticator,
    OWNER_DATABASE_URL: urls.owner,
    JWT_SECRET: secret,
    JWT_ISSUER: ctx.config.JWT_ISSUER,
    JWT_AUDIENCE: ctx.config.JWT_AUDIENCE,
    VISITOR_ROLE: ctx.config.DATABASE_VISITOR,
    ANONYMOUS_ROLE: ctx.config.DATABASE_ANONYMOUS,
  });
  return { child, url: await waitForLine(child, /listening on (http:\/\/\S+)/, "the V4 peer") };
}

/** The realtime floor (scripts/bench/peers/broadcast.ts): one read per event, one frame written to every socket. */
export async function spawnBroadcastPeer(ctx: WorkloadContext): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnServer(["--import", "tsx", "scripts/bench/peers/broadcast.ts"], fromRoot(), {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrls(ctx.config, ctx.db.ownerUrl).owner,
  });
  return { child, url: await waitForLine(child, /listening on (http:\/\/\S+)/, "the broadcast floor") };
}

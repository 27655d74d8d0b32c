// `npm start` as a new user runs it: embedded Postgres in a fresh data
// directory, migrations, demo data, gateway and worker; it answers /readyz
// and a register mutation, keeps its data across restarts and stops cleanly.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { fromRoot } from "../../src/paths.js";
import { graphql, register } from "../helpers/gateway.js";

const TSX = fromRoot("node_modules", ".bin", "tsx");
let dataDir: string;

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function startEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LIFEGRAPH_DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "warn", NODE_ENV: "development", ...extra };
  for (const key of ["DATABASE_URL", "AUTH_DATABASE_URL", "ROOT_DATABASE_URL", "JWT_SECRET", "JWT_PRIVATE_KEY"]) delete env[key];
  return env;
}

/** `detached`: in a process group of its own, as a terminal runs it (Ctrl-C goes to the group). */
function start(options: { env?: NodeJS.ProcessEnv; detached?: boolean } = {}): Promise<Started> {
  const child = spawn(TSX, ["src/start.ts", "all"], { cwd: fromRoot(), env: startEnv(options.env), stdio: ["ignore", "pipe", "pipe"], detached: options.detached });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in time:\n${output}`)), 90_000);
    child.stdout!.on("data", () => {
      const match = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output);
      if (match && output.includes("Press Ctrl-C")) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "lifegraph-start-"));
  // Postgres runs as the `postgres` user when we are root: it must reach the directory.
  await chmod(dataDir, 0o755);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

// What alice's demo data amounts to: the same after a restart (the seed is idempotent).
const DEMO_COUNTS = `{ scores { totalCount } journalEntries { totalCount } rituals { totalCount } ritualCompletions { totalCount }
  goals { totalCount } wellnessEntries { totalCount } reviews { totalCount } scoreRollups { totalCount }
  friendships { totalCount } follows { totalCount } activityEvents { totalCount } conversations { totalCount }
  directMessages { totalCount } unreadMessageCount currentUser { stats { friendsCount followersCount followingCount } } }`;
const demoLogin = `mutation { login(input: { login: "alice", password: "lifegraph-demo-1" }) { accessToken user { username isAdmin } } }`;
const loginAs = async (url: string, username: string) =>
  (await graphql(url, `mutation { login(input: { login: "${username}", password: "lifegraph-demo-1" }) { accessToken } }`)).data.login.accessToken as string;

describe("npm start", () => {
  it("starts on embedded Postgres, serves, restarts on the same data and stops cleanly", async () => {
    const first = await start();
    let demoCounts: unknown;
    try {
      expect(first.output()).toMatch(/Ruru\s+http:\/\/\S+\/graphiql/);
      expect(first.output()).toMatch(/alice\s+alice@example.com\s+lifegraph-demo-1/);
      expect(first.output()).toMatch(/erin\s+erin@example.com\s+lifegraph-demo-1/);
      const ready = await fetch(`${first.url}/readyz`);
      expect(ready.status).toBe(200);
      const session = await register(first.url, "starter_sam");
      expect(session.user.username).toBe("starter_sam");
      const demo = await graphql(first.url, demoLogin);
      expect(demo.data.login.user).toEqual({ username: "alice", isAdmin: true });
      // Ninety days of life data: rollups with trends, streaks, a review, analysed entries.
      const life = await graphql(first.url, `{
        scoreRollups(condition: { periodKind: month }) { totalCount }
        weekly: scoreRollups(condition: { periodKind: week }, first: 20) { nodes { trend30Days } }
        rituals { nodes { longestStreak } }
        reviews { nodes { kind gfs } }
        journalEntries { nodes { sentiment } }
        wellnessStats(days: 30) { entries }
        currentUser { gfs(period: month) { score } }
      }`, {}, demo.data.login.accessToken);
      expect(life.errors).toBeUndefined();
      expect(life.data.scoreRollups.totalCount).toBeGreaterThanOrEqual(16 * 3);
      expect(life.data.weekly.nodes.some((r: { trend30Days: string | null }) => r.trend30Days !== null)).toBe(true);
      expect(life.data.rituals.nodes.every((r: { longestStreak: number }) => r.longestStreak > 0)).toBe(true);
      expect(life.data.reviews.nodes.map((r: { kind: string }) => r.kind).sort()).toEqual(["monthly", "quarterly"]);
      expect(life.data.journalEntries.nodes.filter((e: { sentiment: string | null }) => e.sentiment !== null).length).toBeGreaterThan(20);
      expect(life.data.wellnessStats.entries).toBeGreaterThan(20);
      expect(Number(life.data.currentUser.gfs.score)).toBeGreaterThan(0);
      expect((await fetch(`${first.url}/graphiql`)).status).toBe(200);
      // The social demo: alice's friends (bob, public; carol, friends only)
      // fill her feed, her own events span every visibility, bob wrote to
      // her, and erin blocked dan.
      const social = await graphql(first.url, `{
        friends: activityFeed(scope: friends, pageSize: 100) { verb visibility createdAt actor { username } }
        mine: activityFeed(scope: me, pageSize: 100) { visibility }
        following: activityFeed(scope: following, pageSize: 100) { actor { username } }
        conversations { nodes { otherUser { username } unreadCount lastMessageAt directMessages { totalCount } } }
        currentUser { stats { friendsCount followersCount followingCount } }
      }`, {}, demo.data.login.accessToken);
      expect(social.errors).toBeUndefined();
      const friendsFeed = social.data.friends as Array<{ verb: string; visibility: string; createdAt: string; actor: { username: string } }>;
      expect(friendsFeed).toHaveLength(100);
      expect(new Set(friendsFeed.map((e) => e.actor.username))).toEqual(new Set(["bob", "carol"]));
      expect(friendsFeed.map((e) => e.verb)).toContain("social.friendship");
      expect(new Set(friendsFeed.map((e) => e.visibility))).toEqual(new Set(["public", "friends"]));
      // Dated when they happened, not all at the seed's instant.
      expect(new Set(friendsFeed.map((e) => e.createdAt.slice(0, 10))).size).toBeGreaterThan(10);
      expect(new Set(social.data.mine.map((e: { visibility: string }) => e.visibility))).toEqual(new Set(["public", "friends", "private"]));
      expect(new Set(social.data.following.map((e: { actor: { username: string } }) => e.actor.username))).toEqual(new Set(["dan"]));
      expect(social.data.conversations.nodes).toEqual([
        { otherUser: { username: "bob" }, unreadCount: 1, lastMessageAt: expect.any(String), directMessages: { totalCount: 5 } },
      ]);
      expect(social.data.currentUser.stats).toEqual({ friendsCount: 2, followersCount: 1, followingCount: 1 });
      // Erin (private) shared a few events publicly: alice sees them, dan,
      // whom erin blocked, does not.
      const erin = await graphql(first.url, `{ currentUser { rowId } blocks { totalCount } }`, {}, await loginAs(first.url, "erin"));
      expect(erin.data.blocks.totalCount).toBe(1);
      const erinsEventsSeenBy = async (username: string) =>
        (await graphql(first.url, `query ($erin: UUID!) { activityEvents(condition: { actorId: $erin }) { totalCount } }`,
          { erin: erin.data.currentUser.rowId }, await loginAs(first.url, username))).data.activityEvents.totalCount as number;
      expect(await erinsEventsSeenBy("alice")).toBeGreaterThan(0);
      expect(await erinsEventsSeenBy("dan")).toBe(0);

      demoCounts = (await graphql(first.url, DEMO_COUNTS, {}, demo.data.login.accessToken)).data;
      expect((demoCounts as { scores: { totalCount: number } }).scores.totalCount).toBeGreaterThan(500);
      expect((demoCounts as { activityEvents: { totalCount: number } }).activityEvents.totalCount).toBeGreaterThan(300);
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    const second = await start();
    try {
      const again = await graphql(second.url, `mutation { login(input: { login: "starter_sam", password: "Correct-Horse-9" }) { user { username } } }`);
      expect(again.data.login.user.username).toBe("starter_sam");
      const demo = await graphql(second.url, demoLogin);
      expect((await graphql(second.url, DEMO_COUNTS, {}, demo.data.login.accessToken)).data).toEqual(demoCounts);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
    // Embedded Postgres went down with it.
    const postmaster = spawnSync("pgrep", ["-f", `${dataDir}/pg`]);
    expect(postmaster.stdout.toString().trim()).toBe("");
  });

  it("starts again after a kill -9 that left its Postgres running, and takes back the killed worker's ids", async () => {
    const first = await start();
    const orphan = (await readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8")).split("\n")[0]!;
    // Every process of the app but Postgres, as a kill -9 of the node process leaves them.
    const tree = (pid: number): number[] => [pid, ...spawnSync("pgrep", ["-P", String(pid)]).stdout.toString()
      .split("\n").filter(Boolean).flatMap((child) => tree(Number(child)))];
    const app = tree(first.child.pid!).filter((pid) => !/postgres/.test(spawnSync("ps", ["-o", "comm=", "-p", String(pid)]).stdout.toString()));
    const exited = new Promise((resolve) => first.child.once("exit", resolve));
    for (const pid of app) {
      try {
        process.kill(pid, "SIGKILL");
      } catch (error) {
        // A process of the tree may end on its own first (a parent killed just before).
        if ((error as { code?: string }).code !== "ESRCH") throw error;
      }
    }
    await exited;
    expect(spawnSync("ps", ["-p", orphan]).status).toBe(0); // Postgres outlived it
    // Dead after 3 s here, not 30: the new worker takes back the killed
    // one's ids (and any jobs they held) within this test, rather than
    // during a later one, whose shutdown would then log the recovery.
    const second = await start({ env: { WORKER_HEARTBEAT_SECONDS: "1", WORKER_DEAD_AFTER_SECONDS: "3" } });
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      expect(second.output()).not.toMatch(/undefined/);
      const recovered = /unlocked the jobs of [1-9]\d* worker id/;
      for (const deadline = Date.now() + 30_000; !recovered.test(second.output()) && Date.now() < deadline;) await sleep(250);
      expect(second.output()).toMatch(recovered);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
    expect(spawnSync("ps", ["-p", orphan]).status).not.toBe(0);
  }, 120_000);
});

describe("npm start and the db scripts", () => {
  it("db:setup on embedded Postgres (no app running) exits 0 and leaves no Postgres running", () => {
    const setup = spawnSync(TSX, ["src/start.ts", "migrate"], { cwd: fromRoot(), env: startEnv({ LOG_LEVEL: "info" }), encoding: "utf8", timeout: 120_000 });
    expect(setup.stdout + setup.stderr).toMatch(/database is set up and migrated/);
    expect(setup.stdout + setup.stderr).not.toMatch(/An error occurred in the PgPool/);
    expect(setup.status).toBe(0);
    expect(spawnSync("pgrep", ["-f", `${dataDir}/pg`]).stdout.toString().trim()).toBe("");
  });

  it("db:* use the running embedded Postgres, and Ctrl-C (SIGINT to the process group) stops it all without a warning", async () => {
    const app = await start({ env: { LOG_LEVEL: "info", LOG_FORMAT: "json" }, detached: true });
    let exited: Promise<number | null> | null = null;
    try {
      const pidFile = await readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8");
      const migrate = spawnSync(TSX, ["src/db/cli.ts", "migrate"], { cwd: fromRoot(), env: startEnv({ LOG_LEVEL: "info" }), encoding: "utf8", timeout: 60_000 });
      expect(migrate.stdout + migrate.stderr).toMatch(/using the embedded Postgres of the lifegraph process running as pid \d+/);
      expect(migrate.stdout + migrate.stderr).not.toMatch(/undefined/);
      expect(migrate.status).toBe(0);
      // The app's server is untouched: same server, still answering.
      expect(await readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8")).toBe(pidFile);
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      const before = app.output().length;
      exited = new Promise((resolve) => app.child.once("exit", resolve));
      process.kill(-app.child.pid!, "SIGINT");
      expect(await exited).toBe(0);
      const shutdown = app.output().slice(before).split("\n").filter((line) => line.startsWith("{"));
      const levels = shutdown.map((line) => (JSON.parse(line) as { level: number; msg: string }));
      expect(levels.filter((l) => l.level >= 40)).toEqual([]);
      expect(levels.map((l) => l.msg)).toContain("SIGINT: shutting down");
    } finally {
      if (!exited) await stop(app.child);
    }
    const postmaster = spawnSync("pgrep", ["-f", `${dataDir}/pg`]);
    expect(postmaster.stdout.toString().trim()).toBe("");
  });
});

// The check itself only runs where an older Node is installed, as on these
// machines (/usr/bin/node is 20); elsewhere there is nothing to run it with.
const oldNode = ["/usr/bin/node", "/usr/local/bin/node"].find((bin) => {
  const result = spawnSync(bin, ["-p", "process.versions.node.split('.')[0]"]);
  return result.status === 0 && Number(result.stdout.toString()) < 22;
});
(oldNode ? it : it.skip)("refuses to start on Node < 22 with a message saying why", () => {
  const result = spawnSync(oldNode!, ["--import", "tsx", "src/start.ts", "all"], { cwd: fromRoot(), encoding: "utf8" });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/needs Node\.js 22 or newer/);
});

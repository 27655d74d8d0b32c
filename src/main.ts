// Modes: `all` (npm start: set up, migrate, seed, gateway + worker),
// `gateway`, `worker`, and `migrate` (set up and migrate, then exit).
import { bootRuntime, type Runtime } from "./runtime.js";
import { ensureRolesAndDatabase } from "./db/roles.js";
import { migrateDatabase } from "./db/migrate.js";
import { seedDemoData, type DemoUser } from "./db/seed.js";
import { databaseName } from "./db/urls.js";
import { startGateway, type Gateway } from "./http/app.js";
import { startWorker } from "./worker/runner.js";
import { createMetrics } from "./http/metrics.js";

async function setUpDatabase(runtime: Runtime): Promise<void> {
  const { config, urls } = runtime;
  if (urls.root) await ensureRolesAndDatabase(urls.root, config, databaseName(urls.owner));
  await migrateDatabase(config, urls);
}

function banner(runtime: Runtime, gateway: Gateway, demoUsers: DemoUser[]): string {
  const ws = gateway.url.replace(/^http/, "ws");
  const lines = [
    "",
    "lifegraph is running",
    `  GraphQL    ${gateway.url}/graphql`,
    runtime.config.graphiql ? `  Ruru       ${gateway.url}/graphiql` : null,
    `  Websocket  ${ws}/graphql  (graphql-ws)`,
    `  Health     ${gateway.url}/healthz, ${gateway.url}/readyz, ${gateway.url}/admin/health (admins)`,
    `  Database   ${runtime.embedded ? `embedded Postgres in ${runtime.config.LIFEGRAPH_DATA_DIR}/pg` : "DATABASE_URL"}`,
    `  Worker     ${runtime.config.RUN_WORKER ? "running in this process" : "off (RUN_WORKER=false)"}`,
    ...(demoUsers.length
      ? ["", "Demo logins (username or email / password):", ...demoUsers.map((u) => `  ${u.username.padEnd(8)} ${u.email.padEnd(20)} ${u.password}${u.isAdmin ? "  (admin)" : ""}`)]
      : []),
    "",
    "Press Ctrl-C to stop.",
    "",
  ];
  return lines.filter((l) => l !== null).join("\n");
}

export async function main(mode: string): Promise<void> {
  const runtime = await bootRuntime();
  const { config, logger, urls } = runtime;
  try {
    switch (mode) {
      case "migrate":
        await setUpDatabase(runtime);
        logger.info("database is set up and migrated");
        await runtime.shutdown();
        return;
      case "worker": {
        // A worker alone has no gateway: its metrics are served on METRICS_PORT only.
        const metrics = config.METRICS_PORT === undefined ? undefined : createMetrics(config);
        const worker = await startWorker(config, urls.owner, logger, { metrics });
        runtime.onShutdown(worker.stop);
        if (metrics) {
          const listener = await metrics.listen(config.METRICS_PORT!);
          runtime.onShutdown(listener.close);
          logger.info(`worker metrics on ${listener.url}`);
        }
        logger.info("worker running");
        return;
      }
      case "gateway": {
        const gateway = await startGateway(config, urls, logger);
        runtime.onShutdown(gateway.close);
        logger.info(`gateway listening on ${gateway.url}`);
        return;
      }
      case "all": {
        await setUpDatabase(runtime);
        const demoUsers = config.seedDemoData ? await seedDemoData(urls.owner) : [];
        // One registry for the process: the gateway serves the worker's metrics too.
        const metrics = createMetrics(config);
        if (config.RUN_WORKER) {
          const worker = await startWorker(config, urls.owner, logger, { metrics });
          runtime.onShutdown(worker.stop);
        }
        const gateway = await startGateway(config, urls, logger, { metrics });
        runtime.onShutdown(gateway.close);
        process.stdout.write(banner(runtime, gateway, demoUsers));
        return;
      }
      default:
        throw new Error(`Unknown mode '${mode}': use all, gateway, worker or migrate`);
    }
  } catch (error) {
    logger.fatal({ err: error }, "startup failed");
    await runtime.shutdown();
    process.exit(1);
  }
}

// Entry point of `npm start`, `npm run gateway` and `npm run worker`. It only
// checks the Node version, before anything that needs Node 22 is loaded:
// grafast relies on a Promise API that Node 20 lacks and then fails obscurely.
const REQUIRED_MAJOR = 22;
const major = Number(process.versions.node.split(".")[0]);
if (major < REQUIRED_MAJOR) {
  console.error(
    `lifegraph needs Node.js ${REQUIRED_MAJOR} or newer; this is ${process.version}. ` +
      "Install Node 22 (for example `npm install node@22`) and put it first on PATH.",
  );
  process.exit(1);
}
// Grafast reads its mode when first loaded: development checks unless told
// this is production (lifegraph's NODE_ENV defaults to development too).
process.env.GRAPHILE_ENV ??= process.env.NODE_ENV === "production" ? "production" : "development";
// Behind a transaction-mode pooler (PgBouncer < 1.21) a named prepared
// statement may meet another client's connection and answer wrongly, not
// fail (docs/scaling.md): off unless the operator says otherwise.
if (process.env.DATABASE_POOLER_URL) process.env.DATAPLAN_PG_PREPARED_STATEMENT_CACHE_SIZE ??= "0";
const mode = process.argv[2] ?? "all";
const { main } = await import("./main.js");
await main(mode);

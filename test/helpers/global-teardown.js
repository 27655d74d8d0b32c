import pg from "pg";

export default async function globalTeardown() {
  const template = process.env.LIFEGRAPH_TEST_TEMPLATE;
  if (!template) return;
  // Set by global-setup.js, in this same process.
  const root = new pg.Client({ connectionString: process.env.TEST_ROOT_DATABASE_URL });
  await root.connect();
  await root.query(`drop database if exists "${template}" with (force)`);
  await root.end();
}

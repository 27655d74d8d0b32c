import pg from "pg";

export default async function globalTeardown() {
  const template = process.env.LIFEGRAPH_TEST_TEMPLATE;
  if (!template) return;
  const root = new pg.Client({
    connectionString: process.env.TEST_ROOT_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  });
  await root.connect();
  await root.query(`drop database if exists "${template}" with (force)`);
  await root.end();
}

-- Runs as the root role before `npm run db:reset` drops the database (dev
-- only): a running `npm start` holds connections that would block the drop.
select pg_terminate_backend(pid) from pg_stat_activity
where datname in (':DATABASE_NAME', ':DATABASE_NAME_shadow') and pid <> pg_backend_pid();

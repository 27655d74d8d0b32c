-- Runs as the root role after `graphile-migrate reset` has re-created the
-- database. The roles themselves are made by `src/db/roles.ts` (idempotent),
-- which `npm start`, the tests and CI all run before migrating.
grant all on database :DATABASE_NAME to :DATABASE_OWNER;
grant connect on database :DATABASE_NAME to :DATABASE_AUTHENTICATOR;
alter schema public owner to :DATABASE_OWNER;
revoke all on schema public from public;

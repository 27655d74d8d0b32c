--! Previous: sha1:9df6f31e7ce36995e67b8f3de043920c25aa7a80
--! Hash: sha1:d57870a65ead05d5a363b4c8ec461b7c1a5152a5
--! Message: A logout holds on the gateway that ran it from the very next request: the sessions trigger lists the ended ids in a transaction-local setting the gateway reads before its commit

-- The sessions a transaction ends are also listed in its lifegraph.ended_sessions, which the gateway running it reads before its commit.
--! Included identity/triggers.sql
-- Trigger functions and triggers of the identity domain.

create or replace function app_private.tg_users__create_settings() returns trigger as $$
begin
  insert into app_public.user_settings (user_id) values (new.id);
  insert into app_private.user_flags (user_id) values (new.id);
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.tg_user_emails__verify() returns trigger as $$
begin
  perform app_private.send_email_verification(new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_user_emails__verify() is 'Every new unverified address (registration included) gets a verification link.';

create or replace trigger _100_timestamps before insert or update on app_public.users
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_create_settings after insert on app_public.users
  for each row execute procedure app_private.tg_users__create_settings();

create or replace trigger _100_timestamps before insert or update on app_public.user_settings
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.user_emails
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_verify after insert on app_public.user_emails
  for each row when (not new.is_verified) execute procedure app_private.tg_user_emails__verify();

create or replace function app_private.tg_sessions__notify_ended() returns trigger as $$
begin
  -- Gateways cache a session's validity (SESSION_CACHE_MS): this tells them
  -- at once that it ended. Only the id travels; the row stays the truth.
  perform pg_notify('lifegraph:sessions', old.id::text);
  -- The gateway whose operation this is reads the ids back just before its
  -- commit (src/graphql/pg-service.ts) and forgets them before it answers,
  -- so a logout holds on that gateway's very next request without waiting
  -- for its NOTIFY. Local to the transaction: gone at its end.
  perform set_config('lifegraph.ended_sessions',
    concat_ws(',', nullif(current_setting('lifegraph.ended_sessions', true), ''), old.id::text), true);
  return null;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_sessions__notify_ended() is
  'NOTIFY lifegraph:sessions <id> when a session is revoked, cut short or deleted, so that every gateway drops its cached check; the ids also go in lifegraph.ended_sessions for the gateway running the transaction.';

create or replace trigger _600_notify_ended after update of revoked_at, expires_at on app_private.sessions
  for each row when (new.revoked_at is not null and old.revoked_at is null or new.expires_at < old.expires_at)
  execute procedure app_private.tg_sessions__notify_ended();

create or replace trigger _600_notify_deleted after delete on app_private.sessions
  for each row execute procedure app_private.tg_sessions__notify_ended();
--! EndIncluded identity/triggers.sql

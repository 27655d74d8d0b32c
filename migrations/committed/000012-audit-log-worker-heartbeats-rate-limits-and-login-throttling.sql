--! Previous: sha1:ecaf9049b517dd4a15940dfeeb37b167ced525f1
--! Hash: sha1:cf0b7b141dc9035cdb9ff5aa06cc9aee0607cf25
--! Message: Audit log, worker heartbeats, rate limits and login throttling, addresses unique among verified ones

-- Enter migration here

--------------------------------------------------------------------------------
-- platform: the audit log of admin-sensitive actions
--------------------------------------------------------------------------------
drop table if exists app_public.audit_log cascade;
create table app_public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid references app_public.users on delete set null,
  action text not null constraint audit_action_format check (action ~ '^[a-z_]+\.[a-z_]+$'),
  target_table text,
  target_id text,
  request_id text,
  ip inet,
  before jsonb,
  after jsonb
);
create index audit_log_occurred_at_idx on app_public.audit_log (occurred_at desc);
create index audit_log_actor_idx on app_public.audit_log (actor_id, occurred_at desc);
create index audit_log_action_idx on app_public.audit_log (action, occurred_at desc);

--------------------------------------------------------------------------------
-- platform: worker heartbeats
--------------------------------------------------------------------------------
drop table if exists app_private.worker_heartbeats cascade;
create table app_private.worker_heartbeats (
  worker_id text primary key,
  process text not null,
  started_at timestamptz not null default now(),
  beat_at timestamptz not null default now()
);
--! Included platform/functions.sql
-- Functions of the platform domain: the current definition of each, with its comment and grants.

create or replace function app_public.is_valid_timezone(tz text) returns boolean as $$
begin
  return exists (select 1 from app_private.time_zone_names where name = tz)
    or exists (select 1 from pg_catalog.pg_timezone_names where name = tz);
end;
-- Definer: the table is in app_private; the function reveals only a yes or no.
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.is_valid_timezone(text) is
  'True when the text is one of the time zone names Postgres knows (e.g. `Europe/Paris`).';
grant execute on function app_public.is_valid_timezone(text) to :DATABASE_ANONYMOUS;

create or replace function app_private.assert_admin() returns void as $$
begin
  if not app_public.current_user_is_admin() then
    raise exception 'Only administrators may do this.' using errcode = 'DNIED';
  end if;
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_admin() is 'Raises DNIED unless the current user is an administrator.';

-- Appends one entry to the audit log: who (the signed-in user, if any), from
-- which request and address (the gateway sets lifegraph.request_id and
-- lifegraph.ip for every request), what, and the row before and after.
-- Secrets never enter the log: columns named like one are removed.
create or replace function app_private.audit(action text, target_table text, target_id text, before jsonb, after jsonb)
returns void as $$
  insert into app_public.audit_log (actor_id, action, target_table, target_id, request_id, ip, before, after)
  -- The actor as a user that exists: someone deleting their own account is
  -- audited after the row is gone.
  values ((select u.id from app_public.users u where u.id = app_public.current_user_id()), audit.action, audit.target_table, audit.target_id,
    nullif(current_setting('lifegraph.request_id', true), ''),
    nullif(current_setting('lifegraph.ip', true), '')::inet,
    audit.before - '{password_hash,secret,secret_hash,token_hash}'::text[],
    audit.after - '{password_hash,secret,secret_hash,token_hash}'::text[]);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.audit(text, text, text, jsonb, jsonb) is
  'Appends an entry to the audit log with the current user, request id and IP.';
--! EndIncluded platform/functions.sql
--! Included platform/triggers.sql
-- Trigger functions and triggers of the platform domain.

create or replace function app_private.tg__timestamps() returns trigger as $$
begin
  new.created_at = (case when tg_op = 'INSERT' then now() else old.created_at end);
  -- Keep updated_at strictly increasing even for two updates in one transaction.
  new.updated_at = (case when tg_op = 'UPDATE' and old.updated_at >= now()
    then old.updated_at + interval '1 millisecond' else now() end);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__timestamps() is
  'Trigger function: created_at is set once, updated_at on every write.';

-- The audit log: one generic trigger function, attached to each table whose
-- changes an administrator must be able to account for. The action is the
-- trigger's argument; a row's key is its id, user_id or code.
create or replace function app_private.tg__audit() returns trigger as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
begin
  perform app_private.audit(tg_argv[0], tg_table_schema || '.' || tg_table_name,
    coalesce(v_row ->> 'id', v_row ->> 'user_id', v_row ->> 'code'),
    case when tg_op <> 'INSERT' then to_jsonb(old) end,
    case when tg_op <> 'DELETE' then to_jsonb(new) end);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__audit() is 'Trigger function: writes the change to the audit log under the action named by its argument.';

-- Deliveries change all the time by the worker; only a person's retry or
-- discard is audited.
create or replace function app_private.tg_notification_deliveries__audit() returns trigger as $$
begin
  if app_public.current_user_id() is not null then
    perform app_private.audit(case when new.status = 'discarded' then 'notifications.delivery_discarded' else 'notifications.delivery_retried' end,
      'app_public.notification_deliveries', new.id::text, jsonb_build_object('status', old.status), jsonb_build_object('status', new.status));
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_notification_deliveries__audit() is 'Audits a delivery''s status changed by a person (retry or discard), not by the worker.';

-- Append-only: no entry is changed or deleted (except the actor link set to
-- null when the actor's account goes, inside that cascade).
create or replace function app_private.tg_audit_log__append_only() returns trigger as $$
begin
  if tg_op = 'UPDATE' and pg_trigger_depth() > 1
      and (to_jsonb(new) - 'actor_id') = (to_jsonb(old) - 'actor_id') and new.actor_id is null then
    return new;
  end if;
  raise exception 'The audit log is append-only.' using errcode = 'DNIED';
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_audit_log__append_only() is 'Refuses changes to audit entries, but for the actor link a deleted account clears.';

create or replace trigger _900_append_only before update or delete on app_public.audit_log
  for each row execute procedure app_private.tg_audit_log__append_only();

create or replace trigger _800_audit after update of is_admin on app_private.user_flags
  for each row when (new.is_admin is distinct from old.is_admin) execute procedure app_private.tg__audit('identity.admin_changed');
create or replace trigger _800_audit after delete on app_public.users
  for each row execute procedure app_private.tg__audit('identity.user_deleted');
create or replace trigger _800_audit after insert on app_public.api_keys
  for each row execute procedure app_private.tg__audit('identity.api_key_created');
create or replace trigger _800_audit_revoke after update of revoked_at on app_public.api_keys
  for each row when (new.revoked_at is distinct from old.revoked_at) execute procedure app_private.tg__audit('identity.api_key_revoked');
create or replace trigger _800_audit after update of default_weight on app_public.life_areas
  for each row when (new.default_weight is distinct from old.default_weight) execute procedure app_private.tg__audit('areas.default_weight_changed');
create or replace trigger _800_audit after update of default_weight on app_public.area_dimensions
  for each row when (new.default_weight is distinct from old.default_weight) execute procedure app_private.tg__audit('areas.default_weight_changed');
create or replace trigger _800_audit after insert or update or delete on app_public.notification_templates
  for each row execute procedure app_private.tg__audit('notifications.template_changed');
create or replace trigger _800_audit after update of status on app_public.notification_deliveries
  for each row when (new.status is distinct from old.status and (old.status = 'dead' or new.status = 'discarded'))
  execute procedure app_private.tg_notification_deliveries__audit();
create or replace trigger _800_audit after insert on app_public.moderation_actions
  for each row execute procedure app_private.tg__audit('feed.moderated');
create or replace trigger _800_audit after update of role on app_public.community_members
  for each row when (new.role is distinct from old.role) execute procedure app_private.tg__audit('communities.role_changed');
create or replace trigger _800_audit after insert on app_public.point_transactions
  for each row when (new.reason = 'admin_adjustment') execute procedure app_private.tg__audit('points.adjusted');
--! EndIncluded platform/triggers.sql
--! Included platform/policies.sql
-- Row-level security and grants of the platform tables: who may read and write what.

-- app_private.time_zone_names
alter table app_private.time_zone_names enable row level security;
drop policy if exists no_visitor_access on app_private.time_zone_names;
create policy no_visitor_access on app_private.time_zone_names as restrictive using (false);

-- app_public.audit_log: administrators read it; nobody writes it but the
-- database's own triggers and functions (definer), and nobody changes it.
alter table app_public.audit_log enable row level security;
drop policy if exists select_admin on app_public.audit_log;
create policy select_admin on app_public.audit_log for select using ((select app_public.current_user_is_admin()));
revoke all on app_public.audit_log from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.audit_log to :DATABASE_VISITOR;

-- app_private.worker_heartbeats: the worker processes write and read it as the owner.
alter table app_private.worker_heartbeats enable row level security;
drop policy if exists no_visitor_access on app_private.worker_heartbeats;
create policy no_visitor_access on app_private.worker_heartbeats as restrictive using (false);
--! EndIncluded platform/policies.sql
--! Included platform/comments.sql
-- Comments on the platform tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on table app_private.time_zone_names is 'The time zone names Postgres knew when this migration ran: a fast path for is_valid_timezone.';

comment on table app_public.audit_log is
  E'@behavior -insert -update -delete\nAdmin-sensitive actions, append-only, for administrators: admin and community role changes, default weights, notification templates, delivery retries and discards, moderation, deleted users, API keys, point adjustments and failed sign-ins.';
comment on column app_public.audit_log.occurred_at is E'@behavior +filterBy +orderBy\nWhen it happened.';
comment on column app_public.audit_log.actor_id is E'@behavior +filterBy\nWho did it (null: the system, or an account since deleted).';
comment on column app_public.audit_log.action is E'@behavior +filterBy +orderBy\nWhat happened, as domain.action (identity.admin_changed, feed.moderated, identity.login_failed…).';
comment on column app_public.audit_log.target_table is 'The table of the row it changed.';
comment on column app_public.audit_log.target_id is 'The key of the row it changed.';
comment on column app_public.audit_log.request_id is 'The gateway request it came from (the X-Request-Id response header).';
comment on column app_public.audit_log.ip is 'The client address of that request.';
comment on column app_public.audit_log.before is 'The row before (secrets removed).';
comment on column app_public.audit_log.after is 'The row after (secrets removed).';
comment on constraint audit_log_actor_id_fkey on app_public.audit_log is E'@fieldName actor\n@foreignFieldName auditEntries\n@behavior -many';

comment on table app_private.worker_heartbeats is 'A row per graphile-worker id (pool and workers) of each running worker process, beaten every few seconds; a worker whose beat is older than WORKER_DEAD_AFTER_SECONDS is dead, and any worker process unlocks its jobs (src/worker/heartbeat.ts).';
comment on column app_private.worker_heartbeats.worker_id is 'The id graphile-worker locks jobs with (locked_by): a pool id when jobs are fetched in batches, else a worker id.';
comment on column app_private.worker_heartbeats.process is 'host:pid of the process, for people reading it.';
comment on column app_private.worker_heartbeats.beat_at is 'The last beat; the sweeper compares it with now().';
--! EndIncluded platform/comments.sql

--------------------------------------------------------------------------------
-- identity: rate limits and login throttling
--------------------------------------------------------------------------------
-- rate-limiter-flexible's RateLimiterPostgres store (created here, not by the library).
drop table if exists app_private.rate_limits cascade;
create table app_private.rate_limits (
  key varchar(255) primary key,
  points integer not null default 0,
  expire bigint
);
create index rate_limits_expire_idx on app_private.rate_limits (expire);
-- An address is unique among verified addresses only.
alter table app_public.user_emails drop constraint if exists user_emails_email_key;
alter table app_public.user_emails drop constraint if exists user_email_once_per_user;
alter table app_public.user_emails add constraint user_email_once_per_user unique (user_id, email);
drop index if exists app_public.user_emails_verified_email;
create unique index user_emails_verified_email on app_public.user_emails (email) where is_verified;
create index if not exists user_emails_email_idx on app_public.user_emails (email);
-- The hard lockout goes: the gateway throttles by account and IP.
drop function if exists app_private.login(text, text, interval, int, interval, interval);
alter table app_private.user_secrets drop column if exists failed_login_attempts,
  drop column if exists first_failed_login_at, drop column if exists locked_until;
delete from app_public.notification_templates where type = 'account.address_in_use';
delete from app_public.notification_types where code = 'account.address_in_use';
insert into app_public.notification_types (code, description, variables, default_channels, is_transactional) values
  ('account.address_in_use', 'Someone tried to use your email address for another account.', '{username,email}', '{email}', true);
insert into app_public.notification_templates (type, channel, locale, subject, body)
select t.type, c.channel, 'en', t.subject, t.body
from (values
  ('account.address_in_use', 'Your email address was used to sign up', E'Hello {{username}},\n\nsomeone tried to use {{email}} for another lifegraph account. It stays yours: nothing changed. If it was you, sign in instead, or reset your password from the sign-in page.')
) as t(type, subject, body)
cross join (values ('in_app'::app_public.notification_channel), ('email'), ('push')) as c(channel);
--! Included identity/functions.sql
-- Functions of the identity domain: the current definition of each, with its comment and grants.

create or replace function app_public.current_session_id() returns uuid as $$
  select nullif(pg_catalog.current_setting('jwt.claims.session_id', true), '')::uuid;
$$ language sql stable;
comment on function app_public.current_session_id() is
  'The session the request runs under, as set by the gateway from a verified token.';
grant execute on function app_public.current_session_id() to :DATABASE_ANONYMOUS;

-- Definer: the visitor cannot read app_private.sessions, and a forged or
-- revoked session id must resolve to nobody.
create or replace function app_public.current_user_id() returns uuid as $$
  select user_id from app_private.sessions
  where id = app_public.current_session_id()
    and revoked_at is null
    and expires_at > now();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_id() is
  'The user of the current session, or null when anonymous, expired or revoked.';
grant execute on function app_public.current_user_id() to :DATABASE_ANONYMOUS;

create or replace function app_public.current_user_is_admin() returns boolean as $$
  select coalesce((select is_admin from app_private.user_flags where user_id = app_public.current_user_id()), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_is_admin() is 'True when the current user is an administrator.';
grant execute on function app_public.current_user_is_admin() to :DATABASE_ANONYMOUS;

-- The flags are private: another user's are null, whoever asks.
create or replace function app_public.users_is_admin(u app_public.users) returns boolean as $$
  select f.is_admin from app_private.user_flags f where f.user_id = u.id and u.id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_is_admin(app_public.users) is
  'Whether you are an administrator (null on anyone else''s profile).';
grant execute on function app_public.users_is_admin(app_public.users) to :DATABASE_ANONYMOUS;

create or replace function app_public.users_is_verified(u app_public.users) returns boolean as $$
  select f.is_verified from app_private.user_flags f where f.user_id = u.id and u.id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_is_verified(app_public.users) is
  'Whether you have verified an email address (null on anyone else''s profile).';
grant execute on function app_public.users_is_verified(app_public.users) to :DATABASE_ANONYMOUS;

create or replace function app_public.current_user() returns app_public.users as $$
  select users.* from app_public.users where id = app_public.current_user_id();
$$ language sql stable;
comment on function app_public.current_user() is 'The signed-in user, or null.';
grant execute on function app_public.current_user() to :DATABASE_ANONYMOUS;

create or replace function app_private.assert_strong_password(password text, username text) returns void as $$
begin
  if password is null or char_length(password) < 10 then
    raise exception 'Password must be at least 10 characters long.' using errcode = 'WEAKP';
  end if;
  if (password ~ '[a-z]')::int + (password ~ '[A-Z]')::int + (password ~ '[0-9]')::int
     + (password ~ '[^a-zA-Z0-9]')::int < 2 then
    raise exception 'Password must mix at least two of: lower case, upper case, digits, symbols.'
      using errcode = 'WEAKP';
  end if;
  if username is not null and position(lower(username) in lower(password)) > 0 then
    raise exception 'Password must not contain the username.' using errcode = 'WEAKP';
  end if;
end;
$$ language plpgsql immutable set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.issue_session(user_id uuid, ttl interval) returns app_private.auth_result as $$
declare
  v_session app_private.sessions;
  v_token text := 'lgr_' || encode(gen_random_bytes(32), 'hex');
begin
  insert into app_private.sessions (user_id, expires_at)
    values (issue_session.user_id, now() + ttl) returning * into v_session;
  insert into app_private.refresh_tokens (token_hash, session_id)
    values (digest(v_token, 'sha256'), v_session.id);
  return row('OK', v_session.user_id, v_session.id, v_token)::app_private.auth_result;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.really_create_user(username text, email text, password text,
  display_name text) returns app_public.users as $$
declare
  v_user app_public.users;
begin
  perform app_private.assert_strong_password(password, username);
  if exists (select 1 from app_public.users u where u.username = really_create_user.username::citext) then
    raise exception 'That username is already taken.' using errcode = 'NUNIQ';
  end if;
  -- No check of the address: an address is unique among verified ones only,
  -- and registering one another account has verified answers like any other
  -- (its owner is mailed instead: app_private.send_email_verification).
  insert into app_public.users (username, display_name)
    values (username, coalesce(nullif(trim(display_name), ''), username)) returning * into v_user;
  insert into app_public.user_emails (user_id, email, is_primary) values (v_user.id, email, true);
  insert into app_private.user_secrets (user_id, password_hash, password_changed_at)
    values (v_user.id, crypt(password, gen_salt('bf', 10)), now());
  return v_user;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.really_create_user(text, text, text, text) is
  'Creates a user with a primary email and a bcrypt password. Used by register and the demo seed.';

create or replace function app_private.register(username text, email text, password text,
  display_name text, session_ttl interval) returns app_private.auth_result as $$
  select app_private.issue_session(
    (app_private.really_create_user(username, email, password, display_name)).id, session_ttl);
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.register(text, text, text, text, interval) is
  'Creates a user and opens a session. Called by the gateway as the owner.';

-- Returns an outcome instead of raising. Throttling (per account and IP, per
-- account, per IP) is the gateway's, in the shared rate-limit table
-- (src/identity/rate-limits.ts): no hard lock a stranger could set off.
-- An email signs in to the account that verified it, or to the one account
-- holding it unverified; held unverified by several, it takes the username.
create or replace function app_private.login(login text, password text, session_ttl interval)
returns app_private.auth_result as $$
declare
  v_user_id uuid;
  v_hash text;
begin
  select u.id into v_user_id from app_public.users u where u.username = login::citext;
  if v_user_id is null then
    select e.user_id into v_user_id from app_public.user_emails e where e.email = login::citext and e.is_verified;
  end if;
  if v_user_id is null then
    select e.user_id into v_user_id from app_public.user_emails e
    where e.email = login::citext and (select count(*) from app_public.user_emails x where x.email = login::citext) = 1;
  end if;
  select s.password_hash into v_hash from app_private.user_secrets s where s.user_id = v_user_id;
  if v_hash is null then
    -- Spend the same time as a real check, so timing does not reveal accounts.
    perform crypt(password, gen_salt('bf', 10));
    return row('LOGIN', null, null, null)::app_private.auth_result;
  end if;
  if v_hash <> crypt(password, v_hash) then
    return row('LOGIN', null, null, null)::app_private.auth_result;
  end if;
  return app_private.issue_session(v_user_id, session_ttl);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.login(text, text, interval) is
  'Checks a username-or-email and password and opens a session; LOGIN for a wrong one (the gateway throttles failures).';

create or replace function app_private.refresh_session(refresh_token text, session_ttl interval)
returns app_private.auth_result as $$
declare
  v_token app_private.refresh_tokens;
  v_session app_private.sessions;
  v_new text := 'lgr_' || encode(gen_random_bytes(32), 'hex');
begin
  select * into v_token from app_private.refresh_tokens t
    where t.token_hash = digest(refresh_token, 'sha256') for update;
  if v_token is null then
    return row('TOKEN', null, null, null)::app_private.auth_result;
  end if;
  if v_token.rotated_at is not null then
    -- Reuse of a rotated token: someone holds a copy. End the whole session.
    update app_private.sessions set revoked_at = coalesce(revoked_at, now()) where id = v_token.session_id;
    return row('TOKEN', null, null, null)::app_private.auth_result;
  end if;
  select * into v_session from app_private.sessions s
    where s.id = v_token.session_id and s.revoked_at is null and s.expires_at > now();
  if v_session is null then
    return row('TOKEN', null, null, null)::app_private.auth_result;
  end if;
  update app_private.refresh_tokens set rotated_at = now() where token_hash = v_token.token_hash;
  insert into app_private.refresh_tokens (token_hash, session_id) values (digest(v_new, 'sha256'), v_session.id);
  update app_private.sessions set expires_at = now() + session_ttl, last_active_at = now()
    where id = v_session.id;
  return row('OK', v_session.user_id, v_session.id, v_new)::app_private.auth_result;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.refresh_session(text, interval) is
  'Rotates a refresh token. A token that was already rotated revokes its whole session (reuse detection).';

create or replace function app_private.touch_session(session_id uuid, user_id uuid) returns boolean as $$
  -- Called by the gateway for every authenticated request; last_active_at is
  -- written at most once a minute so reads stay cheap.
  with active as (
    select s.id, s.last_active_at from app_private.sessions s
    where s.id = touch_session.session_id and s.user_id = touch_session.user_id
      and s.kind = 'login' and s.revoked_at is null and s.expires_at > now()
  ), touched as (
    update app_private.sessions s set last_active_at = now()
    from active where s.id = active.id and active.last_active_at < now() - interval '1 minute'
  )
  select exists (select 1 from active);
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.authenticate_api_key(secret text)
returns table (session_id uuid, user_id uuid, read_only boolean) as $$
  with found as (
    select k.* from app_private.api_key_secrets s
    join app_public.api_keys k on k.id = s.api_key_id
    where s.secret_hash = digest(secret, 'sha256')
      and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
  ), touched as (
    update app_public.api_keys k set last_used_at = now()
    from found where k.id = found.id
      and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute')
  )
  select s.id, found.user_id, not ('WRITE' = any (found.scopes))
  from found join app_private.sessions s on s.api_key_id = found.id
  where s.revoked_at is null;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.authenticate_api_key(text) is
  'Resolves an `lg_…` secret to its session; READ-only keys get read_only = true.';

create or replace function app_private.assert_login_session() returns uuid as $$
declare
  v_session app_private.sessions;
begin
  select * into v_session from app_private.sessions
    where id = app_public.current_session_id() and revoked_at is null and expires_at > now();
  if v_session is null then
    raise exception 'You must be signed in.' using errcode = 'LOGIN';
  end if;
  if v_session.kind <> 'login' then
    raise exception 'An API key cannot do this; sign in with a password.' using errcode = 'DNIED';
  end if;
  return v_session.user_id;
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;

create or replace function app_public.logout() returns boolean as $$
  with revoked as (
    update app_private.sessions set revoked_at = now()
    where id = app_public.current_session_id() and kind = 'login' and revoked_at is null
    returning 1
  )
  select exists (select 1 from revoked);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.logout() is
  'Ends the current session: its access and refresh tokens stop working at once.';
grant execute on function app_public.logout() to :DATABASE_VISITOR;

create or replace function app_public.change_password(old_password text, new_password text) returns boolean as $$
declare
  v_user_id uuid := app_private.assert_login_session();
  v_hash text;
begin
  select password_hash into v_hash from app_private.user_secrets where user_id = v_user_id for update;
  if v_hash is null or v_hash <> crypt(old_password, v_hash) then
    raise exception 'The current password is wrong.' using errcode = 'LOGIN';
  end if;
  perform app_private.assert_strong_password(new_password,
    (select username from app_public.users where id = v_user_id));
  update app_private.user_secrets
    set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
    where user_id = v_user_id;
  -- Other sign-ins end; API keys stay (they are managed on their own).
  update app_private.sessions set revoked_at = now()
    where user_id = v_user_id and kind = 'login' and revoked_at is null
      and id <> app_public.current_session_id();
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.change_password(text, text) is
  'Changes the password after checking the current one, and signs out every other session.';
grant execute on function app_public.change_password(text, text) to :DATABASE_VISITOR;

create or replace function app_public.create_api_key(name text, scopes app_public.api_key_scope[],
  expires_at timestamptz default null) returns app_public.created_api_key as $$
declare
  v_user_id uuid := app_private.assert_login_session();
  v_secret text := 'lg_' || encode(gen_random_bytes(24), 'hex');
  v_key app_public.api_keys;
begin
  if expires_at is not null and expires_at <= now() then
    raise exception 'The expiry must be in the future.' using errcode = 'BADIN';
  end if;
  insert into app_public.api_keys (user_id, name, scopes, token_prefix, expires_at)
    values (v_user_id, name, (select array_agg(distinct s) from unnest(scopes) s),
            left(v_secret, 10), expires_at)
    returning * into v_key;
  insert into app_private.api_key_secrets (api_key_id, secret_hash) values (v_key.id, digest(v_secret, 'sha256'));
  insert into app_private.sessions (user_id, kind, api_key_id, expires_at)
    values (v_user_id, 'api_key', v_key.id, coalesce(expires_at, 'infinity'));
  return row(v_key.id, v_secret)::app_public.created_api_key;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.create_api_key(text, app_public.api_key_scope[], timestamptz) is
  'Creates an API key for the signed-in user and returns its secret (`lg_…`) once.';
grant execute on function app_public.create_api_key(text, app_public.api_key_scope[], timestamptz) to :DATABASE_VISITOR;

create or replace function app_public.revoke_api_key(api_key_id uuid) returns app_public.api_keys as $$
declare
  v_key app_public.api_keys;
begin
  update app_public.api_keys k set revoked_at = coalesce(k.revoked_at, now())
    where k.id = revoke_api_key.api_key_id and k.user_id = app_public.current_user_id()
    returning * into v_key;
  if v_key is null then
    raise exception 'No such API key.' using errcode = 'NOFND';
  end if;
  update app_private.sessions s set revoked_at = coalesce(s.revoked_at, now())
    where s.api_key_id = v_key.id;
  return v_key;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.revoke_api_key(uuid) is 'Revokes one of your API keys; it stops working at once.';
grant execute on function app_public.revoke_api_key(uuid) to :DATABASE_VISITOR;

create or replace function app_private.prune_sessions(retention interval) returns int as $$
  with pruned as (
    delete from app_private.sessions
    where kind = 'login' and coalesce(revoked_at, expires_at) < now() - retention
    returning 1
  )
  select count(*)::int from pruned;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.prune_sessions(interval) is
  'Deletes login sessions that ended (revoked or expired) longer ago than the retention period.';

create or replace function app_private.issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval) returns text as $$
declare
  v_token text := encode(gen_random_bytes(32), 'hex');
begin
  insert into app_private.account_tokens (user_id, email_id, purpose, token_hash, expires_at)
    values (user_id, email_id, purpose, digest(v_token, 'sha256'), now() + ttl);
  return v_token;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.issue_account_token(uuid, uuid, text, interval) is 'A new random token (returned once; stored hashed).';

create or replace function app_private.take_account_token(token text, purpose text) returns app_private.account_tokens as $$
declare
  v_token app_private.account_tokens;
begin
  select * into v_token from app_private.account_tokens t
    where t.token_hash = digest(coalesce(take_account_token.token, ''), 'sha256') and t.purpose = take_account_token.purpose
    for update;
  if not found or v_token.used_at is not null or v_token.expires_at <= now() then
    raise exception 'This link is invalid, expired or already used.' using errcode = 'TOKEN';
  end if;
  update app_private.account_tokens set used_at = now() where id = v_token.id;
  return v_token;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.take_account_token(text, text) is 'Uses up a valid token of the purpose, or raises TOKEN.';

-- An address another account has verified gets no link (it could not be
-- verified twice): its owner is told that someone tried to use it. The
-- caller's answer is the same either way, so it reveals nothing.
create or replace function app_private.send_email_verification(email_id uuid) returns void as $$
declare
  v_email app_public.user_emails;
  v_owner app_public.user_emails;
begin
  select * into v_email from app_public.user_emails e where e.id = send_email_verification.email_id and not e.is_verified;
  if not found then
    return;
  end if;
  select * into v_owner from app_public.user_emails o
    where o.email = v_email.email and o.is_verified and o.user_id <> v_email.user_id;
  if found then
    perform app_private.notify(v_owner.user_id, 'account.address_in_use',
      jsonb_build_object('username', (select username from app_public.users where id = v_owner.user_id), 'email', v_owner.email));
  else
    perform app_private.notify(v_email.user_id, 'account.verify_email',
      jsonb_build_object('username', (select username from app_public.users where id = v_email.user_id), 'email', v_email.email,
        'token', app_private.issue_account_token(v_email.user_id, v_email.id, 'verify_email', interval '24 hours')));
  end if;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.send_email_verification(uuid) is
  'Mails a verification link to an unverified address; when another account has verified it, mails that account instead (account.address_in_use).';

create or replace function app_public.verify_email(token text) returns boolean as $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'verify_email');
begin
  -- Verified meanwhile by another account: this copy can never be.
  if exists (select 1 from app_public.user_emails e join app_public.user_emails o on o.email = e.email and o.id <> e.id
      where e.id = v_token.email_id and o.is_verified) then
    raise exception 'This link is invalid, expired or already used.' using errcode = 'TOKEN';
  end if;
  update app_public.user_emails set is_verified = true where id = v_token.email_id;
  update app_private.user_flags set is_verified = true where user_id = v_token.user_id;
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.verify_email(text) is 'Confirms the address of a verification link (single use, 24 hours). TOKEN when invalid.';
grant execute on function app_public.verify_email(text), app_public.forgot_password(text),
  app_public.reset_password(text, text) to :DATABASE_ANONYMOUS;

create or replace function app_public.resend_email_verification(email_id uuid) returns boolean as $$
begin
  if not exists (select 1 from app_public.user_emails e
      where e.id = resend_email_verification.email_id and e.user_id = app_public.current_user_id() and not e.is_verified) then
    raise exception 'No unverified address of yours with that id.' using errcode = 'NOFND';
  end if;
  perform app_private.send_email_verification(email_id);
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.resend_email_verification(uuid) is 'Mails a new verification link to one of your unverified addresses.';
grant execute on function app_public.resend_email_verification(uuid) to :DATABASE_VISITOR;

-- A reset link goes only to an address the account has proven, or to its
-- primary address while it has proven none (a new account): never to an
-- unverified extra address, which may be someone else's mistyped one.
create or replace function app_public.forgot_password(email text) returns boolean as $$
declare
  v_email app_public.user_emails;
begin
  -- The account that verified the address; while none has, each account
  -- whose primary address it is and which has verified none.
  for v_email in
    select * from app_public.user_emails e
    where e.email = forgot_password.email::citext
      and (e.is_verified or (e.is_primary
        and not exists (select 1 from app_public.user_emails v where v.user_id = e.user_id and v.is_verified)
        and not exists (select 1 from app_public.user_emails o where o.email = e.email and o.is_verified)))
  loop
    perform app_private.notify(v_email.user_id, 'account.password_reset',
      jsonb_build_object('username', (select username from app_public.users where id = v_email.user_id),
        'email', v_email.email,
        'token', app_private.issue_account_token(v_email.user_id, v_email.id, 'reset_password', interval '1 hour')));
  end loop;
  -- The same answer whether or not the address is known.
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.forgot_password(text) is
  'Mails a password-reset link (single use, one hour) to a verified address of an account (or its primary address while none is verified). Always answers true.';

-- A reset may follow a stolen password: every session ends, API keys included.
create or replace function app_public.reset_password(token text, new_password text) returns boolean as $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'reset_password');
  v_username text := (select username from app_public.users where id = v_token.user_id);
begin
  perform app_private.assert_strong_password(new_password, v_username);
  update app_private.user_secrets set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
    where user_id = v_token.user_id;
  -- Every other reset link dies, and every session ends.
  update app_private.account_tokens set used_at = now()
    where user_id = v_token.user_id and purpose = 'reset_password' and used_at is null;
  update app_private.sessions set revoked_at = now() where user_id = v_token.user_id and revoked_at is null;
  update app_public.api_keys set revoked_at = now() where user_id = v_token.user_id and revoked_at is null;
  -- The link proves the address (unless another account verified it meanwhile).
  update app_public.user_emails e set is_verified = true where e.id = v_token.email_id
    and not exists (select 1 from app_public.user_emails o where o.email = e.email and o.is_verified and o.id <> e.id);
  if found then
    update app_private.user_flags set is_verified = true where user_id = v_token.user_id;
  end if;
  perform app_private.notify(v_token.user_id, 'account.password_changed', jsonb_build_object('username', v_username));
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.reset_password(text, text) is
  'Sets a new password with a reset link''s token (TOKEN when invalid, WEAKP when weak) and ends every session, API keys included.';
--! EndIncluded identity/functions.sql
--! Included identity/policies.sql
-- Row-level security and grants of the identity tables: who may read and write what.

-- app_public.users
alter table app_public.users enable row level security;
-- A profile shows as its owner's privacy settings and blocks allow: the rule
-- of app_hidden.can_see_profile, written out so that Postgres evaluates the
-- viewer's relations once per statement and nothing per row but compares.
drop policy if exists select_visible on app_public.users;
create policy select_visible on app_public.users for select using (
  id = (select app_public.current_user_id())
  or (not id = any ((select app_hidden.block_peer_ids(app_public.current_user_id()))::uuid[]) and (
    (select app_public.current_user_is_admin())
    or profile_visibility = 'public'
    or (profile_visibility = 'friends' and id = any ((select app_hidden.friend_ids(app_public.current_user_id()))::uuid[])))));
drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update
  using (id = (select app_public.current_user_id()))
  with check (id = (select app_public.current_user_id()));
drop policy if exists delete_self on app_public.users;
create policy delete_self on app_public.users for delete
  using (id = (select app_public.current_user_id()));
revoke all on app_public.users from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.users to :DATABASE_ANONYMOUS;
grant delete on app_public.users to :DATABASE_VISITOR;
grant update (username, display_name, avatar_url) on app_public.users to :DATABASE_VISITOR;

-- app_private.sessions
alter table app_private.sessions enable row level security;
drop policy if exists no_visitor_access on app_private.sessions;
create policy no_visitor_access on app_private.sessions as restrictive using (false);

-- app_public.user_settings
alter table app_public.user_settings enable row level security;
drop policy if exists select_own on app_public.user_settings;
create policy select_own on app_public.user_settings for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.user_settings;
create policy update_own on app_public.user_settings for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
revoke all on app_public.user_settings from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.user_settings to :DATABASE_VISITOR;
grant update (locale, timezone, preferences) on app_public.user_settings to :DATABASE_VISITOR;

-- app_public.user_emails
alter table app_public.user_emails enable row level security;
drop policy if exists select_own on app_public.user_emails;
create policy select_own on app_public.user_emails for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.user_emails;
create policy insert_own on app_public.user_emails for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.user_emails;
create policy delete_own on app_public.user_emails for delete
  using (user_id = (select app_public.current_user_id()) and not is_primary);
revoke all on app_public.user_emails from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.user_emails to :DATABASE_VISITOR;
grant insert (email) on app_public.user_emails to :DATABASE_VISITOR;

-- app_private.user_flags
alter table app_private.user_flags enable row level security;
drop policy if exists no_visitor_access on app_private.user_flags;
create policy no_visitor_access on app_private.user_flags as restrictive using (false);

-- app_private.user_secrets
alter table app_private.user_secrets enable row level security;
drop policy if exists no_visitor_access on app_private.user_secrets;
create policy no_visitor_access on app_private.user_secrets as restrictive using (false);

-- app_public.api_keys
alter table app_public.api_keys enable row level security;
drop policy if exists select_own on app_public.api_keys;
create policy select_own on app_public.api_keys for select
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.api_keys from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.api_keys to :DATABASE_VISITOR;

-- app_private.api_key_secrets
alter table app_private.api_key_secrets enable row level security;
drop policy if exists no_visitor_access on app_private.api_key_secrets;
create policy no_visitor_access on app_private.api_key_secrets as restrictive using (false);

-- app_private.refresh_tokens
alter table app_private.refresh_tokens enable row level security;
drop policy if exists no_visitor_access on app_private.refresh_tokens;
create policy no_visitor_access on app_private.refresh_tokens as restrictive using (false);

-- app_private.account_tokens
alter table app_private.account_tokens enable row level security;
drop policy if exists no_visitor_access on app_private.account_tokens;
create policy no_visitor_access on app_private.account_tokens as restrictive using (false);

-- app_private.rate_limits
alter table app_private.rate_limits enable row level security;
drop policy if exists no_visitor_access on app_private.rate_limits;
create policy no_visitor_access on app_private.rate_limits as restrictive using (false);
revoke all on app_private.rate_limits from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
--! EndIncluded identity/policies.sql
--! Included identity/comments.sql
-- Comments on the identity tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.api_key_scope is 'READ keys run every request in a read-only transaction; WRITE keys may change data.';
comment on type app_public.created_api_key is 'A new API key and its secret. The secret is never shown again.';
comment on table app_public.users is 'A person using lifegraph. The public profile: anyone may read it.';
comment on column app_public.users.username is 'Unique handle: 3-24 letters, digits or underscores, starting with a letter.';
comment on column app_public.users.display_name is 'The name shown to others.';
comment on column app_public.users.avatar_url is 'An http(s) URL of the profile picture.';
comment on table app_private.sessions is
  'A login (or an API key) of a user. Access tokens name a session; revoking it ends them at once.';
comment on table app_public.user_settings is 'Private settings of a user: only that user can read or change them.';
comment on column app_public.user_settings.locale is 'Language tag such as `en` or `fr-CA`; picks message templates.';
comment on column app_public.user_settings.timezone is 'IANA time zone name; days, weeks and reminders follow it.';
comment on column app_public.user_settings.preferences is 'Free-form client preferences (a JSON object).';
comment on table app_public.user_emails is 'Email addresses of a user; private to that user.';
comment on column app_public.user_emails.is_verified is 'Set by the verification flow, never by the user.';
comment on column app_public.user_emails.is_primary is 'The address messages go to; the primary one cannot be deleted.';
comment on column app_public.users.profile_visibility is E'@behavior -*\nA copy of privacySetting.profileVisibility, kept by the database for the users policy.';
comment on table app_private.user_flags is 'Whether a user is an administrator, and has verified an email address: never public.';
comment on table app_private.user_secrets is 'Password hash (bcrypt) of a user. Failed sign-ins are counted by the gateway in app_private.rate_limits.';
comment on table app_public.api_keys is 'Long-lived credentials for scripts. The secret is shown once; only its hash is kept.';
comment on column app_public.api_keys.token_prefix is 'The first characters of the secret, to recognise a key.';
comment on table app_private.api_key_secrets is 'SHA-256 of each API key secret.';
comment on table app_private.refresh_tokens is
  'Every refresh token a session was given (hashed). A rotated one presented again revokes the session.';
comment on table app_private.account_tokens is
  'Single-use, expiring tokens of the email-verification and password-reset links; only their SHA-256 is kept.';
comment on column app_public.user_emails.email is 'Unique among verified addresses only: adding one another account has verified answers as usual, and mails its owner.';
comment on constraint user_email_once_per_user on app_public.user_emails is
  E'@behavior -single -update -delete\nAn address appears once per user.';
comment on table app_private.rate_limits is
  'Counters of rate-limiter-flexible (src/identity/rate-limits.ts), shared by every gateway: key, points used, expiry in ms since the epoch.';
--! EndIncluded identity/comments.sql

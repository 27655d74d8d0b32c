--! Previous: -
--! Hash: sha1:7e6cd7e77d21b34643e35b46a0b96f5da8787f86

--------------------------------------------------------------------------------
-- platform: extensions, schemas, privileges, shared trigger functions
--------------------------------------------------------------------------------
-- pgcrypto and citext are trusted extensions: the database owner may create them.
create extension if not exists pgcrypto with schema public;
create extension if not exists citext with schema public;

drop schema if exists app_public cascade;
drop schema if exists app_hidden cascade;
drop schema if exists app_private cascade;

-- Functions are not executable by PUBLIC unless we grant it one by one.
alter default privileges revoke all on functions from public;

create schema app_public;
create schema app_hidden;
create schema app_private;
comment on schema app_public is 'Exposed through GraphQL; every table is guarded by row-level security.';
comment on schema app_hidden is 'Usable by the visitor but not exposed in GraphQL.';
comment on schema app_private is 'Secrets and internal functions: no visitor access at all.';

-- The anonymous role is granted to the visitor (src/db/roles.ts), so the
-- visitor can do everything the anonymous role can.
grant usage on schema public, app_public, app_hidden to :DATABASE_ANONYMOUS;
alter default privileges in schema app_public, app_hidden
  grant usage, select on sequences to :DATABASE_VISITOR;

create function app_private.tg__timestamps() returns trigger as $$
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

create function app_public.is_valid_timezone(tz text) returns boolean as $$
  select exists (select 1 from pg_catalog.pg_timezone_names where name = tz);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.is_valid_timezone(text) is
  'True when the text is one of the time zone names Postgres knows (e.g. `Europe/Paris`).';
grant execute on function app_public.is_valid_timezone(text) to :DATABASE_ANONYMOUS;

--------------------------------------------------------------------------------
-- identity: users, settings, emails, passwords, sessions, API keys
--------------------------------------------------------------------------------
create table app_public.users (
  id uuid primary key default gen_random_uuid(),
  username citext not null unique
    constraint username_format check (username ~ '^[a-zA-Z][a-zA-Z0-9_]{2,23}$'),
  display_name text
    constraint display_name_length check (char_length(display_name) between 1 and 80),
  avatar_url text
    constraint avatar_url_format check (avatar_url ~ '^https?://[^\s]+$'),
  is_admin boolean not null default false,
  is_verified boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table app_public.users enable row level security;
create trigger _100_timestamps before insert or update on app_public.users
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.users is 'A person using lifegraph. The public profile: anyone may read it.';
comment on column app_public.users.username is 'Unique handle: 3-24 letters, digits or underscores, starting with a letter.';
comment on column app_public.users.display_name is 'The name shown to others.';
comment on column app_public.users.avatar_url is 'An http(s) URL of the profile picture.';
comment on column app_public.users.is_admin is 'Administrators may manage shared data. Never writable by users.';
comment on column app_public.users.is_verified is 'True once the user has verified an email address.';

create table app_private.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  kind text not null default 'login' constraint session_kind check (kind in ('login', 'api_key')),
  created_at timestamptz not null default now(),
  last_active_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
alter table app_private.sessions enable row level security;
create policy no_visitor_access on app_private.sessions as restrictive using (false);
create index on app_private.sessions (user_id);
create index sessions_prunable_idx on app_private.sessions (coalesce(revoked_at, expires_at));
comment on table app_private.sessions is
  'A login (or an API key) of a user. Access tokens name a session; revoking it ends them at once.';

create function app_public.current_session_id() returns uuid as $$
  select nullif(pg_catalog.current_setting('jwt.claims.session_id', true), '')::uuid;
$$ language sql stable;
comment on function app_public.current_session_id() is
  'The session the request runs under, as set by the gateway from a verified token.';
grant execute on function app_public.current_session_id() to :DATABASE_ANONYMOUS;

-- Definer: the visitor cannot read app_private.sessions, and a forged or
-- revoked session id must resolve to nobody.
create function app_public.current_user_id() returns uuid as $$
  select user_id from app_private.sessions
  where id = app_public.current_session_id()
    and revoked_at is null
    and expires_at > now();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_id() is
  'The user of the current session, or null when anonymous, expired or revoked.';
grant execute on function app_public.current_user_id() to :DATABASE_ANONYMOUS;

create function app_public.current_user_is_admin() returns boolean as $$
  select coalesce((select is_admin from app_public.users where id = app_public.current_user_id()), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_is_admin() is 'True when the current user is an administrator.';
grant execute on function app_public.current_user_is_admin() to :DATABASE_ANONYMOUS;

create policy select_all on app_public.users for select using (true);
create policy update_self on app_public.users for update
  using (id = (select app_public.current_user_id()))
  with check (id = (select app_public.current_user_id()));
create policy delete_self on app_public.users for delete
  using (id = (select app_public.current_user_id()));
grant select on app_public.users to :DATABASE_ANONYMOUS;
grant update (username, display_name, avatar_url) on app_public.users to :DATABASE_VISITOR;
grant delete on app_public.users to :DATABASE_VISITOR;

create function app_public.current_user() returns app_public.users as $$
  select users.* from app_public.users where id = app_public.current_user_id();
$$ language sql stable;
comment on function app_public.current_user() is 'The signed-in user, or null.';
grant execute on function app_public.current_user() to :DATABASE_ANONYMOUS;

create table app_public.user_settings (
  user_id uuid primary key references app_public.users on delete cascade,
  locale text not null default 'en'
    constraint locale_format check (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  timezone text not null default 'UTC'
    constraint timezone_known check (app_public.is_valid_timezone(timezone)),
  preferences jsonb not null default '{}'
    constraint preferences_is_object check (jsonb_typeof(preferences) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table app_public.user_settings enable row level security;
create trigger _100_timestamps before insert or update on app_public.user_settings
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.user_settings is 'Private settings of a user: only that user can read or change them.';
comment on column app_public.user_settings.locale is 'Language tag such as `en` or `fr-CA`; picks message templates.';
comment on column app_public.user_settings.timezone is 'IANA time zone name; days, weeks and reminders follow it.';
comment on column app_public.user_settings.preferences is 'Free-form client preferences (a JSON object).';
create policy select_own on app_public.user_settings for select
  using (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.user_settings for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
grant select on app_public.user_settings to :DATABASE_VISITOR;
grant update (locale, timezone, preferences) on app_public.user_settings to :DATABASE_VISITOR;

create table app_public.user_emails (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id()
    references app_public.users on delete cascade,
  email citext not null unique
    constraint email_format check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  is_verified boolean not null default false,
  is_primary boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table app_public.user_emails enable row level security;
create index on app_public.user_emails (user_id);
create unique index user_emails_one_primary on app_public.user_emails (user_id) where is_primary;
create trigger _100_timestamps before insert or update on app_public.user_emails
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.user_emails is 'Email addresses of a user; private to that user.';
comment on column app_public.user_emails.is_verified is 'Set by the verification flow, never by the user.';
comment on column app_public.user_emails.is_primary is 'The address messages go to; the primary one cannot be deleted.';
create policy select_own on app_public.user_emails for select
  using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.user_emails for insert
  with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.user_emails for delete
  using (user_id = (select app_public.current_user_id()) and not is_primary);
grant select, delete on app_public.user_emails to :DATABASE_VISITOR;
grant insert (email) on app_public.user_emails to :DATABASE_VISITOR;

create table app_private.user_secrets (
  user_id uuid primary key references app_public.users on delete cascade,
  password_hash text,
  failed_login_attempts int not null default 0,
  first_failed_login_at timestamptz,
  locked_until timestamptz,
  password_changed_at timestamptz
);
alter table app_private.user_secrets enable row level security;
create policy no_visitor_access on app_private.user_secrets as restrictive using (false);
comment on table app_private.user_secrets is 'Password hash (bcrypt) and the failed-login counter of a user.';

create type app_public.api_key_scope as enum ('READ', 'WRITE');
comment on type app_public.api_key_scope is 'READ keys run every request in a read-only transaction; WRITE keys may change data.';

create table app_public.api_keys (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  name text not null constraint api_key_name_length check (char_length(name) between 1 and 80),
  scopes app_public.api_key_scope[] not null
    constraint api_key_scopes_not_empty check (cardinality(scopes) > 0),
  token_prefix text not null,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
alter table app_public.api_keys enable row level security;
create index on app_public.api_keys (user_id);
comment on table app_public.api_keys is 'Long-lived credentials for scripts. The secret is shown once; only its hash is kept.';
comment on column app_public.api_keys.token_prefix is 'The first characters of the secret, to recognise a key.';
create policy select_own on app_public.api_keys for select
  using (user_id = (select app_public.current_user_id()));
grant select on app_public.api_keys to :DATABASE_VISITOR;

alter table app_private.sessions add column api_key_id uuid unique
  references app_public.api_keys on delete cascade;
alter table app_private.sessions add constraint api_key_session
  check ((kind = 'api_key') = (api_key_id is not null));

create table app_private.api_key_secrets (
  api_key_id uuid primary key references app_public.api_keys on delete cascade,
  secret_hash bytea not null unique
);
alter table app_private.api_key_secrets enable row level security;
create policy no_visitor_access on app_private.api_key_secrets as restrictive using (false);
comment on table app_private.api_key_secrets is 'SHA-256 of each API key secret.';

create table app_private.refresh_tokens (
  token_hash bytea primary key,
  session_id uuid not null references app_private.sessions on delete cascade,
  created_at timestamptz not null default now(),
  rotated_at timestamptz
);
alter table app_private.refresh_tokens enable row level security;
create policy no_visitor_access on app_private.refresh_tokens as restrictive using (false);
create index on app_private.refresh_tokens (session_id);
comment on table app_private.refresh_tokens is
  'Every refresh token a session was given (hashed). A rotated one presented again revokes the session.';

-- Result of the credential functions the gateway calls as the owner.
create type app_private.auth_result as (
  outcome text,          -- 'OK' or an error code such as LOGIN, LOCKD, TOKEN
  user_id uuid,
  session_id uuid,
  refresh_token text
);

create function app_private.assert_strong_password(password text, username text) returns void as $$
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

create function app_private.issue_session(user_id uuid, ttl interval) returns app_private.auth_result as $$
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

create function app_private.really_create_user(username text, email text, password text,
  display_name text) returns app_public.users as $$
declare
  v_user app_public.users;
begin
  perform app_private.assert_strong_password(password, username);
  if exists (select 1 from app_public.users u where u.username = really_create_user.username::citext) then
    raise exception 'That username is already taken.' using errcode = 'NUNIQ';
  end if;
  if exists (select 1 from app_public.user_emails e where e.email = really_create_user.email::citext) then
    raise exception 'That email address is already registered.' using errcode = 'NUNIQ';
  end if;
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

create function app_private.register(username text, email text, password text,
  display_name text, session_ttl interval) returns app_private.auth_result as $$
  select app_private.issue_session(
    (app_private.really_create_user(username, email, password, display_name)).id, session_ttl);
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.register(text, text, text, text, interval) is
  'Creates a user and opens a session. Called by the gateway as the owner.';

-- Returns an outcome instead of raising, so that the failed-login counter is
-- committed even though the GraphQL request fails (graphile/starter's reasoning).
create function app_private.login(login text, password text, session_ttl interval,
  max_attempts int, attempt_window interval, lockout interval) returns app_private.auth_result as $$
declare
  v_user_id uuid;
  v_secret app_private.user_secrets;
begin
  select u.id into v_user_id from app_public.users u where u.username = login::citext;
  if v_user_id is null then
    select e.user_id into v_user_id from app_public.user_emails e where e.email = login::citext;
  end if;
  if v_user_id is null then
    -- Spend the same time as a real check, so timing does not reveal accounts.
    perform crypt(password, gen_salt('bf', 10));
    return row('LOGIN', null, null, null)::app_private.auth_result;
  end if;

  select * into v_secret from app_private.user_secrets s where s.user_id = v_user_id for update;
  if v_secret.locked_until > now() then
    return row('LOCKD', null, null, null)::app_private.auth_result;
  end if;
  if v_secret.password_hash is null or v_secret.password_hash <> crypt(password, v_secret.password_hash) then
    update app_private.user_secrets s set
      failed_login_attempts = case when s.first_failed_login_at > now() - attempt_window
        then s.failed_login_attempts + 1 else 1 end,
      first_failed_login_at = case when s.first_failed_login_at > now() - attempt_window
        then s.first_failed_login_at else now() end
    where s.user_id = v_user_id
    returning * into v_secret;
    if v_secret.failed_login_attempts >= max_attempts then
      update app_private.user_secrets s
        set locked_until = now() + lockout, failed_login_attempts = 0, first_failed_login_at = null
        where s.user_id = v_user_id;
    end if;
    return row('LOGIN', null, null, null)::app_private.auth_result;
  end if;

  update app_private.user_secrets s
    set failed_login_attempts = 0, first_failed_login_at = null, locked_until = null
    where s.user_id = v_user_id;
  return app_private.issue_session(v_user_id, session_ttl);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.login(text, text, interval, int, interval, interval) is
  'Checks a username-or-email and password; counts failures and locks the account after too many.';

create function app_private.refresh_session(refresh_token text, session_ttl interval)
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

create function app_private.touch_session(session_id uuid, user_id uuid) returns boolean as $$
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

create function app_private.authenticate_api_key(secret text)
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

create function app_private.assert_login_session() returns uuid as $$
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

create function app_public.logout() returns boolean as $$
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

create function app_public.change_password(old_password text, new_password text) returns boolean as $$
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

create type app_public.created_api_key as (
  api_key_id uuid,
  secret text
);
comment on type app_public.created_api_key is 'A new API key and its secret. The secret is never shown again.';

create function app_public.create_api_key(name text, scopes app_public.api_key_scope[],
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

create function app_public.revoke_api_key(api_key_id uuid) returns app_public.api_keys as $$
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

create function app_private.tg_users__create_settings() returns trigger as $$
begin
  insert into app_public.user_settings (user_id) values (new.id);
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
create trigger _500_create_settings after insert on app_public.users
  for each row execute procedure app_private.tg_users__create_settings();

create function app_private.prune_sessions(retention interval) returns int as $$
  with pruned as (
    delete from app_private.sessions
    where kind = 'login' and coalesce(revoked_at, expires_at) < now() - retention
    returning 1
  )
  select count(*)::int from pruned;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.prune_sessions(interval) is
  'Deletes login sessions that ended (revoked or expired) longer ago than the retention period.';

--! Previous: sha1:fd36130ca554cfd319d4ceb1d34de2ff00c7ec89
--! Hash: sha1:9d32f5fc006ef04cdd3b6e5afeb07f7022f4aad5
--! Message: Every definition moves into its fixture

-- Every current definition moves into its fixture under migrations/fixtures/
-- (one home per object; see docs/conventions.md). Re-creating them here
-- changes nothing: the schema dump before and after is the same.

-- Its policies are now written out in each domain's policies fixture.
drop function app_private.apply_owner_policies(regclass);

--! Included platform/schemas.sql
-- The schemas, what each role may use in them, and default privileges.

-- Functions are not executable by PUBLIC unless we grant it one by one.
alter default privileges revoke all on functions from public;

comment on schema app_public is 'Exposed through GraphQL; every table is guarded by row-level security.';

comment on schema app_hidden is 'Usable by the visitor but not exposed in GraphQL.';

comment on schema app_private is 'Secrets and internal functions: no visitor access at all.';

-- The anonymous role is granted to the visitor (src/db/roles.ts), so the
-- visitor can do everything the anonymous role can.
grant usage on schema public, app_public, app_hidden to :DATABASE_ANONYMOUS;

alter default privileges in schema app_public, app_hidden
  grant usage, select on sequences to :DATABASE_VISITOR;
--! EndIncluded platform/schemas.sql
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
--! EndIncluded platform/triggers.sql
--! Included platform/policies.sql
-- Row-level security and grants of the platform tables: who may read and write what.

-- app_private.time_zone_names
alter table app_private.time_zone_names enable row level security;
drop policy if exists no_visitor_access on app_private.time_zone_names;
create policy no_visitor_access on app_private.time_zone_names as restrictive using (false);
--! EndIncluded platform/policies.sql
--! Included platform/comments.sql
-- Comments on the platform tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on table app_private.time_zone_names is 'The time zone names Postgres knew when this migration ran: a fast path for is_valid_timezone.';
--! EndIncluded platform/comments.sql
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
  select coalesce((select is_admin from app_public.users where id = app_public.current_user_id()), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_is_admin() is 'True when the current user is an administrator.';
grant execute on function app_public.current_user_is_admin() to :DATABASE_ANONYMOUS;

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

create or replace function app_private.register(username text, email text, password text,
  display_name text, session_ttl interval) returns app_private.auth_result as $$
  select app_private.issue_session(
    (app_private.really_create_user(username, email, password, display_name)).id, session_ttl);
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.register(text, text, text, text, interval) is
  'Creates a user and opens a session. Called by the gateway as the owner.';

-- Returns an outcome instead of raising, so that the failed-login counter is
-- committed even though the GraphQL request fails (graphile/starter's reasoning).
create or replace function app_private.login(login text, password text, session_ttl interval,
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

create or replace function app_private.send_email_verification(email_id uuid) returns void as $$
  select app_private.notify(e.user_id, 'account.verify_email',
    jsonb_build_object('username', u.username, 'email', e.email,
      'token', app_private.issue_account_token(e.user_id, e.id, 'verify_email', interval '24 hours')))
  from app_public.user_emails e join app_public.users u on u.id = e.user_id
  where e.id = send_email_verification.email_id and not e.is_verified;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.send_email_verification(uuid) is 'Mails a verification link to an unverified address.';

create or replace function app_public.verify_email(token text) returns boolean as $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'verify_email');
begin
  update app_public.user_emails set is_verified = true where id = v_token.email_id;
  update app_public.users set is_verified = true where id = v_token.user_id;
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
  select * into v_email from app_public.user_emails e
  where e.email = forgot_password.email::citext
    and (e.is_verified or (e.is_primary and not exists (
      select 1 from app_public.user_emails v where v.user_id = e.user_id and v.is_verified)));
  if found then
    perform app_private.notify(v_email.user_id, 'account.password_reset',
      jsonb_build_object('username', (select username from app_public.users where id = v_email.user_id),
        'email', v_email.email,
        'token', app_private.issue_account_token(v_email.user_id, v_email.id, 'reset_password', interval '1 hour')));
  end if;
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
  update app_private.user_secrets set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now(),
    failed_login_attempts = 0, first_failed_login_at = null, locked_until = null
    where user_id = v_token.user_id;
  -- Every other reset link dies, and every session ends.
  update app_private.account_tokens set used_at = now()
    where user_id = v_token.user_id and purpose = 'reset_password' and used_at is null;
  update app_private.sessions set revoked_at = now() where user_id = v_token.user_id and revoked_at is null;
  update app_public.api_keys set revoked_at = now() where user_id = v_token.user_id and revoked_at is null;
  -- The link proves the address.
  update app_public.user_emails set is_verified = true where id = v_token.email_id;
  update app_public.users set is_verified = true where id = v_token.user_id;
  perform app_private.notify(v_token.user_id, 'account.password_changed', jsonb_build_object('username', v_username));
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.reset_password(text, text) is
  'Sets a new password with a reset link''s token (TOKEN when invalid, WEAKP when weak) and ends every session, API keys included.';
--! EndIncluded identity/functions.sql
--! Included identity/triggers.sql
-- Trigger functions and triggers of the identity domain.

create or replace function app_private.tg_users__create_settings() returns trigger as $$
begin
  insert into app_public.user_settings (user_id) values (new.id);
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
--! EndIncluded identity/triggers.sql
--! Included identity/policies.sql
-- Row-level security and grants of the identity tables: who may read and write what.

-- app_public.users
alter table app_public.users enable row level security;
drop policy if exists select_all on app_public.users;
create policy select_all on app_public.users for select using (true);
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
--! EndIncluded identity/policies.sql
--! Included identity/comments.sql
-- Comments on the identity tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.api_key_scope is 'READ keys run every request in a read-only transaction; WRITE keys may change data.';
comment on type app_public.created_api_key is 'A new API key and its secret. The secret is never shown again.';
comment on table app_public.users is 'A person using lifegraph. The public profile: anyone may read it.';
comment on column app_public.users.username is 'Unique handle: 3-24 letters, digits or underscores, starting with a letter.';
comment on column app_public.users.display_name is 'The name shown to others.';
comment on column app_public.users.avatar_url is 'An http(s) URL of the profile picture.';
comment on column app_public.users.is_admin is 'Administrators may manage shared data. Never writable by users.';
comment on column app_public.users.is_verified is 'True once the user has verified an email address.';
comment on table app_private.sessions is
  'A login (or an API key) of a user. Access tokens name a session; revoking it ends them at once.';
comment on table app_public.user_settings is 'Private settings of a user: only that user can read or change them.';
comment on column app_public.user_settings.locale is 'Language tag such as `en` or `fr-CA`; picks message templates.';
comment on column app_public.user_settings.timezone is 'IANA time zone name; days, weeks and reminders follow it.';
comment on column app_public.user_settings.preferences is 'Free-form client preferences (a JSON object).';
comment on table app_public.user_emails is 'Email addresses of a user; private to that user.';
comment on column app_public.user_emails.is_verified is 'Set by the verification flow, never by the user.';
comment on column app_public.user_emails.is_primary is 'The address messages go to; the primary one cannot be deleted.';
comment on table app_private.user_secrets is 'Password hash (bcrypt) and the failed-login counter of a user.';
comment on table app_public.api_keys is 'Long-lived credentials for scripts. The secret is shown once; only its hash is kept.';
comment on column app_public.api_keys.token_prefix is 'The first characters of the secret, to recognise a key.';
comment on table app_private.api_key_secrets is 'SHA-256 of each API key secret.';
comment on table app_private.refresh_tokens is
  'Every refresh token a session was given (hashed). A rotated one presented again revokes the session.';
comment on table app_private.account_tokens is
  'Single-use, expiring tokens of the email-verification and password-reset links; only their SHA-256 is kept.';
--! EndIncluded identity/comments.sql
--! Included areas/functions.sql
-- Functions of the areas domain: the current definition of each, with its comment and grants.

-- Shared helpers of the life domain. Invoker functions: under the visitor,
-- row-level security limits them to the caller's own settings.
create or replace function app_hidden.user_timezone(user_id uuid) returns text as $$
  select coalesce((select s.timezone from app_public.user_settings s where s.user_id = user_timezone.user_id), 'UTC');
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.user_timezone(uuid) is 'The user''s time zone name (UTC when unset).';
grant execute on function app_hidden.user_timezone(uuid), app_hidden.user_today(uuid) to :DATABASE_VISITOR;

create or replace function app_hidden.user_today(user_id uuid) returns date as $$
  select (now() at time zone app_hidden.user_timezone(user_id))::date;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.user_today(uuid) is 'Today''s date in the user''s time zone.';

create or replace function app_hidden.area_weights(user_id uuid) returns table (area_id int, weight numeric) as $$
  select a.id, coalesce(w.weight, a.default_weight)
  from app_public.life_areas a
  left join app_public.user_area_weights w on w.area_id = a.id and w.user_id = area_weights.user_id
  where a.is_active;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.area_weights(uuid) is 'The weights a user''s global fulfillment score uses, per active area.';
grant execute on function app_hidden.area_weights(uuid) to :DATABASE_VISITOR;

create or replace function app_public.set_area_weights(area_codes text[], weights numeric[])
returns setof app_public.user_area_weights as $$
begin
  if app_public.current_user_id() is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if cardinality(area_codes) is distinct from cardinality(weights) then
    raise exception 'Give one weight per area code.' using errcode = 'BADIN';
  end if;
  if exists (select 1 from unnest(area_codes) c where c not in (select code from app_public.life_areas)) then
    raise exception 'Unknown area code in %.', area_codes using errcode = 'NOFND';
  end if;
  delete from app_public.user_area_weights where user_id = app_public.current_user_id();
  insert into app_public.user_area_weights (area_id, weight)
    select a.id, x.weight from unnest(area_codes, weights) as x(code, weight) join app_public.life_areas a using (code);
  -- Check the sum now so the caller gets the error from this mutation.
  set constraints app_public._900_weights_sum immediate;
  return query select * from app_public.user_area_weights where user_id = app_public.current_user_id();
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.set_area_weights(text[], numeric[]) is
  'Replaces your area weights: one weight per area code; areas left out keep their default. The effective weights must sum to 1 (± 0.001), else WEIGH. An empty list restores the defaults.';
grant execute on function app_public.set_area_weights(text[], numeric[]) to :DATABASE_VISITOR;

create or replace function app_public.set_default_area_weights(area_codes text[], weights numeric[])
returns setof app_public.life_areas as $$
begin
  perform app_private.assert_admin();
  if cardinality(area_codes) is distinct from cardinality(weights) then
    raise exception 'Give one weight per area code.' using errcode = 'BADIN';
  end if;
  update app_public.life_areas a set default_weight = x.weight
    from unnest(area_codes, weights) as x(code, weight) where a.code = x.code;
  set constraints app_public._900_weights_sum immediate;
  return query select * from app_public.life_areas order by position;
end;
-- Definer: the admin check lives in app_private, out of the visitor's reach.
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.set_default_area_weights(text[], numeric[]) is
  'Administrators: changes several default area weights at once; active areas must still sum to exactly 1 (else WEIGH).';
grant execute on function app_public.set_default_area_weights(text[], numeric[]) to :DATABASE_VISITOR;

-- An area's dimension weights sum to 1, checked at commit: changing one alone
-- can never pass, so administrators set them together.
create or replace function app_public.set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[])
returns setof app_public.area_dimensions as $$
declare
  v_area_id int;
begin
  perform app_private.assert_admin();
  select a.id into v_area_id from app_public.life_areas a where a.code = set_default_dimension_weights.area_code;
  if v_area_id is null then
    raise exception 'Unknown life area %.', area_code using errcode = 'NOFND';
  end if;
  if cardinality(dimension_codes) is distinct from cardinality(weights) then
    raise exception 'Give one weight per dimension code.' using errcode = 'BADIN';
  end if;
  if exists (select 1 from unnest(dimension_codes) c
      where c not in (select d.code from app_public.area_dimensions d where d.area_id = v_area_id)) then
    raise exception 'Unknown dimension of % in %.', area_code, dimension_codes using errcode = 'NOFND';
  end if;
  update app_public.area_dimensions d set default_weight = x.weight
    from unnest(dimension_codes, weights) as x(code, weight) where d.area_id = v_area_id and d.code = x.code;
  set constraints app_public._900_weights_sum immediate;
  return query select * from app_public.area_dimensions d where d.area_id = v_area_id order by d.code;
end;
-- Definer: the admin check lives in app_private, out of the visitor's reach.
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.set_default_dimension_weights(text, text[], numeric[]) is
  'Administrators: changes an area''s dimension weights at once; they must still sum to exactly 1 (else WEIGH).';
grant execute on function app_public.set_default_dimension_weights(text, text[], numeric[]) to :DATABASE_VISITOR;
--! EndIncluded areas/functions.sql
--! Included areas/triggers.sql
-- Trigger functions and triggers of the areas domain.

-- Deferred constraint triggers: several rows may change in one transaction,
-- and the sums are checked once at commit.
create or replace function app_private.tg__assert_weights_sum() returns trigger as $$
declare
  v_bad record;
begin
  if tg_table_name = 'user_area_weights' then
    select sum(w.weight) as total into v_bad from app_hidden.area_weights(coalesce(new.user_id, old.user_id)) w;
    if abs(v_bad.total - 1) > 0.001 then
      raise exception 'Area weights must sum to 1 (they sum to %).', round(v_bad.total, 4)
        using errcode = 'WEIGH', hint = 'Save all weights at once with setAreaWeights.';
    end if;
  elsif tg_table_name = 'life_areas' then
    select sum(default_weight) as total into v_bad from app_public.life_areas where is_active;
    if v_bad.total <> 1 then
      raise exception 'Default weights of active areas must sum to exactly 1 (they sum to %).', v_bad.total using errcode = 'WEIGH';
    end if;
  else
    select d.area_id, sum(d.default_weight) as total into v_bad from app_public.area_dimensions d
      where d.area_id = coalesce(new.area_id, old.area_id) group by d.area_id;
    if v_bad.total <> 1 then
      raise exception 'Dimension weights of an area must sum to exactly 1 (they sum to %).', v_bad.total using errcode = 'WEIGH';
    end if;
  end if;
  return null;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__assert_weights_sum() is 'Constraint trigger: area and dimension weights keep summing to 1.';

create or replace trigger _100_timestamps before insert or update on app_public.life_areas
  for each row execute procedure app_private.tg__timestamps();

drop trigger if exists _900_weights_sum on app_public.life_areas;
create constraint trigger _900_weights_sum after insert or update or delete on app_public.life_areas
  deferrable initially deferred for each row execute procedure app_private.tg__assert_weights_sum();

create or replace trigger _100_timestamps before insert or update on app_public.area_dimensions
  for each row execute procedure app_private.tg__timestamps();

drop trigger if exists _900_weights_sum on app_public.area_dimensions;
create constraint trigger _900_weights_sum after insert or update or delete on app_public.area_dimensions
  deferrable initially deferred for each row execute procedure app_private.tg__assert_weights_sum();

create or replace trigger _100_timestamps before insert or update on app_public.user_area_weights
  for each row execute procedure app_private.tg__timestamps();

drop trigger if exists _900_weights_sum on app_public.user_area_weights;
create constraint trigger _900_weights_sum after insert or update or delete on app_public.user_area_weights
  deferrable initially deferred for each row execute procedure app_private.tg__assert_weights_sum();
--! EndIncluded areas/triggers.sql
--! Included areas/policies.sql
-- Row-level security and grants of the areas tables: who may read and write what.

-- app_public.life_areas
alter table app_public.life_areas enable row level security;
drop policy if exists select_all on app_public.life_areas;
create policy select_all on app_public.life_areas for select using (true);
drop policy if exists update_admin on app_public.life_areas;
create policy update_admin on app_public.life_areas for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
revoke all on app_public.life_areas from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.life_areas to :DATABASE_ANONYMOUS;
grant update (name, emoji, color, default_weight, is_active, position) on app_public.life_areas to :DATABASE_VISITOR;

-- app_public.area_dimensions
alter table app_public.area_dimensions enable row level security;
drop policy if exists select_all on app_public.area_dimensions;
create policy select_all on app_public.area_dimensions for select using (true);
drop policy if exists update_admin on app_public.area_dimensions;
create policy update_admin on app_public.area_dimensions for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
revoke all on app_public.area_dimensions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.area_dimensions to :DATABASE_ANONYMOUS;
grant update (name, default_weight) on app_public.area_dimensions to :DATABASE_VISITOR;

-- app_public.user_area_weights
alter table app_public.user_area_weights enable row level security;
drop policy if exists select_own on app_public.user_area_weights;
create policy select_own on app_public.user_area_weights for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.user_area_weights;
create policy insert_own on app_public.user_area_weights for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.user_area_weights;
create policy update_own on app_public.user_area_weights for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.user_area_weights;
create policy delete_own on app_public.user_area_weights for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.user_area_weights from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.user_area_weights to :DATABASE_VISITOR;
grant insert (area_id, weight) on app_public.user_area_weights to :DATABASE_VISITOR;
grant update (weight) on app_public.user_area_weights to :DATABASE_VISITOR;
--! EndIncluded areas/policies.sql
--! Included areas/comments.sql
-- Comments on the areas tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on table app_public.life_areas is
  E'The 16 areas of a life a user scores (Work, Purpose, Health…). Shared by everyone; administrators maintain them.';
comment on column app_public.life_areas.code is 'Stable three-letter code, e.g. `WRK`.';
comment on column app_public.life_areas.color is 'Hex colour for charts, e.g. `#2F80ED`.';
comment on column app_public.life_areas.default_weight is
  'Share of this area in the global fulfillment score when a user has not chosen weights. Active areas sum to 1.';
comment on column app_public.life_areas.position is 'Display order.';
comment on table app_public.area_dimensions is
  'A measurable facet of a life area (Work → throughput, quality). Weights within an area sum to 1.';
comment on constraint area_dimensions_area_id_fkey on app_public.area_dimensions is E'@fieldName area\n@foreignFieldName dimensions';
comment on table app_public.user_area_weights is
  'A user''s own weight for an area, replacing its default. A user''s effective weights over active areas sum to 1 (± 0.001); save them together with `setAreaWeights`.';
comment on column app_public.user_area_weights.weight is 'Your weight for the area in your fulfillment score; your weights sum to 1. Set them all at once with setAreaWeights.';
--! EndIncluded areas/comments.sql
--! Included journal/functions.sql
-- Functions of the journal domain: the current definition of each, with its comment and grants.

create or replace function app_private.save_journal_analysis(entry_id uuid, analysed_content text,
  sentiment numeric, summary text) returns boolean as $$
  -- Only when the content is still what was analysed: a newer edit has its own job.
  update app_public.journal_entries e
    set sentiment = round(greatest(-1, least(1, save_journal_analysis.sentiment)), 3),
        summary = save_journal_analysis.summary, analysed_at = now()
  where e.id = save_journal_analysis.entry_id and e.content_md = analysed_content
  returning true;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.save_journal_analysis(uuid, text, numeric, text) is
  'Stores the analyser''s result unless the entry changed since.';
--! EndIncluded journal/functions.sql
--! Included journal/triggers.sql
-- Trigger functions and triggers of the journal domain.

-- Definer: the visitor has no access to graphile_worker. The job key makes a
-- burst of edits one analysis; run_at leaves a few seconds for the burst.
create or replace function app_private.tg_journal_entries__analyse() returns trigger as $$
begin
  if tg_op = 'INSERT' or new.content_md is distinct from old.content_md then
    perform graphile_worker.add_job('journal__analyse', json_build_object('entry_id', new.id),
      job_key := 'journal__analyse:' || new.id, run_at := now() + interval '3 seconds', max_attempts := 5);
  end if;
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_journal_entries__analyse() is 'Enqueues the analysis of a new or edited entry, once per burst of edits.';

create or replace trigger _100_timestamps before insert or update on app_public.journal_entries
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_analyse after insert or update of content_md on app_public.journal_entries
  for each row execute procedure app_private.tg_journal_entries__analyse();
--! EndIncluded journal/triggers.sql
--! Included journal/policies.sql
-- Row-level security and grants of the journal tables: who may read and write what.

-- app_public.journal_entries
alter table app_public.journal_entries enable row level security;
drop policy if exists select_own on app_public.journal_entries;
create policy select_own on app_public.journal_entries for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.journal_entries;
create policy insert_own on app_public.journal_entries for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.journal_entries;
create policy update_own on app_public.journal_entries for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.journal_entries;
create policy delete_own on app_public.journal_entries for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.journal_entries from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.journal_entries to :DATABASE_VISITOR;
grant insert (entry_date, title, content_md, tags) on app_public.journal_entries to :DATABASE_VISITOR;
grant update (entry_date, title, content_md, tags) on app_public.journal_entries to :DATABASE_VISITOR;

-- app_public.journal_entry_areas
alter table app_public.journal_entry_areas enable row level security;
drop policy if exists select_own on app_public.journal_entry_areas;
create policy select_own on app_public.journal_entry_areas for select using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.journal_entry_areas;
create policy insert_own on app_public.journal_entry_areas for insert with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.journal_entry_areas;
create policy delete_own on app_public.journal_entry_areas for delete using (user_id = (select app_public.current_user_id()));
revoke all on app_public.journal_entry_areas from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.journal_entry_areas to :DATABASE_VISITOR;
grant insert (entry_id, area_id) on app_public.journal_entry_areas to :DATABASE_VISITOR;
--! EndIncluded journal/policies.sql
--! Included journal/comments.sql
-- Comments on the journal tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on table app_public.journal_entries is
  'A journal entry in markdown. Sentiment and summary are filled in by the analyser shortly after each save.';
comment on column app_public.journal_entries.entry_date is 'The day the entry is about (defaults to today in your time zone). At most two days ahead.';
comment on column app_public.journal_entries.sentiment is E'@behavior +filterBy +orderBy\nFrom -1 (negative) to 1 (positive); set by the analyser.';
comment on column app_public.journal_entries.summary is 'A short extractive summary; set by the analyser.';
comment on column app_public.journal_entries.analysed_at is 'When the analyser last processed this entry''s content.';
comment on table app_public.journal_entry_areas is 'The life areas a journal entry is about.';
comment on constraint journal_entry_areas_entry_id_user_id_fkey on app_public.journal_entry_areas is E'@fieldName entry\n@foreignFieldName areas';
--! EndIncluded journal/comments.sql
--! Included scores/functions.sql
-- Functions of the scores domain: the current definition of each, with its comment and grants.

-- No `set search_path`, and a CASE on the enum (not kind::text, whose enum_out
-- is only stable), so that Postgres inlines these into the rollup queries.
create or replace function app_hidden.period_start(kind app_public.period_kind, day date) returns date as $$
  select case kind when 'day' then day when 'week' then date_trunc('week', day::timestamp)::date
    when 'month' then date_trunc('month', day::timestamp)::date else date_trunc('quarter', day::timestamp)::date end;
$$ language sql immutable parallel safe;
comment on function app_hidden.period_start(app_public.period_kind, date) is 'First day of the period containing the day.';
grant execute on function app_hidden.period_start(app_public.period_kind, date),
  app_hidden.period_end(app_public.period_kind, date) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.period_end(kind app_public.period_kind, day date) returns date as $$
  select case kind when 'day' then day when 'week' then date_trunc('week', day::timestamp)::date + 6
    when 'month' then (date_trunc('month', day::timestamp) + interval '1 month')::date - 1
    else (date_trunc('quarter', day::timestamp) + interval '3 months')::date - 1 end;
$$ language sql immutable parallel safe;
comment on function app_hidden.period_end(app_public.period_kind, date) is 'Last day of the period containing the day.';

-- A trend at a day: the mean of the scores in the N days up to it minus the
-- mean of the N days before those, from the running totals of the last day
-- rollups at or before each bound (null when either window has no scores).
create or replace function app_hidden.rollup_trend(user_id uuid, area_id int, anchor date, days int) returns numeric(4,3) as $$
  with bounds as (
    select b.i, coalesce(r.running_tenths, 0) as t, coalesce(r.running_count, 0) as n
    from (values (0), (1), (2)) as b(i)
    left join lateral (
      select running_tenths, running_count from app_public.score_rollups r
      where r.user_id = rollup_trend.user_id and r.area_id = rollup_trend.area_id and r.period_kind = 'day'
        and r.period_start <= anchor - b.i * days
      order by r.period_start desc limit 1
    ) r on true
  ), sums as (
    select max(t) filter (where i = 0) - max(t) filter (where i = 1) as recent_t,
      max(n) filter (where i = 0) - max(n) filter (where i = 1) as recent_n,
      max(t) filter (where i = 1) - max(t) filter (where i = 2) as earlier_t,
      max(n) filter (where i = 1) - max(n) filter (where i = 2) as earlier_n
    from bounds
  )
  select ((recent_t::float8 / nullif(recent_n, 0) - earlier_t::float8 / nullif(earlier_n, 0)) / 10)::numeric(4,3) from sums;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.rollup_trend(uuid, int, date, int) is
  'Mean score of the `days` days up to `anchor` minus that of the `days` days before, for a user and area.';
grant execute on function app_hidden.rollup_trend(uuid, int, date, int) to :DATABASE_VISITOR;

create or replace function app_public.score_rollups_trend_7_days(r app_public.score_rollups) returns numeric as $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 7);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.score_rollups_trend_7_days(app_public.score_rollups) is
  'At the period''s last scored day: mean of the last 7 days minus mean of the 7 days before (null without scores on both sides).';
grant execute on function app_public.score_rollups_trend_7_days(app_public.score_rollups),
  app_public.score_rollups_trend_30_days(app_public.score_rollups),
  app_public.score_rollups_trend_90_days(app_public.score_rollups) to :DATABASE_VISITOR;

create or replace function app_public.score_rollups_trend_30_days(r app_public.score_rollups) returns numeric as $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 30);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.score_rollups_trend_30_days(app_public.score_rollups) is 'As trend7Days, over 30 days.';

create or replace function app_public.score_rollups_trend_90_days(r app_public.score_rollups) returns numeric as $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 90);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.score_rollups_trend_90_days(app_public.score_rollups) is 'As trend7Days, over 90 days.';

-- period_end >= since implies period_start >= since - 91 (no period is longer
-- than 92 days): a bound the primary key can use to skip older rollups.
create or replace function app_private.refresh_queued_rollups() returns int as $$
declare
  v_rows int;
begin
  -- One refresh at a time: a job that starts while another runs waits for it.
  perform pg_advisory_xact_lock(hashtext('lifegraph.scores__rollup'));
  create temp table rollup_targets on commit drop as
    with taken as (delete from app_private.rollup_queue returning user_id, area_id, since) select * from taken;
  delete from app_public.score_rollups r using rollup_targets t
    where r.user_id = t.user_id and r.area_id = t.area_id and r.period_start >= t.since - 91 and r.period_end >= t.since;
  v_rows := app_private.rebuild_rollup_targets();
  drop table rollup_targets;
  return v_rows;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.refresh_queued_rollups() is 'Drains rollup_queue: recomputes just the stale user/area periods.';

create or replace function app_private.recompute_rollups(user_id uuid) returns int as $$
declare
  v_rows int;
begin
  perform pg_advisory_xact_lock(hashtext('lifegraph.scores__rollup'));
  create temp table rollup_targets on commit drop as
    select s.user_id, s.area_id, '-infinity'::date as since from app_public.scores s
    where s.user_id = recompute_rollups.user_id group by s.user_id, s.area_id;
  -- Areas whose scores were all deleted keep no rollups.
  delete from app_public.score_rollups r where r.user_id = recompute_rollups.user_id;
  delete from app_private.rollup_queue q where q.user_id = recompute_rollups.user_id;
  v_rows := app_private.rebuild_rollup_targets();
  drop table rollup_targets;
  return v_rows;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.recompute_rollups(uuid) is 'Recomputes every rollup of one user.';

-- The nightly repair: any (user, area, day) whose day rollup disagrees with
-- the raw scores (a lost job, a manual fix in SQL) is queued and refreshed.
create or replace function app_private.repair_rollups() returns int as $$
  insert into app_private.rollup_queue (user_id, area_id, since)
  select user_id, area_id, min(day) from (
    select coalesce(s.user_id, r.user_id) as user_id, coalesce(s.area_id, r.area_id) as area_id,
      coalesce(s.day, r.period_start) as day
    from (select user_id, area_id, score_date as day, count(*)::int as n, round(avg(score), 3) as score
          from app_public.scores group by 1, 2, 3) s
    full join (select * from app_public.score_rollups where period_kind = 'day') r
      on r.user_id = s.user_id and r.area_id = s.area_id and r.period_start = s.day
    where s.n is distinct from r.sample_count or s.score is distinct from r.score
  ) stale
  where exists (select 1 from app_public.users u where u.id = stale.user_id)
  group by user_id, area_id
  on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  select app_private.refresh_queued_rollups();
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.repair_rollups() is 'Queues every stale (user, area) found by comparing day rollups with raw scores, then refreshes.';

create or replace function app_public.recompute_rollups(user_id uuid default null) returns boolean as $$
begin
  perform app_private.assert_admin();
  if user_id is not null then
    perform graphile_worker.add_job('scores__recompute', json_build_object('user_id', user_id),
      job_key := 'scores__recompute:' || user_id, max_attempts := 3);
  else
    -- One job per partition: the worker runs them side by side.
    perform graphile_worker.add_job('scores__recompute', json_build_object('partition', part),
      job_key := 'scores__recompute:partition:' || part, max_attempts := 3)
    from generate_series(0, 3) part;
  end if;
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.recompute_rollups(uuid) is
  'Administrators: schedules a full recompute of one user''s rollups, or everyone''s when no user is given.';
grant execute on function app_public.recompute_rollups(uuid) to :DATABASE_VISITOR;

create or replace function app_public.record_score(area_code text, score numeric, score_date date default null,
  dimension_code text default null, note text default null) returns app_public.scores as $$
#variable_conflict use_column
declare
  v_area_id int;
  v_dimension_id int;
  v_score app_public.scores;
begin
  select a.id into v_area_id from app_public.life_areas a where a.code = record_score.area_code and a.is_active;
  if v_area_id is null then
    raise exception 'Unknown life area %.', area_code using errcode = 'NOFND';
  end if;
  if dimension_code is not null then
    select d.id into v_dimension_id from app_public.area_dimensions d
      where d.area_id = v_area_id and d.code = record_score.dimension_code;
    if v_dimension_id is null then
      raise exception 'Unknown dimension % of %.', dimension_code, area_code using errcode = 'NOFND';
    end if;
  end if;
  insert into app_public.scores as s (area_id, dimension_id, score_date, score, note)
    values (v_area_id, v_dimension_id, record_score.score_date, record_score.score, record_score.note)
  on conflict (user_id, area_id, dimension_id, score_date) where source = 'manual'
    do update set score = excluded.score, note = excluded.note
  returning * into v_score;
  return v_score;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.record_score(text, numeric, date, text, text) is
  'Records your score (0-5, one decimal) for an area (and optionally one of its dimensions) on a day, today by default. A second score for the same day replaces the first.';
grant execute on function app_public.record_score(text, numeric, date, text, text) to :DATABASE_VISITOR;

create or replace function app_public.users_gfs(u app_public.users, period app_public.period_kind, on_date date default null)
returns app_public.fulfillment_score as $$
  with bounds as (
    select app_hidden.period_start(coalesce(period, 'month'), coalesce(on_date, app_hidden.user_today(u.id))) as ps
  ), parts as (
    select a.id as area_id, a.code, w.weight, r.score, a.position
    from app_hidden.area_weights(u.id) w
    join app_public.life_areas a on a.id = w.area_id
    join bounds on true
    join app_public.score_rollups r on r.user_id = u.id and r.area_id = a.id
      and r.period_kind = coalesce(period, 'month') and r.period_start = bounds.ps
  )
  select row(coalesce(period, 'month'), bounds.ps, app_hidden.period_end(coalesce(period, 'month'), bounds.ps),
    (select round(sum(weight * score) / nullif(sum(weight), 0), 3) from parts),
    (select coalesce(sum(weight), 0) from parts),
    coalesce((select array_agg(row(area_id, code, weight, score, round(weight * score, 4))::app_public.fulfillment_area_score
      order by position) from parts), '{}'))::app_public.fulfillment_score
  -- Row-level security keeps this to your own: another user's rollups (and
  -- weights) are invisible, so their score is null.
  from bounds;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_gfs(app_public.users, app_public.period_kind, date) is
  'Your global fulfillment score for the `period` (a month by default) containing `onDate` (today by default), with each area''s part. Empty for other users.';
grant execute on function app_public.users_gfs(app_public.users, app_public.period_kind, date) to :DATABASE_VISITOR;

-- The one computation of rollups, for the (user, area, since) rows of the
-- temp table rollup_targets: inserts every rollup of those users and areas
-- whose period ends on or after `since`; callers clear what it replaces (a
-- delete through the parent here would lock every partition, and two
-- partition jobs would deadlock). Day rollups carry running totals (every
-- score up to that day), continued from the last day before `since`, so a
-- trend is a difference of running totals (rollup_trend) and nothing here
-- needs sliding windows. Computed per (user, area) and written in key order;
-- raw scores come from the index in day order, from the start of the quarter
-- holding `since` (the longest period it can touch).
create or replace function app_private.rebuild_rollup_targets() returns int as $$
declare
  v_rows int;
begin
  alter table rollup_targets add column base_tenths bigint not null default 0, add column base_count bigint not null default 0;
  -- Running totals continue from the last day before `since`. Only when
  -- there is one: reading through the parent table locks every partition,
  -- which a full recompute (one job per partition, side by side) must not.
  if exists (select 1 from rollup_targets where since > '-infinity') then
    update rollup_targets t set base_tenths = b.running_tenths, base_count = b.running_count
    from rollup_targets k
    cross join lateral (
      select r.running_tenths, r.running_count from app_public.score_rollups r
      where r.user_id = k.user_id and r.area_id = k.area_id and r.period_kind = 'day' and r.period_start < k.since
      order by r.period_start desc limit 1
    ) b
    where k.user_id = t.user_id and k.area_id = t.area_id;
  end if;
  -- One (user, area) at a time, in key order: its raw scores come from the
  -- index in day order, its periods are summed in memory, and the rows
  -- arrive in primary key order, so the index grows at its right edge.
  insert into app_public.score_rollups (user_id, area_id, period_kind, period_start, period_end, score,
    sample_count, covered_days, confidence, last_scored_day, running_tenths, running_count)
  -- round(x, 3) of non-negative rationals, exactly, in integers: floor(1000 x + 1/2).
  select t.user_id, t.area_id, r.kind, r.period_start, r.period_end, ((200 * r.tenths::bigint + r.n) / (2 * r.n)) * 0.001,
    r.n, r.covered_days, ((1000 * (least(r.n, r.period_days) + r.covered_days) + r.period_days) / (2 * r.period_days)) * 0.001,
    r.last_scored_day, t.base_tenths + r.run_tenths, t.base_count + r.run_n
  from (
    select k.*, app_hidden.period_start('quarter', k.since) as read_from from rollup_targets k order by k.user_id, k.area_id
  ) t
  cross join lateral (
    with daily as materialized (
      select s.score_date as day, sum((s.score * 10)::int)::int as tenths, count(*)::int as n
      from app_public.scores s
      where s.user_id = t.user_id and s.area_id = t.area_id and s.score_date >= t.read_from
      group by s.score_date
    )
    select 'day'::app_public.period_kind as kind, day as period_start, day as period_end, tenths, n,
      1 as covered_days, 1 as period_days, day as last_scored_day,
      sum(tenths) over running as run_tenths, sum(n) over running as run_n
    from daily where day >= t.since
    window running as (order by day rows unbounded preceding)
    union all
    select p.kind, p.period_start, e.period_end, p.tenths, p.n, p.covered_days, e.period_end - p.period_start + 1,
      p.last_scored_day, null, null
    from (
      select case when grouping(week) = 0 then 'week' when grouping(month) = 0 then 'month' else 'quarter' end::app_public.period_kind as kind,
        coalesce(week, month, quarter) as period_start,
        sum(tenths)::int as tenths, sum(n)::int as n, count(*)::int as covered_days, max(day) as last_scored_day
      from (select daily.*, date_trunc('week', day::timestamp)::date as week, date_trunc('month', day::timestamp)::date as month,
              date_trunc('quarter', day::timestamp)::date as quarter from daily) d
      group by grouping sets ((week), (month), (quarter))
    ) p
    cross join lateral (select app_hidden.period_end(p.kind, p.period_start) as period_end) e
    where e.period_end >= t.since
  ) r;
  get diagnostics v_rows = row_count;
  return v_rows;
end;
-- Enough memory to sort and hash a partition's days without spilling to disk.
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp set work_mem to '256MB';
comment on function app_private.rebuild_rollup_targets() is
  'Recomputes the rollups named by the temp table rollup_targets(user_id, area_id, since). Returns rows written.';

create or replace function app_private.recompute_rollup_partition(part int) returns int as $$
declare
  v_rows int;
begin
  -- Incremental refreshes wait; other partitions proceed in parallel.
  perform pg_advisory_xact_lock_shared(hashtext('lifegraph.scores__rollup'));
  perform pg_advisory_xact_lock(hashtext('lifegraph.scores__rollup'), part);
  execute format('truncate app_private.score_rollups_p%s', part);
  -- Every area of every user of the partition (one without scores gets no
  -- rows): cheaper than finding the pairs with scores in all of scores.
  create temp table rollup_targets on commit drop as
    select u.id as user_id, a.id as area_id, '-infinity'::date as since
    from app_public.users u cross join app_public.life_areas a
    where satisfies_hash_partition('app_public.score_rollups'::regclass, 4, part, u.id);
  delete from app_private.rollup_queue q
    where satisfies_hash_partition('app_public.score_rollups'::regclass, 4, part, q.user_id);
  v_rows := app_private.rebuild_rollup_targets();
  drop table rollup_targets;
  return v_rows;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.recompute_rollup_partition(int) is
  'Recomputes every rollup of the users in one of the four partitions of score_rollups.';
--! EndIncluded scores/functions.sql
--! Included scores/triggers.sql
-- Trigger functions and triggers of the scores domain.

create or replace function app_private.tg_scores__local_date() returns trigger as $$
begin
  new.score_date := coalesce(new.score_date, (new.recorded_at at time zone app_hidden.user_timezone(new.user_id))::date);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_scores__local_date() is 'A score without a day belongs to the day it was recorded, in the user''s time zone.';

create or replace function app_private.tg_users__delete_rollups() returns trigger as $$
begin
  delete from app_public.score_rollups r using deleted_users d where r.user_id = d.id;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__delete_rollups() is 'Rollups have no foreign key: this removes those of deleted users.';

create or replace function app_private.tg_scores__queue_rollup() returns trigger as $$
begin
  -- A statement's transition tables exist only for its own event.
  if tg_op = 'INSERT' then
    insert into app_private.rollup_queue (user_id, area_id, since)
      select user_id, area_id, min(score_date) from changed_new group by user_id, area_id
    on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  elsif tg_op = 'UPDATE' then
    insert into app_private.rollup_queue (user_id, area_id, since)
      select user_id, area_id, min(score_date) from (
        select user_id, area_id, score_date from changed_new
        union all select user_id, area_id, score_date from changed_old) changed
      group by user_id, area_id
    on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  else
    insert into app_private.rollup_queue (user_id, area_id, since)
      select o.user_id, o.area_id, min(o.score_date) from changed_old o
      -- Rows deleted with their user leave nothing to recompute.
      where exists (select 1 from app_public.users u where u.id = o.user_id)
      group by o.user_id, o.area_id
    on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  end if;
  if found then
    -- One pending job for everything: a burst of writes is one recompute.
    perform graphile_worker.add_job('scores__rollup', '{}'::json, job_key := 'scores__rollup',
      job_key_mode := 'preserve_run_at', run_at := now() + interval '1 second');
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_scores__queue_rollup() is
  'Marks the rollups a statement on scores made stale and schedules their recompute.';

create or replace function app_private.tg_scores__one_decimal() returns trigger as $$
begin
  -- Kept with one decimal, as before (4 is stored as 4.0); a value with a
  -- second decimal is left as it came, for score_one_decimal to refuse.
  if new.score = round(new.score, 1) then
    new.score := round(new.score, 1);
  end if;
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_scores__one_decimal() is 'Scores are stored with exactly one decimal.';

create or replace trigger _900_delete_rollups after delete on app_public.users
  referencing old table as deleted_users for each statement execute procedure app_private.tg_users__delete_rollups();

create or replace trigger _040_one_decimal before insert or update of score on app_public.scores
  for each row execute procedure app_private.tg_scores__one_decimal();

create or replace trigger _050_local_date before insert on app_public.scores
  for each row execute procedure app_private.tg_scores__local_date();

create or replace trigger _100_timestamps before insert or update on app_public.scores
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_queue_rollup_delete after delete on app_public.scores
  referencing old table as changed_old for each statement execute procedure app_private.tg_scores__queue_rollup();

create or replace trigger _500_queue_rollup_insert after insert on app_public.scores
  referencing new table as changed_new for each statement execute procedure app_private.tg_scores__queue_rollup();

create or replace trigger _500_queue_rollup_update after update on app_public.scores
  referencing new table as changed_new old table as changed_old
  for each statement execute procedure app_private.tg_scores__queue_rollup();
--! EndIncluded scores/triggers.sql
--! Included scores/policies.sql
-- Row-level security and grants of the scores tables: who may read and write what.

-- app_public.scores
alter table app_public.scores enable row level security;
drop policy if exists select_own on app_public.scores;
create policy select_own on app_public.scores for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.scores;
create policy insert_own on app_public.scores for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.scores;
create policy update_own on app_public.scores for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.scores;
create policy delete_own on app_public.scores for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.scores from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.scores to :DATABASE_VISITOR;
grant insert (area_id, dimension_id, recorded_at, score_date, score, note) on app_public.scores to :DATABASE_VISITOR;
grant update (score, note) on app_public.scores to :DATABASE_VISITOR;

-- app_public.score_rollups
alter table app_public.score_rollups enable row level security;
drop policy if exists select_own on app_public.score_rollups;
create policy select_own on app_public.score_rollups for select using (user_id = (select app_public.current_user_id()));
revoke all on app_public.score_rollups from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.score_rollups to :DATABASE_VISITOR;

-- app_private.rollup_queue
alter table app_private.rollup_queue enable row level security;
drop policy if exists no_visitor_access on app_private.rollup_queue;
create policy no_visitor_access on app_private.rollup_queue as restrictive using (false);

-- app_private.score_rollups_p0
alter table app_private.score_rollups_p0 enable row level security;
drop policy if exists no_visitor_access on app_private.score_rollups_p0;
create policy no_visitor_access on app_private.score_rollups_p0 as restrictive using (false);

-- app_private.score_rollups_p1
alter table app_private.score_rollups_p1 enable row level security;
drop policy if exists no_visitor_access on app_private.score_rollups_p1;
create policy no_visitor_access on app_private.score_rollups_p1 as restrictive using (false);

-- app_private.score_rollups_p2
alter table app_private.score_rollups_p2 enable row level security;
drop policy if exists no_visitor_access on app_private.score_rollups_p2;
create policy no_visitor_access on app_private.score_rollups_p2 as restrictive using (false);

-- app_private.score_rollups_p3
alter table app_private.score_rollups_p3 enable row level security;
drop policy if exists no_visitor_access on app_private.score_rollups_p3;
create policy no_visitor_access on app_private.score_rollups_p3 as restrictive using (false);
--! EndIncluded scores/policies.sql
--! Included scores/comments.sql
-- Comments on the scores tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.score_source is 'Who produced a score: the user, an analyser, or a computation.';
comment on type app_public.period_kind is 'A calendar period in the user''s time zone; weeks are ISO weeks (Monday first).';
comment on type app_public.fulfillment_area_score is E'One area''s part in a global fulfillment score.';
comment on type app_public.fulfillment_score is
  E'Global fulfillment score: the period''s area rollups weighted by your area weights. `coverage` is the share of weight that had scores; `score` is normalised over it.';
comment on table app_public.scores is
  'A raw score from 0 to 5 (one decimal) for a life area, or one of its dimensions, on a day. Rollups are computed from these.';
comment on column app_public.scores.recorded_at is 'When the score was taken; its day in your time zone is `scoreDate` unless you give one.';
comment on column app_public.scores.score_date is 'The day the score is about, in your time zone. At most two days ahead.';
comment on column app_public.scores.score is E'@behavior +filterBy +orderBy\nFrom 0 to 5, with at most one decimal.';
comment on column app_public.scores.source is E'@behavior +filterBy\nWho gave the score: you (manual), an assistant (ai), or a calculation (computed). One manual score per area, dimension and day.';
comment on constraint score_dimension_of_area on app_public.scores is E'@fieldName dimension\n@foreignFieldName scores';
comment on constraint score_one_decimal on app_public.scores is 'A score has at most one decimal, e.g. 3.5.';
comment on table app_public.score_rollups is E'@foreignKey (area_id) references app_public.life_areas (id)|@fieldName area|@foreignFieldName rollups\n'
  '@foreignKey (user_id) references app_public.users (id)|@fieldName user|@foreignFieldName scoreRollups\n'
  'Scores per life area and period, computed by the worker from raw scores (never written by clients).';
comment on column app_public.score_rollups.score is 'Mean of the raw scores in the period.';
comment on column app_public.score_rollups.sample_count is 'How many raw scores the period holds.';
comment on column app_public.score_rollups.covered_days is 'On how many days of the period there were scores.';
comment on column app_public.score_rollups.confidence is
  'From 0 to 1: half from the number of samples (one a day counts as full), half from the share of days covered.';
comment on column app_public.score_rollups.last_scored_day is 'The last day of the period with a score: where its trends are taken.';
comment on column app_public.score_rollups.running_tenths is
  E'@behavior -*\nDay rollups only: the sum of all the user''s scores of the area up to this day, in tenths. Trends are differences of these.';
comment on column app_public.score_rollups.running_count is E'@behavior -*\nDay rollups only: how many scores up to this day.';
comment on table app_private.rollup_queue is 'Stale rollups to recompute: per user and area, the first day that changed.';
comment on table app_private.score_rollups_p0 is 'A hash partition of app_public.score_rollups.';
comment on table app_private.score_rollups_p1 is 'A hash partition of app_public.score_rollups.';
comment on table app_private.score_rollups_p2 is 'A hash partition of app_public.score_rollups.';
comment on table app_private.score_rollups_p3 is 'A hash partition of app_public.score_rollups.';
--! EndIncluded scores/comments.sql
--! Included goals/functions.sql
-- Functions of the goals domain: the current definition of each, with its comment and grants.

create or replace function app_hidden.key_results_progress(goal_id uuid) returns numeric as $$
  select round(avg(greatest(0, least(1, (current_value - start_value) / (target_value - start_value)))) * 100, 2)
  from app_public.key_results k where k.goal_id = key_results_progress.goal_id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.key_results_progress(uuid) is 'Mean completion of a goal''s key results, 0-100; null without any.';
grant execute on function app_hidden.key_results_progress(uuid) to :DATABASE_VISITOR;
--! EndIncluded goals/functions.sql
--! Included goals/triggers.sql
-- Trigger functions and triggers of the goals domain.

create or replace function app_private.tg_goals__progress() returns trigger as $$
begin
  new.progress := coalesce(app_hidden.key_results_progress(new.id), new.progress);
  if new.status = 'done' and (tg_op = 'INSERT' or old.status <> 'done') then
    new.completed_at := now();
  elsif new.status <> 'done' then
    new.completed_at := null;
  end if;
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_goals__progress() is 'A goal with key results takes its progress from them; done goals get completed_at.';

create or replace function app_private.tg_key_results__goal_progress() returns trigger as $$
begin
  -- Touching the goal lets its trigger recompute the progress.
  update app_public.goals set progress = progress where id in (new.goal_id, old.goal_id);
  return null;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_key_results__goal_progress() is 'Keeps a goal''s progress in step with its key results.';

create or replace trigger _100_timestamps before insert or update on app_public.goals
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _200_progress before insert or update on app_public.goals
  for each row execute procedure app_private.tg_goals__progress();

create or replace trigger _100_timestamps before insert or update on app_public.key_results
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_goal_progress after insert or update or delete on app_public.key_results
  for each row execute procedure app_private.tg_key_results__goal_progress();
--! EndIncluded goals/triggers.sql
--! Included goals/policies.sql
-- Row-level security and grants of the goals tables: who may read and write what.

-- app_public.goals
alter table app_public.goals enable row level security;
drop policy if exists select_own on app_public.goals;
create policy select_own on app_public.goals for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.goals;
create policy insert_own on app_public.goals for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.goals;
create policy update_own on app_public.goals for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.goals;
create policy delete_own on app_public.goals for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.goals from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.goals to :DATABASE_VISITOR;
grant update (area_id, title, description_md, status, priority, progress, target_date) on app_public.goals to :DATABASE_VISITOR;
grant insert (area_id, title, description_md, status, priority, progress, target_date) on app_public.goals to :DATABASE_VISITOR;

-- app_public.key_results
alter table app_public.key_results enable row level security;
drop policy if exists select_own on app_public.key_results;
create policy select_own on app_public.key_results for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.key_results;
create policy insert_own on app_public.key_results for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.key_results;
create policy update_own on app_public.key_results for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.key_results;
create policy delete_own on app_public.key_results for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.key_results from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.key_results to :DATABASE_VISITOR;
grant insert (goal_id, title, start_value, target_value, current_value, unit) on app_public.key_results to :DATABASE_VISITOR;
grant update (title, start_value, target_value, current_value, unit) on app_public.key_results to :DATABASE_VISITOR;
--! EndIncluded goals/policies.sql
--! Included goals/comments.sql
-- Comments on the goals tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.goal_status is 'Where a goal stands: planned, active, paused, done or dropped.';
comment on type app_public.goal_priority is 'How much a goal matters now: low, medium, high or critical.';
comment on table app_public.goals is 'An OKR-style goal. With key results, its progress follows theirs.';
comment on column app_public.goals.progress is E'@behavior +filterBy +orderBy\nFrom 0 to 100. Set it yourself, or let key results drive it.';
comment on column app_public.goals.completed_at is 'When the goal last became done.';
comment on column app_public.goals.status is E'@behavior +filterBy +orderBy\nWhere the goal stands.';
comment on column app_public.goals.priority is E'@behavior +filterBy +orderBy\nHow much the goal matters now.';
comment on column app_public.goals.target_date is E'@behavior +filterBy +orderBy\nWhen you mean to be done.';
comment on column app_public.goals.description_md is 'What the goal is and why it matters (Markdown).';
comment on table app_public.key_results is 'A measurable result of a goal: from a start value to a target.';
comment on column app_public.key_results.start_value is 'Where you started; progress is (current - start) / (target - start).';
comment on column app_public.key_results.target_value is 'Where you mean to get (different from the start).';
comment on column app_public.key_results.current_value is 'Where you are now.';
comment on column app_public.key_results.unit is 'What the values count, e.g. km or books (up to 20 characters).';
comment on constraint key_results_goal_id_user_id_fkey on app_public.key_results is E'@fieldName goal\n@foreignFieldName keyResults';
--! EndIncluded goals/comments.sql
--! Included rituals/functions.sql
-- Functions of the rituals domain: the current definition of each, with its comment and grants.

-- A slot is the unit a ritual is kept in: a day, an ISO week, a month, or one
-- scheduled day of a custom ritual. Slots are numbered so that consecutive
-- slots differ by one, which makes streaks gaps-and-islands.
create or replace function app_hidden.ritual_slot_start(cadence app_public.ritual_cadence, day date) returns date as $$
  select case cadence when 'weekly' then date_trunc('week', day::timestamp)::date
    when 'monthly' then date_trunc('month', day::timestamp)::date else day end;
$$ language sql immutable parallel safe;
comment on function app_hidden.ritual_slot_start(app_public.ritual_cadence, date) is 'The slot (day, ISO week or month) a day falls in.';
grant execute on function app_hidden.ritual_slot_start(app_public.ritual_cadence, date),
  app_hidden.ritual_slot_number(app_public.ritual_cadence, smallint[], date) to :DATABASE_VISITOR;

create or replace function app_hidden.ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date)
returns int as $$
  select case cadence
    when 'daily' then day - date '2000-01-03'
    -- floor, not integer division: days before the epoch must count down too.
    when 'weekly' then floor((day - date '2000-01-03') / 7.0)::int
    when 'monthly' then extract(year from day)::int * 12 + extract(month from day)::int
    -- Scheduled days up to and including `day`, counted from Monday 2000-01-03
    -- (days_of_week is kept sorted and without repeats by a trigger).
    else floor((day - date '2000-01-03') / 7.0)::int * cardinality(days_of_week)
      + (select count(*)::int from unnest(days_of_week) d where d <= extract(isodow from day))
  end;
$$ language sql immutable parallel safe;
comment on function app_hidden.ritual_slot_number(app_public.ritual_cadence, smallint[], date) is
  'Sequence number of the slot holding a day; consecutive slots differ by one.';

create or replace function app_private.rebuild_ritual_streaks(ritual_id uuid) returns void as $$
  delete from app_public.ritual_streaks s where s.ritual_id = rebuild_ritual_streaks.ritual_id;
  insert into app_public.ritual_streaks (ritual_id, user_id, started_on, ended_on, length, last_slot)
  select ritual_id, user_id, min(slot_start), max(slot_start), count(*), max(slot)
  from (
    select c.ritual_id, c.user_id, c.slot_start, n.slot, n.slot - row_number() over (order by c.slot_start) as island
    from app_public.ritual_completions c
    join app_public.rituals r on r.id = c.ritual_id
    cross join lateral (select app_hidden.ritual_slot_number(r.cadence, r.days_of_week, c.slot_start) as slot) n
    where c.ritual_id = rebuild_ritual_streaks.ritual_id
  ) numbered
  group by ritual_id, user_id, island;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.rebuild_ritual_streaks(uuid) is 'Recomputes the streak history of one ritual from its completions.';

-- Whether a streak is still alive depends on today, so these are computed at read.
create or replace function app_public.rituals_current_streak(r app_public.rituals) returns int as $$
  with today as (select app_hidden.user_today(r.user_id) as day)
  select coalesce((
    select s.length from app_public.ritual_streaks s, today
    where s.ritual_id = r.id
      -- Alive when its last slot is the current one, or the one before while
      -- the current slot is still open (a custom ritual's unscheduled day opens none).
      and s.last_slot >= app_hidden.ritual_slot_number(r.cadence, r.days_of_week, today.day)
        - case when r.cadence <> 'custom' or extract(isodow from today.day)::smallint = any(r.days_of_week) then 1 else 0 end
    order by s.started_on desc limit 1), 0);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.rituals_current_streak(app_public.rituals) is
  'Consecutive slots kept up to now, in your time zone; the current slot may still be open.';
grant execute on function app_public.rituals_current_streak(app_public.rituals),
  app_public.rituals_longest_streak(app_public.rituals) to :DATABASE_VISITOR;

create or replace function app_public.rituals_longest_streak(r app_public.rituals) returns int as $$
  select coalesce(max(length), 0) from app_public.ritual_streaks s where s.ritual_id = r.id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.rituals_longest_streak(app_public.rituals) is 'The longest run of consecutive kept slots.';
--! EndIncluded rituals/functions.sql
--! Included rituals/triggers.sql
-- Trigger functions and triggers of the rituals domain.

create or replace function app_private.tg_rituals__days_of_week() returns trigger as $$
begin
  new.days_of_week := (select array_agg(distinct d order by d) from unnest(new.days_of_week) d);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_rituals__days_of_week() is 'Keeps days_of_week sorted and without repeats: slot numbers count each day once.';

create or replace function app_private.tg_ritual_completions__slot() returns trigger as $$
declare
  v_ritual app_public.rituals;
  v_day date;
begin
  v_day := (new.completed_at at time zone app_hidden.user_timezone(new.user_id))::date;
  select * into v_ritual from app_public.rituals where id = new.ritual_id;
  if not found then
    -- Not visible, so not yours (or no such ritual): row-level security or
    -- the foreign key (ritual_id, user_id) refuses the row after this
    -- trigger. The provisional slot only keeps the not-null check from
    -- answering first; such a row can never be stored.
    new.slot_start := v_day;
    return new;
  end if;
  if v_ritual.cadence = 'custom' and not extract(isodow from v_day)::smallint = any(v_ritual.days_of_week) then
    raise exception 'This ritual is not scheduled on %.', to_char(v_day, 'FMDay')
      using errcode = 'RSLOT', hint = 'Custom rituals are completed on their days of the week.';
  end if;
  new.slot_start := app_hidden.ritual_slot_start(v_ritual.cadence, v_day);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__slot() is 'Places a completion in its slot, in the user''s time zone.';

create or replace function app_private.tg_ritual_completions__streaks() returns trigger as $$
begin
  perform app_private.rebuild_ritual_streaks(coalesce(new.ritual_id, old.ritual_id));
  return null;
end;
-- Definer: the visitor may not call app_private functions, nor write streaks.
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__streaks() is 'Keeps ritual_streaks in step with completions.';

create or replace trigger _100_timestamps before insert or update on app_public.rituals
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _200_days_of_week before insert on app_public.rituals
  for each row execute procedure app_private.tg_rituals__days_of_week();

create or replace trigger _050_slot before insert on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__slot();

create or replace trigger _500_streaks after insert or delete on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__streaks();
--! EndIncluded rituals/triggers.sql
--! Included rituals/policies.sql
-- Row-level security and grants of the rituals tables: who may read and write what.

-- app_public.rituals
alter table app_public.rituals enable row level security;
drop policy if exists select_own on app_public.rituals;
create policy select_own on app_public.rituals for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.rituals;
create policy insert_own on app_public.rituals for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.rituals;
create policy update_own on app_public.rituals for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.rituals;
create policy delete_own on app_public.rituals for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.rituals from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.rituals to :DATABASE_VISITOR;
grant update (area_id, title, instructions_md, reminder_enabled, reminder_time, is_active) on app_public.rituals to :DATABASE_VISITOR;
grant insert (area_id, title, instructions_md, cadence, days_of_week, reminder_enabled, reminder_time, is_active) on app_public.rituals to :DATABASE_VISITOR;

-- app_public.ritual_completions
alter table app_public.ritual_completions enable row level security;
drop policy if exists select_own on app_public.ritual_completions;
create policy select_own on app_public.ritual_completions for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.ritual_completions;
create policy insert_own on app_public.ritual_completions for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.ritual_completions;
create policy update_own on app_public.ritual_completions for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.ritual_completions;
create policy delete_own on app_public.ritual_completions for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.ritual_completions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.ritual_completions to :DATABASE_VISITOR;
grant insert (ritual_id, completed_at, note) on app_public.ritual_completions to :DATABASE_VISITOR;
grant update (note) on app_public.ritual_completions to :DATABASE_VISITOR;

-- app_public.ritual_streaks
alter table app_public.ritual_streaks enable row level security;
drop policy if exists select_own on app_public.ritual_streaks;
create policy select_own on app_public.ritual_streaks for select using (user_id = (select app_public.current_user_id()));
revoke all on app_public.ritual_streaks from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.ritual_streaks to :DATABASE_VISITOR;
--! EndIncluded rituals/policies.sql
--! Included rituals/comments.sql
-- Comments on the rituals tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.ritual_cadence is 'How often a ritual is kept: every day, every ISO week, every month, or on chosen days of the week (custom).';
comment on table app_public.rituals is 'A practice kept on a cadence: daily, weekly, monthly, or on chosen days of the week.';
comment on column app_public.rituals.cadence is E'@behavior +filterBy\nHow often the ritual is kept. Fixed once created (completions are placed in its slots).';
comment on column app_public.rituals.days_of_week is 'For the custom cadence only: ISO days of the week, 1 = Monday … 7 = Sunday.';
comment on column app_public.rituals.reminder_time is 'Local time of day (in your time zone) of the reminder.';
comment on column app_public.rituals.is_active is E'@behavior +filterBy\nPaused rituals (false) keep their history but are not reminded nor counted.';
comment on column app_public.rituals.instructions_md is 'How to do it (Markdown).';
comment on column app_public.rituals.reminder_enabled is 'Whether to be reminded at reminder_time, in your time zone.';
comment on table app_public.ritual_completions is 'A ritual kept: at most one completion per slot (day, week, month or scheduled day).';
comment on column app_public.ritual_completions.slot_start is 'First day of the slot this completion fills, in your time zone.';
comment on constraint ritual_completions_ritual_id_user_id_fkey on app_public.ritual_completions is E'@fieldName ritual\n@foreignFieldName completions';
comment on table app_public.ritual_streaks is 'Runs of consecutive kept slots of a ritual, kept by the database as completions change.';
comment on column app_public.ritual_streaks.started_on is 'First slot of the run.';
comment on column app_public.ritual_streaks.ended_on is 'First day of the last slot of the run.';
comment on column app_public.ritual_streaks.last_slot is E'@behavior -*\nSlot number of the run''s last slot.';
comment on constraint ritual_streaks_ritual_id_user_id_fkey on app_public.ritual_streaks is E'@fieldName ritual\n@foreignFieldName streaks';
--! EndIncluded rituals/comments.sql
--! Included relationships/functions.sql
-- Functions of the relationships domain: the current definition of each, with its comment and grants.

create or replace function app_public.relationships_actual_contacts_per_month(r app_public.relationships) returns numeric as $$
  select round(count(*) / 3.0, 2) from app_public.relationship_interactions i
  where i.relationship_id = r.id and i.occurred_at > now() - interval '90 days';
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.relationships_actual_contacts_per_month(app_public.relationships) is
  'Contacts per month over the last 90 days, from the interactions log.';
grant execute on function app_public.relationships_actual_contacts_per_month(app_public.relationships),
  app_public.relationships_last_contact_at(app_public.relationships) to :DATABASE_VISITOR;

create or replace function app_public.relationships_last_contact_at(r app_public.relationships) returns timestamptz as $$
  select max(occurred_at) from app_public.relationship_interactions i where i.relationship_id = r.id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.relationships_last_contact_at(app_public.relationships) is 'The latest logged interaction.';
--! EndIncluded relationships/functions.sql
--! Included relationships/triggers.sql
-- Trigger functions and triggers of the relationships domain.

create or replace trigger _100_timestamps before insert or update on app_public.relationships
  for each row execute procedure app_private.tg__timestamps();
--! EndIncluded relationships/triggers.sql
--! Included relationships/policies.sql
-- Row-level security and grants of the relationships tables: who may read and write what.

-- app_public.relationships
alter table app_public.relationships enable row level security;
drop policy if exists select_own on app_public.relationships;
create policy select_own on app_public.relationships for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.relationships;
create policy insert_own on app_public.relationships for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.relationships;
create policy update_own on app_public.relationships for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.relationships;
create policy delete_own on app_public.relationships for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.relationships from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.relationships to :DATABASE_VISITOR;
grant insert (person_name, kind, status, desired_contacts_per_month, quality, notes_md) on app_public.relationships to :DATABASE_VISITOR;
grant update (person_name, kind, status, desired_contacts_per_month, quality, notes_md) on app_public.relationships to :DATABASE_VISITOR;

-- app_public.relationship_interactions
alter table app_public.relationship_interactions enable row level security;
drop policy if exists select_own on app_public.relationship_interactions;
create policy select_own on app_public.relationship_interactions for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.relationship_interactions;
create policy insert_own on app_public.relationship_interactions for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.relationship_interactions;
create policy update_own on app_public.relationship_interactions for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.relationship_interactions;
create policy delete_own on app_public.relationship_interactions for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.relationship_interactions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.relationship_interactions to :DATABASE_VISITOR;
grant insert (relationship_id, occurred_at, kind, note) on app_public.relationship_interactions to :DATABASE_VISITOR;
grant update (occurred_at, kind, note) on app_public.relationship_interactions to :DATABASE_VISITOR;
--! EndIncluded relationships/policies.sql
--! Included relationships/comments.sql
-- Comments on the relationships tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.relationship_kind is 'Who the person is to you.';
comment on type app_public.relationship_status is 'How the relationship is now: active, distant, estranged or ended.';
comment on type app_public.interaction_kind is 'How you were in touch.';
comment on table app_public.relationships is 'A person in your life, how you relate, and how often you would like to be in touch.';
comment on column app_public.relationships.quality is E'@behavior +filterBy +orderBy\nHow the relationship feels, 1 (poor) to 10 (excellent).';
comment on column app_public.relationships.person_name is E'@behavior +filterBy +orderBy\nThe person''s name, as you call them (1-120 characters).';
comment on column app_public.relationships.kind is E'@behavior +filterBy +orderBy\nWho the person is to you.';
comment on column app_public.relationships.status is E'@behavior +filterBy +orderBy\nHow the relationship is now.';
comment on column app_public.relationships.desired_contacts_per_month is 'How often you would like to be in touch, per month (0-100); compare with actualContactsPerMonth.';
comment on table app_public.relationship_interactions is 'A contact with a person: the log actual contact frequency is computed from.';
comment on column app_public.relationship_interactions.occurred_at is 'When you were in touch (not in the future); actualContactsPerMonth counts these.';
comment on constraint relationship_interactions_relationship_id_user_id_fkey on app_public.relationship_interactions
  is E'@fieldName relationship\n@foreignFieldName interactions';
--! EndIncluded relationships/comments.sql
--! Included reflection/triggers.sql
-- Trigger functions and triggers of the reflection domain.

create or replace function app_private.tg_forgiveness_logs__released() returns trigger as $$
begin
  new.released_at := case when new.status = 'released' then coalesce(new.released_at, now()) end;
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_forgiveness_logs__released() is 'Stamps released_at when a forgiveness is released (and clears it otherwise).';

create or replace trigger _100_timestamps before insert or update on app_public.integrity_logs
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.forgiveness_logs
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _200_released before insert or update on app_public.forgiveness_logs
  for each row execute procedure app_private.tg_forgiveness_logs__released();

create or replace trigger _100_timestamps before insert or update on app_public.autobiography_chapters
  for each row execute procedure app_private.tg__timestamps();
--! EndIncluded reflection/triggers.sql
--! Included reflection/policies.sql
-- Row-level security and grants of the reflection tables: who may read and write what.

-- app_public.integrity_logs
alter table app_public.integrity_logs enable row level security;
drop policy if exists select_own on app_public.integrity_logs;
create policy select_own on app_public.integrity_logs for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.integrity_logs;
create policy insert_own on app_public.integrity_logs for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.integrity_logs;
create policy update_own on app_public.integrity_logs for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.integrity_logs;
create policy delete_own on app_public.integrity_logs for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.integrity_logs from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.integrity_logs to :DATABASE_VISITOR;
grant update (area_id, commitment, made_to, due_on, outcome, impact, impact_level, recovery_action, recovered_at) on app_public.integrity_logs to :DATABASE_VISITOR;
grant insert (area_id, commitment, made_to, due_on, outcome, impact, impact_level, recovery_action, recovered_at) on app_public.integrity_logs to :DATABASE_VISITOR;

-- app_public.forgiveness_logs
alter table app_public.forgiveness_logs enable row level security;
drop policy if exists select_own on app_public.forgiveness_logs;
create policy select_own on app_public.forgiveness_logs for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.forgiveness_logs;
create policy insert_own on app_public.forgiveness_logs for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.forgiveness_logs;
create policy update_own on app_public.forgiveness_logs for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.forgiveness_logs;
create policy delete_own on app_public.forgiveness_logs for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.forgiveness_logs from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.forgiveness_logs to :DATABASE_VISITOR;
grant insert (subject, status, reflection_md) on app_public.forgiveness_logs to :DATABASE_VISITOR;
grant update (subject, status, reflection_md) on app_public.forgiveness_logs to :DATABASE_VISITOR;

-- app_public.autobiography_chapters
alter table app_public.autobiography_chapters enable row level security;
drop policy if exists select_own on app_public.autobiography_chapters;
create policy select_own on app_public.autobiography_chapters for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.autobiography_chapters;
create policy insert_own on app_public.autobiography_chapters for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.autobiography_chapters;
create policy update_own on app_public.autobiography_chapters for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.autobiography_chapters;
create policy delete_own on app_public.autobiography_chapters for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.autobiography_chapters from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.autobiography_chapters to :DATABASE_VISITOR;
grant update (title, period_start, period_end, content_md, position) on app_public.autobiography_chapters to :DATABASE_VISITOR;
grant insert (title, period_start, period_end, content_md, position) on app_public.autobiography_chapters to :DATABASE_VISITOR;
--! EndIncluded reflection/policies.sql
--! Included reflection/comments.sql
-- Comments on the reflection tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.commitment_outcome is 'Whether a commitment was kept: pending until it is due, then kept or broken.';
comment on type app_public.forgiveness_status is 'Where you are with it: open, working on it, or released.';
comment on table app_public.integrity_logs is
  'A commitment you made and whether you kept it; a broken one has an impact and a recovery action, done when `recoveredAt` is set.';
comment on column app_public.integrity_logs.impact_level is 'How much breaking it mattered, 1 (little) to 5 (a lot).';
comment on column app_public.integrity_logs.commitment is 'What you committed to (1-1000 characters).';
comment on column app_public.integrity_logs.made_to is 'To whom you made it.';
comment on column app_public.integrity_logs.due_on is E'@behavior +filterBy +orderBy\nWhen it was due.';
comment on column app_public.integrity_logs.outcome is E'@behavior +filterBy\nPending, kept or broken.';
comment on column app_public.integrity_logs.impact is 'What breaking it did, to whom.';
comment on column app_public.integrity_logs.recovery_action is 'What you did, or will do, to make it right.';
comment on column app_public.integrity_logs.recovered_at is 'When it was made right.';
comment on table app_public.forgiveness_logs is 'Someone (or something) you are working on forgiving: open, working, released.';
comment on column app_public.forgiveness_logs.subject is 'Who or what it is about (1-200 characters).';
comment on column app_public.forgiveness_logs.status is E'@behavior +filterBy\nOpen, working on it, or released.';
comment on column app_public.forgiveness_logs.reflection_md is 'Your reflection (Markdown).';
comment on column app_public.forgiveness_logs.released_at is 'When you let it go: set exactly when the status is released.';
comment on table app_public.autobiography_chapters is 'A chapter of your life story: a period and its telling in markdown.';
comment on column app_public.autobiography_chapters.period_start is 'The first day of the part of your life the chapter tells.';
comment on column app_public.autobiography_chapters.period_end is 'The last day of that part of your life.';
comment on column app_public.autobiography_chapters.content_md is 'The chapter (Markdown).';
comment on column app_public.autobiography_chapters.position is 'Where the chapter goes in the book.';
--! EndIncluded reflection/comments.sql
--! Included wellness/functions.sql
-- Functions of the wellness domain: the current definition of each, with its comment and grants.

create or replace function app_hidden.wellness_stats_for(user_id uuid, first_day date, last_day date) returns app_public.wellness_summary as $$
  select row(last_day - first_day + 1, first_day, last_day, count(*)::int,
    round(avg(sleep_hours), 2), round(avg(water_ml), 0), round(avg(exercise_minutes), 1),
    round(avg(meditation_minutes), 1), round(avg(mood), 2), round(avg(energy), 2))::app_public.wellness_summary
  from app_public.wellness_entries w
  where w.user_id = wellness_stats_for.user_id and w.entry_date between first_day and last_day;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.wellness_stats_for(uuid, date, date) is 'Wellness averages of a user over a range of days.';
grant execute on function app_hidden.wellness_stats_for(uuid, date, date) to :DATABASE_VISITOR;

create or replace function app_public.wellness_stats(days int default 7) returns app_public.wellness_summary as $$
declare
  v_today date := app_hidden.user_today(app_public.current_user_id());
begin
  if days not between 1 and 366 then
    raise exception 'days must be between 1 and 366.' using errcode = 'BADIN';
  end if;
  return app_hidden.wellness_stats_for(app_public.current_user_id(), v_today - days + 1, v_today);
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.wellness_stats(int) is 'Your wellness averages over the last `days` days, today included, in your time zone.';
grant execute on function app_public.wellness_stats(int) to :DATABASE_VISITOR;

create or replace function app_public.wellness_streak() returns int as $$
  -- Consecutive days with an entry, ending today, or yesterday while today is still open.
  with days as (
    select entry_date, entry_date - (row_number() over (order by entry_date))::int as island
    from app_public.wellness_entries
    -- Entries may be dated ahead; a streak runs up to today.
    where user_id = app_public.current_user_id() and entry_date <= app_hidden.user_today(app_public.current_user_id())
  ), runs as (select max(entry_date) as last_day, count(*)::int as length from days group by island)
  select coalesce((select length from runs
    where last_day >= app_hidden.user_today(app_public.current_user_id()) - 1 order by last_day desc limit 1), 0);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.wellness_streak() is 'Consecutive days with a wellness entry up to today (or yesterday), in your time zone.';
grant execute on function app_public.wellness_streak() to :DATABASE_VISITOR;
--! EndIncluded wellness/functions.sql
--! Included wellness/triggers.sql
-- Trigger functions and triggers of the wellness domain.

create or replace function app_private.tg_coaching_messages__count() returns trigger as $$
begin
  -- Definer: message_count is not writable by the visitor.
  update app_public.coaching_conversations c set
    message_count = (select count(*) from app_public.coaching_messages m where m.conversation_id = c.id),
    last_message_at = (select max(created_at) from app_public.coaching_messages m where m.conversation_id = c.id)
  where c.id = coalesce(new.conversation_id, old.conversation_id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_coaching_messages__count() is 'Keeps a conversation''s message count and last message time.';

create or replace trigger _100_timestamps before insert or update on app_public.wellness_entries
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.module_progress
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.coaching_conversations
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_count after insert or delete on app_public.coaching_messages
  for each row execute procedure app_private.tg_coaching_messages__count();
--! EndIncluded wellness/triggers.sql
--! Included wellness/policies.sql
-- Row-level security and grants of the wellness tables: who may read and write what.

-- app_public.wellness_entries
alter table app_public.wellness_entries enable row level security;
drop policy if exists select_own on app_public.wellness_entries;
create policy select_own on app_public.wellness_entries for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.wellness_entries;
create policy insert_own on app_public.wellness_entries for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.wellness_entries;
create policy update_own on app_public.wellness_entries for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.wellness_entries;
create policy delete_own on app_public.wellness_entries for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.wellness_entries from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.wellness_entries to :DATABASE_VISITOR;
grant insert (entry_date, sleep_hours, water_ml, exercise_minutes, meditation_minutes, mood, energy, nutrition_notes) on app_public.wellness_entries to :DATABASE_VISITOR;
grant update (sleep_hours, water_ml, exercise_minutes, meditation_minutes, mood, energy, nutrition_notes) on app_public.wellness_entries to :DATABASE_VISITOR;

-- app_public.module_progress
alter table app_public.module_progress enable row level security;
drop policy if exists select_own on app_public.module_progress;
create policy select_own on app_public.module_progress for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.module_progress;
create policy insert_own on app_public.module_progress for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.module_progress;
create policy update_own on app_public.module_progress for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.module_progress;
create policy delete_own on app_public.module_progress for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.module_progress from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.module_progress to :DATABASE_VISITOR;
grant insert (module_name, progress_percent, completed_topics, current_focus, notes, last_activity_at) on app_public.module_progress to :DATABASE_VISITOR;
grant update (progress_percent, completed_topics, current_focus, notes, last_activity_at) on app_public.module_progress to :DATABASE_VISITOR;

-- app_public.coaching_conversations
alter table app_public.coaching_conversations enable row level security;
drop policy if exists select_own on app_public.coaching_conversations;
create policy select_own on app_public.coaching_conversations for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.coaching_conversations;
create policy insert_own on app_public.coaching_conversations for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.coaching_conversations;
create policy update_own on app_public.coaching_conversations for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.coaching_conversations;
create policy delete_own on app_public.coaching_conversations for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.coaching_conversations from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.coaching_conversations to :DATABASE_VISITOR;
grant update (title, module_name) on app_public.coaching_conversations to :DATABASE_VISITOR;
grant insert (title, module_name) on app_public.coaching_conversations to :DATABASE_VISITOR;

-- app_public.coaching_messages
alter table app_public.coaching_messages enable row level security;
drop policy if exists select_own on app_public.coaching_messages;
create policy select_own on app_public.coaching_messages for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.coaching_messages;
create policy insert_own on app_public.coaching_messages for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.coaching_messages;
create policy update_own on app_public.coaching_messages for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.coaching_messages;
create policy delete_own on app_public.coaching_messages for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.coaching_messages from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.coaching_messages to :DATABASE_VISITOR;
grant insert (conversation_id, role, content) on app_public.coaching_messages to :DATABASE_VISITOR;
--! EndIncluded wellness/policies.sql
--! Included wellness/comments.sql
-- Comments on the wellness tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.wellness_summary is 'Averages of your wellness entries over the last days (in your time zone).';
comment on type app_public.message_role is 'Who wrote a coaching message: you (user) or the coach (assistant).';
comment on table app_public.wellness_entries is 'How a day went for body and mind: one entry per day.';
comment on column app_public.wellness_entries.entry_date is 'The day, in your time zone (today by default).';
comment on column app_public.wellness_entries.mood is E'@behavior +filterBy +orderBy\nFrom 1 (low) to 10 (great).';
comment on column app_public.wellness_entries.energy is E'@behavior +filterBy +orderBy\nFrom 1 (drained) to 10 (energetic).';
comment on column app_public.wellness_entries.sleep_hours is E'@behavior +filterBy +orderBy\nHours slept, 0 to 24.';
comment on column app_public.wellness_entries.water_ml is 'Water drunk, in millilitres (0 to 20,000).';
comment on column app_public.wellness_entries.exercise_minutes is 'Minutes of exercise (0 to 1440).';
comment on column app_public.wellness_entries.meditation_minutes is 'Minutes of meditation (0 to 1440).';
comment on table app_public.module_progress is 'Your progress through a wellness module (e.g. `sleep`, `nutrition`): one row per module.';
comment on column app_public.module_progress.module_name is 'The wellness module, e.g. sleep-basics.';
comment on column app_public.module_progress.progress_percent is 'How far through the module you are, 0 to 100.';
comment on column app_public.module_progress.completed_topics is 'The topics of the module you have finished.';
comment on column app_public.module_progress.current_focus is 'What you are working on in it now.';
comment on table app_public.coaching_conversations is 'A coaching conversation; `messageCount` and `lastMessageAt` are kept by the database.';
comment on column app_public.coaching_conversations.message_count is 'How many messages the conversation holds (kept by the database).';
comment on column app_public.coaching_conversations.last_message_at is 'When its last message was written.';
comment on table app_public.coaching_messages is 'A message in a coaching conversation, yours or the coach''s; only the conversation''s owner sees it.';
comment on column app_public.coaching_messages.role is 'Who wrote it: you (user) or the coach (assistant).';
comment on constraint coaching_messages_conversation_id_user_id_fkey on app_public.coaching_messages
  is E'@fieldName conversation\n@foreignFieldName messages';
--! EndIncluded wellness/comments.sql
--! Included reviews/functions.sql
-- Functions of the reviews domain: the current definition of each, with its comment and grants.

-- How many slots of a ritual fall in [first_day, last_day]: what a completion rate divides by.
create or replace function app_hidden.ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[],
  first_day date, last_day date) returns int as $$
  select case when last_day < first_day then 0 else
    app_hidden.ritual_slot_number(cadence, days_of_week, last_day)
    - app_hidden.ritual_slot_number(cadence, days_of_week, first_day - 1) end;
$$ language sql immutable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.ritual_slots_between(app_public.ritual_cadence, smallint[], date, date) is
  'Number of slots of a cadence that end within a range of days.';
grant execute on function app_hidden.ritual_slots_between(app_public.ritual_cadence, smallint[], date, date) to :DATABASE_VISITOR;

create or replace function app_private.generate_review(user_id uuid, kind app_public.review_kind, period_start date)
returns app_public.reviews as $$
declare
  v_start date := date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, period_start::timestamp)::date;
  v_end date := app_hidden.period_end(case kind when 'monthly' then 'month' else 'quarter' end::app_public.period_kind, v_start);
  v_period app_public.period_kind := case kind when 'monthly' then 'month' else 'quarter' end;
  v_review app_public.reviews;
begin
  insert into app_public.reviews as r (user_id, kind, period_start, period_end, gfs, area_scores, goals, rituals, wellness, journal_highlights)
  select generate_review.user_id, kind, v_start, v_end,
    (select g.score from app_public.users u, app_public.users_gfs(u, v_period, v_start) g where u.id = generate_review.user_id),
    coalesce((select jsonb_agg(jsonb_build_object('code', a.code, 'name', a.name, 'score', s.score,
        'sampleCount', s.sample_count, 'confidence', s.confidence,
        'trend7Days', app_hidden.rollup_trend(s.user_id, s.area_id, s.last_scored_day, 7),
        'trend30Days', app_hidden.rollup_trend(s.user_id, s.area_id, s.last_scored_day, 30),
        'trend90Days', app_hidden.rollup_trend(s.user_id, s.area_id, s.last_scored_day, 90)) order by a.position)
      from app_public.score_rollups s join app_public.life_areas a on a.id = s.area_id
      where s.user_id = generate_review.user_id and s.period_kind = v_period and s.period_start = v_start), '[]'),
    (select jsonb_build_object(
        'byStatus', coalesce((select jsonb_object_agg(status, n) from
          (select status, count(*) as n from app_public.goals g where g.user_id = generate_review.user_id group by status) x), '{}'),
        'meanProgress', (select round(avg(progress), 1) from app_public.goals g
          where g.user_id = generate_review.user_id and g.status in ('active', 'done')),
        'completed', coalesce((select jsonb_agg(jsonb_build_object('id', g.id, 'title', g.title) order by g.completed_at)
          from app_public.goals g where g.user_id = generate_review.user_id
            and (g.completed_at at time zone app_hidden.user_timezone(g.user_id))::date between v_start and v_end), '[]'))),
    coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'title', r.title, 'slots', x.slots, 'kept', x.kept,
        'rate', round(x.kept::numeric / nullif(x.slots, 0), 3),
        'longestStreak', (select coalesce(max(length), 0) from app_public.ritual_streaks s where s.ritual_id = r.id)) order by r.title)
      from app_public.rituals r
      cross join lateral (select
        app_hidden.ritual_slots_between(r.cadence, r.days_of_week,
          -- Slots count from when the ritual began: its creation or its first completion.
          greatest(v_start, least((r.created_at at time zone app_hidden.user_timezone(r.user_id))::date,
            (select min(c.slot_start) from app_public.ritual_completions c where c.ritual_id = r.id))), v_end) as slots,
        (select count(*)::int from app_public.ritual_completions c
          where c.ritual_id = r.id and c.slot_start between v_start and v_end) as kept) x
      where r.user_id = generate_review.user_id), '[]'),
    (select jsonb_build_object('entries', w.entries, 'avgSleepHours', w.avg_sleep_hours, 'avgWaterMl', w.avg_water_ml,
        'avgExerciseMinutes', w.avg_exercise_minutes, 'avgMeditationMinutes', w.avg_meditation_minutes,
        'avgMood', w.avg_mood, 'avgEnergy', w.avg_energy)
      from app_hidden.wellness_stats_for(generate_review.user_id, v_start, v_end) w),
    coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'date', e.entry_date, 'title', e.title,
        'sentiment', e.sentiment, 'summary', e.summary) order by e.sentiment desc, e.entry_date)
      from (select * from app_public.journal_entries e where e.user_id = generate_review.user_id
        and e.entry_date between v_start and v_end and e.sentiment is not null
        order by e.sentiment desc, e.entry_date limit 3) e), '[]')
  on conflict on constraint review_once_per_period do update set
    period_end = excluded.period_end, gfs = excluded.gfs, area_scores = excluded.area_scores, goals = excluded.goals,
    rituals = excluded.rituals, wellness = excluded.wellness, journal_highlights = excluded.journal_highlights,
    generated_at = now()
  returning * into v_review;
  return v_review;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.generate_review(uuid, app_public.review_kind, date) is
  'Builds (or rebuilds) the review of the month or quarter containing period_start. Idempotent.';

create or replace function app_public.generate_review(kind app_public.review_kind, period_start date default null) returns boolean as $$
declare
  v_user_id uuid := app_public.current_user_id();
  v_day date := coalesce(period_start, app_hidden.user_today(v_user_id));
begin
  if v_user_id is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if v_day > app_hidden.user_today(v_user_id) then
    raise exception 'That period has not started yet.' using errcode = 'BADIN';
  end if;
  perform app_private.enqueue_review(v_user_id, kind, v_day);
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.generate_review(app_public.review_kind, date) is
  'Asks for your review of the month or quarter containing `periodStart` (the current one by default). The worker writes it shortly; it appears in `reviews`.';
grant execute on function app_public.generate_review(app_public.review_kind, date) to :DATABASE_VISITOR;

create or replace function app_private.enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamptz default null)
returns boolean as $$
declare
  v_start date := date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, day::timestamp)::date;
begin
  perform graphile_worker.add_job('reviews__generate',
    json_build_object('user_id', user_id, 'kind', kind, 'period_start', v_start),
    job_key := format('reviews__generate:%s:%s:%s', user_id, kind, v_start) || case when run_at is null then '' else ':scheduled' end,
    run_at := coalesce(run_at, now()), max_attempts := 5);
  return true;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.enqueue_review(uuid, app_public.review_kind, date, timestamptz) is
  'Schedules one review job for the period holding `day`: now, or at run_at; its key makes repeats one job.';

-- Called by the crontab job on the 1st: one job per user for the period just ended.
create or replace function app_private.enqueue_reviews(kind app_public.review_kind, on_date date) returns int as $$
  select count(app_private.enqueue_review(u.id, kind, p.period_start,
    (p.next_start + time '02:00') at time zone app_hidden.user_timezone(u.id)))::int
  from app_public.users u
  cross join (
    select s.period_start, (s.period_start + case kind when 'monthly' then interval '1 month' else interval '3 months' end)::date as next_start
    from (select date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, on_date::timestamp)::date as period_start) s
  ) p;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.enqueue_reviews(app_public.review_kind, date) is
  'Schedules, for every user, the review of the period holding on_date, at 02:00 on the day after it ends in the user''s time zone. Returns how many.';
--! EndIncluded reviews/functions.sql
--! Included reviews/policies.sql
-- Row-level security and grants of the reviews tables: who may read and write what.

-- app_public.reviews
alter table app_public.reviews enable row level security;
drop policy if exists select_own on app_public.reviews;
create policy select_own on app_public.reviews for select using (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.reviews;
create policy delete_own on app_public.reviews for delete using (user_id = (select app_public.current_user_id()));
revoke all on app_public.reviews from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.reviews to :DATABASE_VISITOR;
--! EndIncluded reviews/policies.sql
--! Included reviews/comments.sql
-- Comments on the reviews tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.review_kind is 'The period a review covers: a month or a quarter.';
comment on table app_public.reviews is
  'Your monthly or quarterly review, generated by the worker on the 1st (or on request): area scores and trends, GFS, goals, rituals, wellness and journal highlights.';
comment on column app_public.reviews.area_scores is 'Per area: code, name, score, sample count, confidence and trends of the period.';
comment on column app_public.reviews.goals is 'Goals by status, mean progress, and those completed in the period.';
comment on column app_public.reviews.rituals is 'Per ritual: slots in the period, slots kept, completion rate, longest streak.';
comment on column app_public.reviews.wellness is 'Wellness averages over the period.';
comment on column app_public.reviews.journal_highlights is 'The period''s most positive entries, with their summaries.';
--! EndIncluded reviews/comments.sql
--! Included notifications/functions.sql
-- Functions of the notifications domain: the current definition of each, with its comment and grants.

-- The names a template uses: {{name}}, {{{name}}}, {{& name}}, {{#name}},
-- {{^name}}, {{/name}}; dotted names count by their first part. Names inside
-- a section may also be fields of the section's items (e.g. {{title}} inside
-- {{#goals}}), so only top-level names are checked against the type.
create or replace function app_hidden.template_unknown_variables(type text, template text) returns text[] as $$
  with tokens as (
    select m[1] as sigil, split_part(m[2], '.', 1) as name, ord
    from regexp_matches(coalesce(template, ''), '\{\{\{?\s*([#^/&]?)\s*([A-Za-z_][A-Za-z0-9_.]*|\.)\s*\}?\}\}', 'g')
      with ordinality as t(m, ord)
  ), depth as (
    select *, coalesce(sum(case sigil when '#' then 1 when '^' then 1 when '/' then -1 else 0 end)
      over (order by ord rows between unbounded preceding and 1 preceding), 0) as level
    from tokens
  )
  select coalesce(array_agg(distinct name order by name), '{}')
  from depth
  where level = 0 and sigil <> '/' and name <> '.'
    and name <> all ((select variables from app_public.notification_types where code = type) || '{app_url}'::text[]);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.template_unknown_variables(text, text) is
  'Top-level Mustache names in a template that events of the type do not carry.';
grant execute on function app_hidden.template_unknown_variables(text, text) to :DATABASE_VISITOR;

create or replace function app_hidden.notification_channels(user_id uuid, type text) returns setof app_public.notification_channel as $$
  select c from app_public.notification_types t, unnest(enum_range(null::app_public.notification_channel)) c
  where t.code = notification_channels.type
    and case when t.is_transactional then c = any(t.default_channels)
      else coalesce((select p.enabled from app_public.notification_preferences p
        where p.user_id = notification_channels.user_id and p.type = t.code and p.channel = c), c = any(t.default_channels)) end;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.notification_channels(uuid, text) is 'The channels a notification of this type reaches this user on.';
grant execute on function app_hidden.notification_channels(uuid, text) to :DATABASE_VISITOR;

-- Next instant, at or after `at`, outside the user's quiet hours.
create or replace function app_hidden.after_quiet_hours(user_id uuid, at timestamptz) returns timestamptz as $$
  select case
    when s.quiet_hours_start is null then at
    when (s.quiet_hours_start < s.quiet_hours_end and l.t >= s.quiet_hours_start and l.t < s.quiet_hours_end)
      or (s.quiet_hours_start > s.quiet_hours_end and (l.t >= s.quiet_hours_start or l.t < s.quiet_hours_end))
    then ((l.d + case when l.t >= s.quiet_hours_end then 1 else 0 end) + s.quiet_hours_end) at time zone l.tz
    else at end
  from app_public.notification_settings s,
    lateral (select app_hidden.user_timezone(s.user_id) as tz) z,
    lateral (select (at at time zone z.tz)::time as t, (at at time zone z.tz)::date as d, z.tz) l
  where s.user_id = after_quiet_hours.user_id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.after_quiet_hours(uuid, timestamptz) is
  'The time itself, or the end of the quiet hours it falls in (in the user''s time zone, DST included).';
grant execute on function app_hidden.after_quiet_hours(uuid, timestamptz) to :DATABASE_VISITOR;

-- Where a digest window closes: the next hour, 08:00 local tomorrow, or 08:00 local next Monday.
create or replace function app_hidden.next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamptz) returns timestamptz as $$
  select case frequency
    when 'hourly' then date_trunc('hour', at) + interval '1 hour'
    when 'daily' then ((at at time zone tz)::date + 1 + time '08:00') at time zone tz
    when 'weekly' then ((date_trunc('week', (at at time zone tz)) + interval '7 days')::date + time '08:00') at time zone tz
    else at end
  from (select app_hidden.user_timezone(user_id) as tz) z;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.next_digest_at(uuid, app_public.digest_frequency, timestamptz) is 'When the digest that would hold a notification made at `at` is sent.';
grant execute on function app_hidden.next_digest_at(uuid, app_public.digest_frequency, timestamptz) to :DATABASE_VISITOR;

create or replace function app_public.mark_notifications_read(notification_ids uuid[]) returns int as $$
  with marked as (
    update app_public.notifications set read_at = now()
    where id = any(notification_ids) and read_at is null and user_id = app_public.current_user_id() returning 1
  ) select count(*)::int from marked;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.mark_notifications_read(uuid[]) is 'Marks your notifications read; returns how many changed.';
grant execute on function app_public.mark_notifications_read(uuid[]), app_public.archive_notifications(uuid[]),
  app_public.unread_notification_counts() to :DATABASE_VISITOR;

create or replace function app_public.archive_notifications(notification_ids uuid[]) returns int as $$
  with archived as (
    update app_public.notifications set archived_at = now(), read_at = coalesce(read_at, now())
    where id = any(notification_ids) and archived_at is null and user_id = app_public.current_user_id() returning 1
  ) select count(*)::int from archived;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.archive_notifications(uuid[]) is 'Archives (and reads) your notifications; returns how many changed.';

create or replace function app_public.unread_notification_counts() returns setof app_public.unread_count as $$
  select type, count(*)::int from app_public.notifications
  where user_id = app_public.current_user_id() and read_at is null and archived_at is null
    and (expires_at is null or expires_at > now())
  group by type order by type;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unread_notification_counts() is 'Your unread, unarchived in-app notifications, counted by type.';

create or replace function app_private.new_webhook_secret(endpoint_id uuid) returns text as $$
  insert into app_private.webhook_secrets (endpoint_id, secret)
  values (endpoint_id, 'whsec_' || encode(gen_random_bytes(24), 'base64')) returning secret;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.new_webhook_secret(uuid) is 'A new random signing secret for an endpoint.';

create or replace function app_public.create_webhook_endpoint(url text, event_types text[] default '{}', description text default null)
returns app_public.webhook_endpoint_secret as $$
declare
  v_endpoint app_public.webhook_endpoints;
begin
  if app_public.current_user_id() is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if exists (select 1 from unnest(event_types) t where t not in (select code from app_public.notification_types)) then
    raise exception 'Unknown notification type in %.', event_types using errcode = 'NOFND';
  end if;
  insert into app_public.webhook_endpoints (user_id, url, event_types, description)
    values (app_public.current_user_id(), url, coalesce(event_types, '{}'), description) returning * into v_endpoint;
  return row(v_endpoint.id, app_private.new_webhook_secret(v_endpoint.id));
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.create_webhook_endpoint(text, text[], text) is
  'Registers a webhook endpoint and returns its signing secret, shown this once.';
grant execute on function app_public.create_webhook_endpoint(text, text[], text),
  app_public.rotate_webhook_secret(uuid) to :DATABASE_VISITOR;

create or replace function app_public.rotate_webhook_secret(endpoint_id uuid) returns app_public.webhook_endpoint_secret as $$
begin
  if not exists (select 1 from app_public.webhook_endpoints e
      where e.id = rotate_webhook_secret.endpoint_id and e.user_id = app_public.current_user_id()) then
    raise exception 'No such webhook endpoint.' using errcode = 'NOFND';
  end if;
  update app_private.webhook_secrets s set retires_at = now() + interval '24 hours'
    where s.endpoint_id = rotate_webhook_secret.endpoint_id and s.retires_at is null;
  return row(endpoint_id, app_private.new_webhook_secret(endpoint_id));
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.rotate_webhook_secret(uuid) is
  'A new signing secret; for 24 hours deliveries carry signatures by both, so receivers can switch without missing any.';

-- Deliveries are attempted by graphile-worker, one job per delivery keyed by
-- its id: never two workers on one delivery, never twice for one key.
create or replace function app_private.schedule_delivery(delivery_id uuid, at timestamptz) returns void as $$
begin
  update app_public.notification_deliveries set run_at = at where id = delivery_id;
  perform graphile_worker.add_job('notifications__deliver', json_build_object('delivery_id', delivery_id),
    job_key := 'notifications__deliver:' || delivery_id, run_at := at, max_attempts := 25);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.schedule_delivery(uuid, timestamptz) is
  'Sets when a delivery is due and (re)schedules its one job. The job''s own retries only cover crashes; failures are rescheduled by complete_delivery.';

-- Raise a notification from any SQL, in the transaction of its cause:
--   perform app_private.notify(user_id, 'reviews.ready', jsonb_build_object(...), 'review:' || id);
create or replace function app_private.notify(user_id uuid, type text, data jsonb default '{}', dedupe_key text default null)
returns uuid as $$
declare
  v_type app_public.notification_types;
  v_settings app_public.notification_settings;
  v_event_id uuid;
  v_delivery record;
  v_at timestamptz;
begin
  select * into v_type from app_public.notification_types t where t.code = notify.type;
  if not found then
    raise exception 'Unknown notification type %.', type using errcode = 'NOFND';
  end if;
  insert into app_public.notification_events (user_id, type, data, dedupe_key)
    values (user_id, type, coalesce(data, '{}'), dedupe_key)
    on conflict on constraint notification_event_once do nothing
    returning id into v_event_id;
  if v_event_id is null then
    return null; -- A repeat of an event already raised: nothing more to do.
  end if;
  select * into v_settings from app_public.notification_settings s where s.user_id = notify.user_id;

  for v_delivery in
    insert into app_public.notification_deliveries (event_id, user_id, channel, target_id)
    select v_event_id, notify.user_id, c.channel, c.target_id
    from app_hidden.notification_channels(notify.user_id, notify.type) ch(channel)
    cross join lateral (
      select ch.channel, null::uuid as target_id where ch.channel in ('in_app', 'email')
      union all
      select ch.channel, p.id from app_public.push_subscriptions p
        where ch.channel = 'push' and p.user_id = notify.user_id and p.disabled_at is null
      union all
      select ch.channel, w.id from app_public.webhook_endpoints w
        where ch.channel = 'webhook' and w.user_id = notify.user_id and w.disabled_at is null
          and (cardinality(w.event_types) = 0 or notify.type = any(w.event_types))
    ) c
    returning id, channel
  loop
    if v_type.is_transactional or v_delivery.channel in ('in_app', 'webhook') then
      -- Account mail goes at once; the app and machines are not disturbed by the hour.
      perform app_private.schedule_delivery(v_delivery.id, now());
    elsif v_settings.digest_frequency <> 'immediate' then
      -- Held for the digest of its window (one digest job per user and channel).
      v_at := app_hidden.after_quiet_hours(notify.user_id, app_hidden.next_digest_at(notify.user_id, v_settings.digest_frequency, now()));
      update app_public.notification_deliveries set status = 'held', run_at = v_at where id = v_delivery.id;
      perform graphile_worker.add_job('notifications__digest',
        json_build_object('user_id', notify.user_id, 'channel', v_delivery.channel),
        job_key := format('notifications__digest:%s:%s', notify.user_id, v_delivery.channel),
        job_key_mode := 'preserve_run_at', run_at := v_at);
    else
      perform app_private.schedule_delivery(v_delivery.id, app_hidden.after_quiet_hours(notify.user_id, now()));
    end if;
  end loop;
  return v_event_id;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.notify(uuid, text, jsonb, text) is
  'Raises a notification: one event (a repeat of its dedupe_key is a no-op) and one delivery per channel and target the user''s preferences allow, each with its job.';

create or replace function app_private.prune_notifications(read_retention interval, log_retention interval) returns int as $$
declare
  v_notifications int;
  v_events int;
begin
  delete from app_public.notifications where read_at < now() - read_retention or expires_at < now();
  get diagnostics v_notifications = row_count;
  -- Events whose deliveries all ended well long ago go, with their deliveries
  -- and attempts; anything dead, pending or held stays.
  delete from app_public.notification_events e
  where e.created_at < now() - log_retention
    and not exists (select 1 from app_public.notification_deliveries d where d.event_id = e.id
      and (d.status not in ('sent', 'delivered', 'opened', 'skipped', 'discarded') or d.status_changed_at >= now() - log_retention))
    and not exists (select 1 from app_public.notifications n
      join app_public.notification_deliveries d on d.id = n.delivery_id where d.event_id = e.id);
  get diagnostics v_events = row_count;
  return v_notifications + v_events;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.prune_notifications(interval, interval) is
  'Deletes read in-app notifications older than read_retention, and delivery logs of items that ended well older than log_retention. Dead letters stay.';

-- Other channels than in-app start an attempt one by one: locked, capped per
-- hour, marked 'sending'.
create or replace function app_private.start_attempt(delivery_id uuid, out outcome text, out attempt int) as $$
declare
  v_delivery app_public.notification_deliveries;
  v_limit int;
  v_sent_in_hour int;
  v_free_at timestamptz;
begin
  select * into v_delivery from app_public.notification_deliveries d where d.id = start_attempt.delivery_id for update;
  -- 'sending' is claimable again: a worker that crashed after sending left it
  -- so, and the provider sees the same idempotency key (the delivery id).
  if not found or v_delivery.status not in ('pending', 'sending') then
    outcome := 'done';
    return;
  end if;
  if not (select t.is_transactional from app_public.notification_events e
      join app_public.notification_types t on t.code = e.type where e.id = v_delivery.event_id) then
    -- One claim at a time per user and channel, and attempts in flight count:
    -- a batch of claims (or two workers) cannot all slip under the cap.
    perform pg_advisory_xact_lock(hashtext('lifegraph.notifications.cap'), hashtext(v_delivery.user_id || ':' || v_delivery.channel));
    select s.rate_limit_per_hour into v_limit from app_public.notification_settings s where s.user_id = v_delivery.user_id;
    select count(*), min(coalesce(d.sent_at, d.status_changed_at)) + interval '1 hour' into v_sent_in_hour, v_free_at
      from app_public.notification_deliveries d
      where d.user_id = v_delivery.user_id and d.channel = v_delivery.channel
        and (d.sent_at > now() - interval '1 hour' or (d.status = 'sending' and d.status_changed_at > now() - interval '1 hour'));
    if v_sent_in_hour >= v_limit then
      -- Deferred past the cap (and mail or push past quiet hours, if it lands in them).
      perform app_private.schedule_delivery(v_delivery.id, case when v_delivery.channel in ('email', 'push')
        then app_hidden.after_quiet_hours(v_delivery.user_id, v_free_at) else v_free_at end);
      outcome := 'deferred';
      return;
    end if;
  end if;
  update app_public.notification_deliveries d
    set status = 'sending', attempts = d.attempts + 1, status_changed_at = now()
    where d.id = v_delivery.id returning d.attempts into attempt;
  outcome := 'send';
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.start_attempt(uuid) is
  'Starts an attempt of a delivery on an outside channel: send, done (nothing to do: already sent, discarded, held) or deferred (over the hourly cap: its job moves to when a slot frees up; nothing is dropped).';

create or replace function app_private.pick_template(type text, channel app_public.notification_channel, locale text)
returns setof app_public.notification_templates as $$
  select t.* from app_public.notification_templates t
  where t.type = pick_template.type and t.channel = pick_template.channel and t.is_active
    and t.locale in (pick_template.locale, split_part(pick_template.locale, '-', 1), 'en')
  order by t.locale = pick_template.locale desc, t.locale = split_part(pick_template.locale, '-', 1) desc, t.version desc
  limit 1;
$$ language sql stable;
comment on function app_private.pick_template(text, app_public.notification_channel, text) is
  'The newest active template for the locale, else its language, else English.';

-- Start the attempts: one row per delivery, 'send' with what the worker needs
-- to render and send it, or why not ('done', 'deferred'). In-app deliveries
-- are neither locked nor capped: deliver_in_app completes them with one
-- conditional update. PL/pgSQL rather than SQL for this and deliver_in_app:
-- it keeps their plans between calls (a SQL function is planned each call).
create or replace function app_private.claim_deliveries(delivery_ids uuid[]) returns setof app_private.delivery_claim as $$
begin
  return query
  with targets as materialized (
    -- In (user, channel) order: start_attempt locks per user and channel,
    -- and batches that take those locks in one order cannot deadlock.
    select i.id, d.user_id, d.channel, d.status, d.attempts
    from unnest(delivery_ids) as i(id) left join app_public.notification_deliveries d on d.id = i.id
    order by d.user_id, d.channel
  ), started as materialized (
    select k.id, a.outcome, a.attempt
    from targets k
    left join lateral (
      select case when k.status in ('pending', 'sending') then 'send' end, k.attempts + 1 where k.channel = 'in_app'
      union all
      select * from app_private.start_attempt(k.id) where k.channel <> 'in_app'
    ) a(outcome, attempt) on true
  )
  select coalesce(a.outcome, 'done'), a.id, d.channel, d.target_id, a.attempt, e.type, e.data, u.id, u.username::text, s.locale,
    case when d.channel = 'email' then coalesce(e.data ->> 'email',
      (select m.email::text from app_public.user_emails m where m.user_id = u.id and m.is_verified order by m.is_primary desc limit 1)) end,
    t.subject, t.body
  from started a
  left join app_public.notification_deliveries d on d.id = a.id
  left join app_public.notification_events e on e.id = d.event_id
  left join app_public.users u on u.id = d.user_id
  left join app_public.user_settings s on s.user_id = d.user_id
  -- Webhooks carry the in-app wording.
  left join lateral app_private.pick_template(e.type,
    case when d.channel = 'webhook' then 'in_app' else d.channel end, s.locale) t on true;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.claim_deliveries(uuid[]) is
  'Starts an attempt of each delivery: send (with the template for the user''s locale), done or deferred.';

-- In-app delivery is a row in our own database, written in the statement that
-- records the delivery done: there is no provider, and the one attempt is on
-- the delivery (attempts, sent_at), not in delivery_attempts. Idempotent by
-- delivery id. The arrays are aligned: the i-th title and body belong to the
-- i-th delivery.
create or replace function app_private.deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]) returns void as $$
begin
  with done as (
    update app_public.notification_deliveries d
      set status = 'delivered', attempts = d.attempts + 1, sent_at = now(), status_changed_at = now(), last_error = null
      from unnest(delivery_ids, titles, bodies) as i(delivery_id, title, body)
      where d.id = i.delivery_id and d.status in ('pending', 'sending')
      returning d.id, d.user_id, d.event_id, i.title, i.body
  )
  insert into app_public.notifications (user_id, delivery_id, type, title, body, expires_at)
  select done.user_id, done.id, e.type, done.title, done.body, now() + interval '180 days'
  from done join app_public.notification_events e on e.id = done.event_id
  on conflict (delivery_id) do nothing;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.deliver_in_app(uuid[], text[], text[]) is
  'Writes the in-app notification of each delivery, once, and records the deliveries delivered.';

-- The digests of a user's channel: the held deliveries due by now, not yet
-- carried by a digest, become one delivery of a notifications.digest event
-- per target (each push subscription gets its own). Items due later keep a
-- digest job, at the time the first of them is due.
create or replace function app_private.collect_digest(user_id uuid, channel app_public.notification_channel) returns int as $$
declare
  v_group record;
  v_event_id uuid;
  v_delivery_id uuid;
  v_digests int := 0;
  v_next timestamptz;
begin
  for v_group in
    select d.target_id, array_agg(d.id) as ids,
      jsonb_agg(jsonb_build_object('type', e.type, 'description', t.description, 'at', e.created_at) order by e.created_at) as items
    from app_public.notification_deliveries d
    join app_public.notification_events e on e.id = d.event_id
    join app_public.notification_types t on t.code = e.type
    where d.user_id = collect_digest.user_id and d.channel = collect_digest.channel and d.status = 'held'
      and d.digest_id is null and d.run_at <= now() + interval '1 minute'
    group by d.target_id
  loop
    insert into app_public.notification_events (user_id, type, data)
      select collect_digest.user_id, 'notifications.digest', jsonb_build_object('username', u.username,
        'count', cardinality(v_group.ids), 'items', v_group.items, 'frequency', s.digest_frequency)
      from app_public.users u join app_public.notification_settings s on s.user_id = u.id where u.id = collect_digest.user_id
      returning id into v_event_id;
    insert into app_public.notification_deliveries (event_id, user_id, channel, target_id)
      values (v_event_id, collect_digest.user_id, collect_digest.channel, v_group.target_id)
      returning id into v_delivery_id;
    update app_public.notification_deliveries d set digest_id = v_delivery_id where d.id = any(v_group.ids);
    perform app_private.schedule_delivery(v_delivery_id, now());
    v_digests := v_digests + 1;
  end loop;
  select min(d.run_at) into v_next from app_public.notification_deliveries d
    where d.user_id = collect_digest.user_id and d.channel = collect_digest.channel and d.status = 'held' and d.digest_id is null;
  if v_next is not null then
    perform graphile_worker.add_job('notifications__digest',
      json_build_object('user_id', collect_digest.user_id, 'channel', collect_digest.channel),
      job_key := format('notifications__digest:%s:%s', collect_digest.user_id, collect_digest.channel),
      job_key_mode := 'preserve_run_at', run_at := v_next);
  end if;
  return v_digests;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.collect_digest(uuid, app_public.notification_channel) is
  'Folds a user''s held deliveries on a channel into one digest delivery per target; returns how many digests it made.';

-- Finish an attempt: every attempt is recorded; a failure is retried with
-- exponential backoff and equal jitter (half of 30 s · 2^(n-1), at most 6 h,
-- plus a random share of the other half: the wait grows with each attempt,
-- and retries of many deliveries spread out) until max_attempts, then the
-- delivery is dead and waits for an admin. A digest's items share its end.
-- A status the provider reported during the attempt stands.
create or replace function app_private.complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb default null,
  error text default null, provider_message_id text default null, final_status app_public.delivery_status default 'sent')
returns app_public.notification_deliveries as $$
declare
  v_delivery app_public.notification_deliveries;
  v_backoff interval;
begin
  select * into v_delivery from app_public.notification_deliveries d where d.id = complete_delivery.delivery_id for update;
  -- An in-app claim starts no attempt (deliver_in_app counts its one): an
  -- in-app failure is counted here.
  if v_delivery.channel = 'in_app' then
    update app_public.notification_deliveries d set attempts = d.attempts + 1 where d.id = v_delivery.id returning * into v_delivery;
  end if;
  insert into app_public.delivery_attempts (delivery_id, user_id, attempt, succeeded, provider_response, error)
    values (v_delivery.id, v_delivery.user_id, v_delivery.attempts, succeeded, provider_response, error);
  if succeeded then
    update app_public.notification_deliveries d
      set status = case when d.status in ('delivered', 'opened', 'bounced') then d.status else final_status end,
        sent_at = now(), status_changed_at = now(), last_error = null,
        provider_message_id = coalesce(complete_delivery.provider_message_id, d.provider_message_id)
      where d.id = v_delivery.id returning * into v_delivery;
  elsif final_status in ('dead', 'skipped') or v_delivery.attempts >= v_delivery.max_attempts then
    update app_public.notification_deliveries d
      set status = case when final_status = 'skipped' then 'skipped'::app_public.delivery_status else 'dead' end,
        last_error = error, status_changed_at = now()
      where d.id = v_delivery.id returning * into v_delivery;
  else
    update app_public.notification_deliveries d set status = 'pending', last_error = error, status_changed_at = now()
      where d.id = v_delivery.id returning * into v_delivery;
    v_backoff := least(interval '6 hours', interval '30 seconds' * 2 ^ (v_delivery.attempts - 1));
    -- A retry of mail or push that would land in quiet hours waits for their end.
    perform app_private.schedule_delivery(v_delivery.id, case when v_delivery.channel in ('email', 'push')
      then app_hidden.after_quiet_hours(v_delivery.user_id, now() + v_backoff / 2 + v_backoff / 2 * random())
      else now() + v_backoff / 2 + v_backoff / 2 * random() end);
  end if;
  -- A digest's items went with it, or were skipped with it; a dead digest
  -- keeps them held until an admin retries or discards it.
  if v_delivery.status not in ('pending', 'dead') then
    update app_public.notification_deliveries d set status = v_delivery.status, sent_at = v_delivery.sent_at, status_changed_at = now()
      where d.digest_id = v_delivery.id and d.status = 'held';
  end if;
  -- Account mail carries a single-use token: once the mail is out (or given
  -- up on), the token leaves the event's data.
  if v_delivery.status <> 'pending' then
    update app_public.notification_events e set data = e.data - 'token'
      where e.id = v_delivery.event_id and e.data ? 'token';
  end if;
  return (select d from app_public.notification_deliveries d where d.id = v_delivery.id);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.complete_delivery(uuid, boolean, jsonb, text, text, app_public.delivery_status) is
  'Records an attempt; on failure schedules a retry with backoff and jitter, or marks the delivery dead.';

-- An admin retry gives a dead delivery six more attempts; the count goes on,
-- so its attempt history stays numbered in order.
create or replace function app_public.retry_delivery(delivery_id uuid) returns app_public.notification_deliveries as $$
declare
  v_delivery app_public.notification_deliveries;
begin
  perform app_private.assert_admin();
  update app_public.notification_deliveries d
    set status = 'pending', max_attempts = d.attempts + 6, last_error = null, status_changed_at = now()
    where d.id = retry_delivery.delivery_id and d.status = 'dead' returning * into v_delivery;
  if not found then
    raise exception 'No dead delivery with that id.' using errcode = 'NOFND';
  end if;
  perform app_private.schedule_delivery(v_delivery.id, now());
  return v_delivery;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.retry_delivery(uuid) is 'Administrators: tries a dead delivery again, six more attempts.';
grant execute on function app_public.retry_delivery(uuid), app_public.discard_delivery(uuid) to :DATABASE_VISITOR;

create or replace function app_public.discard_delivery(delivery_id uuid) returns app_public.notification_deliveries as $$
declare
  v_delivery app_public.notification_deliveries;
begin
  perform app_private.assert_admin();
  update app_public.notification_deliveries d set status = 'discarded', status_changed_at = now()
    where d.id = discard_delivery.delivery_id and d.status = 'dead' returning * into v_delivery;
  if not found then
    raise exception 'No dead delivery with that id.' using errcode = 'NOFND';
  end if;
  -- The items a dead digest was holding are given up with it.
  update app_public.notification_deliveries d set status = 'discarded', status_changed_at = now()
    where d.digest_id = v_delivery.id and d.status = 'held';
  return v_delivery;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.discard_delivery(uuid) is 'Administrators: gives up on a dead delivery (and the items of a dead digest).';

-- Reports may arrive late or out of order: a status only moves forward
-- (sent → delivered → opened; bounced from sent or delivered). Provider
-- reports can overtake the worker: they are accepted during the attempt too.
create or replace function app_private.provider_report(callback_id text, delivery_id uuid, provider_message_id text,
  status text, detail text default null) returns text as $$
declare
  v_delivery app_public.notification_deliveries;
begin
  if status not in ('delivered', 'opened', 'bounced') then
    raise exception 'Unknown status %.', status using errcode = 'BADIN';
  end if;
  select * into v_delivery from app_public.notification_deliveries d
    where d.id = provider_report.delivery_id or (provider_report.delivery_id is null and d.provider_message_id = provider_report.provider_message_id)
    for update;
  if not found then
    return 'unknown';
  end if;
  insert into app_private.provider_callbacks (id, delivery_id, status) values (callback_id, v_delivery.id, status)
    on conflict (id) do nothing;
  if not found then
    return 'replay';
  end if;
  update app_public.notification_deliveries d
    set status = provider_report.status::app_public.delivery_status, status_changed_at = now(),
      last_error = case when provider_report.status = 'bounced' then coalesce(detail, 'bounced') else d.last_error end
    where d.id = v_delivery.id
      and (d.status, provider_report.status) in (('sent', 'delivered'), ('sent', 'opened'), ('delivered', 'opened'),
        ('sent', 'bounced'), ('delivered', 'bounced'),
        -- A fast provider may report before the attempt is recorded as sent;
        -- complete_delivery keeps the reported status.
        ('sending', 'delivered'), ('sending', 'opened'), ('sending', 'bounced'));
  return 'ok';
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.provider_report(text, uuid, text, text, text) is
  'Applies a verified provider report to its delivery (by id or provider message id): ok, replay or unknown.';

-- A Mustache section opened and never closed (or closed without being
-- opened) would fail every delivery: refused when the template is saved.
create or replace function app_hidden.template_section_error(template text) returns text as $$
declare
  v_tag record;
  v_open text[] := '{}';
begin
  for v_tag in
    select m[1] as sigil, m[2] as name
    from regexp_matches(coalesce(template, ''), '\{\{\s*([#^/])\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}', 'g') as t(m)
  loop
    if v_tag.sigil in ('#', '^') then
      v_open := v_open || v_tag.name;
    elsif cardinality(v_open) = 0 or v_open[cardinality(v_open)] <> v_tag.name then
      return format('{{/%s}} closes no open section', v_tag.name);
    else
      v_open := v_open[1:cardinality(v_open) - 1];
    end if;
  end loop;
  if cardinality(v_open) > 0 then
    return format('{{#%s}} is never closed', v_open[cardinality(v_open)]);
  end if;
  return null;
end;
$$ language plpgsql immutable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.template_section_error(text) is 'What is wrong with the sections of a Mustache template, or null.';
--! EndIncluded notifications/functions.sql
--! Included notifications/triggers.sql
-- Trigger functions and triggers of the notifications domain.

create or replace function app_private.tg_users__notification_settings() returns trigger as $$
begin
  insert into app_public.notification_settings (user_id) values (new.id);
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__notification_settings() is 'Every user starts with default notification settings.';

create or replace function app_private.tg_notification_templates__validate() returns trigger as $$
declare
  v_unknown text[] := app_hidden.template_unknown_variables(new.type, coalesce(new.subject, '') || ' ' || new.body);
  -- Subject and body are rendered apart: each must be whole.
  v_sections text := coalesce(app_hidden.template_section_error(new.subject), app_hidden.template_section_error(new.body));
begin
  if v_sections is not null then
    raise exception 'The template does not parse: %.', v_sections using errcode = 'TMPLV';
  end if;
  if cardinality(v_unknown) > 0 then
    raise exception 'The template uses %, which % events do not carry.', array_to_string(v_unknown, ', '), new.type
      using errcode = 'TMPLV', hint = 'Use only the variables listed on the notification type.';
  end if;
  if tg_op = 'INSERT' then
    -- Saving is versioning: each insert is the next version of its (type, channel, locale).
    perform pg_advisory_xact_lock(hashtext(format('template:%s:%s:%s', new.type, new.channel, new.locale)));
    new.version := coalesce((select max(version) from app_public.notification_templates t
      where t.type = new.type and t.channel = new.channel and t.locale = new.locale), 0) + 1;
  end if;
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_notification_templates__validate() is
  'Refuses templates with unbalanced sections or naming variables their type lacks (TMPLV), and numbers versions.';

create or replace trigger _510_notification_settings after insert on app_public.users
  for each row execute procedure app_private.tg_users__notification_settings();

create or replace trigger _100_timestamps before insert or update on app_public.notification_types
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _200_validate before insert or update on app_public.notification_templates
  for each row execute procedure app_private.tg_notification_templates__validate();

create or replace trigger _100_timestamps before insert or update on app_public.notification_settings
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.notification_preferences
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.webhook_endpoints
  for each row execute procedure app_private.tg__timestamps();
--! EndIncluded notifications/triggers.sql
--! Included notifications/policies.sql
-- Row-level security and grants of the notifications tables: who may read and write what.

-- app_public.notification_types
alter table app_public.notification_types enable row level security;
drop policy if exists select_all on app_public.notification_types;
create policy select_all on app_public.notification_types for select using (true);
drop policy if exists insert_admin on app_public.notification_types;
create policy insert_admin on app_public.notification_types for insert with check (app_public.current_user_is_admin());
drop policy if exists update_admin on app_public.notification_types;
create policy update_admin on app_public.notification_types for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
revoke all on app_public.notification_types from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.notification_types to :DATABASE_ANONYMOUS;
grant insert (code, description, variables, default_channels, is_transactional) on app_public.notification_types to :DATABASE_VISITOR;
grant update (description, variables, default_channels) on app_public.notification_types to :DATABASE_VISITOR;

-- app_public.notification_templates
alter table app_public.notification_templates enable row level security;
drop policy if exists select_admin on app_public.notification_templates;
create policy select_admin on app_public.notification_templates for select using (app_public.current_user_is_admin());
drop policy if exists insert_admin on app_public.notification_templates;
create policy insert_admin on app_public.notification_templates for insert with check (app_public.current_user_is_admin());
drop policy if exists update_admin on app_public.notification_templates;
create policy update_admin on app_public.notification_templates for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
revoke all on app_public.notification_templates from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.notification_templates to :DATABASE_VISITOR;
grant insert (type, channel, locale, subject, body, is_active) on app_public.notification_templates to :DATABASE_VISITOR;
grant update (is_active) on app_public.notification_templates to :DATABASE_VISITOR;

-- app_public.notification_settings
alter table app_public.notification_settings enable row level security;
drop policy if exists select_own on app_public.notification_settings;
create policy select_own on app_public.notification_settings for select using (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.notification_settings;
create policy update_own on app_public.notification_settings for update
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
revoke all on app_public.notification_settings from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.notification_settings to :DATABASE_VISITOR;
grant update (quiet_hours_start, quiet_hours_end, digest_frequency, rate_limit_per_hour) on app_public.notification_settings to :DATABASE_VISITOR;

-- app_public.notification_preferences
alter table app_public.notification_preferences enable row level security;
drop policy if exists select_own on app_public.notification_preferences;
create policy select_own on app_public.notification_preferences for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.notification_preferences;
create policy insert_own on app_public.notification_preferences for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.notification_preferences;
create policy update_own on app_public.notification_preferences for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.notification_preferences;
create policy delete_own on app_public.notification_preferences for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.notification_preferences from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.notification_preferences to :DATABASE_VISITOR;
grant insert (type, channel, enabled) on app_public.notification_preferences to :DATABASE_VISITOR;
grant update (enabled) on app_public.notification_preferences to :DATABASE_VISITOR;

-- app_public.notification_events
alter table app_public.notification_events enable row level security;
drop policy if exists select_own on app_public.notification_events;
create policy select_own on app_public.notification_events for select using (user_id = (select app_public.current_user_id()));
revoke all on app_public.notification_events from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select (id, user_id, type, dedupe_key, created_at) on app_public.notification_events to :DATABASE_VISITOR;

-- app_public.notification_deliveries
alter table app_public.notification_deliveries enable row level security;
drop policy if exists select_own on app_public.notification_deliveries;
create policy select_own on app_public.notification_deliveries for select
  using (user_id = (select app_public.current_user_id()) or (status = 'dead' and app_public.current_user_is_admin()));
revoke all on app_public.notification_deliveries from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.notification_deliveries to :DATABASE_VISITOR;

-- app_public.delivery_attempts
alter table app_public.delivery_attempts enable row level security;
drop policy if exists select_own on app_public.delivery_attempts;
create policy select_own on app_public.delivery_attempts for select
  using (user_id = (select app_public.current_user_id()) or app_public.current_user_is_admin());
revoke all on app_public.delivery_attempts from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.delivery_attempts to :DATABASE_VISITOR;

-- app_public.notifications
alter table app_public.notifications enable row level security;
drop policy if exists select_own on app_public.notifications;
create policy select_own on app_public.notifications for select
  using (user_id = (select app_public.current_user_id()) and (expires_at is null or expires_at > now()));
drop policy if exists update_own on app_public.notifications;
create policy update_own on app_public.notifications for update
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.notifications;
create policy delete_own on app_public.notifications for delete using (user_id = (select app_public.current_user_id()));
revoke all on app_public.notifications from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.notifications to :DATABASE_VISITOR;
grant update (read_at, archived_at) on app_public.notifications to :DATABASE_VISITOR;

-- app_public.push_subscriptions
alter table app_public.push_subscriptions enable row level security;
drop policy if exists select_own on app_public.push_subscriptions;
create policy select_own on app_public.push_subscriptions for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.push_subscriptions;
create policy insert_own on app_public.push_subscriptions for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.push_subscriptions;
create policy update_own on app_public.push_subscriptions for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.push_subscriptions;
create policy delete_own on app_public.push_subscriptions for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.push_subscriptions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.push_subscriptions to :DATABASE_VISITOR;
grant insert (endpoint, p256dh, auth, user_agent) on app_public.push_subscriptions to :DATABASE_VISITOR;

-- app_public.webhook_endpoints
alter table app_public.webhook_endpoints enable row level security;
drop policy if exists select_own on app_public.webhook_endpoints;
create policy select_own on app_public.webhook_endpoints for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.webhook_endpoints;
create policy insert_own on app_public.webhook_endpoints for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.webhook_endpoints;
create policy update_own on app_public.webhook_endpoints for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.webhook_endpoints;
create policy delete_own on app_public.webhook_endpoints for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.webhook_endpoints from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.webhook_endpoints to :DATABASE_VISITOR;
grant update (url, event_types, description, disabled_at) on app_public.webhook_endpoints to :DATABASE_VISITOR;

-- app_private.webhook_secrets
alter table app_private.webhook_secrets enable row level security;
drop policy if exists no_visitor_access on app_private.webhook_secrets;
create policy no_visitor_access on app_private.webhook_secrets as restrictive using (false);

-- app_private.provider_callbacks
alter table app_private.provider_callbacks enable row level security;
drop policy if exists no_visitor_access on app_private.provider_callbacks;
create policy no_visitor_access on app_private.provider_callbacks as restrictive using (false);
--! EndIncluded notifications/policies.sql
--! Included notifications/comments.sql
-- Comments on the notifications tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.notification_channel is 'Where a notification goes: the app itself, email, web push, or your webhooks.';
comment on type app_public.delivery_status is
  'pending: waiting for its time; held: waiting for a digest; sending; sent (handed to the provider); delivered, opened or bounced (reported by the provider); dead (out of attempts); discarded (by an admin); skipped (nothing to send to).';
comment on table app_public.notification_types is
  'A kind of notification (e.g. `reviews.ready`): the variables its events carry, the channels it uses unless you choose otherwise.';
comment on column app_public.notification_types.variables is 'The names an event of this type carries in `data`: the only ones its templates may use.';
comment on column app_public.notification_types.is_transactional is
  'Account mail (verification, password reset): sent at once, whatever the preferences, quiet hours or digests.';
comment on table app_public.notification_templates is
  'Mustache text per notification type, channel and locale, versioned: saving makes a new version. The newest active version is used; a user''s locale falls back to its language, then to `en`.';
comment on column app_public.notification_templates.subject is 'Email subject, push title, or in-app title.';
comment on table app_public.notification_settings is
  'How you are notified: quiet hours (in your time zone; deliveries due inside wait for their end), digests for email and push, and a cap per hour and channel (the excess waits, nothing is dropped).';
comment on column app_public.notification_settings.quiet_hours_start is 'Local time quiet hours begin (may be after the end: 22:00–07:00).';
comment on table app_public.notification_preferences is
  'Your choice, per notification type and channel; without a row the type''s default channels apply.';
comment on table app_public.notification_events is
  'Something worth telling you about, raised in SQL by app_private.notify in the same transaction as its cause.';
comment on column app_public.notification_events.data is
  E'@behavior -*\nThe variables for the templates (may hold single-use tokens: never exposed).';
comment on table app_public.notification_deliveries is
  'One notification on one channel (and target): its status, attempts and last error. Admins see everyone''s dead letters.';
comment on column app_public.notification_deliveries.run_at is 'When it is (next) due: after quiet hours, digest windows, rate limits and retry backoff.';
comment on column app_public.notification_deliveries.digest_id is 'The digest delivery that carried this one.';
comment on column app_public.notification_deliveries.status is
  E'@behavior +filterBy +orderBy\npending, held (for a digest), sending, sent, delivered, opened, bounced, skipped, dead (after the last attempt: an admin retries or discards it) or discarded.';
comment on column app_public.notification_deliveries.status_changed_at is E'@behavior +filterBy +orderBy\nWhen the status last changed.';
comment on column app_public.notification_deliveries.last_error is 'What went wrong at the last failed attempt.';
comment on table app_public.delivery_attempts is
  'Every try of a delivery on an outside channel (email, push, webhook): what the provider answered, or the error. In-app deliveries have no provider; their one attempt is on the delivery.';
comment on table app_public.notifications is 'Your in-app notifications. Read ones are deleted after 90 days.';
comment on table app_public.push_subscriptions is
  'A browser''s Web Push subscription (from PushManager.subscribe). Disabled when the push service says it is gone (404/410).';
comment on table app_public.webhook_endpoints is
  'An HTTPS endpoint of yours that receives notifications as signed JSON (Standard Webhooks). An answer of 410 disables it.';
comment on column app_public.webhook_endpoints.event_types is 'Notification types to send (empty: all types whose webhook channel is on).';
comment on constraint webhook_url_https on app_public.webhook_endpoints is 'A webhook URL is https:// (plain http only to this machine).';
comment on table app_private.webhook_secrets is 'Signing secrets of webhook endpoints (whsec_…); during a rotation two sign.';
comment on table app_private.provider_callbacks is 'Signed provider reports received, by message id: a replayed id is refused.';
--! EndIncluded notifications/comments.sql
--! Included reminders/functions.sql
-- Functions of the reminders domain: the current definition of each, with its comment and grants.

-- The first instant after `after` that is `local_time` on a day matching the rule, in `tz`.
-- (date + time) at time zone tz is DST-safe: a time skipped by a spring-forward falls an hour later.
create or replace function app_hidden.next_local_time(tz text, local_time time, after timestamptz, rule text, days_of_week smallint[] default null)
returns timestamptz as $$
  select min(at) from (
    select ((d::date + local_time) at time zone tz) as at, d::date as day
    from generate_series((after at time zone tz)::date, (after at time zone tz)::date + 32, interval '1 day') d
  ) c
  where at > after and case rule
    when 'daily' then true
    when 'weekly' then extract(isodow from day) = 1
    when 'monthly' then extract(day from day) = 1
    when 'sunday' then extract(isodow from day) = 7
    else extract(isodow from day)::smallint = any(days_of_week) end;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.next_local_time(text, time, timestamptz, text, smallint[]) is
  'Next occurrence of a local time of day after an instant: daily, Mondays (weekly), the 1st (monthly), Sundays, or the given ISO days.';
grant execute on function app_hidden.next_local_time(text, time, timestamptz, text, smallint[]) to :DATABASE_VISITOR;

create or replace function app_private.schedule_ritual_reminder(ritual_id uuid) returns void as $$
declare
  v_ritual app_public.rituals;
  v_key text := 'reminders__ritual:' || ritual_id;
begin
  select * into v_ritual from app_public.rituals r where r.id = schedule_ritual_reminder.ritual_id;
  if not found or not v_ritual.reminder_enabled or not v_ritual.is_active then
    perform graphile_worker.remove_job(v_key);
    return;
  end if;
  perform graphile_worker.add_job('reminders__ritual', json_build_object('ritual_id', ritual_id), job_key := v_key,
    run_at := app_hidden.next_local_time(app_hidden.user_timezone(v_ritual.user_id), v_ritual.reminder_time, now(),
      v_ritual.cadence::text, v_ritual.days_of_week));
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.schedule_ritual_reminder(uuid) is 'Schedules (or removes) the job of a ritual''s next reminder.';

-- The goal check (09:00) and the weekly ritual report (Sunday 18:00) of a user
-- exist while the user has goals with a target date, or rituals.
create or replace function app_private.schedule_user_reminders(user_id uuid) returns void as $$
declare
  v_tz text := app_hidden.user_timezone(user_id);
begin
  if exists (select 1 from app_public.goals g where g.user_id = schedule_user_reminders.user_id and g.target_date is not null) then
    perform graphile_worker.add_job('reminders__goals', json_build_object('user_id', user_id),
      job_key := 'reminders__goals:' || user_id, run_at := app_hidden.next_local_time(v_tz, time '09:00', now(), 'daily'));
  else
    perform graphile_worker.remove_job('reminders__goals:' || user_id);
  end if;
  if exists (select 1 from app_public.rituals r where r.user_id = schedule_user_reminders.user_id and r.is_active) then
    perform graphile_worker.add_job('reminders__weekly_report', json_build_object('user_id', user_id),
      job_key := 'reminders__weekly_report:' || user_id, run_at := app_hidden.next_local_time(v_tz, time '18:00', now(), 'sunday'));
  else
    perform graphile_worker.remove_job('reminders__weekly_report:' || user_id);
  end if;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.schedule_user_reminders(uuid) is 'Schedules (or removes) a user''s daily goal check and weekly ritual report.';

create or replace function app_private.fire_ritual_reminder(ritual_id uuid) returns uuid as $$
declare
  v_ritual app_public.rituals;
  v_today date;
  v_event_id uuid;
begin
  select * into v_ritual from app_public.rituals r where r.id = fire_ritual_reminder.ritual_id;
  if not found then
    return null;
  end if;
  v_today := app_hidden.user_today(v_ritual.user_id);
  -- No reminder for a slot already kept.
  if v_ritual.reminder_enabled and v_ritual.is_active and not exists (
      select 1 from app_public.ritual_completions c
      where c.ritual_id = v_ritual.id and c.slot_start = app_hidden.ritual_slot_start(v_ritual.cadence, v_today)) then
    v_event_id := app_private.notify(v_ritual.user_id, 'rituals.reminder',
      jsonb_build_object('username', (select username from app_public.users where id = v_ritual.user_id),
        'ritual_title', v_ritual.title, 'ritual_id', v_ritual.id),
      'ritual:' || v_ritual.id || ':' || v_today);
  end if;
  perform app_private.schedule_ritual_reminder(v_ritual.id);
  return v_event_id;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.fire_ritual_reminder(uuid) is 'Reminds of a ritual not yet kept in its current slot, once a local day, and schedules the next.';

create or replace function app_private.fire_goal_check(user_id uuid) returns uuid as $$
declare
  v_today date := app_hidden.user_today(user_id);
  v_goals jsonb;
  v_event_id uuid;
begin
  select jsonb_agg(jsonb_build_object('title', g.title, 'target_date', g.target_date, 'overdue', g.target_date < v_today)
      order by g.target_date)
    into v_goals
    from app_public.goals g
    where g.user_id = fire_goal_check.user_id and g.status in ('planned', 'active', 'paused') and g.target_date <= v_today + 3;
  if v_goals is not null then
    v_event_id := app_private.notify(user_id, 'goals.due',
      jsonb_build_object('username', (select username from app_public.users where id = user_id),
        'count', jsonb_array_length(v_goals), 'goals', v_goals),
      'goals:' || v_today);
  end if;
  perform app_private.schedule_user_reminders(user_id);
  return v_event_id;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.fire_goal_check(uuid) is 'The 09:00 check: goals due within three days or overdue, once a local day.';

create or replace function app_private.fire_weekly_report(user_id uuid) returns uuid as $$
declare
  v_today date := app_hidden.user_today(user_id);
  v_week date := date_trunc('week', v_today::timestamp)::date;
  v_rituals jsonb;
  v_event_id uuid;
begin
  select jsonb_agg(jsonb_build_object('title', r.title, 'kept', x.kept, 'slots', x.slots) order by r.title)
    into v_rituals
    from app_public.rituals r
    cross join lateral (select
      app_hidden.ritual_slots_between(r.cadence, r.days_of_week, v_week, v_week + 6) as slots,
      (select count(*)::int from app_public.ritual_completions c
        where c.ritual_id = r.id and c.slot_start between v_week and v_week + 6) as kept) x
    where r.user_id = fire_weekly_report.user_id and r.is_active;
  if v_rituals is not null then
    v_event_id := app_private.notify(user_id, 'rituals.weekly_report',
      jsonb_build_object('username', (select username from app_public.users where id = user_id),
        'kept', (select sum((e ->> 'kept')::int) from jsonb_array_elements(v_rituals) e),
        'slots', (select sum((e ->> 'slots')::int) from jsonb_array_elements(v_rituals) e),
        'rate', (select round(sum((e ->> 'kept')::int)::numeric / nullif(sum((e ->> 'slots')::int), 0), 3)
          from jsonb_array_elements(v_rituals) e),
        'rituals', v_rituals),
      'weekly:' || v_week);
  end if;
  perform app_private.schedule_user_reminders(user_id);
  return v_event_id;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.fire_weekly_report(uuid) is 'The Sunday 18:00 report of the week''s rituals, once a week.';
--! EndIncluded reminders/functions.sql
--! Included reminders/triggers.sql
-- Trigger functions and triggers of the reminders domain.

create or replace function app_private.tg__schedule_reminders() returns trigger as $$
begin
  if tg_table_name = 'rituals' and tg_op <> 'DELETE' then
    perform app_private.schedule_ritual_reminder(new.id);
  elsif tg_table_name = 'rituals' then
    perform graphile_worker.remove_job('reminders__ritual:' || old.id);
  end if;
  if tg_table_name = 'user_settings' then
    -- A new time zone moves every reminder of the user.
    perform app_private.schedule_ritual_reminder(r.id) from app_public.rituals r where r.user_id = new.user_id;
  end if;
  perform app_private.schedule_user_reminders(coalesce(new.user_id, old.user_id));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__schedule_reminders() is 'Keeps reminder jobs in step with rituals, goals and the user''s time zone.';

-- "Your review is ready": every generated review notifies, once per review and generation day.
create or replace function app_private.tg_reviews__ready() returns trigger as $$
begin
  perform app_private.notify(new.user_id, 'reviews.ready',
    jsonb_build_object('username', (select username from app_public.users where id = new.user_id), 'kind', new.kind,
      'period_start', new.period_start, 'gfs', new.gfs, 'review_id', new.id),
    format('review:%s:%s', new.id, new.generated_at::date));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_reviews__ready() is 'Tells the user a review is ready.';

create or replace trigger _600_reminders after update of timezone on app_public.user_settings
  for each row execute procedure app_private.tg__schedule_reminders();

create or replace trigger _600_reminders after insert or delete or update of target_date on app_public.goals
  for each row execute procedure app_private.tg__schedule_reminders();

create or replace trigger _600_reminders after insert or delete or update of reminder_enabled, reminder_time, is_active on app_public.rituals
  for each row execute procedure app_private.tg__schedule_reminders();

create or replace trigger _600_ready after insert or update of generated_at on app_public.reviews
  for each row execute procedure app_private.tg_reviews__ready();
--! EndIncluded reminders/triggers.sql

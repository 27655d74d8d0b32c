--! Previous: sha1:ac4e830eb3b1b94a46409e221318c0da723dac0a
--! Hash: sha1:2addcfd76a8889e1c6a116302de376d1fa399ee8
--! Message: Social domain

--------------------------------------------------------------------------------
-- identity: is_admin and is_verified leave the public profile
--------------------------------------------------------------------------------
-- Profiles become readable by others: the flags move to a table only the
-- owner reads, and User.isAdmin / isVerified answer for oneself alone.
create table app_private.user_flags (
  user_id uuid primary key references app_public.users on delete cascade,
  is_admin boolean not null default false,
  is_verified boolean not null default false
);
insert into app_private.user_flags (user_id, is_admin, is_verified) select id, is_admin, is_verified from app_public.users;
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
  update app_private.user_flags set is_verified = true where user_id = v_token.user_id;
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
--! EndIncluded identity/triggers.sql
alter table app_public.users drop column is_admin, drop column is_verified;
-- Replaced by select_visible (identity/policies.sql).
drop policy select_all on app_public.users;

--------------------------------------------------------------------------------
-- social: privacy settings, friend requests, friendships, blocks, follows
--------------------------------------------------------------------------------
create type app_public.audience as enum ('public', 'friends', 'private');
create type app_public.activity_visibility as enum ('public', 'friends', 'community', 'private');
create type app_public.friend_request_policy as enum ('everyone', 'friends_of_friends', 'nobody');
create type app_public.message_policy as enum ('friends', 'everyone', 'nobody');
create type app_public.friend_request_status as enum ('pending', 'accepted', 'declined', 'cancelled');

-- A copy of privacy_settings.profile_visibility on the profile itself, kept
-- by a trigger: the users policy then reads it from the row (no function call
-- per user), which keeps a list or count of users cheap for anyone.
alter table app_public.users add column profile_visibility app_public.audience not null default 'friends';

create table app_public.privacy_settings (
  user_id uuid primary key references app_public.users on delete cascade,
  profile_visibility app_public.audience not null default 'friends',
  show_streaks boolean not null default false,
  show_records boolean not null default false,
  show_achievements boolean not null default false,
  show_location boolean not null default false,
  default_activity_visibility app_public.activity_visibility not null default 'friends',
  friend_requests_from app_public.friend_request_policy not null default 'everyone',
  messages_from app_public.message_policy not null default 'friends',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
insert into app_public.privacy_settings (user_id) select id from app_public.users;

-- User search matches inside names: trigram indexes keep it off a scan of
-- every user (pg_trgm is a trusted extension: the owner may create it).
create extension if not exists pg_trgm with schema public;
create index users_username_trgm_idx on app_public.users using gin ((username::text) gin_trgm_ops);
create index users_display_name_trgm_idx on app_public.users using gin (display_name gin_trgm_ops);

create table app_public.friend_requests (
  id uuid primary key default gen_random_uuid(),
  requester_id uuid not null references app_public.users on delete cascade,
  recipient_id uuid not null references app_public.users on delete cascade,
  status app_public.friend_request_status not null default 'pending',
  message text constraint friend_request_message_length check (char_length(message) <= 500),
  responded_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint friend_request_not_self check (requester_id <> recipient_id)
);
-- One open request per pair, whichever way it goes.
create unique index friend_request_open_per_pair on app_public.friend_requests
  (least(requester_id, recipient_id), greatest(requester_id, recipient_id)) where status = 'pending';
create index friend_requests_requester_idx on app_public.friend_requests (requester_id, status);
create index friend_requests_recipient_idx on app_public.friend_requests (recipient_id, status);

create table app_public.friendships (
  user_id uuid not null references app_public.users on delete cascade,
  friend_id uuid not null references app_public.users on delete cascade,
  source_request_id uuid references app_public.friend_requests on delete set null,
  created_at timestamptz not null default now(),
  primary key (user_id, friend_id),
  constraint friendship_not_self check (user_id <> friend_id)
);
create index friendships_friend_id_idx on app_public.friendships (friend_id);
create index friendships_source_request_id_idx on app_public.friendships (source_request_id);

create table app_public.blocks (
  blocker_id uuid not null references app_public.users on delete cascade,
  blocked_id uuid not null references app_public.users on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  constraint block_not_self check (blocker_id <> blocked_id)
);
create index blocks_blocked_id_idx on app_public.blocks (blocked_id);

create table app_public.follows (
  follower_id uuid not null references app_public.users on delete cascade,
  followee_id uuid not null references app_public.users on delete cascade,
  created_at timestamptz not null default now(),
  primary key (follower_id, followee_id),
  constraint follow_not_self check (follower_id <> followee_id)
);
create index follows_followee_id_idx on app_public.follows (followee_id);

--------------------------------------------------------------------------------
-- profiles: counts kept by triggers, daily snapshots, records, locations
--------------------------------------------------------------------------------
create table app_private.profile_counts (
  user_id uuid primary key references app_public.users on delete cascade,
  followers_count int not null default 0 constraint followers_count_nonnegative check (followers_count >= 0),
  following_count int not null default 0 constraint following_count_nonnegative check (following_count >= 0),
  friends_count int not null default 0 constraint friends_count_nonnegative check (friends_count >= 0),
  last_active_at timestamptz
);
insert into app_private.profile_counts (user_id) select id from app_public.users;

create type app_public.user_stats as (
  followers_count int, following_count int, friends_count int,
  current_streak int, longest_streak int, completions_last_30_days int, last_active_at timestamptz
);

create table app_public.profile_stats_daily (
  user_id uuid not null references app_public.users on delete cascade,
  stat_date date not null,
  followers_count int not null,
  following_count int not null,
  friends_count int not null,
  current_streak int not null,
  longest_streak int not null,
  completions_last_30_days int not null,
  primary key (user_id, stat_date)
);

create table app_public.personal_records (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  category text not null constraint record_category_format check (category ~ '^[a-z][a-z0-9_]{1,39}$'),
  value numeric not null,
  unit text not null constraint record_unit_length check (char_length(unit) between 1 and 20),
  higher_is_better boolean not null default true,
  visibility app_public.audience not null default 'friends',
  achieved_on date not null default current_date,
  is_personal_best boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index personal_records_user_category_idx on app_public.personal_records (user_id, category);
-- One best per category, checked at commit: the triggers move the mark from
-- one row to another within a statement.
alter table app_public.personal_records add constraint personal_record_one_best
  exclude using btree (user_id with =, category with =) where (is_personal_best) deferrable initially deferred;

create table app_public.user_locations (
  user_id uuid primary key default app_public.current_user_id() references app_public.users on delete cascade,
  country_code text not null constraint location_country_format check (country_code ~ '^[A-Z]{2}$'),
  region_code text constraint location_region_format check (region_code ~ '^[A-Z0-9]{1,3}$'),
  is_visible boolean not null default false,
  last_shared_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index user_locations_visible_idx on app_public.user_locations (country_code, region_code) where is_visible;

--------------------------------------------------------------------------------
-- feed: activity events written by triggers, hides, reports, moderation
--------------------------------------------------------------------------------
create table app_public.activity_verbs (
  verb text primary key constraint activity_verb_format check (verb ~ '^[a-z_]+\.[a-z_]+$'),
  description text not null,
  metadata_keys text[] not null default '{}'
);
insert into app_public.activity_verbs (verb, description, metadata_keys) values
  ('rituals.completed', 'Kept a ritual.', '{ritual_title,slot_start}'),
  ('rituals.streak', 'Reached a streak milestone (7, 30, 100, 365…).', '{ritual_title,length}'),
  ('goals.done', 'Finished a goal.', '{goal_title}'),
  ('goals.key_result_reached', 'Reached a key result.', '{goal_title,key_result_title}'),
  ('social.friendship', 'Became friends.', '{friend_username}'),
  ('reviews.completed', 'Completed a monthly or quarterly review.', '{kind,period_start}');

create table app_public.activity_events (
  id uuid primary key default gen_random_uuid(),
  actor_id uuid not null references app_public.users on delete cascade,
  verb text not null references app_public.activity_verbs on delete restrict,
  object_type text not null constraint activity_object_type_format check (object_type ~ '^[a-z_]+$'),
  object_id uuid not null,
  metadata jsonb not null default '{}' constraint activity_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  visibility app_public.activity_visibility not null,
  community_id uuid,
  dedupe_key text,
  created_at timestamptz not null default now(),
  deleted_at timestamptz,
  hidden_at timestamptz,
  hidden_by uuid references app_public.users on delete set null,
  constraint activity_community_visibility check ((visibility = 'community') = (community_id is not null))
);
-- Keyset pages of one actor's events, newest first (the friends, following and me feeds).
create index activity_events_actor_idx on app_public.activity_events (actor_id, created_at desc, id desc);
-- The friends and following feeds: each actor's events others may ever
-- see, newest first, with what the policy reads (index-only pages).
create index activity_events_shared_actor_idx on app_public.activity_events
  (actor_id, created_at desc, id desc) include (visibility, community_id)
  where visibility <> 'private' and deleted_at is null and hidden_at is null;
-- The public feed: only what anyone may see.
create index activity_events_public_idx on app_public.activity_events (created_at desc, id desc)
  where visibility = 'public' and deleted_at is null and hidden_at is null;
create unique index activity_events_dedupe on app_public.activity_events (actor_id, dedupe_key) where dedupe_key is not null;
create type app_public.feed_filter as enum ('friends', 'following', 'me', 'public');
create index activity_events_verb_idx on app_public.activity_events (verb);
create index activity_events_hidden_by_idx on app_public.activity_events (hidden_by) where hidden_by is not null;

create table app_public.activity_hides (
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  event_id uuid not null references app_public.activity_events on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, event_id)
);
create index activity_hides_event_id_idx on app_public.activity_hides (event_id);

--------------------------------------------------------------------------------
-- messages: one-to-one conversations, receipts, deletions
--------------------------------------------------------------------------------
create table app_public.conversations (
  id uuid primary key default gen_random_uuid(),
  user_low uuid not null references app_public.users on delete cascade,
  user_high uuid not null references app_public.users on delete cascade,
  created_at timestamptz not null default now(),
  last_message_at timestamptz,
  constraint conversation_pair_ordered check (user_low < user_high),
  constraint conversation_once_per_pair unique (user_low, user_high)
);
create index conversations_user_high_idx on app_public.conversations (user_high);

create table app_public.conversation_members (
  conversation_id uuid not null references app_public.conversations on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  delivered_up_to timestamptz,
  read_up_to timestamptz,
  primary key (conversation_id, user_id)
);
create index conversation_members_user_id_idx on app_public.conversation_members (user_id);

create table app_public.direct_messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references app_public.conversations on delete cascade,
  sender_id uuid not null references app_public.users on delete cascade,
  body_md text constraint message_body_length check (char_length(body_md) between 1 and 4000),
  created_at timestamptz not null default clock_timestamp(),
  edited_at timestamptz,
  deleted_at timestamptz,
  constraint message_body_unless_deleted check ((body_md is null) = (deleted_at is not null))
);
create index direct_messages_conversation_idx on app_public.direct_messages (conversation_id, created_at desc, id desc);
-- The sender's recent messages: the send rate cap counts them.
create index direct_messages_sender_idx on app_public.direct_messages (sender_id, created_at);

create table app_public.message_deletions (
  message_id uuid not null references app_public.direct_messages on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  created_at timestamptz not null default now(),
  primary key (message_id, user_id)
);
create index message_deletions_user_id_idx on app_public.message_deletions (user_id);

create table app_public.content_reports (
  id uuid primary key default gen_random_uuid(),
  reporter_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  event_id uuid references app_public.activity_events on delete cascade,
  message_id uuid references app_public.direct_messages on delete cascade,
  reason text not null constraint report_reason_length check (char_length(reason) between 1 and 1000),
  created_at timestamptz not null default now(),
  constraint report_one_target check (num_nonnulls(event_id, message_id) = 1)
);
create index content_reports_reporter_id_idx on app_public.content_reports (reporter_id);
create index content_reports_event_id_idx on app_public.content_reports (event_id);
create index content_reports_message_id_idx on app_public.content_reports (message_id);

create table app_public.moderation_actions (
  id uuid primary key default gen_random_uuid(),
  moderator_id uuid references app_public.users on delete set null,
  action text not null constraint moderation_action_known check (action in ('delete_own_event', 'hide_event', 'unhide_event', 'delete_message')),
  event_id uuid references app_public.activity_events on delete set null,
  message_id uuid references app_public.direct_messages on delete set null,
  reason text constraint moderation_reason_length check (char_length(reason) <= 1000),
  created_at timestamptz not null default now()
);
create index moderation_actions_moderator_id_idx on app_public.moderation_actions (moderator_id);
create index moderation_actions_event_id_idx on app_public.moderation_actions (event_id);
create index moderation_actions_message_id_idx on app_public.moderation_actions (message_id);
create index moderation_actions_created_at_idx on app_public.moderation_actions (created_at desc);

--------------------------------------------------------------------------------
-- notifications: the social types and their English templates
--------------------------------------------------------------------------------
insert into app_public.notification_types (code, description, variables, default_channels, is_transactional) values
  ('social.friend_request', 'Someone asked to be your friend.', '{username,from_username,message,request_id}', '{in_app,push}', false),
  ('social.friend_accepted', 'Your friend request was accepted.', '{username,friend_username}', '{in_app,push}', false),
  ('messages.received', 'A new direct message.', '{username,from_username,preview,conversation_id}', '{in_app,push}', false);
insert into app_public.notification_templates (type, channel, locale, subject, body)
select t.type, c.channel, 'en', t.subject, t.body
from (values
  ('social.friend_request', '{{from_username}} wants to be friends', 'Hello {{username}}, {{from_username}} sent you a friend request.{{#message}} "{{message}}"{{/message}}'),
  ('social.friend_accepted', '{{friend_username}} accepted', 'Hello {{username}}, you and {{friend_username}} are now friends.'),
  ('messages.received', 'Message from {{from_username}}', '{{from_username}}: {{preview}}')
) as t(type, subject, body)
cross join (values ('in_app'::app_public.notification_channel), ('email'), ('push')) as c(channel);

--! Included social/functions.sql
-- Functions of the social domain: who can see whom, and the only ways to
-- change friendships, requests, blocks and follows.

-- The relations of one user, for policies: each is called once per statement
-- (wrapped in a scalar subquery), so a feed page compares against an array
-- instead of querying per row. Definer: friendships and blocks are private,
-- so each answers about the current user only (empty for anyone else).
create or replace function app_hidden.friend_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(f.friend_id), '{}') from app_public.friendships f
  where f.user_id = friend_ids.user_id and friend_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.friend_ids(uuid) is 'The friends of a user.';
grant execute on function app_hidden.friend_ids(uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.followee_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(f.followee_id), '{}') from app_public.follows f
  where f.follower_id = followee_ids.user_id and followee_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.followee_ids(uuid) is 'Whom a user follows.';
grant execute on function app_hidden.followee_ids(uuid) to :DATABASE_ANONYMOUS;

-- A block works both ways: the users a user blocked, and those who blocked them.
create or replace function app_hidden.block_peer_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(peer), '{}') from (
    select b.blocked_id as peer from app_public.blocks b where b.blocker_id = block_peer_ids.user_id
    union
    select b.blocker_id from app_public.blocks b where b.blocked_id = block_peer_ids.user_id
  ) p
  where block_peer_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.block_peer_ids(uuid) is 'Everyone a user blocked or was blocked by.';
grant execute on function app_hidden.block_peer_ids(uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.is_blocked_between(a uuid, b uuid) returns boolean as $$
  select app_public.current_user_id() in (a, b) and exists (select 1 from app_public.blocks
    where (blocker_id = a and blocked_id = b) or (blocker_id = b and blocked_id = a));
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.is_blocked_between(uuid, uuid) is 'True when either user blocked the other.';
grant execute on function app_hidden.is_blocked_between(uuid, uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.are_friends(a uuid, b uuid) returns boolean as $$
  select app_public.current_user_id() in (a, b) and exists (select 1 from app_public.friendships where user_id = a and friend_id = b);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.are_friends(uuid, uuid) is 'True when the two users are friends.';
grant execute on function app_hidden.are_friends(uuid, uuid) to :DATABASE_ANONYMOUS;

-- Another user's settings, for the functions whose rules depend on them
-- (send_message): owner only, the visitor reads only their own row.
create or replace function app_hidden.privacy_of(user_id uuid) returns app_public.privacy_settings as $$
  select p.* from app_public.privacy_settings p where p.user_id = privacy_of.user_id;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.privacy_of(uuid) is 'A user''s privacy settings, for security definer functions (not the visitor).';
revoke execute on function app_hidden.privacy_of(uuid) from :DATABASE_ANONYMOUS;

-- The one rule for profiles: oneself always; nobody across a block; then the
-- owner's profile visibility (public: anyone, anonymous included; friends:
-- friends; private: nobody else). Administrators see every profile, for
-- moderation. A blocked user gets the same answer as for a missing one.
create or replace function app_hidden.can_see_profile(target uuid) returns boolean as $$
  -- One statement, no nested calls. The users policy writes the same rule out.
  select target = v.viewer or (
    not exists (select 1 from app_public.blocks b
      where (b.blocker_id = v.viewer and b.blocked_id = target) or (b.blocker_id = target and b.blocked_id = v.viewer))
    and (exists (select 1 from app_private.user_flags f where f.user_id = v.viewer and f.is_admin)
      or exists (select 1 from app_public.users u where u.id = target
        and (u.profile_visibility = 'public' or (u.profile_visibility = 'friends'
          and exists (select 1 from app_public.friendships f where f.user_id = v.viewer and f.friend_id = target))))))
  from (select app_public.current_user_id() as viewer) v;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.can_see_profile(uuid) is 'Whether the current viewer may see a user''s profile.';
grant execute on function app_hidden.can_see_profile(uuid) to :DATABASE_ANONYMOUS;

-- The one setting policies need of another user: whether the profile, when
-- the viewer may see it, shows its records.
create or replace function app_hidden.shows_records(user_id uuid) returns boolean as $$
  select app_hidden.can_see_profile(shows_records.user_id)
    and coalesce((select p.show_records from app_public.privacy_settings p where p.user_id = shows_records.user_id), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.shows_records(uuid) is 'Whether a user''s profile shows their personal records.';
grant execute on function app_hidden.shows_records(uuid) to :DATABASE_ANONYMOUS;

-- Requests and messages between two users are serialised on the pair: the
-- crossing requests of two users, or a block racing a message, take turns.
create or replace function app_private.lock_pair(a uuid, b uuid) returns void as $$
  select pg_advisory_xact_lock(hashtextextended(least(a, b)::text || greatest(a, b)::text, 7));
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.lock_pair(uuid, uuid) is 'Serialises changes between two users until the transaction ends.';

-- The user another may act on: NOFND when missing, invisible, or across a
-- block, so a blocked user cannot tell a blocker from nobody; BADIN for oneself.
create or replace function app_private.assert_other_user(me uuid, other uuid) returns void as $$
begin
  if me is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if other = me then
    raise exception 'That is you.' using errcode = 'BADIN';
  end if;
  if not exists (select 1 from app_public.users where id = other) or app_hidden.is_blocked_between(me, other) then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_other_user(uuid, uuid) is 'Raises unless the other user exists, is not oneself and is not across a block.';

create or replace function app_private.make_friends(a uuid, b uuid, request_id uuid) returns void as $$
  insert into app_public.friendships (user_id, friend_id, source_request_id)
  values (a, b, request_id), (b, a, request_id)
  on conflict do nothing;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.make_friends(uuid, uuid, uuid) is 'Writes both rows of a friendship.';

-- Sends a request; if the other user's request to us is pending, the two
-- become friends instead (and that request is accepted).
create or replace function app_public.send_friend_request(recipient_id uuid, message text default null)
returns app_public.friend_requests as $$
declare
  v_me uuid := app_public.current_user_id();
  v_policy app_public.friend_request_policy;
  v_crossing app_public.friend_requests;
  v_request app_public.friend_requests;
begin
  perform app_private.assert_other_user(v_me, recipient_id);
  -- One request of a user's at a time: the count of their pending requests
  -- (FRLIM, below) stays true until this transaction ends. Always taken
  -- before the pair's lock, and by nothing else: no deadlock.
  perform pg_advisory_xact_lock(hashtextextended(v_me::text, 13));
  perform app_private.lock_pair(v_me, recipient_id);
  if not app_hidden.can_see_profile(recipient_id) and not exists (
      select 1 from app_public.privacy_settings p where p.user_id = recipient_id and p.friend_requests_from <> 'nobody') then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
  if app_hidden.are_friends(v_me, recipient_id) then
    raise exception 'You are already friends.' using errcode = 'FRDUP';
  end if;
  select * into v_crossing from app_public.friend_requests r
    where r.requester_id = send_friend_request.recipient_id and r.recipient_id = v_me and r.status = 'pending';
  if found then
    update app_public.friend_requests set status = 'accepted', responded_at = now() where id = v_crossing.id
      returning * into v_request;
    perform app_private.make_friends(v_me, recipient_id, v_crossing.id);
    perform app_private.notify(recipient_id, 'social.friend_accepted', jsonb_build_object(
      'username', (select username from app_public.users where id = recipient_id),
      'friend_username', (select username from app_public.users where id = v_me)), 'friend:' || v_crossing.id);
    return v_request;
  end if;
  if exists (select 1 from app_public.friend_requests r where r.requester_id = v_me
      and r.recipient_id = send_friend_request.recipient_id and r.status = 'pending') then
    raise exception 'You already asked.' using errcode = 'FRDUP';
  end if;
  select p.friend_requests_from into v_policy from app_public.privacy_settings p where p.user_id = recipient_id;
  if v_policy = 'nobody' or (v_policy = 'friends_of_friends' and not exists (
      select 1 from app_public.friendships a join app_public.friendships b on b.user_id = a.friend_id
      where a.user_id = v_me and b.friend_id = send_friend_request.recipient_id)) then
    raise exception 'This person does not take friend requests from you.' using errcode = 'FRNOT';
  end if;
  if (select count(*) from app_public.friend_requests r where r.requester_id = v_me and r.status = 'pending') >= 50 then
    raise exception 'You have 50 requests waiting for an answer: cancel some first.' using errcode = 'FRLIM';
  end if;
  insert into app_public.friend_requests (requester_id, recipient_id, message)
    values (v_me, recipient_id, nullif(trim(message), '')) returning * into v_request;
  perform app_private.notify(recipient_id, 'social.friend_request', jsonb_build_object(
    'username', (select username from app_public.users where id = recipient_id),
    'from_username', (select username from app_public.users where id = v_me),
    'message', v_request.message, 'request_id', v_request.id), 'request:' || v_request.id);
  return v_request;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.send_friend_request(uuid, text) is
  'Asks someone to be your friend (or accepts their pending request to you). Errors: NOFND, BADIN, FRDUP, FRNOT, FRLIM.';
grant execute on function app_public.send_friend_request(uuid, text) to :DATABASE_VISITOR;

create or replace function app_public.respond_to_friend_request(request_id uuid, accept boolean)
returns app_public.friend_requests as $$
declare
  v_me uuid := app_public.current_user_id();
  v_request app_public.friend_requests;
begin
  select * into v_request from app_public.friend_requests r where r.id = request_id and r.recipient_id = v_me;
  if not found then
    raise exception 'No such request.' using errcode = 'NOFND';
  end if;
  perform app_private.lock_pair(v_me, v_request.requester_id);
  select * into v_request from app_public.friend_requests r where r.id = request_id and r.status = 'pending';
  if not found then
    raise exception 'That request is no longer pending.' using errcode = 'NOFND';
  end if;
  update app_public.friend_requests set status = case when accept then 'accepted' else 'declined' end::app_public.friend_request_status,
    responded_at = now() where id = request_id returning * into v_request;
  if accept then
    perform app_private.make_friends(v_me, v_request.requester_id, request_id);
    perform app_private.notify(v_request.requester_id, 'social.friend_accepted', jsonb_build_object(
      'username', (select username from app_public.users where id = v_request.requester_id),
      'friend_username', (select username from app_public.users where id = v_me)), 'friend:' || request_id);
  end if;
  return v_request;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.respond_to_friend_request(uuid, boolean) is
  'Accepts or declines a request sent to you; accepting makes you friends. Errors: NOFND.';
grant execute on function app_public.respond_to_friend_request(uuid, boolean) to :DATABASE_VISITOR;

create or replace function app_public.cancel_friend_request(request_id uuid) returns app_public.friend_requests as $$
  update app_public.friend_requests set status = 'cancelled', responded_at = now()
  where id = request_id and requester_id = app_public.current_user_id() and status = 'pending'
  returning *;
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.cancel_friend_request(uuid) is 'Takes back a request you sent that is still pending (null when there is none).';
grant execute on function app_public.cancel_friend_request(uuid) to :DATABASE_VISITOR;

create or replace function app_public.unfriend(friend_id uuid) returns boolean as $$
declare
  v_me uuid := app_public.current_user_id();
begin
  perform app_private.lock_pair(v_me, friend_id);
  delete from app_public.friendships f
    where (f.user_id = v_me and f.friend_id = unfriend.friend_id) or (f.user_id = unfriend.friend_id and f.friend_id = v_me);
  return found;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unfriend(uuid) is 'Ends a friendship, both ways. False when you were not friends.';
grant execute on function app_public.unfriend(uuid) to :DATABASE_VISITOR;

-- Blocking ends the friendship, the follows both ways and open requests.
create or replace function app_public.block_user(user_id uuid) returns boolean as $$
declare
  v_me uuid := app_public.current_user_id();
begin
  if v_me is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if user_id = v_me or not exists (select 1 from app_public.users u where u.id = block_user.user_id) then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
  perform app_private.lock_pair(v_me, user_id);
  insert into app_public.blocks (blocker_id, blocked_id) values (v_me, user_id) on conflict do nothing;
  delete from app_public.friendships f
    where (f.user_id = v_me and f.friend_id = block_user.user_id) or (f.user_id = block_user.user_id and f.friend_id = v_me);
  delete from app_public.follows f
    where (f.follower_id = v_me and f.followee_id = block_user.user_id) or (f.follower_id = block_user.user_id and f.followee_id = v_me);
  update app_public.friend_requests r set status = 'cancelled', responded_at = now()
    where r.status = 'pending' and ((r.requester_id = v_me and r.recipient_id = block_user.user_id)
      or (r.requester_id = block_user.user_id and r.recipient_id = v_me));
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.block_user(uuid) is
  'Blocks a user: nothing passes between you any more, and your friendship, follows and requests end.';
grant execute on function app_public.block_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.unblock_user(user_id uuid) returns boolean as $$
  with gone as (
    delete from app_public.blocks b where b.blocker_id = app_public.current_user_id() and b.blocked_id = unblock_user.user_id
    returning 1
  ) select exists (select 1 from gone);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unblock_user(uuid) is 'Lifts your block of a user (friendships and follows do not come back).';
grant execute on function app_public.unblock_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.follow_user(user_id uuid) returns boolean as $$
declare
  v_me uuid := app_public.current_user_id();
begin
  perform app_private.assert_other_user(v_me, user_id);
  -- Serialised with block_user on the pair, then checked again: a block
  -- either comes first (and the follow is refused) or after (and ends it).
  perform app_private.lock_pair(v_me, user_id);
  perform app_private.assert_other_user(v_me, user_id);
  if not app_hidden.can_see_profile(user_id) then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
  insert into app_public.follows (follower_id, followee_id) values (v_me, user_id) on conflict do nothing;
  return found;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.follow_user(uuid) is 'Follows someone whose profile you can see. Errors: NOFND, BADIN.';
grant execute on function app_public.follow_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.unfollow_user(user_id uuid) returns boolean as $$
  with gone as (
    delete from app_public.follows f where f.follower_id = app_public.current_user_id() and f.followee_id = unfollow_user.user_id
    returning 1
  ) select exists (select 1 from gone);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unfollow_user(uuid) is 'Stops following someone.';
grant execute on function app_public.unfollow_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.search_users(term text) returns setof app_public.users as $$
  -- The term's wildcards are escaped. Definer, with the profile rule applied
  -- here: under the users policy, ILIKE (not leakproof) could not use the
  -- trigram indexes, and every search would read every user.
  with pattern as (select replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') as p)
  select u.* from app_public.users u, pattern
  where char_length(term) between 2 and 50
    and (u.username::text ilike pattern.p || '%' or u.display_name ilike '%' || pattern.p || '%')
    and app_hidden.can_see_profile(u.id)
  order by u.username
  limit 20;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.search_users(text) is
  E'@behavior -connection +list\n@listSuffix omit\nUp to 20 people whose username starts with, or display name contains, the term (2-50 characters), among those you may see.';
grant execute on function app_public.search_users(text) to :DATABASE_ANONYMOUS;
--! EndIncluded social/functions.sql
--! Included social/triggers.sql
-- Trigger functions and triggers of the social domain.

create or replace function app_private.tg_users__privacy_settings() returns trigger as $$
begin
  insert into app_public.privacy_settings (user_id) values (new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__privacy_settings() is 'Every user starts with private-leaning privacy settings.';

create or replace function app_private.tg_privacy_settings__profile_visibility() returns trigger as $$
begin
  update app_public.users set profile_visibility = new.profile_visibility
    where id = new.user_id and profile_visibility is distinct from new.profile_visibility;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_privacy_settings__profile_visibility() is 'Copies the profile visibility onto the profile, where the users policy reads it.';

create or replace trigger _520_privacy_settings after insert on app_public.users
  for each row execute procedure app_private.tg_users__privacy_settings();

create or replace trigger _100_timestamps before insert or update on app_public.privacy_settings
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.friend_requests
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_profile_visibility after insert or update of profile_visibility on app_public.privacy_settings
  for each row execute procedure app_private.tg_privacy_settings__profile_visibility();
--! EndIncluded social/triggers.sql
--! Included social/policies.sql
-- Row-level security and grants of the social tables: who may read and write what.
-- Clients change the social graph only through the functions in functions.sql.

-- app_public.privacy_settings
alter table app_public.privacy_settings enable row level security;
drop policy if exists select_own on app_public.privacy_settings;
create policy select_own on app_public.privacy_settings for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.privacy_settings;
create policy update_own on app_public.privacy_settings for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
revoke all on app_public.privacy_settings from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.privacy_settings to :DATABASE_VISITOR;
grant update (profile_visibility, show_streaks, show_records, show_achievements, show_location,
  default_activity_visibility, friend_requests_from, messages_from) on app_public.privacy_settings to :DATABASE_VISITOR;

-- app_public.friend_requests: the two people it is between.
alter table app_public.friend_requests enable row level security;
drop policy if exists select_own on app_public.friend_requests;
create policy select_own on app_public.friend_requests for select
  using (requester_id = (select app_public.current_user_id()) or recipient_id = (select app_public.current_user_id()));
revoke all on app_public.friend_requests from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.friend_requests to :DATABASE_VISITOR;

-- app_public.friendships: your own friends list.
alter table app_public.friendships enable row level security;
drop policy if exists select_own on app_public.friendships;
create policy select_own on app_public.friendships for select
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.friendships from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.friendships to :DATABASE_VISITOR;

-- app_public.blocks: only the blocker knows.
alter table app_public.blocks enable row level security;
drop policy if exists select_own on app_public.blocks;
create policy select_own on app_public.blocks for select
  using (blocker_id = (select app_public.current_user_id()));
revoke all on app_public.blocks from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.blocks to :DATABASE_VISITOR;

-- app_public.follows: whom you follow, and who follows you.
alter table app_public.follows enable row level security;
drop policy if exists select_own on app_public.follows;
create policy select_own on app_public.follows for select
  using (follower_id = (select app_public.current_user_id()) or followee_id = (select app_public.current_user_id()));
revoke all on app_public.follows from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.follows to :DATABASE_VISITOR;
--! EndIncluded social/policies.sql
--! Included social/comments.sql
-- Comments on the social tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.audience is 'Who may see it: anyone (public), your friends, or only you (private).';
comment on type app_public.activity_visibility is 'Who may see an activity: anyone, your friends, a community, or only you.';
comment on type app_public.friend_request_policy is 'Who may send you friend requests.';
comment on type app_public.message_policy is 'Who may send you direct messages.';
comment on type app_public.friend_request_status is 'Where a friend request stands.';
comment on table app_public.privacy_settings is 'What others may see of you and do with you; the database applies it everywhere.';
comment on column app_public.privacy_settings.profile_visibility is 'Who sees your profile: anyone, friends (the default), or only you.';
comment on column app_public.privacy_settings.show_streaks is 'Whether those who see your profile see your ritual streaks.';
comment on column app_public.privacy_settings.show_records is 'Whether those who see your profile see your personal records (each record also has its own visibility).';
comment on column app_public.privacy_settings.show_achievements is 'Whether those who see your profile see your achievements.';
comment on column app_public.privacy_settings.show_location is 'Whether those who see your profile see your country and region.';
comment on column app_public.privacy_settings.default_activity_visibility is 'The visibility your new activity gets; you can change each one afterwards.';
comment on column app_public.privacy_settings.friend_requests_from is 'Who may send you friend requests: everyone, friends of your friends, or nobody.';
comment on column app_public.privacy_settings.messages_from is 'Who may message you: friends (the default), everyone, or nobody.';
comment on table app_public.friend_requests is E'@behavior -insert -update -delete\nFriend requests you sent or received. Use sendFriendRequest, respondToFriendRequest and cancelFriendRequest.';
comment on column app_public.friend_requests.message is 'An optional note with the request (up to 500 characters).';
comment on constraint friend_requests_requester_id_fkey on app_public.friend_requests is E'@fieldName requester\n@foreignFieldName sentFriendRequests';
comment on constraint friend_requests_recipient_id_fkey on app_public.friend_requests is E'@fieldName recipient\n@foreignFieldName receivedFriendRequests';
comment on table app_public.friendships is E'@behavior -insert -update -delete\nYour friends: one row each way per friendship, written when a request is accepted.';
comment on constraint friendships_user_id_fkey on app_public.friendships is E'@fieldName user\n@foreignFieldName friendships';
comment on constraint friendships_friend_id_fkey on app_public.friendships is E'@fieldName friend\n@behavior -many';
comment on table app_public.blocks is E'@behavior -insert -update -delete\nPeople you blocked (blockUser, unblockUser). They are never told.';
comment on constraint blocks_blocker_id_fkey on app_public.blocks is E'@fieldName blocker\n@foreignFieldName blocks';
comment on constraint blocks_blocked_id_fkey on app_public.blocks is E'@fieldName blocked\n@behavior -many';
comment on table app_public.follows is E'@behavior -insert -update -delete\nWhom you follow and who follows you (followUser, unfollowUser).';
comment on constraint follows_follower_id_fkey on app_public.follows is E'@fieldName follower\n@foreignFieldName following';
comment on constraint follows_followee_id_fkey on app_public.follows is E'@fieldName followee\n@foreignFieldName followers';
--! EndIncluded social/comments.sql
--! Included profiles/functions.sql
-- Functions of the profiles domain: what a profile shows, and its daily snapshot.

-- A user's ritual numbers, for the profile and its nightly snapshot alike:
-- the longest current streak of an active ritual, the longest streak ever,
-- and the completions between two instants.
create or replace function app_private.ritual_numbers(user_id uuid, since timestamptz, until timestamptz,
  out current_streak int, out longest_streak int, out completions int) as $$
  select
    coalesce((select max(app_public.rituals_current_streak(r)) from app_public.rituals r
      where r.user_id = ritual_numbers.user_id and r.is_active), 0),
    coalesce((select max(k.length) from app_public.ritual_streaks k where k.user_id = ritual_numbers.user_id), 0),
    (select count(*)::int from app_public.ritual_completions rc
      where rc.user_id = ritual_numbers.user_id and rc.completed_at > since and rc.completed_at < until);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.ritual_numbers(uuid, timestamptz, timestamptz) is
  'A user''s longest current and longest ever ritual streaks, and completions between two instants.';

-- A profile's numbers, computed in SQL on read from counts kept by triggers
-- and the ritual streaks; null for a profile the viewer may not see, and the
-- streaks null (and not computed) unless their owner shows them.
create or replace function app_public.users_stats(u app_public.users) returns app_public.user_stats as $$
  select c.followers_count, c.following_count, c.friends_count,
    n.current_streak, n.longest_streak, n.completions, c.last_active_at
  from app_private.profile_counts c
  cross join lateral (select u.id = app_public.current_user_id()
    or coalesce((select p.show_streaks from app_public.privacy_settings p where p.user_id = u.id), false) as show) s
  left join lateral (select * from app_private.ritual_numbers(u.id, now() - interval '30 days', 'infinity') where s.show) n on true
  where c.user_id = u.id and app_hidden.can_see_profile(u.id);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_stats(app_public.users) is
  'Followers, following and friends, streaks across rituals (when shown), completions over 30 days, last activity.';
grant execute on function app_public.users_stats(app_public.users) to :DATABASE_ANONYMOUS;

create or replace function app_public.users_location(u app_public.users) returns app_public.user_locations as $$
  select l.* from app_public.user_locations l
  where l.user_id = u.id and (u.id = app_public.current_user_id() or (l.is_visible and app_hidden.can_see_profile(u.id)
    and coalesce((select p.show_location from app_public.privacy_settings p where p.user_id = u.id), false)));
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_location(app_public.users) is 'Country and region, when the owner shares them with you.';
grant execute on function app_public.users_location(app_public.users) to :DATABASE_ANONYMOUS;

-- The nightly snapshot (profiles__snapshot): one row per user and day, replaced when run again.
create or replace function app_private.snapshot_profile_stats(on_date date) returns int as $$
  with written as (
    insert into app_public.profile_stats_daily (user_id, stat_date, followers_count, following_count, friends_count,
      current_streak, longest_streak, completions_last_30_days)
    select c.user_id, on_date, c.followers_count, c.following_count, c.friends_count,
      n.current_streak, n.longest_streak, n.completions
    from app_private.profile_counts c
    cross join lateral app_private.ritual_numbers(c.user_id, (on_date - 29)::timestamptz, (on_date + 1)::timestamptz) n
    on conflict (user_id, stat_date) do update set followers_count = excluded.followers_count,
      following_count = excluded.following_count, friends_count = excluded.friends_count,
      current_streak = excluded.current_streak, longest_streak = excluded.longest_streak,
      completions_last_30_days = excluded.completions_last_30_days
    returning 1
  ) select count(*)::int from written;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.snapshot_profile_stats(date) is 'Writes every user''s profile numbers for a day; returns how many.';
--! EndIncluded profiles/functions.sql
--! Included profiles/triggers.sql
-- Trigger functions and triggers of the profiles domain: counts that stay
-- exactly equal to the rows they count. Each change updates the counted
-- user's one row, so concurrent follows serialise on that row and none is lost.

create or replace function app_private.tg_users__profile_counts() returns trigger as $$
begin
  insert into app_private.profile_counts (user_id) values (new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__profile_counts() is 'Every user has a row of profile counts.';

create or replace function app_private.tg_follows__counts() returns trigger as $$
begin
  -- Both rows first, in one order (by user id): two follows taking them in
  -- opposite orders (each other, or round a ring) would deadlock.
  perform 1 from app_private.profile_counts c
    where c.user_id in (coalesce(new.follower_id, old.follower_id), coalesce(new.followee_id, old.followee_id))
    order by c.user_id for update;
  if tg_op = 'INSERT' then
    update app_private.profile_counts set followers_count = followers_count + 1 where user_id = new.followee_id;
    update app_private.profile_counts set following_count = following_count + 1 where user_id = new.follower_id;
  else
    update app_private.profile_counts set followers_count = followers_count - 1 where user_id = old.followee_id;
    update app_private.profile_counts set following_count = following_count - 1 where user_id = old.follower_id;
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_follows__counts() is 'Keeps follower and following counts.';

create or replace function app_private.tg_friendships__counts() returns trigger as $$
begin
  -- Both friends' rows first, in one order (by user id), as follows do.
  perform 1 from app_private.profile_counts c
    where c.user_id in (coalesce(new.user_id, old.user_id), coalesce(new.friend_id, old.friend_id))
    order by c.user_id for update;
  if tg_op = 'INSERT' then
    update app_private.profile_counts set friends_count = friends_count + 1 where user_id = new.user_id;
  else
    update app_private.profile_counts set friends_count = friends_count - 1 where user_id = old.user_id;
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_friendships__counts() is 'Keeps friend counts (one row per side of a friendship).';

-- A personal best is the best value of its category: highest (or lowest
-- when lower is better), the first achieved on a tie. The row being written
-- learns whether it is the best before it is stored (so the mutation's
-- payload is right); the others follow after it. Serialised per (user,
-- category), so two records saved at once leave one best.
create or replace function app_private.best_personal_record_id(user_id uuid, category text, candidate app_public.personal_records)
returns uuid as $$
  select c.id from (
    select b.id, b.value, b.higher_is_better, b.achieved_on, b.created_at from app_public.personal_records b
    where b.user_id = best_personal_record_id.user_id and b.category = best_personal_record_id.category
      and b.id is distinct from candidate.id
    union all
    select candidate.id, candidate.value, candidate.higher_is_better, candidate.achieved_on, candidate.created_at
    where candidate.id is not null and candidate.user_id = best_personal_record_id.user_id
      and candidate.category = best_personal_record_id.category
  ) c
  order by case when c.higher_is_better then c.value end desc nulls last,
    case when not c.higher_is_better then c.value end asc nulls last, c.achieved_on, c.created_at, c.id
  limit 1;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.best_personal_record_id(uuid, text, app_public.personal_records) is
  'The best record of a user''s category, counting a row about to be written.';

create or replace function app_private.mark_personal_best(user_id uuid, category text) returns void as $$
declare
  v_best uuid := app_private.best_personal_record_id(user_id, category, null);
begin
  update app_public.personal_records r set is_personal_best = false
    where r.user_id = mark_personal_best.user_id and r.category = mark_personal_best.category
      and r.is_personal_best and r.id <> v_best;
  update app_public.personal_records r set is_personal_best = true
    where r.id = v_best and not r.is_personal_best;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.mark_personal_best(uuid, text) is 'Marks the one personal best of a user''s category.';

create or replace function app_private.tg_personal_records__best_of_row() returns trigger as $$
begin
  perform pg_advisory_xact_lock(hashtextextended(new.user_id::text || new.category, 11));
  if tg_op = 'UPDATE' and old.category <> new.category then
    perform pg_advisory_xact_lock(hashtextextended(old.user_id::text || old.category, 11));
  end if;
  new.is_personal_best := new.id = app_private.best_personal_record_id(new.user_id, new.category, new);
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_personal_records__best_of_row() is 'Tells the row being written whether it is its category''s best.';

create or replace function app_private.tg_personal_records__best() returns trigger as $$
begin
  if tg_op = 'DELETE' then
    perform pg_advisory_xact_lock(hashtextextended(old.user_id::text || old.category, 11));
  end if;
  if tg_op <> 'INSERT' then
    perform app_private.mark_personal_best(old.user_id, old.category);
  end if;
  if tg_op <> 'DELETE' then
    perform app_private.mark_personal_best(new.user_id, new.category);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_personal_records__best() is 'Marks the one personal best of each category.';

create or replace trigger _530_profile_counts after insert on app_public.users
  for each row execute procedure app_private.tg_users__profile_counts();

create or replace trigger _500_counts after insert or delete on app_public.follows
  for each row execute procedure app_private.tg_follows__counts();

create or replace trigger _500_counts after insert or delete on app_public.friendships
  for each row execute procedure app_private.tg_friendships__counts();

create or replace trigger _100_timestamps before insert or update on app_public.personal_records
  for each row execute procedure app_private.tg__timestamps();

-- Not on is_personal_best: the triggers' own updates do not fire them again.
create or replace trigger _200_best before insert or update of value, category, higher_is_better, achieved_on on app_public.personal_records
  for each row execute procedure app_private.tg_personal_records__best_of_row();

create or replace trigger _500_best after insert or delete or update of value, category, higher_is_better, achieved_on on app_public.personal_records
  for each row execute procedure app_private.tg_personal_records__best();

create or replace trigger _100_timestamps before insert or update on app_public.user_locations
  for each row execute procedure app_private.tg__timestamps();
--! EndIncluded profiles/triggers.sql
--! Included profiles/policies.sql
-- Row-level security and grants of the profiles tables: who may read and write what.

-- app_private.profile_counts: read through User.stats.
alter table app_private.profile_counts enable row level security;
drop policy if exists no_visitor_access on app_private.profile_counts;
create policy no_visitor_access on app_private.profile_counts as restrictive using (false);

-- app_public.profile_stats_daily: your own history.
alter table app_public.profile_stats_daily enable row level security;
drop policy if exists select_own on app_public.profile_stats_daily;
create policy select_own on app_public.profile_stats_daily for select
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.profile_stats_daily from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.profile_stats_daily to :DATABASE_VISITOR;

-- app_public.personal_records: yours; others' as their visibility, the
-- owner's show_records and the profile rule allow.
alter table app_public.personal_records enable row level security;
drop policy if exists select_visible on app_public.personal_records;
create policy select_visible on app_public.personal_records for select using (
  user_id = (select app_public.current_user_id())
  or (visibility <> 'private' and app_hidden.can_see_profile(user_id)
    and (visibility = 'public' or user_id = any ((select app_hidden.friend_ids(app_public.current_user_id()))::uuid[]))
    and app_hidden.shows_records(user_id)));
drop policy if exists insert_own on app_public.personal_records;
create policy insert_own on app_public.personal_records for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.personal_records;
create policy update_own on app_public.personal_records for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.personal_records;
create policy delete_own on app_public.personal_records for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.personal_records from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.personal_records to :DATABASE_ANONYMOUS;
grant delete on app_public.personal_records to :DATABASE_VISITOR;
grant insert (category, value, unit, higher_is_better, visibility, achieved_on) on app_public.personal_records to :DATABASE_VISITOR;
grant update (category, value, unit, higher_is_better, visibility, achieved_on) on app_public.personal_records to :DATABASE_VISITOR;

-- app_public.user_locations: your own row (others read it through User.location).
alter table app_public.user_locations enable row level security;
drop policy if exists select_own on app_public.user_locations;
create policy select_own on app_public.user_locations for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.user_locations;
create policy insert_own on app_public.user_locations for insert
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists update_own on app_public.user_locations;
create policy update_own on app_public.user_locations for update
  using (user_id = (select app_public.current_user_id()))
  with check (user_id = (select app_public.current_user_id()));
drop policy if exists delete_own on app_public.user_locations;
create policy delete_own on app_public.user_locations for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.user_locations from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.user_locations to :DATABASE_VISITOR;
grant insert (country_code, region_code, is_visible, last_shared_at) on app_public.user_locations to :DATABASE_VISITOR;
grant update (country_code, region_code, is_visible, last_shared_at) on app_public.user_locations to :DATABASE_VISITOR;
--! EndIncluded profiles/policies.sql
--! Included profiles/comments.sql
-- Comments on the profiles tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.user_stats is 'A profile''s numbers. Streaks and completions are null unless their owner shows streaks.';
comment on table app_private.profile_counts is 'Follower, following and friend counts and last activity of each user, kept by triggers.';
comment on table app_public.profile_stats_daily is E'@behavior -insert -update -delete\nYour profile numbers, one row per day, written each night.';
comment on table app_public.personal_records is 'Your personal records; the best of each category is marked by the database.';
comment on column app_public.personal_records.category is 'What the record measures, e.g. 5k_run or plank (lower-case letters, digits, underscores).';
comment on column app_public.personal_records.higher_is_better is 'True when a higher value beats a lower one (false for times).';
comment on column app_public.personal_records.visibility is 'Who may see this record (and only while your profile shows records).';
comment on column app_public.personal_records.is_personal_best is E'@behavior +filterBy\nThe best record of its category, kept by the database.';
comment on table app_public.user_locations is 'Your country and region, shared only with consent (is_visible) and only that coarse.';
comment on column app_public.user_locations.country_code is 'ISO 3166-1 alpha-2 country code, e.g. FR.';
comment on column app_public.user_locations.region_code is 'The region within the country (ISO 3166-2 subdivision, e.g. IDF), optional.';
comment on column app_public.user_locations.is_visible is 'Whether others who see your profile may see it (with show_location).';
--! EndIncluded profiles/comments.sql
--! Included feed/functions.sql
-- Functions of the feed domain: the one visibility rule, the feed itself,
-- and the only ways events are written and moderated.

-- THE rule for who sees an activity event. Everything that shows events asks
-- it: the activity_events policy (so list queries and node fetches), the feed,
-- and live subscriptions (for any viewer, not only the current one). The
-- viewer's friends and block peers come in as arrays, computed once per
-- statement. A plain SQL function, so Postgres inlines it into the query.
create or replace function app_hidden.can_see_event(
  actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamptz, hidden_at timestamptz,
  viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[]
) returns boolean as $$
  -- Each parameter appears once: Postgres inlines a SQL function only then
  -- (the policy passes sub-selects), and the rule costs no call per row.
  select deleted_at is null and hidden_at is null and (
    coalesce(actor_id = viewer, false)
    or (not actor_id = any (coalesce(viewer_block_peers, '{}')) and (
      visibility = 'public'
      or (visibility = 'friends' and actor_id = any (coalesce(viewer_friends, '{}'))))));
$$ language sql stable;
comment on function app_hidden.can_see_event(uuid, app_public.activity_visibility, uuid, timestamptz, timestamptz, uuid, uuid[], uuid[]) is
  'Whether a viewer sees an event: their own, or public, or friends-only from a friend; never across a block, nor once deleted or hidden. Community events: once communities exist.';
grant execute on function app_hidden.can_see_event(uuid, app_public.activity_visibility, uuid, timestamptz, timestamptz, uuid, uuid[], uuid[]) to :DATABASE_ANONYMOUS;

-- Events are written here, by triggers of the domains they come from, never
-- by clients. The visibility is the actor's default at write time; a dedupe
-- key makes a repeated trigger write one event.
create or replace function app_private.record_activity(actor_id uuid, verb text, object_type text, object_id uuid,
  metadata jsonb, dedupe_key text default null) returns uuid as $$
#variable_conflict use_column
declare
  v_keys text[];
  v_id uuid;
begin
  select v.metadata_keys into v_keys from app_public.activity_verbs v where v.verb = record_activity.verb;
  if not found then
    raise exception 'Unknown activity verb %.', record_activity.verb using errcode = 'BADIN';
  end if;
  if not (select array_agg(k order by k) from jsonb_object_keys(record_activity.metadata) k) is not distinct from
      (select array_agg(k order by k) from unnest(v_keys) k) then
    raise exception 'The metadata of % must have exactly the keys %.', record_activity.verb, v_keys using errcode = 'BADIN';
  end if;
  insert into app_public.activity_events as e (actor_id, verb, object_type, object_id, metadata, visibility, dedupe_key)
  select record_activity.actor_id, record_activity.verb, record_activity.object_type, record_activity.object_id,
    record_activity.metadata,
    case p.default_activity_visibility when 'community' then 'friends' else p.default_activity_visibility end,
    record_activity.dedupe_key
  from app_public.privacy_settings p where p.user_id = record_activity.actor_id
  on conflict (actor_id, dedupe_key) where dedupe_key is not null do nothing
  returning e.id into v_id;
  update app_private.profile_counts c set last_active_at = now() where c.user_id = record_activity.actor_id;
  return v_id;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.record_activity(uuid, text, text, uuid, jsonb, text) is
  'Writes an activity event with the actor''s default visibility; metadata must carry exactly the verb''s keys (BADIN).';

-- The events the current user took out of their feed, for the feed itself:
-- definer, so the feed never reads activity_hides (closed to anonymous).
create or replace function app_hidden.hidden_event_ids() returns uuid[] as $$
  select coalesce(array_agg(h.event_id), '{}') from app_public.activity_hides h where h.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.hidden_event_ids() is 'The events the current user hid from their feed.';
grant execute on function app_hidden.hidden_event_ids() to :DATABASE_ANONYMOUS;

create or replace function app_public.activity_events_cursor(e app_public.activity_events) returns text as $$
  -- ISO 8601 in UTC to the microsecond: the same text whatever the session's DateStyle.
  select encode(convert_to(to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || e.id::text, 'utf8'), 'base64');
$$ language sql immutable;
comment on function app_public.activity_events_cursor(app_public.activity_events) is
  'Pass it as `after` to activityFeed for the events older than this one.';
grant execute on function app_public.activity_events_cursor(app_public.activity_events) to :DATABASE_ANONYMOUS;

-- One statement per page, on indexes only. For friends and following: per
-- actor, the keys of the newest shared events before the cursor, from the
-- partial index of events others may ever see (never private, deleted or
-- hidden: no heap reads, nothing read to be thrown away), at most page_size
-- each; for me, the actor index; for public, the partial index of public
-- events. Then the newest page_size keys, and their rows. Each scope's branch
-- is gated outside its scan, so the others are planned as empty (a branch
-- that might scan the table would make every plan JIT-compile). Hidden
-- events are left out inside each scan, so a page of them is no end of the
-- feed. The activity_events policy applies to the rows returned. PL/pgSQL,
-- so each session plans the statement once, not on every page.
create or replace function app_public.activity_feed(scope app_public.feed_filter default 'friends', page_size int default 20, after text default null)
returns setof app_public.activity_events as $$
begin
  return query
  with me as (select app_public.current_user_id() as id),
  -- Always one row: with no cursor, after everything.
  cursor as (
    select coalesce(split_part(c, '|', 1)::timestamptz, 'infinity') as created_at,
      coalesce(split_part(c, '|', 2)::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff') as id
    from (select convert_from(decode(activity_feed.after, 'base64'), 'utf8') as c) raw
  ),
  page as (select least(greatest(coalesce(activity_feed.page_size, 20), 1), 100) as size),
  hidden as (select app_hidden.hidden_event_ids() as ids),
  actors as (
    select unnest(case activity_feed.scope
      when 'friends' then app_hidden.friend_ids(me.id)
      when 'following' then app_hidden.followee_ids(me.id) end) as actor_id
    from me where me.id is not null and activity_feed.scope in ('friends', 'following')
  ),
  keys as (
    select k.created_at, k.id from cursor cur cross join hidden h cross join actors a cross join lateral (
      select e.created_at, e.id from app_public.activity_events e
      where e.actor_id = a.actor_id and e.visibility <> 'private' and e.deleted_at is null and e.hidden_at is null
        and (e.created_at, e.id) < (cur.created_at, cur.id) and e.id <> all (h.ids)
      order by e.created_at desc, e.id desc
      limit (select size from page)) k
    union all
    select k.created_at, k.id from cursor cur cross join hidden h cross join me cross join lateral (
      select e.created_at, e.id from app_public.activity_events e
      where e.actor_id = me.id and (e.created_at, e.id) < (cur.created_at, cur.id) and e.id <> all (h.ids)
      order by e.created_at desc, e.id desc
      limit (select size from page)) k
    where activity_feed.scope = 'me'
    union all
    select k.created_at, k.id from cursor cur cross join hidden h cross join lateral (
      select e.created_at, e.id from app_public.activity_events e
      where e.visibility = 'public' and e.deleted_at is null and e.hidden_at is null
        and (e.created_at, e.id) < (cur.created_at, cur.id) and e.id <> all (h.ids)
      order by e.created_at desc, e.id desc
      limit (select size from page)) k
    where activity_feed.scope = 'public'
  ),
  chosen as (select k.id from keys k order by k.created_at desc, k.id desc limit (select size from page))
  select e.* from chosen c join app_public.activity_events e on e.id = c.id
  order by e.created_at desc, e.id desc;
end;
$$ language plpgsql stable;
comment on function app_public.activity_feed(app_public.feed_filter, int, text) is
  E'@behavior -connection +list\n@listSuffix omit\nYour feed, newest first: scope friends (default), following, me or public; up to pageSize events (1-100, default 20) older than the `after` cursor (an event''s `cursor`). Hidden and deleted events are left out.';
grant execute on function app_public.activity_feed(app_public.feed_filter, int, text) to :DATABASE_ANONYMOUS;

-- Who did it, shown with the event to whoever may see the event (even when
-- their profile is not otherwise visible to that viewer). A column of the
-- event's own row, not a relation: PostGraphile fetches a relation of a
-- function's rows in a second query that row-level security on users would
-- answer with a scan of every user.
create or replace function app_public.activity_events_actor(e app_public.activity_events) returns app_public.users as $$
  select u.* from app_public.users u where u.id = e.actor_id;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.activity_events_actor(app_public.activity_events) is 'Who did it.';
grant execute on function app_public.activity_events_actor(app_public.activity_events) to :DATABASE_ANONYMOUS;

create or replace function app_public.delete_activity_event(event_id uuid) returns app_public.activity_events as $$
declare
  v_event app_public.activity_events;
begin
  update app_public.activity_events set deleted_at = now()
    where id = event_id and actor_id = app_public.current_user_id() and deleted_at is null
    returning * into v_event;
  if not found then
    raise exception 'No such event of yours.' using errcode = 'NOFND';
  end if;
  insert into app_public.moderation_actions (moderator_id, action, event_id) values (v_event.actor_id, 'delete_own_event', event_id);
  return v_event;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.delete_activity_event(uuid) is 'Deletes one of your events for everyone (it is kept, hidden, for the audit trail). Errors: NOFND.';
grant execute on function app_public.delete_activity_event(uuid) to :DATABASE_VISITOR;

-- Moderators of a community will share this once communities exist.
create or replace function app_public.moderate_activity_event(event_id uuid, hide boolean, reason text) returns app_public.activity_events as $$
declare
  v_event app_public.activity_events;
begin
  perform app_private.assert_admin();
  update app_public.activity_events
    set hidden_at = case when hide then coalesce(hidden_at, now()) end,
      hidden_by = case when hide then app_public.current_user_id() end
    where id = event_id returning * into v_event;
  if not found then
    raise exception 'No such event.' using errcode = 'NOFND';
  end if;
  insert into app_public.moderation_actions (moderator_id, action, event_id, reason)
    values (app_public.current_user_id(), case when hide then 'hide_event' else 'unhide_event' end, event_id, reason);
  return v_event;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.moderate_activity_event(uuid, boolean, text) is
  'Administrators hide an event from everyone, or show it again; kept in the audit trail. Errors: DNIED, NOFND.';
grant execute on function app_public.moderate_activity_event(uuid, boolean, text) to :DATABASE_VISITOR;
--! EndIncluded feed/functions.sql
--! Included feed/triggers.sql
-- Trigger functions and triggers of the feed domain: the sources of activity
-- events. Each passes a dedupe key, so a trigger that fires again (a streak
-- rebuilt, a review regenerated) writes no second event.

create or replace function app_private.tg_ritual_completions__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'rituals.completed', 'ritual', new.ritual_id,
    jsonb_build_object('ritual_title', (select title from app_public.rituals where id = new.ritual_id), 'slot_start', new.slot_start),
    'completion:' || new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__activity() is 'A kept ritual is an activity.';

-- The highest milestone a streak has just reached (7, 30, 100, 365 slots).
create or replace function app_private.tg_ritual_streaks__activity() returns trigger as $$
declare
  v_milestone int;
begin
  select max(m) into v_milestone from unnest(array[7, 30, 100, 365]) m
    where m <= new.length and (tg_op = 'INSERT' or old.length < m);
  -- Streaks are rebuilt from scratch: a run that grew at its start (a day
  -- filled in before it) is the run whose milestone was already written, and
  -- its old start lies within the new run.
  if v_milestone is not null and not exists (select 1 from app_public.activity_events e
      where e.actor_id = new.user_id and e.verb = 'rituals.streak' and e.object_id = new.ritual_id
        and e.dedupe_key like 'streak:%' and (e.metadata->>'length')::int = v_milestone
        and split_part(e.dedupe_key, ':', 3)::date between new.started_on and new.ended_on) then
    perform app_private.record_activity(new.user_id, 'rituals.streak', 'ritual', new.ritual_id,
      jsonb_build_object('ritual_title', (select title from app_public.rituals where id = new.ritual_id), 'length', v_milestone),
      format('streak:%s:%s:%s', new.ritual_id, new.started_on, v_milestone));
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_streaks__activity() is 'A streak reaching 7, 30, 100 or 365 is an activity.';

create or replace function app_private.tg_goals__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'goals.done', 'goal', new.id,
    jsonb_build_object('goal_title', new.title), 'goal:' || new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_goals__activity() is 'A goal done is an activity.';

create or replace function app_private.tg_key_results__activity() returns trigger as $$
begin
  if (new.target_value > new.start_value and new.current_value >= new.target_value)
      or (new.target_value < new.start_value and new.current_value <= new.target_value) then
    perform app_private.record_activity(new.user_id, 'goals.key_result_reached', 'key_result', new.id,
      jsonb_build_object('goal_title', (select title from app_public.goals where id = new.goal_id), 'key_result_title', new.title),
      'key_result:' || new.id);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_key_results__activity() is 'A key result reached is an activity (once).';

create or replace function app_private.tg_friendships__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'social.friendship', 'user', new.friend_id,
    jsonb_build_object('friend_username', (select username from app_public.users where id = new.friend_id)),
    format('friendship:%s:%s', new.friend_id, new.source_request_id));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_friendships__activity() is 'A new friendship is an activity of each friend.';

create or replace function app_private.tg_reviews__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'reviews.completed', 'review', new.id,
    jsonb_build_object('kind', new.kind, 'period_start', new.period_start), 'review:' || new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_reviews__activity() is 'A completed review is an activity (its scores stay private).';

create or replace trigger _700_activity after insert on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__activity();

create or replace trigger _700_activity after insert or update of length on app_public.ritual_streaks
  for each row execute procedure app_private.tg_ritual_streaks__activity();

create or replace trigger _700_activity after insert or update of status on app_public.goals
  for each row when (new.status = 'done') execute procedure app_private.tg_goals__activity();

create or replace trigger _700_activity after insert or update of current_value, target_value on app_public.key_results
  for each row execute procedure app_private.tg_key_results__activity();

create or replace trigger _700_activity after insert on app_public.friendships
  for each row execute procedure app_private.tg_friendships__activity();

create or replace trigger _700_activity after insert on app_public.reviews
  for each row execute procedure app_private.tg_reviews__activity();
--! EndIncluded feed/triggers.sql
--! Included feed/policies.sql
-- Row-level security and grants of the feed tables: who may read and write what.

-- app_public.activity_verbs: what events can say, readable by all.
alter table app_public.activity_verbs enable row level security;
drop policy if exists select_all on app_public.activity_verbs;
create policy select_all on app_public.activity_verbs for select using (true);
revoke all on app_public.activity_verbs from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.activity_verbs to :DATABASE_ANONYMOUS;

-- app_public.activity_events: visible as app_hidden.can_see_event says, the
-- viewer's friends and blocks computed once per statement. Written only by
-- triggers (no insert grant: a client cannot forge an actor); the actor may
-- change an event's visibility.
alter table app_public.activity_events enable row level security;
drop policy if exists select_visible on app_public.activity_events;
create policy select_visible on app_public.activity_events for select using (
  app_hidden.can_see_event(actor_id, visibility, community_id, deleted_at, hidden_at,
    (select app_public.current_user_id()),
    (select app_hidden.friend_ids(app_public.current_user_id())),
    (select app_hidden.block_peer_ids(app_public.current_user_id()))));
drop policy if exists update_own on app_public.activity_events;
create policy update_own on app_public.activity_events for update
  using (actor_id = (select app_public.current_user_id()))
  with check (actor_id = (select app_public.current_user_id()));
revoke all on app_public.activity_events from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.activity_events to :DATABASE_ANONYMOUS;
grant update (visibility) on app_public.activity_events to :DATABASE_VISITOR;

-- app_public.activity_hides: events you took out of your own feed.
alter table app_public.activity_hides enable row level security;
drop policy if exists select_own on app_public.activity_hides;
create policy select_own on app_public.activity_hides for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.activity_hides;
create policy insert_own on app_public.activity_hides for insert
  with check (user_id = (select app_public.current_user_id())
    and exists (select 1 from app_public.activity_events e where e.id = event_id));
drop policy if exists delete_own on app_public.activity_hides;
create policy delete_own on app_public.activity_hides for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.activity_hides from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.activity_hides to :DATABASE_VISITOR;
grant insert (event_id) on app_public.activity_hides to :DATABASE_VISITOR;

-- app_public.content_reports: anyone signed in reports what they can see;
-- the reporter and administrators read reports.
alter table app_public.content_reports enable row level security;
drop policy if exists select_own on app_public.content_reports;
create policy select_own on app_public.content_reports for select
  using (reporter_id = (select app_public.current_user_id()) or (select app_public.current_user_is_admin()));
drop policy if exists insert_own on app_public.content_reports;
create policy insert_own on app_public.content_reports for insert
  with check (reporter_id = (select app_public.current_user_id())
    and (exists (select 1 from app_public.activity_events e where e.id = event_id)
      or exists (select 1 from app_public.direct_messages m where m.id = message_id)));
revoke all on app_public.content_reports from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.content_reports to :DATABASE_VISITOR;
grant insert (event_id, message_id, reason) on app_public.content_reports to :DATABASE_VISITOR;

-- app_public.moderation_actions: the audit trail, for administrators.
alter table app_public.moderation_actions enable row level security;
drop policy if exists select_admin on app_public.moderation_actions;
create policy select_admin on app_public.moderation_actions for select using ((select app_public.current_user_is_admin()));
revoke all on app_public.moderation_actions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.moderation_actions to :DATABASE_VISITOR;
--! EndIncluded feed/policies.sql
--! Included feed/comments.sql
-- Comments on the feed tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.feed_filter is 'Whose events a feed shows: your friends'', those you follow, yours, or everyone''s public ones.';
comment on table app_public.activity_verbs is E'@behavior -insert -update -delete\nWhat an activity event can say, and the metadata each verb carries.';
comment on table app_public.activity_events is
  E'@behavior -insert -delete\nWhat people did (kept a ritual, finished a goal, made a friend…), written by the database. You see an event when app_hidden.can_see_event says so; you may change the visibility of your own.';
comment on column app_public.activity_events.verb is E'@behavior +filterBy\nWhat happened, e.g. rituals.completed.';
comment on column app_public.activity_events.object_type is 'The kind of thing the event is about (ritual, goal, key_result, user, review).';
comment on column app_public.activity_events.object_id is 'The id of that thing.';
comment on column app_public.activity_events.metadata is 'Details for display; each verb has its own keys (see activityVerbs).';
comment on column app_public.activity_events.visibility is 'Who may see it; set from your default when written, and yours to change.';
comment on column app_public.activity_events.community_id is 'The community a community-visible event belongs to.';
comment on column app_public.activity_events.dedupe_key is E'@behavior -*\nMakes a repeated trigger write one event.';
comment on column app_public.activity_events.deleted_at is E'@behavior -*\nWhen its author deleted it.';
comment on column app_public.activity_events.hidden_at is E'@behavior -*\nWhen a moderator hid it.';
comment on column app_public.activity_events.hidden_by is E'@behavior -*\nThe moderator who hid it.';
comment on constraint activity_events_actor_id_fkey on app_public.activity_events is
  E'@behavior -*\nShown as the actor field instead (feed/functions.sql says why).';
comment on constraint activity_events_hidden_by_fkey on app_public.activity_events is E'@behavior -*';
comment on table app_public.activity_hides is E'@behavior -update\nEvents you took out of your own feed.';
comment on table app_public.content_reports is E'@behavior -update -delete\nReports of events or messages that break the rules, for the moderators.';
comment on column app_public.content_reports.reason is 'What is wrong with it (1-1000 characters).';
comment on table app_public.moderation_actions is E'@behavior -insert -update -delete\nThe audit trail of moderation: deletions by authors, hides by moderators. Administrators only.';
--! EndIncluded feed/comments.sql
--! Included messages/functions.sql
-- Functions of the messages domain: the only ways to send, edit and delete
-- direct messages, and the receipts.

-- Whether the current user may send to another, by the recipient's setting.
create or replace function app_private.assert_may_message(me uuid, recipient uuid) returns void as $$
declare
  v_policy app_public.message_policy := (app_hidden.privacy_of(recipient)).messages_from;
begin
  if v_policy = 'nobody' or (v_policy = 'friends' and not app_hidden.are_friends(me, recipient)) then
    raise exception 'This person does not take messages from you.' using errcode = 'MSGNO';
  end if;
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_may_message(uuid, uuid) is 'Raises MSGNO unless the recipient''s settings let the sender message them.';

-- Sends a message, opening the conversation on the first one. Serialised
-- with blocks on the pair: a block either comes first (and the send fails as
-- if the user did not exist) or after (and the policies hide the message).
create or replace function app_public.send_message(recipient_id uuid, body_md text) returns app_public.direct_messages as $$
declare
  v_me uuid := app_public.current_user_id();
  v_conversation uuid;
  v_message app_public.direct_messages;
begin
  perform app_private.assert_other_user(v_me, recipient_id);
  perform app_private.lock_pair(v_me, recipient_id);
  perform app_private.assert_other_user(v_me, recipient_id);
  perform app_private.assert_may_message(v_me, recipient_id);
  -- A flood costs the sender, not the recipient: at most 60 a minute.
  if (select count(*) from app_public.direct_messages m
      where m.sender_id = v_me and m.created_at > now() - interval '1 minute') >= 60 then
    raise exception 'You are sending too fast: wait a minute.' using errcode = 'SLOWD';
  end if;
  insert into app_public.conversations (user_low, user_high)
    values (least(v_me, recipient_id), greatest(v_me, recipient_id))
    on conflict (user_low, user_high) do update set user_low = excluded.user_low
    returning id into v_conversation;
  insert into app_public.conversation_members (conversation_id, user_id)
    values (v_conversation, v_me), (v_conversation, recipient_id) on conflict do nothing;
  insert into app_public.direct_messages (conversation_id, sender_id, body_md)
    values (v_conversation, v_me, body_md) returning * into v_message;
  update app_public.conversations set last_message_at = v_message.created_at where id = v_conversation;
  perform app_private.notify(recipient_id, 'messages.received', jsonb_build_object(
    'username', (select username from app_public.users where id = recipient_id),
    'from_username', (select username from app_public.users where id = v_me),
    'preview', left(body_md, 140), 'conversation_id', v_conversation), 'message:' || v_message.id);
  return v_message;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.send_message(uuid, text) is
  'Sends a direct message (Markdown, 1-4000 characters), at most 60 a minute. Errors: NOFND, BADIN, MSGNO, SLOWD.';
grant execute on function app_public.send_message(uuid, text) to :DATABASE_VISITOR;

-- The sender may edit a message for 15 minutes.
create or replace function app_public.edit_message(message_id uuid, body_md text) returns app_public.direct_messages as $$
declare
  v_message app_public.direct_messages;
begin
  select m.* into v_message from app_public.direct_messages m
    join app_public.conversations c on c.id = m.conversation_id
    where m.id = message_id and m.sender_id = app_public.current_user_id() and m.deleted_at is null
      and not app_hidden.is_blocked_between(c.user_low, c.user_high);
  if not found then
    raise exception 'No such message of yours.' using errcode = 'NOFND';
  end if;
  if v_message.created_at < now() - interval '15 minutes' then
    raise exception 'Messages can be edited for 15 minutes.' using errcode = 'EDITW';
  end if;
  update app_public.direct_messages set body_md = edit_message.body_md, edited_at = now()
    where id = message_id returning * into v_message;
  return v_message;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.edit_message(uuid, text) is 'Changes a message you sent, within 15 minutes. Errors: NOFND, EDITW, BADIN.';
grant execute on function app_public.edit_message(uuid, text) to :DATABASE_VISITOR;

-- For me: any message of the conversation, hidden from me alone. For
-- everyone: my own message, within an hour; the text is removed.
create or replace function app_public.delete_message(message_id uuid, for_everyone boolean default false) returns boolean as $$
declare
  v_me uuid := app_public.current_user_id();
  v_message app_public.direct_messages;
begin
  select m.* into v_message from app_public.direct_messages m
    join app_public.conversation_members cm on cm.conversation_id = m.conversation_id and cm.user_id = v_me
    join app_public.conversations c on c.id = m.conversation_id
    where m.id = message_id and not app_hidden.is_blocked_between(c.user_low, c.user_high);
  if not found then
    raise exception 'No such message.' using errcode = 'NOFND';
  end if;
  -- Unset means for me: the destructive choice is never the default.
  if not coalesce(for_everyone, false) then
    insert into app_public.message_deletions (message_id, user_id) values (message_id, v_me) on conflict do nothing;
    return true;
  end if;
  if v_message.sender_id <> v_me then
    raise exception 'Only its sender can delete a message for everyone.' using errcode = 'DNIED';
  end if;
  if v_message.created_at < now() - interval '1 hour' then
    raise exception 'Messages can be deleted for everyone within an hour.' using errcode = 'EDITW';
  end if;
  update app_public.direct_messages set body_md = null, deleted_at = now() where id = message_id and deleted_at is null;
  insert into app_public.moderation_actions (moderator_id, action, message_id) values (v_me, 'delete_message', message_id);
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.delete_message(uuid, boolean) is
  'Deletes a message for you, or (your own, within an hour) for everyone. Errors: NOFND, DNIED, EDITW.';
grant execute on function app_public.delete_message(uuid, boolean) to :DATABASE_VISITOR;

-- Receipts: the recipient's client says what it has received and read;
-- moving a mark backwards is ignored.
create or replace function app_public.mark_conversation(conversation_id uuid, read boolean default true) returns app_public.conversation_members as $$
  update app_public.conversation_members m
    set delivered_up_to = greatest(m.delivered_up_to, now()),
      read_up_to = case when coalesce(read, true) then greatest(m.read_up_to, now()) else m.read_up_to end
  from app_public.conversations c
  where c.id = m.conversation_id and not app_hidden.is_blocked_between(c.user_low, c.user_high)
    and m.conversation_id = mark_conversation.conversation_id and m.user_id = app_public.current_user_id()
  returning m.*;
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.mark_conversation(uuid, boolean) is
  'Marks every message of a conversation received so far as delivered to you, and read unless read is false.';
grant execute on function app_public.mark_conversation(uuid, boolean) to :DATABASE_VISITOR;

-- The other member of a conversation, from the current user's side: shown to
-- a member even when that profile is not public (they are talking), never
-- across a block. Definer: the profile rule alone would hide them.
create or replace function app_public.conversations_other_user(c app_public.conversations) returns app_public.users as $$
  select u.* from app_public.users u
  where app_public.current_user_id() in (c.user_low, c.user_high)
    and u.id = case when c.user_low = app_public.current_user_id() then c.user_high else c.user_low end
    and not app_hidden.is_blocked_between(c.user_low, c.user_high);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.conversations_other_user(app_public.conversations) is 'Who you are talking with.';
grant execute on function app_public.conversations_other_user(app_public.conversations) to :DATABASE_VISITOR;

create or replace function app_public.conversations_unread_count(c app_public.conversations) returns int as $$
  select count(*)::int from app_public.direct_messages m
  where m.conversation_id = c.id and m.sender_id <> app_public.current_user_id() and m.deleted_at is null
    and m.created_at > coalesce((select cm.read_up_to from app_public.conversation_members cm
      where cm.conversation_id = c.id and cm.user_id = app_public.current_user_id()), '-infinity');
$$ language sql stable;
comment on function app_public.conversations_unread_count(app_public.conversations) is 'Messages to you in this conversation that you have not read.';
grant execute on function app_public.conversations_unread_count(app_public.conversations) to :DATABASE_VISITOR;

create or replace function app_public.unread_message_count() returns int as $$
  select coalesce(sum(app_public.conversations_unread_count(c)), 0)::int from app_public.conversations c;
$$ language sql stable;
comment on function app_public.unread_message_count() is 'Unread direct messages across all your conversations.';
grant execute on function app_public.unread_message_count() to :DATABASE_VISITOR;

-- For the sender: when the other member received and read a message.
create or replace function app_public.direct_messages_delivered_at(m app_public.direct_messages) returns timestamptz as $$
  select case when cm.delivered_up_to >= m.created_at then cm.delivered_up_to end
  from app_public.conversation_members cm
  where cm.conversation_id = m.conversation_id and cm.user_id <> m.sender_id;
$$ language sql stable;
comment on function app_public.direct_messages_delivered_at(app_public.direct_messages) is 'When the recipient''s app received it (null until then).';
grant execute on function app_public.direct_messages_delivered_at(app_public.direct_messages) to :DATABASE_VISITOR;

create or replace function app_public.direct_messages_read_at(m app_public.direct_messages) returns timestamptz as $$
  select case when cm.read_up_to >= m.created_at then cm.read_up_to end
  from app_public.conversation_members cm
  where cm.conversation_id = m.conversation_id and cm.user_id <> m.sender_id;
$$ language sql stable;
comment on function app_public.direct_messages_read_at(app_public.direct_messages) is 'When the recipient read it (null until then).';
grant execute on function app_public.direct_messages_read_at(app_public.direct_messages) to :DATABASE_VISITOR;
--! EndIncluded messages/functions.sql
--! Included messages/policies.sql
-- Row-level security and grants of the messages tables: who may read and write what.
-- Every write goes through the functions in functions.sql.

-- app_public.conversations: yours, unless a block stands between you.
alter table app_public.conversations enable row level security;
drop policy if exists select_own on app_public.conversations;
create policy select_own on app_public.conversations for select using (
  (select app_public.current_user_id()) in (user_low, user_high)
  and not (user_low = any ((select app_hidden.block_peer_ids(app_public.current_user_id()))::uuid[])
    or user_high = any ((select app_hidden.block_peer_ids(app_public.current_user_id()))::uuid[])));
revoke all on app_public.conversations from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.conversations to :DATABASE_VISITOR;

-- app_public.conversation_members: the receipts of conversations you see.
alter table app_public.conversation_members enable row level security;
drop policy if exists select_visible on app_public.conversation_members;
create policy select_visible on app_public.conversation_members for select
  using (exists (select 1 from app_public.conversations c where c.id = conversation_id));
revoke all on app_public.conversation_members from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.conversation_members to :DATABASE_VISITOR;

-- app_public.direct_messages: of conversations you see, less those you deleted for yourself.
alter table app_public.direct_messages enable row level security;
drop policy if exists select_visible on app_public.direct_messages;
create policy select_visible on app_public.direct_messages for select using (
  exists (select 1 from app_public.conversations c where c.id = conversation_id)
  and not exists (select 1 from app_public.message_deletions d
    where d.message_id = direct_messages.id and d.user_id = (select app_public.current_user_id())));
revoke all on app_public.direct_messages from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.direct_messages to :DATABASE_VISITOR;

-- app_public.message_deletions: what you deleted for yourself.
alter table app_public.message_deletions enable row level security;
drop policy if exists select_own on app_public.message_deletions;
create policy select_own on app_public.message_deletions for select
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.message_deletions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.message_deletions to :DATABASE_VISITOR;
--! EndIncluded messages/policies.sql
--! Included messages/comments.sql
-- Comments on the messages tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on table app_public.conversations is E'@behavior -insert -update -delete\nA one-to-one conversation. sendMessage opens it.';
comment on column app_public.conversations.user_low is E'@behavior -*\nOne member (the lower id).';
comment on column app_public.conversations.user_high is E'@behavior -*\nThe other member (the higher id).';
comment on column app_public.conversations.last_message_at is E'@behavior +orderBy\nWhen its last message was sent.';
comment on constraint conversations_user_low_fkey on app_public.conversations is E'@behavior -*';
comment on constraint conversations_user_high_fkey on app_public.conversations is E'@behavior -*';
comment on constraint conversation_once_per_pair on app_public.conversations is E'@behavior -single -update -delete\nOne conversation per pair of people.';
comment on table app_public.conversation_members is E'@behavior -insert -update -delete\nThe two members of a conversation and how far each has received and read.';
comment on column app_public.conversation_members.delivered_up_to is 'Every message sent up to this moment reached this member''s app.';
comment on column app_public.conversation_members.read_up_to is 'This member read every message sent up to this moment.';
comment on table app_public.direct_messages is E'@behavior -insert -update -delete\nA direct message. Send, edit and delete with sendMessage, editMessage and deleteMessage.';
comment on column app_public.direct_messages.body_md is 'The message (Markdown, 1-4000 characters); null once deleted for everyone.';
comment on column app_public.direct_messages.edited_at is 'When it was last edited (within 15 minutes of sending).';
comment on column app_public.direct_messages.deleted_at is 'When its sender deleted it for everyone.';
comment on constraint direct_messages_sender_id_fkey on app_public.direct_messages is E'@fieldName sender\n@foreignFieldName sentMessages';
comment on table app_public.message_deletions is E'@behavior -insert -update -delete\nMessages you deleted for yourself.';
--! EndIncluded messages/comments.sql
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
comment on table app_private.user_secrets is 'Password hash (bcrypt) and the failed-login counter of a user.';
comment on table app_public.api_keys is 'Long-lived credentials for scripts. The secret is shown once; only its hash is kept.';
comment on column app_public.api_keys.token_prefix is 'The first characters of the secret, to recognise a key.';
comment on table app_private.api_key_secrets is 'SHA-256 of each API key secret.';
comment on table app_private.refresh_tokens is
  'Every refresh token a session was given (hashed). A rotated one presented again revokes the session.';
comment on table app_private.account_tokens is
  'Single-use, expiring tokens of the email-verification and password-reset links; only their SHA-256 is kept.';
--! EndIncluded identity/comments.sql

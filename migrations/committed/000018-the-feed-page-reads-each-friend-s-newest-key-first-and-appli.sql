--! Previous: sha1:30b01aeaa3ef86462fbb9965dc433c1914365120
--! Hash: sha1:50295bf7ef25394b1c0876619d7774c62bb62db3
--! Message: The feed page reads each friend's newest key first and applies the visibility rule itself (app_hidden.actor_feed_keys); the current user's helpers are PL/pgSQL and keep their plans

-- The feed page reads each friend's newest key before the rest (app_hidden.actor_feed_keys) and applies the visibility rule itself; the current user's helpers keep their plans (PL/pgSQL).
drop function if exists app_hidden.feed_keys(app_public.feed_filter, timestamptz, uuid, int);
--! Included identity/functions.sql
-- Functions of the identity domain: the current definition of each, with its comment and grants.

create or replace function app_public.current_session_id() returns uuid as $$
  select nullif(pg_catalog.current_setting('jwt.claims.session_id', true), '')::uuid;
$$ language sql stable;
comment on function app_public.current_session_id() is
  'The session the request runs under, as set by the gateway from a verified token.';
grant execute on function app_public.current_session_id() to :DATABASE_ANONYMOUS;

-- Definer: the visitor cannot read app_private.sessions, and a forged or
-- revoked session id must resolve to nobody. PL/pgSQL, as every definer that
-- policies call once per statement: Postgres 15 plans a SQL function's body
-- again in each statement that calls it, PL/pgSQL once per session
-- (docs/conventions.md).
create or replace function app_public.current_user_id() returns uuid as $$
begin
  return (select user_id from app_private.sessions
    where id = app_public.current_session_id()
      and revoked_at is null
      and expires_at > now());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_id() is
  'The user of the current session, or null when anonymous, expired or revoked.';
grant execute on function app_public.current_user_id() to :DATABASE_ANONYMOUS;

create or replace function app_public.current_user_is_admin() returns boolean as $$
begin
  return coalesce((select is_admin from app_private.user_flags where user_id = app_public.current_user_id()), false);
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
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
  ), tokens as (
    delete from app_private.account_tokens
    where least(used_at, expires_at) < now() - retention
    returning 1
  )
  select ((select count(*) from pruned) + (select count(*) from tokens))::int;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.prune_sessions(interval) is
  'Deletes login sessions, and email and password-reset tokens, that ended (revoked, used or expired) longer ago than the retention period.';

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
--! Included social/functions.sql
-- Functions of the social domain: who can see whom, and the only ways to
-- change friendships, requests, blocks and follows.

-- The relations of one user, for policies: each is called once per statement
-- (wrapped in a scalar subquery), so a feed page compares against an array
-- instead of querying per row. Definer: friendships and blocks are private,
-- so each answers about the current user only (empty for anyone else).
create or replace function app_hidden.friend_ids(user_id uuid) returns uuid[] as $$
begin
  return (select coalesce(array_agg(f.friend_id), '{}') from app_public.friendships f
    where f.user_id = friend_ids.user_id and friend_ids.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.friend_ids(uuid) is 'The friends of a user.';
grant execute on function app_hidden.friend_ids(uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.followee_ids(user_id uuid) returns uuid[] as $$
begin
  return (select coalesce(array_agg(f.followee_id), '{}') from app_public.follows f
    where f.follower_id = followee_ids.user_id and followee_ids.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.followee_ids(uuid) is 'Whom a user follows.';
grant execute on function app_hidden.followee_ids(uuid) to :DATABASE_ANONYMOUS;

-- A block works both ways: the users a user blocked, and those who blocked them.
create or replace function app_hidden.block_peer_ids(user_id uuid) returns uuid[] as $$
begin
  return (select coalesce(array_agg(peer), '{}') from (
      select b.blocked_id as peer from app_public.blocks b where b.blocker_id = block_peer_ids.user_id
      union
      select b.blocker_id from app_public.blocks b where b.blocked_id = block_peer_ids.user_id
    ) p
    where block_peer_ids.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
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
  E'@behavior -connection +list\n@listSuffix omit\n@orderedBy username\nUp to 20 people whose username starts with, or display name contains, the term (2-50 characters), among those you may see.';
grant execute on function app_public.search_users(text) to :DATABASE_ANONYMOUS;
--! EndIncluded social/functions.sql
--! Included communities/functions.sql
-- Functions of the communities domain: who belongs where, and the only ways
-- membership, roles, invites and join requests change.

-- The communities of a user, for policies and the feed rule: called once per
-- statement (wrapped in a scalar subquery). Definer: memberships of private
-- communities are not readable to everyone; answers for the current user only.
create or replace function app_hidden.community_ids(user_id uuid) returns uuid[] as $$
begin
  return (select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
    where m.user_id = community_ids.user_id and community_ids.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.community_ids(uuid) is 'The communities a user belongs to (the current user only).';
grant execute on function app_hidden.community_ids(uuid) to :DATABASE_ANONYMOUS;

-- The current user's role in a community, or null when not a member.
create or replace function app_hidden.community_role(community_id uuid) returns app_public.community_role as $$
  select m.role from app_public.community_members m
  where m.community_id = community_role.community_id and m.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.community_role(uuid) is 'Your role in a community, or null when you are not a member.';
grant execute on function app_hidden.community_role(uuid) to :DATABASE_ANONYMOUS;

-- Whether the current user may see a community at all: public, or a member.
create or replace function app_hidden.can_see_community(community_id uuid) returns boolean as $$
  select exists (
    select 1 from app_public.communities c
    where c.id = can_see_community.community_id
      and (c.visibility = 'public' or exists (
        select 1 from app_public.community_members m where m.community_id = c.id and m.user_id = app_public.current_user_id())));
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.can_see_community(uuid) is 'Whether you may see a community: public ones, and private ones you belong to.';
grant execute on function app_hidden.can_see_community(uuid) to :DATABASE_ANONYMOUS;

-- Raises COMRL unless the current user holds at least `needed` in the
-- community; returns their role. A non-member of a private community is told
-- NOFND, as if it did not exist.
create or replace function app_private.assert_community_role(community_id uuid, needed app_public.community_role)
returns app_public.community_role as $$
declare
  v_role app_public.community_role := app_hidden.community_role(community_id);
begin
  if v_role is null and not app_hidden.can_see_community(community_id) then
    raise exception 'No such community.' using errcode = 'NOFND';
  end if;
  if v_role is null or v_role < needed then
    raise exception 'Only a % or above may do this.', needed using errcode = 'COMRL';
  end if;
  return v_role;
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_community_role(uuid, app_public.community_role) is
  'Raises COMRL unless you hold at least the given role in the community (NOFND when you may not see it).';

create or replace function app_public.create_community(name text, slug text, description_md text default null,
  visibility app_public.community_visibility default 'public', join_policy app_public.community_join_policy default 'open')
returns app_public.communities as $$
declare
  v_me uuid := app_public.current_user_id();
  v_community app_public.communities;
begin
  if v_me is null then
    raise exception 'Sign in to found a community.' using errcode = 'LOGIN';
  end if;
  -- Founding is cheap to ask for and each community lives on: a bound per person.
  if (select count(*) from app_public.communities c where c.founder_id = v_me) >= 20 then
    raise exception 'You have founded 20 communities: hand one over or delete one first.' using errcode = 'COMLM';
  end if;
  insert into app_public.communities (name, slug, description_md, visibility, join_policy, founder_id)
    values (create_community.name, lower(create_community.slug), create_community.description_md,
      create_community.visibility, create_community.join_policy, v_me)
    returning * into v_community;
  insert into app_public.community_members (community_id, user_id, role, joined_via)
    values (v_community.id, v_me, 'founder', 'discovery');
  return (select c from app_public.communities c where c.id = v_community.id);
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.create_community(text, text, text, app_public.community_visibility, app_public.community_join_policy) to :DATABASE_VISITOR;

-- Every way in ends here: the membership row, its activity event (seen by
-- the community) and, for those who asked, the news.
create or replace function app_private.add_community_member(community_id uuid, user_id uuid, joined_via app_public.community_joined_via)
returns app_public.community_members as $$
declare
  v_member app_public.community_members;
  v_name text;
begin
  insert into app_public.community_members (community_id, user_id, joined_via)
    values (add_community_member.community_id, add_community_member.user_id, add_community_member.joined_via)
    on conflict on constraint community_members_pkey do nothing
    returning * into v_member;
  if v_member is null then
    raise exception 'Already a member.' using errcode = 'NUNIQ';
  end if;
  select c.name into v_name from app_public.communities c where c.id = add_community_member.community_id;
  perform app_private.record_activity(add_community_member.user_id, 'communities.joined', 'community', add_community_member.community_id,
    jsonb_build_object('community_name', v_name), 'communities.joined:' || add_community_member.community_id,
    add_community_member.community_id);
  return v_member;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.add_community_member(uuid, uuid, app_public.community_joined_via) is
  'Adds a member (NUNIQ when already one) and writes the community-visible activity event.';

-- Open communities take anyone who finds them; approval and invite ones say
-- how to get in (COMJP). A private one you are not in does not exist for you.
create or replace function app_public.join_community(community_id uuid) returns app_public.community_members as $$
declare
  v_me uuid := app_public.current_user_id();
  v_community app_public.communities;
begin
  if v_me is null then
    raise exception 'Sign in to join a community.' using errcode = 'LOGIN';
  end if;
  select * into v_community from app_public.communities c where c.id = join_community.community_id;
  if not found or not app_hidden.can_see_community(v_community.id) then
    raise exception 'No such community.' using errcode = 'NOFND';
  end if;
  if v_community.join_policy <> 'open' then
    raise exception 'This community takes members by %: %.', v_community.join_policy,
      case v_community.join_policy when 'approval' then 'ask to join' else 'use an invite' end using errcode = 'COMJP';
  end if;
  return app_private.add_community_member(v_community.id, v_me, 'discovery');
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.join_community(uuid) to :DATABASE_VISITOR;

create or replace function app_public.request_to_join_community(community_id uuid, message text default null)
returns app_public.community_join_requests as $$
declare
  v_me uuid := app_public.current_user_id();
  v_community app_public.communities;
  v_request app_public.community_join_requests;
  v_admin record;
begin
  if v_me is null then
    raise exception 'Sign in to join a community.' using errcode = 'LOGIN';
  end if;
  select * into v_community from app_public.communities c where c.id = request_to_join_community.community_id;
  if not found or not app_hidden.can_see_community(v_community.id) then
    raise exception 'No such community.' using errcode = 'NOFND';
  end if;
  if v_community.join_policy <> 'approval' then
    raise exception 'This community does not take join requests (%).', v_community.join_policy using errcode = 'COMJP';
  end if;
  if exists (select 1 from app_public.community_members m where m.community_id = v_community.id and m.user_id = v_me) then
    raise exception 'Already a member.' using errcode = 'NUNIQ';
  end if;
  insert into app_public.community_join_requests (community_id, user_id, message)
    values (v_community.id, v_me, request_to_join_community.message) returning * into v_request;
  -- Those who can decide hear of it (unless a block stands between them).
  for v_admin in
    select m.user_id, u.username as admin_username, me.username as from_username
    from app_public.community_members m
    join app_public.users u on u.id = m.user_id
    cross join (select username from app_public.users where id = v_me) me
    where m.community_id = v_community.id and m.role >= 'moderator' and not app_hidden.is_blocked_between(m.user_id, v_me)
  loop
    perform app_private.notify(v_admin.user_id, 'communities.join_request',
      jsonb_build_object('username', v_admin.admin_username, 'from_username', v_admin.from_username,
        'community_name', v_community.name, 'request_id', v_request.id),
      'communities.join_request:' || v_request.id);
  end loop;
  return v_request;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.request_to_join_community(uuid, text) to :DATABASE_VISITOR;

create or replace function app_public.cancel_join_request(request_id uuid) returns app_public.community_join_requests as $$
  update app_public.community_join_requests r set status = 'cancelled', decided_at = now()
  where r.id = cancel_join_request.request_id and r.user_id = app_public.current_user_id() and r.status = 'pending'
  returning r.*;
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.cancel_join_request(uuid) to :DATABASE_VISITOR;

create or replace function app_public.decide_join_request(request_id uuid, approve boolean) returns app_public.community_join_requests as $$
declare
  v_request app_public.community_join_requests;
  v_name text;
begin
  select * into v_request from app_public.community_join_requests r
    where r.id = decide_join_request.request_id and r.status = 'pending' for update;
  if not found then
    raise exception 'No such open request.' using errcode = 'NOFND';
  end if;
  perform app_private.assert_community_role(v_request.community_id, 'moderator');
  update app_public.community_join_requests r
    set status = case when approve then 'approved'::app_public.join_request_status else 'declined' end,
      decided_by = app_public.current_user_id(), decided_at = now()
    where r.id = v_request.id returning * into v_request;
  if approve then
    perform app_private.add_community_member(v_request.community_id, v_request.user_id, 'discovery');
    select c.name into v_name from app_public.communities c where c.id = v_request.community_id;
    perform app_private.notify(v_request.user_id, 'communities.joined',
      jsonb_build_object('username', (select u.username from app_public.users u where u.id = v_request.user_id),
        'community_name', v_name, 'community_id', v_request.community_id),
      'communities.joined:' || v_request.id);
  end if;
  return v_request;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.decide_join_request(uuid, boolean) to :DATABASE_VISITOR;

create or replace function app_public.create_community_invite(community_id uuid, max_uses int default 1,
  expires_in interval default interval '7 days') returns app_public.community_invites as $$
declare
  v_invite app_public.community_invites;
begin
  perform app_private.assert_community_role(community_id, 'moderator');
  if expires_in is null or expires_in <= interval '0' or expires_in > interval '90 days' then
    raise exception 'An invite lasts between a moment and 90 days.' using errcode = 'BADIN';
  end if;
  insert into app_public.community_invites (community_id, created_by, max_uses, expires_at)
    values (create_community_invite.community_id, app_public.current_user_id(), coalesce(create_community_invite.max_uses, 1), now() + expires_in)
    returning * into v_invite;
  return v_invite;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.create_community_invite(uuid, int, interval) to :DATABASE_VISITOR;

create or replace function app_public.revoke_community_invite(invite_id uuid) returns app_public.community_invites as $$
declare
  v_invite app_public.community_invites;
begin
  select * into v_invite from app_public.community_invites i where i.id = revoke_community_invite.invite_id;
  if not found then
    raise exception 'No such invite.' using errcode = 'NOFND';
  end if;
  perform app_private.assert_community_role(v_invite.community_id, 'moderator');
  update app_public.community_invites i set revoked_at = coalesce(i.revoked_at, now())
    where i.id = v_invite.id returning * into v_invite;
  return v_invite;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.revoke_community_invite(uuid) to :DATABASE_VISITOR;

-- The invite row is locked while it is used, so its uses never pass its
-- maximum however many people redeem it at once. Revoked and expired both
-- answer INVEX; used up, INVUS. A member redeeming again uses nothing.
create or replace function app_public.join_community_by_invite(code text) returns app_public.community_members as $$
declare
  v_me uuid := app_public.current_user_id();
  v_invite app_public.community_invites;
  v_member app_public.community_members;
begin
  if v_me is null then
    raise exception 'Sign in to join a community.' using errcode = 'LOGIN';
  end if;
  select * into v_invite from app_public.community_invites i where i.code = join_community_by_invite.code for update;
  if not found then
    raise exception 'No such invite.' using errcode = 'NOFND';
  end if;
  select * into v_member from app_public.community_members m where m.community_id = v_invite.community_id and m.user_id = v_me;
  if found then
    return v_member;
  end if;
  if v_invite.revoked_at is not null or v_invite.expires_at <= now() then
    raise exception 'This invite has expired.' using errcode = 'INVEX';
  end if;
  if v_invite.use_count >= v_invite.max_uses then
    raise exception 'This invite has been used up.' using errcode = 'INVUS';
  end if;
  update app_public.community_invites i set use_count = i.use_count + 1 where i.id = v_invite.id;
  return app_private.add_community_member(v_invite.community_id, v_me, 'invite');
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.join_community_by_invite(text) to :DATABASE_VISITOR;

create or replace function app_public.leave_community(community_id uuid) returns boolean as $$
declare
  v_role app_public.community_role := app_hidden.community_role(community_id);
begin
  if v_role is null then
    return false;
  end if;
  if v_role = 'founder' then
    raise exception 'The founder cannot leave: transfer the ownership first.' using errcode = 'COMFD';
  end if;
  delete from app_public.community_members m
    where m.community_id = leave_community.community_id and m.user_id = app_public.current_user_id();
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.leave_community(uuid) to :DATABASE_VISITOR;

-- Moderators and above remove members below their own role.
create or replace function app_public.remove_community_member(community_id uuid, user_id uuid) returns boolean as $$
declare
  v_mine app_public.community_role := app_private.assert_community_role(community_id, 'moderator');
  v_theirs app_public.community_role;
begin
  select m.role into v_theirs from app_public.community_members m
    where m.community_id = remove_community_member.community_id and m.user_id = remove_community_member.user_id for update;
  if not found then
    raise exception 'Not a member.' using errcode = 'NOFND';
  end if;
  if v_theirs >= v_mine then
    raise exception 'A % cannot remove a %.', v_mine, v_theirs using errcode = 'COMRL';
  end if;
  delete from app_public.community_members m
    where m.community_id = remove_community_member.community_id and m.user_id = remove_community_member.user_id;
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.remove_community_member(uuid, uuid) to :DATABASE_VISITOR;

-- Admins and the founder promote and demote, strictly below themselves:
-- an admin moves members and moderators, the founder also admins. Founding
-- passes only by transfer.
create or replace function app_public.set_community_role(community_id uuid, user_id uuid, role app_public.community_role)
returns app_public.community_members as $$
declare
  v_mine app_public.community_role := app_private.assert_community_role(community_id, 'admin');
  v_member app_public.community_members;
begin
  select * into v_member from app_public.community_members m
    where m.community_id = set_community_role.community_id and m.user_id = set_community_role.user_id for update;
  if not found then
    raise exception 'Not a member.' using errcode = 'NOFND';
  end if;
  if v_member.role >= v_mine or set_community_role.role >= v_mine then
    raise exception 'A % can only give and take roles below their own.', v_mine using errcode = 'COMRL';
  end if;
  update app_public.community_members m set role = set_community_role.role
    where m.community_id = v_member.community_id and m.user_id = v_member.user_id returning * into v_member;
  return v_member;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.set_community_role(uuid, uuid, app_public.community_role) to :DATABASE_VISITOR;

-- The founder hands the community to another member and stays on as admin.
-- founder_id moves first, which is what lets the old founder's role change.
create or replace function app_public.transfer_community_ownership(community_id uuid, new_founder_id uuid)
returns app_public.communities as $$
declare
  v_me uuid := app_public.current_user_id();
begin
  perform app_private.assert_community_role(community_id, 'founder');
  perform 1 from app_public.communities c where c.id = transfer_community_ownership.community_id for update;
  if new_founder_id = v_me or not exists (select 1 from app_public.community_members m
      where m.community_id = transfer_community_ownership.community_id and m.user_id = new_founder_id) then
    raise exception 'The new founder must be another member.' using errcode = 'NOFND';
  end if;
  update app_public.communities c set founder_id = new_founder_id where c.id = transfer_community_ownership.community_id;
  update app_public.community_members m set role = 'admin'
    where m.community_id = transfer_community_ownership.community_id and m.user_id = v_me;
  update app_public.community_members m set role = 'founder'
    where m.community_id = transfer_community_ownership.community_id and m.user_id = new_founder_id;
  return (select c from app_public.communities c where c.id = transfer_community_ownership.community_id);
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.transfer_community_ownership(uuid, uuid) to :DATABASE_VISITOR;

-- A community's events, newest first, for its members (and moderators, who
-- moderate from here). The activity_events policy applies to the rows.
create or replace function app_public.community_feed(community_id uuid, page_size int default 20, after text default null)
returns setof app_public.activity_events as $$
  with cursor as (
    select coalesce(split_part(c, '|', 1)::timestamptz, 'infinity') as created_at,
      coalesce(split_part(c, '|', 2)::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff') as id
    from (select convert_from(decode(community_feed.after, 'base64'), 'utf8') as c) raw
  )
  select e.* from app_public.activity_events e, cursor cur
  where e.community_id = community_feed.community_id
    and (e.created_at, e.id) < (cur.created_at, cur.id)
  order by e.created_at desc, e.id desc
  limit least(greatest(coalesce(community_feed.page_size, 20), 1), 100);
$$ language sql stable;
grant execute on function app_public.community_feed(uuid, int, text) to :DATABASE_VISITOR;

-- Members read their community's numbers; the view itself is the owner's.
create or replace function app_public.community_metrics(community_id uuid, since date default current_date - 29)
returns setof app_public.community_metrics as $$
begin
  perform app_private.assert_community_role(community_id, 'member');
  return query
    select d.day, d.members, d.active_members, d.new_members, d.activity_events, d.competition_entries, d.points_spent
    from app_private.community_metrics_daily d
    where d.community_id = community_metrics.community_id and d.day >= since
    order by d.day;
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.community_metrics(uuid, date) to :DATABASE_VISITOR;

-- The nightly refresh (communities__refresh_metrics), and what an admin's
-- request queues: one job, however often it is asked for.
create or replace function app_public.refresh_community_metrics() returns boolean as $$
begin
  if not app_public.current_user_is_admin() and not exists (select 1 from app_public.community_members m
      where m.user_id = app_public.current_user_id() and m.role >= 'admin') then
    raise exception 'Only administrators may do this.' using errcode = 'DNIED';
  end if;
  perform graphile_worker.add_job('communities__refresh_metrics', '{}'::json,
    job_key := 'communities__refresh_metrics', job_key_mode := 'preserve_run_at', max_attempts := 3);
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.refresh_community_metrics() to :DATABASE_VISITOR;

-- Concurrently: members reading their metrics are never blocked by it. The
-- members' streak snapshots are taken in the same run.
create or replace function app_private.refresh_community_metrics() returns int as $$
begin
  refresh materialized view concurrently app_private.community_metrics_daily;
  update app_public.community_members m set streak_snapshot = s.streak
  from (
    select r.user_id, max(app_public.rituals_current_streak(r)) as streak
    from app_public.rituals r
    where r.is_active and r.user_id in (select distinct user_id from app_public.community_members)
    group by r.user_id
  ) s
  where s.user_id = m.user_id and m.streak_snapshot is distinct from s.streak;
  return (select count(*)::int from app_private.community_metrics_daily);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.refresh_community_metrics() is 'Refreshes community_metrics_daily concurrently and the members'' streak snapshots; returns the rows kept.';
--! EndIncluded communities/functions.sql
--! Included competitions/functions.sql
-- Functions of the competitions domain: who runs and sees a competition, the
-- only ways people enter, score and win, the status that follows the clock
-- (keyed jobs, see triggers.sql), and the one leaderboard.

-- The communities whose competitions the current user runs (admin or founder),
-- for policies: called once per statement.
create or replace function app_hidden.managed_community_ids() returns uuid[] as $$
begin
  return (select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
    where m.user_id = app_public.current_user_id() and m.role >= 'admin');
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.managed_community_ids() is 'The communities you run competitions in (admin or founder).';
grant execute on function app_hidden.managed_community_ids() to :DATABASE_ANONYMOUS;

-- Whether the current user may see a competition: a global one, or one of a
-- community they may see; a draft only its organisers. The competitions
-- policy writes the same rule out.
create or replace function app_hidden.can_see_competition(competition_id uuid) returns boolean as $$
  select exists (
    select 1 from app_public.competitions c
    where c.id = can_see_competition.competition_id
      and (c.community_id is null or app_hidden.can_see_community(c.community_id))
      and (c.status <> 'draft' or (case when c.community_id is null then app_public.current_user_is_admin()
        else coalesce(app_hidden.community_role(c.community_id) >= 'admin', false) end)));
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.can_see_competition(uuid) is 'Whether you may see a competition (global, or in a community you may see; drafts: its organisers).';
grant execute on function app_hidden.can_see_competition(uuid) to :DATABASE_ANONYMOUS;

-- Whether the current user may change a competition's rounds and rewards:
-- its organisers (app admins for a global one, the community's admins and
-- founder for a community one), while it has not started. Called per row by
-- the write policies of rounds and rewards, which touch few rows.
create or replace function app_hidden.may_organise_competition(competition_id uuid) returns boolean as $$
  select exists (
    select 1 from app_public.competitions c
    where c.id = may_organise_competition.competition_id and c.status in ('draft', 'scheduled')
      and (case when c.community_id is null then app_public.current_user_is_admin()
        else coalesce(app_hidden.community_role(c.community_id) >= 'admin', false) end));
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.may_organise_competition(uuid) is 'Whether you may change a competition''s rounds and rewards (its organisers, before it starts).';
grant execute on function app_hidden.may_organise_competition(uuid) to :DATABASE_ANONYMOUS;

-- Raises unless the current user organises competitions of this scope:
-- app admins the global ones (DNIED), community admins and the founder their
-- community's (COMRL; NOFND when they may not see the community).
create or replace function app_private.assert_competition_organiser(community_id uuid) returns void as $$
begin
  if community_id is null then
    perform app_private.assert_admin();
  else
    perform app_private.assert_community_role(community_id, 'admin');
  end if;
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_competition_organiser(uuid) is
  'Raises unless you organise competitions of this scope: app admins global ones (DNIED), community admins their community''s (COMRL, NOFND).';

-- The competition row locked for a change, when the current user may see it;
-- NOFND otherwise (a draft or a private community's is not there for others).
create or replace function app_private.lock_competition(competition_id uuid) returns app_public.competitions as $$
declare
  v_competition app_public.competitions;
begin
  select * into v_competition from app_public.competitions c where c.id = lock_competition.competition_id for update;
  if not found or not app_hidden.can_see_competition(v_competition.id) then
    raise exception 'No such competition.' using errcode = 'NOFND';
  end if;
  return v_competition;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.lock_competition(uuid) is 'Locks and returns a competition you may see (NOFND otherwise).';

create or replace function app_public.create_competition(title text, starts_at timestamptz, ends_at timestamptz,
  community_id uuid default null, rules_md text default null, capacity int default null) returns app_public.competitions as $$
declare
  v_competition app_public.competitions;
begin
  if app_public.current_user_id() is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  perform app_private.assert_competition_organiser(create_competition.community_id);
  insert into app_public.competitions (community_id, title, rules_md, capacity, starts_at, ends_at, created_by)
    values (create_competition.community_id, create_competition.title, create_competition.rules_md, create_competition.capacity,
      create_competition.starts_at, create_competition.ends_at, app_public.current_user_id())
    returning * into v_competition;
  return v_competition;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.create_competition(text, timestamptz, timestamptz, uuid, text, int) to :DATABASE_VISITOR;

-- Draft to scheduled: people may join from now on, and the jobs that start
-- and end it are keyed (triggers.sql). It must start in the future and have
-- at least one round.
create or replace function app_public.schedule_competition(competition_id uuid) returns app_public.competitions as $$
declare
  v_competition app_public.competitions := app_private.lock_competition(competition_id);
begin
  perform app_private.assert_competition_organiser(v_competition.community_id);
  if v_competition.status <> 'draft' then
    raise exception 'Only a draft can be scheduled (this one is %).', v_competition.status using errcode = 'BADIN';
  end if;
  if v_competition.starts_at <= now() then
    raise exception 'A competition is scheduled before it starts: move its start first.' using errcode = 'BADIN';
  end if;
  if not exists (select 1 from app_public.competition_rounds r where r.competition_id = v_competition.id) then
    raise exception 'A competition needs at least one round.' using errcode = 'BADIN';
  end if;
  update app_public.competitions c set status = 'scheduled' where c.id = v_competition.id returning * into v_competition;
  return v_competition;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.schedule_competition(uuid) to :DATABASE_VISITOR;

-- Any competition not yet finished can be called off; its jobs go with it.
create or replace function app_public.cancel_competition(competition_id uuid) returns app_public.competitions as $$
declare
  v_competition app_public.competitions := app_private.lock_competition(competition_id);
begin
  perform app_private.assert_competition_organiser(v_competition.community_id);
  if v_competition.status in ('finished', 'cancelled') then
    raise exception 'This competition is already %.', v_competition.status using errcode = 'BADIN';
  end if;
  update app_public.competitions c set status = 'cancelled' where c.id = v_competition.id returning * into v_competition;
  return v_competition;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.cancel_competition(uuid) to :DATABASE_VISITOR;

-- The competition row is locked while someone joins, so participant_count
-- (kept by a trigger) is exact and never passes capacity however many join
-- at once: the rest get CFULL. Joining again returns the place you have.
create or replace function app_public.join_competition(competition_id uuid) returns app_public.competition_participants as $$
declare
  v_me uuid := app_public.current_user_id();
  v_competition app_public.competitions;
  v_participant app_public.competition_participants;
begin
  if v_me is null then
    raise exception 'Sign in to enter a competition.' using errcode = 'LOGIN';
  end if;
  v_competition := app_private.lock_competition(competition_id);
  if v_competition.status <> 'scheduled' or now() >= v_competition.starts_at then
    raise exception 'Entries are closed: the competition has started (or is not open).' using errcode = 'CSTRT';
  end if;
  if v_competition.community_id is not null and app_hidden.community_role(v_competition.community_id) is null then
    -- An open community's competition is a way in: entering joins it
    -- (joined_via competition). Otherwise members only.
    if exists (select 1 from app_public.communities c where c.id = v_competition.community_id and c.join_policy = 'open') then
      perform app_private.add_community_member(v_competition.community_id, v_me, 'competition');
    else
      perform app_private.assert_community_role(v_competition.community_id, 'member');
    end if;
  end if;
  select * into v_participant from app_public.competition_participants p
    where p.competition_id = v_competition.id and p.user_id = v_me;
  if found then
    return v_participant;
  end if;
  if v_competition.capacity is not null and v_competition.participant_count >= v_competition.capacity then
    raise exception 'The competition is full (% places).', v_competition.capacity using errcode = 'CFULL';
  end if;
  insert into app_public.competition_participants (competition_id, user_id) values (v_competition.id, v_me)
    returning * into v_participant;
  perform app_private.record_activity(v_me, 'competitions.joined', 'competition', v_competition.id,
    jsonb_build_object('competition_title', v_competition.title), 'competitions.joined:' || v_competition.id,
    v_competition.community_id, case when v_competition.community_id is not null then 'community'::app_public.activity_visibility end);
  return v_participant;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.join_competition(uuid) to :DATABASE_VISITOR;

create or replace function app_public.leave_competition(competition_id uuid) returns boolean as $$
declare
  v_me uuid := app_public.current_user_id();
  v_competition app_public.competitions;
begin
  if v_me is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  v_competition := app_private.lock_competition(competition_id);
  if v_competition.status <> 'scheduled' or now() >= v_competition.starts_at then
    raise exception 'The competition has started: participants stay until the end.' using errcode = 'CSTRT';
  end if;
  delete from app_public.competition_participants p where p.competition_id = v_competition.id and p.user_id = v_me;
  return found;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.leave_competition(uuid) to :DATABASE_VISITOR;

-- A participant's score in an open round: the competition active and now()
-- within the round's window, else RNDCL and nothing is written. Streak rounds
-- are scored by the database (RNDCM). The competition row is share-locked, so
-- a score never lands after the competition has finished (the status change
-- waits for it, or it sees the new status).
create or replace function app_public.submit_score(round_id uuid, value numeric) returns app_public.competition_scores as $$
declare
  v_me uuid := app_public.current_user_id();
  v_round app_public.competition_rounds;
  v_status app_public.competition_status;
  v_score app_public.competition_scores;
begin
  if v_me is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  select * into v_round from app_public.competition_rounds r where r.id = submit_score.round_id;
  if not found or not app_hidden.can_see_competition(v_round.competition_id) then
    raise exception 'No such round.' using errcode = 'NOFND';
  end if;
  select c.status into v_status from app_public.competitions c where c.id = v_round.competition_id for share;
  if v_round.scoring = 'streak' then
    raise exception 'A streak round is scored by the database from your rituals.' using errcode = 'RNDCM';
  end if;
  if v_status <> 'active' or now() < v_round.opens_at or now() >= v_round.closes_at then
    raise exception 'This round is not open for scores.' using errcode = 'RNDCL';
  end if;
  if not exists (select 1 from app_public.competition_participants p
      where p.competition_id = v_round.competition_id and p.user_id = v_me) then
    raise exception 'Only participants score.' using errcode = 'DNIED';
  end if;
  -- A bound on what one participant can make every later score and
  -- leaderboard read cost (the running totals say how many they have).
  if (select t.entries from app_private.competition_round_totals t where t.round_id = v_round.id and t.user_id = v_me) >= 1000 then
    raise exception 'A round takes at most 1,000 scores from each participant.' using errcode = 'RNDLM';
  end if;
  insert into app_public.competition_scores (round_id, competition_id, user_id, value)
    values (v_round.id, v_round.competition_id, v_me, submit_score.value)
    returning * into v_score;
  return v_score;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.submit_score(uuid, numeric) to :DATABASE_VISITOR;

-- A user's streak scores: for each open streak round of an active competition
-- they take part in, the longest run of consecutive days (their local days)
-- with at least one ritual kept within the round's window. One computed row
-- per participant and round, rewritten only when the number changes.
create or replace function app_private.recompute_competition_streaks(user_id uuid) returns int as $$
#variable_conflict use_column
declare
  v_tz text := app_hidden.user_timezone(recompute_competition_streaks.user_id);
  v_round record;
  v_streak int;
  v_changed int := 0;
begin
  for v_round in
    select r.id, r.competition_id, r.opens_at, r.closes_at
    from app_public.competition_participants p
    join app_public.competitions c on c.id = p.competition_id and c.status = 'active'
    join app_public.competition_rounds r on r.competition_id = c.id and r.scoring = 'streak'
    where p.user_id = recompute_competition_streaks.user_id and now() >= r.opens_at and now() < r.closes_at
  loop
    select coalesce(max(run), 0) into v_streak from (
      select count(*) as run from (
        select d.day, d.day - (row_number() over (order by d.day))::int as island
        from (
          select distinct (rc.completed_at at time zone v_tz)::date as day
          from app_public.ritual_completions rc
          where rc.user_id = recompute_competition_streaks.user_id
            and rc.completed_at >= v_round.opens_at and rc.completed_at < v_round.closes_at
        ) d
      ) i group by i.island
    ) runs;
    insert into app_public.competition_scores as s (round_id, competition_id, user_id, value, is_computed)
      values (v_round.id, v_round.competition_id, recompute_competition_streaks.user_id, v_streak, true)
      on conflict (round_id, user_id) where is_computed
      do update set value = excluded.value, submitted_at = now() where s.value is distinct from excluded.value;
    if found then
      v_changed := v_changed + 1;
    end if;
  end loop;
  return v_changed;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.recompute_competition_streaks(uuid) is
  'Rewrites a user''s computed streak scores in their open streak rounds; returns how many changed.';

-- A participant's score in one round, from their aggregates there.
create or replace function app_private.round_score(scoring app_public.scoring_rule, total numeric, best numeric, entries int)
returns numeric as $$
  select case scoring
    when 'sum' then total
    when 'max' then best
    when 'average' then round(total / nullif(entries, 0), 2)
    when 'count' then entries
    when 'streak' then best
  end;
$$ language sql immutable;
comment on function app_private.round_score(app_public.scoring_rule, numeric, numeric, int) is
  'A round score by the round''s rule: the sum, the best, the average (2 decimals), the count, or the computed streak.';

-- Re-derives one participant's standing after their scores changed: their
-- aggregates in the round, then their weighted overall score. The
-- participant row is locked first, so a concurrent change of the same
-- participant waits, and then (read committed) reads what the other wrote.
create or replace function app_private.restand_participant(competition_id uuid, user_id uuid, round_id uuid) returns void as $$
begin
  perform 1 from app_public.competition_participants p
    where p.competition_id = restand_participant.competition_id and p.user_id = restand_participant.user_id for update;
  if not found then
    return; -- The participant left (their scores went with them).
  end if;
  delete from app_private.competition_round_totals t
    where t.round_id = restand_participant.round_id and t.user_id = restand_participant.user_id;
  insert into app_private.competition_round_totals (round_id, competition_id, user_id, total, best, entries)
    select s.round_id, s.competition_id, s.user_id, sum(s.value), max(s.value), count(*)
    from app_public.competition_scores s
    where s.round_id = restand_participant.round_id and s.user_id = restand_participant.user_id
    group by s.round_id, s.competition_id, s.user_id;
  update app_public.competition_participants p
    set score = coalesce(x.score, 0), entries = coalesce(x.entries, 0)
    from (select sum(r.weight * app_private.round_score(r.scoring, t.total, t.best, t.entries)) as score, sum(t.entries)::int as entries
      from app_private.competition_round_totals t join app_public.competition_rounds r on r.id = t.round_id
      where t.competition_id = restand_participant.competition_id and t.user_id = restand_participant.user_id) x
    where p.competition_id = restand_participant.competition_id and p.user_id = restand_participant.user_id;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.restand_participant(uuid, uuid, uuid) is
  'Recomputes a participant''s aggregates in a round and their overall score, under their row''s lock.';

-- After a round's weight or rule changed: every participant's overall score, in one statement.
create or replace function app_private.restand_competition(competition_id uuid) returns void as $$
  update app_public.competition_participants p
    set score = coalesce(x.score, 0), entries = coalesce(x.entries, 0)
    from app_public.competition_participants q
    left join (select t.user_id, sum(r.weight * app_private.round_score(r.scoring, t.total, t.best, t.entries)) as score, sum(t.entries)::int as entries
      from app_private.competition_round_totals t join app_public.competition_rounds r on r.id = t.round_id
      where t.competition_id = restand_competition.competition_id
      group by t.user_id) x on x.user_id = q.user_id
    where q.competition_id = restand_competition.competition_id
      and p.competition_id = q.competition_id and p.user_id = q.user_id;
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.restand_competition(uuid) is 'Recomputes every participant''s overall score of a competition.';

-- The standings: every participant's rank (ties share it: 1, 1, 3), score
-- and number of scores, overall (weighted) or in one round. They read the
-- standings the triggers keep (competition_participants.score and
-- competition_round_totals), so a leaderboard ranks one row per participant
-- rather than adding up every score. Scores show without trailing zeros.
create or replace function app_private.competition_standings(competition_id uuid, round_id uuid default null)
returns table (rank int, user_id uuid, score numeric, entries int) as $$
  select (rank() over (order by p.score desc))::int, p.user_id, trim_scale(p.score), p.entries
  from app_public.competition_participants p
  where p.competition_id = competition_standings.competition_id and competition_standings.round_id is null
  union all
  select (rank() over (order by coalesce(app_private.round_score(r.scoring, t.total, t.best, t.entries), 0) desc))::int, p.user_id,
    trim_scale(coalesce(app_private.round_score(r.scoring, t.total, t.best, t.entries), 0)), coalesce(t.entries, 0)
  from app_public.competition_participants p
  join app_public.competition_rounds r on r.id = competition_standings.round_id and r.competition_id = p.competition_id
  left join app_private.competition_round_totals t on t.round_id = r.id and t.user_id = p.user_id
  where p.competition_id = competition_standings.competition_id and competition_standings.round_id is not null;
$$ language sql stable;
comment on function app_private.competition_standings(uuid, uuid) is
  'Every participant''s rank, score and number of scores, overall (weighted) or in one round.';

-- The leaderboard as a viewer reads it: the standings of a competition they
-- may see (none otherwise), with names, ordered by rank then username. Rows
-- of users across a block from the viewer are left out; the ranks stay
-- those of everyone. Definer: the standings read every score once, under no
-- per-row policy.
create or replace function app_public.competition_leaderboard(competition_id uuid, round_id uuid default null)
returns setof app_public.leaderboard_row as $$
  select s.rank, s.user_id, u.username, u.display_name, s.score, s.entries
  from app_private.competition_standings(competition_leaderboard.competition_id, competition_leaderboard.round_id) s
  join app_public.users u on u.id = s.user_id
  where (select app_hidden.can_see_competition(competition_leaderboard.competition_id))
    and (competition_leaderboard.round_id is null or exists (select 1 from app_public.competition_rounds r
      where r.id = competition_leaderboard.round_id and r.competition_id = competition_leaderboard.competition_id))
    and not s.user_id = any ((select app_hidden.block_peer_ids(app_public.current_user_id()))::uuid[])
  order by s.rank, u.username;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.competition_leaderboard(uuid, uuid) to :DATABASE_VISITOR;

-- The keyed jobs of a competition's clock: while it is scheduled, one
-- competitions__advance job at its start and one at its end; once active,
-- the end one; otherwise none. job_key replace moves a queued job's run_at
-- (a job already running keeps going and the key passes to the new one).
create or replace function app_private.key_competition_jobs(competition app_public.competitions) returns void as $$
declare
  v_start_key text := 'competitions__advance:' || competition.id || ':start';
  v_end_key text := 'competitions__advance:' || competition.id || ':end';
  v_payload json := json_build_object('competition_id', competition.id);
begin
  if competition.status = 'scheduled' then
    perform graphile_worker.add_job('competitions__advance', v_payload, run_at := competition.starts_at,
      job_key := v_start_key, job_key_mode := 'replace', max_attempts := 10);
  else
    perform graphile_worker.remove_job(v_start_key);
  end if;
  if competition.status in ('scheduled', 'active') then
    perform graphile_worker.add_job('competitions__advance', v_payload, run_at := competition.ends_at,
      job_key := v_end_key, job_key_mode := 'replace', max_attempts := 10);
  else
    perform graphile_worker.remove_job(v_end_key);
  end if;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.key_competition_jobs(app_public.competitions) is
  'Queues (or re-keys, or removes) the competitions__advance jobs at a competition''s start and end, as its status needs.';

-- What the keyed jobs call (competitions__advance): moves the status as far
-- as the clock says. scheduled → active at the start, telling participants;
-- active → finished at the end, queueing the finalisation. A job that runs
-- early (its times moved after it was taken) changes nothing but re-keys
-- the jobs at the times. Returns the status.
create or replace function app_private.advance_competition(competition_id uuid) returns app_public.competition_status as $$
declare
  v_competition app_public.competitions;
begin
  select * into v_competition from app_public.competitions c where c.id = advance_competition.competition_id for update;
  if not found then
    return null;
  end if;
  if v_competition.status = 'scheduled' and now() >= v_competition.starts_at then
    update app_public.competitions c set status = 'active' where c.id = v_competition.id returning * into v_competition;
    perform app_private.notify(p.user_id, 'competitions.started',
        jsonb_build_object('username', u.username, 'competition_title', v_competition.title, 'competition_id', v_competition.id),
        'competitions.started:' || v_competition.id)
      from app_public.competition_participants p join app_public.users u on u.id = p.user_id
      where p.competition_id = v_competition.id;
  end if;
  if v_competition.status = 'active' and now() >= v_competition.ends_at then
    update app_public.competitions c set status = 'finished' where c.id = v_competition.id returning * into v_competition;
    perform graphile_worker.add_job('competitions__finalise', json_build_object('competition_id', v_competition.id),
      job_key := 'competitions__finalise:' || v_competition.id, max_attempts := 5);
  elsif v_competition.status in ('scheduled', 'active') then
    -- Early (the times moved while this job was running): the keys point
    -- at the times again.
    perform app_private.key_competition_jobs(v_competition);
  end if;
  return v_competition.status;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.advance_competition(uuid) is
  'Moves a competition''s status as the clock says (scheduled → active → finished), with its notifications and finalisation job.';

-- One fulfilment: points through the ledger (once per grant), or the item as
-- a free purchase (once per grant: its idempotency key), taking one from a
-- limited item's stock or failing the grant when none is left. Any error of
-- an item's fulfilment fails that grant only, with the reason.
create or replace function app_private.fulfil_reward_grant(grant_id uuid) returns app_public.competition_reward_grants as $$
declare
  v_grant app_public.competition_reward_grants;
  v_reward app_public.competition_rewards;
  v_transaction app_public.point_transactions;
  v_purchase_id uuid;
  v_quantity int;
begin
  select * into v_grant from app_public.competition_reward_grants g where g.id = fulfil_reward_grant.grant_id for update;
  if v_grant.status <> 'pending' then
    return v_grant;
  end if;
  select * into v_reward from app_public.competition_rewards w where w.id = v_grant.reward_id;
  if v_reward.points is not null then
    v_transaction := app_private.post_points(v_grant.user_id, v_reward.points, 'competition_reward',
      'competition_reward_grant', v_grant.id, 'Placed ' || v_grant.placement);
    update app_public.competition_reward_grants g set status = 'fulfilled',
        point_transaction_id = coalesce(v_transaction.id, (select t.id from app_public.point_transactions t
          where t.user_id = v_grant.user_id and t.reason = 'competition_reward'
            and t.source_type = 'competition_reward_grant' and t.source_id = v_grant.id))
      where g.id = v_grant.id returning * into v_grant;
    return v_grant;
  end if;
  begin
    select i.quantity into v_quantity from app_public.marketplace_inventory i where i.item_id = v_reward.item_id for update;
    if found and v_quantity < 1 then
      update app_public.competition_reward_grants g set status = 'failed', detail = 'Out of stock.'
        where g.id = v_grant.id returning * into v_grant;
      return v_grant;
    end if;
    if found then
      update app_public.marketplace_inventory i set quantity = i.quantity - 1, updated_at = now() where i.item_id = v_reward.item_id;
    end if;
    insert into app_public.marketplace_purchases as x (user_id, item_id, quantity, unit_price, status, idempotency_key, fulfilled_at)
      values (v_grant.user_id, v_reward.item_id, 1, 0, 'fulfilled', 'reward:' || v_grant.id, now())
      on conflict on constraint purchase_idempotency_key_unique do nothing
      returning x.id into v_purchase_id;
    update app_public.competition_reward_grants g set status = 'fulfilled',
        purchase_id = coalesce(v_purchase_id, (select x.id from app_public.marketplace_purchases x
          where x.user_id = v_grant.user_id and x.idempotency_key = 'reward:' || v_grant.id))
      where g.id = v_grant.id returning * into v_grant;
  exception when others then
    update app_public.competition_reward_grants g set status = 'failed', detail = left(sqlerrm, 500)
      where g.id = v_grant.id returning * into v_grant;
  end;
  return v_grant;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.fulfil_reward_grant(uuid) is
  'Pays a pending grant: points through the ledger, or an item as a free purchase (failed when out of stock).';

-- The finalisation (competitions__finalise): exactly once per competition.
-- The competition row is locked and finalised_at checked under the lock, so
-- a second run, concurrent or later, finds it set and does nothing. Each
-- reward goes to every participant whose overall rank falls in its placement
-- range (ties share a placement) and who scored at all; each grant is unique
-- per reward and user, each point credit per grant. Returns the grants made.
create or replace function app_private.finalise_competition(competition_id uuid) returns int as $$
declare
  v_competition app_public.competitions;
  v_grant app_public.competition_reward_grants;
  v_count int := 0;
  v_placed record;
begin
  select * into v_competition from app_public.competitions c where c.id = finalise_competition.competition_id for update;
  if not found or v_competition.finalised_at is not null or v_competition.status <> 'finished' then
    return 0;
  end if;
  for v_grant in
    insert into app_public.competition_reward_grants as g (reward_id, competition_id, user_id, placement)
    select w.id, v_competition.id, s.user_id, s.rank
    from app_private.competition_standings(v_competition.id) s
    join app_public.competition_rewards w on w.competition_id = v_competition.id and s.rank between w.placement_from and w.placement_to
    where s.entries > 0
    order by s.rank, s.user_id, w.placement_from, w.id
    on conflict on constraint reward_grant_once do nothing
    returning g.*
  loop
    v_grant := app_private.fulfil_reward_grant(v_grant.id);
    v_count := v_count + 1;
    perform app_private.notify(v_grant.user_id, 'competitions.reward',
      jsonb_build_object('username', (select u.username from app_public.users u where u.id = v_grant.user_id),
        'competition_title', v_competition.title, 'placement', v_grant.placement,
        'reward', (select coalesce(w.points || ' points', i.title) from app_public.competition_rewards w
          left join app_public.marketplace_items i on i.id = w.item_id where w.id = v_grant.reward_id)),
      'competitions.reward:' || v_grant.id);
  end loop;
  for v_placed in
    select distinct g.user_id, g.placement from app_public.competition_reward_grants g where g.competition_id = v_competition.id
  loop
    perform app_private.record_activity(v_placed.user_id, 'competitions.placed', 'competition', v_competition.id,
      jsonb_build_object('competition_title', v_competition.title, 'placement', v_placed.placement),
      'competitions.placed:' || v_competition.id, v_competition.community_id,
      case when v_competition.community_id is not null then 'community'::app_public.activity_visibility end);
  end loop;
  update app_public.competitions c set finalised_at = now() where c.id = v_competition.id;
  return v_count;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.finalise_competition(uuid) is
  'Awards a finished competition''s rewards exactly once (grants, points, items, notifications, activity); returns the grants made.';
--! EndIncluded competitions/functions.sql
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
  viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]
) returns boolean as $$
  -- Each parameter appears once: Postgres inlines a SQL function only then
  -- (the policy passes sub-selects), and the rule costs no call per row.
  select deleted_at is null and hidden_at is null and (
    coalesce(actor_id = viewer, false)
    or (not actor_id = any (coalesce(viewer_block_peers, '{}')) and (
      visibility = 'public'
      or (visibility = 'friends' and actor_id = any (coalesce(viewer_friends, '{}')))
      or (visibility = 'community' and community_id = any (coalesce(viewer_communities, '{}'))))));
$$ language sql stable;
comment on function app_hidden.can_see_event(uuid, app_public.activity_visibility, uuid, timestamptz, timestamptz, uuid, uuid[], uuid[], uuid[]) is
  'Whether a viewer sees an event: their own, or public, or friends-only from a friend, or community-only in a community of theirs; never across a block, nor once deleted or hidden.';
grant execute on function app_hidden.can_see_event(uuid, app_public.activity_visibility, uuid, timestamptz, timestamptz, uuid, uuid[], uuid[], uuid[]) to :DATABASE_ANONYMOUS;

-- Events are written here, by triggers of the domains they come from, never
-- by clients. The visibility is the actor's default at write time unless the
-- writer decides it (a purchase is private; an event of a community is seen
-- by its members); a dedupe key makes a repeated trigger write one event.
create or replace function app_private.record_activity(actor_id uuid, verb text, object_type text, object_id uuid,
  metadata jsonb, dedupe_key text default null, community_id uuid default null,
  visibility app_public.activity_visibility default null) returns uuid as $$
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
  insert into app_public.activity_events as e (actor_id, verb, object_type, object_id, metadata, visibility, community_id, dedupe_key)
  select record_activity.actor_id, record_activity.verb, record_activity.object_type, record_activity.object_id,
    record_activity.metadata,
    coalesce(record_activity.visibility,
      case when record_activity.community_id is not null then 'community'
        when p.default_activity_visibility = 'community' then 'friends' else p.default_activity_visibility end),
    -- Only a community event names its community (activity_community_visibility).
    case when coalesce(record_activity.visibility, 'community') = 'community' then record_activity.community_id end,
    record_activity.dedupe_key
  from app_public.privacy_settings p where p.user_id = record_activity.actor_id
  on conflict (actor_id, dedupe_key) where dedupe_key is not null do nothing
  returning e.id into v_id;
  update app_private.profile_counts c set last_active_at = now() where c.user_id = record_activity.actor_id;
  if record_activity.community_id is not null then
    -- Activity in a community is what a member contributes to it.
    update app_public.community_members m set last_active_at = now(), contribution_score = m.contribution_score + 1
      where m.community_id = record_activity.community_id and m.user_id = record_activity.actor_id;
  end if;
  return v_id;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.record_activity(uuid, text, text, uuid, jsonb, text, uuid, app_public.activity_visibility) is
  'Writes an activity event with the actor''s default visibility (or the one given; community events are seen by the community''s members); metadata must carry exactly the verb''s keys (BADIN).';

-- The events the current user took out of their feed, for the feed itself:
-- definer, so the feed never reads activity_hides (closed to anonymous).
create or replace function app_hidden.hidden_event_ids() returns uuid[] as $$
begin
  return (select coalesce(array_agg(h.event_id), '{}') from app_public.activity_hides h where h.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.hidden_event_ids() is 'The events the current user hid from their feed.';
grant execute on function app_hidden.hidden_event_ids() to :DATABASE_ANONYMOUS;

create or replace function app_public.activity_events_cursor(e app_public.activity_events) returns text as $$
  -- ISO 8601 in UTC to the microsecond: the same text whatever the session's DateStyle.
  select encode(convert_to(to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || e.id::text, 'utf8'), 'base64');
$$ language sql immutable;
comment on function app_public.activity_events_cursor(app_public.activity_events) is
  'Pass it as `after` to activityFeed for the events older than this one.';
grant execute on function app_public.activity_events_cursor(app_public.activity_events) to :DATABASE_ANONYMOUS;

-- The keys an actor contributes to a friends or following page: their
-- events others may ever see (never private, deleted or hidden), in
-- [from, before) by (created_at, id), newest first, at most max_keys, that
-- this viewer may see (the scope and viewer arrays as activity_feed has
-- them) and did not hide. Read from the partial index of shared events,
-- with no heap reads. A SQL function so that Postgres inlines it into the
-- feed's statement: the filter is written once for both of its passes.
create or replace function app_hidden.actor_feed_keys(actor_id uuid, scope app_public.feed_filter,
  before_created_at timestamptz, before_id uuid, from_created_at timestamptz, from_id uuid, max_keys int,
  hidden uuid[], viewer_friends uuid[], viewer_communities uuid[])
returns table (created_at timestamptz, id uuid) as $$
  select e.created_at, e.id from app_public.activity_events e
  where e.actor_id = actor_feed_keys.actor_id and e.visibility <> 'private' and e.deleted_at is null and e.hidden_at is null
    and (e.created_at, e.id) < (before_created_at, before_id) and (e.created_at, e.id) >= (from_created_at, from_id)
    and e.id <> all (hidden)
    and (e.visibility = 'public'
      or (e.visibility = 'friends' and (scope = 'friends' or e.actor_id = any (viewer_friends)))
      or (e.visibility = 'community' and e.community_id = any (viewer_communities)))
  order by e.created_at desc, e.id desc
  limit max_keys;
$$ language sql stable;
comment on function app_hidden.actor_feed_keys(uuid, app_public.feed_filter, timestamptz, uuid, timestamptz, uuid, int, uuid[], uuid[], uuid[]) is
  'The keys of one actor''s events in a range that a friends or following feed page may show, newest first.';

-- A page of the feed: one statement per page, on indexes, newest first,
-- before the `after` cursor. A definer, because it applies the visibility
-- rule itself, with the viewer's friends, blocks and communities computed
-- once: every row it returns passes app_hidden.can_see_event, as the
-- activity_events policy would decide it, and the scans before it only
-- narrow what reaches that check (under the policy, each candidate key
-- went through the rule again, with those arrays computed a second time).
--   - friends and following, in two passes over each actor's newest keys
--     (app_hidden.actor_feed_keys): first each actor's newest one, then,
--     from the actors whose newest is at least the page_size-th newest of
--     those, their keys down to it. The page cannot end below it: page_size
--     actors each have a key at or above it. So a page reads about one key
--     per actor and page_size more, not page_size per actor.
--   - me: the actor index; public: the partial index of public events.
-- Hidden events are left out inside each scan, so a page of them is no end
-- of the feed. PL/pgSQL, so each session plans each branch once.
create or replace function app_public.activity_feed(scope app_public.feed_filter default 'friends', page_size int default 20, after text default null)
returns setof app_public.activity_events as $$
#variable_conflict use_column
declare
  -- With no cursor, after everything.
  v_cursor text := convert_from(decode(activity_feed.after, 'base64'), 'utf8');
  v_before_at timestamptz := coalesce(split_part(v_cursor, '|', 1)::timestamptz, 'infinity');
  v_before_id uuid := coalesce(split_part(v_cursor, '|', 2)::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff');
  v_size int := least(greatest(coalesce(activity_feed.page_size, 20), 1), 100);
  v_me uuid := app_public.current_user_id();
  v_hidden uuid[] := app_hidden.hidden_event_ids();
  v_blocked uuid[] := app_hidden.block_peer_ids(v_me);
  v_friends uuid[] := app_hidden.friend_ids(v_me);
  v_communities uuid[] := app_hidden.community_ids(v_me);
begin
  if scope in ('friends', 'following') and v_me is not null then
    return query
    with newest as (
      select k.created_at, k.id, a.actor_id
      from unnest(case scope when 'friends' then v_friends else app_hidden.followee_ids(v_me) end) a(actor_id)
      cross join lateral app_hidden.actor_feed_keys(a.actor_id, scope, v_before_at, v_before_id,
        '-infinity', '00000000-0000-0000-0000-000000000000', 1, v_hidden, v_friends, v_communities) k
      where a.actor_id <> all (v_blocked)
    ), bound as (
      -- The page_size-th newest of the actors' newest keys, or the very
      -- beginning when fewer actors have any.
      select * from (select n.created_at, n.id from newest n order by 1 desc, 2 desc offset v_size - 1 limit 1) b
      union all select '-infinity', '00000000-0000-0000-0000-000000000000'
      order by 1 desc, 2 desc limit 1
    ), keys as (
      select k.created_at, k.id
      from bound b join newest n on (n.created_at, n.id) >= (b.created_at, b.id)
      cross join lateral app_hidden.actor_feed_keys(n.actor_id, scope, v_before_at, v_before_id,
        b.created_at, b.id, v_size, v_hidden, v_friends, v_communities) k
      order by 1 desc, 2 desc
      limit v_size
    )
    select e.* from keys k join app_public.activity_events e on e.id = k.id
    where app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
      v_me, v_friends, v_blocked, v_communities)
    order by e.created_at desc, e.id desc;
  elsif scope = 'me' and v_me is not null then
    return query
    select e.* from app_public.activity_events e
    where e.actor_id = v_me and e.deleted_at is null and e.hidden_at is null
      and (e.created_at, e.id) < (v_before_at, v_before_id) and e.id <> all (v_hidden)
      and app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
        v_me, v_friends, v_blocked, v_communities)
    order by e.created_at desc, e.id desc
    limit v_size;
  elsif scope = 'public' then
    return query
    select e.* from app_public.activity_events e
    where e.visibility = 'public' and e.deleted_at is null and e.hidden_at is null
      and (e.created_at, e.id) < (v_before_at, v_before_id) and e.id <> all (v_hidden) and e.actor_id <> all (v_blocked)
      and app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
        v_me, v_friends, v_blocked, v_communities)
    order by e.created_at desc, e.id desc
    limit v_size;
  end if;
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.activity_feed(app_public.feed_filter, int, text) is
  E'@behavior -connection +list\n@listSuffix omit\n@orderedBy created_at desc, id desc\nYour feed, newest first: scope friends (default), following, me or public; up to pageSize events (1-100, default 20) older than the `after` cursor (an event''s `cursor`). Hidden and deleted events are left out.';
grant execute on function app_public.activity_feed(app_public.feed_filter, int, text) to :DATABASE_ANONYMOUS;

-- Who did it, shown with the event to whoever may see the event (even when
-- their profile is not otherwise visible to that viewer). A column of the
-- event's own row, not a relation: row-level security on users would hide
-- an actor the viewer cannot see, and filter by a scan of every user. Joined
-- into the feed's own statement (@orderedBy on activity_feed).
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

-- Administrators moderate every event; a community's moderators (and those
-- above them) moderate the events of their community.
create or replace function app_public.moderate_activity_event(event_id uuid, hide boolean, reason text) returns app_public.activity_events as $$
declare
  v_event app_public.activity_events;
begin
  select * into v_event from app_public.activity_events e where e.id = moderate_activity_event.event_id for update;
  if not found then
    raise exception 'No such event.' using errcode = 'NOFND';
  end if;
  if not app_public.current_user_is_admin() then
    if v_event.community_id is null then
      perform app_private.assert_admin();
    end if;
    perform app_private.assert_community_role(v_event.community_id, 'moderator');
  end if;
  update app_public.activity_events
    set hidden_at = case when hide then coalesce(hidden_at, now()) end,
      hidden_by = case when hide then app_public.current_user_id() end
    where id = event_id returning * into v_event;
  insert into app_public.moderation_actions (moderator_id, action, event_id, reason)
    values (app_public.current_user_id(), case when hide then 'hide_event' else 'unhide_event' end, event_id, reason);
  return v_event;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.moderate_activity_event(uuid, boolean, text) is
  'Administrators hide any event from everyone, or show it again; a community''s moderators, its events. Kept in the audit trail. Errors: DNIED, COMRL, NOFND.';
grant execute on function app_public.moderate_activity_event(uuid, boolean, text) to :DATABASE_VISITOR;
--! EndIncluded feed/functions.sql

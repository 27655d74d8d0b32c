--! Previous: sha1:e5d84601166cc9a91bfd3dbb72fada61ec42b6e9
--! Hash: sha1:0801b8efd80e6fbd8c0bfcff34e96750aac78162

--------------------------------------------------------------------------------
-- identity: email verification and password reset
--------------------------------------------------------------------------------
-- Links in account mail are built by the templates from app_url and the token.
update app_public.notification_types set variables = '{username,email,token}' where code = 'account.verify_email';
update app_public.notification_types set variables = '{username,token}' where code = 'account.password_reset';
update app_public.notification_templates set body = replace(body, '{{{verify_url}}}', '{{{app_url}}}/verify-email?token={{token}}')
  where type = 'account.verify_email';
update app_public.notification_templates set body = replace(body, '{{{reset_url}}}', '{{{app_url}}}/reset-password?token={{token}}')
  where type = 'account.password_reset';

create table app_private.account_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  email_id uuid references app_public.user_emails on delete cascade,
  purpose text not null constraint account_token_purpose check (purpose in ('verify_email', 'reset_password')),
  token_hash bytea not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index on app_private.account_tokens (user_id);
create index on app_private.account_tokens (email_id);
alter table app_private.account_tokens enable row level security;
create policy no_visitor_access on app_private.account_tokens as restrictive using (false);
comment on table app_private.account_tokens is
  'Single-use, expiring tokens of the email-verification and password-reset links; only their SHA-256 is kept.';

create function app_private.issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval) returns text as $$
declare
  v_token text := encode(gen_random_bytes(32), 'hex');
begin
  insert into app_private.account_tokens (user_id, email_id, purpose, token_hash, expires_at)
    values (user_id, email_id, purpose, digest(v_token, 'sha256'), now() + ttl);
  return v_token;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.issue_account_token(uuid, uuid, text, interval) is 'A new random token (returned once; stored hashed).';

create function app_private.take_account_token(token text, purpose text) returns app_private.account_tokens as $$
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

create function app_private.send_email_verification(email_id uuid) returns void as $$
  select app_private.notify(e.user_id, 'account.verify_email',
    jsonb_build_object('username', u.username, 'email', e.email,
      'token', app_private.issue_account_token(e.user_id, e.id, 'verify_email', interval '24 hours')))
  from app_public.user_emails e join app_public.users u on u.id = e.user_id
  where e.id = send_email_verification.email_id and not e.is_verified;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.send_email_verification(uuid) is 'Mails a verification link to an unverified address.';

create function app_private.tg_user_emails__verify() returns trigger as $$
begin
  perform app_private.send_email_verification(new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_user_emails__verify() is 'Every new unverified address (registration included) gets a verification link.';
create trigger _500_verify after insert on app_public.user_emails
  for each row when (not new.is_verified) execute procedure app_private.tg_user_emails__verify();

create function app_public.verify_email(token text) returns boolean as $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'verify_email');
begin
  update app_public.user_emails set is_verified = true where id = v_token.email_id;
  update app_public.users set is_verified = true where id = v_token.user_id;
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.verify_email(text) is 'Confirms the address of a verification link (single use, 24 hours). TOKEN when invalid.';

create function app_public.resend_email_verification(email_id uuid) returns boolean as $$
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

create function app_public.forgot_password(email text) returns boolean as $$
declare
  v_email app_public.user_emails;
begin
  select * into v_email from app_public.user_emails e where e.email = forgot_password.email::citext;
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
  'Mails a password-reset link (single use, one hour) if the address belongs to an account. Always answers true.';

create function app_public.reset_password(token text, new_password text) returns boolean as $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'reset_password');
  v_username text := (select username from app_public.users where id = v_token.user_id);
begin
  perform app_private.assert_strong_password(new_password, v_username);
  update app_private.user_secrets set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now(),
    failed_login_attempts = 0, first_failed_login_at = null, locked_until = null
    where user_id = v_token.user_id;
  -- Every other reset link dies, and every signed-in session ends.
  update app_private.account_tokens set used_at = now()
    where user_id = v_token.user_id and purpose = 'reset_password' and used_at is null;
  update app_private.sessions set revoked_at = now() where user_id = v_token.user_id and kind = 'login' and revoked_at is null;
  -- The link proves the address.
  update app_public.user_emails set is_verified = true where id = v_token.email_id;
  update app_public.users set is_verified = true where id = v_token.user_id;
  perform app_private.notify(v_token.user_id, 'account.password_changed', jsonb_build_object('username', v_username));
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.reset_password(text, text) is
  'Sets a new password with a reset link''s token (TOKEN when invalid, WEAKP when weak) and signs out every session.';
grant execute on function app_public.verify_email(text), app_public.forgot_password(text),
  app_public.reset_password(text, text) to :DATABASE_ANONYMOUS;
grant execute on function app_public.resend_email_verification(uuid) to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- reminders: ritual reminders, goal checks, weekly ritual reports, in each
-- user's local time. Each is a job keyed per ritual or user and scheduled
-- with run_at at the next local occurrence, so DST and time-zone changes
-- need no UTC crontab line per user.
--------------------------------------------------------------------------------
-- The first instant after `after` that is `local_time` on a day matching the rule, in `tz`.
-- (date + time) at time zone tz is DST-safe: a time skipped by a spring-forward falls an hour later.
create function app_hidden.next_local_time(tz text, local_time time, after timestamptz, rule text, days_of_week smallint[] default null)
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

create function app_private.schedule_ritual_reminder(ritual_id uuid) returns void as $$
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
create function app_private.schedule_user_reminders(user_id uuid) returns void as $$
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

create function app_private.tg__schedule_reminders() returns trigger as $$
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
create trigger _600_reminders after insert or delete or update of reminder_enabled, reminder_time, is_active on app_public.rituals
  for each row execute procedure app_private.tg__schedule_reminders();
create trigger _600_reminders after insert or delete or update of target_date on app_public.goals
  for each row execute procedure app_private.tg__schedule_reminders();
create trigger _600_reminders after update of timezone on app_public.user_settings
  for each row execute procedure app_private.tg__schedule_reminders();

create function app_private.fire_ritual_reminder(ritual_id uuid) returns uuid as $$
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

create function app_private.fire_goal_check(user_id uuid) returns uuid as $$
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

create function app_private.fire_weekly_report(user_id uuid) returns uuid as $$
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

-- "Your review is ready": every generated review notifies, once per review and generation day.
create function app_private.tg_reviews__ready() returns trigger as $$
begin
  perform app_private.notify(new.user_id, 'reviews.ready',
    jsonb_build_object('username', (select username from app_public.users where id = new.user_id), 'kind', new.kind,
      'period_start', new.period_start, 'gfs', new.gfs, 'review_id', new.id),
    format('review:%s:%s', new.id, new.generated_at::date));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_reviews__ready() is 'Tells the user a review is ready.';
create trigger _600_ready after insert or update of generated_at on app_public.reviews
  for each row execute procedure app_private.tg_reviews__ready();

--------------------------------------------------------------------------------
-- notifications: retention
--------------------------------------------------------------------------------
create function app_private.prune_notifications(read_retention interval, log_retention interval) returns int as $$
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

--------------------------------------------------------------------------------
-- notifications: provider callbacks (delivered, opened, bounced)
--------------------------------------------------------------------------------
create table app_private.provider_callbacks (
  id text primary key,
  delivery_id uuid references app_public.notification_deliveries on delete cascade,
  status text not null,
  received_at timestamptz not null default now()
);
create index on app_private.provider_callbacks (delivery_id);
alter table app_private.provider_callbacks enable row level security;
create policy no_visitor_access on app_private.provider_callbacks as restrictive using (false);
comment on table app_private.provider_callbacks is 'Signed provider reports received, by message id: a replayed id is refused.';

-- Reports may arrive late or out of order: a status only moves forward
-- (sent → delivered → opened; bounced from sent or delivered).
create function app_private.provider_report(callback_id text, delivery_id uuid, provider_message_id text,
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
        ('sent', 'bounced'), ('delivered', 'bounced'));
  return 'ok';
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.provider_report(text, uuid, text, text, text) is
  'Applies a verified provider report to its delivery (by id or provider message id): ok, replay or unknown.';

--! Previous: sha1:961dd944779e9c5996988519679fb33ca26e69a1
--! Hash: sha1:e5d84601166cc9a91bfd3dbb72fada61ec42b6e9

--------------------------------------------------------------------------------
-- notifications: events → per-channel deliveries, templates, preferences
--------------------------------------------------------------------------------
create type app_public.notification_channel as enum ('in_app', 'email', 'push', 'webhook');
comment on type app_public.notification_channel is 'Where a notification goes: the app itself, email, web push, or your webhooks.';
create type app_public.digest_frequency as enum ('immediate', 'hourly', 'daily', 'weekly');
create type app_public.delivery_status as enum
  ('pending', 'held', 'sending', 'sent', 'delivered', 'opened', 'bounced', 'dead', 'discarded', 'skipped');
comment on type app_public.delivery_status is
  'pending: waiting for its time; held: waiting for a digest; sending; sent (handed to the provider); delivered, opened or bounced (reported by the provider); dead (out of attempts); discarded (by an admin); skipped (nothing to send to).';

create table app_public.notification_types (
  code text primary key constraint notification_type_format check (code ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'),
  description text not null,
  variables text[] not null default '{}',
  default_channels app_public.notification_channel[] not null default '{in_app}',
  is_transactional boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table app_public.notification_types enable row level security;
create trigger _100_timestamps before insert or update on app_public.notification_types
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.notification_types is
  'A kind of notification (e.g. `reviews.ready`): the variables its events carry, the channels it uses unless you choose otherwise.';
comment on column app_public.notification_types.variables is 'The names an event of this type carries in `data`: the only ones its templates may use.';
comment on column app_public.notification_types.is_transactional is
  'Account mail (verification, password reset): sent at once, whatever the preferences, quiet hours or digests.';
create policy select_all on app_public.notification_types for select using (true);
create policy insert_admin on app_public.notification_types for insert with check (app_public.current_user_is_admin());
create policy update_admin on app_public.notification_types for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
grant select on app_public.notification_types to :DATABASE_ANONYMOUS;
grant insert (code, description, variables, default_channels, is_transactional),
  update (description, variables, default_channels) on app_public.notification_types to :DATABASE_VISITOR;

insert into app_public.notification_types (code, description, variables, default_channels, is_transactional) values
  ('account.verify_email', 'Confirm an email address.', '{username,email,token,verify_url}', '{email}', true),
  ('account.password_reset', 'A link to choose a new password.', '{username,token,reset_url}', '{email}', true),
  ('account.password_changed', 'Your password was changed.', '{username}', '{email,in_app}', true),
  ('rituals.reminder', 'Time for a ritual.', '{username,ritual_title,ritual_id}', '{in_app,push}', false),
  ('rituals.weekly_report', 'How your rituals went this week.', '{username,kept,slots,rate,rituals}', '{in_app,email}', false),
  ('goals.due', 'Goals due within three days, or overdue.', '{username,goals,count}', '{in_app,email}', false),
  ('reviews.ready', 'Your monthly or quarterly review is ready.', '{username,kind,period_start,gfs,review_id}', '{in_app,email,webhook}', false),
  ('notifications.digest', 'Several notifications in one message.', '{username,count,items,frequency}', '{}', false);

create table app_public.notification_templates (
  id uuid primary key default gen_random_uuid(),
  type text not null references app_public.notification_types on delete cascade,
  channel app_public.notification_channel not null,
  locale text not null default 'en' constraint template_locale_format check (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  version int not null,
  subject text constraint template_subject_length check (char_length(subject) <= 300),
  body text not null constraint template_body_length check (char_length(body) between 1 and 20000),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  constraint template_version_unique unique (type, channel, locale, version)
);
alter table app_public.notification_templates enable row level security;
comment on table app_public.notification_templates is
  'Mustache text per notification type, channel and locale, versioned: saving makes a new version. The newest active version is used; a user''s locale falls back to its language, then to `en`.';
comment on column app_public.notification_templates.subject is 'Email subject, push title, or in-app title.';
create policy select_admin on app_public.notification_templates for select using (app_public.current_user_is_admin());
create policy insert_admin on app_public.notification_templates for insert with check (app_public.current_user_is_admin());
create policy update_admin on app_public.notification_templates for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
grant select on app_public.notification_templates to :DATABASE_VISITOR;
grant insert (type, channel, locale, subject, body, is_active), update (is_active) on app_public.notification_templates to :DATABASE_VISITOR;

-- The names a template uses: {{name}}, {{{name}}}, {{& name}}, {{#name}},
-- {{^name}}, {{/name}}; dotted names count by their first part. Names inside
-- a section may also be fields of the section's items (e.g. {{title}} inside
-- {{#goals}}), so only top-level names are checked against the type.
create function app_hidden.template_unknown_variables(type text, template text) returns text[] as $$
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

create function app_private.tg_notification_templates__validate() returns trigger as $$
declare
  v_unknown text[] := app_hidden.template_unknown_variables(new.type, coalesce(new.subject, '') || ' ' || new.body);
begin
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
  'Refuses templates naming variables their type lacks (TMPLV), and numbers versions.';
create trigger _200_validate before insert or update on app_public.notification_templates
  for each row execute procedure app_private.tg_notification_templates__validate();

create function app_private.pick_template(type text, channel app_public.notification_channel, locale text)
returns app_public.notification_templates as $$
  select t.* from app_public.notification_templates t
  where t.type = pick_template.type and t.channel = pick_template.channel and t.is_active
    and t.locale in (pick_template.locale, split_part(pick_template.locale, '-', 1), 'en')
  order by t.locale = pick_template.locale desc, t.locale = split_part(pick_template.locale, '-', 1) desc, t.version desc
  limit 1;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.pick_template(text, app_public.notification_channel, text) is
  'The newest active template for the locale, else its language, else English.';

create table app_public.notification_settings (
  user_id uuid primary key references app_public.users on delete cascade,
  quiet_hours_start time,
  quiet_hours_end time,
  digest_frequency app_public.digest_frequency not null default 'immediate',
  rate_limit_per_hour int not null default 30 constraint rate_limit_range check (rate_limit_per_hour between 1 and 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint quiet_hours_both check ((quiet_hours_start is null) = (quiet_hours_end is null))
);
alter table app_public.notification_settings enable row level security;
create trigger _100_timestamps before insert or update on app_public.notification_settings
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.notification_settings is
  'How you are notified: quiet hours (in your time zone; deliveries due inside wait for their end), digests for email and push, and a cap per hour and channel (the excess waits, nothing is dropped).';
comment on column app_public.notification_settings.quiet_hours_start is 'Local time quiet hours begin (may be after the end: 22:00–07:00).';
create policy select_own on app_public.notification_settings for select using (user_id = (select app_public.current_user_id()));
create policy update_own on app_public.notification_settings for update
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
grant select on app_public.notification_settings to :DATABASE_VISITOR;
grant update (quiet_hours_start, quiet_hours_end, digest_frequency, rate_limit_per_hour)
  on app_public.notification_settings to :DATABASE_VISITOR;

create function app_private.tg_users__notification_settings() returns trigger as $$
begin
  insert into app_public.notification_settings (user_id) values (new.id);
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__notification_settings() is 'Every user starts with default notification settings.';
create trigger _510_notification_settings after insert on app_public.users
  for each row execute procedure app_private.tg_users__notification_settings();
insert into app_public.notification_settings (user_id) select id from app_public.users;

create table app_public.notification_preferences (
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  type text not null references app_public.notification_types on delete cascade,
  channel app_public.notification_channel not null,
  enabled boolean not null,
  updated_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  primary key (user_id, type, channel)
);
create index on app_public.notification_preferences (type);
create trigger _100_timestamps before insert or update on app_public.notification_preferences
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.notification_preferences is
  'Your choice, per notification type and channel; without a row the type''s default channels apply.';
select app_private.apply_owner_policies('app_public.notification_preferences');
grant select, delete on app_public.notification_preferences to :DATABASE_VISITOR;
grant insert (type, channel, enabled), update (enabled) on app_public.notification_preferences to :DATABASE_VISITOR;

create function app_hidden.notification_channels(user_id uuid, type text) returns setof app_public.notification_channel as $$
  select c from app_public.notification_types t, unnest(enum_range(null::app_public.notification_channel)) c
  where t.code = notification_channels.type
    and case when t.is_transactional then c = any(t.default_channels)
      else coalesce((select p.enabled from app_public.notification_preferences p
        where p.user_id = notification_channels.user_id and p.type = t.code and p.channel = c), c = any(t.default_channels)) end;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.notification_channels(uuid, text) is 'The channels a notification of this type reaches this user on.';
grant execute on function app_hidden.notification_channels(uuid, text) to :DATABASE_VISITOR;

-- Next instant, at or after `at`, outside the user's quiet hours.
create function app_hidden.after_quiet_hours(user_id uuid, at timestamptz) returns timestamptz as $$
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
create function app_hidden.next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamptz) returns timestamptz as $$
  select case frequency
    when 'hourly' then date_trunc('hour', at) + interval '1 hour'
    when 'daily' then ((at at time zone tz)::date + 1 + time '08:00') at time zone tz
    when 'weekly' then ((date_trunc('week', (at at time zone tz)) + interval '7 days')::date + time '08:00') at time zone tz
    else at end
  from (select app_hidden.user_timezone(user_id) as tz) z;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.next_digest_at(uuid, app_public.digest_frequency, timestamptz) is 'When the digest that would hold a notification made at `at` is sent.';
grant execute on function app_hidden.next_digest_at(uuid, app_public.digest_frequency, timestamptz) to :DATABASE_VISITOR;

create table app_public.notification_events (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  type text not null references app_public.notification_types on delete cascade,
  data jsonb not null default '{}' constraint event_data_object check (jsonb_typeof(data) = 'object'),
  dedupe_key text,
  created_at timestamptz not null default now(),
  constraint notification_event_once unique (user_id, type, dedupe_key)
);
create index on app_public.notification_events (user_id, created_at desc);
create index on app_public.notification_events (type);
alter table app_public.notification_events enable row level security;
comment on table app_public.notification_events is
  'Something worth telling you about, raised in SQL by app_private.notify in the same transaction as its cause.';
comment on column app_public.notification_events.data is E'@omit\nThe variables for the templates (may hold single-use tokens: not exposed).';
create policy select_own on app_public.notification_events for select using (user_id = (select app_public.current_user_id()));
grant select on app_public.notification_events to :DATABASE_VISITOR;

create table app_public.notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references app_public.notification_events on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  channel app_public.notification_channel not null,
  -- The push subscription or webhook endpoint it goes to (none for in-app and email).
  target_id uuid,
  status app_public.delivery_status not null default 'pending',
  run_at timestamptz not null default now(),
  attempts int not null default 0,
  max_attempts int not null default 6,
  last_error text,
  provider_message_id text,
  digest_id uuid references app_public.notification_deliveries on delete set null,
  sent_at timestamptz,
  status_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create index on app_public.notification_deliveries (event_id);
create index on app_public.notification_deliveries (user_id);
-- Partial indexes: a delivery changes status twice or more, and each index
-- on it is rewritten every time; these stay small and cheap to maintain.
create index notification_deliveries_held_idx on app_public.notification_deliveries (user_id, channel) where status = 'held';
create index on app_public.notification_deliveries (digest_id);
create index notification_deliveries_dead_idx on app_public.notification_deliveries (status_changed_at) where status = 'dead';
create index notification_deliveries_sent_idx on app_public.notification_deliveries (user_id, channel, sent_at) where sent_at is not null;
create unique index notification_deliveries_provider_idx on app_public.notification_deliveries (provider_message_id)
  where provider_message_id is not null;
alter table app_public.notification_deliveries enable row level security;
comment on table app_public.notification_deliveries is
  'One notification on one channel (and target): its status, attempts and last error. Admins see everyone''s dead letters.';
comment on column app_public.notification_deliveries.run_at is 'When it is (next) due: after quiet hours, digest windows, rate limits and retry backoff.';
comment on column app_public.notification_deliveries.digest_id is 'The digest delivery that carried this one.';
create policy select_own on app_public.notification_deliveries for select
  using (user_id = (select app_public.current_user_id()) or (status = 'dead' and app_public.current_user_is_admin()));
grant select on app_public.notification_deliveries to :DATABASE_VISITOR;

-- Attempts and in-app notifications hang off their delivery (deleted with
-- it, and so with the event and the user). user_id and type are copies for
-- row-level security and counting, without foreign keys: each key check
-- share-locks the referenced row, and every notification of a type would
-- lock the same notification_types row from concurrent workers.
create table app_public.delivery_attempts (
  id bigint primary key generated always as identity,
  delivery_id uuid not null references app_public.notification_deliveries on delete cascade,
  user_id uuid not null,
  attempt int not null,
  succeeded boolean not null,
  provider_response jsonb,
  error text,
  created_at timestamptz not null default now()
);
create index on app_public.delivery_attempts (delivery_id, attempt);
create index on app_public.delivery_attempts (user_id);
alter table app_public.delivery_attempts enable row level security;
comment on table app_public.delivery_attempts is 'Every try of a delivery: what the provider answered, or the error.';
create policy select_own on app_public.delivery_attempts for select
  using (user_id = (select app_public.current_user_id()) or app_public.current_user_is_admin());
grant select on app_public.delivery_attempts to :DATABASE_VISITOR;

create table app_public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  delivery_id uuid not null unique references app_public.notification_deliveries on delete cascade,
  type text not null,
  title text not null,
  body text not null,
  read_at timestamptz,
  archived_at timestamptz,
  expires_at timestamptz,
  created_at timestamptz not null default now()
);
create index on app_public.notifications (user_id, created_at desc);
create index notifications_unread_idx on app_public.notifications (user_id, type) where read_at is null and archived_at is null;
create index notifications_read_idx on app_public.notifications (read_at) where read_at is not null;
alter table app_public.notifications enable row level security;
comment on table app_public.notifications is 'Your in-app notifications. Read ones are deleted after 90 days.';
create policy select_own on app_public.notifications for select
  using (user_id = (select app_public.current_user_id()) and (expires_at is null or expires_at > now()));
create policy update_own on app_public.notifications for update
  using (user_id = (select app_public.current_user_id())) with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.notifications for delete using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.notifications to :DATABASE_VISITOR;
grant update (read_at, archived_at) on app_public.notifications to :DATABASE_VISITOR;

create function app_public.mark_notifications_read(notification_ids uuid[]) returns int as $$
  with marked as (
    update app_public.notifications set read_at = now()
    where id = any(notification_ids) and read_at is null and user_id = app_public.current_user_id() returning 1
  ) select count(*)::int from marked;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.mark_notifications_read(uuid[]) is 'Marks your notifications read; returns how many changed.';
create function app_public.archive_notifications(notification_ids uuid[]) returns int as $$
  with archived as (
    update app_public.notifications set archived_at = now(), read_at = coalesce(read_at, now())
    where id = any(notification_ids) and archived_at is null and user_id = app_public.current_user_id() returning 1
  ) select count(*)::int from archived;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.archive_notifications(uuid[]) is 'Archives (and reads) your notifications; returns how many changed.';
create type app_public.unread_count as (type text, unread int);
create function app_public.unread_notification_counts() returns setof app_public.unread_count as $$
  select type, count(*)::int from app_public.notifications
  where user_id = app_public.current_user_id() and read_at is null and archived_at is null
    and (expires_at is null or expires_at > now())
  group by type order by type;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unread_notification_counts() is 'Your unread, unarchived in-app notifications, counted by type.';
grant execute on function app_public.mark_notifications_read(uuid[]), app_public.archive_notifications(uuid[]),
  app_public.unread_notification_counts() to :DATABASE_VISITOR;

create table app_public.push_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  endpoint text not null constraint push_endpoint_format check (endpoint ~ '^https?://[^\s]+$'),
  p256dh text not null constraint push_p256dh_format check (p256dh ~ '^[A-Za-z0-9_-]{40,200}={0,2}$'),
  auth text not null constraint push_auth_format check (auth ~ '^[A-Za-z0-9_-]{8,64}={0,2}$'),
  user_agent text constraint push_user_agent_length check (char_length(user_agent) <= 300),
  disabled_at timestamptz,
  created_at timestamptz not null default now(),
  constraint push_subscription_once unique (user_id, endpoint)
);
comment on table app_public.push_subscriptions is
  'A browser''s Web Push subscription (from PushManager.subscribe). Disabled when the push service says it is gone (404/410).';
select app_private.apply_owner_policies('app_public.push_subscriptions');
grant select, delete on app_public.push_subscriptions to :DATABASE_VISITOR;
grant insert (endpoint, p256dh, auth, user_agent) on app_public.push_subscriptions to :DATABASE_VISITOR;

create table app_public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  url text not null constraint webhook_url_format check (url ~ '^https?://[^\s/?#]+[^\s]*$' and char_length(url) <= 2000),
  event_types text[] not null default '{}',
  description text constraint webhook_description_length check (char_length(description) <= 200),
  disabled_at timestamptz,
  disabled_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index on app_public.webhook_endpoints (user_id);
create trigger _100_timestamps before insert or update on app_public.webhook_endpoints
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.webhook_endpoints is
  'An HTTPS endpoint of yours that receives notifications as signed JSON (Standard Webhooks). An answer of 410 disables it.';
comment on column app_public.webhook_endpoints.event_types is 'Notification types to send (empty: all types whose webhook channel is on).';
select app_private.apply_owner_policies('app_public.webhook_endpoints');
grant select, delete on app_public.webhook_endpoints to :DATABASE_VISITOR;
grant update (url, event_types, description, disabled_at) on app_public.webhook_endpoints to :DATABASE_VISITOR;

-- Signing keys must be readable to sign, so they are kept where only the owner reads them.
create table app_private.webhook_secrets (
  id bigint primary key generated always as identity,
  endpoint_id uuid not null references app_public.webhook_endpoints on delete cascade,
  secret text not null,
  created_at timestamptz not null default now(),
  -- A rotated-out key still signs (alongside the new one) until then.
  retires_at timestamptz
);
create index on app_private.webhook_secrets (endpoint_id);
alter table app_private.webhook_secrets enable row level security;
create policy no_visitor_access on app_private.webhook_secrets as restrictive using (false);
comment on table app_private.webhook_secrets is 'Signing secrets of webhook endpoints (whsec_…); during a rotation two sign.';

create type app_public.webhook_endpoint_secret as (endpoint_id uuid, secret text);

create function app_private.new_webhook_secret(endpoint_id uuid) returns text as $$
  insert into app_private.webhook_secrets (endpoint_id, secret)
  values (endpoint_id, 'whsec_' || encode(gen_random_bytes(24), 'base64')) returning secret;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.new_webhook_secret(uuid) is 'A new random signing secret for an endpoint.';

create function app_public.create_webhook_endpoint(url text, event_types text[] default '{}', description text default null)
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

create function app_public.rotate_webhook_secret(endpoint_id uuid) returns app_public.webhook_endpoint_secret as $$
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
grant execute on function app_public.create_webhook_endpoint(text, text[], text),
  app_public.rotate_webhook_secret(uuid) to :DATABASE_VISITOR;

-- Deliveries are attempted by graphile-worker, one job per delivery keyed by
-- its id: never two workers on one delivery, never twice for one key.
create function app_private.schedule_delivery(delivery_id uuid, at timestamptz) returns void as $$
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
create function app_private.notify(user_id uuid, type text, data jsonb default '{}', dedupe_key text default null)
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

create type app_private.delivery_claim as (
  outcome text, delivery_id uuid, channel app_public.notification_channel, target_id uuid, attempt int,
  type text, data jsonb, user_id uuid, username text, locale text, email text,
  template_subject text, template_body text
);

-- Start an attempt: 'send' with what the worker needs, or 'done' (nothing to
-- do: already sent, discarded, held) or 'deferred' (over the hourly cap: the
-- job is moved to when a slot frees up, nothing is dropped).
create function app_private.claim_delivery(delivery_id uuid) returns app_private.delivery_claim as $$
declare
  v_delivery app_public.notification_deliveries;
  v_event app_public.notification_events;
  v_transactional boolean;
  v_limit int;
  v_sent_in_hour int;
  v_free_at timestamptz;
begin
  -- In-app deliveries need no lock here: deliver_in_app completes them with
  -- one conditional update. Other channels are locked for their attempt.
  select * into v_delivery from app_public.notification_deliveries d where d.id = claim_delivery.delivery_id;
  if found and v_delivery.channel <> 'in_app' then
    select * into v_delivery from app_public.notification_deliveries d where d.id = claim_delivery.delivery_id for update;
  end if;
  -- 'sending' is claimable again: a worker that crashed after sending left it
  -- so, and the provider sees the same idempotency key (the delivery id).
  if not found or v_delivery.status not in ('pending', 'sending') then
    return row('done', claim_delivery.delivery_id, null, null, null, null, null, null, null, null, null, null, null)::app_private.delivery_claim;
  end if;
  select * into v_event from app_public.notification_events e where e.id = v_delivery.event_id;
  select t.is_transactional into v_transactional from app_public.notification_types t where t.code = v_event.type;
  if not v_transactional and v_delivery.channel <> 'in_app' then
    select s.rate_limit_per_hour into v_limit from app_public.notification_settings s where s.user_id = v_delivery.user_id;
    select count(*), min(d.sent_at) + interval '1 hour' into v_sent_in_hour, v_free_at
      from app_public.notification_deliveries d
      where d.user_id = v_delivery.user_id and d.channel = v_delivery.channel and d.sent_at > now() - interval '1 hour';
    if v_sent_in_hour >= v_limit then
      perform app_private.schedule_delivery(v_delivery.id, v_free_at);
      return row('deferred', v_delivery.id, v_delivery.channel, null, null, null, null, null, null, null, null, null, null)::app_private.delivery_claim;
    end if;
  end if;
  -- In-app deliveries are written and completed in one statement
  -- (deliver_in_app): no 'sending' step, one row version less.
  if v_delivery.channel = 'in_app' then
    v_delivery.attempts := v_delivery.attempts + 1;
  else
    update app_public.notification_deliveries d
      set status = 'sending', attempts = d.attempts + 1, status_changed_at = now()
      where d.id = v_delivery.id returning * into v_delivery;
  end if;
  return (select row('send', v_delivery.id, v_delivery.channel, v_delivery.target_id, v_delivery.attempts,
      v_event.type, v_event.data, u.id, u.username, s.locale,
      coalesce(v_event.data ->> 'email',
        (select e.email::text from app_public.user_emails e where e.user_id = u.id and e.is_verified order by e.is_primary desc limit 1)),
      -- The template comes with the claim: one round trip less per delivery.
      t.subject, t.body)::app_private.delivery_claim
    from app_public.users u join app_public.user_settings s on s.user_id = u.id
    left join lateral app_private.pick_template(v_event.type,
      case when v_delivery.channel = 'webhook' then 'in_app' else v_delivery.channel end, s.locale) t on true
    where u.id = v_delivery.user_id);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.claim_delivery(uuid) is
  'Starts an attempt of a delivery (or says why not: done, deferred by the hourly cap).';

-- Finish an attempt: every attempt is recorded; a failure is retried with
-- exponential backoff and full jitter (30 s · 2^(n-1), at most 6 h) until
-- max_attempts, then the delivery is dead and waits for an admin.
create function app_private.complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb default null,
  error text default null, provider_message_id text default null, final_status app_public.delivery_status default 'sent')
returns app_public.notification_deliveries as $$
declare
  v_delivery app_public.notification_deliveries;
begin
  select * into v_delivery from app_public.notification_deliveries d where d.id = complete_delivery.delivery_id for update;
  insert into app_public.delivery_attempts (delivery_id, user_id, attempt, succeeded, provider_response, error)
    values (v_delivery.id, v_delivery.user_id, v_delivery.attempts, succeeded, provider_response, error);
  if succeeded then
    update app_public.notification_deliveries d set status = final_status, sent_at = now(), status_changed_at = now(),
      last_error = null, provider_message_id = coalesce(complete_delivery.provider_message_id, d.provider_message_id)
      where d.id = v_delivery.id returning * into v_delivery;
    -- A digest's items went with it.
    update app_public.notification_deliveries d set status = final_status, sent_at = now(), status_changed_at = now()
      where d.digest_id = v_delivery.id and d.status = 'held';
  elsif final_status in ('dead', 'skipped') or v_delivery.attempts >= v_delivery.max_attempts then
    update app_public.notification_deliveries d
      set status = case when final_status = 'skipped' then 'skipped'::app_public.delivery_status else 'dead' end,
        last_error = error, status_changed_at = now()
      where d.id = v_delivery.id returning * into v_delivery;
  else
    update app_public.notification_deliveries d set status = 'pending', last_error = error, status_changed_at = now()
      where d.id = v_delivery.id returning * into v_delivery;
    perform app_private.schedule_delivery(v_delivery.id,
      now() + least(interval '6 hours', interval '30 seconds' * 2 ^ (v_delivery.attempts - 1)) * random());
  end if;
  return (select d from app_public.notification_deliveries d where d.id = v_delivery.id);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.complete_delivery(uuid, boolean, jsonb, text, text, app_public.delivery_status) is
  'Records an attempt; on failure schedules a retry with backoff and jitter, or marks the delivery dead.';

-- In-app delivery is a row: written in SQL, idempotent by delivery id, and
-- completed in the same statement (one round trip, one update).
create function app_private.deliver_in_app(delivery_id uuid, title text, body text) returns void as $$
  with done as (
    update app_public.notification_deliveries d
      set status = 'delivered', attempts = d.attempts + 1, sent_at = now(), status_changed_at = now(), last_error = null
      where d.id = deliver_in_app.delivery_id and d.status in ('pending', 'sending')
      returning d.id, d.user_id, d.event_id, d.attempts
  ), attempt as (
    insert into app_public.delivery_attempts (delivery_id, user_id, attempt, succeeded)
    select id, user_id, attempts, true from done
  )
  insert into app_public.notifications (user_id, delivery_id, type, title, body, expires_at)
  select done.user_id, done.id, e.type, deliver_in_app.title, deliver_in_app.body, now() + interval '180 days'
  from done join app_public.notification_events e on e.id = done.event_id
  on conflict (delivery_id) do nothing;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.deliver_in_app(uuid, text, text) is 'Writes the in-app notification of a delivery, once, and records the delivery done.';

create function app_public.retry_delivery(delivery_id uuid) returns app_public.notification_deliveries as $$
declare
  v_delivery app_public.notification_deliveries;
begin
  perform app_private.assert_admin();
  update app_public.notification_deliveries d
    set status = 'pending', attempts = 0, last_error = null, status_changed_at = now()
    where d.id = retry_delivery.delivery_id and d.status = 'dead' returning * into v_delivery;
  if not found then
    raise exception 'No dead delivery with that id.' using errcode = 'NOFND';
  end if;
  perform app_private.schedule_delivery(v_delivery.id, now());
  return v_delivery;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.retry_delivery(uuid) is 'Administrators: tries a dead delivery again, with a fresh set of attempts.';

create function app_public.discard_delivery(delivery_id uuid) returns app_public.notification_deliveries as $$
declare
  v_delivery app_public.notification_deliveries;
begin
  perform app_private.assert_admin();
  update app_public.notification_deliveries d set status = 'discarded', status_changed_at = now()
    where d.id = discard_delivery.delivery_id and d.status = 'dead' returning * into v_delivery;
  if not found then
    raise exception 'No dead delivery with that id.' using errcode = 'NOFND';
  end if;
  return v_delivery;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.discard_delivery(uuid) is 'Administrators: gives up on a dead delivery.';
grant execute on function app_public.retry_delivery(uuid), app_public.discard_delivery(uuid) to :DATABASE_VISITOR;

-- The digest of a user's channel: the held deliveries due by now become one
-- delivery of a notifications.digest event, which carries them.
create function app_private.collect_digest(user_id uuid, channel app_public.notification_channel) returns uuid as $$
declare
  v_items jsonb;
  v_ids uuid[];
  v_event_id uuid;
  v_delivery_id uuid;
begin
  select jsonb_agg(jsonb_build_object('type', e.type, 'description', t.description, 'at', e.created_at) order by e.created_at),
    array_agg(d.id)
  into v_items, v_ids
  from app_public.notification_deliveries d
  join app_public.notification_events e on e.id = d.event_id
  join app_public.notification_types t on t.code = e.type
  where d.user_id = collect_digest.user_id and d.channel = collect_digest.channel and d.status = 'held'
    and d.run_at <= now() + interval '1 minute';
  if v_ids is null then
    return null;
  end if;
  insert into app_public.notification_events (user_id, type, data)
    select collect_digest.user_id, 'notifications.digest', jsonb_build_object('username', u.username, 'count', cardinality(v_ids),
      'items', v_items, 'frequency', s.digest_frequency)
    from app_public.users u join app_public.notification_settings s on s.user_id = u.id where u.id = collect_digest.user_id
    returning id into v_event_id;
  insert into app_public.notification_deliveries (event_id, user_id, channel) values (v_event_id, user_id, channel)
    returning id into v_delivery_id;
  update app_public.notification_deliveries d set digest_id = v_delivery_id where d.id = any(v_ids);
  perform app_private.schedule_delivery(v_delivery_id, now());
  return v_delivery_id;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.collect_digest(uuid, app_public.notification_channel) is
  'Folds a user''s held deliveries on a channel into one digest delivery; returns it (null when none were due).';

-- English templates for every type and channel (webhooks carry the event as JSON, no template).
insert into app_public.notification_templates (type, channel, locale, subject, body)
select t.type, c.channel, 'en', t.subject, t.body
from (values
  ('account.verify_email', 'Confirm your email address', E'Hello {{username}},\n\nconfirm {{email}} for lifegraph: {{{verify_url}}}\n\nThe link works once, for 24 hours.'),
  ('account.password_reset', 'Choose a new password', E'Hello {{username}},\n\nchoose a new lifegraph password here: {{{reset_url}}}\n\nThe link works once, for one hour. If you did not ask for it, ignore this message.'),
  ('account.password_changed', 'Your password was changed', 'Hello {{username}}, your lifegraph password was just changed, and every other session was signed out.'),
  ('rituals.reminder', 'Time for {{ritual_title}}', 'A gentle reminder: {{ritual_title}}.'),
  ('rituals.weekly_report', 'Your rituals this week', E'Hello {{username}}, you kept {{kept}} of {{slots}} ritual slots this week.\n{{#rituals}}\n- {{title}}: {{kept}}/{{slots}}\n{{/rituals}}'),
  ('goals.due', '{{count}} goal(s) need attention', E'Hello {{username}},\n{{#goals}}\n- {{title}} (due {{target_date}})\n{{/goals}}'),
  ('reviews.ready', 'Your {{kind}} review is ready', 'Hello {{username}}, your {{kind}} review from {{period_start}} is ready.'),
  ('notifications.digest', '{{count}} new notifications', E'Hello {{username}}, here is what happened:\n{{#items}}\n- {{description}}\n{{/items}}')
) as t(type, subject, body)
cross join (values ('in_app'::app_public.notification_channel), ('email'), ('push')) as c(channel);

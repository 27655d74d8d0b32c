--! Previous: sha1:c965e8c27c254c3ff6c52f68dc2a68e43e7556bd
--! Hash: sha1:2127382d8f29b043d7a9ca1aab473e3db3662697
--! Message: notify() at the rate of social writes: deliveries inserted set-based with their status and due time, their jobs added at commit in one add_jobs call, in-app deliveries in batch jobs

-- notify() at the rate of social writes: a delivery's job is no longer added
-- by its own add_job call (about 0.4 ms each) but, with the rest of its
-- transaction's, by one add_jobs call at commit. This table holds the
-- deliveries raised in the open transaction until then, so it is empty
-- between transactions. Unlogged: its rows never outlive their transaction
-- and need no WAL. No foreign key: the flush joins the deliveries, and a
-- check per row would cost what the table saves.
create unlogged table app_private.unqueued_deliveries (
  delivery_id uuid primary key
);

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

-- A plain SQL function (no SET clause, every name qualified): notify()'s
-- query inlines it instead of calling it.
create or replace function app_hidden.notification_channels(user_id uuid, type text) returns setof app_public.notification_channel as $$
  select c from app_public.notification_types t, unnest(enum_range(null::app_public.notification_channel)) c
  where t.code = notification_channels.type
    and case when t.is_transactional then c = any(t.default_channels)
      else coalesce((select p.enabled from app_public.notification_preferences p
        where p.user_id = notification_channels.user_id and p.type = t.code and p.channel = c), c = any(t.default_channels)) end;
$$ language sql stable;
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
-- its id: never two workers on one delivery, never twice for one key. (A
-- fresh in-app delivery starts in a batch job instead: queue_delivery_jobs;
-- its retries come back here.)
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
-- On the path of every social write: one insert of the event and one of its
-- deliveries, each born with its status and due time; their jobs are added
-- at commit, with the rest of the transaction's (queue_delivery_jobs).
create or replace function app_private.notify(user_id uuid, type text, data jsonb default '{}', dedupe_key text default null)
returns uuid as $$
declare
  v_type app_public.notification_types;
  v_event_id uuid;
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

  with targets as (
    select c.channel, c.target_id,
      -- Account mail goes at once; the app and machines are not disturbed by the hour.
      case when v_type.is_transactional or c.channel in ('in_app', 'webhook') then 'now'
        when s.digest_frequency <> 'immediate' then 'digest' else 'after_quiet_hours' end as timing,
      s.digest_frequency
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
    left join app_public.notification_settings s on s.user_id = notify.user_id
  ), raised as (
    insert into app_public.notification_deliveries (event_id, user_id, channel, target_id, status, run_at)
    select v_event_id, notify.user_id, t.channel, t.target_id,
      -- Held for the digest of its window (one digest job per user and channel).
      case when t.timing = 'digest' then 'held' else 'pending' end::app_public.delivery_status,
      case t.timing when 'now' then now()
        when 'digest' then app_hidden.after_quiet_hours(notify.user_id, app_hidden.next_digest_at(notify.user_id, t.digest_frequency, now()))
        else app_hidden.after_quiet_hours(notify.user_id, now()) end
    from targets t
    returning id
  )
  insert into app_private.unqueued_deliveries (delivery_id) select id from raised;
  return v_event_id;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.notify(uuid, text, jsonb, text) is
  'Raises a notification: one event (a repeat of its dedupe_key is a no-op) and one delivery per channel and target the user''s preferences allow, each with its job (added at commit).';

-- The jobs of the deliveries raised in this transaction, in one add_jobs
-- call per kind instead of one add_job per delivery:
-- - in-app deliveries (a row in our own database, no network to wait on) go
--   by the hundred in one batch job (an array payload): the worker claims
--   and writes them with one statement each, and graphile-worker retries
--   only the entries that fail. A failed attempt is rescheduled alone, keyed
--   (schedule_delivery);
-- - every other pending delivery gets its keyed job (as schedule_delivery
--   gives it), at its run_at as it is now;
-- - each user and channel with held items gets its digest job, whose time
--   an existing one keeps.
create or replace function app_private.queue_delivery_jobs() returns void as $$
declare
  v_batches graphile_worker.job_spec[];
  v_deliver graphile_worker.job_spec[];
  v_digest graphile_worker.job_spec[];
begin
  with unqueued as (
    delete from app_private.unqueued_deliveries returning delivery_id
  ), due as materialized (
    select d.id, d.user_id, d.channel, d.status, d.run_at, d.channel = 'in_app' and d.status = 'pending' as batched,
      row_number() over (partition by d.channel = 'in_app' and d.status = 'pending', d.run_at order by d.id) - 1 as n
    from unqueued u join app_public.notification_deliveries d on d.id = u.delivery_id
  )
  select
    (select array_agg(row('notifications__deliver', b.payload, null, b.run_at, 25, null, null, null)::graphile_worker.job_spec)
      from (select due.run_at, json_agg(json_build_object('delivery_id', due.id)) as payload
        from due where due.batched group by due.run_at, due.n / 100) b),
    (select array_agg(row('notifications__deliver', json_build_object('delivery_id', due.id), null, due.run_at, 25,
        'notifications__deliver:' || due.id, null, null)::graphile_worker.job_spec)
      from due where due.status = 'pending' and not due.batched),
    (select array_agg(row('notifications__digest', json_build_object('user_id', h.user_id, 'channel', h.channel), null, h.run_at, null,
        format('notifications__digest:%s:%s', h.user_id, h.channel), null, null)::graphile_worker.job_spec)
      from (select due.user_id, due.channel, min(due.run_at) as run_at from due where due.status = 'held' group by 1, 2) h)
  into v_batches, v_deliver, v_digest;
  if v_batches is not null or v_deliver is not null then
    perform graphile_worker.add_jobs(coalesce(v_batches, '{}') || coalesce(v_deliver, '{}'));
  end if;
  if v_digest is not null then
    perform graphile_worker.add_jobs(v_digest, job_key_preserve_run_at := true);
  end if;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.queue_delivery_jobs() is
  'Adds the jobs of the deliveries raised in this transaction: in-app ones in batch jobs of up to 100, one keyed job per other pending delivery, one digest job per user and channel with held items.';

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

-- Looked up for every delivery claimed: a plain SQL set-returning function
-- (no SET clause), which the planner inlines into the claim's query.
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

-- Fires at commit once per delivery raised, but only the first firing finds
-- its row still there: it adds the jobs of them all, and the others return
-- after one index probe. Security definer: at commit the role is whoever
-- the transaction ended as (the visitor, after a security definer API
-- function raised the notification), who may not touch app_private.
create or replace function app_private.tg_unqueued_deliveries__queue_jobs() returns trigger as $$
begin
  if exists (select 1 from app_private.unqueued_deliveries u where u.delivery_id = new.delivery_id) then
    perform app_private.queue_delivery_jobs();
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_unqueued_deliveries__queue_jobs() is 'At commit, adds the jobs of the deliveries the transaction raised.';

drop trigger if exists _900_queue_jobs on app_private.unqueued_deliveries;
create constraint trigger _900_queue_jobs after insert on app_private.unqueued_deliveries
  deferrable initially deferred for each row execute procedure app_private.tg_unqueued_deliveries__queue_jobs();
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
-- An event's data may hold a single-use token (email verification, password
-- reset): the visitor cannot read that column at all, and GraphQL does not
-- show it (@behavior -* in comments.sql).
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

-- app_private.unqueued_deliveries
alter table app_private.unqueued_deliveries enable row level security;
drop policy if exists no_visitor_access on app_private.unqueued_deliveries;
create policy no_visitor_access on app_private.unqueued_deliveries as restrictive using (false);
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
-- Admins look for the dead letters among everything they may see.
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
comment on table app_private.unqueued_deliveries is
  'Deliveries raised in the open transaction whose jobs are not added yet: app_private.queue_delivery_jobs adds them all at commit.';
--! EndIncluded notifications/comments.sql

--! Previous: sha1:0801b8efd80e6fbd8c0bfcff34e96750aac78162
--! Hash: sha1:fd36130ca554cfd319d4ceb1d34de2ff00c7ec89

--------------------------------------------------------------------------------
-- notifications: batched claims and in-app writes
--------------------------------------------------------------------------------
-- The worker claims the deliveries it is running, and writes their in-app
-- rows, in batches: one statement for all of them, not two per delivery. Each
-- delivery keeps its own job and job key; only the round trips are shared.

-- Other channels than in-app start an attempt one by one: locked, capped per
-- hour, marked 'sending'.
create function app_private.start_attempt(delivery_id uuid, out outcome text, out attempt int) as $$
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

drop function app_private.claim_delivery(uuid);

-- Looked up for every delivery claimed: a plain SQL set-returning function
-- (no SET clause), which the planner inlines into the claim's query.
drop function app_private.pick_template(text, app_public.notification_channel, text);
create function app_private.pick_template(type text, channel app_public.notification_channel, locale text)
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
create function app_private.claim_deliveries(delivery_ids uuid[]) returns setof app_private.delivery_claim as $$
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

drop function app_private.deliver_in_app(uuid, text, text);
-- In-app delivery is a row in our own database, written in the statement that
-- records the delivery done: there is no provider, and the one attempt is on
-- the delivery (attempts, sent_at), not in delivery_attempts. Idempotent by
-- delivery id. The arrays are aligned: the i-th title and body belong to the
-- i-th delivery.
create function app_private.deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]) returns void as $$
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

-- One index less to rewrite each time a delivery changes status: one index
-- on (user, channel, sent) serves the user's rows and the hourly cap.
drop index app_public.notification_deliveries_user_id_idx;
drop index app_public.notification_deliveries_sent_idx;
create index notification_deliveries_user_sent_idx on app_public.notification_deliveries (user_id, channel, sent_at);


comment on table app_public.delivery_attempts is
  'Every try of a delivery on an outside channel (email, push, webhook): what the provider answered, or the error. In-app deliveries have no provider; their one attempt is on the delivery.';

--------------------------------------------------------------------------------
-- scores: a faster rollup rebuild
--------------------------------------------------------------------------------
-- The same rollups (the reference tests and the bench's digest check hold
-- them equal), computed per (user, area) and written in key order.
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

--------------------------------------------------------------------------------
-- notifications and identity: secrets stay in the database
--------------------------------------------------------------------------------
-- An event's data may hold a single-use token (email verification, password
-- reset): the visitor role cannot read the column at all, and GraphQL does
-- not show it. (V5 reads @behavior; the @omit tags of earlier migrations
-- were V4 syntax and hid nothing.)
revoke select on app_public.notification_events from :DATABASE_VISITOR;
grant select (id, user_id, type, dedupe_key, created_at) on app_public.notification_events to :DATABASE_VISITOR;
comment on column app_public.notification_events.data is
  E'@behavior -*\nThe variables for the templates (may hold single-use tokens: never exposed).';
comment on column app_public.score_rollups.running_tenths is
  E'@behavior -*\nDay rollups only: the sum of all the user''s scores of the area up to this day, in tenths. Trends are differences of these.';
comment on column app_public.score_rollups.running_count is E'@behavior -*\nDay rollups only: how many scores up to this day.';
comment on column app_public.ritual_streaks.last_slot is E'@behavior -*\nSlot number of the run''s last slot.';

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

--------------------------------------------------------------------------------
-- notifications: digests per target, outcomes that follow their digest,
-- reports during an attempt, retries that keep counting
--------------------------------------------------------------------------------
drop function app_private.collect_digest(uuid, app_public.notification_channel);
-- The digests of a user's channel: the held deliveries due by now, not yet
-- carried by a digest, become one delivery of a notifications.digest event
-- per target (each push subscription gets its own). Items due later keep a
-- digest job, at the time the first of them is due.
create function app_private.collect_digest(user_id uuid, channel app_public.notification_channel) returns int as $$
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

-- Provider reports can overtake the worker: accepted during the attempt too.
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

--------------------------------------------------------------------------------
-- reviews: written after the period ends in the user's own time zone
--------------------------------------------------------------------------------
-- The crontab runs on the 28th (before the 1st has begun anywhere); each
-- user's job waits for 02:00 on the day after the period, in their time zone.
-- A scheduled job and an on-demand one have different keys: asking for a
-- review now does not cancel the one due after the period ends.
drop function app_private.enqueue_review(uuid, app_public.review_kind, date);
create function app_private.enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamptz default null)
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

--------------------------------------------------------------------------------
-- scores: refused by name, never overflowed or rounded
--------------------------------------------------------------------------------
-- numeric(2,1) turned 12 into an overflow error and 4.55 into 4.6: the
-- checks now say what is wrong (score_range, score_one_decimal). Dropping the
-- type's precision rewrites nothing.
alter table app_public.scores alter column score type numeric;
alter table app_public.scores add constraint score_one_decimal check (score = round(score, 1));
comment on constraint score_one_decimal on app_public.scores is 'A score has at most one decimal, e.g. 3.5.';
create function app_private.tg_scores__one_decimal() returns trigger as $$
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
create trigger _040_one_decimal before insert or update of score on app_public.scores
  for each row execute procedure app_private.tg_scores__one_decimal();

--------------------------------------------------------------------------------
-- life domain: what Ruru shows, and what clients filter and sort by
--------------------------------------------------------------------------------
-- PostGraphile offers filters and orderings on indexed columns only; these
-- columns are read within one user's rows (found by the user_id indexes), so
-- filtering and sorting them costs little, and clients need them.
comment on type app_public.goal_status is 'Where a goal stands: planned, active, paused, done or dropped.';
comment on type app_public.goal_priority is 'How much a goal matters now: low, medium, high or critical.';
comment on type app_public.ritual_cadence is 'How often a ritual is kept: every day, every ISO week, every month, or on chosen days of the week (custom).';
comment on type app_public.relationship_kind is 'Who the person is to you.';
comment on type app_public.relationship_status is 'How the relationship is now: active, distant, estranged or ended.';
comment on type app_public.interaction_kind is 'How you were in touch.';
comment on type app_public.commitment_outcome is 'Whether a commitment was kept: pending until it is due, then kept or broken.';
comment on type app_public.forgiveness_status is 'Where you are with it: open, working on it, or released.';
comment on type app_public.message_role is 'Who wrote a coaching message: you (user) or the coach (assistant).';
comment on type app_public.review_kind is 'The period a review covers: a month or a quarter.';

comment on column app_public.scores.score is E'@behavior +filterBy +orderBy\nFrom 0 to 5, with at most one decimal.';
comment on column app_public.scores.source is E'@behavior +filterBy\nWho gave the score: you (manual), an assistant (ai), or a calculation (computed). One manual score per area, dimension and day.';
comment on column app_public.goals.status is E'@behavior +filterBy +orderBy\nWhere the goal stands.';
comment on column app_public.goals.priority is E'@behavior +filterBy +orderBy\nHow much the goal matters now.';
comment on column app_public.goals.progress is E'@behavior +filterBy +orderBy\nFrom 0 to 100. Set it yourself, or let key results drive it.';
comment on column app_public.goals.target_date is E'@behavior +filterBy +orderBy\nWhen you mean to be done.';
comment on column app_public.goals.description_md is 'What the goal is and why it matters (Markdown).';
comment on column app_public.journal_entries.sentiment is E'@behavior +filterBy +orderBy\nFrom -1 (negative) to 1 (positive); set by the analyser.';
comment on column app_public.rituals.cadence is E'@behavior +filterBy\nHow often the ritual is kept. Fixed once created (completions are placed in its slots).';
comment on column app_public.rituals.is_active is E'@behavior +filterBy\nPaused rituals (false) keep their history but are not reminded nor counted.';
comment on column app_public.rituals.instructions_md is 'How to do it (Markdown).';
comment on column app_public.rituals.reminder_enabled is 'Whether to be reminded at reminder_time, in your time zone.';
comment on column app_public.relationships.person_name is E'@behavior +filterBy +orderBy\nThe person''s name, as you call them (1-120 characters).';
comment on column app_public.relationships.kind is E'@behavior +filterBy +orderBy\nWho the person is to you.';
comment on column app_public.relationships.status is E'@behavior +filterBy +orderBy\nHow the relationship is now.';
comment on column app_public.relationships.quality is E'@behavior +filterBy +orderBy\nHow the relationship feels, 1 (poor) to 10 (excellent).';
comment on column app_public.relationships.desired_contacts_per_month is 'How often you would like to be in touch, per month (0-100); compare with actualContactsPerMonth.';
comment on column app_public.relationship_interactions.occurred_at is 'When you were in touch (not in the future); actualContactsPerMonth counts these.';
comment on column app_public.integrity_logs.commitment is 'What you committed to (1-1000 characters).';
comment on column app_public.integrity_logs.made_to is 'To whom you made it.';
comment on column app_public.integrity_logs.due_on is E'@behavior +filterBy +orderBy\nWhen it was due.';
comment on column app_public.integrity_logs.outcome is E'@behavior +filterBy\nPending, kept or broken.';
comment on column app_public.integrity_logs.impact is 'What breaking it did, to whom.';
comment on column app_public.integrity_logs.recovery_action is 'What you did, or will do, to make it right.';
comment on column app_public.integrity_logs.recovered_at is 'When it was made right.';
comment on column app_public.forgiveness_logs.subject is 'Who or what it is about (1-200 characters).';
comment on column app_public.forgiveness_logs.status is E'@behavior +filterBy\nOpen, working on it, or released.';
comment on column app_public.forgiveness_logs.reflection_md is 'Your reflection (Markdown).';
comment on column app_public.forgiveness_logs.released_at is 'When you let it go: set exactly when the status is released.';
comment on column app_public.autobiography_chapters.period_start is 'The first day of the part of your life the chapter tells.';
comment on column app_public.autobiography_chapters.period_end is 'The last day of that part of your life.';
comment on column app_public.autobiography_chapters.content_md is 'The chapter (Markdown).';
comment on column app_public.autobiography_chapters.position is 'Where the chapter goes in the book.';
comment on column app_public.key_results.start_value is 'Where you started; progress is (current - start) / (target - start).';
comment on column app_public.key_results.target_value is 'Where you mean to get (different from the start).';
comment on column app_public.key_results.current_value is 'Where you are now.';
comment on column app_public.key_results.unit is 'What the values count, e.g. km or books (up to 20 characters).';
comment on column app_public.module_progress.module_name is 'The wellness module, e.g. sleep-basics.';
comment on column app_public.module_progress.progress_percent is 'How far through the module you are, 0 to 100.';
comment on column app_public.module_progress.completed_topics is 'The topics of the module you have finished.';
comment on column app_public.module_progress.current_focus is 'What you are working on in it now.';
comment on column app_public.coaching_conversations.message_count is 'How many messages the conversation holds (kept by the database).';
comment on column app_public.coaching_conversations.last_message_at is 'When its last message was written.';
comment on column app_public.coaching_messages.role is 'Who wrote it: you (user) or the coach (assistant).';
comment on column app_public.user_area_weights.weight is 'Your weight for the area in your fulfillment score; your weights sum to 1. Set them all at once with setAreaWeights.';
comment on column app_public.wellness_entries.sleep_hours is E'@behavior +filterBy +orderBy\nHours slept, 0 to 24.';
comment on column app_public.wellness_entries.water_ml is 'Water drunk, in millilitres (0 to 20,000).';
comment on column app_public.wellness_entries.exercise_minutes is 'Minutes of exercise (0 to 1440).';
comment on column app_public.wellness_entries.meditation_minutes is 'Minutes of meditation (0 to 1440).';
comment on column app_public.wellness_entries.mood is E'@behavior +filterBy +orderBy\nFrom 1 (low) to 10 (great).';
comment on column app_public.wellness_entries.energy is E'@behavior +filterBy +orderBy\nFrom 1 (drained) to 10 (energetic).';

--------------------------------------------------------------------------------
-- notifications: refuse at save what could never be delivered
--------------------------------------------------------------------------------
-- Webhooks go to HTTPS endpoints; plain HTTP only to this machine (a receiver
-- in development, and even then only when WEBHOOK_ALLOW_PRIVATE_TARGETS is
-- set). Not validated against rows saved before: those fail at send time.
alter table app_public.webhook_endpoints add constraint webhook_url_https
  check (url ~ '^https://' or url ~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(/|$)') not valid;
comment on constraint webhook_url_https on app_public.webhook_endpoints is 'A webhook URL is https:// (plain http only to this machine).';

-- A Mustache section opened and never closed (or closed without being
-- opened) would fail every delivery: refused when the template is saved.
create function app_hidden.template_section_error(template text) returns text as $$
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

--------------------------------------------------------------------------------
-- areas: an area's dimension weights, changed together
--------------------------------------------------------------------------------
-- An area's dimension weights sum to 1, checked at commit: changing one alone
-- can never pass, so administrators set them together.
create function app_public.set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[])
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

-- Admins look for the dead letters among everything they may see.
comment on column app_public.notification_deliveries.status is
  E'@behavior +filterBy +orderBy\npending, held (for a digest), sending, sent, delivered, opened, bounced, skipped, dead (after the last attempt: an admin retries or discards it) or discarded.';
comment on column app_public.notification_deliveries.status_changed_at is E'@behavior +filterBy +orderBy\nWhen the status last changed.';
comment on column app_public.notification_deliveries.last_error is 'What went wrong at the last failed attempt.';

--! Previous: sha1:0801b8efd80e6fbd8c0bfcff34e96750aac78162
--! Hash: sha1:5a97577b9f19de96637f1a54f94baf072fe623c1

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
    select s.rate_limit_per_hour into v_limit from app_public.notification_settings s where s.user_id = v_delivery.user_id;
    select count(*), min(d.sent_at) + interval '1 hour' into v_sent_in_hour, v_free_at
      from app_public.notification_deliveries d
      where d.user_id = v_delivery.user_id and d.channel = v_delivery.channel and d.sent_at > now() - interval '1 hour';
    if v_sent_in_hour >= v_limit then
      perform app_private.schedule_delivery(v_delivery.id, v_free_at);
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
  select coalesce(a.outcome, 'done'), i.id, d.channel, d.target_id, a.attempt, e.type, e.data, u.id, u.username::text, s.locale,
    case when d.channel = 'email' then coalesce(e.data ->> 'email',
      (select m.email::text from app_public.user_emails m where m.user_id = u.id and m.is_verified order by m.is_primary desc limit 1)) end,
    t.subject, t.body
  from unnest(delivery_ids) as i(id)
  left join app_public.notification_deliveries d on d.id = i.id
  left join lateral (
    select case when d.status in ('pending', 'sending') then 'send' end, d.attempts + 1 where d.channel = 'in_app'
    union all
    select * from app_private.start_attempt(d.id) where d.channel <> 'in_app'
  ) a(outcome, attempt) on true
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

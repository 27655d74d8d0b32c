--! Previous: sha1:0801b8efd80e6fbd8c0bfcff34e96750aac78162
--! Hash: sha1:bb500bed4016958159b1d226fa4b97be785a3f8c

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

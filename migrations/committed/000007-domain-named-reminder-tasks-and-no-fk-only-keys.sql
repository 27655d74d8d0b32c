--! Previous: sha1:9d32f5fc006ef04cdd3b6e5afeb07f7022f4aad5
--! Hash: sha1:ac4e830eb3b1b94a46409e221318c0da723dac0a
--! Message: Reminder tasks named after their domain; no API for foreign-key-only unique keys

-- Reminder tasks are named after their domain: rituals__remind,
-- rituals__weekly_report and goals__remind (keys follow the task names).
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
  v_key text := 'rituals__remind:' || ritual_id;
begin
  select * into v_ritual from app_public.rituals r where r.id = schedule_ritual_reminder.ritual_id;
  if not found or not v_ritual.reminder_enabled or not v_ritual.is_active then
    perform graphile_worker.remove_job(v_key);
    return;
  end if;
  perform graphile_worker.add_job('rituals__remind', json_build_object('ritual_id', ritual_id), job_key := v_key,
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
    perform graphile_worker.add_job('goals__remind', json_build_object('user_id', user_id),
      job_key := 'goals__remind:' || user_id, run_at := app_hidden.next_local_time(v_tz, time '09:00', now(), 'daily'));
  else
    perform graphile_worker.remove_job('goals__remind:' || user_id);
  end if;
  if exists (select 1 from app_public.rituals r where r.user_id = schedule_user_reminders.user_id and r.is_active) then
    perform graphile_worker.add_job('rituals__weekly_report', json_build_object('user_id', user_id),
      job_key := 'rituals__weekly_report:' || user_id, run_at := app_hidden.next_local_time(v_tz, time '18:00', now(), 'sunday'));
  else
    perform graphile_worker.remove_job('rituals__weekly_report:' || user_id);
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
    perform graphile_worker.remove_job('rituals__remind:' || old.id);
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


create or replace trigger _600_reminders after update of timezone on app_public.user_settings
  for each row execute procedure app_private.tg__schedule_reminders();

create or replace trigger _600_reminders after insert or delete or update of target_date on app_public.goals
  for each row execute procedure app_private.tg__schedule_reminders();

create or replace trigger _600_reminders after insert or delete or update of reminder_enabled, reminder_time, is_active on app_public.rituals
  for each row execute procedure app_private.tg__schedule_reminders();
--! EndIncluded reminders/triggers.sql
-- Queued jobs under the old names: removed, and scheduled again under the new.
select graphile_worker.remove_job(key) from graphile_worker.jobs
  where task_identifier in ('reminders__ritual', 'reminders__goals', 'reminders__weekly_report') and key is not null;
select app_private.schedule_ritual_reminder(id) from app_public.rituals;
select app_private.schedule_user_reminders(id) from app_public.users;

-- Unique keys that exist only for composite foreign keys add no root field
-- and no update or delete mutation.
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
comment on constraint area_dimensions_id_area_id_key on app_public.area_dimensions is
  E'@behavior -single -update -delete\nExists for the foreign keys of scores (id, area_id), which keep them with the same owner; rows are fetched by their own key.';
--! EndIncluded areas/comments.sql
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
comment on constraint journal_entries_id_user_id_key on app_public.journal_entries is
  E'@behavior -single -update -delete\nExists for the foreign keys of entry areas (id, user_id), which keep them with the same owner; rows are fetched by their own key.';
--! EndIncluded journal/comments.sql
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
comment on constraint goals_id_user_id_key on app_public.goals is
  E'@behavior -single -update -delete\nExists for the foreign keys of key results (id, user_id), which keep them with the same owner; rows are fetched by their own key.';
--! EndIncluded goals/comments.sql
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
comment on constraint rituals_id_user_id_key on app_public.rituals is
  E'@behavior -single -update -delete\nExists for the foreign keys of completions and streaks (id, user_id), which keep them with the same owner; rows are fetched by their own key.';
--! EndIncluded rituals/comments.sql
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
comment on constraint relationships_id_user_id_key on app_public.relationships is
  E'@behavior -single -update -delete\nExists for the foreign keys of interactions (id, user_id), which keep them with the same owner; rows are fetched by their own key.';
--! EndIncluded relationships/comments.sql
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
comment on constraint coaching_conversations_id_user_id_key on app_public.coaching_conversations is
  E'@behavior -single -update -delete\nExists for the foreign keys of messages (id, user_id), which keep them with the same owner; rows are fetched by their own key.';
--! EndIncluded wellness/comments.sql

-- Ninety days of a life for one demo user, so that rollups, trends,
-- streaks, goals and a review show in Ruru on first start. Deterministic:
-- "random" numbers come from hashes of the day and the thing being scored.
-- src/db/seed.ts runs this file (as the owner) to define the functions, then
-- calls pg_temp.seed_demo_life(user_id) once per user that has no scores yet.
create or replace function pg_temp.demo_random(variadic parts text[]) returns float8 as $$
  select (abs(hashtext(array_to_string(parts, '/'))) % 10000) / 10000.0;
$$ language sql immutable;

create or replace function pg_temp.seed_demo_life(uid uuid) returns void as $seed$
begin
  drop table if exists pg_temp.demo_days;
  create temp table demo_days as
    select d::date as day, row_number() over (order by d) as n,
      app_hidden.user_timezone(uid) as tz
    from generate_series(app_hidden.user_today(uid) - 89, app_hidden.user_today(uid), interval '1 day') d;

  -- Scores: most areas on most days, each drifting around its own level.
  insert into app_public.scores (user_id, area_id, score_date, recorded_at, score, source)
  select uid, a.id, d.day, (d.day + time '21:00') at time zone d.tz,
    round(greatest(0, least(5, 2.2 + a.position % 4 * 0.4 + d.n / 90.0 * (a.position % 3 - 0.5)
      + (pg_temp.demo_random(uid::text, a.code, d.day::text) - 0.5) * 1.6))::numeric, 1), 'manual'
  from demo_days d cross join app_public.life_areas a
  where pg_temp.demo_random(uid::text, 'scored', a.code, d.day::text) < 0.65;

  insert into app_public.journal_entries (user_id, entry_date, title, content_md, tags)
  select uid, d.day, t.title, t.content, t.tags
  from demo_days d
  join (values
    (0, 'A good day', E'Shipped the feature I had been stuck on. The team was **great** and I felt proud of the work.\n\nEvening walk with a friend; grateful for the calm.', '{work,gratitude}'::text[]),
    (1, 'Tired', 'Slept badly and felt anxious all morning. Skipped the gym. Tomorrow I will go to bed earlier.', '{health}'),
    (2, 'Family dinner', 'Cooked for the family. We laughed a lot and made plans for the summer. I love these evenings.', '{family}'),
    (3, 'Money', 'Reviewed the budget. Spending is under control, and savings grew a little this month. Relieved.', '{finance}'),
    (4, 'Practice', 'Forty minutes of guitar. The new piece is hard but I can feel progress. Frustrating and fun at once.', '{music,learning}'),
    (5, 'A hard conversation', 'Told a colleague I could not keep a promise I made. It was uncomfortable, but honest, and we found a fix.', '{integrity,work}')
  ) as t(k, title, content, tags) on t.k = d.n % 6
  where d.n % 3 = 0;

  insert into app_public.goals (id, user_id, area_id, title, status, priority, target_date, progress)
  select g.id, uid, (select id from app_public.life_areas where code = g.area), g.title,
    g.status::app_public.goal_status, g.priority::app_public.goal_priority, app_hidden.user_today(uid) + g.due, g.progress
  from (values
    (gen_random_uuid(), 'HLT', 'Run a 10k', 'active', 'high', 45, 0),
    (gen_random_uuid(), 'FIN', 'Three months of savings', 'active', 'critical', 120, 0),
    (gen_random_uuid(), 'MUS', 'Learn five songs', 'planned', 'medium', 200, 10),
    (gen_random_uuid(), 'WRT', 'Publish an essay', 'done', 'low', -10, 100)
  ) as g(id, area, title, status, priority, due, progress);
  insert into app_public.key_results (goal_id, user_id, title, start_value, target_value, current_value, unit)
  select g.id, uid, k.title, 0, k.target, k.current, k.unit
  from app_public.goals g
  join (values ('Run a 10k', 'Longest run', 10, 7, 'km'), ('Run a 10k', 'Runs per week', 3, 2, 'runs'),
               ('Three months of savings', 'Saved', 9000, 5400, 'CAD')) as k(goal, title, target, current, unit)
    on k.goal = g.title
  where g.user_id = uid;

  insert into app_public.rituals (id, user_id, area_id, title, cadence, days_of_week, reminder_enabled, reminder_time, instructions_md, created_at)
  select r.id, uid, (select id from app_public.life_areas where code = r.area), r.title, r.cadence::app_public.ritual_cadence,
    r.dows, r.reminder is not null, r.reminder, r.instructions, now() - interval '90 days'
  from (values
    (gen_random_uuid(), 'WRT', 'Morning pages', 'daily', null::smallint[], time '07:00', 'Three pages by hand, before the phone.'),
    (gen_random_uuid(), 'HLT', 'Yoga', 'custom', '{1,3,5}'::smallint[], time '18:30', 'Thirty minutes; *breathe*.'),
    (gen_random_uuid(), 'PUR', 'Weekly review', 'weekly', null, time '17:00', 'Look back at the week, choose three priorities.'),
    (gen_random_uuid(), 'FIN', 'Budget check', 'monthly', null, null, 'Reconcile accounts and adjust the plan.')
  ) as r(id, area, title, cadence, dows, reminder, instructions);
  -- Kept on most slots, with a gap now and then; never in the future.
  insert into app_public.ritual_completions (ritual_id, user_id, completed_at)
  select r.id, uid, min((d.day + time '07:30') at time zone d.tz)
  from app_public.rituals r
  join demo_days d on r.cadence <> 'custom' or extract(isodow from d.day)::smallint = any(r.days_of_week)
  where r.user_id = uid and pg_temp.demo_random(uid::text, r.title, d.day::text) < 0.85
    and (d.day + time '07:30') at time zone d.tz <= now()
  group by r.id, app_hidden.ritual_slot_start(r.cadence, d.day);

  insert into app_public.wellness_entries (user_id, entry_date, sleep_hours, water_ml, exercise_minutes,
    meditation_minutes, mood, energy)
  select uid, d.day, round((6 + pg_temp.demo_random(uid::text, 'sleep', d.day::text) * 2.5)::numeric, 1),
    1200 + (pg_temp.demo_random(uid::text, 'water', d.day::text) * 1500)::int,
    (pg_temp.demo_random(uid::text, 'exercise', d.day::text) * 60)::int,
    (pg_temp.demo_random(uid::text, 'meditation', d.day::text) * 20)::int,
    4 + (pg_temp.demo_random(uid::text, 'mood', d.day::text) * 6)::int,
    4 + (pg_temp.demo_random(uid::text, 'energy', d.day::text) * 6)::int
  from demo_days d where pg_temp.demo_random(uid::text, 'wellness', d.day::text) < 0.93;

  insert into app_public.module_progress (user_id, module_name, progress_percent, completed_topics, current_focus)
  values (uid, 'sleep', 60, '{rhythm,light}', 'Wind-down routine'), (uid, 'nutrition', 25, '{hydration}', 'Protein at breakfast');
  with c as (
    insert into app_public.coaching_conversations (user_id, title, module_name) values (uid, 'Better evenings', 'sleep') returning id
  )
  insert into app_public.coaching_messages (conversation_id, user_id, role, content)
  select c.id, uid, m.role::app_public.message_role, m.content from c, (values
    ('user', 'I keep scrolling in bed. How do I stop?'),
    ('assistant', 'Try charging your phone outside the bedroom for a week and note how you sleep.')) as m(role, content);

  with r as (
    insert into app_public.relationships (user_id, person_name, kind, status, desired_contacts_per_month, quality)
    values (uid, 'Mum', 'parent', 'active', 8, 8), (uid, 'Sam', 'friend', 'active', 4, 7), (uid, 'Jordan', 'colleague', 'distant', 2, 5)
    returning id, person_name
  )
  insert into app_public.relationship_interactions (relationship_id, user_id, occurred_at, kind)
  select r.id, uid, (d.day + time '19:00') at time zone d.tz, 'call'
  from r join demo_days d on pg_temp.demo_random(uid::text, r.person_name, d.day::text)
    < case r.person_name when 'Mum' then 0.2 when 'Sam' then 0.1 else 0.03 end
  where (d.day + time '19:00') at time zone d.tz <= now();

  insert into app_public.integrity_logs (user_id, area_id, commitment, made_to, outcome, impact, impact_level, recovery_action, recovered_at)
  values
    (uid, (select id from app_public.life_areas where code = 'WRK'), 'Send the report by Friday', 'Team', 'broken',
     'The team waited two days.', 3, 'Apologised and set a realistic date.', now() - interval '20 days'),
    (uid, (select id from app_public.life_areas where code = 'FAM'), 'Call Mum on Sunday', 'Mum', 'kept', null, null, null, null);
  insert into app_public.forgiveness_logs (user_id, subject, status, reflection_md)
  values (uid, 'My younger self', 'working', 'I did the best I could with what I knew.'),
         (uid, 'An old friend', 'released', 'Holding on cost more than letting go.');
  insert into app_public.autobiography_chapters (user_id, title, period_start, period_end, content_md, position)
  values (uid, 'Growing up by the lake', '1990-01-01', '2008-06-30', 'Summers on the water, winters in books.', 1),
         (uid, 'The city years', '2008-09-01', null, 'A first job, a small flat, and many new friends.', 2);

  -- The activity triggers wrote an event for each completion, streak
  -- milestone and goal done above, all at this transaction's now(); a live
  -- database would have written each when it happened.
  update app_public.activity_events e set created_at = c.completed_at
  from app_public.ritual_completions c
  where e.actor_id = uid and e.verb = 'rituals.completed' and e.dedupe_key = 'completion:' || c.id;
  -- A milestone: the completion that made the streak (started_on in the key) that long.
  update app_public.activity_events e set created_at = coalesce((
      select c.completed_at from app_public.ritual_completions c
      where c.ritual_id = e.object_id and c.slot_start >= split_part(e.dedupe_key, ':', 3)::date
      order by c.slot_start offset (e.metadata->>'length')::int - 1 limit 1), e.created_at)
  where e.actor_id = uid and e.verb = 'rituals.streak';
  update app_public.activity_events e set created_at = least(now(), (g.target_date + time '18:00') at time zone app_hidden.user_timezone(uid))
  from app_public.goals g
  where e.actor_id = uid and e.verb = 'goals.done' and e.object_id = g.id;
  -- Each event took the user's default visibility; some were shared
  -- otherwise afterwards, as people do.
  update app_public.activity_events e
  set visibility = (array['private', 'public', 'friends'])[1 + floor(r.r * 10)::int]::app_public.activity_visibility
  from (select id, pg_temp.demo_random(uid::text, 'shared', metadata::text) as r from app_public.activity_events where actor_id = uid) r
  where e.id = r.id and r.r < 0.3;
end;
$seed$ language plpgsql;

--! Previous: sha1:7e6cd7e77d21b34643e35b46a0b96f5da8787f86
--! Hash: sha1:961dd944779e9c5996988519679fb33ca26e69a1

--------------------------------------------------------------------------------
-- platform: a fast time-zone check
--------------------------------------------------------------------------------
-- pg_timezone_names reads the whole zone database on every call (~40 ms), and
-- is_valid_timezone guards every write of user_settings. Known names are kept
-- in a table; only an unknown name (or one added by a newer tzdata) pays the
-- full lookup.
create table app_private.time_zone_names (name text primary key);
alter table app_private.time_zone_names enable row level security;
create policy no_visitor_access on app_private.time_zone_names as restrictive using (false);
comment on table app_private.time_zone_names is 'The time zone names Postgres knew when this migration ran: a fast path for is_valid_timezone.';
insert into app_private.time_zone_names (name) select name from pg_catalog.pg_timezone_names;

create or replace function app_public.is_valid_timezone(tz text) returns boolean as $$
begin
  return exists (select 1 from app_private.time_zone_names where name = tz)
    or exists (select 1 from pg_catalog.pg_timezone_names where name = tz);
end;
-- Definer: the table is in app_private; the function reveals only a yes or no.
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;

--------------------------------------------------------------------------------
-- areas: the 16 life areas, their dimensions, per-user weights
--------------------------------------------------------------------------------
-- Shared helpers of the life domain. Invoker functions: under the visitor,
-- row-level security limits them to the caller's own settings.
create function app_hidden.user_timezone(user_id uuid) returns text as $$
  select coalesce((select s.timezone from app_public.user_settings s where s.user_id = user_timezone.user_id), 'UTC');
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.user_timezone(uuid) is 'The user''s time zone name (UTC when unset).';

create function app_hidden.user_today(user_id uuid) returns date as $$
  select (now() at time zone app_hidden.user_timezone(user_id))::date;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.user_today(uuid) is 'Today''s date in the user''s time zone.';
grant execute on function app_hidden.user_timezone(uuid), app_hidden.user_today(uuid) to :DATABASE_VISITOR;

-- Most tables of the life domain belong to one user: the same four policies,
-- made by one function so that none is forgotten or mistyped.
create function app_private.apply_owner_policies(tbl regclass) returns void as $$
begin
  execute format('alter table %s enable row level security', tbl);
  execute format('create policy select_own on %s for select using (user_id = (select app_public.current_user_id()))', tbl);
  execute format('create policy insert_own on %s for insert with check (user_id = (select app_public.current_user_id()))', tbl);
  execute format('create policy update_own on %s for update using (user_id = (select app_public.current_user_id())) '
    'with check (user_id = (select app_public.current_user_id()))', tbl);
  execute format('create policy delete_own on %s for delete using (user_id = (select app_public.current_user_id()))', tbl);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.apply_owner_policies(regclass) is
  'Migration helper: row-level security so that only the row''s user may select, insert, update or delete it.';

create function app_private.assert_admin() returns void as $$
begin
  if not app_public.current_user_is_admin() then
    raise exception 'Only administrators may do this.' using errcode = 'DNIED';
  end if;
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_admin() is 'Raises DNIED unless the current user is an administrator.';

create table app_public.life_areas (
  id int primary key generated always as identity,
  code text not null unique constraint area_code_format check (code ~ '^[A-Z]{3}$'),
  name text not null constraint area_name_length check (char_length(name) between 1 and 60),
  emoji text not null constraint area_emoji_length check (char_length(emoji) between 1 and 8),
  color text not null constraint area_color_hex check (color ~ '^#[0-9A-Fa-f]{6}$'),
  default_weight numeric(6,5) not null constraint area_weight_range check (default_weight between 0 and 1),
  is_active boolean not null default true,
  position int not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table app_public.life_areas enable row level security;
create trigger _100_timestamps before insert or update on app_public.life_areas
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.life_areas is
  E'The 16 areas of a life a user scores (Work, Purpose, Health…). Shared by everyone; administrators maintain them.';
comment on column app_public.life_areas.code is 'Stable three-letter code, e.g. `WRK`.';
comment on column app_public.life_areas.color is 'Hex colour for charts, e.g. `#2F80ED`.';
comment on column app_public.life_areas.default_weight is
  'Share of this area in the global fulfillment score when a user has not chosen weights. Active areas sum to 1.';
comment on column app_public.life_areas.position is 'Display order.';
create policy select_all on app_public.life_areas for select using (true);
create policy update_admin on app_public.life_areas for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
grant select on app_public.life_areas to :DATABASE_ANONYMOUS;
grant update (name, emoji, color, default_weight, is_active, position) on app_public.life_areas to :DATABASE_VISITOR;

create table app_public.area_dimensions (
  id int primary key generated always as identity,
  area_id int not null references app_public.life_areas on delete cascade,
  code text not null constraint dimension_code_format check (code ~ '^[a-z][a-z_]{1,39}$'),
  name text not null constraint dimension_name_length check (char_length(name) between 1 and 80),
  default_weight numeric(6,5) not null constraint dimension_weight_range check (default_weight between 0 and 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (area_id, code),
  -- Lets scores require a dimension of their own area.
  unique (id, area_id)
);
create index on app_public.life_areas (position);
comment on constraint area_dimensions_area_id_fkey on app_public.area_dimensions is E'@fieldName area\n@foreignFieldName dimensions';
alter table app_public.area_dimensions enable row level security;
create trigger _100_timestamps before insert or update on app_public.area_dimensions
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.area_dimensions is
  'A measurable facet of a life area (Work → throughput, quality). Weights within an area sum to 1.';
create policy select_all on app_public.area_dimensions for select using (true);
create policy update_admin on app_public.area_dimensions for update
  using (app_public.current_user_is_admin()) with check (app_public.current_user_is_admin());
grant select on app_public.area_dimensions to :DATABASE_ANONYMOUS;
grant update (name, default_weight) on app_public.area_dimensions to :DATABASE_VISITOR;

create table app_public.user_area_weights (
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  area_id int not null references app_public.life_areas on delete cascade,
  weight numeric(6,5) not null constraint user_weight_range check (weight between 0 and 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, area_id)
);
create index on app_public.user_area_weights (area_id);
create trigger _100_timestamps before insert or update on app_public.user_area_weights
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.user_area_weights is
  'A user''s own weight for an area, replacing its default. A user''s effective weights over active areas sum to 1 (± 0.001); save them together with `setAreaWeights`.';
select app_private.apply_owner_policies('app_public.user_area_weights');
grant select, delete on app_public.user_area_weights to :DATABASE_VISITOR;
grant insert (area_id, weight) , update (weight) on app_public.user_area_weights to :DATABASE_VISITOR;

create function app_hidden.area_weights(user_id uuid) returns table (area_id int, weight numeric) as $$
  select a.id, coalesce(w.weight, a.default_weight)
  from app_public.life_areas a
  left join app_public.user_area_weights w on w.area_id = a.id and w.user_id = area_weights.user_id
  where a.is_active;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.area_weights(uuid) is 'The weights a user''s global fulfillment score uses, per active area.';
grant execute on function app_hidden.area_weights(uuid) to :DATABASE_VISITOR;

-- Deferred constraint triggers: several rows may change in one transaction,
-- and the sums are checked once at commit.
create function app_private.tg__assert_weights_sum() returns trigger as $$
declare
  v_bad record;
begin
  if tg_table_name = 'user_area_weights' then
    select sum(w.weight) as total into v_bad from app_hidden.area_weights(coalesce(new.user_id, old.user_id)) w;
    if abs(v_bad.total - 1) > 0.001 then
      raise exception 'Area weights must sum to 1 (they sum to %).', round(v_bad.total, 4)
        using errcode = 'WEIGH', hint = 'Save all weights at once with setAreaWeights.';
    end if;
  elsif tg_table_name = 'life_areas' then
    select sum(default_weight) as total into v_bad from app_public.life_areas where is_active;
    if v_bad.total <> 1 then
      raise exception 'Default weights of active areas must sum to exactly 1 (they sum to %).', v_bad.total using errcode = 'WEIGH';
    end if;
  else
    select d.area_id, sum(d.default_weight) as total into v_bad from app_public.area_dimensions d
      where d.area_id = coalesce(new.area_id, old.area_id) group by d.area_id;
    if v_bad.total <> 1 then
      raise exception 'Dimension weights of an area must sum to exactly 1 (they sum to %).', v_bad.total using errcode = 'WEIGH';
    end if;
  end if;
  return null;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__assert_weights_sum() is 'Constraint trigger: area and dimension weights keep summing to 1.';
create constraint trigger _900_weights_sum after insert or update or delete on app_public.user_area_weights
  deferrable initially deferred for each row execute procedure app_private.tg__assert_weights_sum();
create constraint trigger _900_weights_sum after insert or update or delete on app_public.life_areas
  deferrable initially deferred for each row execute procedure app_private.tg__assert_weights_sum();
create constraint trigger _900_weights_sum after insert or update or delete on app_public.area_dimensions
  deferrable initially deferred for each row execute procedure app_private.tg__assert_weights_sum();

create function app_public.set_area_weights(area_codes text[], weights numeric[])
returns setof app_public.user_area_weights as $$
begin
  if app_public.current_user_id() is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if cardinality(area_codes) is distinct from cardinality(weights) then
    raise exception 'Give one weight per area code.' using errcode = 'BADIN';
  end if;
  if exists (select 1 from unnest(area_codes) c where c not in (select code from app_public.life_areas)) then
    raise exception 'Unknown area code in %.', area_codes using errcode = 'NOFND';
  end if;
  delete from app_public.user_area_weights where user_id = app_public.current_user_id();
  insert into app_public.user_area_weights (area_id, weight)
    select a.id, x.weight from unnest(area_codes, weights) as x(code, weight) join app_public.life_areas a using (code);
  -- Check the sum now so the caller gets the error from this mutation.
  set constraints app_public._900_weights_sum immediate;
  return query select * from app_public.user_area_weights where user_id = app_public.current_user_id();
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.set_area_weights(text[], numeric[]) is
  'Replaces your area weights: one weight per area code; areas left out keep their default. The effective weights must sum to 1 (± 0.001), else WEIGH. An empty list restores the defaults.';
grant execute on function app_public.set_area_weights(text[], numeric[]) to :DATABASE_VISITOR;

insert into app_public.life_areas (code, name, emoji, color, default_weight, position) values
  ('WRK', 'Work', '💼', '#2F80ED', 0.08, 1),
  ('PUR', 'Purpose', '🧭', '#9B51E0', 0.08, 2),
  ('HLT', 'Health', '💪', '#27AE60', 0.08, 3),
  ('FAM', 'Family', '🏡', '#F2994A', 0.07, 4),
  ('LOV', 'Love', '❤️', '#EB5757', 0.07, 5),
  ('FIN', 'Finance', '💰', '#219653', 0.07, 6),
  ('FRN', 'Friendship', '🤝', '#F2C94C', 0.06, 7),
  ('LRN', 'Learning', '📚', '#56CCF2', 0.06, 8),
  ('SPR', 'Spirituality', '🕊️', '#BB6BD9', 0.06, 9),
  ('INT', 'Integrity', '⚖️', '#4F4F4F', 0.06, 10),
  ('FUN', 'Play', '🎲', '#F2C94C', 0.06, 11),
  ('MUS', 'Music', '🎵', '#6FCF97', 0.05, 12),
  ('WRT', 'Writing', '✍️', '#828282', 0.05, 13),
  ('HOM', 'Home', '🪴', '#8D6E63', 0.05, 14),
  ('COM', 'Community', '🌍', '#2D9CDB', 0.05, 15),
  ('ADV', 'Adventure', '🧗', '#F2994A', 0.05, 16);

insert into app_public.area_dimensions (area_id, code, name, default_weight)
select a.id, d.code, d.name, d.weight
from (values
  ('WRK', 'throughput', 'Throughput', 0.4), ('WRK', 'quality', 'Quality', 0.3), ('WRK', 'trust', 'Trust', 0.3),
  ('PUR', 'clarity', 'Clarity', 0.5), ('PUR', 'alignment', 'Alignment', 0.5),
  ('HLT', 'fitness', 'Fitness', 0.35), ('HLT', 'sleep', 'Sleep', 0.35), ('HLT', 'nutrition', 'Nutrition', 0.3),
  ('FAM', 'presence', 'Presence', 0.5), ('FAM', 'harmony', 'Harmony', 0.5),
  ('LOV', 'intimacy', 'Intimacy', 0.5), ('LOV', 'partnership', 'Partnership', 0.5),
  ('FIN', 'savings', 'Savings', 0.5), ('FIN', 'cash_flow', 'Cash flow', 0.5),
  ('FRN', 'connection', 'Connection', 0.5), ('FRN', 'reciprocity', 'Reciprocity', 0.5),
  ('LRN', 'practice', 'Practice', 0.5), ('LRN', 'curiosity', 'Curiosity', 0.5),
  ('SPR', 'stillness', 'Stillness', 0.5), ('SPR', 'gratitude', 'Gratitude', 0.5),
  ('INT', 'promises_kept', 'Promises kept', 0.6), ('INT', 'recovery', 'Recovery', 0.4),
  ('FUN', 'play', 'Play', 0.5), ('FUN', 'rest', 'Rest', 0.5),
  ('MUS', 'practice', 'Practice', 0.5), ('MUS', 'performance', 'Performance', 0.5),
  ('WRT', 'output', 'Output', 0.5), ('WRT', 'craft', 'Craft', 0.5),
  ('HOM', 'order', 'Order', 0.5), ('HOM', 'comfort', 'Comfort', 0.5),
  ('COM', 'service', 'Service', 0.5), ('COM', 'belonging', 'Belonging', 0.5),
  ('ADV', 'novelty', 'Novelty', 0.5), ('ADV', 'courage', 'Courage', 0.5)
) as d(area_code, code, name, weight)
join app_public.life_areas a on a.code = d.area_code;
-- Check the sums now: later DDL on these tables cannot run with checks pending.
set constraints app_public._900_weights_sum immediate;

create function app_public.set_default_area_weights(area_codes text[], weights numeric[])
returns setof app_public.life_areas as $$
begin
  perform app_private.assert_admin();
  if cardinality(area_codes) is distinct from cardinality(weights) then
    raise exception 'Give one weight per area code.' using errcode = 'BADIN';
  end if;
  update app_public.life_areas a set default_weight = x.weight
    from unnest(area_codes, weights) as x(code, weight) where a.code = x.code;
  set constraints app_public._900_weights_sum immediate;
  return query select * from app_public.life_areas order by position;
end;
-- Definer: the admin check lives in app_private, out of the visitor's reach.
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.set_default_area_weights(text[], numeric[]) is
  'Administrators: changes several default area weights at once; active areas must still sum to exactly 1 (else WEIGH).';
grant execute on function app_public.set_default_area_weights(text[], numeric[]) to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- journal: entries, their areas, analysis by the worker
--------------------------------------------------------------------------------
create table app_public.journal_entries (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  entry_date date not null default app_hidden.user_today(app_public.current_user_id())
    constraint entry_date_not_future check (entry_date <= (now() + interval '2 days')::date)
    constraint entry_date_not_ancient check (entry_date >= date '1900-01-01'),
  title text constraint journal_title_length check (char_length(title) <= 200),
  content_md text not null constraint journal_content_length check (char_length(content_md) between 1 and 100000),
  tags text[] not null default '{}'
    constraint journal_tags_valid check (cardinality(tags) <= 20 and array_position(tags, null) is null),
  sentiment numeric(4,3) constraint sentiment_range check (sentiment between -1 and 1),
  summary text,
  analysed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, user_id)
);
create index on app_public.journal_entries (user_id, entry_date desc);
create index journal_entries_tags_idx on app_public.journal_entries using gin (tags);
create trigger _100_timestamps before insert or update on app_public.journal_entries
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.journal_entries is
  'A journal entry in markdown. Sentiment and summary are filled in by the analyser shortly after each save.';
comment on column app_public.journal_entries.entry_date is 'The day the entry is about (defaults to today in your time zone). At most two days ahead.';
comment on column app_public.journal_entries.sentiment is 'From -1 (negative) to 1 (positive); set by the analyser.';
comment on column app_public.journal_entries.summary is 'A short extractive summary; set by the analyser.';
comment on column app_public.journal_entries.analysed_at is 'When the analyser last processed this entry''s content.';
select app_private.apply_owner_policies('app_public.journal_entries');
grant select, delete on app_public.journal_entries to :DATABASE_VISITOR;
grant insert (entry_date, title, content_md, tags), update (entry_date, title, content_md, tags)
  on app_public.journal_entries to :DATABASE_VISITOR;

create table app_public.journal_entry_areas (
  entry_id uuid not null,
  user_id uuid not null default app_public.current_user_id(),
  area_id int not null references app_public.life_areas on delete cascade,
  primary key (entry_id, area_id),
  -- The entry must be the same user's: a row can only link one's own entries.
  foreign key (entry_id, user_id) references app_public.journal_entries (id, user_id) on delete cascade
);
create index on app_public.journal_entry_areas (entry_id, user_id);
create index on app_public.journal_entry_areas (area_id);
create index on app_public.journal_entry_areas (user_id);
alter table app_public.journal_entry_areas enable row level security;
comment on table app_public.journal_entry_areas is 'The life areas a journal entry is about.';
comment on constraint journal_entry_areas_entry_id_user_id_fkey on app_public.journal_entry_areas is E'@fieldName entry\n@foreignFieldName areas';
create policy select_own on app_public.journal_entry_areas for select using (user_id = (select app_public.current_user_id()));
create policy insert_own on app_public.journal_entry_areas for insert with check (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.journal_entry_areas for delete using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.journal_entry_areas to :DATABASE_VISITOR;
grant insert (entry_id, area_id) on app_public.journal_entry_areas to :DATABASE_VISITOR;

-- Definer: the visitor has no access to graphile_worker. The job key makes a
-- burst of edits one analysis; run_at leaves a few seconds for the burst.
create function app_private.tg_journal_entries__analyse() returns trigger as $$
begin
  if tg_op = 'INSERT' or new.content_md is distinct from old.content_md then
    perform graphile_worker.add_job('journal__analyse', json_build_object('entry_id', new.id),
      job_key := 'journal__analyse:' || new.id, run_at := now() + interval '3 seconds', max_attempts := 5);
  end if;
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_journal_entries__analyse() is 'Enqueues the analysis of a new or edited entry, once per burst of edits.';
create trigger _500_analyse after insert or update of content_md on app_public.journal_entries
  for each row execute procedure app_private.tg_journal_entries__analyse();

create function app_private.save_journal_analysis(entry_id uuid, analysed_content text,
  sentiment numeric, summary text) returns boolean as $$
  -- Only when the content is still what was analysed: a newer edit has its own job.
  update app_public.journal_entries e
    set sentiment = round(greatest(-1, least(1, save_journal_analysis.sentiment)), 3),
        summary = save_journal_analysis.summary, analysed_at = now()
  where e.id = save_journal_analysis.entry_id and e.content_md = analysed_content
  returning true;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.save_journal_analysis(uuid, text, numeric, text) is
  'Stores the analyser''s result unless the entry changed since.';

--------------------------------------------------------------------------------
-- scores: raw scores, rollups per period with confidence and trends, GFS
--------------------------------------------------------------------------------
create type app_public.score_source as enum ('manual', 'ai', 'computed');
comment on type app_public.score_source is 'Who produced a score: the user, an analyser, or a computation.';
create type app_public.period_kind as enum ('day', 'week', 'month', 'quarter');
comment on type app_public.period_kind is 'A calendar period in the user''s time zone; weeks are ISO weeks (Monday first).';

-- No `set search_path`, and a CASE on the enum (not kind::text, whose enum_out
-- is only stable), so that Postgres inlines these into the rollup queries.
create function app_hidden.period_start(kind app_public.period_kind, day date) returns date as $$
  select case kind when 'day' then day when 'week' then date_trunc('week', day::timestamp)::date
    when 'month' then date_trunc('month', day::timestamp)::date else date_trunc('quarter', day::timestamp)::date end;
$$ language sql immutable parallel safe;
create function app_hidden.period_end(kind app_public.period_kind, day date) returns date as $$
  select case kind when 'day' then day when 'week' then date_trunc('week', day::timestamp)::date + 6
    when 'month' then (date_trunc('month', day::timestamp) + interval '1 month')::date - 1
    else (date_trunc('quarter', day::timestamp) + interval '3 months')::date - 1 end;
$$ language sql immutable parallel safe;
comment on function app_hidden.period_start(app_public.period_kind, date) is 'First day of the period containing the day.';
comment on function app_hidden.period_end(app_public.period_kind, date) is 'Last day of the period containing the day.';
grant execute on function app_hidden.period_start(app_public.period_kind, date),
  app_hidden.period_end(app_public.period_kind, date) to :DATABASE_ANONYMOUS;

create table app_public.scores (
  id bigint primary key generated always as identity,
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  area_id int not null references app_public.life_areas on delete cascade,
  dimension_id int,
  recorded_at timestamptz not null default now(),
  score_date date not null
    constraint score_date_not_future check (score_date <= (now() + interval '2 days')::date)
    constraint score_date_not_ancient check (score_date >= date '1900-01-01'),
  score numeric(2,1) not null constraint score_range check (score between 0 and 5),
  source app_public.score_source not null default 'manual',
  note text constraint score_note_length check (char_length(note) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint score_dimension_of_area foreign key (dimension_id, area_id)
    references app_public.area_dimensions (id, area_id) on delete cascade
);
create index scores_user_area_date_idx on app_public.scores (user_id, area_id, score_date);
create index on app_public.scores (area_id);
create index on app_public.scores (dimension_id, area_id) where dimension_id is not null;
-- One manual score per user, area, dimension (or none) and day: a second write replaces it.
create unique index scores_one_manual_per_day on app_public.scores (user_id, area_id, dimension_id, score_date)
  nulls not distinct where source = 'manual';
create trigger _100_timestamps before insert or update on app_public.scores
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.scores is
  'A raw score from 0 to 5 (one decimal) for a life area, or one of its dimensions, on a day. Rollups are computed from these.';
comment on column app_public.scores.recorded_at is 'When the score was taken; its day in your time zone is `scoreDate` unless you give one.';
comment on column app_public.scores.score_date is 'The day the score is about, in your time zone. At most two days ahead.';
comment on constraint score_dimension_of_area on app_public.scores is E'@fieldName dimension\n@foreignFieldName scores';
select app_private.apply_owner_policies('app_public.scores');
grant select, delete on app_public.scores to :DATABASE_VISITOR;
grant insert (area_id, dimension_id, recorded_at, score_date, score, note), update (score, note)
  on app_public.scores to :DATABASE_VISITOR;

create function app_private.tg_scores__local_date() returns trigger as $$
begin
  new.score_date := coalesce(new.score_date, (new.recorded_at at time zone app_hidden.user_timezone(new.user_id))::date);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_scores__local_date() is 'A score without a day belongs to the day it was recorded, in the user''s time zone.';
create trigger _050_local_date before insert on app_public.scores
  for each row execute procedure app_private.tg_scores__local_date();

-- Derived rows, rebuilt in bulk: hash-partitioned by user so that a full
-- recompute runs as one job per partition, in parallel, each truncating and
-- refilling its own partition; and no foreign keys, whose per-row checks
-- would dominate a bulk rebuild (smart tags keep the GraphQL relations, and
-- a trigger on users removes a deleted user's rows).
create table app_public.score_rollups (
  user_id uuid not null,
  area_id int not null,
  period_kind app_public.period_kind not null,
  period_start date not null,
  period_end date not null,
  score numeric(4,3) not null,
  sample_count int not null,
  covered_days int not null,
  confidence numeric(4,3) not null,
  last_scored_day date not null,
  running_tenths bigint,
  running_count bigint,
  computed_at timestamptz not null default now(),
  primary key (user_id, area_id, period_kind, period_start)
) partition by hash (user_id);
alter table app_public.score_rollups enable row level security;
comment on table app_public.score_rollups is E'@foreignKey (area_id) references app_public.life_areas (id)|@fieldName area|@foreignFieldName rollups\n'
  '@foreignKey (user_id) references app_public.users (id)|@fieldName user|@foreignFieldName scoreRollups\n'
  'Scores per life area and period, computed by the worker from raw scores (never written by clients).';
comment on column app_public.score_rollups.score is 'Mean of the raw scores in the period.';
comment on column app_public.score_rollups.sample_count is 'How many raw scores the period holds.';
comment on column app_public.score_rollups.covered_days is 'On how many days of the period there were scores.';
comment on column app_public.score_rollups.confidence is
  'From 0 to 1: half from the number of samples (one a day counts as full), half from the share of days covered.';
comment on column app_public.score_rollups.last_scored_day is 'The last day of the period with a score: where its trends are taken.';
comment on column app_public.score_rollups.running_tenths is
  E'@omit\nDay rollups only: the sum of all the user''s scores of the area up to this day, in tenths. Trends are differences of these.';
comment on column app_public.score_rollups.running_count is E'@omit\nDay rollups only: how many scores up to this day.';
create policy select_own on app_public.score_rollups for select using (user_id = (select app_public.current_user_id()));
grant select on app_public.score_rollups to :DATABASE_VISITOR;

-- The partitions live in app_private: only reachable through the parent and its policy.
do $$
begin
  for i in 0..3 loop
    execute format('create table app_private.score_rollups_p%s partition of app_public.score_rollups '
      'for values with (modulus 4, remainder %s)', i, i);
    execute format('alter table app_private.score_rollups_p%s enable row level security', i);
    execute format('create policy no_visitor_access on app_private.score_rollups_p%s as restrictive using (false)', i);
    execute format('comment on table app_private.score_rollups_p%s is %L', i, 'A hash partition of app_public.score_rollups.');
  end loop;
end;
$$;

create function app_private.tg_users__delete_rollups() returns trigger as $$
begin
  delete from app_public.score_rollups r using deleted_users d where r.user_id = d.id;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__delete_rollups() is 'Rollups have no foreign key: this removes those of deleted users.';
create trigger _900_delete_rollups after delete on app_public.users
  referencing old table as deleted_users for each statement execute procedure app_private.tg_users__delete_rollups();

-- Which (user, area) rollups are stale, from which day on. Filled by the
-- statement triggers on scores, drained by the scores__rollup job.
create table app_private.rollup_queue (
  user_id uuid not null references app_public.users on delete cascade,
  area_id int not null,
  since date not null,
  primary key (user_id, area_id)
);
alter table app_private.rollup_queue enable row level security;
create policy no_visitor_access on app_private.rollup_queue as restrictive using (false);
comment on table app_private.rollup_queue is 'Stale rollups to recompute: per user and area, the first day that changed.';

create function app_private.tg_scores__queue_rollup() returns trigger as $$
begin
  -- A statement's transition tables exist only for its own event.
  if tg_op = 'INSERT' then
    insert into app_private.rollup_queue (user_id, area_id, since)
      select user_id, area_id, min(score_date) from changed_new group by user_id, area_id
    on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  elsif tg_op = 'UPDATE' then
    insert into app_private.rollup_queue (user_id, area_id, since)
      select user_id, area_id, min(score_date) from (
        select user_id, area_id, score_date from changed_new
        union all select user_id, area_id, score_date from changed_old) changed
      group by user_id, area_id
    on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  else
    insert into app_private.rollup_queue (user_id, area_id, since)
      select o.user_id, o.area_id, min(o.score_date) from changed_old o
      -- Rows deleted with their user leave nothing to recompute.
      where exists (select 1 from app_public.users u where u.id = o.user_id)
      group by o.user_id, o.area_id
    on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  end if;
  if found then
    -- One pending job for everything: a burst of writes is one recompute.
    perform graphile_worker.add_job('scores__rollup', '{}'::json, job_key := 'scores__rollup',
      job_key_mode := 'preserve_run_at', run_at := now() + interval '1 second');
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_scores__queue_rollup() is
  'Marks the rollups a statement on scores made stale and schedules their recompute.';
create trigger _500_queue_rollup_insert after insert on app_public.scores
  referencing new table as changed_new for each statement execute procedure app_private.tg_scores__queue_rollup();
create trigger _500_queue_rollup_update after update on app_public.scores
  referencing new table as changed_new old table as changed_old
  for each statement execute procedure app_private.tg_scores__queue_rollup();
create trigger _500_queue_rollup_delete after delete on app_public.scores
  referencing old table as changed_old for each statement execute procedure app_private.tg_scores__queue_rollup();

-- The one computation of rollups, for the (user, area, since) rows of the
-- temp table rollup_targets: inserts every rollup of those users and areas
-- whose period ends on or after `since`; callers clear what it replaces (a
-- delete through the parent here would lock every partition, and two
-- partition jobs would deadlock). Day rollups carry running totals (every
-- score up to that day), continued from the last day before `since`, so a
-- trend is a difference of running totals (rollup_trend) and nothing here
-- needs sliding windows; raw scores are read from the start of the quarter
-- holding `since`, the longest period it can touch.
create function app_private.rebuild_rollup_targets() returns int as $$
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
  insert into app_public.score_rollups (user_id, area_id, period_kind, period_start, period_end, score,
    sample_count, covered_days, confidence, last_scored_day, running_tenths, running_count)
  with targets as materialized (
    select t.user_id, t.area_id, t.since, app_hidden.period_start('quarter', t.since) as read_from, t.base_tenths, t.base_count
    from rollup_targets t
  ), daily as materialized (
    select s.user_id, s.area_id, s.score_date as day, sum((s.score * 10)::int)::int as tenths, count(*)::int as n,
      t.since, t.base_tenths, t.base_count
    from app_public.scores s
    join targets t on t.user_id = s.user_id and t.area_id = s.area_id
    where s.score_date >= t.read_from
    group by s.user_id, s.area_id, s.score_date, t.since, t.base_tenths, t.base_count
  ), rollups as (
    select user_id, area_id, 'day'::app_public.period_kind as kind, day as period_start, day as period_end,
      tenths, n, 1 as covered_days, 1 as period_days, day as last_scored_day,
      base_tenths + sum(tenths) over running as running_tenths, base_count + sum(n) over running as running_count
    from daily where day >= since
    window running as (partition by user_id, area_id order by day rows unbounded preceding)
    union all
    select user_id, area_id, kind, period_start, period_end, tenths, n, covered_days,
      period_end - period_start + 1, last_scored_day, null, null
    from (
      select user_id, area_id, since,
        case when grouping(week) = 0 then 'week' when grouping(month) = 0 then 'month' else 'quarter' end::app_public.period_kind as kind,
        coalesce(week, month, quarter) as period_start,
        sum(tenths)::int as tenths, sum(n)::int as n, count(*)::int as covered_days, max(day) as last_scored_day
      from (select daily.*, date_trunc('week', day::timestamp)::date as week, date_trunc('month', day::timestamp)::date as month,
              date_trunc('quarter', day::timestamp)::date as quarter from daily) d
      group by grouping sets ((user_id, area_id, since, week), (user_id, area_id, since, month), (user_id, area_id, since, quarter))
    ) p
    cross join lateral (select app_hidden.period_end(p.kind, p.period_start) as period_end) e
    where e.period_end >= p.since
  )
  -- round(x, 3) of non-negative rationals, exactly, in integers: floor(1000 x + 1/2).
  select user_id, area_id, kind, period_start, period_end, ((200 * tenths::bigint + n) / (2 * n)) * 0.001, n, covered_days,
    ((1000 * (least(n, period_days) + covered_days) + period_days) / (2 * period_days)) * 0.001,
    last_scored_day, running_tenths, running_count
  from rollups;
  get diagnostics v_rows = row_count;
  return v_rows;
end;
-- Enough memory to sort and hash a partition's days without spilling to disk.
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp set work_mem to '256MB';
comment on function app_private.rebuild_rollup_targets() is
  'Recomputes the rollups named by the temp table rollup_targets(user_id, area_id, since). Returns rows written.';

-- A trend at a day: the mean of the scores in the N days up to it minus the
-- mean of the N days before those, from the running totals of the last day
-- rollups at or before each bound (null when either window has no scores).
create function app_hidden.rollup_trend(user_id uuid, area_id int, anchor date, days int) returns numeric(4,3) as $$
  with bounds as (
    select b.i, coalesce(r.running_tenths, 0) as t, coalesce(r.running_count, 0) as n
    from (values (0), (1), (2)) as b(i)
    left join lateral (
      select running_tenths, running_count from app_public.score_rollups r
      where r.user_id = rollup_trend.user_id and r.area_id = rollup_trend.area_id and r.period_kind = 'day'
        and r.period_start <= anchor - b.i * days
      order by r.period_start desc limit 1
    ) r on true
  ), sums as (
    select max(t) filter (where i = 0) - max(t) filter (where i = 1) as recent_t,
      max(n) filter (where i = 0) - max(n) filter (where i = 1) as recent_n,
      max(t) filter (where i = 1) - max(t) filter (where i = 2) as earlier_t,
      max(n) filter (where i = 1) - max(n) filter (where i = 2) as earlier_n
    from bounds
  )
  select ((recent_t::float8 / nullif(recent_n, 0) - earlier_t::float8 / nullif(earlier_n, 0)) / 10)::numeric(4,3) from sums;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.rollup_trend(uuid, int, date, int) is
  'Mean score of the `days` days up to `anchor` minus that of the `days` days before, for a user and area.';
grant execute on function app_hidden.rollup_trend(uuid, int, date, int) to :DATABASE_VISITOR;

create function app_public.score_rollups_trend_7_days(r app_public.score_rollups) returns numeric as $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 7);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
create function app_public.score_rollups_trend_30_days(r app_public.score_rollups) returns numeric as $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 30);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
create function app_public.score_rollups_trend_90_days(r app_public.score_rollups) returns numeric as $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 90);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.score_rollups_trend_7_days(app_public.score_rollups) is
  'At the period''s last scored day: mean of the last 7 days minus mean of the 7 days before (null without scores on both sides).';
comment on function app_public.score_rollups_trend_30_days(app_public.score_rollups) is 'As trend7Days, over 30 days.';
comment on function app_public.score_rollups_trend_90_days(app_public.score_rollups) is 'As trend7Days, over 90 days.';
grant execute on function app_public.score_rollups_trend_7_days(app_public.score_rollups),
  app_public.score_rollups_trend_30_days(app_public.score_rollups),
  app_public.score_rollups_trend_90_days(app_public.score_rollups) to :DATABASE_VISITOR;

-- period_end >= since implies period_start >= since - 91 (no period is longer
-- than 92 days): a bound the primary key can use to skip older rollups.
create function app_private.refresh_queued_rollups() returns int as $$
declare
  v_rows int;
begin
  -- One refresh at a time: a job that starts while another runs waits for it.
  perform pg_advisory_xact_lock(hashtext('lifegraph.scores__rollup'));
  create temp table rollup_targets on commit drop as
    with taken as (delete from app_private.rollup_queue returning user_id, area_id, since) select * from taken;
  delete from app_public.score_rollups r using rollup_targets t
    where r.user_id = t.user_id and r.area_id = t.area_id and r.period_start >= t.since - 91 and r.period_end >= t.since;
  v_rows := app_private.rebuild_rollup_targets();
  drop table rollup_targets;
  return v_rows;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.refresh_queued_rollups() is 'Drains rollup_queue: recomputes just the stale user/area periods.';

create function app_private.recompute_rollups(user_id uuid) returns int as $$
declare
  v_rows int;
begin
  perform pg_advisory_xact_lock(hashtext('lifegraph.scores__rollup'));
  create temp table rollup_targets on commit drop as
    select s.user_id, s.area_id, '-infinity'::date as since from app_public.scores s
    where s.user_id = recompute_rollups.user_id group by s.user_id, s.area_id;
  -- Areas whose scores were all deleted keep no rollups.
  delete from app_public.score_rollups r where r.user_id = recompute_rollups.user_id;
  delete from app_private.rollup_queue q where q.user_id = recompute_rollups.user_id;
  v_rows := app_private.rebuild_rollup_targets();
  drop table rollup_targets;
  return v_rows;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.recompute_rollups(uuid) is 'Recomputes every rollup of one user.';

create function app_private.recompute_rollup_partition(part int) returns int as $$
declare
  v_rows int;
begin
  -- Incremental refreshes wait; other partitions proceed in parallel.
  perform pg_advisory_xact_lock_shared(hashtext('lifegraph.scores__rollup'));
  perform pg_advisory_xact_lock(hashtext('lifegraph.scores__rollup'), part);
  execute format('truncate app_private.score_rollups_p%s', part);
  create temp table rollup_targets on commit drop as
    select s.user_id, s.area_id, '-infinity'::date as since from app_public.scores s
    where satisfies_hash_partition('app_public.score_rollups'::regclass, 4, part, s.user_id)
    group by s.user_id, s.area_id;
  delete from app_private.rollup_queue q
    where satisfies_hash_partition('app_public.score_rollups'::regclass, 4, part, q.user_id);
  v_rows := app_private.rebuild_rollup_targets();
  drop table rollup_targets;
  return v_rows;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.recompute_rollup_partition(int) is
  'Recomputes every rollup of the users in one of the four partitions of score_rollups.';

-- The nightly repair: any (user, area, day) whose day rollup disagrees with
-- the raw scores (a lost job, a manual fix in SQL) is queued and refreshed.
create function app_private.repair_rollups() returns int as $$
  insert into app_private.rollup_queue (user_id, area_id, since)
  select user_id, area_id, min(day) from (
    select coalesce(s.user_id, r.user_id) as user_id, coalesce(s.area_id, r.area_id) as area_id,
      coalesce(s.day, r.period_start) as day
    from (select user_id, area_id, score_date as day, count(*)::int as n, round(avg(score), 3) as score
          from app_public.scores group by 1, 2, 3) s
    full join (select * from app_public.score_rollups where period_kind = 'day') r
      on r.user_id = s.user_id and r.area_id = s.area_id and r.period_start = s.day
    where s.n is distinct from r.sample_count or s.score is distinct from r.score
  ) stale
  where exists (select 1 from app_public.users u where u.id = stale.user_id)
  group by user_id, area_id
  on conflict (user_id, area_id) do update set since = least(rollup_queue.since, excluded.since);
  select app_private.refresh_queued_rollups();
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.repair_rollups() is 'Queues every stale (user, area) found by comparing day rollups with raw scores, then refreshes.';

create function app_public.recompute_rollups(user_id uuid default null) returns boolean as $$
begin
  perform app_private.assert_admin();
  if user_id is not null then
    perform graphile_worker.add_job('scores__recompute', json_build_object('user_id', user_id),
      job_key := 'scores__recompute:' || user_id, max_attempts := 3);
  else
    -- One job per partition: the worker runs them side by side.
    perform graphile_worker.add_job('scores__recompute', json_build_object('partition', part),
      job_key := 'scores__recompute:partition:' || part, max_attempts := 3)
    from generate_series(0, 3) part;
  end if;
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.recompute_rollups(uuid) is
  'Administrators: schedules a full recompute of one user''s rollups, or everyone''s when no user is given.';
grant execute on function app_public.recompute_rollups(uuid) to :DATABASE_VISITOR;

create function app_public.record_score(area_code text, score numeric, score_date date default null,
  dimension_code text default null, note text default null) returns app_public.scores as $$
#variable_conflict use_column
declare
  v_area_id int;
  v_dimension_id int;
  v_score app_public.scores;
begin
  select a.id into v_area_id from app_public.life_areas a where a.code = record_score.area_code and a.is_active;
  if v_area_id is null then
    raise exception 'Unknown life area %.', area_code using errcode = 'NOFND';
  end if;
  if dimension_code is not null then
    select d.id into v_dimension_id from app_public.area_dimensions d
      where d.area_id = v_area_id and d.code = record_score.dimension_code;
    if v_dimension_id is null then
      raise exception 'Unknown dimension % of %.', dimension_code, area_code using errcode = 'NOFND';
    end if;
  end if;
  insert into app_public.scores as s (area_id, dimension_id, score_date, score, note)
    values (v_area_id, v_dimension_id, record_score.score_date, record_score.score, record_score.note)
  on conflict (user_id, area_id, dimension_id, score_date) where source = 'manual'
    do update set score = excluded.score, note = excluded.note
  returning * into v_score;
  return v_score;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_public.record_score(text, numeric, date, text, text) is
  'Records your score (0-5, one decimal) for an area (and optionally one of its dimensions) on a day, today by default. A second score for the same day replaces the first.';
grant execute on function app_public.record_score(text, numeric, date, text, text) to :DATABASE_VISITOR;

create type app_public.fulfillment_area_score as (
  area_id int, area_code text, weight numeric, score numeric, contribution numeric
);
comment on type app_public.fulfillment_area_score is E'One area''s part in a global fulfillment score.';
create type app_public.fulfillment_score as (
  period_kind app_public.period_kind, period_start date, period_end date,
  score numeric, coverage numeric, areas app_public.fulfillment_area_score[]
);
comment on type app_public.fulfillment_score is
  E'Global fulfillment score: the period''s area rollups weighted by your area weights. `coverage` is the share of weight that had scores; `score` is normalised over it.';

create function app_public.users_gfs(u app_public.users, period app_public.period_kind, on_date date default null)
returns app_public.fulfillment_score as $$
  with bounds as (
    select app_hidden.period_start(coalesce(period, 'month'), coalesce(on_date, app_hidden.user_today(u.id))) as ps
  ), parts as (
    select a.id as area_id, a.code, w.weight, r.score, a.position
    from app_hidden.area_weights(u.id) w
    join app_public.life_areas a on a.id = w.area_id
    join bounds on true
    join app_public.score_rollups r on r.user_id = u.id and r.area_id = a.id
      and r.period_kind = coalesce(period, 'month') and r.period_start = bounds.ps
  )
  select row(coalesce(period, 'month'), bounds.ps, app_hidden.period_end(coalesce(period, 'month'), bounds.ps),
    (select round(sum(weight * score) / nullif(sum(weight), 0), 3) from parts),
    (select coalesce(sum(weight), 0) from parts),
    coalesce((select array_agg(row(area_id, code, weight, score, round(weight * score, 4))::app_public.fulfillment_area_score
      order by position) from parts), '{}'))::app_public.fulfillment_score
  -- Row-level security keeps this to your own: another user's rollups (and
  -- weights) are invisible, so their score is null.
  from bounds;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_gfs(app_public.users, app_public.period_kind, date) is
  'Your global fulfillment score for the `period` (a month by default) containing `onDate` (today by default), with each area''s part. Empty for other users.';
grant execute on function app_public.users_gfs(app_public.users, app_public.period_kind, date) to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- goals: OKR goals and their key results
--------------------------------------------------------------------------------
create type app_public.goal_status as enum ('planned', 'active', 'paused', 'done', 'dropped');
create type app_public.goal_priority as enum ('low', 'medium', 'high', 'critical');

create table app_public.goals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  area_id int references app_public.life_areas on delete set null,
  title text not null constraint goal_title_length check (char_length(title) between 1 and 200),
  description_md text constraint goal_description_length check (char_length(description_md) <= 20000),
  status app_public.goal_status not null default 'planned',
  priority app_public.goal_priority not null default 'medium',
  progress numeric(5,2) not null default 0 constraint goal_progress_range check (progress between 0 and 100),
  target_date date,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, user_id)
);
create index on app_public.goals (user_id, status);
create index on app_public.goals (user_id, target_date);
create index on app_public.goals (area_id);
create trigger _100_timestamps before insert or update on app_public.goals
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.goals is 'An OKR-style goal. With key results, its progress follows theirs.';
comment on column app_public.goals.progress is 'From 0 to 100. Set it yourself, or let key results drive it.';
comment on column app_public.goals.completed_at is 'When the goal last became done.';
select app_private.apply_owner_policies('app_public.goals');
grant select, delete on app_public.goals to :DATABASE_VISITOR;
grant insert (area_id, title, description_md, status, priority, progress, target_date),
  update (area_id, title, description_md, status, priority, progress, target_date) on app_public.goals to :DATABASE_VISITOR;

create table app_public.key_results (
  id uuid primary key default gen_random_uuid(),
  goal_id uuid not null,
  user_id uuid not null default app_public.current_user_id(),
  title text not null constraint key_result_title_length check (char_length(title) between 1 and 200),
  start_value numeric not null default 0,
  target_value numeric not null,
  current_value numeric not null default 0,
  unit text constraint key_result_unit_length check (char_length(unit) <= 20),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint key_result_target_differs check (target_value <> start_value),
  foreign key (goal_id, user_id) references app_public.goals (id, user_id) on delete cascade
);
create index on app_public.key_results (goal_id, user_id);
create index on app_public.key_results (user_id);
create trigger _100_timestamps before insert or update on app_public.key_results
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.key_results is 'A measurable result of a goal: from a start value to a target.';
comment on constraint key_results_goal_id_user_id_fkey on app_public.key_results is E'@fieldName goal\n@foreignFieldName keyResults';
select app_private.apply_owner_policies('app_public.key_results');
grant select, delete on app_public.key_results to :DATABASE_VISITOR;
grant insert (goal_id, title, start_value, target_value, current_value, unit),
  update (title, start_value, target_value, current_value, unit) on app_public.key_results to :DATABASE_VISITOR;

create function app_hidden.key_results_progress(goal_id uuid) returns numeric as $$
  select round(avg(greatest(0, least(1, (current_value - start_value) / (target_value - start_value)))) * 100, 2)
  from app_public.key_results k where k.goal_id = key_results_progress.goal_id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.key_results_progress(uuid) is 'Mean completion of a goal''s key results, 0-100; null without any.';
grant execute on function app_hidden.key_results_progress(uuid) to :DATABASE_VISITOR;

create function app_private.tg_goals__progress() returns trigger as $$
begin
  new.progress := coalesce(app_hidden.key_results_progress(new.id), new.progress);
  if new.status = 'done' and (tg_op = 'INSERT' or old.status <> 'done') then
    new.completed_at := now();
  elsif new.status <> 'done' then
    new.completed_at := null;
  end if;
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_goals__progress() is 'A goal with key results takes its progress from them; done goals get completed_at.';
create trigger _200_progress before insert or update on app_public.goals
  for each row execute procedure app_private.tg_goals__progress();

create function app_private.tg_key_results__goal_progress() returns trigger as $$
begin
  -- Touching the goal lets its trigger recompute the progress.
  update app_public.goals set progress = progress where id in (new.goal_id, old.goal_id);
  return null;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_key_results__goal_progress() is 'Keeps a goal''s progress in step with its key results.';
create trigger _500_goal_progress after insert or update or delete on app_public.key_results
  for each row execute procedure app_private.tg_key_results__goal_progress();

--------------------------------------------------------------------------------
-- rituals: habits with a cadence, completions per slot, streaks
--------------------------------------------------------------------------------
create type app_public.ritual_cadence as enum ('daily', 'weekly', 'monthly', 'custom');

create table app_public.rituals (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  area_id int references app_public.life_areas on delete set null,
  title text not null constraint ritual_title_length check (char_length(title) between 1 and 200),
  instructions_md text constraint ritual_instructions_length check (char_length(instructions_md) <= 20000),
  cadence app_public.ritual_cadence not null default 'daily',
  days_of_week smallint[]
    constraint ritual_days_of_week check (
      (cadence = 'custom') = (days_of_week is not null)
      and (days_of_week is null or (cardinality(days_of_week) between 1 and 7
        and days_of_week <@ array[1, 2, 3, 4, 5, 6, 7]::smallint[]))),
  reminder_enabled boolean not null default false,
  reminder_time time constraint ritual_reminder_time check (not reminder_enabled or reminder_time is not null),
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, user_id)
);
create index on app_public.rituals (user_id);
create index on app_public.rituals (area_id);
create trigger _100_timestamps before insert or update on app_public.rituals
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.rituals is 'A practice kept on a cadence: daily, weekly, monthly, or on chosen days of the week.';
comment on column app_public.rituals.cadence is 'How often the ritual is kept. Fixed once created (completions are placed in its slots).';
comment on column app_public.rituals.days_of_week is 'For the custom cadence only: ISO days of the week, 1 = Monday … 7 = Sunday.';
comment on column app_public.rituals.reminder_time is 'Local time of day (in your time zone) of the reminder.';
select app_private.apply_owner_policies('app_public.rituals');
grant select, delete on app_public.rituals to :DATABASE_VISITOR;
grant insert (area_id, title, instructions_md, cadence, days_of_week, reminder_enabled, reminder_time, is_active),
  -- The cadence is fixed once created: past completions were placed in its slots.
  update (area_id, title, instructions_md, reminder_enabled, reminder_time, is_active)
  on app_public.rituals to :DATABASE_VISITOR;

create function app_private.tg_rituals__days_of_week() returns trigger as $$
begin
  new.days_of_week := (select array_agg(distinct d order by d) from unnest(new.days_of_week) d);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_rituals__days_of_week() is 'Keeps days_of_week sorted and without repeats: slot numbers count each day once.';
create trigger _200_days_of_week before insert on app_public.rituals
  for each row execute procedure app_private.tg_rituals__days_of_week();

-- A slot is the unit a ritual is kept in: a day, an ISO week, a month, or one
-- scheduled day of a custom ritual. Slots are numbered so that consecutive
-- slots differ by one, which makes streaks gaps-and-islands.
create function app_hidden.ritual_slot_start(cadence app_public.ritual_cadence, day date) returns date as $$
  select case cadence when 'weekly' then date_trunc('week', day::timestamp)::date
    when 'monthly' then date_trunc('month', day::timestamp)::date else day end;
$$ language sql immutable parallel safe;
create function app_hidden.ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date)
returns int as $$
  select case cadence
    when 'daily' then day - date '2000-01-03'
    -- floor, not integer division: days before the epoch must count down too.
    when 'weekly' then floor((day - date '2000-01-03') / 7.0)::int
    when 'monthly' then extract(year from day)::int * 12 + extract(month from day)::int
    -- Scheduled days up to and including `day`, counted from Monday 2000-01-03
    -- (days_of_week is kept sorted and without repeats by a trigger).
    else floor((day - date '2000-01-03') / 7.0)::int * cardinality(days_of_week)
      + (select count(*)::int from unnest(days_of_week) d where d <= extract(isodow from day))
  end;
$$ language sql immutable parallel safe;
comment on function app_hidden.ritual_slot_start(app_public.ritual_cadence, date) is 'The slot (day, ISO week or month) a day falls in.';
comment on function app_hidden.ritual_slot_number(app_public.ritual_cadence, smallint[], date) is
  'Sequence number of the slot holding a day; consecutive slots differ by one.';
grant execute on function app_hidden.ritual_slot_start(app_public.ritual_cadence, date),
  app_hidden.ritual_slot_number(app_public.ritual_cadence, smallint[], date) to :DATABASE_VISITOR;

create table app_public.ritual_completions (
  id uuid primary key default gen_random_uuid(),
  ritual_id uuid not null,
  user_id uuid not null default app_public.current_user_id(),
  completed_at timestamptz not null default now()
    constraint completion_not_future check (completed_at <= now() + interval '5 minutes'),
  slot_start date not null,
  note text constraint completion_note_length check (char_length(note) <= 2000),
  created_at timestamptz not null default now(),
  constraint ritual_completion_once_per_slot unique (ritual_id, slot_start),
  foreign key (ritual_id, user_id) references app_public.rituals (id, user_id) on delete cascade
);
create index on app_public.ritual_completions (ritual_id, user_id);
create index on app_public.ritual_completions (user_id, completed_at);
comment on table app_public.ritual_completions is 'A ritual kept: at most one completion per slot (day, week, month or scheduled day).';
comment on column app_public.ritual_completions.slot_start is 'First day of the slot this completion fills, in your time zone.';
comment on constraint ritual_completions_ritual_id_user_id_fkey on app_public.ritual_completions is E'@fieldName ritual\n@foreignFieldName completions';
select app_private.apply_owner_policies('app_public.ritual_completions');
grant select, delete on app_public.ritual_completions to :DATABASE_VISITOR;
grant insert (ritual_id, completed_at, note), update (note) on app_public.ritual_completions to :DATABASE_VISITOR;

create function app_private.tg_ritual_completions__slot() returns trigger as $$
declare
  v_ritual app_public.rituals;
  v_day date;
begin
  v_day := (new.completed_at at time zone app_hidden.user_timezone(new.user_id))::date;
  select * into v_ritual from app_public.rituals where id = new.ritual_id;
  if not found then
    -- Not visible, so not yours (or no such ritual): row-level security or
    -- the foreign key (ritual_id, user_id) refuses the row after this
    -- trigger. The provisional slot only keeps the not-null check from
    -- answering first; such a row can never be stored.
    new.slot_start := v_day;
    return new;
  end if;
  if v_ritual.cadence = 'custom' and not extract(isodow from v_day)::smallint = any(v_ritual.days_of_week) then
    raise exception 'This ritual is not scheduled on %.', to_char(v_day, 'FMDay')
      using errcode = 'RSLOT', hint = 'Custom rituals are completed on their days of the week.';
  end if;
  new.slot_start := app_hidden.ritual_slot_start(v_ritual.cadence, v_day);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__slot() is 'Places a completion in its slot, in the user''s time zone.';
create trigger _050_slot before insert on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__slot();

create table app_public.ritual_streaks (
  ritual_id uuid not null,
  user_id uuid not null,
  started_on date not null,
  ended_on date not null,
  length int not null constraint streak_length_positive check (length > 0),
  last_slot int not null,
  primary key (ritual_id, started_on),
  foreign key (ritual_id, user_id) references app_public.rituals (id, user_id) on delete cascade
);
create index on app_public.ritual_streaks (ritual_id, user_id);
create index on app_public.ritual_streaks (user_id);
alter table app_public.ritual_streaks enable row level security;
comment on table app_public.ritual_streaks is 'Runs of consecutive kept slots of a ritual, kept by the database as completions change.';
comment on column app_public.ritual_streaks.started_on is 'First slot of the run.';
comment on column app_public.ritual_streaks.ended_on is 'First day of the last slot of the run.';
comment on column app_public.ritual_streaks.last_slot is E'@omit\nSlot number of the run''s last slot.';
comment on constraint ritual_streaks_ritual_id_user_id_fkey on app_public.ritual_streaks is E'@fieldName ritual\n@foreignFieldName streaks';
create policy select_own on app_public.ritual_streaks for select using (user_id = (select app_public.current_user_id()));
grant select on app_public.ritual_streaks to :DATABASE_VISITOR;

create function app_private.rebuild_ritual_streaks(ritual_id uuid) returns void as $$
  delete from app_public.ritual_streaks s where s.ritual_id = rebuild_ritual_streaks.ritual_id;
  insert into app_public.ritual_streaks (ritual_id, user_id, started_on, ended_on, length, last_slot)
  select ritual_id, user_id, min(slot_start), max(slot_start), count(*), max(slot)
  from (
    select c.ritual_id, c.user_id, c.slot_start, n.slot, n.slot - row_number() over (order by c.slot_start) as island
    from app_public.ritual_completions c
    join app_public.rituals r on r.id = c.ritual_id
    cross join lateral (select app_hidden.ritual_slot_number(r.cadence, r.days_of_week, c.slot_start) as slot) n
    where c.ritual_id = rebuild_ritual_streaks.ritual_id
  ) numbered
  group by ritual_id, user_id, island;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.rebuild_ritual_streaks(uuid) is 'Recomputes the streak history of one ritual from its completions.';

create function app_private.tg_ritual_completions__streaks() returns trigger as $$
begin
  perform app_private.rebuild_ritual_streaks(coalesce(new.ritual_id, old.ritual_id));
  return null;
end;
-- Definer: the visitor may not call app_private functions, nor write streaks.
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__streaks() is 'Keeps ritual_streaks in step with completions.';
create trigger _500_streaks after insert or delete on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__streaks();

-- Whether a streak is still alive depends on today, so these are computed at read.
create function app_public.rituals_current_streak(r app_public.rituals) returns int as $$
  with today as (select app_hidden.user_today(r.user_id) as day)
  select coalesce((
    select s.length from app_public.ritual_streaks s, today
    where s.ritual_id = r.id
      -- Alive when its last slot is the current one, or the one before while
      -- the current slot is still open (a custom ritual's unscheduled day opens none).
      and s.last_slot >= app_hidden.ritual_slot_number(r.cadence, r.days_of_week, today.day)
        - case when r.cadence <> 'custom' or extract(isodow from today.day)::smallint = any(r.days_of_week) then 1 else 0 end
    order by s.started_on desc limit 1), 0);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.rituals_current_streak(app_public.rituals) is
  'Consecutive slots kept up to now, in your time zone; the current slot may still be open.';
create function app_public.rituals_longest_streak(r app_public.rituals) returns int as $$
  select coalesce(max(length), 0) from app_public.ritual_streaks s where s.ritual_id = r.id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.rituals_longest_streak(app_public.rituals) is 'The longest run of consecutive kept slots.';
grant execute on function app_public.rituals_current_streak(app_public.rituals),
  app_public.rituals_longest_streak(app_public.rituals) to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- relationships: people, their kind and quality, the interactions log
--------------------------------------------------------------------------------
create type app_public.relationship_kind as enum
  ('parent', 'child', 'sibling', 'partner', 'spouse', 'friend', 'colleague', 'mentor', 'mentee', 'neighbour', 'other');
create type app_public.relationship_status as enum ('active', 'distant', 'estranged', 'ended');

create table app_public.relationships (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  person_name text not null constraint person_name_length check (char_length(person_name) between 1 and 120),
  kind app_public.relationship_kind not null default 'friend',
  status app_public.relationship_status not null default 'active',
  desired_contacts_per_month numeric(5,2)
    constraint desired_contacts_range check (desired_contacts_per_month between 0 and 100),
  quality smallint constraint relationship_quality_range check (quality between 1 and 10),
  notes_md text constraint relationship_notes_length check (char_length(notes_md) <= 20000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, user_id)
);
create index on app_public.relationships (user_id, status);
create trigger _100_timestamps before insert or update on app_public.relationships
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.relationships is 'A person in your life, how you relate, and how often you would like to be in touch.';
comment on column app_public.relationships.quality is 'How the relationship feels, 1 (poor) to 10 (excellent).';
select app_private.apply_owner_policies('app_public.relationships');
grant select, delete on app_public.relationships to :DATABASE_VISITOR;
grant insert (person_name, kind, status, desired_contacts_per_month, quality, notes_md),
  update (person_name, kind, status, desired_contacts_per_month, quality, notes_md) on app_public.relationships to :DATABASE_VISITOR;

create type app_public.interaction_kind as enum ('call', 'visit', 'message', 'letter', 'activity', 'other');
create table app_public.relationship_interactions (
  id uuid primary key default gen_random_uuid(),
  relationship_id uuid not null,
  user_id uuid not null default app_public.current_user_id(),
  occurred_at timestamptz not null default now()
    constraint interaction_not_future check (occurred_at <= now() + interval '5 minutes'),
  kind app_public.interaction_kind not null default 'other',
  note text constraint interaction_note_length check (char_length(note) <= 5000),
  created_at timestamptz not null default now(),
  foreign key (relationship_id, user_id) references app_public.relationships (id, user_id) on delete cascade
);
create index on app_public.relationship_interactions (relationship_id, user_id, occurred_at);
create index on app_public.relationship_interactions (user_id);
comment on table app_public.relationship_interactions is 'A contact with a person: the log actual contact frequency is computed from.';
comment on constraint relationship_interactions_relationship_id_user_id_fkey on app_public.relationship_interactions
  is E'@fieldName relationship\n@foreignFieldName interactions';
select app_private.apply_owner_policies('app_public.relationship_interactions');
grant select, delete on app_public.relationship_interactions to :DATABASE_VISITOR;
grant insert (relationship_id, occurred_at, kind, note), update (occurred_at, kind, note)
  on app_public.relationship_interactions to :DATABASE_VISITOR;

create function app_public.relationships_actual_contacts_per_month(r app_public.relationships) returns numeric as $$
  select round(count(*) / 3.0, 2) from app_public.relationship_interactions i
  where i.relationship_id = r.id and i.occurred_at > now() - interval '90 days';
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.relationships_actual_contacts_per_month(app_public.relationships) is
  'Contacts per month over the last 90 days, from the interactions log.';
create function app_public.relationships_last_contact_at(r app_public.relationships) returns timestamptz as $$
  select max(occurred_at) from app_public.relationship_interactions i where i.relationship_id = r.id;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.relationships_last_contact_at(app_public.relationships) is 'The latest logged interaction.';
grant execute on function app_public.relationships_actual_contacts_per_month(app_public.relationships),
  app_public.relationships_last_contact_at(app_public.relationships) to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- reflection: integrity log, forgiveness log, autobiography chapters
--------------------------------------------------------------------------------
create type app_public.commitment_outcome as enum ('pending', 'kept', 'broken');
create table app_public.integrity_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  area_id int references app_public.life_areas on delete set null,
  commitment text not null constraint commitment_length check (char_length(commitment) between 1 and 1000),
  made_to text constraint made_to_length check (char_length(made_to) <= 200),
  due_on date,
  outcome app_public.commitment_outcome not null default 'pending',
  impact text constraint impact_length check (char_length(impact) <= 5000),
  impact_level smallint constraint impact_level_range check (impact_level between 1 and 5),
  recovery_action text constraint recovery_action_length check (char_length(recovery_action) <= 5000),
  recovered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint recovery_after_broken check (recovered_at is null or outcome = 'broken')
);
create index on app_public.integrity_logs (user_id, outcome);
create index on app_public.integrity_logs (area_id);
create trigger _100_timestamps before insert or update on app_public.integrity_logs
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.integrity_logs is
  'A commitment you made and whether you kept it; a broken one has an impact and a recovery action, done when `recoveredAt` is set.';
comment on column app_public.integrity_logs.impact_level is 'How much breaking it mattered, 1 (little) to 5 (a lot).';
select app_private.apply_owner_policies('app_public.integrity_logs');
grant select, delete on app_public.integrity_logs to :DATABASE_VISITOR;
grant insert (area_id, commitment, made_to, due_on, outcome, impact, impact_level, recovery_action, recovered_at),
  update (area_id, commitment, made_to, due_on, outcome, impact, impact_level, recovery_action, recovered_at)
  on app_public.integrity_logs to :DATABASE_VISITOR;

create type app_public.forgiveness_status as enum ('open', 'working', 'released');
create table app_public.forgiveness_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  subject text not null constraint forgiveness_subject_length check (char_length(subject) between 1 and 200),
  status app_public.forgiveness_status not null default 'open',
  reflection_md text constraint forgiveness_reflection_length check (char_length(reflection_md) <= 50000),
  released_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint released_when_released check ((status = 'released') = (released_at is not null))
);
create index on app_public.forgiveness_logs (user_id, status);
create trigger _100_timestamps before insert or update on app_public.forgiveness_logs
  for each row execute procedure app_private.tg__timestamps();
create function app_private.tg_forgiveness_logs__released() returns trigger as $$
begin
  new.released_at := case when new.status = 'released' then coalesce(new.released_at, now()) end;
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_forgiveness_logs__released() is 'Stamps released_at when a forgiveness is released (and clears it otherwise).';
create trigger _200_released before insert or update on app_public.forgiveness_logs
  for each row execute procedure app_private.tg_forgiveness_logs__released();
comment on table app_public.forgiveness_logs is 'Someone (or something) you are working on forgiving: open, working, released.';
select app_private.apply_owner_policies('app_public.forgiveness_logs');
grant select, delete on app_public.forgiveness_logs to :DATABASE_VISITOR;
grant insert (subject, status, reflection_md), update (subject, status, reflection_md)
  on app_public.forgiveness_logs to :DATABASE_VISITOR;

create table app_public.autobiography_chapters (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  title text not null constraint chapter_title_length check (char_length(title) between 1 and 200),
  period_start date,
  period_end date,
  content_md text not null default '' constraint chapter_content_length check (char_length(content_md) <= 200000),
  position int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint chapter_period_order check (period_end is null or period_start is null or period_end >= period_start)
);
create index on app_public.autobiography_chapters (user_id, position);
create trigger _100_timestamps before insert or update on app_public.autobiography_chapters
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.autobiography_chapters is 'A chapter of your life story: a period and its telling in markdown.';
select app_private.apply_owner_policies('app_public.autobiography_chapters');
grant select, delete on app_public.autobiography_chapters to :DATABASE_VISITOR;
grant insert (title, period_start, period_end, content_md, position),
  update (title, period_start, period_end, content_md, position) on app_public.autobiography_chapters to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- wellness: daily entries, module progress, coaching conversations
--------------------------------------------------------------------------------
create table app_public.wellness_entries (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  entry_date date not null default app_hidden.user_today(app_public.current_user_id())
    constraint wellness_date_not_future check (entry_date <= (now() + interval '2 days')::date),
  sleep_hours numeric(4,2) constraint sleep_hours_range check (sleep_hours between 0 and 24),
  water_ml int constraint water_ml_range check (water_ml between 0 and 20000),
  exercise_minutes int constraint exercise_minutes_range check (exercise_minutes between 0 and 1440),
  meditation_minutes int constraint meditation_minutes_range check (meditation_minutes between 0 and 1440),
  mood smallint constraint mood_range check (mood between 1 and 10),
  energy smallint constraint energy_range check (energy between 1 and 10),
  nutrition_notes text constraint nutrition_notes_length check (char_length(nutrition_notes) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint wellness_entry_once_per_day unique (user_id, entry_date)
);
create trigger _100_timestamps before insert or update on app_public.wellness_entries
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.wellness_entries is 'How a day went for body and mind: one entry per day.';
comment on column app_public.wellness_entries.entry_date is 'The day, in your time zone (today by default).';
comment on column app_public.wellness_entries.mood is 'From 1 (low) to 10 (great).';
comment on column app_public.wellness_entries.energy is 'From 1 (drained) to 10 (energetic).';
select app_private.apply_owner_policies('app_public.wellness_entries');
grant select, delete on app_public.wellness_entries to :DATABASE_VISITOR;
grant insert (entry_date, sleep_hours, water_ml, exercise_minutes, meditation_minutes, mood, energy, nutrition_notes),
  update (sleep_hours, water_ml, exercise_minutes, meditation_minutes, mood, energy, nutrition_notes)
  on app_public.wellness_entries to :DATABASE_VISITOR;

create table app_public.module_progress (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  module_name text not null constraint module_name_format check (module_name ~ '^[a-z][a-z0-9_-]{1,59}$'),
  progress_percent numeric(5,2) not null default 0 constraint module_progress_range check (progress_percent between 0 and 100),
  completed_topics text[] not null default '{}' constraint completed_topics_valid check (array_position(completed_topics, null) is null),
  current_focus text constraint current_focus_length check (char_length(current_focus) <= 500),
  notes text constraint module_notes_length check (char_length(notes) <= 20000),
  last_activity_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint module_progress_once_per_module unique (user_id, module_name)
);
create trigger _100_timestamps before insert or update on app_public.module_progress
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.module_progress is 'Your progress through a wellness module (e.g. `sleep`, `nutrition`): one row per module.';
select app_private.apply_owner_policies('app_public.module_progress');
grant select, delete on app_public.module_progress to :DATABASE_VISITOR;
grant insert (module_name, progress_percent, completed_topics, current_focus, notes, last_activity_at),
  update (progress_percent, completed_topics, current_focus, notes, last_activity_at) on app_public.module_progress to :DATABASE_VISITOR;

create table app_public.coaching_conversations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  title text not null default 'Conversation' constraint conversation_title_length check (char_length(title) between 1 and 200),
  module_name text,
  message_count int not null default 0,
  last_message_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, user_id)
);
create index on app_public.coaching_conversations (user_id, last_message_at desc);
create trigger _100_timestamps before insert or update on app_public.coaching_conversations
  for each row execute procedure app_private.tg__timestamps();
comment on table app_public.coaching_conversations is 'A coaching conversation; `messageCount` and `lastMessageAt` are kept by the database.';
select app_private.apply_owner_policies('app_public.coaching_conversations');
grant select, delete on app_public.coaching_conversations to :DATABASE_VISITOR;
grant insert (title, module_name), update (title, module_name) on app_public.coaching_conversations to :DATABASE_VISITOR;

create type app_public.message_role as enum ('user', 'assistant');
create table app_public.coaching_messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null,
  user_id uuid not null default app_public.current_user_id(),
  role app_public.message_role not null default 'user',
  content text not null constraint message_content_length check (char_length(content) between 1 and 20000),
  created_at timestamptz not null default now(),
  foreign key (conversation_id, user_id) references app_public.coaching_conversations (id, user_id) on delete cascade
);
create index on app_public.coaching_messages (conversation_id, user_id, created_at);
create index on app_public.coaching_messages (user_id);
comment on table app_public.coaching_messages is 'A message in a coaching conversation, yours or the coach''s; only the conversation''s owner sees it.';
comment on constraint coaching_messages_conversation_id_user_id_fkey on app_public.coaching_messages
  is E'@fieldName conversation\n@foreignFieldName messages';
select app_private.apply_owner_policies('app_public.coaching_messages');
grant select, delete on app_public.coaching_messages to :DATABASE_VISITOR;
grant insert (conversation_id, role, content) on app_public.coaching_messages to :DATABASE_VISITOR;

create function app_private.tg_coaching_messages__count() returns trigger as $$
begin
  -- Definer: message_count is not writable by the visitor.
  update app_public.coaching_conversations c set
    message_count = (select count(*) from app_public.coaching_messages m where m.conversation_id = c.id),
    last_message_at = (select max(created_at) from app_public.coaching_messages m where m.conversation_id = c.id)
  where c.id = coalesce(new.conversation_id, old.conversation_id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_coaching_messages__count() is 'Keeps a conversation''s message count and last message time.';
create trigger _500_count after insert or delete on app_public.coaching_messages
  for each row execute procedure app_private.tg_coaching_messages__count();

create type app_public.wellness_summary as (
  days int, first_day date, last_day date, entries int,
  avg_sleep_hours numeric, avg_water_ml numeric, avg_exercise_minutes numeric,
  avg_meditation_minutes numeric, avg_mood numeric, avg_energy numeric
);
comment on type app_public.wellness_summary is 'Averages of your wellness entries over the last days (in your time zone).';

create function app_hidden.wellness_stats_for(user_id uuid, first_day date, last_day date) returns app_public.wellness_summary as $$
  select row(last_day - first_day + 1, first_day, last_day, count(*)::int,
    round(avg(sleep_hours), 2), round(avg(water_ml), 0), round(avg(exercise_minutes), 1),
    round(avg(meditation_minutes), 1), round(avg(mood), 2), round(avg(energy), 2))::app_public.wellness_summary
  from app_public.wellness_entries w
  where w.user_id = wellness_stats_for.user_id and w.entry_date between first_day and last_day;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.wellness_stats_for(uuid, date, date) is 'Wellness averages of a user over a range of days.';
grant execute on function app_hidden.wellness_stats_for(uuid, date, date) to :DATABASE_VISITOR;

create function app_public.wellness_stats(days int default 7) returns app_public.wellness_summary as $$
declare
  v_today date := app_hidden.user_today(app_public.current_user_id());
begin
  if days not between 1 and 366 then
    raise exception 'days must be between 1 and 366.' using errcode = 'BADIN';
  end if;
  return app_hidden.wellness_stats_for(app_public.current_user_id(), v_today - days + 1, v_today);
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.wellness_stats(int) is 'Your wellness averages over the last `days` days, today included, in your time zone.';
grant execute on function app_public.wellness_stats(int) to :DATABASE_VISITOR;

create function app_public.wellness_streak() returns int as $$
  -- Consecutive days with an entry, ending today, or yesterday while today is still open.
  with days as (
    select entry_date, entry_date - (row_number() over (order by entry_date))::int as island
    from app_public.wellness_entries
    -- Entries may be dated ahead; a streak runs up to today.
    where user_id = app_public.current_user_id() and entry_date <= app_hidden.user_today(app_public.current_user_id())
  ), runs as (select max(entry_date) as last_day, count(*)::int as length from days group by island)
  select coalesce((select length from runs
    where last_day >= app_hidden.user_today(app_public.current_user_id()) - 1 order by last_day desc limit 1), 0);
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_public.wellness_streak() is 'Consecutive days with a wellness entry up to today (or yesterday), in your time zone.';
grant execute on function app_public.wellness_streak() to :DATABASE_VISITOR;

--------------------------------------------------------------------------------
-- reviews: monthly and quarterly reviews, generated by jobs
--------------------------------------------------------------------------------
create type app_public.review_kind as enum ('monthly', 'quarterly');

create table app_public.reviews (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  kind app_public.review_kind not null,
  period_start date not null,
  period_end date not null,
  gfs numeric(4,3),
  area_scores jsonb not null default '[]',
  goals jsonb not null default '{}',
  rituals jsonb not null default '[]',
  wellness jsonb not null default '{}',
  journal_highlights jsonb not null default '[]',
  generated_at timestamptz not null default now(),
  constraint review_once_per_period unique (user_id, kind, period_start)
);
alter table app_public.reviews enable row level security;
comment on table app_public.reviews is
  'Your monthly or quarterly review, generated by the worker on the 1st (or on request): area scores and trends, GFS, goals, rituals, wellness and journal highlights.';
comment on column app_public.reviews.area_scores is 'Per area: code, name, score, sample count, confidence and trends of the period.';
comment on column app_public.reviews.goals is 'Goals by status, mean progress, and those completed in the period.';
comment on column app_public.reviews.rituals is 'Per ritual: slots in the period, slots kept, completion rate, longest streak.';
comment on column app_public.reviews.wellness is 'Wellness averages over the period.';
comment on column app_public.reviews.journal_highlights is 'The period''s most positive entries, with their summaries.';
create policy select_own on app_public.reviews for select using (user_id = (select app_public.current_user_id()));
create policy delete_own on app_public.reviews for delete using (user_id = (select app_public.current_user_id()));
grant select, delete on app_public.reviews to :DATABASE_VISITOR;

-- How many slots of a ritual fall in [first_day, last_day]: what a completion rate divides by.
create function app_hidden.ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[],
  first_day date, last_day date) returns int as $$
  select case when last_day < first_day then 0 else
    app_hidden.ritual_slot_number(cadence, days_of_week, last_day)
    - app_hidden.ritual_slot_number(cadence, days_of_week, first_day - 1) end;
$$ language sql immutable set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.ritual_slots_between(app_public.ritual_cadence, smallint[], date, date) is
  'Number of slots of a cadence that end within a range of days.';
grant execute on function app_hidden.ritual_slots_between(app_public.ritual_cadence, smallint[], date, date) to :DATABASE_VISITOR;

create function app_private.generate_review(user_id uuid, kind app_public.review_kind, period_start date)
returns app_public.reviews as $$
declare
  v_start date := date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, period_start::timestamp)::date;
  v_end date := app_hidden.period_end(case kind when 'monthly' then 'month' else 'quarter' end::app_public.period_kind, v_start);
  v_period app_public.period_kind := case kind when 'monthly' then 'month' else 'quarter' end;
  v_review app_public.reviews;
begin
  insert into app_public.reviews as r (user_id, kind, period_start, period_end, gfs, area_scores, goals, rituals, wellness, journal_highlights)
  select generate_review.user_id, kind, v_start, v_end,
    (select g.score from app_public.users u, app_public.users_gfs(u, v_period, v_start) g where u.id = generate_review.user_id),
    coalesce((select jsonb_agg(jsonb_build_object('code', a.code, 'name', a.name, 'score', s.score,
        'sampleCount', s.sample_count, 'confidence', s.confidence,
        'trend7Days', app_hidden.rollup_trend(s.user_id, s.area_id, s.last_scored_day, 7),
        'trend30Days', app_hidden.rollup_trend(s.user_id, s.area_id, s.last_scored_day, 30),
        'trend90Days', app_hidden.rollup_trend(s.user_id, s.area_id, s.last_scored_day, 90)) order by a.position)
      from app_public.score_rollups s join app_public.life_areas a on a.id = s.area_id
      where s.user_id = generate_review.user_id and s.period_kind = v_period and s.period_start = v_start), '[]'),
    (select jsonb_build_object(
        'byStatus', coalesce((select jsonb_object_agg(status, n) from
          (select status, count(*) as n from app_public.goals g where g.user_id = generate_review.user_id group by status) x), '{}'),
        'meanProgress', (select round(avg(progress), 1) from app_public.goals g
          where g.user_id = generate_review.user_id and g.status in ('active', 'done')),
        'completed', coalesce((select jsonb_agg(jsonb_build_object('id', g.id, 'title', g.title) order by g.completed_at)
          from app_public.goals g where g.user_id = generate_review.user_id
            and (g.completed_at at time zone app_hidden.user_timezone(g.user_id))::date between v_start and v_end), '[]'))),
    coalesce((select jsonb_agg(jsonb_build_object('id', r.id, 'title', r.title, 'slots', x.slots, 'kept', x.kept,
        'rate', round(x.kept::numeric / nullif(x.slots, 0), 3),
        'longestStreak', (select coalesce(max(length), 0) from app_public.ritual_streaks s where s.ritual_id = r.id)) order by r.title)
      from app_public.rituals r
      cross join lateral (select
        app_hidden.ritual_slots_between(r.cadence, r.days_of_week,
          -- Slots count from when the ritual began: its creation or its first completion.
          greatest(v_start, least((r.created_at at time zone app_hidden.user_timezone(r.user_id))::date,
            (select min(c.slot_start) from app_public.ritual_completions c where c.ritual_id = r.id))), v_end) as slots,
        (select count(*)::int from app_public.ritual_completions c
          where c.ritual_id = r.id and c.slot_start between v_start and v_end) as kept) x
      where r.user_id = generate_review.user_id), '[]'),
    (select jsonb_build_object('entries', w.entries, 'avgSleepHours', w.avg_sleep_hours, 'avgWaterMl', w.avg_water_ml,
        'avgExerciseMinutes', w.avg_exercise_minutes, 'avgMeditationMinutes', w.avg_meditation_minutes,
        'avgMood', w.avg_mood, 'avgEnergy', w.avg_energy)
      from app_hidden.wellness_stats_for(generate_review.user_id, v_start, v_end) w),
    coalesce((select jsonb_agg(jsonb_build_object('id', e.id, 'date', e.entry_date, 'title', e.title,
        'sentiment', e.sentiment, 'summary', e.summary) order by e.sentiment desc, e.entry_date)
      from (select * from app_public.journal_entries e where e.user_id = generate_review.user_id
        and e.entry_date between v_start and v_end and e.sentiment is not null
        order by e.sentiment desc, e.entry_date limit 3) e), '[]')
  on conflict on constraint review_once_per_period do update set
    period_end = excluded.period_end, gfs = excluded.gfs, area_scores = excluded.area_scores, goals = excluded.goals,
    rituals = excluded.rituals, wellness = excluded.wellness, journal_highlights = excluded.journal_highlights,
    generated_at = now()
  returning * into v_review;
  return v_review;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.generate_review(uuid, app_public.review_kind, date) is
  'Builds (or rebuilds) the review of the month or quarter containing period_start. Idempotent.';

create function app_private.enqueue_review(user_id uuid, kind app_public.review_kind, period_start date) returns boolean as $$
begin
  perform graphile_worker.add_job('reviews__generate',
    json_build_object('user_id', user_id, 'kind', kind, 'period_start', period_start),
    job_key := format('reviews__generate:%s:%s:%s', user_id, kind, period_start), max_attempts := 5);
  return true;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.enqueue_review(uuid, app_public.review_kind, date) is 'Schedules one review job; its key makes repeats one job.';

-- Called by the crontab job on the 1st: one job per user for the period just ended.
create function app_private.enqueue_reviews(kind app_public.review_kind, on_date date) returns int as $$
  select count(app_private.enqueue_review(u.id, kind,
    date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, (on_date - 1)::timestamp)::date))::int
  from app_public.users u;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.enqueue_reviews(app_public.review_kind, date) is
  'Schedules the review of the period before on_date for every user. Returns how many were scheduled.';

create function app_public.generate_review(kind app_public.review_kind, period_start date default null) returns boolean as $$
declare
  v_user_id uuid := app_public.current_user_id();
  v_day date := coalesce(period_start, app_hidden.user_today(v_user_id));
begin
  if v_user_id is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if v_day > app_hidden.user_today(v_user_id) then
    raise exception 'That period has not started yet.' using errcode = 'BADIN';
  end if;
  perform app_private.enqueue_review(v_user_id, kind, v_day);
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.generate_review(app_public.review_kind, date) is
  'Asks for your review of the month or quarter containing `periodStart` (the current one by default). The worker writes it shortly; it appears in `reviews`.';
grant execute on function app_public.generate_review(app_public.review_kind, date) to :DATABASE_VISITOR;

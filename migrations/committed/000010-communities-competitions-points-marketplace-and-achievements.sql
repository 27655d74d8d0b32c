--! Previous: sha1:cefadb9bdf04b4758b73ac23381047d6c49215e8
--! Hash: sha1:23b0fe67bfab680a2b2ff4202feb235fec047a23
--! Message: Communities, competitions, points, marketplace and achievements

--------------------------------------------------------------------------------
-- Communities, competitions, points, marketplace and achievements.
-- Re-runnable while it is being written (db:watch): each table is dropped first.
--------------------------------------------------------------------------------
drop table if exists app_private.competition_round_totals cascade;
drop table if exists app_public.user_achievements, app_public.achievement_progress, app_public.achievement_definitions,
  app_public.competition_reward_grants, app_public.competition_rewards, app_public.competition_scores,
  app_public.competition_participants, app_public.competition_rounds, app_public.competitions,
  app_public.marketplace_item_audit, app_public.marketplace_purchases, app_public.marketplace_inventory, app_public.marketplace_items,
  app_public.point_transactions, app_public.point_accounts, app_public.point_earning_rules,
  app_public.community_join_requests, app_public.community_invites, app_public.community_members, app_public.communities cascade;
drop materialized view if exists app_public.community_metrics_daily cascade;
drop view if exists app_private.point_balances;
drop type if exists app_public.community_visibility, app_public.community_join_policy, app_public.community_role,
  app_public.community_joined_via, app_public.join_request_status, app_public.competition_status, app_public.scoring_rule,
  app_public.reward_status, app_public.point_reason, app_public.purchase_status, app_public.achievement_tier,
  app_public.achievement_event, app_public.leaderboard_row, app_public.badge, app_public.community_metrics cascade;

--------------------------------------------------------------------------------
-- communities: groups with roles, invites and join requests
--------------------------------------------------------------------------------
create type app_public.community_visibility as enum ('public', 'private');
create type app_public.community_join_policy as enum ('open', 'approval', 'invite');
-- Declared in rank order: roles compare with < and >.
create type app_public.community_role as enum ('member', 'moderator', 'admin', 'founder');
create type app_public.community_joined_via as enum ('invite', 'discovery', 'competition');
create type app_public.join_request_status as enum ('pending', 'approved', 'declined', 'cancelled');

create table app_public.communities (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint community_name_length check (char_length(name) between 3 and 80),
  slug citext not null constraint community_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
  description_md text constraint community_description_length check (char_length(description_md) <= 5000),
  visibility app_public.community_visibility not null default 'public',
  join_policy app_public.community_join_policy not null default 'open',
  founder_id uuid not null references app_public.users on delete cascade,
  member_count int not null default 0 constraint community_member_count_nonnegative check (member_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint community_slug_unique unique (slug),
  constraint community_private_is_invite_only check (visibility = 'public' or join_policy = 'invite')
);
create index communities_founder_id_idx on app_public.communities (founder_id);

create table app_public.community_members (
  community_id uuid not null references app_public.communities on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  role app_public.community_role not null default 'member',
  joined_via app_public.community_joined_via not null default 'discovery',
  joined_at timestamptz not null default now(),
  last_active_at timestamptz not null default now(),
  streak_snapshot int not null default 0 constraint member_streak_nonnegative check (streak_snapshot >= 0),
  contribution_score int not null default 0,
  primary key (community_id, user_id)
);
create index community_members_user_id_idx on app_public.community_members (user_id);
-- One founder per community; the founder is always a member (founder_id follows it).
create unique index community_members_one_founder on app_public.community_members (community_id) where role = 'founder';

create table app_public.community_invites (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app_public.communities on delete cascade,
  code text not null default encode(gen_random_bytes(9), 'hex') constraint invite_code_unique unique,
  created_by uuid references app_public.users on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  max_uses int not null default 1 constraint invite_max_uses_range check (max_uses between 1 and 10000),
  use_count int not null default 0,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  constraint invite_uses_within_max check (use_count between 0 and max_uses)
);
create index community_invites_community_id_idx on app_public.community_invites (community_id);
create index community_invites_created_by_idx on app_public.community_invites (created_by);

create table app_public.community_join_requests (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app_public.communities on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  message text constraint join_request_message_length check (char_length(message) <= 500),
  status app_public.join_request_status not null default 'pending',
  decided_by uuid references app_public.users on delete set null,
  decided_at timestamptz,
  created_at timestamptz not null default now()
);
create unique index community_join_requests_open on app_public.community_join_requests (community_id, user_id) where status = 'pending';
create index community_join_requests_user_id_idx on app_public.community_join_requests (user_id);
create index community_join_requests_decided_by_idx on app_public.community_join_requests (decided_by);

-- Events of a community are seen by its members (activity_events.community_id).
alter table app_public.activity_events drop constraint if exists activity_events_community_id_fkey;
alter table app_public.activity_events add constraint activity_events_community_id_fkey
  foreign key (community_id) references app_public.communities on delete cascade;
create index if not exists activity_events_community_idx on app_public.activity_events (community_id, created_at desc, id desc)
  where community_id is not null;

--------------------------------------------------------------------------------
-- points: the append-only ledger, its cached balance and the earning rules
--------------------------------------------------------------------------------
create type app_public.point_reason as enum (
  'ritual_completed', 'goal_done', 'journal_entry', 'achievement', 'competition_reward',
  'purchase', 'refund', 'admin_adjustment');

create table app_public.point_earning_rules (
  code text primary key constraint earning_rule_code_format check (code ~ '^[a-z_]+\.[a-z_]+$'),
  reason app_public.point_reason not null,
  points int not null constraint earning_rule_points_range check (points between 0 and 10000),
  daily_cap int constraint earning_rule_daily_cap_positive check (daily_cap > 0),
  is_active boolean not null default true,
  description text not null,
  updated_by uuid references app_public.users on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index point_earning_rules_updated_by_idx on app_public.point_earning_rules (updated_by);
insert into app_public.point_earning_rules (code, reason, points, daily_cap, description) values
  ('rituals.completed', 'ritual_completed', 10, 10, 'Keeping a ritual.'),
  ('goals.done', 'goal_done', 50, 5, 'Finishing a goal.'),
  ('journal.entry', 'journal_entry', 5, 3, 'Writing in your journal (the first entries of a day).');

create table app_public.point_accounts (
  user_id uuid primary key references app_public.users on delete cascade,
  balance bigint not null default 0 constraint point_balance_nonnegative check (balance >= 0),
  lifetime_earned bigint not null default 0,
  updated_at timestamptz not null default now()
);
-- Every user has an account (a trigger on users opens the new ones).
insert into app_public.point_accounts (user_id) select id from app_public.users;

create table app_public.point_transactions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  amount int not null constraint point_amount_nonzero check (amount <> 0),
  reason app_public.point_reason not null,
  balance_after bigint not null,
  source_type text constraint point_source_type_format check (source_type ~ '^[a-z_]+$'),
  source_id uuid,
  note text constraint point_note_length check (char_length(note) <= 500),
  created_by uuid references app_public.users on delete set null,
  created_at timestamptz not null default now(),
  constraint point_source_complete check ((source_type is null) = (source_id is null)),
  constraint point_adjustment_has_note check (reason <> 'admin_adjustment' or note is not null)
);
create index point_transactions_user_idx on app_public.point_transactions (user_id, created_at desc, id desc);
create index point_transactions_created_by_idx on app_public.point_transactions (created_by);
-- Each source pays or charges once per reason: a repeated trigger, a second
-- finalisation or a second refund writes nothing.
create unique index point_transactions_once on app_public.point_transactions (user_id, reason, source_type, source_id)
  where source_id is not null;

--------------------------------------------------------------------------------
-- marketplace: items, inventory, purchases and the audit of admin edits
--------------------------------------------------------------------------------
create type app_public.purchase_status as enum ('pending', 'fulfilled', 'refunded', 'revoked');

create table app_public.marketplace_items (
  id uuid primary key default gen_random_uuid(),
  title text not null constraint item_title_length check (char_length(title) between 1 and 120),
  description_md text constraint item_description_length check (char_length(description_md) <= 5000),
  price int not null constraint item_price_range check (price between 0 and 1000000),
  community_id uuid references app_public.communities on delete cascade,
  available_from timestamptz not null default now(),
  available_until timestamptz,
  max_per_purchase int not null default 10 constraint item_max_per_purchase_range check (max_per_purchase between 1 and 100),
  needs_fulfilment boolean not null default false,
  is_active boolean not null default true,
  created_by uuid references app_public.users on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint item_window_ordered check (available_until is null or available_until > available_from)
);
create index marketplace_items_community_id_idx on app_public.marketplace_items (community_id);
create index marketplace_items_created_by_idx on app_public.marketplace_items (created_by);

-- A limited item has one inventory row; an item without one is unlimited.
create table app_public.marketplace_inventory (
  item_id uuid primary key references app_public.marketplace_items on delete cascade,
  sku text not null constraint inventory_sku_format check (sku ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  quantity int not null constraint inventory_quantity_nonnegative check (quantity >= 0),
  restock_quantity int constraint inventory_restock_quantity_range check (restock_quantity between 1 and 1000000),
  restock_every interval constraint inventory_restock_every_range check (restock_every >= interval '1 hour'),
  restock_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint inventory_sku_unique unique (sku),
  constraint inventory_restock_complete check ((restock_quantity is null) = (restock_at is null))
);

create table app_public.marketplace_purchases (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  item_id uuid not null references app_public.marketplace_items on delete restrict,
  quantity int not null constraint purchase_quantity_range check (quantity between 1 and 100),
  unit_price int not null constraint purchase_unit_price_nonnegative check (unit_price >= 0),
  total_price int generated always as (quantity * unit_price) stored,
  status app_public.purchase_status not null default 'pending',
  idempotency_key text not null constraint purchase_idempotency_key_format check (idempotency_key ~ '^[A-Za-z0-9_.:-]{8,100}$'),
  status_reason text constraint purchase_status_reason_length check (char_length(status_reason) <= 500),
  fulfilled_at timestamptz,
  refunded_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint purchase_idempotency_key_unique unique (user_id, idempotency_key)
);
create index marketplace_purchases_item_id_idx on app_public.marketplace_purchases (item_id, created_at);
create index marketplace_purchases_user_idx on app_public.marketplace_purchases (user_id, created_at desc);

create table app_public.marketplace_item_audit (
  id bigint generated always as identity primary key,
  item_id uuid not null references app_public.marketplace_items on delete cascade,
  field text not null,
  old_value jsonb,
  new_value jsonb,
  changed_by uuid references app_public.users on delete set null,
  changed_at timestamptz not null default now()
);
create index marketplace_item_audit_item_idx on app_public.marketplace_item_audit (item_id, changed_at desc);
create index marketplace_item_audit_changed_by_idx on app_public.marketplace_item_audit (changed_by);

--------------------------------------------------------------------------------
-- competitions: rounds, participants, scores, rewards
--------------------------------------------------------------------------------
create type app_public.competition_status as enum ('draft', 'scheduled', 'active', 'finished', 'cancelled');
create type app_public.scoring_rule as enum ('sum', 'max', 'average', 'count', 'streak');
create type app_public.reward_status as enum ('pending', 'fulfilled', 'failed');

create table app_public.competitions (
  id uuid primary key default gen_random_uuid(),
  community_id uuid references app_public.communities on delete cascade,
  title text not null constraint competition_title_length check (char_length(title) between 3 and 120),
  rules_md text constraint competition_rules_length check (char_length(rules_md) <= 10000),
  capacity int constraint competition_capacity_range check (capacity between 2 and 1000000),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status app_public.competition_status not null default 'draft',
  participant_count int not null default 0 constraint competition_participant_count_within_capacity
    check (participant_count >= 0 and (capacity is null or participant_count <= capacity)),
  created_by uuid references app_public.users on delete set null,
  finalised_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint competition_window_ordered check (ends_at > starts_at)
);
create index competitions_community_id_idx on app_public.competitions (community_id);
create index competitions_created_by_idx on app_public.competitions (created_by);
create index competitions_status_idx on app_public.competitions (status, starts_at);

create table app_public.competition_rounds (
  id uuid primary key default gen_random_uuid(),
  competition_id uuid not null references app_public.competitions on delete cascade,
  position int not null constraint round_position_range check (position between 1 and 100),
  title text not null constraint round_title_length check (char_length(title) between 1 and 120),
  scoring app_public.scoring_rule not null default 'sum',
  weight numeric(6, 3) not null default 1 constraint round_weight_positive check (weight > 0),
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  created_at timestamptz not null default now(),
  constraint round_window_ordered check (closes_at > opens_at),
  constraint round_position_unique unique (competition_id, position),
  constraint round_competition_key unique (id, competition_id)
);

create table app_public.competition_participants (
  competition_id uuid not null references app_public.competitions on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  joined_at timestamptz not null default now(),
  -- The overall standing, kept by triggers from competition_round_totals:
  -- the leaderboard ranks these rows instead of adding up every score.
  score numeric not null default 0,
  entries int not null default 0,
  primary key (competition_id, user_id)
);
create index competition_participants_user_id_idx on app_public.competition_participants (user_id);
create index competition_participants_standing_idx on app_public.competition_participants (competition_id, score desc);

create table app_public.competition_scores (
  id uuid primary key default gen_random_uuid(),
  round_id uuid not null,
  competition_id uuid not null,
  user_id uuid not null,
  value numeric(12, 2) not null constraint score_value_range check (value between -1000000 and 1000000),
  is_computed boolean not null default false,
  submitted_at timestamptz not null default now(),
  -- A score belongs to a round of its competition, and to a participant of it.
  foreign key (round_id, competition_id) references app_public.competition_rounds (id, competition_id) on delete cascade,
  foreign key (competition_id, user_id) references app_public.competition_participants on delete cascade
);
create index competition_scores_round_user_idx on app_public.competition_scores (round_id, user_id);
create index competition_scores_round_competition_idx on app_public.competition_scores (round_id, competition_id);
-- Covering, in the order the leaderboard aggregates (participant, then round): an index-only scan feeds it sorted.
create index competition_scores_participant_idx on app_public.competition_scores (competition_id, user_id, round_id)
  include (value, is_computed);
-- A computed score (a streak) is one row per participant and round, rewritten as life data changes.
create unique index competition_scores_computed_once on app_public.competition_scores (round_id, user_id) where is_computed;

-- Each participant's aggregates per round, kept by a trigger on
-- competition_scores: what a round's scoring rule needs (sum, max, count).
create table app_private.competition_round_totals (
  round_id uuid not null references app_public.competition_rounds on delete cascade,
  competition_id uuid not null,
  user_id uuid not null,
  total numeric not null,
  best numeric not null,
  entries int not null constraint round_total_entries_positive check (entries > 0),
  primary key (round_id, user_id),
  foreign key (competition_id, user_id) references app_public.competition_participants on delete cascade
);
create index competition_round_totals_participant_idx on app_private.competition_round_totals (competition_id, user_id);

create table app_public.competition_rewards (
  id uuid primary key default gen_random_uuid(),
  competition_id uuid not null references app_public.competitions on delete cascade,
  placement_from int not null constraint reward_placement_positive check (placement_from >= 1),
  placement_to int not null,
  points int constraint reward_points_positive check (points > 0),
  item_id uuid references app_public.marketplace_items on delete restrict,
  created_at timestamptz not null default now(),
  constraint reward_placement_ordered check (placement_to >= placement_from),
  constraint reward_points_or_item check (num_nonnulls(points, item_id) = 1)
);
create index competition_rewards_competition_id_idx on app_public.competition_rewards (competition_id);
create index competition_rewards_item_id_idx on app_public.competition_rewards (item_id);

create table app_public.competition_reward_grants (
  id uuid primary key default gen_random_uuid(),
  reward_id uuid not null references app_public.competition_rewards on delete cascade,
  competition_id uuid not null references app_public.competitions on delete cascade,
  user_id uuid not null references app_public.users on delete cascade,
  placement int not null,
  status app_public.reward_status not null default 'pending',
  detail text,
  point_transaction_id uuid references app_public.point_transactions on delete set null,
  purchase_id uuid references app_public.marketplace_purchases on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint reward_grant_once unique (reward_id, user_id)
);
create index competition_reward_grants_user_idx on app_public.competition_reward_grants (user_id);
create index competition_reward_grants_competition_idx on app_public.competition_reward_grants (competition_id);
create index competition_reward_grants_point_transaction_idx on app_public.competition_reward_grants (point_transaction_id);
create index competition_reward_grants_purchase_idx on app_public.competition_reward_grants (purchase_id);

--------------------------------------------------------------------------------
-- achievements: definitions, progress kept by triggers, awards
--------------------------------------------------------------------------------
create type app_public.achievement_tier as enum ('bronze', 'silver', 'gold', 'platinum');
-- What a rule counts. 'ritual_streak' and 'friend_count' are levels (the
-- highest reached counts); the others add up.
create type app_public.achievement_event as enum (
  'ritual_streak', 'friend_count', 'journal_entries', 'purchases', 'podiums');

create table app_public.achievement_definitions (
  code text primary key constraint achievement_code_format check (code ~ '^[a-z][a-z0-9_]{2,39}$'),
  title text not null constraint achievement_title_length check (char_length(title) between 1 and 80),
  description text not null constraint achievement_description_length check (char_length(description) between 1 and 500),
  tier app_public.achievement_tier not null,
  event app_public.achievement_event not null,
  threshold int not null constraint achievement_threshold_positive check (threshold > 0),
  points int not null default 0 constraint achievement_points_range check (points between 0 and 100000),
  is_secret boolean not null default false,
  created_at timestamptz not null default now()
);
create index achievement_definitions_event_idx on app_public.achievement_definitions (event, threshold);
insert into app_public.achievement_definitions (code, title, description, tier, event, threshold, points, is_secret) values
  ('streak_7', 'Week of rituals', 'Keep a ritual 7 slots in a row.', 'bronze', 'ritual_streak', 7, 50, false),
  ('streak_30', 'Month of rituals', 'Keep a ritual 30 slots in a row.', 'silver', 'ritual_streak', 30, 200, false),
  ('streak_100', 'Hundred in a row', 'Keep a ritual 100 slots in a row.', 'gold', 'ritual_streak', 100, 1000, false),
  ('friends_10', 'Good company', 'Have 10 friends.', 'bronze', 'friend_count', 10, 50, false),
  ('journal_100', 'Chronicler', 'Write 100 journal entries.', 'silver', 'journal_entries', 100, 250, false),
  ('first_purchase', 'First treat', 'Buy something in the marketplace.', 'bronze', 'purchases', 1, 10, true),
  ('podium', 'On the podium', 'Finish a competition in the top three.', 'gold', 'podiums', 1, 300, false);

create table app_public.achievement_progress (
  user_id uuid not null references app_public.users on delete cascade,
  event app_public.achievement_event not null,
  progress int not null default 0 constraint achievement_progress_nonnegative check (progress >= 0),
  updated_at timestamptz not null default now(),
  primary key (user_id, event)
);

create table app_public.user_achievements (
  user_id uuid not null references app_public.users on delete cascade,
  achievement_code text not null references app_public.achievement_definitions on delete cascade,
  awarded_at timestamptz not null default now(),
  -- The award's own id: the source of its ledger credit and of its activity event.
  id uuid not null default gen_random_uuid() constraint user_achievement_id_unique unique,
  primary key (user_id, achievement_code)
);
create index user_achievements_code_idx on app_public.user_achievements (achievement_code);

-- One row of app_public.my_achievement_progress(): a definition as the current user stands with it.
drop type if exists app_public.achievement_standing cascade;
create type app_public.achievement_standing as (
  code text, title text, description text, tier app_public.achievement_tier, event app_public.achievement_event,
  threshold int, points int, is_secret boolean, progress int, awarded_at timestamptz);

--------------------------------------------------------------------------------
-- Shapes that functions return
--------------------------------------------------------------------------------
create type app_public.leaderboard_row as (
  rank int, user_id uuid, username citext, display_name text, score numeric, entries int);
create type app_public.badge as (
  kind text, code text, title text, tier app_public.achievement_tier, competition_id uuid, placement int, awarded_at timestamptz);
create type app_public.community_metrics as (
  day date, members int, active_members int, new_members int, activity_events int, competition_entries int, points_spent bigint);

-- Per community and day, the last 90 days. Not in app_public: a materialised
-- view has no row-level security, so members read it through
-- app_public.community_metrics(), which checks membership.
create materialized view app_private.community_metrics_daily as
select c.id as community_id, d.day,
  (select count(*) from app_public.community_members m
    where m.community_id = c.id and m.joined_at < d.day + 1)::int as members,
  (select count(*) from app_public.community_members m
    where m.community_id = c.id and m.joined_at < d.day + 1 and exists (
      select 1 from app_public.activity_events e
      where e.actor_id = m.user_id and e.created_at >= d.day and e.created_at < d.day + 1))::int as active_members,
  (select count(*) from app_public.community_members m
    where m.community_id = c.id and m.joined_at >= d.day and m.joined_at < d.day + 1)::int as new_members,
  (select count(*) from app_public.activity_events e
    where e.community_id = c.id and e.created_at >= d.day and e.created_at < d.day + 1)::int as activity_events,
  (select count(*) from app_public.competition_participants p join app_public.competitions k on k.id = p.competition_id
    where k.community_id = c.id and p.joined_at >= d.day and p.joined_at < d.day + 1)::int as competition_entries,
  (select coalesce(sum(x.total_price), 0) from app_public.marketplace_purchases x join app_public.marketplace_items i on i.id = x.item_id
    where i.community_id = c.id and x.status in ('pending', 'fulfilled') and x.created_at >= d.day and x.created_at < d.day + 1)::bigint as points_spent
from app_public.communities c
cross join lateral (
  select g::date as day from generate_series(greatest(c.created_at, now() - interval '89 days')::date, current_date, interval '1 day') g
) d
with no data;
-- Unique: required by refresh concurrently.
create unique index community_metrics_daily_key on app_private.community_metrics_daily (community_id, day);
refresh materialized view app_private.community_metrics_daily;

-- Reconciliation of the cached balance with the ledger: a row per user whose
-- numbers differ. Owner only (the nightly job and admins' function read it).
create view app_private.point_balances as
select coalesce(a.user_id, l.user_id) as user_id, coalesce(a.balance, 0) as cached_balance, coalesce(l.total, 0) as ledger_balance,
  coalesce(a.balance, 0) - coalesce(l.total, 0) as drift
from app_public.point_accounts a
full join (select t.user_id, sum(t.amount) as total from app_public.point_transactions t group by t.user_id) l on l.user_id = a.user_id;

--------------------------------------------------------------------------------
-- realtime: leaderboards are a topic, decided at delivery like activity
--------------------------------------------------------------------------------
alter table app_private.realtime_log drop constraint realtime_topic;
alter table app_private.realtime_log add constraint realtime_topic
  check (topic in ('activity', 'message', 'receipt', 'notification', 'leaderboard'));
alter table app_private.realtime_log drop constraint realtime_audience;
alter table app_private.realtime_log add constraint realtime_audience
  check ((topic in ('activity', 'leaderboard')) = (audience is null));

--------------------------------------------------------------------------------
-- feed: the visibility rule learns communities; events may name one
--------------------------------------------------------------------------------
drop function if exists app_hidden.can_see_event(uuid, app_public.activity_visibility, uuid, timestamptz, timestamptz, uuid, uuid[], uuid[]) cascade;
drop function if exists app_private.record_activity(uuid, text, text, uuid, jsonb, text);
insert into app_public.activity_verbs (verb, description, metadata_keys) values
  ('communities.joined', 'Joined a community.', '{community_name}'),
  ('competitions.joined', 'Entered a competition.', '{competition_title}'),
  ('competitions.placed', 'Finished a competition on a rewarded place.', '{competition_title,placement}'),
  ('achievements.earned', 'Earned an achievement.', '{achievement_title,tier}'),
  ('marketplace.purchased', 'Bought something in the marketplace.', '{item_title}')
on conflict (verb) do nothing;

--------------------------------------------------------------------------------
-- notifications: the new types and their English templates
--------------------------------------------------------------------------------
delete from app_public.notification_templates where type in ('communities.join_request', 'communities.joined',
  'competitions.started', 'competitions.reward', 'achievements.earned', 'marketplace.purchased', 'marketplace.refunded', 'points.drift');
delete from app_public.notification_types where code in ('communities.join_request', 'communities.joined',
  'competitions.started', 'competitions.reward', 'achievements.earned', 'marketplace.purchased', 'marketplace.refunded', 'points.drift');
insert into app_public.notification_types (code, description, variables, default_channels, is_transactional) values
  ('communities.join_request', 'Someone asked to join a community you run.', '{username,from_username,community_name,request_id}', '{in_app}', false),
  ('communities.joined', 'Your request to join a community was approved.', '{username,community_name,community_id}', '{in_app,push}', false),
  ('competitions.started', 'A competition you entered has started.', '{username,competition_title,competition_id}', '{in_app,push}', false),
  ('competitions.reward', 'You placed in a competition and won a reward.', '{username,competition_title,placement,reward}', '{in_app,push,email}', false),
  ('achievements.earned', 'You earned an achievement.', '{username,achievement_title,tier,points}', '{in_app,push}', false),
  ('marketplace.purchased', 'Your marketplace purchase went through.', '{username,item_title,quantity,total_price}', '{in_app}', false),
  ('marketplace.refunded', 'A marketplace purchase was refunded.', '{username,item_title,total_price,reason}', '{in_app,email}', false),
  ('points.drift', 'Cached point balances disagree with the ledger.', '{username,drifted_users,total_drift}', '{in_app,email}', false);
insert into app_public.notification_templates (type, channel, locale, subject, body)
select t.type, c.channel, 'en', t.subject, t.body
from (values
  ('communities.join_request', '{{from_username}} wants to join {{community_name}}', 'Hello {{username}}, {{from_username}} asked to join {{community_name}}.'),
  ('communities.joined', 'Welcome to {{community_name}}', 'Hello {{username}}, your request to join {{community_name}} was approved.'),
  ('competitions.started', '{{competition_title}} has started', 'Hello {{username}}, {{competition_title}} is under way. Good luck!'),
  ('competitions.reward', 'You placed {{placement}} in {{competition_title}}', 'Hello {{username}}, you finished {{competition_title}} in place {{placement}} and won {{reward}}.'),
  ('achievements.earned', 'Achievement: {{achievement_title}}', 'Hello {{username}}, you earned {{achievement_title}} ({{tier}}){{#points}} and {{points}} points{{/points}}.'),
  ('marketplace.purchased', 'You bought {{item_title}}', 'Hello {{username}}, you bought {{quantity}} × {{item_title}} for {{total_price}} points.'),
  ('marketplace.refunded', 'Refund: {{item_title}}', 'Hello {{username}}, your purchase of {{item_title}} was refunded: {{total_price}} points are back.{{#reason}} Reason: {{reason}}{{/reason}}'),
  ('points.drift', 'Point balances drifted', 'Hello {{username}}, {{drifted_users}} cached balances disagree with the ledger (total drift {{total_drift}}).')
) as t(type, subject, body)
cross join (values ('in_app'::app_public.notification_channel), ('email'), ('push')) as c(channel);

--------------------------------------------------------------------------------
-- Fixtures, in the order they apply
--------------------------------------------------------------------------------
--! Included communities/functions.sql
-- Functions of the communities domain: who belongs where, and the only ways
-- membership, roles, invites and join requests change.

-- The communities of a user, for policies and the feed rule: called once per
-- statement (wrapped in a scalar subquery). Definer: memberships of private
-- communities are not readable to everyone; answers for the current user only.
create or replace function app_hidden.community_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
  where m.user_id = community_ids.user_id and community_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
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
--! Included communities/triggers.sql
-- Trigger functions and triggers of the communities domain.

create or replace trigger _100_timestamps before insert or update on app_public.communities
  for each row execute procedure app_private.tg__timestamps();

-- member_count follows the membership rows (the community row is the lock
-- that orders concurrent joins and leaves).
create or replace function app_private.tg_community_members__count() returns trigger as $$
begin
  update app_public.communities c
    set member_count = c.member_count + case tg_op when 'INSERT' then 1 else -1 end
    where c.id = coalesce(new.community_id, old.community_id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_community_members__count() is 'Keeps communities.member_count.';
create or replace trigger _500_member_count after insert or delete on app_public.community_members
  for each row execute procedure app_private.tg_community_members__count();

-- The founder is never left out: their membership goes only with the
-- community or their account (a cascade, one trigger level down), and their
-- role changes only once founder_id has moved to someone else (a transfer).
create or replace function app_private.tg_community_members__keep_founder() returns trigger as $$
begin
  if old.role = 'founder' and (
      (tg_op = 'DELETE' and pg_trigger_depth() < 2)
      or (tg_op = 'UPDATE' and new.role <> 'founder'
        and exists (select 1 from app_public.communities c where c.id = old.community_id and c.founder_id = old.user_id))) then
    raise exception 'The founder stays a member: transfer the ownership first.' using errcode = 'COMFD';
  end if;
  return coalesce(new, old);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_community_members__keep_founder() is 'Refuses to remove or demote the founder (COMFD) outside a transfer.';
create or replace trigger _200_keep_founder before update of role or delete on app_public.community_members
  for each row execute procedure app_private.tg_community_members__keep_founder();
--! EndIncluded communities/triggers.sql
--! Included communities/policies.sql
-- Row-level security and grants of the communities tables. Membership,
-- roles, invites and requests change only through functions.sql.

-- app_public.communities: public ones to everyone, private ones to members;
-- admins and the founder edit the description and settings.
alter table app_public.communities enable row level security;
drop policy if exists select_visible on app_public.communities;
create policy select_visible on app_public.communities for select
  using (visibility = 'public' or id = any ((select app_hidden.community_ids(app_public.current_user_id()))::uuid[]));
drop policy if exists update_admins on app_public.communities;
create policy update_admins on app_public.communities for update
  using (app_hidden.community_role(id) >= 'admin')
  with check (app_hidden.community_role(id) >= 'admin');
drop policy if exists delete_founder on app_public.communities;
create policy delete_founder on app_public.communities for delete
  using (founder_id = (select app_public.current_user_id()));
revoke all on app_public.communities from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.communities to :DATABASE_ANONYMOUS;
grant update (name, description_md, visibility, join_policy) on app_public.communities to :DATABASE_VISITOR;
grant delete on app_public.communities to :DATABASE_VISITOR;

-- app_public.community_members: fellow members see each other, except
-- across a block.
alter table app_public.community_members enable row level security;
drop policy if exists select_fellows on app_public.community_members;
create policy select_fellows on app_public.community_members for select
  using (community_id = any ((select app_hidden.community_ids(app_public.current_user_id()))::uuid[])
    and not user_id = any ((select app_hidden.block_peer_ids(app_public.current_user_id()))::uuid[]));
revoke all on app_public.community_members from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.community_members to :DATABASE_VISITOR;

-- app_public.community_invites: the community's moderators and above.
alter table app_public.community_invites enable row level security;
drop policy if exists select_moderators on app_public.community_invites;
create policy select_moderators on app_public.community_invites for select
  using (app_hidden.community_role(community_id) >= 'moderator');
revoke all on app_public.community_invites from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.community_invites to :DATABASE_VISITOR;

-- app_public.community_join_requests: the one who asked, and those who decide.
alter table app_public.community_join_requests enable row level security;
drop policy if exists select_own_or_moderators on app_public.community_join_requests;
create policy select_own_or_moderators on app_public.community_join_requests for select
  using (user_id = (select app_public.current_user_id()) or app_hidden.community_role(community_id) >= 'moderator');
revoke all on app_public.community_join_requests from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.community_join_requests to :DATABASE_VISITOR;

-- app_private.community_metrics_daily: a materialised view (no row-level
-- security exists for one): the owner's alone, read through community_metrics().
revoke all on app_private.community_metrics_daily from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
--! EndIncluded communities/policies.sql
--! Included communities/comments.sql
-- Comments of the communities domain: the documentation Ruru shows.

comment on table app_public.communities is
  E'@behavior -insert\nA group people join: public ones anyone can read, private ones (always invite-only) only their members. Found one with createCommunity.';
comment on column app_public.communities.slug is E'@behavior +filterBy\nThe address of the community: unique whatever its case.';
comment on column app_public.communities.visibility is 'Public (anyone may read it) or private (members only, invite-only).';
comment on column app_public.communities.join_policy is 'How people get in: open (join at once), approval (ask, a moderator decides) or invite (a code).';
comment on column app_public.communities.founder_id is E'@fieldName founderId\nWho owns the community; ownership moves with transferCommunityOwnership.';
comment on column app_public.communities.member_count is 'How many members it has, kept by the database.';
comment on constraint community_slug_format on app_public.communities is '3 to 40 lowercase letters, digits and inner hyphens.';
comment on constraint community_private_is_invite_only on app_public.communities is 'A private community takes members by invite only.';

comment on table app_public.community_members is
  E'@behavior -insert -update -delete\nWho belongs to a community, with their role; visible to fellow members. Changes go through joinCommunity, leaveCommunity, removeCommunityMember, setCommunityRole and transferCommunityOwnership.';
comment on column app_public.community_members.role is 'founder > admin > moderator > member: each acts only on those below.';
comment on column app_public.community_members.joined_via is 'How they came in: an invite, discovery (open join or an approved request), or a competition.';
comment on column app_public.community_members.last_active_at is 'When they last did something the community saw.';
comment on column app_public.community_members.streak_snapshot is 'Their best current ritual streak, as of the nightly refresh.';
comment on column app_public.community_members.contribution_score is 'How much they have done in the community (one per community event).';

comment on table app_public.community_invites is
  E'@behavior -insert -update -delete\nInvite codes of a community, for its moderators and above: each has an expiry and a number of uses, and can be revoked.';
comment on column app_public.community_invites.code is 'What the invited person passes to joinCommunityByInvite.';
comment on constraint invite_uses_within_max on app_public.community_invites is 'An invite is never used more times than it allows.';

comment on table app_public.community_join_requests is
  E'@behavior -insert -update -delete\nRequests to join an approval community: seen by who asked and the community''s moderators.';

comment on function app_public.create_community(text, text, text, app_public.community_visibility, app_public.community_join_policy) is
  'Founds a community; you are its founder. Errors: NUNIQ (slug taken), BADIN.';
comment on function app_public.join_community(uuid) is 'Joins an open community. Errors: COMJP (it takes members by approval or invite), NUNIQ, NOFND.';
comment on function app_public.request_to_join_community(uuid, text) is
  'Asks to join an approval community; its moderators are notified. Errors: COMJP, NUNIQ (already asked or a member), NOFND.';
comment on function app_public.cancel_join_request(uuid) is 'Withdraws your pending request (null when there is none).';
comment on function app_public.decide_join_request(uuid, boolean) is 'Moderators approve or decline a request. Errors: COMRL, NOFND.';
comment on function app_public.create_community_invite(uuid, int, interval) is
  'Moderators make an invite code with a number of uses and a lifetime (up to 90 days). Errors: COMRL, BADIN.';
comment on function app_public.revoke_community_invite(uuid) is 'Moderators revoke an invite. Errors: COMRL, NOFND.';
comment on function app_public.join_community_by_invite(text) is
  'Joins with an invite code. Errors: INVEX (expired or revoked), INVUS (used up), NOFND.';
comment on function app_public.leave_community(uuid) is 'Leaves a community (false when you were not in it). Errors: COMFD (the founder must transfer first).';
comment on function app_public.remove_community_member(uuid, uuid) is 'Moderators and above remove a member below their role. Errors: COMRL, NOFND.';
comment on function app_public.set_community_role(uuid, uuid, app_public.community_role) is
  'Admins and the founder promote or demote a member, strictly below their own role. Errors: COMRL, NOFND.';
comment on function app_public.transfer_community_ownership(uuid, uuid) is
  'The founder hands the community to another member and becomes an admin. Errors: COMRL, NOFND.';
comment on function app_public.community_feed(uuid, int, text) is
  E'@behavior -connection +list\n@listSuffix omit\nA community''s events, newest first, for its members: up to pageSize (1-100) older than the `after` cursor.';
comment on function app_public.community_metrics(uuid, date) is
  'Daily numbers of a community since a day (30 days by default), as of the last refresh; members only. Errors: COMRL, NOFND.';
comment on function app_public.refresh_community_metrics() is 'Administrators (of the platform or of a community) queue a refresh of the community metrics. Errors: DNIED.';

-- Who made an invite or decided a request shows as an id: a relation named
-- like the column would clash with it, and nobody needs to walk it.
comment on constraint community_invites_created_by_fkey on app_public.community_invites is E'@behavior -*';
comment on constraint community_join_requests_decided_by_fkey on app_public.community_join_requests is E'@behavior -*';
comment on column app_public.community_invites.created_by is 'Who made the invite.';
comment on column app_public.community_join_requests.decided_by is 'The moderator who decided.';
--! EndIncluded communities/comments.sql
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
  select coalesce(array_agg(h.event_id), '{}') from app_public.activity_hides h where h.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.hidden_event_ids() is 'The events the current user hid from their feed.';
grant execute on function app_hidden.hidden_event_ids() to :DATABASE_ANONYMOUS;

create or replace function app_public.activity_events_cursor(e app_public.activity_events) returns text as $$
  -- ISO 8601 in UTC to the microsecond: the same text whatever the session's DateStyle.
  select encode(convert_to(to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || e.id::text, 'utf8'), 'base64');
$$ language sql immutable;
comment on function app_public.activity_events_cursor(app_public.activity_events) is
  'Pass it as `after` to activityFeed for the events older than this one.';
grant execute on function app_public.activity_events_cursor(app_public.activity_events) to :DATABASE_ANONYMOUS;

-- One statement per page, on indexes only. For friends and following: per
-- actor, the keys of the newest shared events before the cursor, from the
-- partial index of events others may ever see (never private, deleted or
-- hidden: no heap reads, nothing read to be thrown away), at most page_size
-- each; for me, the actor index; for public, the partial index of public
-- events. Then the newest page_size keys, and their rows. Each scope's branch
-- is gated outside its scan, so the others are planned as empty (a branch
-- that might scan the table would make every plan JIT-compile). Hidden
-- events are left out inside each scan, so a page of them is no end of the
-- feed. The activity_events policy applies to the rows returned. PL/pgSQL,
-- so each session plans the statement once, not on every page.
create or replace function app_public.activity_feed(scope app_public.feed_filter default 'friends', page_size int default 20, after text default null)
returns setof app_public.activity_events as $$
begin
  return query
  with me as (select app_public.current_user_id() as id),
  -- Always one row: with no cursor, after everything.
  cursor as (
    select coalesce(split_part(c, '|', 1)::timestamptz, 'infinity') as created_at,
      coalesce(split_part(c, '|', 2)::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff') as id
    from (select convert_from(decode(activity_feed.after, 'base64'), 'utf8') as c) raw
  ),
  page as (select least(greatest(coalesce(activity_feed.page_size, 20), 1), 100) as size),
  hidden as (select app_hidden.hidden_event_ids() as ids),
  actors as (
    select unnest(case activity_feed.scope
      when 'friends' then app_hidden.friend_ids(me.id)
      when 'following' then app_hidden.followee_ids(me.id) end) as actor_id
    from me where me.id is not null and activity_feed.scope in ('friends', 'following')
  ),
  keys as (
    select k.created_at, k.id from cursor cur cross join hidden h cross join actors a cross join lateral (
      select e.created_at, e.id from app_public.activity_events e
      where e.actor_id = a.actor_id and e.visibility <> 'private' and e.deleted_at is null and e.hidden_at is null
        and (e.created_at, e.id) < (cur.created_at, cur.id) and e.id <> all (h.ids)
      order by e.created_at desc, e.id desc
      limit (select size from page)) k
    union all
    select k.created_at, k.id from cursor cur cross join hidden h cross join me cross join lateral (
      select e.created_at, e.id from app_public.activity_events e
      where e.actor_id = me.id and (e.created_at, e.id) < (cur.created_at, cur.id) and e.id <> all (h.ids)
      order by e.created_at desc, e.id desc
      limit (select size from page)) k
    where activity_feed.scope = 'me'
    union all
    select k.created_at, k.id from cursor cur cross join hidden h cross join lateral (
      select e.created_at, e.id from app_public.activity_events e
      where e.visibility = 'public' and e.deleted_at is null and e.hidden_at is null
        and (e.created_at, e.id) < (cur.created_at, cur.id) and e.id <> all (h.ids)
      order by e.created_at desc, e.id desc
      limit (select size from page)) k
    where activity_feed.scope = 'public'
  ),
  chosen as (select k.id from keys k order by k.created_at desc, k.id desc limit (select size from page))
  select e.* from chosen c join app_public.activity_events e on e.id = c.id
  order by e.created_at desc, e.id desc;
end;
$$ language plpgsql stable;
comment on function app_public.activity_feed(app_public.feed_filter, int, text) is
  E'@behavior -connection +list\n@listSuffix omit\nYour feed, newest first: scope friends (default), following, me or public; up to pageSize events (1-100, default 20) older than the `after` cursor (an event''s `cursor`). Hidden and deleted events are left out.';
grant execute on function app_public.activity_feed(app_public.feed_filter, int, text) to :DATABASE_ANONYMOUS;

-- Who did it, shown with the event to whoever may see the event (even when
-- their profile is not otherwise visible to that viewer). A column of the
-- event's own row, not a relation: PostGraphile fetches a relation of a
-- function's rows in a second query that row-level security on users would
-- answer with a scan of every user.
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
--! Included feed/policies.sql
-- Row-level security and grants of the feed tables: who may read and write what.

-- app_public.activity_verbs: what events can say, readable by all.
alter table app_public.activity_verbs enable row level security;
drop policy if exists select_all on app_public.activity_verbs;
create policy select_all on app_public.activity_verbs for select using (true);
revoke all on app_public.activity_verbs from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.activity_verbs to :DATABASE_ANONYMOUS;

-- app_public.activity_events: visible as app_hidden.can_see_event says, the
-- viewer's friends, blocks and communities computed once per statement. Written only by
-- triggers (no insert grant: a client cannot forge an actor); the actor may
-- change an event's visibility.
alter table app_public.activity_events enable row level security;
drop policy if exists select_visible on app_public.activity_events;
create policy select_visible on app_public.activity_events for select using (
  app_hidden.can_see_event(actor_id, visibility, community_id, deleted_at, hidden_at,
    (select app_public.current_user_id()),
    (select app_hidden.friend_ids(app_public.current_user_id())),
    (select app_hidden.block_peer_ids(app_public.current_user_id())),
    (select app_hidden.community_ids(app_public.current_user_id()))));
drop policy if exists update_own on app_public.activity_events;
create policy update_own on app_public.activity_events for update
  using (actor_id = (select app_public.current_user_id()))
  with check (actor_id = (select app_public.current_user_id()));
revoke all on app_public.activity_events from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.activity_events to :DATABASE_ANONYMOUS;
grant update (visibility) on app_public.activity_events to :DATABASE_VISITOR;

-- app_public.activity_hides: events you took out of your own feed.
alter table app_public.activity_hides enable row level security;
drop policy if exists select_own on app_public.activity_hides;
create policy select_own on app_public.activity_hides for select
  using (user_id = (select app_public.current_user_id()));
drop policy if exists insert_own on app_public.activity_hides;
create policy insert_own on app_public.activity_hides for insert
  with check (user_id = (select app_public.current_user_id())
    and exists (select 1 from app_public.activity_events e where e.id = event_id));
drop policy if exists delete_own on app_public.activity_hides;
create policy delete_own on app_public.activity_hides for delete
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.activity_hides from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.activity_hides to :DATABASE_VISITOR;
grant insert (event_id) on app_public.activity_hides to :DATABASE_VISITOR;

-- app_public.content_reports: anyone signed in reports what they can see;
-- the reporter and administrators read reports.
alter table app_public.content_reports enable row level security;
drop policy if exists select_own on app_public.content_reports;
create policy select_own on app_public.content_reports for select
  using (reporter_id = (select app_public.current_user_id()) or (select app_public.current_user_is_admin()));
drop policy if exists insert_own on app_public.content_reports;
create policy insert_own on app_public.content_reports for insert
  with check (reporter_id = (select app_public.current_user_id())
    and (exists (select 1 from app_public.activity_events e where e.id = event_id)
      or exists (select 1 from app_public.direct_messages m where m.id = message_id)));
revoke all on app_public.content_reports from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.content_reports to :DATABASE_VISITOR;
grant insert (event_id, message_id, reason) on app_public.content_reports to :DATABASE_VISITOR;

-- app_public.moderation_actions: the audit trail, for administrators.
alter table app_public.moderation_actions enable row level security;
drop policy if exists select_admin on app_public.moderation_actions;
create policy select_admin on app_public.moderation_actions for select using ((select app_public.current_user_is_admin()));
revoke all on app_public.moderation_actions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.moderation_actions to :DATABASE_VISITOR;
--! EndIncluded feed/policies.sql
--! Included points/functions.sql
-- Functions of the points domain: the only way points move is a new ledger
-- entry, written here.

-- Posts one ledger entry. Each source pays or charges once per reason (the
-- point_transactions_once index): a repeat returns null and changes nothing,
-- so a retried trigger, job or finalisation never pays twice. The balance is
-- kept by the _200_balance trigger, which also skips the repeat (under the
-- account's lock, so two concurrent repeats cannot both pay) and raises PTLOW
-- rather than let the balance go below zero. No `on conflict` here: a BEFORE
-- trigger runs before the conflict check, so a conflicting row would already
-- have moved the cached balance.
--
-- Lock order: a caller that also moves stock locks the inventory row before
-- calling this (which locks the point account): see purchase_item.
create or replace function app_private.post_points(user_id uuid, amount int, reason app_public.point_reason,
  source_type text, source_id uuid, note text default null) returns app_public.point_transactions as $$
  insert into app_public.point_transactions as t (user_id, amount, reason, source_type, source_id, note, created_by)
  values (post_points.user_id, post_points.amount, post_points.reason, post_points.source_type, post_points.source_id,
    post_points.note, app_public.current_user_id())
  returning t.*;
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.post_points(uuid, int, app_public.point_reason, text, uuid, text) is
  'Writes one ledger entry (null when this source already paid or charged for this reason). Errors: PTLOW.';

-- Pays what an earning rule says for one source (a ritual completion, a goal,
-- a journal entry), unless the rule is off or the user already earned its
-- daily cap today (their own day, in their time zone). The account is locked
-- before counting, so two entries at the same moment cannot both slip under
-- the cap. Returns the entry, or null when nothing was paid.
create or replace function app_private.earn_points(user_id uuid, rule_code text, source_type text, source_id uuid)
returns app_public.point_transactions as $$
declare
  v_rule app_public.point_earning_rules;
  v_tz text;
begin
  select * into v_rule from app_public.point_earning_rules r where r.code = earn_points.rule_code and r.is_active;
  if not found or v_rule.points = 0 then
    return null;
  end if;
  perform app_private.lock_point_account(earn_points.user_id);
  if v_rule.daily_cap is not null then
    v_tz := app_hidden.user_timezone(earn_points.user_id);
    if (select count(*) from app_public.point_transactions t
        where t.user_id = earn_points.user_id and t.reason = v_rule.reason
          and t.created_at >= (app_hidden.user_today(earn_points.user_id)::timestamp at time zone v_tz)) >= v_rule.daily_cap then
      return null;
    end if;
  end if;
  return app_private.post_points(earn_points.user_id, v_rule.points, v_rule.reason, earn_points.source_type, earn_points.source_id, null);
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.earn_points(uuid, text, text, uuid) is
  'Pays an active earning rule''s points for one source, once, within the rule''s daily cap; null when nothing was paid.';

-- Locks a user's point account, creating it if need be; returns it. Every
-- writer of the ledger goes through here (the _200_balance trigger), so the
-- account row is the one place a user's entries queue.
create or replace function app_private.lock_point_account(user_id uuid) returns app_public.point_accounts as $$
declare
  v_account app_public.point_accounts;
begin
  select * into v_account from app_public.point_accounts a where a.user_id = lock_point_account.user_id for update;
  if not found then
    insert into app_public.point_accounts (user_id) values (lock_point_account.user_id) on conflict do nothing;
    select * into v_account from app_public.point_accounts a where a.user_id = lock_point_account.user_id for update;
  end if;
  return v_account;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.lock_point_account(uuid) is 'Locks (and creates on first use) a user''s point account.';

-- A correction is a new entry, never an edit: admins only, with a reason.
create or replace function app_public.adjust_points(user_id uuid, amount int, note text) returns app_public.point_transactions as $$
declare
  v_entry app_public.point_transactions;
begin
  perform app_private.assert_admin();
  if nullif(btrim(adjust_points.note), '') is null then
    raise exception 'An adjustment needs a note saying why.' using errcode = 'BADIN';
  end if;
  v_entry := app_private.post_points(adjust_points.user_id, adjust_points.amount, 'admin_adjustment', null, null, adjust_points.note);
  return v_entry;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.adjust_points(uuid, int, text) is
  'Administrators: credits (positive) or debits (negative) a user''s points with a note saying why; a new ledger entry, never an edit. Errors: DNIED, BADIN, NOFND, PTLOW.';
grant execute on function app_public.adjust_points(uuid, int, text) to :DATABASE_VISITOR;

-- Cached balances that disagree with the ledger: what the nightly job reports.
create or replace function app_public.point_balance_drift()
returns table (user_id uuid, cached_balance bigint, ledger_balance bigint, drift bigint) as $$
begin
  perform app_private.assert_admin();
  return query select b.user_id, b.cached_balance, b.ledger_balance::bigint, b.drift::bigint
    from app_private.point_balances b where b.drift <> 0 order by abs(b.drift) desc, b.user_id;
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.point_balance_drift() is
  'Administrators: every point account whose cached balance differs from the sum of its ledger (normally none). Errors: DNIED.';
grant execute on function app_public.point_balance_drift() to :DATABASE_VISITOR;

-- The nightly reconciliation (points__reconcile): when any cached balance
-- disagrees with the ledger, every administrator is told, once a day.
-- Returns the number of drifted accounts. It reports, it does not repair:
-- a drift is a bug to find, and the ledger is the truth to fix it from.
create or replace function app_private.reconcile_points() returns int as $$
declare
  v_users int;
  v_total bigint;
  v_admin record;
begin
  select count(*), coalesce(sum(abs(b.drift)), 0) into v_users, v_total from app_private.point_balances b where b.drift <> 0;
  if v_users = 0 then
    return 0;
  end if;
  for v_admin in
    select u.id, u.username from app_public.users u join app_private.user_flags f on f.user_id = u.id where f.is_admin
  loop
    perform app_private.notify(v_admin.id, 'points.drift',
      jsonb_build_object('username', v_admin.username, 'drifted_users', v_users, 'total_drift', v_total),
      'points.drift:' || to_char(now() at time zone 'UTC', 'YYYY-MM-DD'));
  end loop;
  return v_users;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.reconcile_points() is
  'Compares cached balances with the ledger; tells every administrator (points.drift, once a day) when any differ. Returns how many differ.';
--! EndIncluded points/functions.sql
--! Included points/triggers.sql
-- Triggers of the points domain: the cached balance follows the ledger, the
-- ledger is never rewritten, and life data earns points by the earning rules.

-- The account row is locked first (and created by the first entry), so
-- concurrent entries of one user queue here and each sees the balance the
-- one before it left. Under that lock, an entry whose source already paid or
-- charged for this reason is skipped (the row is not written, the balance
-- does not move): post_points returns null. A debit the balance cannot cover
-- raises PTLOW; the point_balance_nonnegative check stands behind it.
create or replace function app_private.tg_point_transactions__balance() returns trigger as $$
declare
  v_account app_public.point_accounts := app_private.lock_point_account(new.user_id);
begin
  if new.source_id is not null and exists (select 1 from app_public.point_transactions t
      where t.user_id = new.user_id and t.reason = new.reason and t.source_type = new.source_type and t.source_id = new.source_id) then
    return null;
  end if;
  if v_account.balance + new.amount < 0 then
    raise exception 'Not enough points: % needed, % available.', -new.amount, v_account.balance using errcode = 'PTLOW';
  end if;
  update app_public.point_accounts a
    set balance = a.balance + new.amount,
      lifetime_earned = a.lifetime_earned + greatest(new.amount, 0),
      updated_at = now()
    where a.user_id = new.user_id
    returning a.balance into new.balance_after;
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_point_transactions__balance() is
  'Moves the cached balance with each ledger entry under the account''s lock; skips a repeated source; PTLOW when it would go below zero.';

-- Append-only: an entry is never changed, and never deleted except with its
-- user (a cascade runs inside the users delete, one trigger level down). The
-- one change allowed is the foreign key's own: created_by set to null when
-- the admin who wrote an entry is deleted. A correction is a new entry
-- (adjust_points).
create or replace function app_private.tg_point_transactions__append_only() returns trigger as $$
begin
  if pg_trigger_depth() >= 2 and (tg_op = 'DELETE'
      or (new.created_by is null and to_jsonb(new) - 'created_by' = to_jsonb(old) - 'created_by')) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  raise exception 'The points ledger is append-only: post a correcting entry instead.' using errcode = 'DNIED';
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_point_transactions__append_only() is 'Refuses updates and direct deletes of ledger entries.';

create or replace trigger _200_balance before insert on app_public.point_transactions
  for each row execute procedure app_private.tg_point_transactions__balance();
create or replace trigger _900_append_only before update or delete on app_public.point_transactions
  for each row execute procedure app_private.tg_point_transactions__append_only();

-- Every user has an account from the start (a balance of 0 to read).
create or replace function app_private.tg_users__point_account() returns trigger as $$
begin
  insert into app_public.point_accounts (user_id) values (new.id) on conflict do nothing;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_users__point_account() is 'Opens the new user''s point account.';
create or replace trigger _520_point_account after insert on app_public.users
  for each row execute procedure app_private.tg_users__point_account();

-- Who last edited an earning rule.
create or replace function app_private.tg_point_earning_rules__updated_by() returns trigger as $$
begin
  new.updated_by := app_public.current_user_id();
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_point_earning_rules__updated_by() is 'Records which administrator last edited an earning rule.';
create or replace trigger _100_timestamps before insert or update on app_public.point_earning_rules
  for each row execute procedure app_private.tg__timestamps();
create or replace trigger _200_updated_by before update on app_public.point_earning_rules
  for each row execute procedure app_private.tg_point_earning_rules__updated_by();

-- Earning: each source is the row that earned (pays once, by
-- point_transactions_once), within the rule's daily cap.
create or replace function app_private.tg_ritual_completions__points() returns trigger as $$
begin
  perform app_private.earn_points(new.user_id, 'rituals.completed', 'ritual_completion', new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__points() is 'A kept ritual earns points (rule rituals.completed).';

create or replace function app_private.tg_goals__points() returns trigger as $$
begin
  perform app_private.earn_points(new.user_id, 'goals.done', 'goal', new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_goals__points() is 'A goal done earns points once (rule goals.done), even if reopened and done again.';

create or replace function app_private.tg_journal_entries__points() returns trigger as $$
begin
  perform app_private.earn_points(new.user_id, 'journal.entry', 'journal_entry', new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_journal_entries__points() is 'A journal entry earns points (rule journal.entry, the first few of a day).';

create or replace trigger _600_points after insert on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__points();
create or replace trigger _600_points after insert or update of status on app_public.goals
  for each row when (new.status = 'done') execute procedure app_private.tg_goals__points();
create or replace trigger _600_points after insert on app_public.journal_entries
  for each row execute procedure app_private.tg_journal_entries__points();
--! EndIncluded points/triggers.sql
--! Included points/policies.sql
-- Row-level security and grants of the points tables. Nobody writes the
-- ledger or the accounts directly: points move through the functions in
-- functions.sql (and the triggers of triggers.sql).

-- app_public.point_earning_rules: the active rules to everyone signed in;
-- administrators see them all and tune them.
alter table app_public.point_earning_rules enable row level security;
drop policy if exists select_active on app_public.point_earning_rules;
create policy select_active on app_public.point_earning_rules for select
  using (is_active or (select app_public.current_user_is_admin()));
drop policy if exists update_admin on app_public.point_earning_rules;
create policy update_admin on app_public.point_earning_rules for update
  using ((select app_public.current_user_is_admin())) with check ((select app_public.current_user_is_admin()));
revoke all on app_public.point_earning_rules from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.point_earning_rules to :DATABASE_VISITOR;
grant update (points, daily_cap, is_active, description) on app_public.point_earning_rules to :DATABASE_VISITOR;

-- app_public.point_accounts: your own; administrators read all.
alter table app_public.point_accounts enable row level security;
drop policy if exists select_own on app_public.point_accounts;
create policy select_own on app_public.point_accounts for select
  using (user_id = (select app_public.current_user_id()) or (select app_public.current_user_is_admin()));
revoke all on app_public.point_accounts from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.point_accounts to :DATABASE_VISITOR;

-- app_public.point_transactions: your own entries; administrators read all.
-- Append-only for everyone: no update or delete privilege at all (and the
-- _900_append_only trigger behind it, for the owner).
alter table app_public.point_transactions enable row level security;
drop policy if exists select_own on app_public.point_transactions;
create policy select_own on app_public.point_transactions for select
  using (user_id = (select app_public.current_user_id()) or (select app_public.current_user_is_admin()));
revoke all on app_public.point_transactions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.point_transactions to :DATABASE_VISITOR;
--! EndIncluded points/policies.sql
--! Included points/comments.sql
-- Comments on the points tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.point_reason is 'Why points moved: earned by a rule, an achievement or a competition, spent, refunded, or adjusted by an administrator.';

comment on table app_public.point_earning_rules is E'@behavior -insert -delete\nHow many points each kind of life activity earns, and how often a day. Administrators tune them.';
comment on column app_public.point_earning_rules.code is 'The rule (rituals.completed, goals.done, journal.entry).';
comment on column app_public.point_earning_rules.reason is 'The reason its ledger entries carry.';
comment on column app_public.point_earning_rules.points is 'Points per activity (0-10000).';
comment on column app_public.point_earning_rules.daily_cap is 'At most this many paid activities a day, in your time zone (null: no cap).';
comment on column app_public.point_earning_rules.is_active is 'Whether the rule pays at all.';
comment on column app_public.point_earning_rules.description is 'What earns the points, in a sentence.';
comment on column app_public.point_earning_rules.updated_by is E'@behavior -*\nThe administrator who last edited the rule.';
comment on constraint point_earning_rules_updated_by_fkey on app_public.point_earning_rules is E'@behavior -*';
comment on constraint earning_rule_points_range on app_public.point_earning_rules is 'Points per activity are 0-10000.';
comment on constraint earning_rule_daily_cap_positive on app_public.point_earning_rules is 'A daily cap is at least 1 (null for none).';

comment on table app_public.point_accounts is E'@behavior -insert -update -delete\nYour points: the balance, kept with every ledger entry, never below zero.';
comment on column app_public.point_accounts.balance is 'Points you have now.';
comment on column app_public.point_accounts.lifetime_earned is 'Every point ever credited to you (spending does not lower it).';
comment on column app_public.point_accounts.updated_at is 'When the balance last moved.';
comment on constraint point_accounts_user_id_fkey on app_public.point_accounts is E'@fieldName user\n@foreignFieldName pointAccount';
comment on constraint point_balance_nonnegative on app_public.point_accounts is 'A balance never goes below zero (spending more raises PTLOW).';

comment on table app_public.point_transactions is E'@behavior -insert -update -delete\nThe points ledger: every credit and debit, never changed or removed. A correction is a new entry.';
comment on column app_public.point_transactions.amount is 'Points credited (positive) or debited (negative).';
comment on column app_public.point_transactions.reason is E'@behavior +filterBy\nWhy the points moved.';
comment on column app_public.point_transactions.balance_after is 'Your balance right after this entry.';
comment on column app_public.point_transactions.source_type is 'What the entry is for (ritual_completion, goal, journal_entry, marketplace_purchase…); null for an adjustment.';
comment on column app_public.point_transactions.source_id is 'The id of what the entry is for; each source pays or charges once per reason.';
comment on column app_public.point_transactions.note is 'Why, for an administrator''s adjustment or a refund.';
comment on column app_public.point_transactions.created_by is E'@behavior -*\nWho wrote the entry (an administrator for an adjustment; you for a purchase; null for the system).';
comment on column app_public.point_transactions.created_at is E'@behavior +orderBy\nWhen the points moved.';
comment on constraint point_transactions_user_id_fkey on app_public.point_transactions is E'@fieldName user\n@foreignFieldName pointTransactions';
comment on constraint point_transactions_created_by_fkey on app_public.point_transactions is E'@behavior -*';
comment on constraint point_amount_nonzero on app_public.point_transactions is 'An entry moves at least one point.';
comment on constraint point_adjustment_has_note on app_public.point_transactions is 'An administrator''s adjustment says why.';
comment on constraint point_note_length on app_public.point_transactions is 'A note is at most 500 characters.';
--! EndIncluded points/comments.sql
--! Included marketplace/functions.sql
-- Functions of the marketplace domain: the only ways purchases are made,
-- fulfilled, refunded and revoked, and stock is set and restocked.
--
-- LOCK ORDER, everywhere: the purchase row (a new one is only ever waited on
-- by a repeat of its own idempotency key), then the item's inventory row,
-- then the buyer's point account (post_points). Nothing here takes an
-- inventory row while holding a point account, so two purchases, a refund
-- and a restock never wait on each other in a cycle.
--
-- Stock movements (purchase, refund, restock) are not edits: they run with
-- lifegraph.stock_movement set for their one statement, and the inventory
-- audit trigger leaves them out.

-- Moves an item's stock by delta as a movement, not an edit; a decrement
-- only happens when the stock covers it. Returns the new quantity, or null
-- when the item is unlimited (no inventory row) or the stock is short (then
-- `short` is true).
create or replace function app_private.move_stock(item_id uuid, delta int, out quantity int, out short boolean) as $$
begin
  perform set_config('lifegraph.stock_movement', 'on', true);
  update app_public.marketplace_inventory i set quantity = i.quantity + move_stock.delta, updated_at = now()
    where i.item_id = move_stock.item_id and i.quantity + move_stock.delta >= 0
    returning i.quantity into move_stock.quantity;
  perform set_config('lifegraph.stock_movement', 'off', true);
  short := move_stock.quantity is null
    and exists (select 1 from app_public.marketplace_inventory i where i.item_id = move_stock.item_id);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.move_stock(uuid, int) is
  'Moves stock by a purchase, refund or restock (not audited); short when the stock does not cover a decrement.';

-- Buys an item. Atomic: everything below commits together or not at all.
--  1. Claim the idempotency key: a repeat (same user and key) waits for the
--     first call's transaction and then returns its purchase as it stands;
--     the same key for another item or quantity is IDEMP.
--  2. The item must be active, within its window, and (a community item) the
--     buyer a member: ITEMX; an item the buyer may not see at all: NOFND.
--  3. Activity and notification first: they touch no shared row, so the hot
--     inventory row (4) is held for as short a time as possible.
--  4. Inventory (a conditional decrement: STOCK when short), then
--  5. the buyer's points (post_points: PTLOW when short) — the lock order;
--  6. then fulfilled, unless the item is delivered by hand (pending).
-- The claim is written pending: a purchase is fulfilled only once paid.
create or replace function app_public.purchase_item(item_id uuid, quantity int, idempotency_key text)
returns app_public.marketplace_purchases as $$
#variable_conflict use_column
declare
  v_me uuid := app_public.current_user_id();
  v_item app_public.marketplace_items;
  v_purchase app_public.marketplace_purchases;
  v_stock record;
begin
  if v_me is null then
    raise exception 'Sign in to buy.' using errcode = 'DNIED';
  end if;
  select * into v_item from app_public.marketplace_items i where i.id = purchase_item.item_id;
  if found and v_item.community_id is not null and not app_hidden.can_see_community(v_item.community_id)
      and not app_public.current_user_is_admin() then
    v_item := null; -- A private community's item is not there for outsiders.
  end if;

  insert into app_public.marketplace_purchases as p (user_id, item_id, quantity, unit_price, status, idempotency_key)
  select v_me, v_item.id, purchase_item.quantity, v_item.price, 'pending', purchase_item.idempotency_key
  where v_item.id is not null
  on conflict (user_id, idempotency_key) do nothing
  returning p.* into v_purchase;

  if v_purchase.id is null then
    select p.* into v_purchase from app_public.marketplace_purchases p
      where p.user_id = v_me and p.idempotency_key = purchase_item.idempotency_key;
    if v_purchase.id is null then
      raise exception 'No such item.' using errcode = 'NOFND';
    end if;
    if v_purchase.item_id is distinct from purchase_item.item_id or v_purchase.quantity is distinct from purchase_item.quantity then
      raise exception 'This idempotency key was used for another purchase.' using errcode = 'IDEMP';
    end if;
    return v_purchase; -- A repeat: the first call's purchase, charged once.
  end if;

  if not v_item.is_active or v_item.available_from > now() or v_item.available_until <= now() then
    raise exception 'This item is not on sale.' using errcode = 'ITEMX';
  end if;
  if v_item.community_id is not null and app_hidden.community_role(v_item.community_id) is null then
    raise exception 'Only members of its community can buy this item.' using errcode = 'ITEMX';
  end if;
  if purchase_item.quantity > v_item.max_per_purchase then
    raise exception 'At most % of this item per purchase.', v_item.max_per_purchase using errcode = 'BADIN';
  end if;

  perform app_private.record_activity(v_me, 'marketplace.purchased', 'marketplace_item', v_item.id,
    jsonb_build_object('item_title', v_item.title), 'purchase:' || v_purchase.id, v_item.community_id, 'private');
  perform app_private.notify(v_me, 'marketplace.purchased', jsonb_build_object(
    'username', (select u.username from app_public.users u where u.id = v_me),
    'item_title', v_item.title, 'quantity', v_purchase.quantity, 'total_price', v_purchase.total_price),
    'purchase:' || v_purchase.id);

  select * into v_stock from app_private.move_stock(v_item.id, -v_purchase.quantity);
  if v_stock.short then
    raise exception 'Out of stock.' using errcode = 'STOCK';
  end if;
  if v_purchase.total_price > 0 then
    perform app_private.post_points(v_me, -v_purchase.total_price, 'purchase', 'marketplace_purchase', v_purchase.id, v_item.title);
  end if;
  -- Fulfilled once paid (what follows a fulfilled purchase, e.g. an
  -- achievement's points, comes after the debit), unless delivered by hand.
  if not v_item.needs_fulfilment then
    update app_public.marketplace_purchases p set status = 'fulfilled', fulfilled_at = now()
      where p.id = v_purchase.id returning p.* into v_purchase;
  end if;
  return v_purchase;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.purchase_item(uuid, int, text) is
  E'Buys an item with your points, atomically: the stock, your points and the purchase move together or not at all. '
  'Send a fresh idempotencyKey (8-100 characters: letters, digits, _ . : -) per purchase and the same one when retrying: '
  'a retry returns the first purchase and charges once. Errors: PTLOW, STOCK, ITEMX, IDEMP, NOFND, BADIN.';
grant execute on function app_public.purchase_item(uuid, int, text) to :DATABASE_VISITOR;

-- A purchase locked for an administrator's decision, with its item. Platform
-- administrators decide on any purchase; a community's admins and founder on
-- its items' purchases when `community_admins` allows. Anyone else: DNIED,
-- or NOFND when the purchase is not theirs to see.
create or replace function app_private.purchase_for_decision(purchase_id uuid, community_admins boolean,
  out purchase app_public.marketplace_purchases, out item app_public.marketplace_items) as $$
begin
  select p.* into purchase from app_public.marketplace_purchases p where p.id = purchase_for_decision.purchase_id for update;
  if purchase.id is null then
    raise exception 'No such purchase.' using errcode = 'NOFND';
  end if;
  select i.* into item from app_public.marketplace_items i where i.id = purchase.item_id;
  if not app_public.current_user_is_admin() and not (community_admins and item.community_id is not null
      and coalesce(app_hidden.community_role(item.community_id) >= 'admin', false)) then
    if purchase.user_id = app_public.current_user_id() then
      raise exception 'Only an administrator may do this.' using errcode = 'DNIED';
    end if;
    raise exception 'No such purchase.' using errcode = 'NOFND';
  end if;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.purchase_for_decision(uuid, boolean) is
  'Locks a purchase for fulfil, refund or revoke and checks the caller may decide on it (DNIED, NOFND).';

-- Marks a pending purchase delivered.
create or replace function app_public.fulfil_purchase(purchase_id uuid) returns app_public.marketplace_purchases as $$
declare
  v_purchase app_public.marketplace_purchases := (app_private.purchase_for_decision(fulfil_purchase.purchase_id, true)).purchase;
begin
  if v_purchase.status = 'fulfilled' then
    return v_purchase;
  end if;
  if v_purchase.status <> 'pending' then
    raise exception 'A % purchase cannot be fulfilled.', v_purchase.status using errcode = 'BADIN';
  end if;
  update app_public.marketplace_purchases p set status = 'fulfilled', fulfilled_at = now()
    where p.id = v_purchase.id returning p.* into v_purchase;
  return v_purchase;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.fulfil_purchase(uuid) is
  'Administrators (and a community''s admins, for its items): marks a pending purchase delivered; a fulfilled one is returned as it is. Errors: DNIED, NOFND, BADIN.';
grant execute on function app_public.fulfil_purchase(uuid) to :DATABASE_VISITOR;

-- Gives the points back and puts the stock back. Refunding a refunded
-- purchase changes nothing and returns it (and the ledger pays a refund once
-- per purchase in any case: point_transactions_once).
create or replace function app_public.refund_purchase(purchase_id uuid, reason text default null)
returns app_public.marketplace_purchases as $$
declare
  v_decision record := app_private.purchase_for_decision(refund_purchase.purchase_id, true);
  v_purchase app_public.marketplace_purchases := v_decision.purchase;
  v_item app_public.marketplace_items := v_decision.item;
begin
  if v_purchase.status = 'refunded' then
    return v_purchase;
  end if;
  if v_purchase.status = 'revoked' then
    raise exception 'A revoked purchase cannot be refunded.' using errcode = 'BADIN';
  end if;
  -- Lock order: inventory, then the buyer's account.
  perform app_private.move_stock(v_item.id, v_purchase.quantity);
  if v_purchase.total_price > 0 then
    perform app_private.post_points(v_purchase.user_id, v_purchase.total_price, 'refund', 'marketplace_purchase', v_purchase.id,
      coalesce(nullif(btrim(refund_purchase.reason), ''), 'Refund of ' || v_item.title));
  end if;
  update app_public.marketplace_purchases p
    set status = 'refunded', refunded_at = now(), status_reason = nullif(btrim(refund_purchase.reason), '')
    where p.id = v_purchase.id returning p.* into v_purchase;
  perform app_private.notify(v_purchase.user_id, 'marketplace.refunded', jsonb_build_object(
    'username', (select u.username from app_public.users u where u.id = v_purchase.user_id),
    'item_title', v_item.title, 'total_price', v_purchase.total_price, 'reason', v_purchase.status_reason),
    'refund:' || v_purchase.id);
  return v_purchase;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.refund_purchase(uuid, text) is
  'Administrators (and a community''s admins, for its items): refunds a purchase — the points go back to the buyer, the stock to the shelf, and the buyer is told. A second refund changes nothing. Errors: DNIED, NOFND, BADIN.';
grant execute on function app_public.refund_purchase(uuid, text) to :DATABASE_VISITOR;

-- Takes a purchase back without refunding it (abuse, fraud): no points, no stock.
create or replace function app_public.revoke_purchase(purchase_id uuid, reason text) returns app_public.marketplace_purchases as $$
declare
  v_purchase app_public.marketplace_purchases := (app_private.purchase_for_decision(revoke_purchase.purchase_id, false)).purchase;
begin
  if nullif(btrim(revoke_purchase.reason), '') is null then
    raise exception 'Say why the purchase is revoked.' using errcode = 'BADIN';
  end if;
  if v_purchase.status = 'revoked' then
    return v_purchase;
  end if;
  if v_purchase.status = 'refunded' then
    raise exception 'A refunded purchase cannot be revoked.' using errcode = 'BADIN';
  end if;
  update app_public.marketplace_purchases p set status = 'revoked', revoked_at = now(), status_reason = btrim(revoke_purchase.reason)
    where p.id = v_purchase.id returning p.* into v_purchase;
  return v_purchase;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.revoke_purchase(uuid, text) is
  'Administrators: revokes a purchase without a refund (no points, no stock back), saying why. Errors: DNIED, NOFND, BADIN.';
grant execute on function app_public.revoke_purchase(uuid, text) to :DATABASE_VISITOR;

-- Sets an item's stock (an edit, audited): a quantity makes it limited, null
-- unlimited (the inventory row goes). A restock quantity and interval refill
-- it to that quantity every interval, starting one interval from now (the
-- marketplace__restock job, one per item).
create or replace function app_public.set_item_stock(item_id uuid, quantity int, restock_quantity int default null,
  restock_every interval default null) returns app_public.marketplace_inventory as $$
#variable_conflict use_column
declare
  v_inventory app_public.marketplace_inventory;
begin
  perform app_private.assert_admin();
  if not exists (select 1 from app_public.marketplace_items i where i.id = set_item_stock.item_id) then
    raise exception 'No such item.' using errcode = 'NOFND';
  end if;
  if set_item_stock.quantity is null then
    delete from app_public.marketplace_inventory i where i.item_id = set_item_stock.item_id;
    return null;
  end if;
  if (set_item_stock.restock_quantity is null) <> (set_item_stock.restock_every is null) then
    raise exception 'A restock needs both a quantity and an interval.' using errcode = 'BADIN';
  end if;
  insert into app_public.marketplace_inventory as i (item_id, sku, quantity, restock_quantity, restock_every, restock_at)
  values (set_item_stock.item_id, 'ITEM-' || upper(left(replace(set_item_stock.item_id::text, '-', ''), 16)),
    set_item_stock.quantity, set_item_stock.restock_quantity, set_item_stock.restock_every, now() + set_item_stock.restock_every)
  on conflict (item_id) do update set quantity = excluded.quantity, restock_quantity = excluded.restock_quantity,
    restock_every = excluded.restock_every,
    -- An unchanged interval keeps its next restock; a new one starts now.
    restock_at = case when i.restock_every is not distinct from excluded.restock_every and i.restock_at is not null
      then i.restock_at else excluded.restock_at end,
    updated_at = now()
  returning i.* into v_inventory;
  return v_inventory;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.set_item_stock(uuid, int, int, interval) is
  'Administrators: sets an item''s stock (null: unlimited) and optionally its restock (back to restockQuantity every restockEvery, at least an hour). Errors: DNIED, NOFND, BADIN.';
grant execute on function app_public.set_item_stock(uuid, int, int, interval) to :DATABASE_VISITOR;

-- The restock job's work: when due, the stock goes back to the restock
-- quantity and the next restock is one interval on (skipping any missed).
-- A movement, not an edit. Returns whether it restocked.
create or replace function app_private.restock_item(item_id uuid) returns boolean as $$
declare
  v_inventory app_public.marketplace_inventory;
begin
  select * into v_inventory from app_public.marketplace_inventory i where i.item_id = restock_item.item_id for update;
  if not found or v_inventory.restock_at is null or v_inventory.restock_at > now() + interval '1 minute' then
    return false; -- Gone, no longer restocked, or not due (an older job): the trigger keeps the right one queued.
  end if;
  perform set_config('lifegraph.stock_movement', 'on', true);
  update app_public.marketplace_inventory i set quantity = v_inventory.restock_quantity,
    restock_at = v_inventory.restock_at + v_inventory.restock_every
      * greatest(1, ceil(extract(epoch from now() - v_inventory.restock_at) / extract(epoch from v_inventory.restock_every))),
    updated_at = now()
    where i.item_id = restock_item.item_id;
  perform set_config('lifegraph.stock_movement', 'off', true);
  return true;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.restock_item(uuid) is 'Refills a due item to its restock quantity and sets the next restock (marketplace__restock).';
--! EndIncluded marketplace/functions.sql
--! Included marketplace/triggers.sql
-- Trigger functions and triggers of the marketplace domain: who created an
-- item, the audit of every admin edit, and the restock job that follows the
-- inventory.

create or replace trigger _100_timestamps before insert or update on app_public.marketplace_items
  for each row execute procedure app_private.tg__timestamps();
create or replace trigger _100_timestamps before insert or update on app_public.marketplace_purchases
  for each row execute procedure app_private.tg__timestamps();

create or replace function app_private.tg_marketplace_items__created_by() returns trigger as $$
begin
  new.created_by := coalesce(app_public.current_user_id(), new.created_by);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_marketplace_items__created_by() is 'Records which administrator created an item.';
create or replace trigger _200_created_by before insert on app_public.marketplace_items
  for each row execute procedure app_private.tg_marketplace_items__created_by();

-- Every edit of an item, one row per field changed (a new item: one
-- 'created' row holding it). Definer: the audit is closed to the visitor.
create or replace function app_private.tg_marketplace_items__audit() returns trigger as $$
begin
  if tg_op = 'INSERT' then
    insert into app_public.marketplace_item_audit (item_id, field, new_value, changed_by)
    values (new.id, 'created', to_jsonb(new) - '{id,created_at,updated_at,created_by}'::text[], app_public.current_user_id());
  else
    insert into app_public.marketplace_item_audit (item_id, field, old_value, new_value, changed_by)
    select new.id, n.key, o.value, n.value, app_public.current_user_id()
    from jsonb_each(to_jsonb(new)) n join jsonb_each(to_jsonb(old)) o on o.key = n.key
    where n.key not in ('id', 'created_at', 'updated_at', 'created_by') and n.value is distinct from o.value;
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_marketplace_items__audit() is 'Audits every edit of an item, field by field.';
create or replace trigger _500_audit after insert or update on app_public.marketplace_items
  for each row execute procedure app_private.tg_marketplace_items__audit();

-- Edits of the stock (set_item_stock) are audited like edits of the item;
-- movements (purchases, refunds, restocks: lifegraph.stock_movement) are
-- not, and neither is the cascade of a deleted item.
create or replace function app_private.tg_marketplace_inventory__audit() returns trigger as $$
declare
  v_item_id uuid := case when tg_op = 'DELETE' then old.item_id else new.item_id end;
  v_old jsonb := case when tg_op = 'INSERT' then '{}' else jsonb_strip_nulls(to_jsonb(old)) end;
  v_new jsonb := case when tg_op = 'DELETE' then '{}' else jsonb_strip_nulls(to_jsonb(new)) end;
begin
  if coalesce(current_setting('lifegraph.stock_movement', true), '') = 'on'
      or not exists (select 1 from app_public.marketplace_items i where i.id = v_item_id) then
    return null;
  end if;
  insert into app_public.marketplace_item_audit (item_id, field, old_value, new_value, changed_by)
  select v_item_id, 'stock.' || k, v_old -> k, v_new -> k, app_public.current_user_id()
  from unnest(array['sku', 'quantity', 'restock_quantity', 'restock_every']) k
  where (v_old -> k) is distinct from (v_new -> k);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_marketplace_inventory__audit() is 'Audits edits of an item''s stock (not the movements of purchases, refunds and restocks).';
create or replace trigger _500_audit after insert or update or delete on app_public.marketplace_inventory
  for each row execute procedure app_private.tg_marketplace_inventory__audit();

-- One restock job per item (job_key), due at restock_at: moved when
-- restock_at moves, removed when the item stops restocking or goes. The job
-- that runs a restock moves restock_at itself, which queues the next one (a
-- running job gives up its key to the new one).
create or replace function app_private.tg_marketplace_inventory__restock() returns trigger as $$
declare
  v_item_id uuid := case when tg_op = 'DELETE' then old.item_id else new.item_id end;
begin
  if tg_op <> 'DELETE' and new.restock_at is not null then
    perform graphile_worker.add_job('marketplace__restock', json_build_object('item_id', new.item_id),
      job_key := 'marketplace__restock:' || new.item_id, job_key_mode := 'replace', run_at := new.restock_at, max_attempts := 5);
  elsif tg_op = 'DELETE' or old.restock_at is not null then
    perform graphile_worker.remove_job('marketplace__restock:' || v_item_id);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_marketplace_inventory__restock() is 'Keeps one marketplace__restock job per restocked item, due at its restock_at.';
create or replace trigger _600_restock after insert or delete or update of restock_at on app_public.marketplace_inventory
  for each row execute procedure app_private.tg_marketplace_inventory__restock();
--! EndIncluded marketplace/triggers.sql
--! Included marketplace/policies.sql
-- Row-level security and grants of the marketplace tables. Administrators
-- write items directly; stock, purchases and the audit change only through
-- the functions in functions.sql (and the triggers of triggers.sql).

-- app_public.marketplace_items: active global items to everyone, anonymous
-- included; an active community item to whoever may see its community (the
-- communities policy decides: public ones, and private ones to members);
-- administrators see and edit everything.
alter table app_public.marketplace_items enable row level security;
drop policy if exists select_visible on app_public.marketplace_items;
create policy select_visible on app_public.marketplace_items for select using (
  (is_active and (community_id is null or exists (select 1 from app_public.communities c where c.id = community_id)))
  or (select app_public.current_user_is_admin()));
drop policy if exists insert_admin on app_public.marketplace_items;
create policy insert_admin on app_public.marketplace_items for insert
  with check ((select app_public.current_user_is_admin()));
drop policy if exists update_admin on app_public.marketplace_items;
create policy update_admin on app_public.marketplace_items for update
  using ((select app_public.current_user_is_admin())) with check ((select app_public.current_user_is_admin()));
drop policy if exists delete_admin on app_public.marketplace_items;
create policy delete_admin on app_public.marketplace_items for delete
  using ((select app_public.current_user_is_admin()));
revoke all on app_public.marketplace_items from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.marketplace_items to :DATABASE_ANONYMOUS;
grant insert (title, description_md, price, community_id, available_from, available_until, max_per_purchase, needs_fulfilment, is_active)
  on app_public.marketplace_items to :DATABASE_VISITOR;
grant update (title, description_md, price, community_id, available_from, available_until, max_per_purchase, needs_fulfilment, is_active)
  on app_public.marketplace_items to :DATABASE_VISITOR;
grant delete on app_public.marketplace_items to :DATABASE_VISITOR;

-- app_public.marketplace_inventory: readable like its item. Set with set_item_stock.
alter table app_public.marketplace_inventory enable row level security;
drop policy if exists select_visible on app_public.marketplace_inventory;
create policy select_visible on app_public.marketplace_inventory for select
  using (exists (select 1 from app_public.marketplace_items i where i.id = item_id));
revoke all on app_public.marketplace_inventory from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.marketplace_inventory to :DATABASE_ANONYMOUS;

-- app_public.marketplace_purchases: the buyer's own; administrators read all.
alter table app_public.marketplace_purchases enable row level security;
drop policy if exists select_own on app_public.marketplace_purchases;
create policy select_own on app_public.marketplace_purchases for select
  using (user_id = (select app_public.current_user_id()) or (select app_public.current_user_is_admin()));
revoke all on app_public.marketplace_purchases from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.marketplace_purchases to :DATABASE_VISITOR;

-- app_public.marketplace_item_audit: administrators only; written by triggers.
alter table app_public.marketplace_item_audit enable row level security;
drop policy if exists select_admin on app_public.marketplace_item_audit;
create policy select_admin on app_public.marketplace_item_audit for select
  using ((select app_public.current_user_is_admin()));
revoke all on app_public.marketplace_item_audit from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.marketplace_item_audit to :DATABASE_VISITOR;
--! EndIncluded marketplace/policies.sql
--! Included marketplace/comments.sql
-- Comments on the marketplace tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.purchase_status is 'Where a purchase stands: pending (waiting for an administrator to deliver it), fulfilled, refunded (points given back) or revoked (taken back without a refund).';

comment on table app_public.marketplace_items is 'Something to buy with points: for everyone, or for the members of one community. Administrators create and edit items; every edit is audited.';
comment on column app_public.marketplace_items.title is 'What it is (1-120 characters).';
comment on column app_public.marketplace_items.description_md is 'More about it (Markdown, up to 5000 characters).';
comment on column app_public.marketplace_items.price is 'Points per unit (0-1000000).';
comment on column app_public.marketplace_items.community_id is E'@behavior +filterBy\nThe community whose members may buy it; null for everyone.';
comment on column app_public.marketplace_items.available_from is 'On sale from this moment.';
comment on column app_public.marketplace_items.available_until is 'On sale until this moment (null: no end).';
comment on column app_public.marketplace_items.max_per_purchase is 'The most units one purchase may take (1-100).';
comment on column app_public.marketplace_items.needs_fulfilment is 'Whether an administrator delivers it by hand: its purchases stay pending until then.';
comment on column app_public.marketplace_items.is_active is 'Whether it is shown and sold at all.';
comment on column app_public.marketplace_items.created_by is E'@behavior -*\nThe administrator who created it.';
comment on constraint marketplace_items_community_id_fkey on app_public.marketplace_items is E'@fieldName community\n@foreignFieldName marketplaceItems';
comment on constraint marketplace_items_created_by_fkey on app_public.marketplace_items is E'@behavior -*';
comment on constraint item_title_length on app_public.marketplace_items is 'A title is 1-120 characters.';
comment on constraint item_description_length on app_public.marketplace_items is 'A description is at most 5000 characters.';
comment on constraint item_price_range on app_public.marketplace_items is 'A price is 0-1000000 points.';
comment on constraint item_max_per_purchase_range on app_public.marketplace_items is 'A purchase takes 1-100 units at most.';
comment on constraint item_window_ordered on app_public.marketplace_items is 'The sale ends after it starts.';

comment on table app_public.marketplace_inventory is E'@behavior -insert -update -delete\nThe stock of a limited item (an item without one is unlimited). Administrators set it with setItemStock.';
comment on column app_public.marketplace_inventory.sku is 'The stock-keeping unit.';
comment on column app_public.marketplace_inventory.quantity is 'Units left.';
comment on column app_public.marketplace_inventory.restock_quantity is 'The stock goes back to this at each restock (null: never restocked).';
comment on column app_public.marketplace_inventory.restock_every is 'How often it is restocked.';
comment on column app_public.marketplace_inventory.restock_at is 'The next restock.';
comment on column app_public.marketplace_inventory.updated_at is 'When the stock last moved.';
comment on constraint marketplace_inventory_item_id_fkey on app_public.marketplace_inventory is E'@fieldName item\n@foreignFieldName inventory';
comment on constraint inventory_quantity_nonnegative on app_public.marketplace_inventory is 'Stock never goes below zero (a purchase beyond it raises STOCK).';
comment on constraint inventory_sku_format on app_public.marketplace_inventory is 'A SKU is 2-40 capital letters, digits and dashes.';
comment on constraint inventory_sku_unique on app_public.marketplace_inventory is E'@behavior -single -update -delete\nOne item per SKU.';
comment on constraint inventory_restock_quantity_range on app_public.marketplace_inventory is 'A restock quantity is 1-1000000.';
comment on constraint inventory_restock_every_range on app_public.marketplace_inventory is 'Restocks are at least an hour apart.';
comment on constraint inventory_restock_complete on app_public.marketplace_inventory is 'A restock has both a quantity and a next time.';

comment on table app_public.marketplace_purchases is E'@behavior -insert -update -delete\nYour purchases. Buy with purchaseItem; administrators fulfil, refund and revoke.';
comment on column app_public.marketplace_purchases.quantity is 'Units bought.';
comment on column app_public.marketplace_purchases.unit_price is 'Points per unit when bought.';
comment on column app_public.marketplace_purchases.total_price is 'Points paid (quantity × unit price).';
comment on column app_public.marketplace_purchases.status is E'@behavior +filterBy\nWhere the purchase stands.';
comment on column app_public.marketplace_purchases.idempotency_key is 'The key the purchase was made with: the same key returns this purchase again.';
comment on column app_public.marketplace_purchases.status_reason is 'Why it was refunded or revoked.';
comment on column app_public.marketplace_purchases.fulfilled_at is 'When it was delivered.';
comment on column app_public.marketplace_purchases.refunded_at is 'When its points were given back.';
comment on column app_public.marketplace_purchases.revoked_at is 'When it was taken back without a refund.';
comment on column app_public.marketplace_purchases.created_at is E'@behavior +orderBy\nWhen it was bought.';
comment on constraint marketplace_purchases_user_id_fkey on app_public.marketplace_purchases is E'@fieldName user\n@foreignFieldName marketplacePurchases';
comment on constraint marketplace_purchases_item_id_fkey on app_public.marketplace_purchases is E'@fieldName item\n@foreignFieldName purchases';
comment on constraint purchase_idempotency_key_unique on app_public.marketplace_purchases is E'@behavior -single -update -delete\nOne purchase per key and buyer.';
comment on constraint purchase_quantity_range on app_public.marketplace_purchases is 'A purchase takes 1-100 units.';
comment on constraint purchase_idempotency_key_format on app_public.marketplace_purchases is 'An idempotency key is 8-100 letters, digits, _ . : or -.';

comment on table app_public.marketplace_item_audit is E'@behavior -insert -update -delete\nEvery administrator''s edit of an item or its stock, field by field (not the stock movements of purchases, refunds and restocks).';
comment on column app_public.marketplace_item_audit.field is 'The field edited (stock fields start with stock.; a new item is one created row).';
comment on column app_public.marketplace_item_audit.old_value is 'Its value before.';
comment on column app_public.marketplace_item_audit.new_value is 'Its value after.';
comment on column app_public.marketplace_item_audit.changed_by is 'Who made the edit (null: the system).';
comment on column app_public.marketplace_item_audit.changed_at is E'@behavior +orderBy\nWhen.';
comment on constraint marketplace_item_audit_item_id_fkey on app_public.marketplace_item_audit is E'@fieldName item\n@foreignFieldName audit';
comment on constraint marketplace_item_audit_changed_by_fkey on app_public.marketplace_item_audit is E'@behavior -*';
--! EndIncluded marketplace/comments.sql
--! Included competitions/functions.sql
-- Functions of the competitions domain: who runs and sees a competition, the
-- only ways people enter, score and win, the status that follows the clock
-- (keyed jobs, see triggers.sql), and the one leaderboard.

-- The communities whose competitions the current user runs (admin or founder),
-- for policies: called once per statement.
create or replace function app_hidden.managed_community_ids() returns uuid[] as $$
  select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
  where m.user_id = app_public.current_user_id() and m.role >= 'admin';
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
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
--! Included competitions/triggers.sql
-- Trigger functions and triggers of the competitions domain.

create or replace trigger _100_timestamps before insert or update on app_public.competitions
  for each row execute procedure app_private.tg__timestamps();
create or replace trigger _100_timestamps before insert or update on app_public.competition_reward_grants
  for each row execute procedure app_private.tg__timestamps();

-- A competition's times and capacity change only before it starts (CSTRT),
-- and its rounds stay within its window (BADIN).
create or replace function app_private.tg_competitions__validate() returns trigger as $$
begin
  if (new.starts_at, new.ends_at, new.capacity) is distinct from (old.starts_at, old.ends_at, old.capacity)
      and old.status not in ('draft', 'scheduled') then
    raise exception 'A competition''s times and capacity are fixed once it has started.' using errcode = 'CSTRT';
  end if;
  if (new.starts_at, new.ends_at) is distinct from (old.starts_at, old.ends_at) and exists (
      select 1 from app_public.competition_rounds r
      where r.competition_id = new.id and (r.opens_at < new.starts_at or r.closes_at > new.ends_at)) then
    raise exception 'The competition''s rounds must stay within its start and end: move them first.' using errcode = 'BADIN';
  end if;
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competitions__validate() is 'Fixes times and capacity once started (CSTRT); keeps rounds within the window (BADIN).';
create or replace trigger _200_validate before update on app_public.competitions
  for each row execute procedure app_private.tg_competitions__validate();

-- The status follows the clock through keyed jobs, not a poll: while a
-- competition is scheduled, one competitions__advance job at its start and
-- one at its end; once active, the end one. Moving the times re-keys them
-- (job_key replace moves run_at); a draft, a cancelled or finished one has none.
create or replace function app_private.tg_competitions__jobs() returns trigger as $$
begin
  if tg_op = 'INSERT' or (old.status, old.starts_at, old.ends_at) is distinct from (new.status, new.starts_at, new.ends_at) then
    perform app_private.key_competition_jobs(new);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competitions__jobs() is 'Keys the competitions__advance jobs at the start and end of a scheduled or active competition.';
create or replace trigger _600_jobs after insert or update of status, starts_at, ends_at on app_public.competitions
  for each row execute procedure app_private.tg_competitions__jobs();

-- A round lies within its competition's window.
create or replace function app_private.tg_competition_rounds__validate() returns trigger as $$
begin
  if not exists (select 1 from app_public.competitions c
      where c.id = new.competition_id and new.opens_at >= c.starts_at and new.closes_at <= c.ends_at) then
    raise exception 'A round opens and closes within its competition''s start and end.' using errcode = 'BADIN';
  end if;
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competition_rounds__validate() is 'Keeps a round within its competition''s window (BADIN).';
create or replace trigger _200_validate before insert or update on app_public.competition_rounds
  for each row execute procedure app_private.tg_competition_rounds__validate();

-- participant_count follows the participant rows. join_competition holds the
-- competition row's lock, which orders concurrent joins; the count's check
-- (competition_participant_count_within_capacity) stands behind CFULL.
create or replace function app_private.tg_competition_participants__count() returns trigger as $$
begin
  update app_public.competitions c
    set participant_count = c.participant_count + case tg_op when 'INSERT' then 1 else -1 end
    where c.id = coalesce(new.competition_id, old.competition_id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competition_participants__count() is 'Keeps competitions.participant_count.';
create or replace trigger _500_participant_count after insert or delete on app_public.competition_participants
  for each row execute procedure app_private.tg_competition_participants__count();

-- Streak rounds are scored from life data: keeping (or un-keeping) a ritual
-- recomputes the user's computed scores in their open streak rounds.
create or replace function app_private.tg_ritual_completions__competition_streaks() returns trigger as $$
begin
  perform app_private.recompute_competition_streaks(coalesce(new.user_id, old.user_id));
  return null;
end;
-- Definer: the visitor keeps rituals but may not write scores.
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__competition_streaks() is 'Keeps computed streak scores in step with ritual completions.';
create or replace trigger _500_competition_streaks after insert or delete on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__competition_streaks();

-- Standings follow the scores: each changed score re-derives its
-- participant's round aggregates and overall score.
create or replace function app_private.tg_competition_scores__standings() returns trigger as $$
begin
  if tg_op <> 'INSERT' then
    perform app_private.restand_participant(old.competition_id, old.user_id, old.round_id);
  end if;
  if tg_op <> 'DELETE' and (tg_op = 'INSERT' or (new.round_id, new.user_id) is distinct from (old.round_id, old.user_id)
      or new.value is distinct from old.value) then
    perform app_private.restand_participant(new.competition_id, new.user_id, new.round_id);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competition_scores__standings() is 'Keeps competition_round_totals and competition_participants.score in step with scores.';
create or replace trigger _500_standings after insert or update or delete on app_public.competition_scores
  for each row execute procedure app_private.tg_competition_scores__standings();

-- A round's new weight or rule changes everyone's overall score.
create or replace function app_private.tg_competition_rounds__standings() returns trigger as $$
begin
  perform app_private.restand_competition(new.competition_id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competition_rounds__standings() is 'Recomputes overall scores when a round''s weight or scoring changes.';
create or replace trigger _500_standings after update of weight, scoring on app_public.competition_rounds
  for each row when (new.weight is distinct from old.weight or new.scoring is distinct from old.scoring)
  execute procedure app_private.tg_competition_rounds__standings();
--! EndIncluded competitions/triggers.sql
--! Included competitions/policies.sql
-- Row-level security and grants of the competitions tables. Status,
-- participants, scores and rewards won change only through functions.sql;
-- organisers edit a competition, its rounds and its rewards before it starts.

-- app_public.competitions: global ones to everyone, a community's to those
-- who may see the community (the sub-select reads communities under their own
-- policy); drafts to their organisers only.
alter table app_public.competitions enable row level security;
drop policy if exists select_visible on app_public.competitions;
create policy select_visible on app_public.competitions for select using (
  (community_id is null or exists (select 1 from app_public.communities c where c.id = community_id))
  and (status <> 'draft'
    or (community_id is null and (select app_public.current_user_is_admin()))
    or community_id = any ((select app_hidden.managed_community_ids())::uuid[])));
drop policy if exists update_organisers on app_public.competitions;
create policy update_organisers on app_public.competitions for update
  using (status in ('draft', 'scheduled') and ((community_id is null and (select app_public.current_user_is_admin()))
    or community_id = any ((select app_hidden.managed_community_ids())::uuid[])))
  with check ((community_id is null and (select app_public.current_user_is_admin()))
    or community_id = any ((select app_hidden.managed_community_ids())::uuid[]));
drop policy if exists delete_organisers on app_public.competitions;
create policy delete_organisers on app_public.competitions for delete
  using (status = 'draft' and ((community_id is null and (select app_public.current_user_is_admin()))
    or community_id = any ((select app_hidden.managed_community_ids())::uuid[])));
revoke all on app_public.competitions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.competitions to :DATABASE_ANONYMOUS;
grant update (title, rules_md, capacity, starts_at, ends_at) on app_public.competitions to :DATABASE_VISITOR;
grant delete on app_public.competitions to :DATABASE_VISITOR;

-- app_public.competition_rounds: with the competition; its organisers add,
-- change and remove rounds until it starts.
alter table app_public.competition_rounds enable row level security;
drop policy if exists select_visible on app_public.competition_rounds;
create policy select_visible on app_public.competition_rounds for select
  using (exists (select 1 from app_public.competitions c where c.id = competition_id));
drop policy if exists insert_organisers on app_public.competition_rounds;
create policy insert_organisers on app_public.competition_rounds for insert
  with check (app_hidden.may_organise_competition(competition_id));
drop policy if exists update_organisers on app_public.competition_rounds;
create policy update_organisers on app_public.competition_rounds for update
  using (app_hidden.may_organise_competition(competition_id))
  with check (app_hidden.may_organise_competition(competition_id));
drop policy if exists delete_organisers on app_public.competition_rounds;
create policy delete_organisers on app_public.competition_rounds for delete
  using (app_hidden.may_organise_competition(competition_id));
revoke all on app_public.competition_rounds from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.competition_rounds to :DATABASE_ANONYMOUS;
grant insert (competition_id, position, title, scoring, weight, opens_at, closes_at) on app_public.competition_rounds to :DATABASE_VISITOR;
grant update (position, title, scoring, weight, opens_at, closes_at) on app_public.competition_rounds to :DATABASE_VISITOR;
grant delete on app_public.competition_rounds to :DATABASE_VISITOR;

-- app_public.competition_participants: with the competition, to signed-in
-- users. Written only by join_competition and leave_competition.
alter table app_public.competition_participants enable row level security;
drop policy if exists select_visible on app_public.competition_participants;
create policy select_visible on app_public.competition_participants for select
  using (exists (select 1 from app_public.competitions c where c.id = competition_id));
revoke all on app_public.competition_participants from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.competition_participants to :DATABASE_VISITOR;

-- app_public.competition_scores: with the competition, to signed-in users.
-- Written only by submit_score and the streak trigger.
alter table app_public.competition_scores enable row level security;
drop policy if exists select_visible on app_public.competition_scores;
create policy select_visible on app_public.competition_scores for select
  using (exists (select 1 from app_public.competitions c where c.id = competition_id));
revoke all on app_public.competition_scores from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.competition_scores to :DATABASE_VISITOR;

-- app_public.competition_rewards: with the competition; its organisers set
-- them until it starts.
alter table app_public.competition_rewards enable row level security;
drop policy if exists select_visible on app_public.competition_rewards;
create policy select_visible on app_public.competition_rewards for select
  using (exists (select 1 from app_public.competitions c where c.id = competition_id));
drop policy if exists insert_organisers on app_public.competition_rewards;
create policy insert_organisers on app_public.competition_rewards for insert
  with check (app_hidden.may_organise_competition(competition_id));
drop policy if exists update_organisers on app_public.competition_rewards;
create policy update_organisers on app_public.competition_rewards for update
  using (app_hidden.may_organise_competition(competition_id))
  with check (app_hidden.may_organise_competition(competition_id));
drop policy if exists delete_organisers on app_public.competition_rewards;
create policy delete_organisers on app_public.competition_rewards for delete
  using (app_hidden.may_organise_competition(competition_id));
revoke all on app_public.competition_rewards from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.competition_rewards to :DATABASE_ANONYMOUS;
grant insert (competition_id, placement_from, placement_to, points, item_id) on app_public.competition_rewards to :DATABASE_VISITOR;
grant update (placement_from, placement_to, points, item_id) on app_public.competition_rewards to :DATABASE_VISITOR;
grant delete on app_public.competition_rewards to :DATABASE_VISITOR;

-- app_public.competition_reward_grants: the winner's own, and administrators'.
-- Written only by the finalisation.
alter table app_public.competition_reward_grants enable row level security;
drop policy if exists select_own_or_admin on app_public.competition_reward_grants;
create policy select_own_or_admin on app_public.competition_reward_grants for select
  using (user_id = (select app_public.current_user_id()) or (select app_public.current_user_is_admin()));
revoke all on app_public.competition_reward_grants from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.competition_reward_grants to :DATABASE_VISITOR;

-- app_private.competition_round_totals: derived standings, the owner's alone.
alter table app_private.competition_round_totals enable row level security;
drop policy if exists no_visitor_access on app_private.competition_round_totals;
create policy no_visitor_access on app_private.competition_round_totals as restrictive using (false);
revoke all on app_private.competition_round_totals from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
--! EndIncluded competitions/policies.sql
--! Included competitions/comments.sql
-- Comments of the competitions domain: the documentation Ruru shows.

comment on table app_public.competitions is
  E'@behavior -insert\nA contest over a window of time: global (run by administrators) or of a community (run by its admins and founder). Made with createCompetition, opened with scheduleCompetition; the database starts and ends it on time. Organisers edit the title, rules, capacity and times until it starts, and delete a draft.';
comment on column app_public.competitions.community_id is E'@behavior +filterBy\nThe community it belongs to; none for a global competition.';
comment on column app_public.competitions.title is 'What it is called (3 to 120 characters).';
comment on column app_public.competitions.rules_md is 'The rules, in Markdown.';
comment on column app_public.competitions.capacity is 'How many may take part; no limit when empty.';
comment on column app_public.competitions.starts_at is 'When it starts: entries close, rounds may open. Fixed once it has started.';
comment on column app_public.competitions.ends_at is 'When it ends; the rewards are awarded shortly after.';
comment on column app_public.competitions.status is
  E'@behavior +filterBy\ndraft (organisers only), scheduled (open for entries), active, finished or cancelled. Moves with scheduleCompetition, cancelCompetition and the clock.';
comment on column app_public.competitions.participant_count is 'How many take part, kept by the database.';
comment on column app_public.competitions.created_by is 'Who made it.';
comment on column app_public.competitions.finalised_at is 'When its rewards were awarded.';
comment on constraint competition_window_ordered on app_public.competitions is 'A competition ends after it starts.';
comment on constraint competition_participant_count_within_capacity on app_public.competitions is
  'The capacity cannot go below the number already taking part.';
comment on constraint competition_title_length on app_public.competitions is 'A title has 3 to 120 characters.';
comment on constraint competition_capacity_range on app_public.competitions is 'A capacity is between 2 and 1,000,000.';

comment on table app_public.competition_rounds is
  'A scored part of a competition, open between opens_at and closes_at (within the competition''s window). Organisers add, change and remove rounds until the competition starts.';
comment on column app_public.competition_rounds.position is 'Its place in the competition (1 to 100, one round per place).';
comment on column app_public.competition_rounds.scoring is
  'How a participant''s scores in the round count: sum, max, average (to two decimals), count (how many) or streak (the longest run of days with a ritual kept while the round is open, computed by the database).';
comment on column app_public.competition_rounds.weight is 'How much the round counts overall: the overall score is the sum of weight × round score.';
comment on column app_public.competition_rounds.opens_at is 'When scores start to count.';
comment on column app_public.competition_rounds.closes_at is 'When the round closes (scores are taken until then, not at that moment).';
comment on constraint round_window_ordered on app_public.competition_rounds is 'A round closes after it opens.';
comment on constraint round_position_unique on app_public.competition_rounds is 'One round per position in a competition.';
comment on constraint round_weight_positive on app_public.competition_rounds is 'A weight is above zero.';
comment on constraint round_competition_key on app_public.competition_rounds is E'@behavior -single -update -delete\nKeeps scores with a round of their own competition.';

comment on table app_public.competition_participants is
  E'@behavior -insert -update -delete\nWho takes part in a competition. Enter with joinCompetition and leave with leaveCompetition, both only until it starts.';
comment on column app_public.competition_participants.joined_at is 'When they entered.';

comment on table app_public.competition_scores is
  E'@behavior -insert -update -delete\nScores of participants in rounds: submitted with submitScore while a round is open, or computed by the database for streak rounds. competitionLeaderboard ranks them.';
comment on column app_public.competition_scores.value is 'The score.';
comment on column app_public.competition_scores.is_computed is 'Computed by the database (a streak), not submitted.';
comment on column app_public.competition_scores.submitted_at is 'When it was submitted (or last recomputed).';
comment on constraint score_value_range on app_public.competition_scores is 'A score is between -1,000,000 and 1,000,000.';

comment on table app_public.competition_rewards is
  'What a placement range wins: points or a marketplace item. Participants whose overall rank falls in the range (ties share a place) and who scored at all win it when the competition is finalised. Organisers set them until it starts.';
comment on column app_public.competition_rewards.placement_from is 'The best placement that wins it (1 is first).';
comment on column app_public.competition_rewards.placement_to is 'The last placement that wins it.';
comment on column app_public.competition_rewards.points is 'Points won (or an item).';
comment on column app_public.competition_rewards.item_id is 'A marketplace item won (or points).';
comment on constraint reward_placement_ordered on app_public.competition_rewards is 'placement_to is not before placement_from.';
comment on constraint reward_points_or_item on app_public.competition_rewards is 'A reward is either points or an item.';
comment on constraint reward_placement_positive on app_public.competition_rewards is 'Placements start at 1.';
comment on constraint reward_points_positive on app_public.competition_rewards is 'A points reward is above zero.';

comment on table app_public.competition_reward_grants is
  E'@behavior -insert -update -delete\nA reward won: readable by the winner and administrators. Made once per reward and winner when the competition is finalised.';
comment on column app_public.competition_reward_grants.placement is 'The overall rank it was won with.';
comment on column app_public.competition_reward_grants.status is 'pending, fulfilled (points credited or item given) or failed (see detail).';
comment on column app_public.competition_reward_grants.detail is 'Why a fulfilment failed (e.g. the item was out of stock).';
comment on column app_public.competition_reward_grants.point_transaction_id is 'The ledger entry that paid a points reward.';
comment on column app_public.competition_reward_grants.purchase_id is 'The (free) purchase that gave an item reward.';
comment on constraint reward_grant_once on app_public.competition_reward_grants is E'@behavior -single -update -delete\nOne grant per reward and winner.';

comment on type app_public.leaderboard_row is 'A line of a competition''s leaderboard.';
comment on column app_public.leaderboard_row.rank is 'The place: ties share one, and the next place skips (1, 1, 3).';
comment on column app_public.leaderboard_row.user_id is 'The participant.';
comment on column app_public.leaderboard_row.username is 'Their username.';
comment on column app_public.leaderboard_row.display_name is 'Their display name.';
comment on column app_public.leaderboard_row.score is 'Their score: in the round, or overall (the sum of weight × round score).';
comment on column app_public.leaderboard_row.entries is 'How many scores count towards it.';

comment on function app_public.create_competition(text, timestamptz, timestamptz, uuid, text, int) is
  'Makes a draft competition: global (administrators) or of a community (its admins and founder). Errors: DNIED, COMRL, NOFND, BADIN.';
comment on function app_public.schedule_competition(uuid) is
  'Opens a draft for entries; it then starts and ends on time by itself. It must start in the future and have a round. Errors: BADIN, DNIED, COMRL, NOFND.';
comment on function app_public.cancel_competition(uuid) is 'Calls off a competition that has not finished. Errors: BADIN, DNIED, COMRL, NOFND.';
comment on function app_public.join_competition(uuid) is
  'Enters a scheduled competition before it starts (a community''s: members only). Entering again returns your entry. Errors: CSTRT (started or not open), CFULL (no places left), COMRL, NOFND.';
comment on function app_public.leave_competition(uuid) is 'Withdraws your entry before the start (false when you had none). Errors: CSTRT, NOFND.';
comment on function app_public.submit_score(uuid, numeric) is
  'Adds a score of yours to an open round of an active competition you take part in. Errors: RNDCL (the round is not open), RNDCM (a streak round: computed from your rituals), DNIED (not a participant), NOFND.';
comment on function app_public.competition_leaderboard(uuid, uuid) is
  'The standings of a competition you may see: every participant, ranked by their overall score (the sum of weight × round score) or, given a round, by their score in it; ties share a place (1, 1, 3). Ordered by rank, then username. People across a block from you are left out, the ranks unchanged.';
comment on column app_public.competition_participants.score is 'Their overall score so far: the sum over rounds of the round''s weight × their round score. Kept by the database.';
comment on column app_public.competition_participants.entries is 'How many scores they have.';
comment on table app_private.competition_round_totals is 'Each participant''s sum, best and count of scores per round, kept by a trigger for the leaderboard.';
--! EndIncluded competitions/comments.sql
--! Included achievements/functions.sql
-- Functions of the achievements domain: progress towards each rule, the
-- awards it earns (exactly once), and what profiles show of them.

-- Whether an event is a level (the highest value reached counts: a ritual
-- streak, a friend count) rather than a count that adds up.
create or replace function app_hidden.achievement_event_is_level(event app_public.achievement_event) returns boolean as $$
  select event in ('ritual_streak', 'friend_count');
$$ language sql immutable parallel safe;
comment on function app_hidden.achievement_event_is_level(app_public.achievement_event) is
  'True for events whose progress is the highest level reached (streaks, friend counts); the others add up.';
grant execute on function app_hidden.achievement_event_is_level(app_public.achievement_event) to :DATABASE_ANONYMOUS;

-- The achievements the current user earned, for the definitions policy:
-- called once per statement (wrapped in a scalar subquery). Definer, so the
-- policy never queries user_achievements, whose own policy would query back.
create or replace function app_hidden.earned_achievement_codes(user_id uuid) returns text[] as $$
  select coalesce(array_agg(a.achievement_code), '{}') from app_public.user_achievements a
  where a.user_id = earned_achievement_codes.user_id and earned_achievement_codes.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.earned_achievement_codes(uuid) is 'The codes of the achievements a user earned (the current user only).';
grant execute on function app_hidden.earned_achievement_codes(uuid) to :DATABASE_ANONYMOUS;

-- The secret definitions, for the user_achievements policy: another user's
-- award of a secret achievement stays theirs (its code would give it away).
create or replace function app_hidden.secret_achievement_codes() returns text[] as $$
  select coalesce(array_agg(d.code), '{}') from app_public.achievement_definitions d where d.is_secret;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.secret_achievement_codes() is 'The codes of the secret achievements.';
grant execute on function app_hidden.secret_achievement_codes() to :DATABASE_ANONYMOUS;

-- The one rule for showing a user's achievements to someone else: they may
-- see the profile, and its owner shows achievements.
create or replace function app_hidden.shows_achievements(user_id uuid) returns boolean as $$
  select app_hidden.can_see_profile(shows_achievements.user_id)
    and coalesce((select p.show_achievements from app_public.privacy_settings p where p.user_id = shows_achievements.user_id), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.shows_achievements(uuid) is 'Whether a user''s profile shows their achievements to the current viewer.';
grant execute on function app_hidden.shows_achievements(uuid) to :DATABASE_ANONYMOUS;

-- Awards every achievement of `event` whose threshold `progress` reaches and
-- that the user does not hold yet. The primary key (user, code) decides:
-- only the insert that wrote the row pays the points, records the activity
-- and notifies, so a rule crossed by concurrent transactions (or met again)
-- pays once. Returns the awards written now.
create or replace function app_private.award_achievements(user_id uuid, event app_public.achievement_event, progress int)
returns setof app_public.user_achievements as $$
#variable_conflict use_column
declare
  v_definition app_public.achievement_definitions;
  v_award app_public.user_achievements;
begin
  for v_definition in
    select d.* from app_public.achievement_definitions d
    where d.event = award_achievements.event and d.threshold <= award_achievements.progress
      and not exists (select 1 from app_public.user_achievements a
        where a.user_id = award_achievements.user_id and a.achievement_code = d.code)
    order by d.threshold, d.code
  loop
    insert into app_public.user_achievements as a (user_id, achievement_code)
      values (award_achievements.user_id, v_definition.code)
      on conflict (user_id, achievement_code) do nothing
      returning a.* into v_award;
    continue when not found;
    if v_definition.points > 0 then
      perform app_private.post_points(award_achievements.user_id, v_definition.points, 'achievement', 'user_achievement', v_award.id,
        v_definition.title);
    end if;
    -- A secret achievement stays between the user and the database.
    perform app_private.record_activity(award_achievements.user_id, 'achievements.earned', 'achievement', v_award.id,
      jsonb_build_object('achievement_title', v_definition.title, 'tier', v_definition.tier),
      'achievement:' || v_definition.code, null,
      case when v_definition.is_secret then 'private'::app_public.activity_visibility end);
    perform app_private.notify(award_achievements.user_id, 'achievements.earned', jsonb_build_object(
      'username', (select u.username from app_public.users u where u.id = award_achievements.user_id),
      'achievement_title', v_definition.title, 'tier', v_definition.tier, 'points', v_definition.points),
      'achievement:' || v_definition.code);
    return next v_award;
  end loop;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.award_achievements(uuid, app_public.achievement_event, int) is
  'Awards the achievements of an event that a progress reaches, each once: points, an activity event and a notification per new award.';

-- Moves a user's progress on an event: a level keeps the highest value seen,
-- a count adds `amount`. The upsert locks the user's progress row, so
-- concurrent events of one user take turns and each sees the progress the
-- one before it left; then the awards that progress reaches.
create or replace function app_private.advance_achievements(user_id uuid, event app_public.achievement_event, amount int)
returns setof app_public.user_achievements as $$
#variable_conflict use_column
declare
  v_progress int;
begin
  if amount is null or amount <= 0 then
    return;
  end if;
  insert into app_public.achievement_progress as p (user_id, event, progress)
    values (advance_achievements.user_id, advance_achievements.event, advance_achievements.amount)
    on conflict (user_id, event) do update set
      progress = case when app_hidden.achievement_event_is_level(p.event) then greatest(p.progress, excluded.progress)
        else p.progress + excluded.progress end,
      updated_at = case when app_hidden.achievement_event_is_level(p.event) and p.progress >= excluded.progress
        then p.updated_at else now() end
    returning p.progress into v_progress;
  return query select * from app_private.award_achievements(advance_achievements.user_id, advance_achievements.event, v_progress);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.advance_achievements(uuid, app_public.achievement_event, int) is
  'Records progress on an event (levels keep the highest, counts add up) and awards what it reaches; returns the new awards.';

-- What a profile shows: the achievements earned and the competition places
-- rewarded, newest first. The owner sees all of theirs; anyone else only
-- when they may see the profile and its owner shows achievements, and then
-- neither secret achievements nor places in competitions they may not see.
create or replace function app_public.users_badges(u app_public.users) returns setof app_public.badge as $$
  select b.kind, b.code, b.title, b.tier, b.competition_id, b.placement, b.awarded_at from (
    select 'achievement'::text as kind, d.code, d.title, d.tier, null::uuid as competition_id, null::int as placement, a.awarded_at,
      d.is_secret, null::uuid as community_id
    from app_public.user_achievements a
    join app_public.achievement_definitions d on d.code = a.achievement_code
    where a.user_id = u.id
    union all
    -- One badge per competition: a place may carry several rewards (points and an item).
    select * from (
      select distinct on (g.competition_id) 'competition'::text, null::text, c.title,
        case g.placement when 1 then 'gold' when 2 then 'silver' when 3 then 'bronze' end::app_public.achievement_tier,
        g.competition_id, g.placement, g.created_at, false, c.community_id
      from app_public.competition_reward_grants g
      join app_public.competitions c on c.id = g.competition_id
      where g.user_id = u.id
      order by g.competition_id, g.placement, g.created_at
    ) places
  ) b(kind, code, title, tier, competition_id, placement, awarded_at, is_secret, community_id)
  cross join (select u.id = app_public.current_user_id() as is_owner) v
  where v.is_owner or (not b.is_secret and (b.community_id is null or app_hidden.can_see_community(b.community_id))
    and app_hidden.shows_achievements(u.id))
  order by b.awarded_at desc, b.kind, b.code, b.competition_id;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_badges(app_public.users) is
  E'@behavior -connection +list\n@listSuffix omit\nAchievements earned and competition places won, newest first. Others see them only when your profile shows achievements (never your secret ones).';
grant execute on function app_public.users_badges(app_public.users) to :DATABASE_ANONYMOUS;

-- The current user's standing with every achievement they may know of:
-- every public one, and each secret one once earned.
create or replace function app_public.my_achievement_progress() returns setof app_public.achievement_standing as $$
  select d.code, d.title, d.description, d.tier, d.event, d.threshold, d.points, d.is_secret,
    coalesce(p.progress, 0), a.awarded_at
  from app_public.achievement_definitions d
  cross join (select app_public.current_user_id() as me) v
  left join app_public.achievement_progress p on p.user_id = v.me and p.event = d.event
  left join app_public.user_achievements a on a.user_id = v.me and a.achievement_code = d.code
  where v.me is not null and (not d.is_secret or a.awarded_at is not null)
  order by d.event, d.threshold, d.code;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.my_achievement_progress() is
  E'@behavior -connection +list\n@listSuffix omit\nYour progress towards each achievement (secret ones once earned): progress, threshold, and when it was awarded.';
grant execute on function app_public.my_achievement_progress() to :DATABASE_VISITOR;
--! EndIncluded achievements/functions.sql
--! Included achievements/triggers.sql
-- Trigger functions and triggers of the achievements domain: progress
-- follows the events each rule names, in the same transaction as the event,
-- and app_private.advance_achievements awards what it reaches (once).
-- Definers: the visitor who writes a journal entry may not write progress.

-- Streaks are rebuilt from scratch on every completion (rebuild_ritual_streaks):
-- once per statement, each user's longest run of those written is a level.
create or replace function app_private.tg_ritual_streaks__achievements() returns trigger as $$
begin
  perform app_private.advance_achievements(s.user_id, 'ritual_streak', max(s.length))
    from inserted s group by s.user_id order by s.user_id;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_streaks__achievements() is 'A ritual streak is a level of the ritual_streak achievements.';

-- The friend count kept by _500_counts (profiles), which fires before this
-- trigger and locks the user's counts row: friendships made concurrently
-- take turns there, and each sees the count the one before it left. An
-- unfriending changes nothing here: the highest count reached stays.
create or replace function app_private.tg_friendships__achievements() returns trigger as $$
begin
  perform app_private.advance_achievements(new.user_id, 'friend_count',
    (select c.friends_count from app_private.profile_counts c where c.user_id = new.user_id));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_friendships__achievements() is 'A friend count is a level of the friend_count achievements.';

-- Entries written count up, once per statement and user; an entry deleted
-- was still written.
create or replace function app_private.tg_journal_entries__achievements() returns trigger as $$
begin
  perform app_private.advance_achievements(e.user_id, 'journal_entries', count(*)::int)
    from inserted e group by e.user_id order by e.user_id;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_journal_entries__achievements() is 'Each journal entry written counts towards the journal_entries achievements.';

-- A purchase counts once, when it becomes fulfilled (a refund later does not
-- take it back).
create or replace function app_private.tg_marketplace_purchases__achievements() returns trigger as $$
begin
  if new.status = 'fulfilled' and (tg_op = 'INSERT' or old.status is distinct from 'fulfilled') then
    perform app_private.advance_achievements(new.user_id, 'purchases', 1);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_marketplace_purchases__achievements() is 'A fulfilled marketplace purchase counts towards the purchases achievements.';

-- A place in the top three counts once per competition, however many
-- rewards it carries (points and an item are two grants): the grants of one
-- statement are counted together, and a competition already counted for the
-- user (a grant of an earlier statement) is not counted again.
create or replace function app_private.tg_competition_reward_grants__achievements() returns trigger as $$
begin
  perform app_private.advance_achievements(n.user_id, 'podiums', count(distinct n.competition_id)::int)
    from inserted n
    where n.placement <= 3 and not exists (select 1 from app_public.competition_reward_grants g
      where g.user_id = n.user_id and g.competition_id = n.competition_id and g.placement <= 3
        and not exists (select 1 from inserted i where i.id = g.id))
    group by n.user_id order by n.user_id;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competition_reward_grants__achievements() is
  'A competition finished in the top three counts towards the podiums achievements.';

-- A definition added, or made easier, is awarded at once to everyone whose
-- progress already reaches it.
create or replace function app_private.tg_achievement_definitions__award_reached() returns trigger as $$
begin
  perform app_private.award_achievements(p.user_id, p.event, p.progress)
    from app_public.achievement_progress p
    where p.event = new.event and p.progress >= new.threshold
    order by p.user_id;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_achievement_definitions__award_reached() is
  'Awards a new or changed definition to the users whose progress already reaches it.';

create or replace trigger _550_achievements after insert on app_public.ritual_streaks
  referencing new table as inserted
  for each statement execute procedure app_private.tg_ritual_streaks__achievements();

create or replace trigger _550_achievements after insert on app_public.friendships
  for each row execute procedure app_private.tg_friendships__achievements();

create or replace trigger _550_achievements after insert on app_public.journal_entries
  referencing new table as inserted
  for each statement execute procedure app_private.tg_journal_entries__achievements();

create or replace trigger _550_achievements after insert or update of status on app_public.marketplace_purchases
  for each row execute procedure app_private.tg_marketplace_purchases__achievements();

create or replace trigger _550_achievements after insert on app_public.competition_reward_grants
  referencing new table as inserted
  for each statement execute procedure app_private.tg_competition_reward_grants__achievements();

create or replace trigger _500_award_reached after insert or update of event, threshold on app_public.achievement_definitions
  for each row execute procedure app_private.tg_achievement_definitions__award_reached();
--! EndIncluded achievements/triggers.sql
--! Included achievements/policies.sql
-- Row-level security and grants of the achievements tables: who may read and write what.
-- Progress and awards are written by triggers alone (triggers.sql); no client writes them.

-- app_public.achievement_definitions: everyone reads the public ones; a
-- secret one only those who earned it, and administrators, who manage them all.
alter table app_public.achievement_definitions enable row level security;
drop policy if exists select_visible on app_public.achievement_definitions;
create policy select_visible on app_public.achievement_definitions for select using (
  not is_secret
  or code = any ((select app_hidden.earned_achievement_codes(app_public.current_user_id()))::text[])
  or (select app_public.current_user_is_admin()));
drop policy if exists insert_admin on app_public.achievement_definitions;
create policy insert_admin on app_public.achievement_definitions for insert
  with check ((select app_public.current_user_is_admin()));
drop policy if exists update_admin on app_public.achievement_definitions;
create policy update_admin on app_public.achievement_definitions for update
  using ((select app_public.current_user_is_admin()))
  with check ((select app_public.current_user_is_admin()));
drop policy if exists delete_admin on app_public.achievement_definitions;
create policy delete_admin on app_public.achievement_definitions for delete
  using ((select app_public.current_user_is_admin()));
revoke all on app_public.achievement_definitions from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.achievement_definitions to :DATABASE_ANONYMOUS;
grant delete on app_public.achievement_definitions to :DATABASE_VISITOR;
grant insert (code, title, description, tier, event, threshold, points, is_secret) on app_public.achievement_definitions to :DATABASE_VISITOR;
grant update (title, description, tier, event, threshold, points, is_secret) on app_public.achievement_definitions to :DATABASE_VISITOR;

-- app_public.achievement_progress: your own.
alter table app_public.achievement_progress enable row level security;
drop policy if exists select_own on app_public.achievement_progress;
create policy select_own on app_public.achievement_progress for select
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.achievement_progress from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.achievement_progress to :DATABASE_VISITOR;

-- app_public.user_achievements: yours; another's when their profile shows
-- achievements to you (app_hidden.shows_achievements), secret ones never.
alter table app_public.user_achievements enable row level security;
drop policy if exists select_visible on app_public.user_achievements;
create policy select_visible on app_public.user_achievements for select using (
  user_id = (select app_public.current_user_id())
  or (not achievement_code = any ((select app_hidden.secret_achievement_codes())::text[])
    and app_hidden.shows_achievements(user_id)));
revoke all on app_public.user_achievements from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.user_achievements to :DATABASE_ANONYMOUS;
--! EndIncluded achievements/policies.sql
--! Included achievements/comments.sql
-- Comments on the achievements tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.achievement_tier is 'How hard an achievement is: bronze, silver, gold or platinum.';
comment on type app_public.achievement_event is
  'What an achievement''s rule counts: the longest ritual streak and the friend count are levels (the highest reached counts); journal entries, fulfilled purchases and podium places add up.';
comment on type app_public.badge is 'Something a profile shows off: an achievement earned (kind achievement) or a competition place rewarded (kind competition).';
comment on column app_public.badge.kind is 'achievement or competition.';
comment on column app_public.badge.code is 'The achievement''s code (null for a competition place).';
comment on column app_public.badge.title is 'The achievement''s title, or the competition''s.';
comment on column app_public.badge.tier is 'The achievement''s tier; for a competition place, gold, silver or bronze for the first three places.';
comment on column app_public.badge.competition_id is 'The competition placed in (null for an achievement).';
comment on column app_public.badge.placement is 'The place finished (null for an achievement).';
comment on column app_public.badge.awarded_at is 'When it was earned.';
comment on type app_public.achievement_standing is 'Where you stand with one achievement: its rule, your progress, and when it was awarded.';
comment on column app_public.achievement_standing.code is 'The achievement''s code.';
comment on column app_public.achievement_standing.title is 'The achievement''s title.';
comment on column app_public.achievement_standing.description is 'What earns it.';
comment on column app_public.achievement_standing.tier is 'How hard it is.';
comment on column app_public.achievement_standing.event is 'What its rule counts.';
comment on column app_public.achievement_standing.threshold is 'The progress that earns it.';
comment on column app_public.achievement_standing.points is 'The points it pays.';
comment on column app_public.achievement_standing.is_secret is 'A secret achievement (you see it once earned).';
comment on column app_public.achievement_standing.progress is 'Your progress on its event: the highest level reached, or the count so far.';
comment on column app_public.achievement_standing.awarded_at is 'When you earned it (null: not yet).';

comment on table app_public.achievement_definitions is
  'The achievements there are to earn, and their rules: reaching threshold on event earns it, once, with its points. Secret ones are shown only to those who earned them. Administrators manage them.';
comment on column app_public.achievement_definitions.code is 'The achievement''s stable code (3-40 lower-case letters, digits, underscores, starting with a letter).';
comment on column app_public.achievement_definitions.title is 'Its name (1-80 characters).';
comment on column app_public.achievement_definitions.description is 'What earns it (1-500 characters).';
comment on column app_public.achievement_definitions.tier is E'@behavior +filterBy +orderBy\nHow hard it is.';
comment on column app_public.achievement_definitions.event is E'@behavior +filterBy +orderBy\nWhat its rule counts.';
comment on column app_public.achievement_definitions.threshold is E'@behavior +orderBy\nThe progress on event that earns it (a streak length, a number of friends, of entries…).';
comment on column app_public.achievement_definitions.points is 'The points it pays when earned (0-100000).';
comment on column app_public.achievement_definitions.is_secret is 'Hidden until earned; its award never appears in others'' feeds or on your profile for others.';
comment on constraint achievement_code_format on app_public.achievement_definitions is 'A code is 3-40 lower-case letters, digits or underscores, starting with a letter.';
comment on constraint achievement_threshold_positive on app_public.achievement_definitions is 'A threshold is at least 1.';
comment on constraint achievement_points_range on app_public.achievement_definitions is 'Points are between 0 and 100000.';

comment on table app_public.achievement_progress is
  E'@behavior -insert -update -delete\nYour progress on each event achievements count, kept by the database as you keep rituals, make friends, write, buy and compete.';
comment on column app_public.achievement_progress.event is 'What is counted.';
comment on column app_public.achievement_progress.progress is 'The highest level reached (streaks, friends) or the count so far (entries, purchases, podiums).';
comment on column app_public.achievement_progress.updated_at is 'When the progress last moved.';
comment on constraint achievement_progress_user_id_fkey on app_public.achievement_progress is
  E'@fieldName user\n@foreignFieldName achievementProgress';

comment on table app_public.user_achievements is
  E'@behavior -insert -update -delete\nAchievements earned, each once, awarded by the database. Yours; others'' when their profile shows achievements to you (never their secret ones).';
comment on column app_public.user_achievements.achievement_code is 'The achievement earned.';
comment on column app_public.user_achievements.awarded_at is E'@behavior +orderBy\nWhen it was earned.';
comment on column app_public.user_achievements.id is 'The award''s id (its points in the ledger and its activity event name it).';
comment on constraint user_achievement_id_unique on app_public.user_achievements is
  E'@behavior -single -update -delete\nExists for the ledger and the feed, which name an award by its id; rows are fetched by user and code.';
comment on constraint user_achievements_user_id_fkey on app_public.user_achievements is
  E'@fieldName user\n@foreignFieldName achievements';
comment on constraint user_achievements_achievement_code_fkey on app_public.user_achievements is
  E'@fieldName achievement\n@foreignFieldName awards';
--! EndIncluded achievements/comments.sql
--! Included realtime/functions.sql
-- Functions of the realtime domain: the ordered log of what live
-- subscriptions stream, and the statements gateways read it with.

-- Every change a subscription streams is appended here by a deferred trigger,
-- at commit. The advisory lock, held from here until the transaction ends,
-- makes the order of seq the order of commits: a transaction takes its seq
-- only after every earlier writer has committed and become visible. So a
-- reader that has seen seq N has seen every seq below it, and "after N" is an
-- exact resume point. The lock covers only the commit tail of transactions
-- that write what is streamed. NOTIFY carries the seq alone: the log is the
-- truth, and a lost notification costs latency, never an event.
create or replace function app_private.realtime_publish(topic text, row_id uuid, audience uuid[]) returns void as $$
declare
  v_seq bigint;
begin
  perform pg_advisory_xact_lock(hashtext('app_private.realtime_log'));
  insert into app_private.realtime_log (topic, row_id, audience)
    values (realtime_publish.topic, realtime_publish.row_id, realtime_publish.audience)
    returning seq into v_seq;
  perform pg_notify('lifegraph_realtime', v_seq::text);
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.realtime_publish(text, uuid, uuid[]) is
  'Appends a change to the realtime log in commit order and wakes the gateways. Call it from deferred triggers only.';

-- What an activity event looks like on the wire, for everyone who may see
-- it: the event and who did it (shown with the event, as the feed does).
create or replace function app_private.realtime_activity_payload(e app_public.activity_events) returns jsonb as $$
  select jsonb_build_object('id', e.id, 'verb', e.verb, 'objectType', e.object_type, 'objectId', e.object_id,
    'metadata', e.metadata, 'visibility', e.visibility, 'createdAt', e.created_at,
    'actor', (select jsonb_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name, 'avatarUrl', u.avatar_url)
              from app_public.users u where u.id = e.actor_id));
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.realtime_activity_payload(app_public.activity_events) is 'An activity event as live subscriptions send it.';

-- One statement per batch of log rows for a whole gateway, whatever the
-- number of its subscribers: for each row after `after`, which of the
-- gateway's connected users receive it, and the payload. Activity events ask
-- the feed's own rule (app_hidden.can_see_event) for each viewer, at delivery
-- time, so an unfriend, a block or a changed event visibility applies to the
-- next event. The viewer's relations to the one actor stand in for the
-- viewer's whole friend and block lists: only the actor is tested against
-- them. `friends` and `followers` are the receivers who are the actor's
-- friends or followers, for the friends and following scopes.
create or replace function app_private.realtime_batch(after bigint, viewers uuid[], max_rows int)
returns table (seq bigint, topic text, actor_id uuid, visibility app_public.activity_visibility, payload jsonb,
  receivers uuid[], friends uuid[], followers uuid[]) as $$
  with rows as (
    select l.* from app_private.realtime_log l where l.seq > realtime_batch.after order by l.seq limit realtime_batch.max_rows
  )
  -- Activity: decided now, per viewer.
  select r.seq, r.topic, e.actor_id, e.visibility, app_private.realtime_activity_payload(e),
    coalesce(array(select v from unnest(realtime_batch.viewers) v
      where app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at, v,
        case when v = any (rel.friends) then array[e.actor_id] end,
        case when v = any (rel.block_peers) then array[e.actor_id] end,
        case when v = any (rel.members) then array[e.community_id] end)), '{}'),
    rel.friends, rel.followers
  from rows r
  join app_public.activity_events e on e.id = r.row_id
  cross join lateral (select
    array(select f.friend_id from app_public.friendships f where f.user_id = e.actor_id and f.friend_id = any (realtime_batch.viewers)) as friends,
    array(select f.follower_id from app_public.follows f where f.followee_id = e.actor_id and f.follower_id = any (realtime_batch.viewers)) as followers,
    array(select b.blocked_id from app_public.blocks b where b.blocker_id = e.actor_id and b.blocked_id = any (realtime_batch.viewers)
          union select b.blocker_id from app_public.blocks b where b.blocked_id = e.actor_id and b.blocker_id = any (realtime_batch.viewers)) as block_peers,
    array(select m.user_id from app_public.community_members m where m.community_id = e.community_id and m.user_id = any (realtime_batch.viewers)) as members
  ) rel
  where r.topic = 'activity'
  union all
  -- Leaderboards: a signal that a competition's standings moved, to everyone
  -- who may see the competition (global, a public community, or a member);
  -- the standings themselves are read with competitionLeaderboard, where each
  -- viewer's blocks apply.
  select r.seq, r.topic, null, null,
    jsonb_build_object('competitionId', k.id, 'participantCount', k.participant_count, 'status', k.status, 'changedAt', r.created_at),
    case when k.community_id is null or c.visibility = 'public' then realtime_batch.viewers
      else array(select m.user_id from app_public.community_members m where m.community_id = k.community_id and m.user_id = any (realtime_batch.viewers)) end,
    null, null
  from rows r join app_public.competitions k on k.id = r.row_id
  left join app_public.communities c on c.id = k.community_id
  where r.topic = 'leaderboard'
  union all
  -- Messages and receipts: the conversation's members (fixed when written).
  select r.seq, r.topic, null, null,
    case r.topic
      when 'message' then (select jsonb_build_object('kind', 'MESSAGE', 'conversationId', m.conversation_id, 'message',
          jsonb_build_object('id', m.id, 'conversationId', m.conversation_id, 'senderId', m.sender_id, 'bodyMd', m.body_md, 'createdAt', m.created_at))
        from app_public.direct_messages m where m.id = r.row_id and m.deleted_at is null)
      else (select jsonb_build_object('kind', 'RECEIPT', 'conversationId', r.row_id, 'receipt',
          jsonb_build_object('conversationId', cm.conversation_id, 'userId', cm.user_id, 'deliveredUpTo', cm.delivered_up_to, 'readUpTo', cm.read_up_to))
        from app_public.conversation_members cm where cm.conversation_id = r.row_id and cm.user_id = r.audience[1])
    end,
    array(select v from unnest(r.audience) v where v = any (realtime_batch.viewers)), null, null
  from rows r where r.topic in ('message', 'receipt')
  union all
  -- Notifications: their one user, with the count they now have unread.
  select r.seq, r.topic, null, null,
    jsonb_build_object('notification', jsonb_build_object('id', n.id, 'type', n.type, 'title', n.title, 'body', n.body, 'createdAt', n.created_at),
      'unreadCount', (select count(*) from app_public.notifications u
        where u.user_id = n.user_id and u.read_at is null and u.archived_at is null and (u.expires_at is null or u.expires_at > now()))),
    array[n.user_id], null, null
  from rows r join app_public.notifications n on n.id = r.row_id
  where r.topic = 'notification' and n.user_id = any (realtime_batch.viewers)
  order by 1;
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.realtime_batch(bigint, uuid[], int) is
  'The next log rows after a seq, each with the connected users who receive it and its payload: one statement per batch for a whole gateway.';

-- Replay for one subscriber who resumes: the activity events after a seq, up
-- to the seq the gateway has streamed to, that the current user may see in a
-- feed scope. One more row than asked for says there are too many; a resume
-- point older than the log keeps is answered with refetch.
create or replace function app_hidden.realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows int)
returns table (seq bigint, payload jsonb, refetch boolean) as $$
  with me as (
    select app_public.current_user_id() as id,
      (select app_hidden.friend_ids(app_public.current_user_id())) as friends,
      (select app_hidden.followee_ids(app_public.current_user_id())) as followees,
      (select app_hidden.block_peer_ids(app_public.current_user_id())) as block_peers,
      (select app_hidden.community_ids(app_public.current_user_id())) as communities
  )
  select up_to, null, true
  where realtime_activity_replay.after < coalesce((select min(l.seq) from app_private.realtime_log l), realtime_activity_replay.up_to + 1) - 1
  union all
  (select l.seq, app_private.realtime_activity_payload(e), false
  from me, app_private.realtime_log l join app_public.activity_events e on e.id = l.row_id
  where me.id is not null and l.topic = 'activity' and l.seq > realtime_activity_replay.after and l.seq <= realtime_activity_replay.up_to
    and app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at, me.id, me.friends, me.block_peers, me.communities)
    and case realtime_activity_replay.scope
      when 'friends' then e.actor_id = any (me.friends)
      when 'following' then e.actor_id = any (me.followees)
      when 'me' then e.actor_id = me.id
      else e.visibility = 'public' end
  order by l.seq
  limit realtime_activity_replay.max_rows + 1);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.realtime_activity_replay(app_public.feed_filter, bigint, bigint, int) is
  'The activity events a resuming subscriber missed, in log order: max_rows + 1 rows mean too many (refetch).';
grant execute on function app_hidden.realtime_activity_replay(app_public.feed_filter, bigint, bigint, int) to :DATABASE_VISITOR;

-- The sessions among those given that have ended (revoked or expired): a
-- gateway closes their sockets. One statement for all of a gateway's sockets.
create or replace function app_private.realtime_ended_sessions(session_ids uuid[]) returns setof uuid as $$
  select s.id from unnest(session_ids) s(id)
  where not exists (select 1 from app_private.sessions x where x.id = s.id and x.revoked_at is null and x.expires_at > now());
$$ language sql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.realtime_ended_sessions(uuid[]) is 'Which of these sessions ended: their live sockets are closed.';

-- The log is a window for resuming, not an archive: the events themselves
-- stay in their tables.
create or replace function app_private.realtime_prune(keep interval) returns int as $$
  with gone as (delete from app_private.realtime_log where created_at < now() - keep returning 1)
  select count(*)::int from gone;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.realtime_prune(interval) is 'Drops log rows older than `keep`; a subscriber resuming from before them is told to refetch.';
--! EndIncluded realtime/functions.sql
--! Included realtime/triggers.sql
-- Trigger functions and triggers of the realtime domain: what is streamed
-- live is logged at commit (deferred constraint triggers), so a rolled-back
-- change is never announced and the log's order is the commit order.

create or replace function app_private.tg_activity_events__realtime() returns trigger as $$
begin
  perform app_private.realtime_publish('activity', new.id, null);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_activity_events__realtime() is 'A new activity event is streamed; who sees it is decided at delivery.';
drop trigger if exists _900_realtime on app_public.activity_events;
create constraint trigger _900_realtime after insert on app_public.activity_events
  deferrable initially deferred for each row execute function app_private.tg_activity_events__realtime();

create or replace function app_private.tg_direct_messages__realtime() returns trigger as $$
begin
  perform app_private.realtime_publish('message', new.id,
    array(select m.user_id from app_public.conversation_members m where m.conversation_id = new.conversation_id));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_direct_messages__realtime() is 'A new message is streamed to both members (the sender''s other devices too).';
drop trigger if exists _900_realtime on app_public.direct_messages;
create constraint trigger _900_realtime after insert on app_public.direct_messages
  deferrable initially deferred for each row execute function app_private.tg_direct_messages__realtime();

-- A receipt names the conversation; the member whose receipt moved comes
-- first in the audience, the other members after.
create or replace function app_private.tg_conversation_members__realtime() returns trigger as $$
begin
  perform app_private.realtime_publish('receipt', new.conversation_id,
    array[new.user_id] || array(select m.user_id from app_public.conversation_members m
      where m.conversation_id = new.conversation_id and m.user_id <> new.user_id));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_conversation_members__realtime() is 'A moved delivered or read mark is streamed to the conversation''s members.';
drop trigger if exists _900_realtime on app_public.conversation_members;
create constraint trigger _900_realtime after update of delivered_up_to, read_up_to on app_public.conversation_members
  deferrable initially deferred for each row
  when (new.delivered_up_to is distinct from old.delivered_up_to or new.read_up_to is distinct from old.read_up_to)
  execute function app_private.tg_conversation_members__realtime();

create or replace function app_private.tg_notifications__realtime() returns trigger as $$
begin
  perform app_private.realtime_publish('notification', new.id, array[new.user_id]);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_notifications__realtime() is 'A new in-app notification is streamed to its user.';
drop trigger if exists _900_realtime on app_public.notifications;
create constraint trigger _900_realtime after insert on app_public.notifications
  deferrable initially deferred for each row execute function app_private.tg_notifications__realtime();

-- One signal per competition and transaction, however many scores it wrote
-- (a transaction-local setting remembers which competitions it announced).
create or replace function app_private.tg_competition_scores__realtime() returns trigger as $$
declare
  v_competition uuid := coalesce(new.competition_id, old.competition_id);
  v_flag text := 'lifegraph.leaderboard_' || replace(v_competition::text, '-', '');
begin
  if current_setting(v_flag, true) is distinct from 'published' then
    perform set_config(v_flag, 'published', true);
    perform app_private.realtime_publish('leaderboard', v_competition, null);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_competition_scores__realtime() is 'A competition whose scores changed is announced once per transaction to those who may see it.';
drop trigger if exists _900_realtime on app_public.competition_scores;
create constraint trigger _900_realtime after insert or update or delete on app_public.competition_scores
  deferrable initially deferred for each row execute function app_private.tg_competition_scores__realtime();
--! EndIncluded realtime/triggers.sql
--! Included realtime/policies.sql
-- Row-level security of the realtime tables. The log is read by gateways as
-- the owner (app_private.realtime_batch) and by resuming subscribers only
-- through app_hidden.realtime_activity_replay.

-- app_private.realtime_log
alter table app_private.realtime_log enable row level security;
drop policy if exists no_visitor_access on app_private.realtime_log;
create policy no_visitor_access on app_private.realtime_log as restrictive using (false);
revoke all on app_private.realtime_log from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
--! EndIncluded realtime/policies.sql

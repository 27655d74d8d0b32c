--
-- lifegraph's schemas after the last committed migration (npm run db:dump).
-- Generated: edit migrations/current.sql and the fixtures, never this file.
--
-- PostgreSQL database dump
--

--
-- Name: app_hidden; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA app_hidden;

--
-- Name: SCHEMA app_hidden; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA app_hidden IS 'Usable by the visitor but not exposed in GraphQL.';

--
-- Name: app_private; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA app_private;

--
-- Name: SCHEMA app_private; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA app_private IS 'Secrets and internal functions: no visitor access at all.';

--
-- Name: app_public; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA app_public;

--
-- Name: SCHEMA app_public; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA app_public IS 'Exposed through GraphQL; every table is guarded by row-level security.';

--
-- Name: auth_result; Type: TYPE; Schema: app_private; Owner: -
--

CREATE TYPE app_private.auth_result AS (
	outcome text,
	user_id uuid,
	session_id uuid,
	refresh_token text
);

--
-- Name: notification_channel; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.notification_channel AS ENUM (
    'in_app',
    'email',
    'push',
    'webhook'
);

--
-- Name: TYPE notification_channel; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.notification_channel IS 'Where a notification goes: the app itself, email, web push, or your webhooks.';

--
-- Name: delivery_claim; Type: TYPE; Schema: app_private; Owner: -
--

CREATE TYPE app_private.delivery_claim AS (
	outcome text,
	delivery_id uuid,
	channel app_public.notification_channel,
	target_id uuid,
	attempt integer,
	type text,
	data jsonb,
	user_id uuid,
	username text,
	locale text,
	email text,
	template_subject text,
	template_body text
);

--
-- Name: achievement_event; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.achievement_event AS ENUM (
    'ritual_streak',
    'friend_count',
    'journal_entries',
    'purchases',
    'podiums'
);

--
-- Name: TYPE achievement_event; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.achievement_event IS 'What an achievement''s rule counts: the longest ritual streak and the friend count are levels (the highest reached counts); journal entries, fulfilled purchases and podium places add up.';

--
-- Name: achievement_tier; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.achievement_tier AS ENUM (
    'bronze',
    'silver',
    'gold',
    'platinum'
);

--
-- Name: TYPE achievement_tier; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.achievement_tier IS 'How hard an achievement is: bronze, silver, gold or platinum.';

--
-- Name: achievement_standing; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.achievement_standing AS (
	code text,
	title text,
	description text,
	tier app_public.achievement_tier,
	event app_public.achievement_event,
	threshold integer,
	points integer,
	is_secret boolean,
	progress integer,
	awarded_at timestamp with time zone
);

--
-- Name: TYPE achievement_standing; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.achievement_standing IS 'Where you stand with one achievement: its rule, your progress, and when it was awarded.';

--
-- Name: COLUMN achievement_standing.code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.code IS 'The achievement''s code.';

--
-- Name: COLUMN achievement_standing.title; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.title IS 'The achievement''s title.';

--
-- Name: COLUMN achievement_standing.description; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.description IS 'What earns it.';

--
-- Name: COLUMN achievement_standing.tier; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.tier IS 'How hard it is.';

--
-- Name: COLUMN achievement_standing.event; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.event IS 'What its rule counts.';

--
-- Name: COLUMN achievement_standing.threshold; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.threshold IS 'The progress that earns it.';

--
-- Name: COLUMN achievement_standing.points; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.points IS 'The points it pays.';

--
-- Name: COLUMN achievement_standing.is_secret; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.is_secret IS 'A secret achievement (you see it once earned).';

--
-- Name: COLUMN achievement_standing.progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.progress IS 'Your progress on its event: the highest level reached, or the count so far.';

--
-- Name: COLUMN achievement_standing.awarded_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_standing.awarded_at IS 'When you earned it (null: not yet).';

--
-- Name: activity_visibility; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.activity_visibility AS ENUM (
    'public',
    'friends',
    'community',
    'private'
);

--
-- Name: TYPE activity_visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.activity_visibility IS 'Who may see an activity: anyone, your friends, a community, or only you.';

--
-- Name: api_key_scope; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.api_key_scope AS ENUM (
    'READ',
    'WRITE'
);

--
-- Name: TYPE api_key_scope; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.api_key_scope IS 'READ keys run every request in a read-only transaction; WRITE keys may change data.';

--
-- Name: audience; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.audience AS ENUM (
    'public',
    'friends',
    'private'
);

--
-- Name: TYPE audience; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.audience IS 'Who may see it: anyone (public), your friends, or only you (private).';

--
-- Name: badge; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.badge AS (
	kind text,
	code text,
	title text,
	tier app_public.achievement_tier,
	competition_id uuid,
	placement integer,
	awarded_at timestamp with time zone
);

--
-- Name: TYPE badge; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.badge IS 'Something a profile shows off: an achievement earned (kind achievement) or a competition place rewarded (kind competition).';

--
-- Name: COLUMN badge.kind; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.kind IS 'achievement or competition.';

--
-- Name: COLUMN badge.code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.code IS 'The achievement''s code (null for a competition place).';

--
-- Name: COLUMN badge.title; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.title IS 'The achievement''s title, or the competition''s.';

--
-- Name: COLUMN badge.tier; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.tier IS 'The achievement''s tier; for a competition place, gold, silver or bronze for the first three places.';

--
-- Name: COLUMN badge.competition_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.competition_id IS 'The competition placed in (null for an achievement).';

--
-- Name: COLUMN badge.placement; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.placement IS 'The place finished (null for an achievement).';

--
-- Name: COLUMN badge.awarded_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.badge.awarded_at IS 'When it was earned.';

--
-- Name: commitment_outcome; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.commitment_outcome AS ENUM (
    'pending',
    'kept',
    'broken'
);

--
-- Name: TYPE commitment_outcome; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.commitment_outcome IS 'Whether a commitment was kept: pending until it is due, then kept or broken.';

--
-- Name: community_join_policy; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.community_join_policy AS ENUM (
    'open',
    'approval',
    'invite'
);

--
-- Name: community_joined_via; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.community_joined_via AS ENUM (
    'invite',
    'discovery',
    'competition'
);

--
-- Name: community_metrics; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.community_metrics AS (
	day date,
	members integer,
	active_members integer,
	new_members integer,
	activity_events integer,
	competition_entries integer,
	points_spent bigint
);

--
-- Name: community_role; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.community_role AS ENUM (
    'member',
    'moderator',
    'admin',
    'founder'
);

--
-- Name: community_visibility; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.community_visibility AS ENUM (
    'public',
    'private'
);

--
-- Name: competition_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.competition_status AS ENUM (
    'draft',
    'scheduled',
    'active',
    'finished',
    'cancelled'
);

--
-- Name: created_api_key; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.created_api_key AS (
	api_key_id uuid,
	secret text
);

--
-- Name: TYPE created_api_key; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.created_api_key IS 'A new API key and its secret. The secret is never shown again.';

--
-- Name: data_export_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.data_export_status AS ENUM (
    'queued',
    'running',
    'ready',
    'failed',
    'expired'
);

--
-- Name: TYPE data_export_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.data_export_status IS 'queued: waiting for the worker; running: being built (see progress); ready: download it until expires_at; failed: see error, and ask again; expired: the archive is gone.';

--
-- Name: delivery_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.delivery_status AS ENUM (
    'pending',
    'held',
    'sending',
    'sent',
    'delivered',
    'opened',
    'bounced',
    'dead',
    'discarded',
    'skipped'
);

--
-- Name: TYPE delivery_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.delivery_status IS 'pending: waiting for its time; held: waiting for a digest; sending; sent (handed to the provider); delivered, opened or bounced (reported by the provider); dead (out of attempts); discarded (by an admin); skipped (nothing to send to).';

--
-- Name: digest_frequency; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.digest_frequency AS ENUM (
    'immediate',
    'hourly',
    'daily',
    'weekly'
);

--
-- Name: feed_filter; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.feed_filter AS ENUM (
    'friends',
    'following',
    'me',
    'public'
);

--
-- Name: TYPE feed_filter; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.feed_filter IS 'Whose events a feed shows: your friends'', those you follow, yours, or everyone''s public ones.';

--
-- Name: file_bucket; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.file_bucket AS ENUM (
    'attachments',
    'avatars',
    'exports'
);

--
-- Name: TYPE file_bucket; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.file_bucket IS 'Where a file lives, with its own rules (see storageBuckets).';

--
-- Name: file_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.file_status AS ENUM (
    'pending',
    'ready'
);

--
-- Name: TYPE file_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.file_status IS 'pending: the upload URL was handed out, the bytes have not all arrived; ready: stored and checked.';

--
-- Name: forgiveness_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.forgiveness_status AS ENUM (
    'open',
    'working',
    'released'
);

--
-- Name: TYPE forgiveness_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.forgiveness_status IS 'Where you are with it: open, working on it, or released.';

--
-- Name: friend_request_policy; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.friend_request_policy AS ENUM (
    'everyone',
    'friends_of_friends',
    'nobody'
);

--
-- Name: TYPE friend_request_policy; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.friend_request_policy IS 'Who may send you friend requests.';

--
-- Name: friend_request_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.friend_request_status AS ENUM (
    'pending',
    'accepted',
    'declined',
    'cancelled'
);

--
-- Name: TYPE friend_request_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.friend_request_status IS 'Where a friend request stands.';

--
-- Name: fulfillment_area_score; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.fulfillment_area_score AS (
	area_id integer,
	area_code text,
	weight numeric,
	score numeric,
	contribution numeric
);

--
-- Name: TYPE fulfillment_area_score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.fulfillment_area_score IS 'One area''s part in a global fulfillment score.';

--
-- Name: period_kind; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.period_kind AS ENUM (
    'day',
    'week',
    'month',
    'quarter'
);

--
-- Name: TYPE period_kind; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.period_kind IS 'A calendar period in the user''s time zone; weeks are ISO weeks (Monday first).';

--
-- Name: fulfillment_score; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.fulfillment_score AS (
	period_kind app_public.period_kind,
	period_start date,
	period_end date,
	score numeric,
	coverage numeric,
	areas app_public.fulfillment_area_score[]
);

--
-- Name: TYPE fulfillment_score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.fulfillment_score IS 'Global fulfillment score: the period''s area rollups weighted by your area weights. `coverage` is the share of weight that had scores; `score` is normalised over it.';

--
-- Name: goal_priority; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.goal_priority AS ENUM (
    'low',
    'medium',
    'high',
    'critical'
);

--
-- Name: TYPE goal_priority; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.goal_priority IS 'How much a goal matters now: low, medium, high or critical.';

--
-- Name: goal_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.goal_status AS ENUM (
    'planned',
    'active',
    'paused',
    'done',
    'dropped'
);

--
-- Name: TYPE goal_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.goal_status IS 'Where a goal stands: planned, active, paused, done or dropped.';

--
-- Name: interaction_kind; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.interaction_kind AS ENUM (
    'call',
    'visit',
    'message',
    'letter',
    'activity',
    'other'
);

--
-- Name: TYPE interaction_kind; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.interaction_kind IS 'How you were in touch.';

--
-- Name: join_request_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.join_request_status AS ENUM (
    'pending',
    'approved',
    'declined',
    'cancelled'
);

--
-- Name: leaderboard_row; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.leaderboard_row AS (
	rank integer,
	user_id uuid,
	username public.citext,
	display_name text,
	score numeric,
	entries integer
);

--
-- Name: TYPE leaderboard_row; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.leaderboard_row IS 'A line of a competition''s leaderboard.';

--
-- Name: COLUMN leaderboard_row.rank; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.leaderboard_row.rank IS 'The place: ties share one, and the next place skips (1, 1, 3).';

--
-- Name: COLUMN leaderboard_row.user_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.leaderboard_row.user_id IS 'The participant.';

--
-- Name: COLUMN leaderboard_row.username; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.leaderboard_row.username IS 'Their username.';

--
-- Name: COLUMN leaderboard_row.display_name; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.leaderboard_row.display_name IS 'Their display name.';

--
-- Name: COLUMN leaderboard_row.score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.leaderboard_row.score IS 'Their score: in the round, or overall (the sum of weight × round score).';

--
-- Name: COLUMN leaderboard_row.entries; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.leaderboard_row.entries IS 'How many scores count towards it.';

--
-- Name: message_policy; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.message_policy AS ENUM (
    'friends',
    'everyone',
    'nobody'
);

--
-- Name: TYPE message_policy; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.message_policy IS 'Who may send you direct messages.';

--
-- Name: message_role; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.message_role AS ENUM (
    'user',
    'assistant'
);

--
-- Name: TYPE message_role; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.message_role IS 'Who wrote a coaching message: you (user) or the coach (assistant).';

--
-- Name: point_reason; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.point_reason AS ENUM (
    'ritual_completed',
    'goal_done',
    'journal_entry',
    'achievement',
    'competition_reward',
    'purchase',
    'refund',
    'admin_adjustment'
);

--
-- Name: TYPE point_reason; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.point_reason IS 'Why points moved: earned by a rule, an achievement or a competition, spent, refunded, or adjusted by an administrator.';

--
-- Name: purchase_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.purchase_status AS ENUM (
    'pending',
    'fulfilled',
    'refunded',
    'revoked'
);

--
-- Name: TYPE purchase_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.purchase_status IS 'Where a purchase stands: pending (waiting for an administrator to deliver it), fulfilled, refunded (points given back) or revoked (taken back without a refund).';

--
-- Name: relationship_kind; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.relationship_kind AS ENUM (
    'parent',
    'child',
    'sibling',
    'partner',
    'spouse',
    'friend',
    'colleague',
    'mentor',
    'mentee',
    'neighbour',
    'other'
);

--
-- Name: TYPE relationship_kind; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.relationship_kind IS 'Who the person is to you.';

--
-- Name: relationship_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.relationship_status AS ENUM (
    'active',
    'distant',
    'estranged',
    'ended'
);

--
-- Name: TYPE relationship_status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.relationship_status IS 'How the relationship is now: active, distant, estranged or ended.';

--
-- Name: review_kind; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.review_kind AS ENUM (
    'monthly',
    'quarterly'
);

--
-- Name: TYPE review_kind; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.review_kind IS 'The period a review covers: a month or a quarter.';

--
-- Name: reward_status; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.reward_status AS ENUM (
    'pending',
    'fulfilled',
    'failed'
);

--
-- Name: ritual_cadence; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.ritual_cadence AS ENUM (
    'daily',
    'weekly',
    'monthly',
    'custom'
);

--
-- Name: TYPE ritual_cadence; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.ritual_cadence IS 'How often a ritual is kept: every day, every ISO week, every month, or on chosen days of the week (custom).';

--
-- Name: score_source; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.score_source AS ENUM (
    'manual',
    'ai',
    'computed'
);

--
-- Name: TYPE score_source; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.score_source IS 'Who produced a score: the user, an analyser, or a computation.';

--
-- Name: scoring_rule; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.scoring_rule AS ENUM (
    'sum',
    'max',
    'average',
    'count',
    'streak'
);

--
-- Name: unread_count; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.unread_count AS (
	type text,
	unread integer
);

--
-- Name: user_stats; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.user_stats AS (
	followers_count integer,
	following_count integer,
	friends_count integer,
	current_streak integer,
	longest_streak integer,
	completions_last_30_days integer,
	last_active_at timestamp with time zone
);

--
-- Name: TYPE user_stats; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.user_stats IS 'A profile''s numbers. Streaks and completions are null unless their owner shows streaks.';

--
-- Name: webhook_endpoint_secret; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.webhook_endpoint_secret AS (
	endpoint_id uuid,
	secret text
);

--
-- Name: wellness_summary; Type: TYPE; Schema: app_public; Owner: -
--

CREATE TYPE app_public.wellness_summary AS (
	days integer,
	first_day date,
	last_day date,
	entries integer,
	avg_sleep_hours numeric,
	avg_water_ml numeric,
	avg_exercise_minutes numeric,
	avg_meditation_minutes numeric,
	avg_mood numeric,
	avg_energy numeric
);

--
-- Name: TYPE wellness_summary; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TYPE app_public.wellness_summary IS 'Averages of your wellness entries over the last days (in your time zone).';

--
-- Name: achievement_event_is_level(app_public.achievement_event); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.achievement_event_is_level(event app_public.achievement_event) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select event in ('ritual_streak', 'friend_count');
$$;

--
-- Name: FUNCTION achievement_event_is_level(event app_public.achievement_event); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.achievement_event_is_level(event app_public.achievement_event) IS 'True for events whose progress is the highest level reached (streaks, friend counts); the others add up.';

--
-- Name: activity_events; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.activity_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    actor_id uuid NOT NULL,
    verb text NOT NULL,
    object_type text NOT NULL,
    object_id uuid NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    visibility app_public.activity_visibility NOT NULL,
    community_id uuid,
    dedupe_key text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    hidden_at timestamp with time zone,
    hidden_by uuid,
    CONSTRAINT activity_community_visibility CHECK (((visibility = 'community'::app_public.activity_visibility) = (community_id IS NOT NULL))),
    CONSTRAINT activity_metadata_is_object CHECK ((jsonb_typeof(metadata) = 'object'::text)),
    CONSTRAINT activity_object_type_format CHECK ((object_type ~ '^[a-z_]+$'::text))
);

--
-- Name: TABLE activity_events; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.activity_events IS '@behavior -insert -delete
What people did (kept a ritual, finished a goal, made a friend…), written by the database. You see an event when app_hidden.can_see_event says so; you may change the visibility of your own.';

--
-- Name: COLUMN activity_events.verb; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.verb IS '@behavior +filterBy
What happened, e.g. rituals.completed.';

--
-- Name: COLUMN activity_events.object_type; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.object_type IS 'The kind of thing the event is about (ritual, goal, key_result, user, review).';

--
-- Name: COLUMN activity_events.object_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.object_id IS 'The id of that thing.';

--
-- Name: COLUMN activity_events.metadata; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.metadata IS 'Details for display; each verb has its own keys (see activityVerbs).';

--
-- Name: COLUMN activity_events.visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.visibility IS 'Who may see it; set from your default when written, and yours to change.';

--
-- Name: COLUMN activity_events.community_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.community_id IS 'The community a community-visible event belongs to.';

--
-- Name: COLUMN activity_events.dedupe_key; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.dedupe_key IS '@behavior -*
Makes a repeated trigger write one event.';

--
-- Name: COLUMN activity_events.deleted_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.deleted_at IS '@behavior -*
When its author deleted it.';

--
-- Name: COLUMN activity_events.hidden_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.hidden_at IS '@behavior -*
When a moderator hid it.';

--
-- Name: COLUMN activity_events.hidden_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.activity_events.hidden_by IS '@behavior -*
The moderator who hid it.';

--
-- Name: actor_feed_events(uuid, app_public.feed_filter, timestamp with time zone, uuid, timestamp with time zone, uuid, integer, uuid[], uuid[], uuid[]); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.actor_feed_events(actor_id uuid, scope app_public.feed_filter, before_created_at timestamp with time zone, before_id uuid, from_created_at timestamp with time zone, from_id uuid, max_events integer, hidden uuid[], viewer_friends uuid[], viewer_communities uuid[]) RETURNS SETOF app_public.activity_events
    LANGUAGE sql STABLE
    AS $$
  select e.* from app_public.activity_events e
  where e.actor_id = actor_feed_events.actor_id and e.visibility <> 'private' and e.deleted_at is null and e.hidden_at is null
    and (e.created_at, e.id) < (before_created_at, before_id) and (e.created_at, e.id) >= (from_created_at, from_id)
    and e.id <> all (hidden)
    and (e.visibility = 'public'
      or (e.visibility = 'friends' and (scope = 'friends' or e.actor_id = any (viewer_friends)))
      or (e.visibility = 'community' and e.community_id = any (viewer_communities)))
  order by e.created_at desc, e.id desc
  limit max_events;
$$;

--
-- Name: FUNCTION actor_feed_events(actor_id uuid, scope app_public.feed_filter, before_created_at timestamp with time zone, before_id uuid, from_created_at timestamp with time zone, from_id uuid, max_events integer, hidden uuid[], viewer_friends uuid[], viewer_communities uuid[]); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.actor_feed_events(actor_id uuid, scope app_public.feed_filter, before_created_at timestamp with time zone, before_id uuid, from_created_at timestamp with time zone, from_id uuid, max_events integer, hidden uuid[], viewer_friends uuid[], viewer_communities uuid[]) IS 'One actor''s events in a range that a friends or following feed page may show, newest first.';

--
-- Name: after_quiet_hours(uuid, timestamp with time zone); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.after_quiet_hours(user_id uuid, at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION after_quiet_hours(user_id uuid, at timestamp with time zone); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.after_quiet_hours(user_id uuid, at timestamp with time zone) IS 'The time itself, or the end of the quiet hours it falls in (in the user''s time zone, DST included).';

--
-- Name: are_friends(uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.are_friends(a uuid, b uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_public.current_user_id() in (a, b) and exists (select 1 from app_public.friendships where user_id = a and friend_id = b);
$$;

--
-- Name: FUNCTION are_friends(a uuid, b uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.are_friends(a uuid, b uuid) IS 'True when the two users are friends.';

--
-- Name: area_weights(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.area_weights(user_id uuid) RETURNS TABLE(area_id integer, weight numeric)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select a.id, coalesce(w.weight, a.default_weight)
  from app_public.life_areas a
  left join app_public.user_area_weights w on w.area_id = a.id and w.user_id = area_weights.user_id
  where a.is_active;
$$;

--
-- Name: FUNCTION area_weights(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.area_weights(user_id uuid) IS 'The weights a user''s global fulfillment score uses, per active area.';

--
-- Name: block_peer_ids(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.block_peer_ids(user_id uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select coalesce(array_agg(peer), '{}') from (
      select b.blocked_id as peer from app_public.blocks b where b.blocker_id = block_peer_ids.user_id
      union
      select b.blocker_id from app_public.blocks b where b.blocked_id = block_peer_ids.user_id
    ) p
    where block_peer_ids.user_id = app_public.current_user_id());
end;
$$;

--
-- Name: FUNCTION block_peer_ids(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.block_peer_ids(user_id uuid) IS 'Everyone a user blocked or was blocked by.';

--
-- Name: can_see_community(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.can_see_community(community_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_public.communities c
    where c.id = can_see_community.community_id
      and (c.visibility = 'public' or exists (
        select 1 from app_public.community_members m where m.community_id = c.id and m.user_id = app_public.current_user_id())));
$$;

--
-- Name: FUNCTION can_see_community(community_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.can_see_community(community_id uuid) IS 'Whether you may see a community: public ones, and private ones you belong to.';

--
-- Name: can_see_competition(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.can_see_competition(competition_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_public.competitions c
    where c.id = can_see_competition.competition_id
      and (c.community_id is null or app_hidden.can_see_community(c.community_id))
      and (c.status <> 'draft' or (case when c.community_id is null then app_public.current_user_is_admin()
        else coalesce(app_hidden.community_role(c.community_id) >= 'admin', false) end)));
$$;

--
-- Name: FUNCTION can_see_competition(competition_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.can_see_competition(competition_id uuid) IS 'Whether you may see a competition (global, or in a community you may see; drafts: its organisers).';

--
-- Name: can_see_event(uuid, app_public.activity_visibility, uuid, timestamp with time zone, timestamp with time zone, uuid, uuid[], uuid[], uuid[]); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.can_see_event(actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamp with time zone, hidden_at timestamp with time zone, viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  -- Each parameter appears once: Postgres inlines a SQL function only then
  -- (the policy passes sub-selects), and the rule costs no call per row.
  select deleted_at is null and hidden_at is null and (
    coalesce(actor_id = viewer, false)
    or (not actor_id = any (coalesce(viewer_block_peers, '{}')) and (
      visibility = 'public'
      or (visibility = 'friends' and actor_id = any (coalesce(viewer_friends, '{}')))
      or (visibility = 'community' and community_id = any (coalesce(viewer_communities, '{}'))))));
$$;

--
-- Name: FUNCTION can_see_event(actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamp with time zone, hidden_at timestamp with time zone, viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.can_see_event(actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamp with time zone, hidden_at timestamp with time zone, viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]) IS 'Whether a viewer sees an event: their own, or public, or friends-only from a friend, or community-only in a community of theirs; never across a block, nor once deleted or hidden.';

--
-- Name: can_see_profile(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.can_see_profile(target uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  -- One statement, no nested calls. The users policy writes the same rule out.
  select target = v.viewer or (
    not exists (select 1 from app_public.blocks b
      where (b.blocker_id = v.viewer and b.blocked_id = target) or (b.blocker_id = target and b.blocked_id = v.viewer))
    and (exists (select 1 from app_private.user_flags f where f.user_id = v.viewer and f.is_admin)
      or exists (select 1 from app_public.users u where u.id = target
        and (u.profile_visibility = 'public' or (u.profile_visibility = 'friends'
          and exists (select 1 from app_public.friendships f where f.user_id = v.viewer and f.friend_id = target))))))
  from (select app_public.current_user_id() as viewer) v;
$$;

--
-- Name: FUNCTION can_see_profile(target uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.can_see_profile(target uuid) IS 'Whether the current viewer may see a user''s profile.';

--
-- Name: community_ids(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.community_ids(user_id uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
    where m.user_id = community_ids.user_id and community_ids.user_id = app_public.current_user_id());
end;
$$;

--
-- Name: FUNCTION community_ids(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.community_ids(user_id uuid) IS 'The communities a user belongs to (the current user only).';

--
-- Name: community_role(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.community_role(community_id uuid) RETURNS app_public.community_role
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select m.role from app_public.community_members m
  where m.community_id = community_role.community_id and m.user_id = app_public.current_user_id();
$$;

--
-- Name: FUNCTION community_role(community_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.community_role(community_id uuid) IS 'Your role in a community, or null when you are not a member.';

--
-- Name: earned_achievement_codes(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.earned_achievement_codes(user_id uuid) RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select coalesce(array_agg(a.achievement_code), '{}') from app_public.user_achievements a
  where a.user_id = earned_achievement_codes.user_id and earned_achievement_codes.user_id = app_public.current_user_id();
$$;

--
-- Name: FUNCTION earned_achievement_codes(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.earned_achievement_codes(user_id uuid) IS 'The codes of the achievements a user earned (the current user only).';

--
-- Name: feed_position(text); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.feed_position(after text, OUT created_at timestamp with time zone, OUT id uuid) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_parts text[];
begin
  if after is null then
    created_at := 'infinity';
    id := 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    return;
  end if;
  begin
    v_parts := string_to_array(convert_from(decode(after, 'base64'), 'utf8'), '|');
    created_at := v_parts[1]::timestamptz;
    id := v_parts[2]::uuid;
  exception when data_exception then
    v_parts := null;
  end;
  -- A failed decode or cast (any data_exception) has emptied v_parts; two
  -- parts that both cast are never null.
  if cardinality(v_parts) is distinct from 2 then
    raise exception '`after` must be the `cursor` of an event of this feed.' using errcode = 'BADIN';
  end if;
end;
$$;

--
-- Name: FUNCTION feed_position(after text, OUT created_at timestamp with time zone, OUT id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.feed_position(after text, OUT created_at timestamp with time zone, OUT id uuid) IS 'The (created_at, id) an `after` cursor names, or past everything for none; anything else is BADIN.';

--
-- Name: followee_ids(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.followee_ids(user_id uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select coalesce(array_agg(f.followee_id), '{}') from app_public.follows f
    where f.follower_id = followee_ids.user_id and followee_ids.user_id = app_public.current_user_id());
end;
$$;

--
-- Name: FUNCTION followee_ids(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.followee_ids(user_id uuid) IS 'Whom a user follows.';

--
-- Name: friend_ids(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.friend_ids(user_id uuid) RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select coalesce(array_agg(f.friend_id), '{}') from app_public.friendships f
    where f.user_id = friend_ids.user_id and friend_ids.user_id = app_public.current_user_id());
end;
$$;

--
-- Name: FUNCTION friend_ids(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.friend_ids(user_id uuid) IS 'The friends of a user.';

--
-- Name: hidden_event_ids(); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.hidden_event_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select coalesce(array_agg(h.event_id), '{}') from app_public.activity_hides h where h.user_id = app_public.current_user_id());
end;
$$;

--
-- Name: FUNCTION hidden_event_ids(); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.hidden_event_ids() IS 'The events the current user hid from their feed.';

--
-- Name: is_blocked_between(uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.is_blocked_between(a uuid, b uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_public.current_user_id() in (a, b) and exists (select 1 from app_public.blocks
    where (blocker_id = a and blocked_id = b) or (blocker_id = b and blocked_id = a));
$$;

--
-- Name: FUNCTION is_blocked_between(a uuid, b uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.is_blocked_between(a uuid, b uuid) IS 'True when either user blocked the other.';

--
-- Name: key_results_progress(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.key_results_progress(goal_id uuid) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select round(avg(greatest(0, least(1, (current_value - start_value) / (target_value - start_value)))) * 100, 2)
  from app_public.key_results k where k.goal_id = key_results_progress.goal_id;
$$;

--
-- Name: FUNCTION key_results_progress(goal_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.key_results_progress(goal_id uuid) IS 'Mean completion of a goal''s key results, 0-100; null without any.';

--
-- Name: managed_community_ids(); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.managed_community_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
    where m.user_id = app_public.current_user_id() and m.role >= 'admin');
end;
$$;

--
-- Name: FUNCTION managed_community_ids(); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.managed_community_ids() IS 'The communities you run competitions in (admin or founder).';

--
-- Name: may_organise_competition(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.may_organise_competition(competition_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_public.competitions c
    where c.id = may_organise_competition.competition_id and c.status in ('draft', 'scheduled')
      and (case when c.community_id is null then app_public.current_user_is_admin()
        else coalesce(app_hidden.community_role(c.community_id) >= 'admin', false) end));
$$;

--
-- Name: FUNCTION may_organise_competition(competition_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.may_organise_competition(competition_id uuid) IS 'Whether you may change a competition''s rounds and rewards (its organisers, before it starts).';

--
-- Name: next_digest_at(uuid, app_public.digest_frequency, timestamp with time zone); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select case frequency
    when 'hourly' then date_trunc('hour', at) + interval '1 hour'
    when 'daily' then ((at at time zone tz)::date + 1 + time '08:00') at time zone tz
    when 'weekly' then ((date_trunc('week', (at at time zone tz)) + interval '7 days')::date + time '08:00') at time zone tz
    else at end
  from (select app_hidden.user_timezone(user_id) as tz) z;
$$;

--
-- Name: FUNCTION next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamp with time zone); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamp with time zone) IS 'When the digest that would hold a notification made at `at` is sent.';

--
-- Name: next_local_time(text, time without time zone, timestamp with time zone, text, smallint[]); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.next_local_time(tz text, local_time time without time zone, after timestamp with time zone, rule text, days_of_week smallint[] DEFAULT NULL::smallint[]) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION next_local_time(tz text, local_time time without time zone, after timestamp with time zone, rule text, days_of_week smallint[]); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.next_local_time(tz text, local_time time without time zone, after timestamp with time zone, rule text, days_of_week smallint[]) IS 'Next occurrence of a local time of day after an instant: daily, Mondays (weekly), the 1st (monthly), Sundays, or the given ISO days.';

--
-- Name: notification_channels(uuid, text); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.notification_channels(user_id uuid, type text) RETURNS SETOF app_public.notification_channel
    LANGUAGE sql STABLE
    AS $$
  select c from app_public.notification_types t, unnest(enum_range(null::app_public.notification_channel)) c
  where t.code = notification_channels.type
    and case when t.is_transactional then c = any(t.default_channels)
      else coalesce((select p.enabled from app_public.notification_preferences p
        where p.user_id = notification_channels.user_id and p.type = t.code and p.channel = c), c = any(t.default_channels)) end;
$$;

--
-- Name: FUNCTION notification_channels(user_id uuid, type text); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.notification_channels(user_id uuid, type text) IS 'The channels a notification of this type reaches this user on.';

--
-- Name: period_end(app_public.period_kind, date); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.period_end(kind app_public.period_kind, day date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select case kind when 'day' then day when 'week' then date_trunc('week', day::timestamp)::date + 6
    when 'month' then (date_trunc('month', day::timestamp) + interval '1 month')::date - 1
    else (date_trunc('quarter', day::timestamp) + interval '3 months')::date - 1 end;
$$;

--
-- Name: FUNCTION period_end(kind app_public.period_kind, day date); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.period_end(kind app_public.period_kind, day date) IS 'Last day of the period containing the day.';

--
-- Name: period_start(app_public.period_kind, date); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.period_start(kind app_public.period_kind, day date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select case kind when 'day' then day when 'week' then date_trunc('week', day::timestamp)::date
    when 'month' then date_trunc('month', day::timestamp)::date else date_trunc('quarter', day::timestamp)::date end;
$$;

--
-- Name: FUNCTION period_start(kind app_public.period_kind, day date); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.period_start(kind app_public.period_kind, day date) IS 'First day of the period containing the day.';

--
-- Name: privacy_settings; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.privacy_settings (
    user_id uuid NOT NULL,
    profile_visibility app_public.audience DEFAULT 'friends'::app_public.audience NOT NULL,
    show_streaks boolean DEFAULT false NOT NULL,
    show_records boolean DEFAULT false NOT NULL,
    show_achievements boolean DEFAULT false NOT NULL,
    show_location boolean DEFAULT false NOT NULL,
    default_activity_visibility app_public.activity_visibility DEFAULT 'friends'::app_public.activity_visibility NOT NULL,
    friend_requests_from app_public.friend_request_policy DEFAULT 'everyone'::app_public.friend_request_policy NOT NULL,
    messages_from app_public.message_policy DEFAULT 'friends'::app_public.message_policy NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE privacy_settings; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.privacy_settings IS 'What others may see of you and do with you; the database applies it everywhere.';

--
-- Name: COLUMN privacy_settings.profile_visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.profile_visibility IS 'Who sees your profile: anyone, friends (the default), or only you.';

--
-- Name: COLUMN privacy_settings.show_streaks; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.show_streaks IS 'Whether those who see your profile see your ritual streaks.';

--
-- Name: COLUMN privacy_settings.show_records; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.show_records IS 'Whether those who see your profile see your personal records (each record also has its own visibility).';

--
-- Name: COLUMN privacy_settings.show_achievements; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.show_achievements IS 'Whether those who see your profile see your achievements.';

--
-- Name: COLUMN privacy_settings.show_location; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.show_location IS 'Whether those who see your profile see your country and region.';

--
-- Name: COLUMN privacy_settings.default_activity_visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.default_activity_visibility IS 'The visibility your new activity gets; you can change each one afterwards.';

--
-- Name: COLUMN privacy_settings.friend_requests_from; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.friend_requests_from IS 'Who may send you friend requests: everyone, friends of your friends, or nobody.';

--
-- Name: COLUMN privacy_settings.messages_from; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.privacy_settings.messages_from IS 'Who may message you: friends (the default), everyone, or nobody.';

--
-- Name: privacy_of(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.privacy_of(user_id uuid) RETURNS app_public.privacy_settings
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select p.* from app_public.privacy_settings p where p.user_id = privacy_of.user_id;
$$;

--
-- Name: FUNCTION privacy_of(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.privacy_of(user_id uuid) IS 'A user''s privacy settings, for security definer functions (not the visitor).';

--
-- Name: realtime_activity_replay(app_public.feed_filter, bigint, bigint, integer); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows integer) RETURNS TABLE(seq bigint, payload jsonb, refetch boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows integer); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows integer) IS 'The activity events a resuming subscriber missed, in log order: max_rows + 1 rows mean too many (refetch).';

--
-- Name: current_user_id(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.current_user_id() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return (select user_id from app_private.sessions
    where id = app_public.current_session_id()
      and revoked_at is null
      and expires_at > now());
end;
$$;

--
-- Name: FUNCTION current_user_id(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.current_user_id() IS 'The user of the current session, or null when anonymous, expired or revoked.';

--
-- Name: files; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.files (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    bucket app_public.file_bucket NOT NULL,
    key text NOT NULL,
    size bigint NOT NULL,
    content_type text NOT NULL,
    sha256 text,
    status app_public.file_status DEFAULT 'pending'::app_public.file_status NOT NULL,
    journal_entry_id uuid,
    message_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    upload_started_at timestamp with time zone,
    uploaded_at timestamp with time zone,
    expires_at timestamp with time zone,
    CONSTRAINT file_attached_once CHECK ((num_nonnulls(journal_entry_id, message_id) <= 1)),
    CONSTRAINT file_avatar_unattached CHECK (((bucket <> 'avatars'::app_public.file_bucket) OR (num_nonnulls(journal_entry_id, message_id) = 0))),
    CONSTRAINT file_ready_when_checked CHECK (((status = 'ready'::app_public.file_status) = ((sha256 IS NOT NULL) AND (uploaded_at IS NOT NULL)))),
    CONSTRAINT file_sha256_format CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT file_size_positive CHECK ((size > 0))
);

--
-- Name: TABLE files; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.files IS '@behavior -insert -update
A stored file: yours, or attached to a journal entry or message you may read. Make one with requestUpload, read it with fileUrl; deleting the row deletes the file.';

--
-- Name: COLUMN files.owner_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.owner_id IS '@behavior +filterBy
Who uploaded it.';

--
-- Name: COLUMN files.key; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.key IS '@behavior -*
Where the backend keeps it: <bucket>/<owner>/<id>, made by the server.';

--
-- Name: COLUMN files.size; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.size IS 'Its size in bytes: declared with requestUpload, and exactly what was uploaded.';

--
-- Name: COLUMN files.content_type; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.content_type IS 'Its content type, as declared and checked against its bytes.';

--
-- Name: COLUMN files.sha256; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.sha256 IS 'The SHA-256 of its bytes (hex), once ready.';

--
-- Name: COLUMN files.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.status IS '@behavior +filterBy
pending until every byte has arrived and been checked.';

--
-- Name: COLUMN files.upload_started_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.upload_started_at IS '@behavior -*
When a gateway began receiving its bytes: one upload of a file at a time.';

--
-- Name: COLUMN files.uploaded_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.uploaded_at IS 'When its upload finished.';

--
-- Name: COLUMN files.expires_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.files.expires_at IS 'When the daily sweep deletes it (exports).';

--
-- Name: CONSTRAINT file_attached_once ON files; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT file_attached_once ON app_public.files IS 'A file is attached to one thing at most.';

--
-- Name: CONSTRAINT file_avatar_unattached ON files; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT file_avatar_unattached ON app_public.files IS 'An avatar belongs to its owner''s profile, not to an entry or message.';

--
-- Name: request_upload(app_public.file_bucket, text, bigint, uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.request_upload(bucket app_public.file_bucket, content_type text, size bigint, journal_entry_id uuid DEFAULT NULL::uuid, message_id uuid DEFAULT NULL::uuid) RETURNS app_public.files
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_public.current_user_id();
  v_file app_public.files;
begin
  if v_user_id is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if bucket = 'exports' then
    raise exception 'The exports bucket is written by the server only.' using errcode = 'DNIED';
  end if;
  if journal_entry_id is not null and not exists (
    select 1 from app_public.journal_entries j where j.id = request_upload.journal_entry_id and j.user_id = v_user_id
  ) then
    raise exception 'No such journal entry.' using errcode = 'NOFND';
  end if;
  -- Only your own message, and not one deleted for everyone.
  if message_id is not null and not exists (
    select 1 from app_public.direct_messages m
    where m.id = request_upload.message_id and m.sender_id = v_user_id and m.deleted_at is null
  ) then
    raise exception 'No such message of yours.' using errcode = 'NOFND';
  end if;
  -- Pending rows cost nothing to make and the daily sweep clears them: cap
  -- them so a client cannot pile them up faster.
  if (select count(*) from app_public.files f where f.owner_id = v_user_id and f.status = 'pending') >= 20 then
    raise exception 'You have 20 uploads waiting to be sent: finish or delete some first.' using errcode = 'FPEND';
  end if;
  insert into app_public.files (owner_id, bucket, content_type, size, journal_entry_id, message_id)
    values (v_user_id, bucket, lower(content_type), size, journal_entry_id, message_id)
    returning * into v_file;
  return v_file;
end;
$$;

--
-- Name: FUNCTION request_upload(bucket app_public.file_bucket, content_type text, size bigint, journal_entry_id uuid, message_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.request_upload(bucket app_public.file_bucket, content_type text, size bigint, journal_entry_id uuid, message_id uuid) IS 'Makes a pending file row of the current user (requestUpload): FTYPE, FSIZE, FPEND, NOFND, DNIED.';

--
-- Name: ritual_slot_number(app_public.ritual_cadence, smallint[], date); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
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
$$;

--
-- Name: FUNCTION ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date) IS 'Sequence number of the slot holding a day; consecutive slots differ by one.';

--
-- Name: ritual_slot_start(app_public.ritual_cadence, date); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.ritual_slot_start(cadence app_public.ritual_cadence, day date) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select case cadence when 'weekly' then date_trunc('week', day::timestamp)::date
    when 'monthly' then date_trunc('month', day::timestamp)::date else day end;
$$;

--
-- Name: FUNCTION ritual_slot_start(cadence app_public.ritual_cadence, day date); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.ritual_slot_start(cadence app_public.ritual_cadence, day date) IS 'The slot (day, ISO week or month) a day falls in.';

--
-- Name: ritual_slots_between(app_public.ritual_cadence, smallint[], date, date); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[], first_day date, last_day date) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select case when last_day < first_day then 0 else
    app_hidden.ritual_slot_number(cadence, days_of_week, last_day)
    - app_hidden.ritual_slot_number(cadence, days_of_week, first_day - 1) end;
$$;

--
-- Name: FUNCTION ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[], first_day date, last_day date); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[], first_day date, last_day date) IS 'Number of slots of a cadence that end within a range of days.';

--
-- Name: rollup_trend(uuid, integer, date, integer); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.rollup_trend(user_id uuid, area_id integer, anchor date, days integer) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION rollup_trend(user_id uuid, area_id integer, anchor date, days integer); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.rollup_trend(user_id uuid, area_id integer, anchor date, days integer) IS 'Mean score of the `days` days up to `anchor` minus that of the `days` days before, for a user and area.';

--
-- Name: secret_achievement_codes(); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.secret_achievement_codes() RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select coalesce(array_agg(d.code), '{}') from app_public.achievement_definitions d where d.is_secret;
$$;

--
-- Name: FUNCTION secret_achievement_codes(); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.secret_achievement_codes() IS 'The codes of the secret achievements.';

--
-- Name: shows_achievements(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.shows_achievements(user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_hidden.can_see_profile(shows_achievements.user_id)
    and coalesce((select p.show_achievements from app_public.privacy_settings p where p.user_id = shows_achievements.user_id), false);
$$;

--
-- Name: FUNCTION shows_achievements(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.shows_achievements(user_id uuid) IS 'Whether a user''s profile shows their achievements to the current viewer.';

--
-- Name: shows_records(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.shows_records(user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_hidden.can_see_profile(shows_records.user_id)
    and coalesce((select p.show_records from app_public.privacy_settings p where p.user_id = shows_records.user_id), false);
$$;

--
-- Name: FUNCTION shows_records(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.shows_records(user_id uuid) IS 'Whether a user''s profile shows their personal records.';

--
-- Name: template_section_error(text); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.template_section_error(template text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION template_section_error(template text); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.template_section_error(template text) IS 'What is wrong with the sections of a Mustache template, or null.';

--
-- Name: template_unknown_variables(text, text); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.template_unknown_variables(type text, template text) RETURNS text[]
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION template_unknown_variables(type text, template text); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.template_unknown_variables(type text, template text) IS 'Top-level Mustache names in a template that events of the type do not carry.';

--
-- Name: user_timezone(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.user_timezone(user_id uuid) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select coalesce((select s.timezone from app_public.user_settings s where s.user_id = user_timezone.user_id), 'UTC');
$$;

--
-- Name: FUNCTION user_timezone(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.user_timezone(user_id uuid) IS 'The user''s time zone name (UTC when unset).';

--
-- Name: user_today(uuid); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.user_today(user_id uuid) RETURNS date
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select (now() at time zone app_hidden.user_timezone(user_id))::date;
$$;

--
-- Name: FUNCTION user_today(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.user_today(user_id uuid) IS 'Today''s date in the user''s time zone.';

--
-- Name: wellness_stats_for(uuid, date, date); Type: FUNCTION; Schema: app_hidden; Owner: -
--

CREATE FUNCTION app_hidden.wellness_stats_for(user_id uuid, first_day date, last_day date) RETURNS app_public.wellness_summary
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select row(last_day - first_day + 1, first_day, last_day, count(*)::int,
    round(avg(sleep_hours), 2), round(avg(water_ml), 0), round(avg(exercise_minutes), 1),
    round(avg(meditation_minutes), 1), round(avg(mood), 2), round(avg(energy), 2))::app_public.wellness_summary
  from app_public.wellness_entries w
  where w.user_id = wellness_stats_for.user_id and w.entry_date between first_day and last_day;
$$;

--
-- Name: FUNCTION wellness_stats_for(user_id uuid, first_day date, last_day date); Type: COMMENT; Schema: app_hidden; Owner: -
--

COMMENT ON FUNCTION app_hidden.wellness_stats_for(user_id uuid, first_day date, last_day date) IS 'Wellness averages of a user over a range of days.';

--
-- Name: community_members; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.community_members (
    community_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role app_public.community_role DEFAULT 'member'::app_public.community_role NOT NULL,
    joined_via app_public.community_joined_via DEFAULT 'discovery'::app_public.community_joined_via NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    last_active_at timestamp with time zone DEFAULT now() NOT NULL,
    streak_snapshot integer DEFAULT 0 NOT NULL,
    contribution_score integer DEFAULT 0 NOT NULL,
    CONSTRAINT member_streak_nonnegative CHECK ((streak_snapshot >= 0))
);

--
-- Name: TABLE community_members; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.community_members IS '@behavior -insert -update -delete
Who belongs to a community, with their role; visible to fellow members. Changes go through joinCommunity, leaveCommunity, removeCommunityMember, setCommunityRole and transferCommunityOwnership.';

--
-- Name: COLUMN community_members.role; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_members.role IS 'founder > admin > moderator > member: each acts only on those below.';

--
-- Name: COLUMN community_members.joined_via; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_members.joined_via IS 'How they came in: an invite, discovery (open join or an approved request), or a competition.';

--
-- Name: COLUMN community_members.last_active_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_members.last_active_at IS 'When they last did something the community saw.';

--
-- Name: COLUMN community_members.streak_snapshot; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_members.streak_snapshot IS 'Their best current ritual streak, as of the nightly refresh.';

--
-- Name: COLUMN community_members.contribution_score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_members.contribution_score IS 'How much they have done in the community (one per community event).';

--
-- Name: add_community_member(uuid, uuid, app_public.community_joined_via); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.add_community_member(community_id uuid, user_id uuid, joined_via app_public.community_joined_via) RETURNS app_public.community_members
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION add_community_member(community_id uuid, user_id uuid, joined_via app_public.community_joined_via); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.add_community_member(community_id uuid, user_id uuid, joined_via app_public.community_joined_via) IS 'Adds a member (NUNIQ when already one) and writes the community-visible activity event.';

--
-- Name: user_achievements; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.user_achievements (
    user_id uuid NOT NULL,
    achievement_code text NOT NULL,
    awarded_at timestamp with time zone DEFAULT now() NOT NULL,
    id uuid DEFAULT gen_random_uuid() NOT NULL
);

--
-- Name: TABLE user_achievements; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.user_achievements IS '@behavior -insert -update -delete
Achievements earned, each once, awarded by the database. Yours; others'' when their profile shows achievements to you (never their secret ones).';

--
-- Name: COLUMN user_achievements.achievement_code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_achievements.achievement_code IS 'The achievement earned.';

--
-- Name: COLUMN user_achievements.awarded_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_achievements.awarded_at IS '@behavior +orderBy
When it was earned.';

--
-- Name: COLUMN user_achievements.id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_achievements.id IS 'The award''s id (its points in the ledger and its activity event name it).';

--
-- Name: advance_achievements(uuid, app_public.achievement_event, integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.advance_achievements(user_id uuid, event app_public.achievement_event, amount integer) RETURNS SETOF app_public.user_achievements
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION advance_achievements(user_id uuid, event app_public.achievement_event, amount integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.advance_achievements(user_id uuid, event app_public.achievement_event, amount integer) IS 'Records progress on an event (levels keep the highest, counts add up) and awards what it reaches; returns the new awards.';

--
-- Name: advance_competition(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.advance_competition(competition_id uuid) RETURNS app_public.competition_status
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION advance_competition(competition_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.advance_competition(competition_id uuid) IS 'Moves a competition''s status as the clock says (scheduled → active → finished), with its notifications and finalisation job.';

--
-- Name: advance_feed_inbox(interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.advance_feed_inbox(keep interval) RETURNS timestamp with time zone
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_private.feed_inbox_horizon set starts_at = greatest(starts_at, now() - keep) returning starts_at;
$$;

--
-- Name: FUNCTION advance_feed_inbox(keep interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.advance_feed_inbox(keep interval) IS 'Moves the inbox horizon to now - keep (never back); returns it.';

--
-- Name: assert_admin(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_admin() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if not app_public.current_user_is_admin() then
    raise exception 'Only administrators may do this.' using errcode = 'DNIED';
  end if;
end;
$$;

--
-- Name: FUNCTION assert_admin(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.assert_admin() IS 'Raises DNIED unless the current user is an administrator.';

--
-- Name: assert_community_role(uuid, app_public.community_role); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_community_role(community_id uuid, needed app_public.community_role) RETURNS app_public.community_role
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION assert_community_role(community_id uuid, needed app_public.community_role); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.assert_community_role(community_id uuid, needed app_public.community_role) IS 'Raises COMRL unless you hold at least the given role in the community (NOFND when you may not see it).';

--
-- Name: assert_competition_organiser(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_competition_organiser(community_id uuid) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if community_id is null then
    perform app_private.assert_admin();
  else
    perform app_private.assert_community_role(community_id, 'admin');
  end if;
end;
$$;

--
-- Name: FUNCTION assert_competition_organiser(community_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.assert_competition_organiser(community_id uuid) IS 'Raises unless you organise competitions of this scope: app admins global ones (DNIED), community admins their community''s (COMRL, NOFND).';

--
-- Name: assert_login_session(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_login_session() RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_session app_private.sessions;
begin
  select * into v_session from app_private.sessions
    where id = app_public.current_session_id() and revoked_at is null and expires_at > now();
  if v_session is null then
    raise exception 'You must be signed in.' using errcode = 'LOGIN';
  end if;
  if v_session.kind <> 'login' then
    raise exception 'An API key cannot do this; sign in with a password.' using errcode = 'DNIED';
  end if;
  return v_session.user_id;
end;
$$;

--
-- Name: assert_may_message(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_may_message(me uuid, recipient uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_policy app_public.message_policy := (app_hidden.privacy_of(recipient)).messages_from;
begin
  if v_policy = 'nobody' or (v_policy = 'friends' and not app_hidden.are_friends(me, recipient)) then
    raise exception 'This person does not take messages from you.' using errcode = 'MSGNO';
  end if;
end;
$$;

--
-- Name: FUNCTION assert_may_message(me uuid, recipient uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.assert_may_message(me uuid, recipient uuid) IS 'Raises MSGNO unless the recipient''s settings let the sender message them.';

--
-- Name: assert_other_user(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_other_user(me uuid, other uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if me is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if other = me then
    raise exception 'That is you.' using errcode = 'BADIN';
  end if;
  if not exists (select 1 from app_public.users where id = other) or app_hidden.is_blocked_between(me, other) then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
end;
$$;

--
-- Name: FUNCTION assert_other_user(me uuid, other uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.assert_other_user(me uuid, other uuid) IS 'Raises unless the other user exists, is not oneself and is not across a block.';

--
-- Name: assert_strong_password(text, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.assert_strong_password(password text, username text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if password is null or char_length(password) < 10 then
    raise exception 'Password must be at least 10 characters long.' using errcode = 'WEAKP';
  end if;
  if (password ~ '[a-z]')::int + (password ~ '[A-Z]')::int + (password ~ '[0-9]')::int
     + (password ~ '[^a-zA-Z0-9]')::int < 2 then
    raise exception 'Password must mix at least two of: lower case, upper case, digits, symbols.'
      using errcode = 'WEAKP';
  end if;
  if username is not null and position(lower(username) in lower(password)) > 0 then
    raise exception 'Password must not contain the username.' using errcode = 'WEAKP';
  end if;
end;
$$;

--
-- Name: audit(text, text, text, jsonb, jsonb); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.audit(action text, target_table text, target_id text, before jsonb, after jsonb) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  insert into app_public.audit_log (actor_id, action, target_table, target_id, request_id, ip, before, after)
  -- The actor as a user that exists: someone deleting their own account is
  -- audited after the row is gone.
  values ((select u.id from app_public.users u where u.id = app_public.current_user_id()), audit.action, audit.target_table, audit.target_id,
    nullif(current_setting('lifegraph.request_id', true), ''),
    nullif(current_setting('lifegraph.ip', true), '')::inet,
    audit.before - '{password_hash,secret,secret_hash,token_hash}'::text[],
    audit.after - '{password_hash,secret,secret_hash,token_hash}'::text[]);
$$;

--
-- Name: FUNCTION audit(action text, target_table text, target_id text, before jsonb, after jsonb); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.audit(action text, target_table text, target_id text, before jsonb, after jsonb) IS 'Appends an entry to the audit log with the current user, request id and IP.';

--
-- Name: audit_forget(uuid, text[]); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.audit_forget(user_id uuid, names text[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_count integer;
begin
  perform set_config('lifegraph.audit_redaction', 'on', true);
  update app_public.audit_log l set
    actor_id = case when l.actor_id = audit_forget.user_id then null else l.actor_id end,
    ip = case when l.actor_id = audit_forget.user_id then null else l.ip end,
    target_id = case when l.target_id = audit_forget.user_id::text then null else l.target_id end,
    before = case when app_private.jsonb_names(l.before, audit_forget.user_id, audit_forget.names) then null else l.before end,
    after = case when app_private.jsonb_names(l.after, audit_forget.user_id, audit_forget.names) then null else l.after end
  where l.actor_id = audit_forget.user_id or l.target_id = audit_forget.user_id::text
    or app_private.jsonb_names(l.before, audit_forget.user_id, audit_forget.names)
    or app_private.jsonb_names(l.after, audit_forget.user_id, audit_forget.names);
  get diagnostics v_count = row_count;
  perform set_config('lifegraph.audit_redaction', '', true);
  return v_count;
end;
$$;

--
-- Name: FUNCTION audit_forget(user_id uuid, names text[]); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.audit_forget(user_id uuid, names text[]) IS 'Removes an erased account''s id, address and rows from the audit log''s entries; the entries stay.';

--
-- Name: authenticate_api_key(text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.authenticate_api_key(secret text) RETURNS TABLE(session_id uuid, user_id uuid, read_only boolean)
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with found as (
    select k.* from app_private.api_key_secrets s
    join app_public.api_keys k on k.id = s.api_key_id
    where s.secret_hash = digest(secret, 'sha256')
      and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())
  ), touched as (
    update app_public.api_keys k set last_used_at = now()
    from found where k.id = found.id
      and (found.last_used_at is null or found.last_used_at < now() - interval '1 minute')
  )
  select s.id, found.user_id, not ('WRITE' = any (found.scopes))
  from found join app_private.sessions s on s.api_key_id = found.id
  where s.revoked_at is null;
$$;

--
-- Name: FUNCTION authenticate_api_key(secret text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.authenticate_api_key(secret text) IS 'Resolves an `lg_…` secret to its session; READ-only keys get read_only = true.';

--
-- Name: award_achievements(uuid, app_public.achievement_event, integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.award_achievements(user_id uuid, event app_public.achievement_event, progress integer) RETURNS SETOF app_public.user_achievements
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION award_achievements(user_id uuid, event app_public.achievement_event, progress integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.award_achievements(user_id uuid, event app_public.achievement_event, progress integer) IS 'Awards the achievements of an event that a progress reaches, each once: points, an activity event and a notification per new award.';

--
-- Name: personal_records; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.personal_records (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    category text NOT NULL,
    value numeric NOT NULL,
    unit text NOT NULL,
    higher_is_better boolean DEFAULT true NOT NULL,
    visibility app_public.audience DEFAULT 'friends'::app_public.audience NOT NULL,
    achieved_on date DEFAULT CURRENT_DATE NOT NULL,
    is_personal_best boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT record_category_format CHECK ((category ~ '^[a-z][a-z0-9_]{1,39}$'::text)),
    CONSTRAINT record_unit_length CHECK (((char_length(unit) >= 1) AND (char_length(unit) <= 20)))
);

--
-- Name: TABLE personal_records; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.personal_records IS 'Your personal records; the best of each category is marked by the database.';

--
-- Name: COLUMN personal_records.category; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.personal_records.category IS 'What the record measures, e.g. 5k_run or plank (lower-case letters, digits, underscores).';

--
-- Name: COLUMN personal_records.higher_is_better; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.personal_records.higher_is_better IS 'True when a higher value beats a lower one (false for times).';

--
-- Name: COLUMN personal_records.visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.personal_records.visibility IS 'Who may see this record (and only while your profile shows records).';

--
-- Name: COLUMN personal_records.is_personal_best; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.personal_records.is_personal_best IS '@behavior +filterBy
The best record of its category, kept by the database.';

--
-- Name: best_personal_record_id(uuid, text, app_public.personal_records); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.best_personal_record_id(user_id uuid, category text, candidate app_public.personal_records) RETURNS uuid
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select c.id from (
    select b.id, b.value, b.higher_is_better, b.achieved_on, b.created_at from app_public.personal_records b
    where b.user_id = best_personal_record_id.user_id and b.category = best_personal_record_id.category
      and b.id is distinct from candidate.id
    union all
    select candidate.id, candidate.value, candidate.higher_is_better, candidate.achieved_on, candidate.created_at
    where candidate.id is not null and candidate.user_id = best_personal_record_id.user_id
      and candidate.category = best_personal_record_id.category
  ) c
  order by case when c.higher_is_better then c.value end desc nulls last,
    case when not c.higher_is_better then c.value end asc nulls last, c.achieved_on, c.created_at, c.id
  limit 1;
$$;

--
-- Name: FUNCTION best_personal_record_id(user_id uuid, category text, candidate app_public.personal_records); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.best_personal_record_id(user_id uuid, category text, candidate app_public.personal_records) IS 'The best record of a user''s category, counting a row about to be written.';

--
-- Name: claim_deliveries(uuid[]); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.claim_deliveries(delivery_ids uuid[]) RETURNS SETOF app_private.delivery_claim
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION claim_deliveries(delivery_ids uuid[]); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.claim_deliveries(delivery_ids uuid[]) IS 'Starts an attempt of each delivery: send (with the template for the user''s locale), done or deferred.';

--
-- Name: collect_digest(uuid, app_public.notification_channel); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.collect_digest(user_id uuid, channel app_public.notification_channel) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION collect_digest(user_id uuid, channel app_public.notification_channel); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.collect_digest(user_id uuid, channel app_public.notification_channel) IS 'Folds a user''s held deliveries on a channel into one digest delivery per target; returns how many digests it made.';

--
-- Name: competition_standings(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.competition_standings(competition_id uuid, round_id uuid DEFAULT NULL::uuid) RETURNS TABLE(rank integer, user_id uuid, score numeric, entries integer)
    LANGUAGE sql STABLE
    AS $$
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
$$;

--
-- Name: FUNCTION competition_standings(competition_id uuid, round_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.competition_standings(competition_id uuid, round_id uuid) IS 'Every participant''s rank, score and number of scores, overall (weighted) or in one round.';

--
-- Name: notification_deliveries; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notification_deliveries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    event_id uuid NOT NULL,
    user_id uuid NOT NULL,
    channel app_public.notification_channel NOT NULL,
    target_id uuid,
    status app_public.delivery_status DEFAULT 'pending'::app_public.delivery_status NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 6 NOT NULL,
    last_error text,
    provider_message_id text,
    digest_id uuid,
    sent_at timestamp with time zone,
    status_changed_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE notification_deliveries; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notification_deliveries IS 'One notification on one channel (and target): its status, attempts and last error. Admins see everyone''s dead letters.';

--
-- Name: COLUMN notification_deliveries.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_deliveries.status IS '@behavior +filterBy +orderBy
pending, held (for a digest), sending, sent, delivered, opened, bounced, skipped, dead (after the last attempt: an admin retries or discards it) or discarded.';

--
-- Name: COLUMN notification_deliveries.run_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_deliveries.run_at IS 'When it is (next) due: after quiet hours, digest windows, rate limits and retry backoff.';

--
-- Name: COLUMN notification_deliveries.last_error; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_deliveries.last_error IS 'What went wrong at the last failed attempt.';

--
-- Name: COLUMN notification_deliveries.digest_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_deliveries.digest_id IS 'The digest delivery that carried this one.';

--
-- Name: COLUMN notification_deliveries.status_changed_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_deliveries.status_changed_at IS '@behavior +filterBy +orderBy
When the status last changed.';

--
-- Name: complete_delivery(uuid, boolean, jsonb, text, text, app_public.delivery_status); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb DEFAULT NULL::jsonb, error text DEFAULT NULL::text, provider_message_id text DEFAULT NULL::text, final_status app_public.delivery_status DEFAULT 'sent'::app_public.delivery_status) RETURNS app_public.notification_deliveries
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb, error text, provider_message_id text, final_status app_public.delivery_status); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb, error text, provider_message_id text, final_status app_public.delivery_status) IS 'Records an attempt; on failure schedules a retry with backoff and jitter, or marks the delivery dead.';

--
-- Name: deliver_in_app(uuid[], text[], text[]); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]) IS 'Writes the in-app notification of each delivery, once, and records the deliveries delivered.';

--
-- Name: point_transactions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.point_transactions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    amount integer NOT NULL,
    reason app_public.point_reason NOT NULL,
    balance_after bigint NOT NULL,
    source_type text,
    source_id uuid,
    note text,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT point_adjustment_has_note CHECK (((reason <> 'admin_adjustment'::app_public.point_reason) OR (note IS NOT NULL))),
    CONSTRAINT point_amount_nonzero CHECK ((amount <> 0)),
    CONSTRAINT point_note_length CHECK ((char_length(note) <= 500)),
    CONSTRAINT point_source_complete CHECK (((source_type IS NULL) = (source_id IS NULL))),
    CONSTRAINT point_source_type_format CHECK ((source_type ~ '^[a-z_]+$'::text))
);

--
-- Name: TABLE point_transactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.point_transactions IS '@behavior -insert -update -delete
The points ledger: every credit and debit, never changed or removed. A correction is a new entry.';

--
-- Name: COLUMN point_transactions.amount; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.amount IS 'Points credited (positive) or debited (negative).';

--
-- Name: COLUMN point_transactions.reason; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.reason IS '@behavior +filterBy
Why the points moved.';

--
-- Name: COLUMN point_transactions.balance_after; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.balance_after IS 'Your balance right after this entry.';

--
-- Name: COLUMN point_transactions.source_type; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.source_type IS 'What the entry is for (ritual_completion, goal, journal_entry, marketplace_purchase…); null for an adjustment.';

--
-- Name: COLUMN point_transactions.source_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.source_id IS 'The id of what the entry is for; each source pays or charges once per reason.';

--
-- Name: COLUMN point_transactions.note; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.note IS 'Why, for an administrator''s adjustment or a refund.';

--
-- Name: COLUMN point_transactions.created_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.created_by IS '@behavior -*
Who wrote the entry (an administrator for an adjustment; you for a purchase; null for the system).';

--
-- Name: COLUMN point_transactions.created_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_transactions.created_at IS '@behavior +orderBy
When the points moved.';

--
-- Name: CONSTRAINT point_adjustment_has_note ON point_transactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_adjustment_has_note ON app_public.point_transactions IS 'An administrator''s adjustment says why.';

--
-- Name: CONSTRAINT point_amount_nonzero ON point_transactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_amount_nonzero ON app_public.point_transactions IS 'An entry moves at least one point.';

--
-- Name: CONSTRAINT point_note_length ON point_transactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_note_length ON app_public.point_transactions IS 'A note is at most 500 characters.';

--
-- Name: earn_points(uuid, text, text, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.earn_points(user_id uuid, rule_code text, source_type text, source_id uuid) RETURNS app_public.point_transactions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION earn_points(user_id uuid, rule_code text, source_type text, source_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.earn_points(user_id uuid, rule_code text, source_type text, source_id uuid) IS 'Pays an active earning rule''s points for one source, once, within the rule''s daily cap; null when nothing was paid.';

--
-- Name: enqueue_review(uuid, app_public.review_kind, date, timestamp with time zone); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_start date := date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, day::timestamp)::date;
begin
  perform graphile_worker.add_job('reviews__generate',
    json_build_object('user_id', user_id, 'kind', kind, 'period_start', v_start),
    job_key := format('reviews__generate:%s:%s:%s', user_id, kind, v_start) || case when run_at is null then '' else ':scheduled' end,
    run_at := coalesce(run_at, now()), max_attempts := 5);
  return true;
end;
$$;

--
-- Name: FUNCTION enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamp with time zone); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamp with time zone) IS 'Schedules one review job for the period holding `day`: now, or at run_at; its key makes repeats one job.';

--
-- Name: enqueue_reviews(app_public.review_kind, date); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.enqueue_reviews(kind app_public.review_kind, on_date date) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select count(app_private.enqueue_review(u.id, kind, p.period_start,
    (p.next_start + time '02:00') at time zone app_hidden.user_timezone(u.id)))::int
  from app_public.users u
  cross join (
    select s.period_start, (s.period_start + case kind when 'monthly' then interval '1 month' else interval '3 months' end)::date as next_start
    from (select date_trunc(case kind when 'monthly' then 'month' else 'quarter' end, on_date::timestamp)::date as period_start) s
  ) p;
$$;

--
-- Name: FUNCTION enqueue_reviews(kind app_public.review_kind, on_date date); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.enqueue_reviews(kind app_public.review_kind, on_date date) IS 'Schedules, for every user, the review of the period holding on_date, at 02:00 on the day after it ends in the user''s time zone. Returns how many.';

--
-- Name: erase_user(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.erase_user(user_id uuid) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
declare
  v_user app_public.users;
  v_tomb uuid;
  v_messages int;
  v_conversations int;
  v_communities int := 0;
  v_entries int := 0;
  v_community record;
  v_entry app_public.point_transactions;
  v_names text[];
begin
  select * into v_user from app_public.users u where u.id = erase_user.user_id for update;
  if not found then
    raise exception 'No such account.' using errcode = 'NOFND';
  end if;
  -- What the audit log may hold of the person, besides the id (audit_forget below).
  v_names := array[v_user.username::text] || array(select e.email::text from app_public.user_emails e where e.user_id = erase_user.user_id);
  -- Nothing written during the erasure records the request's address.
  perform set_config('lifegraph.ip', '', true);

  insert into app_public.users (username, display_name)
    values ('erased_' || left(replace(gen_random_uuid()::text, '-', ''), 16), 'Deleted account')
    returning id into v_tomb;
  insert into app_private.tombstones (user_id) values (v_tomb);
  -- Nobody finds it, befriends it or writes to it.
  update app_public.privacy_settings p
    set profile_visibility = 'private', friend_requests_from = 'nobody', messages_from = 'nobody'
    where p.user_id = v_tomb;

  -- Conversations stay with the other member; the tombstone takes this
  -- side, and the messages sent keep their text for the one who got them.
  update app_public.conversations c
    set user_low = least(case when c.user_low = erase_user.user_id then c.user_high else c.user_low end, v_tomb),
      user_high = greatest(case when c.user_low = erase_user.user_id then c.user_high else c.user_low end, v_tomb)
    where erase_user.user_id in (c.user_low, c.user_high);
  get diagnostics v_conversations = row_count;
  update app_public.conversation_members m set user_id = v_tomb where m.user_id = erase_user.user_id;
  update app_public.direct_messages d set sender_id = v_tomb where d.sender_id = erase_user.user_id;
  get diagnostics v_messages = row_count;

  -- A community founded goes to its most senior member (highest role, then
  -- longest membership); one with no other member goes with the founder.
  for v_community in
    select c.id, (select m.user_id from app_public.community_members m
        where m.community_id = c.id and m.user_id <> erase_user.user_id
        order by m.role desc, m.joined_at, m.user_id limit 1) as heir
    from app_public.communities c where c.founder_id = erase_user.user_id for update
  loop
    continue when v_community.heir is null;
    -- In the order of transfer_community_ownership: one founder at a time.
    update app_public.communities c set founder_id = v_community.heir where c.id = v_community.id;
    update app_public.community_members m set role = 'admin'
      where m.community_id = v_community.id and m.user_id = erase_user.user_id;
    update app_public.community_members m set role = 'founder'
      where m.community_id = v_community.id and m.user_id = v_community.heir;
    v_communities := v_communities + 1;
  end loop;

  -- The ledger only grows: each entry is posted again, in order, to the
  -- tombstone (the note, which may name the person, is not), so the ledger's
  -- totals stay true; the user's own entries then go with the account, the
  -- one deletion the points domain allows. Entries of one moment go credits
  -- first, so the copy never dips below zero (PTLOW) where the original did not.
  for v_entry in
    select * from app_public.point_transactions t where t.user_id = erase_user.user_id order by t.created_at, t.amount desc, t.id
  loop
    insert into app_public.point_transactions (user_id, amount, reason, source_type, source_id, note, created_by, created_at)
      values (v_tomb, v_entry.amount, v_entry.reason, v_entry.source_type, v_entry.source_id,
        case when v_entry.note is not null then 'Entry of an erased account.' end, v_entry.created_by, v_entry.created_at);
    v_entries := v_entries + 1;
  end loop;

  -- What others were shown or told about the person goes: their activity
  -- that points at them ("became friends with …") and notifications that
  -- carry their id or name (with the deliveries and in-app rows made of them).
  delete from app_public.activity_events e where e.object_type = 'user' and e.object_id = erase_user.user_id;
  delete from app_public.notification_events e
    where jsonb_path_exists(e.data, '$.** ? (@ == $id || @ == $name)',
      jsonb_build_object('id', erase_user.user_id, 'name', v_user.username));

  -- Traces without a foreign key: the live stream's audiences, the
  -- request counters and the feed inboxes.
  update app_private.realtime_log r set audience = array_remove(r.audience, erase_user.user_id)
    where r.audience @> array[erase_user.user_id];
  delete from app_private.rate_limits r where strpos(r.key, erase_user.user_id::text) > 0;
  -- Their events in their friends' feed inboxes (their own inbox goes with the account).
  delete from app_private.feed_inbox i using app_public.friendships f, app_public.activity_events e
    where f.user_id = erase_user.user_id and i.viewer_id = f.friend_id
      and e.actor_id = erase_user.user_id and i.created_at = e.created_at and i.event_id = e.id;

  -- The audit entry of the deletion keeps the row as it was: make it name nobody first.
  update app_public.users u set username = 'erasing_' || left(replace(gen_random_uuid()::text, '-', ''), 15),
    display_name = null, avatar_url = null
    where u.id = erase_user.user_id;
  perform app_private.audit('privacy.account_erased', 'app_public.users', v_tomb::text, null,
    jsonb_build_object('tombstone_id', v_tomb, 'conversations', v_conversations, 'messages', v_messages,
      'communities_transferred', v_communities, 'ledger_entries', v_entries));
  v_names := v_names || (select u.username::text from app_public.users u where u.id = erase_user.user_id);
  delete from app_public.users u where u.id = erase_user.user_id;
  perform app_private.audit_forget(erase_user.user_id, v_names);
  return jsonb_build_object('tombstone_id', v_tomb, 'conversations', v_conversations, 'messages', v_messages,
    'communities_transferred', v_communities, 'ledger_entries', v_entries);
end;
$_$;

--
-- Name: FUNCTION erase_user(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.erase_user(user_id uuid) IS 'Erases an account (docs/privacy.md): shared content moves to a new tombstone account, the rest goes with the user row. Returns what moved.';

--
-- Name: export_plan(uuid, name); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.export_plan(user_id uuid, reader name) RETURNS TABLE(table_name text, query text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_conds jsonb := jsonb_build_object('app_public.users', format('t.id = %L::uuid', user_id));
  v_more jsonb;
begin
  select v_conds || coalesce(jsonb_object_agg(o.rel::regclass::text, o.cond), '{}') into v_conds
  from (
    select c.oid as rel, string_agg(format('t.%I = %L::uuid', a.attname, user_id), ' or ' order by a.attname) as cond
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    where n.nspname in ('app_public', 'app_private') and c.relkind in ('r', 'p') and not c.relispartition
      and c.oid <> 'app_public.users'::regclass
      and (exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'f'
            and k.confrelid = 'app_public.users'::regclass and k.confdeltype = 'c' and k.conkey = array[a.attnum])
        or (a.attname = 'user_id' and a.atttypid = 'uuid'::regtype
          and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'f'
            and k.confrelid = 'app_public.users'::regclass and k.conkey = array[a.attnum])))
    group by c.oid
  ) o;
  loop
    select coalesce(jsonb_object_agg(ch.rel::regclass::text, ch.cond), '{}') into v_more
    from (
      select k.conrelid as rel, string_agg(format('(%s) in (select %s from %s t where %s)',
          (select string_agg('t.' || quote_ident(ca.attname), ', ' order by x.i) from unnest(k.conkey) with ordinality x(att, i)
            join pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = x.att),
          (select string_agg('t.' || quote_ident(pa.attname), ', ' order by x.i) from unnest(k.confkey) with ordinality x(att, i)
            join pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = x.att),
          k.confrelid::regclass, v_conds ->> k.confrelid::regclass::text), ' or ') as cond
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      where k.contype = 'f' and k.confdeltype = 'c' and not c.relispartition
        and v_conds ? k.confrelid::regclass::text and not v_conds ? k.conrelid::regclass::text
        and k.conrelid <> k.confrelid
      group by k.conrelid
    ) ch;
    exit when v_more = '{}';
    v_conds := v_conds || v_more;
  end loop;
  return query
    select e.key, format('select %s from %s t where %s', cols.list, e.key, e.value)
    from jsonb_each_text(v_conds) e
    cross join lateral (
      select string_agg(quote_ident(a.attname), ', ' order by a.attnum) as list
      from pg_attribute a
      where a.attrelid = e.key::regclass and a.attnum > 0 and not a.attisdropped
        and has_column_privilege(reader, e.key::regclass, a.attnum, 'SELECT')
    ) cols
    where cols.list is not null
    order by e.key;
end;
$$;

--
-- Name: FUNCTION export_plan(user_id uuid, reader name); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.export_plan(user_id uuid, reader name) IS 'The query of each table an export reads for the user, found by walking the foreign keys to users; columns are those `reader` may select.';

--
-- Name: extend_feed_inbox(timestamp with time zone); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.extend_feed_inbox(since timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_starts_at timestamptz;
  v_added bigint;
begin
  lock table app_public.friendships, app_public.activity_events in share mode;
  select h.starts_at into v_starts_at from app_private.feed_inbox_horizon h for update;
  if since >= v_starts_at then
    return 0;
  end if;
  insert into app_private.feed_inbox (viewer_id, created_at, event_id)
    select f.friend_id, e.created_at, e.id
    from app_public.activity_events e join app_public.friendships f on f.user_id = e.actor_id
    where e.visibility <> 'private' and e.created_at >= since and e.created_at < v_starts_at
    on conflict do nothing;
  get diagnostics v_added = row_count;
  update app_private.feed_inbox_horizon set starts_at = since;
  return v_added;
end;
$$;

--
-- Name: FUNCTION extend_feed_inbox(since timestamp with time zone); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.extend_feed_inbox(since timestamp with time zone) IS 'Moves the inbox horizon back to since and fills the inbox for the time between; returns the rows added.';

--
-- Name: fail_data_export(uuid, text, boolean); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.fail_data_export(export_id uuid, error text, final boolean) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.data_exports e
    set status = case when final then 'failed'::app_public.data_export_status else 'queued' end,
      error = left(fail_data_export.error, 500), finished_at = case when final then now() end
    where e.id = fail_data_export.export_id and e.status in ('queued', 'running');
$$;

--
-- Name: FUNCTION fail_data_export(export_id uuid, error text, final boolean); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.fail_data_export(export_id uuid, error text, final boolean) IS 'Records a failed attempt: queued again for a retry, or failed after the last one.';

--
-- Name: finalise_competition(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.finalise_competition(competition_id uuid) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION finalise_competition(competition_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.finalise_competition(competition_id uuid) IS 'Awards a finished competition''s rewards exactly once (grants, points, items, notifications, activity); returns the grants made.';

--
-- Name: data_exports; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.data_exports (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    status app_public.data_export_status DEFAULT 'queued'::app_public.data_export_status NOT NULL,
    progress smallint DEFAULT 0 NOT NULL,
    file_id uuid,
    error text,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    expires_at timestamp with time zone,
    CONSTRAINT data_export_progress_range CHECK (((progress >= 0) AND (progress <= 100))),
    CONSTRAINT data_export_ready_expires CHECK (((status <> 'ready'::app_public.data_export_status) OR (expires_at IS NOT NULL)))
);

--
-- Name: TABLE data_exports; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.data_exports IS '@behavior -insert -update -delete
A request for a copy of everything you own: one archive (zip) with JSON and CSV of each table and your files. Ask with `requestDataExport`; the link comes as a notification.';

--
-- Name: COLUMN data_exports.progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.data_exports.progress IS 'Percent done while running; 100 when ready.';

--
-- Name: COLUMN data_exports.file_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.data_exports.file_id IS 'The archive in the exports bucket, while the export is ready.';

--
-- Name: COLUMN data_exports.error; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.data_exports.error IS 'Why the last attempt failed.';

--
-- Name: COLUMN data_exports.expires_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.data_exports.expires_at IS 'When the archive and its link expire (7 days after it was built by default).';

--
-- Name: CONSTRAINT data_export_progress_range ON data_exports; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT data_export_progress_range ON app_public.data_exports IS 'Progress is a percentage, 0 to 100.';

--
-- Name: CONSTRAINT data_export_ready_expires ON data_exports; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT data_export_ready_expires ON app_public.data_exports IS 'A ready export says when it expires.';

--
-- Name: finish_data_export(uuid, uuid, bigint, text, timestamp with time zone, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.finish_data_export(export_id uuid, file_id uuid, size bigint, sha256 text, expires_at timestamp with time zone, download_url text) RETURNS app_public.data_exports
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_export app_public.data_exports;
begin
  select * into v_export from app_public.data_exports e where e.id = finish_data_export.export_id for update;
  insert into app_public.files (id, owner_id, bucket, key, size, content_type, sha256, status, uploaded_at, expires_at)
    values (file_id, v_export.user_id, 'exports', '', size, 'application/zip', sha256, 'ready', now(), expires_at);
  update app_public.data_exports e
    set status = 'ready', progress = 100, file_id = finish_data_export.file_id, finished_at = now(),
      expires_at = finish_data_export.expires_at
    where e.id = export_id returning * into v_export;
  perform app_private.notify(v_export.user_id, 'privacy.export_ready', jsonb_build_object(
    'download_url', download_url,
    'expires_at', to_char(finish_data_export.expires_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')),
    'privacy.export_ready:' || v_export.id);
  return v_export;
end;
$$;

--
-- Name: FUNCTION finish_data_export(export_id uuid, file_id uuid, size bigint, sha256 text, expires_at timestamp with time zone, download_url text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.finish_data_export(export_id uuid, file_id uuid, size bigint, sha256 text, expires_at timestamp with time zone, download_url text) IS 'Records the stored archive, marks the export ready and notifies its owner (privacy.export_ready) with the download link.';

--
-- Name: fire_goal_check(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.fire_goal_check(user_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION fire_goal_check(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.fire_goal_check(user_id uuid) IS 'The 09:00 check: goals due within three days or overdue, once a local day.';

--
-- Name: fire_ritual_reminder(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.fire_ritual_reminder(ritual_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION fire_ritual_reminder(ritual_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.fire_ritual_reminder(ritual_id uuid) IS 'Reminds of a ritual not yet kept in its current slot, once a local day, and schedules the next.';

--
-- Name: fire_weekly_report(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.fire_weekly_report(user_id uuid) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION fire_weekly_report(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.fire_weekly_report(user_id uuid) IS 'The Sunday 18:00 report of the week''s rituals, once a week.';

--
-- Name: competition_reward_grants; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.competition_reward_grants (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    reward_id uuid NOT NULL,
    competition_id uuid NOT NULL,
    user_id uuid NOT NULL,
    placement integer NOT NULL,
    status app_public.reward_status DEFAULT 'pending'::app_public.reward_status NOT NULL,
    detail text,
    point_transaction_id uuid,
    purchase_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE competition_reward_grants; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.competition_reward_grants IS '@behavior -insert -update -delete
A reward won: readable by the winner and administrators. Made once per reward and winner when the competition is finalised.';

--
-- Name: COLUMN competition_reward_grants.placement; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_reward_grants.placement IS 'The overall rank it was won with.';

--
-- Name: COLUMN competition_reward_grants.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_reward_grants.status IS 'pending, fulfilled (points credited or item given) or failed (see detail).';

--
-- Name: COLUMN competition_reward_grants.detail; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_reward_grants.detail IS 'Why a fulfilment failed (e.g. the item was out of stock).';

--
-- Name: COLUMN competition_reward_grants.point_transaction_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_reward_grants.point_transaction_id IS 'The ledger entry that paid a points reward.';

--
-- Name: COLUMN competition_reward_grants.purchase_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_reward_grants.purchase_id IS 'The (free) purchase that gave an item reward.';

--
-- Name: fulfil_reward_grant(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.fulfil_reward_grant(grant_id uuid) RETURNS app_public.competition_reward_grants
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION fulfil_reward_grant(grant_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.fulfil_reward_grant(grant_id uuid) IS 'Pays a pending grant: points through the ledger, or an item as a free purchase (failed when out of stock).';

--
-- Name: reviews; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.reviews (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    kind app_public.review_kind NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    gfs numeric(4,3),
    area_scores jsonb DEFAULT '[]'::jsonb NOT NULL,
    goals jsonb DEFAULT '{}'::jsonb NOT NULL,
    rituals jsonb DEFAULT '[]'::jsonb NOT NULL,
    wellness jsonb DEFAULT '{}'::jsonb NOT NULL,
    journal_highlights jsonb DEFAULT '[]'::jsonb NOT NULL,
    generated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE reviews; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.reviews IS 'Your monthly or quarterly review, generated by the worker on the 1st (or on request): area scores and trends, GFS, goals, rituals, wellness and journal highlights.';

--
-- Name: COLUMN reviews.area_scores; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.reviews.area_scores IS 'Per area: code, name, score, sample count, confidence and trends of the period.';

--
-- Name: COLUMN reviews.goals; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.reviews.goals IS 'Goals by status, mean progress, and those completed in the period.';

--
-- Name: COLUMN reviews.rituals; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.reviews.rituals IS 'Per ritual: slots in the period, slots kept, completion rate, longest streak.';

--
-- Name: COLUMN reviews.wellness; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.reviews.wellness IS 'Wellness averages over the period.';

--
-- Name: COLUMN reviews.journal_highlights; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.reviews.journal_highlights IS 'The period''s most positive entries, with their summaries.';

--
-- Name: generate_review(uuid, app_public.review_kind, date); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.generate_review(user_id uuid, kind app_public.review_kind, period_start date) RETURNS app_public.reviews
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION generate_review(user_id uuid, kind app_public.review_kind, period_start date); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.generate_review(user_id uuid, kind app_public.review_kind, period_start date) IS 'Builds (or rebuilds) the review of the month or quarter containing period_start. Idempotent.';

--
-- Name: issue_account_token(uuid, uuid, text, interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_token text := encode(gen_random_bytes(32), 'hex');
begin
  insert into app_private.account_tokens (user_id, email_id, purpose, token_hash, expires_at)
    values (user_id, email_id, purpose, digest(v_token, 'sha256'), now() + ttl);
  return v_token;
end;
$$;

--
-- Name: FUNCTION issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval) IS 'A new random token (returned once; stored hashed).';

--
-- Name: issue_session(uuid, interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.issue_session(user_id uuid, ttl interval) RETURNS app_private.auth_result
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_session app_private.sessions;
  v_token text := 'lgr_' || encode(gen_random_bytes(32), 'hex');
begin
  insert into app_private.sessions (user_id, expires_at)
    values (issue_session.user_id, now() + ttl) returning * into v_session;
  insert into app_private.refresh_tokens (token_hash, session_id)
    values (digest(v_token, 'sha256'), v_session.id);
  return row('OK', v_session.user_id, v_session.id, v_token)::app_private.auth_result;
end;
$$;

--
-- Name: jsonb_names(jsonb, uuid, text[]); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.jsonb_names(value jsonb, user_id uuid, names text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $_$
  select value is not null and exists (
    select 1 from unnest(array[user_id::text] || names) n
    where n <> '' and jsonb_path_exists(value, '$.** ? (@ == $n)', jsonb_build_object('n', n)));
$_$;

--
-- Name: FUNCTION jsonb_names(value jsonb, user_id uuid, names text[]); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.jsonb_names(value jsonb, user_id uuid, names text[]) IS 'True when a JSON value holds the user id or one of the names as a whole value.';

--
-- Name: competitions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.competitions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    community_id uuid,
    title text NOT NULL,
    rules_md text,
    capacity integer,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    status app_public.competition_status DEFAULT 'draft'::app_public.competition_status NOT NULL,
    participant_count integer DEFAULT 0 NOT NULL,
    created_by uuid,
    finalised_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT competition_capacity_range CHECK (((capacity >= 2) AND (capacity <= 1000000))),
    CONSTRAINT competition_participant_count_within_capacity CHECK (((participant_count >= 0) AND ((capacity IS NULL) OR (participant_count <= capacity)))),
    CONSTRAINT competition_rules_length CHECK ((char_length(rules_md) <= 10000)),
    CONSTRAINT competition_title_length CHECK (((char_length(title) >= 3) AND (char_length(title) <= 120))),
    CONSTRAINT competition_window_ordered CHECK ((ends_at > starts_at))
);

--
-- Name: TABLE competitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.competitions IS '@behavior -insert
A contest over a window of time: global (run by administrators) or of a community (run by its admins and founder). Made with createCompetition, opened with scheduleCompetition; the database starts and ends it on time. Organisers edit the title, rules, capacity and times until it starts, and delete a draft.';

--
-- Name: COLUMN competitions.community_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.community_id IS '@behavior +filterBy
The community it belongs to; none for a global competition.';

--
-- Name: COLUMN competitions.title; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.title IS 'What it is called (3 to 120 characters).';

--
-- Name: COLUMN competitions.rules_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.rules_md IS 'The rules, in Markdown.';

--
-- Name: COLUMN competitions.capacity; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.capacity IS 'How many may take part; no limit when empty.';

--
-- Name: COLUMN competitions.starts_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.starts_at IS 'When it starts: entries close, rounds may open. Fixed once it has started.';

--
-- Name: COLUMN competitions.ends_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.ends_at IS 'When it ends; the rewards are awarded shortly after.';

--
-- Name: COLUMN competitions.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.status IS '@behavior +filterBy
draft (organisers only), scheduled (open for entries), active, finished or cancelled. Moves with scheduleCompetition, cancelCompetition and the clock.';

--
-- Name: COLUMN competitions.participant_count; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.participant_count IS 'How many take part, kept by the database.';

--
-- Name: COLUMN competitions.created_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.created_by IS 'Who made it.';

--
-- Name: COLUMN competitions.finalised_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competitions.finalised_at IS 'When its rewards were awarded.';

--
-- Name: CONSTRAINT competition_capacity_range ON competitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT competition_capacity_range ON app_public.competitions IS 'A capacity is between 2 and 1,000,000.';

--
-- Name: CONSTRAINT competition_participant_count_within_capacity ON competitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT competition_participant_count_within_capacity ON app_public.competitions IS 'The capacity cannot go below the number already taking part.';

--
-- Name: CONSTRAINT competition_title_length ON competitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT competition_title_length ON app_public.competitions IS 'A title has 3 to 120 characters.';

--
-- Name: CONSTRAINT competition_window_ordered ON competitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT competition_window_ordered ON app_public.competitions IS 'A competition ends after it starts.';

--
-- Name: key_competition_jobs(app_public.competitions); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.key_competition_jobs(competition app_public.competitions) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION key_competition_jobs(competition app_public.competitions); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.key_competition_jobs(competition app_public.competitions) IS 'Queues (or re-keys, or removes) the competitions__advance jobs at a competition''s start and end, as its status needs.';

--
-- Name: lock_competition(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.lock_competition(competition_id uuid) RETURNS app_public.competitions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_competition app_public.competitions;
begin
  select * into v_competition from app_public.competitions c where c.id = lock_competition.competition_id for update;
  if not found or not app_hidden.can_see_competition(v_competition.id) then
    raise exception 'No such competition.' using errcode = 'NOFND';
  end if;
  return v_competition;
end;
$$;

--
-- Name: FUNCTION lock_competition(competition_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.lock_competition(competition_id uuid) IS 'Locks and returns a competition you may see (NOFND otherwise).';

--
-- Name: lock_feed_actor(uuid, boolean); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.lock_feed_actor(actor_id uuid, exclusive boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if exclusive then
    perform pg_advisory_xact_lock(hashtextextended(actor_id::text, 17));
  else
    perform pg_advisory_xact_lock_shared(hashtextextended(actor_id::text, 17));
  end if;
end;
$$;

--
-- Name: FUNCTION lock_feed_actor(actor_id uuid, exclusive boolean); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.lock_feed_actor(actor_id uuid, exclusive boolean) IS 'Serialises an actor''s inbox backfills (exclusive) with their fan-outs (shared) until the transaction ends.';

--
-- Name: lock_pair(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.lock_pair(a uuid, b uuid) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select pg_advisory_xact_lock(hashtextextended(least(a, b)::text || greatest(a, b)::text, 7));
$$;

--
-- Name: FUNCTION lock_pair(a uuid, b uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.lock_pair(a uuid, b uuid) IS 'Serialises changes between two users until the transaction ends.';

--
-- Name: point_accounts; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.point_accounts (
    user_id uuid NOT NULL,
    balance bigint DEFAULT 0 NOT NULL,
    lifetime_earned bigint DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT point_balance_nonnegative CHECK ((balance >= 0))
);

--
-- Name: TABLE point_accounts; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.point_accounts IS '@behavior -insert -update -delete
Your points: the balance, kept with every ledger entry, never below zero.';

--
-- Name: COLUMN point_accounts.balance; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_accounts.balance IS 'Points you have now.';

--
-- Name: COLUMN point_accounts.lifetime_earned; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_accounts.lifetime_earned IS 'Every point ever credited to you (spending does not lower it).';

--
-- Name: COLUMN point_accounts.updated_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_accounts.updated_at IS 'When the balance last moved.';

--
-- Name: CONSTRAINT point_balance_nonnegative ON point_accounts; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_balance_nonnegative ON app_public.point_accounts IS 'A balance never goes below zero (spending more raises PTLOW).';

--
-- Name: lock_point_account(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.lock_point_account(user_id uuid) RETURNS app_public.point_accounts
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION lock_point_account(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.lock_point_account(user_id uuid) IS 'Locks (and creates on first use) a user''s point account.';

--
-- Name: login(text, text, interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.login(login text, password text, session_ttl interval) RETURNS app_private.auth_result
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user_id uuid;
  v_hash text;
begin
  select u.id into v_user_id from app_public.users u where u.username = login::citext;
  if v_user_id is null then
    select e.user_id into v_user_id from app_public.user_emails e where e.email = login::citext and e.is_verified;
  end if;
  if v_user_id is null then
    select e.user_id into v_user_id from app_public.user_emails e
    where e.email = login::citext and (select count(*) from app_public.user_emails x where x.email = login::citext) = 1;
  end if;
  select s.password_hash into v_hash from app_private.user_secrets s where s.user_id = v_user_id;
  if v_hash is null then
    -- Spend the same time as a real check, so timing does not reveal accounts.
    perform crypt(password, gen_salt('bf', 10));
    return row('LOGIN', null, null, null)::app_private.auth_result;
  end if;
  if v_hash <> crypt(password, v_hash) then
    return row('LOGIN', null, null, null)::app_private.auth_result;
  end if;
  return app_private.issue_session(v_user_id, session_ttl);
end;
$$;

--
-- Name: FUNCTION login(login text, password text, session_ttl interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.login(login text, password text, session_ttl interval) IS 'Checks a username-or-email and password and opens a session; LOGIN for a wrong one (the gateway throttles failures).';

--
-- Name: make_friends(uuid, uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.make_friends(a uuid, b uuid, request_id uuid) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  insert into app_public.friendships (user_id, friend_id, source_request_id)
  values (a, b, request_id), (b, a, request_id)
  on conflict do nothing;
$$;

--
-- Name: FUNCTION make_friends(a uuid, b uuid, request_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.make_friends(a uuid, b uuid, request_id uuid) IS 'Writes both rows of a friendship.';

--
-- Name: mark_personal_best(uuid, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.mark_personal_best(user_id uuid, category text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_best uuid := app_private.best_personal_record_id(user_id, category, null);
begin
  update app_public.personal_records r set is_personal_best = false
    where r.user_id = mark_personal_best.user_id and r.category = mark_personal_best.category
      and r.is_personal_best and r.id <> v_best;
  update app_public.personal_records r set is_personal_best = true
    where r.id = v_best and not r.is_personal_best;
end;
$$;

--
-- Name: FUNCTION mark_personal_best(user_id uuid, category text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.mark_personal_best(user_id uuid, category text) IS 'Marks the one personal best of a user''s category.';

--
-- Name: move_stock(uuid, integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.move_stock(item_id uuid, delta integer, OUT quantity integer, OUT short boolean) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform set_config('lifegraph.stock_movement', 'on', true);
  update app_public.marketplace_inventory i set quantity = i.quantity + move_stock.delta, updated_at = now()
    where i.item_id = move_stock.item_id and i.quantity + move_stock.delta >= 0
    returning i.quantity into move_stock.quantity;
  perform set_config('lifegraph.stock_movement', 'off', true);
  short := move_stock.quantity is null
    and exists (select 1 from app_public.marketplace_inventory i where i.item_id = move_stock.item_id);
end;
$$;

--
-- Name: FUNCTION move_stock(item_id uuid, delta integer, OUT quantity integer, OUT short boolean); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.move_stock(item_id uuid, delta integer, OUT quantity integer, OUT short boolean) IS 'Moves stock by a purchase, refund or restock (not audited); short when the stock does not cover a decrement.';

--
-- Name: new_webhook_secret(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.new_webhook_secret(endpoint_id uuid) RETURNS text
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  insert into app_private.webhook_secrets (endpoint_id, secret)
  values (endpoint_id, 'whsec_' || encode(gen_random_bytes(24), 'base64')) returning secret;
$$;

--
-- Name: FUNCTION new_webhook_secret(endpoint_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.new_webhook_secret(endpoint_id uuid) IS 'A new random signing secret for an endpoint.';

--
-- Name: notify(uuid, text, jsonb, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.notify(user_id uuid, type text, data jsonb DEFAULT '{}'::jsonb, dedupe_key text DEFAULT NULL::text) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION notify(user_id uuid, type text, data jsonb, dedupe_key text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.notify(user_id uuid, type text, data jsonb, dedupe_key text) IS 'Raises a notification: one event (a repeat of its dedupe_key is a no-op) and one delivery per channel and target the user''s preferences allow, each with its job (added at commit).';

--
-- Name: notification_templates; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notification_templates (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    type text NOT NULL,
    channel app_public.notification_channel NOT NULL,
    locale text DEFAULT 'en'::text NOT NULL,
    version integer NOT NULL,
    subject text,
    body text NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT template_body_length CHECK (((char_length(body) >= 1) AND (char_length(body) <= 20000))),
    CONSTRAINT template_locale_format CHECK ((locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'::text)),
    CONSTRAINT template_subject_length CHECK ((char_length(subject) <= 300))
);

--
-- Name: TABLE notification_templates; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notification_templates IS 'Mustache text per notification type, channel and locale, versioned: saving makes a new version. The newest active version is used; a user''s locale falls back to its language, then to `en`.';

--
-- Name: COLUMN notification_templates.subject; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_templates.subject IS 'Email subject, push title, or in-app title.';

--
-- Name: pick_template(text, app_public.notification_channel, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.pick_template(type text, channel app_public.notification_channel, locale text) RETURNS SETOF app_public.notification_templates
    LANGUAGE sql STABLE
    AS $$
  select t.* from app_public.notification_templates t
  where t.type = pick_template.type and t.channel = pick_template.channel and t.is_active
    and t.locale in (pick_template.locale, split_part(pick_template.locale, '-', 1), 'en')
  order by t.locale = pick_template.locale desc, t.locale = split_part(pick_template.locale, '-', 1) desc, t.version desc
  limit 1;
$$;

--
-- Name: FUNCTION pick_template(type text, channel app_public.notification_channel, locale text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.pick_template(type text, channel app_public.notification_channel, locale text) IS 'The newest active template for the locale, else its language, else English.';

--
-- Name: post_points(uuid, integer, app_public.point_reason, text, uuid, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.post_points(user_id uuid, amount integer, reason app_public.point_reason, source_type text, source_id uuid, note text DEFAULT NULL::text) RETURNS app_public.point_transactions
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  insert into app_public.point_transactions as t (user_id, amount, reason, source_type, source_id, note, created_by)
  values (post_points.user_id, post_points.amount, post_points.reason, post_points.source_type, post_points.source_id,
    post_points.note, app_public.current_user_id())
  returning t.*;
$$;

--
-- Name: FUNCTION post_points(user_id uuid, amount integer, reason app_public.point_reason, source_type text, source_id uuid, note text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.post_points(user_id uuid, amount integer, reason app_public.point_reason, source_type text, source_id uuid, note text) IS 'Writes one ledger entry (null when this source already paid or charged for this reason). Errors: PTLOW.';

--
-- Name: provider_report(text, uuid, text, text, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.provider_report(callback_id text, delivery_id uuid, provider_message_id text, status text, detail text DEFAULT NULL::text) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION provider_report(callback_id text, delivery_id uuid, provider_message_id text, status text, detail text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.provider_report(callback_id text, delivery_id uuid, provider_message_id text, status text, detail text) IS 'Applies a verified provider report to its delivery (by id or provider message id): ok, replay or unknown.';

--
-- Name: prune_data_exports(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.prune_data_exports() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_files uuid[];
begin
  with expired as (
    update app_public.data_exports e set status = 'expired'
    where e.status = 'ready' and e.expires_at <= now()
    returning e.file_id
  )
  select coalesce(array_agg(file_id), '{}') into v_files from expired;
  delete from app_public.files f where f.id = any (v_files);
  return cardinality(v_files);
end;
$$;

--
-- Name: FUNCTION prune_data_exports(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.prune_data_exports() IS 'Expires ready exports past their expiry and deletes their archives (the storage trigger removes the objects).';

--
-- Name: prune_notifications(interval, interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.prune_notifications(read_retention interval, log_retention interval) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION prune_notifications(read_retention interval, log_retention interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.prune_notifications(read_retention interval, log_retention interval) IS 'Deletes read in-app notifications older than read_retention, and delivery logs of items that ended well older than log_retention. Dead letters stay.';

--
-- Name: prune_sessions(interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.prune_sessions(retention interval) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with pruned as (
    delete from app_private.sessions
    where kind = 'login' and coalesce(revoked_at, expires_at) < now() - retention
    returning 1
  ), tokens as (
    delete from app_private.account_tokens
    where least(used_at, expires_at) < now() - retention
    returning 1
  )
  select ((select count(*) from pruned) + (select count(*) from tokens))::int;
$$;

--
-- Name: FUNCTION prune_sessions(retention interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.prune_sessions(retention interval) IS 'Deletes login sessions, and email and password-reset tokens, that ended (revoked, used or expired) longer ago than the retention period.';

--
-- Name: marketplace_items; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.marketplace_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    title text NOT NULL,
    description_md text,
    price integer NOT NULL,
    community_id uuid,
    available_from timestamp with time zone DEFAULT now() NOT NULL,
    available_until timestamp with time zone,
    max_per_purchase integer DEFAULT 10 NOT NULL,
    needs_fulfilment boolean DEFAULT false NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT item_description_length CHECK ((char_length(description_md) <= 5000)),
    CONSTRAINT item_max_per_purchase_range CHECK (((max_per_purchase >= 1) AND (max_per_purchase <= 100))),
    CONSTRAINT item_price_range CHECK (((price >= 0) AND (price <= 1000000))),
    CONSTRAINT item_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 120))),
    CONSTRAINT item_window_ordered CHECK (((available_until IS NULL) OR (available_until > available_from)))
);

--
-- Name: TABLE marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.marketplace_items IS 'Something to buy with points: for everyone, or for the members of one community. Administrators create and edit items; every edit is audited.';

--
-- Name: COLUMN marketplace_items.title; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.title IS 'What it is (1-120 characters).';

--
-- Name: COLUMN marketplace_items.description_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.description_md IS 'More about it (Markdown, up to 5000 characters).';

--
-- Name: COLUMN marketplace_items.price; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.price IS 'Points per unit (0-1000000).';

--
-- Name: COLUMN marketplace_items.community_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.community_id IS '@behavior +filterBy
The community whose members may buy it; null for everyone.';

--
-- Name: COLUMN marketplace_items.available_from; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.available_from IS 'On sale from this moment.';

--
-- Name: COLUMN marketplace_items.available_until; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.available_until IS 'On sale until this moment (null: no end).';

--
-- Name: COLUMN marketplace_items.max_per_purchase; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.max_per_purchase IS 'The most units one purchase may take (1-100).';

--
-- Name: COLUMN marketplace_items.needs_fulfilment; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.needs_fulfilment IS 'Whether an administrator delivers it by hand: its purchases stay pending until then.';

--
-- Name: COLUMN marketplace_items.is_active; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.is_active IS 'Whether it is shown and sold at all.';

--
-- Name: COLUMN marketplace_items.created_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_items.created_by IS '@behavior -*
The administrator who created it.';

--
-- Name: CONSTRAINT item_description_length ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT item_description_length ON app_public.marketplace_items IS 'A description is at most 5000 characters.';

--
-- Name: CONSTRAINT item_max_per_purchase_range ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT item_max_per_purchase_range ON app_public.marketplace_items IS 'A purchase takes 1-100 units at most.';

--
-- Name: CONSTRAINT item_price_range ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT item_price_range ON app_public.marketplace_items IS 'A price is 0-1000000 points.';

--
-- Name: CONSTRAINT item_title_length ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT item_title_length ON app_public.marketplace_items IS 'A title is 1-120 characters.';

--
-- Name: CONSTRAINT item_window_ordered ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT item_window_ordered ON app_public.marketplace_items IS 'The sale ends after it starts.';

--
-- Name: marketplace_purchases; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.marketplace_purchases (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    item_id uuid NOT NULL,
    quantity integer NOT NULL,
    unit_price integer NOT NULL,
    total_price integer GENERATED ALWAYS AS ((quantity * unit_price)) STORED,
    status app_public.purchase_status DEFAULT 'pending'::app_public.purchase_status NOT NULL,
    idempotency_key text NOT NULL,
    status_reason text,
    fulfilled_at timestamp with time zone,
    refunded_at timestamp with time zone,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT purchase_idempotency_key_format CHECK ((idempotency_key ~ '^[A-Za-z0-9_.:-]{8,100}$'::text)),
    CONSTRAINT purchase_quantity_range CHECK (((quantity >= 1) AND (quantity <= 100))),
    CONSTRAINT purchase_status_reason_length CHECK ((char_length(status_reason) <= 500)),
    CONSTRAINT purchase_unit_price_nonnegative CHECK ((unit_price >= 0))
);

--
-- Name: TABLE marketplace_purchases; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.marketplace_purchases IS '@behavior -insert -update -delete
Your purchases. Buy with purchaseItem; administrators fulfil, refund and revoke.';

--
-- Name: COLUMN marketplace_purchases.quantity; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.quantity IS 'Units bought.';

--
-- Name: COLUMN marketplace_purchases.unit_price; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.unit_price IS 'Points per unit when bought.';

--
-- Name: COLUMN marketplace_purchases.total_price; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.total_price IS 'Points paid (quantity × unit price).';

--
-- Name: COLUMN marketplace_purchases.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.status IS '@behavior +filterBy
Where the purchase stands.';

--
-- Name: COLUMN marketplace_purchases.idempotency_key; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.idempotency_key IS 'The key the purchase was made with: the same key returns this purchase again.';

--
-- Name: COLUMN marketplace_purchases.status_reason; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.status_reason IS 'Why it was refunded or revoked.';

--
-- Name: COLUMN marketplace_purchases.fulfilled_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.fulfilled_at IS 'When it was delivered.';

--
-- Name: COLUMN marketplace_purchases.refunded_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.refunded_at IS 'When its points were given back.';

--
-- Name: COLUMN marketplace_purchases.revoked_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.revoked_at IS 'When it was taken back without a refund.';

--
-- Name: COLUMN marketplace_purchases.created_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_purchases.created_at IS '@behavior +orderBy
When it was bought.';

--
-- Name: CONSTRAINT purchase_idempotency_key_format ON marketplace_purchases; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT purchase_idempotency_key_format ON app_public.marketplace_purchases IS 'An idempotency key is 8-100 letters, digits, _ . : or -.';

--
-- Name: CONSTRAINT purchase_quantity_range ON marketplace_purchases; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT purchase_quantity_range ON app_public.marketplace_purchases IS 'A purchase takes 1-100 units.';

--
-- Name: purchase_for_decision(uuid, boolean); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.purchase_for_decision(purchase_id uuid, community_admins boolean, OUT purchase app_public.marketplace_purchases, OUT item app_public.marketplace_items) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION purchase_for_decision(purchase_id uuid, community_admins boolean, OUT purchase app_public.marketplace_purchases, OUT item app_public.marketplace_items); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.purchase_for_decision(purchase_id uuid, community_admins boolean, OUT purchase app_public.marketplace_purchases, OUT item app_public.marketplace_items) IS 'Locks a purchase for fulfil, refund or revoke and checks the caller may decide on it (DNIED, NOFND).';

--
-- Name: purge_activity_events(interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.purge_activity_events(retention interval) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with purged as (
    delete from app_public.activity_events e
    where e.created_at < now() - retention
      and not exists (select 1 from app_public.content_reports r where r.event_id = e.id)
      and not exists (select 1 from app_public.moderation_actions m where m.event_id = e.id)
    returning 1
  )
  select count(*)::int from purged;
$$;

--
-- Name: FUNCTION purge_activity_events(retention interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.purge_activity_events(retention interval) IS 'Deletes activity events older than the retention period, except flagged ones (reported or moderated).';

--
-- Name: queue_delivery_jobs(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.queue_delivery_jobs() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION queue_delivery_jobs(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.queue_delivery_jobs() IS 'Adds the jobs of the deliveries raised in this transaction: in-app ones in batch jobs of up to 100, one keyed job per other pending delivery, one digest job per user and channel with held items.';

--
-- Name: users; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    username public.citext NOT NULL,
    display_name text,
    avatar_url text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    profile_visibility app_public.audience DEFAULT 'friends'::app_public.audience NOT NULL,
    CONSTRAINT avatar_url_format CHECK ((avatar_url ~ '^https?://[^\s]+$'::text)),
    CONSTRAINT display_name_length CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 80))),
    CONSTRAINT username_format CHECK ((username OPERATOR(public.~) '^[a-zA-Z][a-zA-Z0-9_]{2,23}$'::public.citext))
);

--
-- Name: TABLE users; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.users IS 'A person using lifegraph. The public profile: anyone may read it.';

--
-- Name: COLUMN users.username; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.users.username IS 'Unique handle: 3-24 letters, digits or underscores, starting with a letter.';

--
-- Name: COLUMN users.display_name; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.users.display_name IS 'The name shown to others.';

--
-- Name: COLUMN users.avatar_url; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.users.avatar_url IS 'An http(s) URL of the profile picture.';

--
-- Name: COLUMN users.profile_visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.users.profile_visibility IS '@behavior -*
A copy of privacySetting.profileVisibility, kept by the database for the users policy.';

--
-- Name: really_create_user(text, text, text, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.really_create_user(username text, email text, password text, display_name text) RETURNS app_public.users
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user app_public.users;
begin
  perform app_private.assert_strong_password(password, username);
  if exists (select 1 from app_public.users u where u.username = really_create_user.username::citext) then
    raise exception 'That username is already taken.' using errcode = 'NUNIQ';
  end if;
  -- No check of the address: an address is unique among verified ones only,
  -- and registering one another account has verified answers like any other
  -- (its owner is mailed instead: app_private.send_email_verification).
  insert into app_public.users (username, display_name)
    values (username, coalesce(nullif(trim(display_name), ''), username)) returning * into v_user;
  insert into app_public.user_emails (user_id, email, is_primary) values (v_user.id, email, true);
  insert into app_private.user_secrets (user_id, password_hash, password_changed_at)
    values (v_user.id, crypt(password, gen_salt('bf', 10)), now());
  return v_user;
end;
$$;

--
-- Name: FUNCTION really_create_user(username text, email text, password text, display_name text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.really_create_user(username text, email text, password text, display_name text) IS 'Creates a user with a primary email and a bcrypt password. Used by register and the demo seed.';

--
-- Name: realtime_activity_payload(app_public.activity_events); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.realtime_activity_payload(e app_public.activity_events) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select jsonb_build_object('id', e.id, 'verb', e.verb, 'objectType', e.object_type, 'objectId', e.object_id,
    'metadata', e.metadata, 'visibility', e.visibility, 'createdAt', e.created_at,
    'actor', (select jsonb_build_object('id', u.id, 'username', u.username, 'displayName', u.display_name, 'avatarUrl', u.avatar_url)
              from app_public.users u where u.id = e.actor_id));
$$;

--
-- Name: FUNCTION realtime_activity_payload(e app_public.activity_events); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.realtime_activity_payload(e app_public.activity_events) IS 'An activity event as live subscriptions send it.';

--
-- Name: realtime_batch(bigint, uuid[], integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.realtime_batch(after bigint, viewers uuid[], max_rows integer) RETURNS TABLE(seq bigint, topic text, actor_id uuid, visibility app_public.activity_visibility, payload jsonb, receivers uuid[], friends uuid[], followers uuid[])
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return query
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
end;
$$;

--
-- Name: FUNCTION realtime_batch(after bigint, viewers uuid[], max_rows integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.realtime_batch(after bigint, viewers uuid[], max_rows integer) IS 'The next log rows after a seq, each with the connected users who receive it and its payload: one statement per batch for a whole gateway.';

--
-- Name: realtime_ended_sessions(uuid[]); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.realtime_ended_sessions(session_ids uuid[]) RETURNS SETOF uuid
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select s.id from unnest(session_ids) s(id)
  where not exists (select 1 from app_private.sessions x where x.id = s.id and x.revoked_at is null and x.expires_at > now());
$$;

--
-- Name: FUNCTION realtime_ended_sessions(session_ids uuid[]); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.realtime_ended_sessions(session_ids uuid[]) IS 'Which of these sessions ended: their live sockets are closed.';

--
-- Name: realtime_prune(interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.realtime_prune(keep interval) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with gone as (delete from app_private.realtime_log where created_at < now() - keep returning 1)
  select count(*)::int from gone;
$$;

--
-- Name: FUNCTION realtime_prune(keep interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.realtime_prune(keep interval) IS 'Drops log rows older than `keep`; a subscriber resuming from before them is told to refetch.';

--
-- Name: realtime_publish(text, uuid, uuid[]); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.realtime_publish(topic text, row_id uuid, audience uuid[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_seq bigint;
begin
  perform pg_advisory_xact_lock(hashtext('app_private.realtime_log'));
  insert into app_private.realtime_log (topic, row_id, audience)
    values (realtime_publish.topic, realtime_publish.row_id, realtime_publish.audience)
    returning seq into v_seq;
  perform pg_notify('lifegraph_realtime', v_seq::text);
end;
$$;

--
-- Name: FUNCTION realtime_publish(topic text, row_id uuid, audience uuid[]); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.realtime_publish(topic text, row_id uuid, audience uuid[]) IS 'Appends a change to the realtime log in commit order and wakes the gateways. Call it from deferred triggers only.';

--
-- Name: rebuild_ritual_streaks(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.rebuild_ritual_streaks(ritual_id uuid) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION rebuild_ritual_streaks(ritual_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.rebuild_ritual_streaks(ritual_id uuid) IS 'Recomputes the streak history of one ritual from its completions.';

--
-- Name: rebuild_rollup_targets(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.rebuild_rollup_targets() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    SET work_mem TO '256MB'
    AS $$
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
$$;

--
-- Name: FUNCTION rebuild_rollup_targets(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.rebuild_rollup_targets() IS 'Recomputes the rollups named by the temp table rollup_targets(user_id, area_id, since). Returns rows written.';

--
-- Name: recompute_competition_streaks(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.recompute_competition_streaks(user_id uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION recompute_competition_streaks(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.recompute_competition_streaks(user_id uuid) IS 'Rewrites a user''s computed streak scores in their open streak rounds; returns how many changed.';

--
-- Name: recompute_rollup_partition(integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.recompute_rollup_partition(part integer) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION recompute_rollup_partition(part integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.recompute_rollup_partition(part integer) IS 'Recomputes every rollup of the users in one of the four partitions of score_rollups.';

--
-- Name: recompute_rollups(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.recompute_rollups(user_id uuid) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION recompute_rollups(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.recompute_rollups(user_id uuid) IS 'Recomputes every rollup of one user.';

--
-- Name: reconcile_points(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.reconcile_points() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION reconcile_points(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.reconcile_points() IS 'Compares cached balances with the ledger; tells every administrator (points.drift, once a day) when any differ. Returns how many differ.';

--
-- Name: record_activity(uuid, text, text, uuid, jsonb, text, uuid, app_public.activity_visibility); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.record_activity(actor_id uuid, verb text, object_type text, object_id uuid, metadata jsonb, dedupe_key text DEFAULT NULL::text, community_id uuid DEFAULT NULL::uuid, visibility app_public.activity_visibility DEFAULT NULL::app_public.activity_visibility) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION record_activity(actor_id uuid, verb text, object_type text, object_id uuid, metadata jsonb, dedupe_key text, community_id uuid, visibility app_public.activity_visibility); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.record_activity(actor_id uuid, verb text, object_type text, object_id uuid, metadata jsonb, dedupe_key text, community_id uuid, visibility app_public.activity_visibility) IS 'Writes an activity event with the actor''s default visibility (or the one given; community events are seen by the community''s members); metadata must carry exactly the verb''s keys (BADIN).';

--
-- Name: record_retention(text, jsonb); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.record_retention(task text, removed jsonb) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  insert into app_private.retention_runs (task, removed) values (task, removed);
$$;

--
-- Name: FUNCTION record_retention(task text, removed jsonb); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.record_retention(task text, removed jsonb) IS 'Records what a retention job removed.';

--
-- Name: refresh_community_metrics(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.refresh_community_metrics() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION refresh_community_metrics(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.refresh_community_metrics() IS 'Refreshes community_metrics_daily concurrently and the members'' streak snapshots; returns the rows kept.';

--
-- Name: refresh_queued_rollups(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.refresh_queued_rollups() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION refresh_queued_rollups(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.refresh_queued_rollups() IS 'Drains rollup_queue: recomputes just the stale user/area periods.';

--
-- Name: refresh_session(text, interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.refresh_session(refresh_token text, session_ttl interval) RETURNS app_private.auth_result
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_token app_private.refresh_tokens;
  v_session app_private.sessions;
  v_new text := 'lgr_' || encode(gen_random_bytes(32), 'hex');
begin
  select * into v_token from app_private.refresh_tokens t
    where t.token_hash = digest(refresh_token, 'sha256') for update;
  if v_token is null then
    return row('TOKEN', null, null, null)::app_private.auth_result;
  end if;
  if v_token.rotated_at is not null then
    -- Reuse of a rotated token: someone holds a copy. End the whole session.
    update app_private.sessions set revoked_at = coalesce(revoked_at, now()) where id = v_token.session_id;
    return row('TOKEN', null, null, null)::app_private.auth_result;
  end if;
  select * into v_session from app_private.sessions s
    where s.id = v_token.session_id and s.revoked_at is null and s.expires_at > now();
  if v_session is null then
    return row('TOKEN', null, null, null)::app_private.auth_result;
  end if;
  update app_private.refresh_tokens set rotated_at = now() where token_hash = v_token.token_hash;
  insert into app_private.refresh_tokens (token_hash, session_id) values (digest(v_new, 'sha256'), v_session.id);
  update app_private.sessions set expires_at = now() + session_ttl, last_active_at = now()
    where id = v_session.id;
  return row('OK', v_session.user_id, v_session.id, v_new)::app_private.auth_result;
end;
$$;

--
-- Name: FUNCTION refresh_session(refresh_token text, session_ttl interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.refresh_session(refresh_token text, session_ttl interval) IS 'Rotates a refresh token. A token that was already rotated revokes its whole session (reuse detection).';

--
-- Name: register(text, text, text, text, interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.register(username text, email text, password text, display_name text, session_ttl interval) RETURNS app_private.auth_result
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_private.issue_session(
    (app_private.really_create_user(username, email, password, display_name)).id, session_ttl);
$$;

--
-- Name: FUNCTION register(username text, email text, password text, display_name text, session_ttl interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.register(username text, email text, password text, display_name text, session_ttl interval) IS 'Creates a user and opens a session. Called by the gateway as the owner.';

--
-- Name: repair_rollups(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.repair_rollups() RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION repair_rollups(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.repair_rollups() IS 'Queues every stale (user, area) found by comparing day rollups with raw scores, then refreshes.';

--
-- Name: restand_competition(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.restand_competition(competition_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.competition_participants p
    set score = coalesce(x.score, 0), entries = coalesce(x.entries, 0)
    from app_public.competition_participants q
    left join (select t.user_id, sum(r.weight * app_private.round_score(r.scoring, t.total, t.best, t.entries)) as score, sum(t.entries)::int as entries
      from app_private.competition_round_totals t join app_public.competition_rounds r on r.id = t.round_id
      where t.competition_id = restand_competition.competition_id
      group by t.user_id) x on x.user_id = q.user_id
    where q.competition_id = restand_competition.competition_id
      and p.competition_id = q.competition_id and p.user_id = q.user_id;
$$;

--
-- Name: FUNCTION restand_competition(competition_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.restand_competition(competition_id uuid) IS 'Recomputes every participant''s overall score of a competition.';

--
-- Name: restand_participant(uuid, uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.restand_participant(competition_id uuid, user_id uuid, round_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION restand_participant(competition_id uuid, user_id uuid, round_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.restand_participant(competition_id uuid, user_id uuid, round_id uuid) IS 'Recomputes a participant''s aggregates in a round and their overall score, under their row''s lock.';

--
-- Name: restock_item(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.restock_item(item_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION restock_item(item_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.restock_item(item_id uuid) IS 'Refills a due item to its restock quantity and sets the next restock (marketplace__restock).';

--
-- Name: ritual_numbers(uuid, timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.ritual_numbers(user_id uuid, since timestamp with time zone, until timestamp with time zone, OUT current_streak integer, OUT longest_streak integer, OUT completions integer) RETURNS record
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select
    coalesce((select max(app_public.rituals_current_streak(r)) from app_public.rituals r
      where r.user_id = ritual_numbers.user_id and r.is_active), 0),
    coalesce((select max(k.length) from app_public.ritual_streaks k where k.user_id = ritual_numbers.user_id), 0),
    (select count(*)::int from app_public.ritual_completions rc
      where rc.user_id = ritual_numbers.user_id and rc.completed_at > since and rc.completed_at < until);
$$;

--
-- Name: FUNCTION ritual_numbers(user_id uuid, since timestamp with time zone, until timestamp with time zone, OUT current_streak integer, OUT longest_streak integer, OUT completions integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.ritual_numbers(user_id uuid, since timestamp with time zone, until timestamp with time zone, OUT current_streak integer, OUT longest_streak integer, OUT completions integer) IS 'A user''s longest current and longest ever ritual streaks, and completions between two instants.';

--
-- Name: round_score(app_public.scoring_rule, numeric, numeric, integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.round_score(scoring app_public.scoring_rule, total numeric, best numeric, entries integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$
  select case scoring
    when 'sum' then total
    when 'max' then best
    when 'average' then round(total / nullif(entries, 0), 2)
    when 'count' then entries
    when 'streak' then best
  end;
$$;

--
-- Name: FUNCTION round_score(scoring app_public.scoring_rule, total numeric, best numeric, entries integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.round_score(scoring app_public.scoring_rule, total numeric, best numeric, entries integer) IS 'A round score by the round''s rule: the sum, the best, the average (2 decimals), the count, or the computed streak.';

--
-- Name: save_journal_analysis(uuid, text, numeric, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.save_journal_analysis(entry_id uuid, analysed_content text, sentiment numeric, summary text) RETURNS boolean
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  -- Only when the content is still what was analysed: a newer edit has its own job.
  update app_public.journal_entries e
    set sentiment = round(greatest(-1, least(1, save_journal_analysis.sentiment)), 3),
        summary = save_journal_analysis.summary, analysed_at = now()
  where e.id = save_journal_analysis.entry_id and e.content_md = analysed_content
  returning true;
$$;

--
-- Name: FUNCTION save_journal_analysis(entry_id uuid, analysed_content text, sentiment numeric, summary text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.save_journal_analysis(entry_id uuid, analysed_content text, sentiment numeric, summary text) IS 'Stores the analyser''s result unless the entry changed since.';

--
-- Name: schedule_delivery(uuid, timestamp with time zone); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.schedule_delivery(delivery_id uuid, at timestamp with time zone) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  update app_public.notification_deliveries set run_at = at where id = delivery_id;
  perform graphile_worker.add_job('notifications__deliver', json_build_object('delivery_id', delivery_id),
    job_key := 'notifications__deliver:' || delivery_id, run_at := at, max_attempts := 25);
end;
$$;

--
-- Name: FUNCTION schedule_delivery(delivery_id uuid, at timestamp with time zone); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.schedule_delivery(delivery_id uuid, at timestamp with time zone) IS 'Sets when a delivery is due and (re)schedules its one job. The job''s own retries only cover crashes; failures are rescheduled by complete_delivery.';

--
-- Name: schedule_ritual_reminder(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.schedule_ritual_reminder(ritual_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION schedule_ritual_reminder(ritual_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.schedule_ritual_reminder(ritual_id uuid) IS 'Schedules (or removes) the job of a ritual''s next reminder.';

--
-- Name: schedule_user_reminders(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.schedule_user_reminders(user_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION schedule_user_reminders(user_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.schedule_user_reminders(user_id uuid) IS 'Schedules (or removes) a user''s daily goal check and weekly ritual report.';

--
-- Name: send_email_verification(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.send_email_verification(email_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_email app_public.user_emails;
  v_owner app_public.user_emails;
begin
  select * into v_email from app_public.user_emails e where e.id = send_email_verification.email_id and not e.is_verified;
  if not found then
    return;
  end if;
  select * into v_owner from app_public.user_emails o
    where o.email = v_email.email and o.is_verified and o.user_id <> v_email.user_id;
  if found then
    perform app_private.notify(v_owner.user_id, 'account.address_in_use',
      jsonb_build_object('username', (select username from app_public.users where id = v_owner.user_id), 'email', v_owner.email));
  else
    perform app_private.notify(v_email.user_id, 'account.verify_email',
      jsonb_build_object('username', (select username from app_public.users where id = v_email.user_id), 'email', v_email.email,
        'token', app_private.issue_account_token(v_email.user_id, v_email.id, 'verify_email', interval '24 hours')));
  end if;
end;
$$;

--
-- Name: FUNCTION send_email_verification(email_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.send_email_verification(email_id uuid) IS 'Mails a verification link to an unverified address; when another account has verified it, mails that account instead (account.address_in_use).';

--
-- Name: set_data_export_progress(uuid, integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.set_data_export_progress(export_id uuid, progress integer) RETURNS void
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.data_exports e set progress = greatest(0, least(99, set_data_export_progress.progress))
    where e.id = set_data_export_progress.export_id and e.status = 'running';
$$;

--
-- Name: FUNCTION set_data_export_progress(export_id uuid, progress integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.set_data_export_progress(export_id uuid, progress integer) IS 'Records a running export''s progress (0–99).';

--
-- Name: snapshot_profile_stats(date); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.snapshot_profile_stats(on_date date) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with written as (
    insert into app_public.profile_stats_daily (user_id, stat_date, followers_count, following_count, friends_count,
      current_streak, longest_streak, completions_last_30_days)
    select c.user_id, on_date, c.followers_count, c.following_count, c.friends_count,
      n.current_streak, n.longest_streak, n.completions
    from app_private.profile_counts c
    cross join lateral app_private.ritual_numbers(c.user_id, (on_date - 29)::timestamptz, (on_date + 1)::timestamptz) n
    on conflict (user_id, stat_date) do update set followers_count = excluded.followers_count,
      following_count = excluded.following_count, friends_count = excluded.friends_count,
      current_streak = excluded.current_streak, longest_streak = excluded.longest_streak,
      completions_last_30_days = excluded.completions_last_30_days
    returning 1
  ) select count(*)::int from written;
$$;

--
-- Name: FUNCTION snapshot_profile_stats(on_date date); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.snapshot_profile_stats(on_date date) IS 'Writes every user''s profile numbers for a day; returns how many.';

--
-- Name: start_attempt(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.start_attempt(delivery_id uuid, OUT outcome text, OUT attempt integer) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION start_attempt(delivery_id uuid, OUT outcome text, OUT attempt integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.start_attempt(delivery_id uuid, OUT outcome text, OUT attempt integer) IS 'Starts an attempt of a delivery on an outside channel: send, done (nothing to do: already sent, discarded, held) or deferred (over the hourly cap: its job moves to when a slot frees up; nothing is dropped).';

--
-- Name: start_data_export(uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.start_data_export(export_id uuid) RETURNS app_public.data_exports
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.data_exports e
    set status = 'running', progress = 0, started_at = now(), error = null
    where e.id = start_data_export.export_id and e.status in ('queued', 'running')
    returning *;
$$;

--
-- Name: FUNCTION start_data_export(export_id uuid); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.start_data_export(export_id uuid) IS 'Marks an export running; null when it is no longer queued or running.';

--
-- Name: storage_sweep(interval); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.storage_sweep(pending_for interval) RETURNS integer
    LANGUAGE sql
    AS $$
  with gone as (
    delete from app_public.files
    where status = 'pending' and created_at < now() - pending_for
    returning 1
  )
  select count(*)::int from gone;
$$;

--
-- Name: FUNCTION storage_sweep(pending_for interval); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.storage_sweep(pending_for interval) IS 'Deletes file rows whose upload never finished within `pending_for`; returns how many.';

--
-- Name: account_tokens; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.account_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    email_id uuid,
    purpose text NOT NULL,
    token_hash bytea NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT account_token_purpose CHECK ((purpose = ANY (ARRAY['verify_email'::text, 'reset_password'::text])))
);

--
-- Name: TABLE account_tokens; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.account_tokens IS 'Single-use, expiring tokens of the email-verification and password-reset links; only their SHA-256 is kept.';

--
-- Name: take_account_token(text, text); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.take_account_token(token text, purpose text) RETURNS app_private.account_tokens
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION take_account_token(token text, purpose text); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.take_account_token(token text, purpose text) IS 'Uses up a valid token of the purpose, or raises TOKEN.';

--
-- Name: tg__assert_weights_sum(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg__assert_weights_sum() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg__assert_weights_sum(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg__assert_weights_sum() IS 'Constraint trigger: area and dimension weights keep summing to 1.';

--
-- Name: tg__audit(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg__audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
begin
  perform app_private.audit(tg_argv[0], tg_table_schema || '.' || tg_table_name,
    coalesce(v_row ->> 'id', v_row ->> 'user_id', v_row ->> 'code'),
    case when tg_op <> 'INSERT' then to_jsonb(old) end,
    case when tg_op <> 'DELETE' then to_jsonb(new) end);
  return null;
end;
$$;

--
-- Name: FUNCTION tg__audit(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg__audit() IS 'Trigger function: writes the change to the audit log under the action named by its argument.';

--
-- Name: tg__schedule_reminders(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg__schedule_reminders() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg__schedule_reminders(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg__schedule_reminders() IS 'Keeps reminder jobs in step with rituals, goals and the user''s time zone.';

--
-- Name: tg__timestamps(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg__timestamps() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.created_at = (case when tg_op = 'INSERT' then now() else old.created_at end);
  -- Keep updated_at strictly increasing even for two updates in one transaction.
  new.updated_at = (case when tg_op = 'UPDATE' and old.updated_at >= now()
    then old.updated_at + interval '1 millisecond' else now() end);
  return new;
end;
$$;

--
-- Name: FUNCTION tg__timestamps(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg__timestamps() IS 'Trigger function: created_at is set once, updated_at on every write.';

--
-- Name: tg_achievement_definitions__award_reached(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_achievement_definitions__award_reached() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.award_achievements(p.user_id, p.event, p.progress)
    from app_public.achievement_progress p
    where p.event = new.event and p.progress >= new.threshold
    order by p.user_id;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_achievement_definitions__award_reached(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_achievement_definitions__award_reached() IS 'Awards a new or changed definition to the users whose progress already reaches it.';

--
-- Name: tg_activity_events__fan_out(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_activity_events__fan_out() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.lock_feed_actor(new.actor_id, false);
  -- After the lock, so that this statement sees a friendship that committed while it waited.
  insert into app_private.feed_inbox (viewer_id, created_at, event_id)
    select f.friend_id, new.created_at, new.id from app_public.friendships f
    where f.user_id = new.actor_id and new.created_at >= (select h.starts_at from app_private.feed_inbox_horizon h)
    on conflict do nothing;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_activity_events__fan_out(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_activity_events__fan_out() IS 'Puts a shared event in the inboxes of its actor''s friends.';

--
-- Name: tg_activity_events__realtime(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_activity_events__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.realtime_publish('activity', new.id, null);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_activity_events__realtime(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_activity_events__realtime() IS 'A new activity event is streamed; who sees it is decided at delivery.';

--
-- Name: tg_audit_log__append_only(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_audit_log__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_personal constant text[] := '{actor_id,ip,target_id,before,after}';
begin
  if tg_op = 'UPDATE' and pg_trigger_depth() > 1
      and (to_jsonb(new) - 'actor_id') = (to_jsonb(old) - 'actor_id') and new.actor_id is null then
    return new;
  end if;
  if tg_op = 'UPDATE' and current_setting('lifegraph.audit_redaction', true) = 'on'
      and (to_jsonb(new) - v_personal) = (to_jsonb(old) - v_personal)
      and (new.actor_id is null or new.actor_id = old.actor_id) and (new.ip is null or new.ip = old.ip)
      and (new.target_id is null or new.target_id = old.target_id)
      and (new.before is null or new.before = old.before) and (new.after is null or new.after = old.after) then
    return new;
  end if;
  raise exception 'The audit log is append-only.' using errcode = 'DNIED';
end;
$$;

--
-- Name: FUNCTION tg_audit_log__append_only(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_audit_log__append_only() IS 'Refuses changes to audit entries, but for the actor link a deleted account clears.';

--
-- Name: tg_coaching_messages__count(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_coaching_messages__count() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  -- Definer: message_count is not writable by the visitor.
  update app_public.coaching_conversations c set
    message_count = (select count(*) from app_public.coaching_messages m where m.conversation_id = c.id),
    last_message_at = (select max(created_at) from app_public.coaching_messages m where m.conversation_id = c.id)
  where c.id = coalesce(new.conversation_id, old.conversation_id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_coaching_messages__count(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_coaching_messages__count() IS 'Keeps a conversation''s message count and last message time.';

--
-- Name: tg_community_members__count(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_community_members__count() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  update app_public.communities c
    set member_count = c.member_count + case tg_op when 'INSERT' then 1 else -1 end
    where c.id = coalesce(new.community_id, old.community_id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_community_members__count(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_community_members__count() IS 'Keeps communities.member_count.';

--
-- Name: tg_community_members__keep_founder(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_community_members__keep_founder() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if old.role = 'founder' and (
      (tg_op = 'DELETE' and pg_trigger_depth() < 2)
      or (tg_op = 'UPDATE' and new.role <> 'founder'
        and exists (select 1 from app_public.communities c where c.id = old.community_id and c.founder_id = old.user_id))) then
    raise exception 'The founder stays a member: transfer the ownership first.' using errcode = 'COMFD';
  end if;
  return coalesce(new, old);
end;
$$;

--
-- Name: FUNCTION tg_community_members__keep_founder(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_community_members__keep_founder() IS 'Refuses to remove or demote the founder (COMFD) outside a transfer.';

--
-- Name: tg_competition_participants__count(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competition_participants__count() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  update app_public.competitions c
    set participant_count = c.participant_count + case tg_op when 'INSERT' then 1 else -1 end
    where c.id = coalesce(new.competition_id, old.competition_id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_competition_participants__count(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competition_participants__count() IS 'Keeps competitions.participant_count.';

--
-- Name: tg_competition_reward_grants__achievements(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competition_reward_grants__achievements() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.advance_achievements(n.user_id, 'podiums', count(distinct n.competition_id)::int)
    from inserted n
    where n.placement <= 3 and not exists (select 1 from app_public.competition_reward_grants g
      where g.user_id = n.user_id and g.competition_id = n.competition_id and g.placement <= 3
        and not exists (select 1 from inserted i where i.id = g.id))
    group by n.user_id order by n.user_id;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_competition_reward_grants__achievements(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competition_reward_grants__achievements() IS 'A competition finished in the top three counts towards the podiums achievements.';

--
-- Name: tg_competition_rounds__standings(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competition_rounds__standings() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.restand_competition(new.competition_id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_competition_rounds__standings(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competition_rounds__standings() IS 'Recomputes overall scores when a round''s weight or scoring changes.';

--
-- Name: tg_competition_rounds__validate(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competition_rounds__validate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if not exists (select 1 from app_public.competitions c
      where c.id = new.competition_id and new.opens_at >= c.starts_at and new.closes_at <= c.ends_at) then
    raise exception 'A round opens and closes within its competition''s start and end.' using errcode = 'BADIN';
  end if;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_competition_rounds__validate(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competition_rounds__validate() IS 'Keeps a round within its competition''s window (BADIN).';

--
-- Name: tg_competition_scores__realtime(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competition_scores__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_competition_scores__realtime(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competition_scores__realtime() IS 'A competition whose scores changed is announced once per transaction to those who may see it.';

--
-- Name: tg_competition_scores__standings(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competition_scores__standings() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_competition_scores__standings(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competition_scores__standings() IS 'Keeps competition_round_totals and competition_participants.score in step with scores.';

--
-- Name: tg_competitions__jobs(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competitions__jobs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if tg_op = 'INSERT' or (old.status, old.starts_at, old.ends_at) is distinct from (new.status, new.starts_at, new.ends_at) then
    perform app_private.key_competition_jobs(new);
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_competitions__jobs(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competitions__jobs() IS 'Keys the competitions__advance jobs at the start and end of a scheduled or active competition.';

--
-- Name: tg_competitions__validate(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_competitions__validate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_competitions__validate(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_competitions__validate() IS 'Fixes times and capacity once started (CSTRT); keeps rounds within the window (BADIN).';

--
-- Name: tg_conversation_members__realtime(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_conversation_members__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.realtime_publish('receipt', new.conversation_id,
    array[new.user_id] || array(select m.user_id from app_public.conversation_members m
      where m.conversation_id = new.conversation_id and m.user_id <> new.user_id));
  return null;
end;
$$;

--
-- Name: FUNCTION tg_conversation_members__realtime(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_conversation_members__realtime() IS 'A moved delivered or read mark is streamed to the conversation''s members.';

--
-- Name: tg_direct_messages__delete_attachments(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_direct_messages__delete_attachments() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  delete from app_public.files f where f.message_id = new.id;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_direct_messages__delete_attachments(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_direct_messages__delete_attachments() IS 'Deletes the attachments of a message deleted for everyone.';

--
-- Name: tg_direct_messages__realtime(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_direct_messages__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.realtime_publish('message', new.id,
    array(select m.user_id from app_public.conversation_members m where m.conversation_id = new.conversation_id));
  return null;
end;
$$;

--
-- Name: FUNCTION tg_direct_messages__realtime(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_direct_messages__realtime() IS 'A new message is streamed to both members (the sender''s other devices too).';

--
-- Name: tg_files__delete_object(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_files__delete_object() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform graphile_worker.add_job('storage__delete', json_build_object('bucket', old.bucket, 'key', old.key),
    max_attempts := 10);
  if old.bucket = 'avatars' then
    update app_public.users set avatar_url = null
    where id = old.owner_id and avatar_url like '%/storage/avatars/' || old.id;
  end if;
  return old;
end;
$$;

--
-- Name: FUNCTION tg_files__delete_object(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_files__delete_object() IS 'Queues the deletion of a deleted row''s object, and clears the profile picture that was that file.';

--
-- Name: tg_files__replace_avatar(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_files__replace_avatar() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  delete from app_public.files f
  where f.owner_id = new.owner_id and f.bucket = 'avatars' and f.id <> new.id and f.status = 'ready';
  return new;
end;
$$;

--
-- Name: FUNCTION tg_files__replace_avatar(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_files__replace_avatar() IS 'Deletes the older avatars of a user whose new avatar is ready.';

--
-- Name: tg_files__validate(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_files__validate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_bucket app_public.storage_buckets;
begin
  select * into v_bucket from app_public.storage_buckets b where b.id = new.bucket;
  if not (new.content_type = any (v_bucket.content_types)) then
    raise exception 'The % bucket takes %, not %.', new.bucket, array_to_string(v_bucket.content_types, ', '), new.content_type
      using errcode = 'FTYPE';
  end if;
  if new.size > v_bucket.max_bytes then
    raise exception 'The % bucket takes files up to % bytes.', new.bucket, v_bucket.max_bytes using errcode = 'FSIZE';
  end if;
  new.key := new.bucket || '/' || new.owner_id || '/' || new.id;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_files__validate(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_files__validate() IS 'Checks a new file against its bucket (FTYPE, FSIZE) and makes its key.';

--
-- Name: tg_follows__counts(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_follows__counts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  -- Both rows first, in one order (by user id): two follows taking them in
  -- opposite orders (each other, or round a ring) would deadlock.
  perform 1 from app_private.profile_counts c
    where c.user_id in (coalesce(new.follower_id, old.follower_id), coalesce(new.followee_id, old.followee_id))
    order by c.user_id for update;
  if tg_op = 'INSERT' then
    update app_private.profile_counts set followers_count = followers_count + 1 where user_id = new.followee_id;
    update app_private.profile_counts set following_count = following_count + 1 where user_id = new.follower_id;
  else
    update app_private.profile_counts set followers_count = followers_count - 1 where user_id = old.followee_id;
    update app_private.profile_counts set following_count = following_count - 1 where user_id = old.follower_id;
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_follows__counts(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_follows__counts() IS 'Keeps follower and following counts.';

--
-- Name: tg_forgiveness_logs__released(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_forgiveness_logs__released() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.released_at := case when new.status = 'released' then coalesce(new.released_at, now()) end;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_forgiveness_logs__released(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_forgiveness_logs__released() IS 'Stamps released_at when a forgiveness is released (and clears it otherwise).';

--
-- Name: tg_friendships__achievements(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_friendships__achievements() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.advance_achievements(new.user_id, 'friend_count',
    (select c.friends_count from app_private.profile_counts c where c.user_id = new.user_id));
  return null;
end;
$$;

--
-- Name: FUNCTION tg_friendships__achievements(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_friendships__achievements() IS 'A friend count is a level of the friend_count achievements.';

--
-- Name: tg_friendships__activity(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_friendships__activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.record_activity(new.user_id, 'social.friendship', 'user', new.friend_id,
    jsonb_build_object('friend_username', (select username from app_public.users where id = new.friend_id)),
    format('friendship:%s:%s', new.friend_id, new.source_request_id));
  return null;
end;
$$;

--
-- Name: FUNCTION tg_friendships__activity(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_friendships__activity() IS 'A new friendship is an activity of each friend.';

--
-- Name: tg_friendships__counts(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_friendships__counts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  -- Both friends' rows first, in one order (by user id), as follows do.
  perform 1 from app_private.profile_counts c
    where c.user_id in (coalesce(new.user_id, old.user_id), coalesce(new.friend_id, old.friend_id))
    order by c.user_id for update;
  if tg_op = 'INSERT' then
    update app_private.profile_counts set friends_count = friends_count + 1 where user_id = new.user_id;
  else
    update app_private.profile_counts set friends_count = friends_count - 1 where user_id = old.user_id;
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_friendships__counts(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_friendships__counts() IS 'Keeps friend counts (one row per side of a friendship).';

--
-- Name: tg_friendships__fill_inbox(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_friendships__fill_inbox() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.lock_feed_actor(least(new.user_id, new.friend_id), true);
  perform app_private.lock_feed_actor(greatest(new.user_id, new.friend_id), true);
  insert into app_private.feed_inbox (viewer_id, created_at, event_id)
    select new.user_id, e.created_at, e.id from app_public.activity_events e
    where e.actor_id = new.friend_id and e.visibility <> 'private'
      and e.created_at >= (select h.starts_at from app_private.feed_inbox_horizon h)
    on conflict do nothing;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_friendships__fill_inbox(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_friendships__fill_inbox() IS 'Fills a new friend''s recent events into the inbox.';

--
-- Name: tg_goals__activity(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_goals__activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.record_activity(new.user_id, 'goals.done', 'goal', new.id,
    jsonb_build_object('goal_title', new.title), 'goal:' || new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_goals__activity(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_goals__activity() IS 'A goal done is an activity.';

--
-- Name: tg_goals__points(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_goals__points() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.earn_points(new.user_id, 'goals.done', 'goal', new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_goals__points(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_goals__points() IS 'A goal done earns points once (rule goals.done), even if reopened and done again.';

--
-- Name: tg_goals__progress(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_goals__progress() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.progress := coalesce(app_hidden.key_results_progress(new.id), new.progress);
  if new.status = 'done' and (tg_op = 'INSERT' or old.status <> 'done') then
    new.completed_at := now();
  elsif new.status <> 'done' then
    new.completed_at := null;
  end if;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_goals__progress(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_goals__progress() IS 'A goal with key results takes its progress from them; done goals get completed_at.';

--
-- Name: tg_journal_entries__achievements(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_journal_entries__achievements() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.advance_achievements(e.user_id, 'journal_entries', count(*)::int)
    from inserted e group by e.user_id order by e.user_id;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_journal_entries__achievements(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_journal_entries__achievements() IS 'Each journal entry written counts towards the journal_entries achievements.';

--
-- Name: tg_journal_entries__analyse(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_journal_entries__analyse() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if tg_op = 'INSERT' or new.content_md is distinct from old.content_md then
    perform graphile_worker.add_job('journal__analyse', json_build_object('entry_id', new.id),
      job_key := 'journal__analyse:' || new.id, run_at := now() + interval '3 seconds', max_attempts := 5);
  end if;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_journal_entries__analyse(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_journal_entries__analyse() IS 'Enqueues the analysis of a new or edited entry, once per burst of edits.';

--
-- Name: tg_journal_entries__points(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_journal_entries__points() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.earn_points(new.user_id, 'journal.entry', 'journal_entry', new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_journal_entries__points(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_journal_entries__points() IS 'A journal entry earns points (rule journal.entry, the first few of a day).';

--
-- Name: tg_key_results__activity(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_key_results__activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if (new.target_value > new.start_value and new.current_value >= new.target_value)
      or (new.target_value < new.start_value and new.current_value <= new.target_value) then
    perform app_private.record_activity(new.user_id, 'goals.key_result_reached', 'key_result', new.id,
      jsonb_build_object('goal_title', (select title from app_public.goals where id = new.goal_id), 'key_result_title', new.title),
      'key_result:' || new.id);
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_key_results__activity(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_key_results__activity() IS 'A key result reached is an activity (once).';

--
-- Name: tg_key_results__goal_progress(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_key_results__goal_progress() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  -- Touching the goal lets its trigger recompute the progress.
  update app_public.goals set progress = progress where id in (new.goal_id, old.goal_id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_key_results__goal_progress(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_key_results__goal_progress() IS 'Keeps a goal''s progress in step with its key results.';

--
-- Name: tg_marketplace_inventory__audit(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_marketplace_inventory__audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_marketplace_inventory__audit(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_marketplace_inventory__audit() IS 'Audits edits of an item''s stock (not the movements of purchases, refunds and restocks).';

--
-- Name: tg_marketplace_inventory__restock(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_marketplace_inventory__restock() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_marketplace_inventory__restock(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_marketplace_inventory__restock() IS 'Keeps one marketplace__restock job per restocked item, due at its restock_at.';

--
-- Name: tg_marketplace_items__audit(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_marketplace_items__audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_marketplace_items__audit(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_marketplace_items__audit() IS 'Audits every edit of an item, field by field.';

--
-- Name: tg_marketplace_items__created_by(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_marketplace_items__created_by() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.created_by := coalesce(app_public.current_user_id(), new.created_by);
  return new;
end;
$$;

--
-- Name: FUNCTION tg_marketplace_items__created_by(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_marketplace_items__created_by() IS 'Records which administrator created an item.';

--
-- Name: tg_marketplace_purchases__achievements(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_marketplace_purchases__achievements() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if new.status = 'fulfilled' and (tg_op = 'INSERT' or old.status is distinct from 'fulfilled') then
    perform app_private.advance_achievements(new.user_id, 'purchases', 1);
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_marketplace_purchases__achievements(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_marketplace_purchases__achievements() IS 'A fulfilled marketplace purchase counts towards the purchases achievements.';

--
-- Name: tg_notification_deliveries__audit(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_notification_deliveries__audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if app_public.current_user_id() is not null then
    perform app_private.audit(case when new.status = 'discarded' then 'notifications.delivery_discarded' else 'notifications.delivery_retried' end,
      'app_public.notification_deliveries', new.id::text, jsonb_build_object('status', old.status), jsonb_build_object('status', new.status));
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_notification_deliveries__audit(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_notification_deliveries__audit() IS 'Audits a delivery''s status changed by a person (retry or discard), not by the worker.';

--
-- Name: tg_notification_templates__validate(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_notification_templates__validate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_notification_templates__validate(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_notification_templates__validate() IS 'Refuses templates with unbalanced sections or naming variables their type lacks (TMPLV), and numbers versions.';

--
-- Name: tg_notifications__realtime(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_notifications__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.realtime_publish('notification', new.id, array[new.user_id]);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_notifications__realtime(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_notifications__realtime() IS 'A new in-app notification is streamed to its user.';

--
-- Name: tg_personal_records__best(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_personal_records__best() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if tg_op = 'DELETE' then
    perform pg_advisory_xact_lock(hashtextextended(old.user_id::text || old.category, 11));
  end if;
  if tg_op <> 'INSERT' then
    perform app_private.mark_personal_best(old.user_id, old.category);
  end if;
  if tg_op <> 'DELETE' then
    perform app_private.mark_personal_best(new.user_id, new.category);
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_personal_records__best(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_personal_records__best() IS 'Marks the one personal best of each category.';

--
-- Name: tg_personal_records__best_of_row(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_personal_records__best_of_row() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform pg_advisory_xact_lock(hashtextextended(new.user_id::text || new.category, 11));
  if tg_op = 'UPDATE' and old.category <> new.category then
    perform pg_advisory_xact_lock(hashtextextended(old.user_id::text || old.category, 11));
  end if;
  new.is_personal_best := new.id = app_private.best_personal_record_id(new.user_id, new.category, new);
  return new;
end;
$$;

--
-- Name: FUNCTION tg_personal_records__best_of_row(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_personal_records__best_of_row() IS 'Tells the row being written whether it is its category''s best.';

--
-- Name: tg_point_earning_rules__updated_by(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_point_earning_rules__updated_by() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.updated_by := app_public.current_user_id();
  return new;
end;
$$;

--
-- Name: FUNCTION tg_point_earning_rules__updated_by(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_point_earning_rules__updated_by() IS 'Records which administrator last edited an earning rule.';

--
-- Name: tg_point_transactions__append_only(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_point_transactions__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if pg_trigger_depth() >= 2 and (tg_op = 'DELETE'
      or (new.created_by is null and to_jsonb(new) - 'created_by' = to_jsonb(old) - 'created_by')) then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  raise exception 'The points ledger is append-only: post a correcting entry instead.' using errcode = 'DNIED';
end;
$$;

--
-- Name: FUNCTION tg_point_transactions__append_only(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_point_transactions__append_only() IS 'Refuses updates and direct deletes of ledger entries.';

--
-- Name: tg_point_transactions__balance(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_point_transactions__balance() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_point_transactions__balance(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_point_transactions__balance() IS 'Moves the cached balance with each ledger entry under the account''s lock; skips a repeated source; PTLOW when it would go below zero.';

--
-- Name: tg_privacy_settings__profile_visibility(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_privacy_settings__profile_visibility() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  update app_public.users set profile_visibility = new.profile_visibility
    where id = new.user_id and profile_visibility is distinct from new.profile_visibility;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_privacy_settings__profile_visibility(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_privacy_settings__profile_visibility() IS 'Copies the profile visibility onto the profile, where the users policy reads it.';

--
-- Name: tg_reviews__activity(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_reviews__activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.record_activity(new.user_id, 'reviews.completed', 'review', new.id,
    jsonb_build_object('kind', new.kind, 'period_start', new.period_start), 'review:' || new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_reviews__activity(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_reviews__activity() IS 'A completed review is an activity (its scores stay private).';

--
-- Name: tg_reviews__ready(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_reviews__ready() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.notify(new.user_id, 'reviews.ready',
    jsonb_build_object('username', (select username from app_public.users where id = new.user_id), 'kind', new.kind,
      'period_start', new.period_start, 'gfs', new.gfs, 'review_id', new.id),
    format('review:%s:%s', new.id, new.generated_at::date));
  return null;
end;
$$;

--
-- Name: FUNCTION tg_reviews__ready(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_reviews__ready() IS 'Tells the user a review is ready.';

--
-- Name: tg_ritual_completions__activity(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_completions__activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.record_activity(new.user_id, 'rituals.completed', 'ritual', new.ritual_id,
    jsonb_build_object('ritual_title', (select title from app_public.rituals where id = new.ritual_id), 'slot_start', new.slot_start),
    'completion:' || new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_ritual_completions__activity(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_completions__activity() IS 'A kept ritual is an activity.';

--
-- Name: tg_ritual_completions__competition_streaks(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_completions__competition_streaks() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.recompute_competition_streaks(coalesce(new.user_id, old.user_id));
  return null;
end;
-- Definer: the visitor keeps rituals but may not write scores.
$$;

--
-- Name: FUNCTION tg_ritual_completions__competition_streaks(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_completions__competition_streaks() IS 'Keeps computed streak scores in step with ritual completions.';

--
-- Name: tg_ritual_completions__points(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_completions__points() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.earn_points(new.user_id, 'rituals.completed', 'ritual_completion', new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_ritual_completions__points(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_completions__points() IS 'A kept ritual earns points (rule rituals.completed).';

--
-- Name: tg_ritual_completions__slot(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_completions__slot() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_ritual_completions__slot(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_completions__slot() IS 'Places a completion in its slot, in the user''s time zone.';

--
-- Name: tg_ritual_completions__streaks(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_completions__streaks() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.rebuild_ritual_streaks(coalesce(new.ritual_id, old.ritual_id));
  return null;
end;
-- Definer: the visitor may not call app_private functions, nor write streaks.
$$;

--
-- Name: FUNCTION tg_ritual_completions__streaks(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_completions__streaks() IS 'Keeps ritual_streaks in step with completions.';

--
-- Name: tg_ritual_streaks__achievements(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_streaks__achievements() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.advance_achievements(s.user_id, 'ritual_streak', max(s.length))
    from inserted s group by s.user_id order by s.user_id;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_ritual_streaks__achievements(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_streaks__achievements() IS 'A ritual streak is a level of the ritual_streak achievements.';

--
-- Name: tg_ritual_streaks__activity(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_ritual_streaks__activity() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_milestone int;
begin
  select max(m) into v_milestone from unnest(array[7, 30, 100, 365]) m
    where m <= new.length and (tg_op = 'INSERT' or old.length < m);
  -- Streaks are rebuilt from scratch: a run that grew at its start (a day
  -- filled in before it) is the run whose milestone was already written, and
  -- its old start lies within the new run.
  if v_milestone is not null and not exists (select 1 from app_public.activity_events e
      where e.actor_id = new.user_id and e.verb = 'rituals.streak' and e.object_id = new.ritual_id
        and e.dedupe_key like 'streak:%' and (e.metadata->>'length')::int = v_milestone
        and split_part(e.dedupe_key, ':', 3)::date between new.started_on and new.ended_on) then
    perform app_private.record_activity(new.user_id, 'rituals.streak', 'ritual', new.ritual_id,
      jsonb_build_object('ritual_title', (select title from app_public.rituals where id = new.ritual_id), 'length', v_milestone),
      format('streak:%s:%s:%s', new.ritual_id, new.started_on, v_milestone));
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_ritual_streaks__activity(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_ritual_streaks__activity() IS 'A streak reaching 7, 30, 100 or 365 is an activity.';

--
-- Name: tg_rituals__days_of_week(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_rituals__days_of_week() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.days_of_week := (select array_agg(distinct d order by d) from unnest(new.days_of_week) d);
  return new;
end;
$$;

--
-- Name: FUNCTION tg_rituals__days_of_week(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_rituals__days_of_week() IS 'Keeps days_of_week sorted and without repeats: slot numbers count each day once.';

--
-- Name: tg_scores__local_date(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_scores__local_date() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  new.score_date := coalesce(new.score_date, (new.recorded_at at time zone app_hidden.user_timezone(new.user_id))::date);
  return new;
end;
$$;

--
-- Name: FUNCTION tg_scores__local_date(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_scores__local_date() IS 'A score without a day belongs to the day it was recorded, in the user''s time zone.';

--
-- Name: tg_scores__one_decimal(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_scores__one_decimal() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  -- Kept with one decimal, as before (4 is stored as 4.0); a value with a
  -- second decimal is left as it came, for score_one_decimal to refuse.
  if new.score = round(new.score, 1) then
    new.score := round(new.score, 1);
  end if;
  return new;
end;
$$;

--
-- Name: FUNCTION tg_scores__one_decimal(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_scores__one_decimal() IS 'Scores are stored with exactly one decimal.';

--
-- Name: tg_scores__queue_rollup(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_scores__queue_rollup() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION tg_scores__queue_rollup(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_scores__queue_rollup() IS 'Marks the rollups a statement on scores made stale and schedules their recompute.';

--
-- Name: tg_sessions__notify_ended(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_sessions__notify_ended() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  -- Gateways cache a session's validity (SESSION_CACHE_MS): this tells them
  -- at once that it ended. Only the id travels; the row stays the truth.
  perform pg_notify('lifegraph:sessions', old.id::text);
  -- The gateway whose operation this is reads the ids back just before its
  -- commit (src/graphql/pg-service.ts) and forgets them before it answers,
  -- so a logout holds on that gateway's very next request without waiting
  -- for its NOTIFY. Local to the transaction: gone at its end.
  perform set_config('lifegraph.ended_sessions',
    concat_ws(',', nullif(current_setting('lifegraph.ended_sessions', true), ''), old.id::text), true);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_sessions__notify_ended(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_sessions__notify_ended() IS 'NOTIFY lifegraph:sessions <id> when a session is revoked, cut short or deleted, so that every gateway drops its cached check; the ids also go in lifegraph.ended_sessions for the gateway running the transaction.';

--
-- Name: tg_unqueued_deliveries__queue_jobs(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_unqueued_deliveries__queue_jobs() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if exists (select 1 from app_private.unqueued_deliveries u where u.delivery_id = new.delivery_id) then
    perform app_private.queue_delivery_jobs();
  end if;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_unqueued_deliveries__queue_jobs(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_unqueued_deliveries__queue_jobs() IS 'At commit, adds the jobs of the deliveries the transaction raised.';

--
-- Name: tg_user_emails__verify(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_user_emails__verify() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.send_email_verification(new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_user_emails__verify(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_user_emails__verify() IS 'Every new unverified address (registration included) gets a verification link.';

--
-- Name: tg_users__create_settings(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_users__create_settings() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into app_public.user_settings (user_id) values (new.id);
  insert into app_private.user_flags (user_id) values (new.id);
  return new;
end;
$$;

--
-- Name: tg_users__delete_rollups(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_users__delete_rollups() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  delete from app_public.score_rollups r using deleted_users d where r.user_id = d.id;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_users__delete_rollups(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_users__delete_rollups() IS 'Rollups have no foreign key: this removes those of deleted users.';

--
-- Name: tg_users__notification_settings(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_users__notification_settings() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into app_public.notification_settings (user_id) values (new.id);
  return new;
end;
$$;

--
-- Name: FUNCTION tg_users__notification_settings(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_users__notification_settings() IS 'Every user starts with default notification settings.';

--
-- Name: tg_users__point_account(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_users__point_account() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into app_public.point_accounts (user_id) values (new.id) on conflict do nothing;
  return null;
end;
$$;

--
-- Name: FUNCTION tg_users__point_account(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_users__point_account() IS 'Opens the new user''s point account.';

--
-- Name: tg_users__privacy_settings(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_users__privacy_settings() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into app_public.privacy_settings (user_id) values (new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_users__privacy_settings(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_users__privacy_settings() IS 'Every user starts with private-leaning privacy settings.';

--
-- Name: tg_users__profile_counts(); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.tg_users__profile_counts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  insert into app_private.profile_counts (user_id) values (new.id);
  return null;
end;
$$;

--
-- Name: FUNCTION tg_users__profile_counts(); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.tg_users__profile_counts() IS 'Every user has a row of profile counts.';

--
-- Name: touch_session(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.touch_session(session_id uuid, user_id uuid) RETURNS boolean
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  -- Called by the gateway for every authenticated request; last_active_at is
  -- written at most once a minute so reads stay cheap.
  with active as (
    select s.id, s.last_active_at from app_private.sessions s
    where s.id = touch_session.session_id and s.user_id = touch_session.user_id
      and s.kind = 'login' and s.revoked_at is null and s.expires_at > now()
  ), touched as (
    update app_private.sessions s set last_active_at = now()
    from active where s.id = active.id and active.last_active_at < now() - interval '1 minute'
  )
  select exists (select 1 from active);
$$;

--
-- Name: trim_feed_inbox(uuid, integer); Type: FUNCTION; Schema: app_private; Owner: -
--

CREATE FUNCTION app_private.trim_feed_inbox(after_viewer uuid, max_viewers integer) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_first uuid := coalesce(after_viewer, '00000000-0000-0000-0000-000000000000');
  v_last uuid;
begin
  select b.id into v_last from (
    select u.id from app_public.users u where u.id > v_first order by u.id limit max_viewers) b
  order by b.id desc limit 1;
  delete from app_private.feed_inbox i
    where i.viewer_id > v_first and i.viewer_id <= v_last
      and i.created_at < (select h.starts_at from app_private.feed_inbox_horizon h);
  return v_last;
end;
$$;

--
-- Name: FUNCTION trim_feed_inbox(after_viewer uuid, max_viewers integer); Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON FUNCTION app_private.trim_feed_inbox(after_viewer uuid, max_viewers integer) IS 'Deletes the inbox rows below the horizon of a batch of viewers; returns the batch''s last viewer (null: done).';

--
-- Name: activity_events_actor(app_public.activity_events); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.activity_events_actor(e app_public.activity_events) RETURNS app_public.users
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select u.* from app_public.users u where u.id = e.actor_id;
$$;

--
-- Name: FUNCTION activity_events_actor(e app_public.activity_events); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.activity_events_actor(e app_public.activity_events) IS 'Who did it.';

--
-- Name: activity_events_cursor(app_public.activity_events); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.activity_events_cursor(e app_public.activity_events) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  -- ISO 8601 in UTC to the microsecond: the same text whatever the session's
  -- DateStyle. Postgres's base64 breaks lines every 76 characters, and a
  -- cursor is 88: the break is taken out, so a cursor is one token a client
  -- can put in a URL or a log line (decode skips whitespace, so cursors
  -- handed out with the break still work).
  select translate(encode(convert_to(to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || e.id::text, 'utf8'), 'base64'), E'\n', '');
$$;

--
-- Name: FUNCTION activity_events_cursor(e app_public.activity_events); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.activity_events_cursor(e app_public.activity_events) IS 'Pass it as `after` to activityFeed for the events older than this one.';

--
-- Name: activity_feed(app_public.feed_filter, integer, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.activity_feed(scope app_public.feed_filter DEFAULT 'friends'::app_public.feed_filter, page_size integer DEFAULT 20, after text DEFAULT NULL::text) RETURNS SETOF app_public.activity_events
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
#variable_conflict use_column
declare
  v_before_at timestamptz;
  v_before_id uuid;
  v_size int := least(greatest(coalesce(activity_feed.page_size, 20), 1), 100);
  v_me uuid := app_public.current_user_id();
  v_hidden uuid[] := app_hidden.hidden_event_ids();
  v_blocked uuid[] := app_hidden.block_peer_ids(v_me);
  v_friends uuid[] := app_hidden.friend_ids(v_me);
  v_communities uuid[] := app_hidden.community_ids(v_me);
  v_inbox_from timestamptz;
  v_found int;
begin
  select p.created_at, p.id into v_before_at, v_before_id from app_hidden.feed_position(activity_feed.after) p;
  if scope = 'friends' and v_me is not null then
    select h.starts_at into v_inbox_from from app_private.feed_inbox_horizon h;
    if (v_before_at, v_before_id) > (v_inbox_from, '00000000-0000-0000-0000-000000000000'::uuid) then
      return query
      select e.* from app_private.feed_inbox i
      join app_public.activity_events e on e.id = i.event_id and e.created_at = i.created_at
      where i.viewer_id = v_me and i.created_at >= v_inbox_from and (i.created_at, i.event_id) < (v_before_at, v_before_id)
        and e.actor_id = any (v_friends) and e.visibility <> 'private' and e.id <> all (v_hidden)
        and app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
          v_me, v_friends, v_blocked, v_communities)
      order by i.created_at desc, i.event_id desc
      limit v_size;
      get diagnostics v_found = row_count;
      if v_found = v_size then
        return;
      end if;
      -- The rest of the page lies below the horizon.
      v_size := v_size - v_found;
      v_before_at := v_inbox_from;
      v_before_id := '00000000-0000-0000-0000-000000000000';
    end if;
  end if;
  if scope in ('friends', 'following') and v_me is not null then
    return query
    with newest as (
      select k.created_at, k.id, a.actor_id
      from unnest(case scope when 'friends' then v_friends else app_hidden.followee_ids(v_me) end) a(actor_id)
      cross join lateral app_hidden.actor_feed_events(a.actor_id, scope, v_before_at, v_before_id,
        '-infinity', '00000000-0000-0000-0000-000000000000', 1, v_hidden, v_friends, v_communities) k
      where a.actor_id <> all (v_blocked)
    ), bound as (
      -- The page_size-th newest of the actors' newest keys, or the very
      -- beginning when fewer actors have any.
      select * from (select n.created_at, n.id from newest n order by 1 desc, 2 desc offset v_size - 1 limit 1) b
      union all select '-infinity', '00000000-0000-0000-0000-000000000000'
      order by 1 desc, 2 desc limit 1
    ), page as (
      select k.*
      from bound b join newest n on (n.created_at, n.id) >= (b.created_at, b.id)
      cross join lateral app_hidden.actor_feed_events(n.actor_id, scope, v_before_at, v_before_id,
        b.created_at, b.id, v_size, v_hidden, v_friends, v_communities) k
      order by k.created_at desc, k.id desc
      limit v_size
    )
    select e.* from page e
    where app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
      v_me, v_friends, v_blocked, v_communities)
    order by e.created_at desc, e.id desc;
  elsif scope = 'me' and v_me is not null then
    return query
    select e.* from app_public.activity_events e
    where e.actor_id = v_me and e.deleted_at is null and e.hidden_at is null
      and (e.created_at, e.id) < (v_before_at, v_before_id) and e.id <> all (v_hidden)
      and app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
        v_me, v_friends, v_blocked, v_communities)
    order by e.created_at desc, e.id desc
    limit v_size;
  elsif scope = 'public' then
    return query
    select e.* from app_public.activity_events e
    where e.visibility = 'public' and e.deleted_at is null and e.hidden_at is null
      and (e.created_at, e.id) < (v_before_at, v_before_id) and e.id <> all (v_hidden) and e.actor_id <> all (v_blocked)
      and app_hidden.can_see_event(e.actor_id, e.visibility, e.community_id, e.deleted_at, e.hidden_at,
        v_me, v_friends, v_blocked, v_communities)
    order by e.created_at desc, e.id desc
    limit v_size;
  end if;
end;
$$;

--
-- Name: FUNCTION activity_feed(scope app_public.feed_filter, page_size integer, after text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.activity_feed(scope app_public.feed_filter, page_size integer, after text) IS '@behavior -connection +list
@listSuffix omit
@orderedBy created_at desc, id desc
Your feed, newest first: scope friends (default), following, me or public; up to pageSize events (1-100, default 20) older than the `after` cursor (an event''s `cursor`). Hidden and deleted events are left out.';

--
-- Name: adjust_points(uuid, integer, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.adjust_points(user_id uuid, amount integer, note text) RETURNS app_public.point_transactions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION adjust_points(user_id uuid, amount integer, note text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.adjust_points(user_id uuid, amount integer, note text) IS 'Administrators: credits (positive) or debits (negative) a user''s points with a note saying why; a new ledger entry, never an edit. Errors: DNIED, BADIN, NOFND, PTLOW.';

--
-- Name: archive_notifications(uuid[]); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.archive_notifications(notification_ids uuid[]) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with archived as (
    update app_public.notifications set archived_at = now(), read_at = coalesce(read_at, now())
    where id = any(notification_ids) and archived_at is null and user_id = app_public.current_user_id() returning 1
  ) select count(*)::int from archived;
$$;

--
-- Name: FUNCTION archive_notifications(notification_ids uuid[]); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.archive_notifications(notification_ids uuid[]) IS 'Archives (and reads) your notifications; returns how many changed.';

--
-- Name: block_user(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.block_user(user_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
begin
  if v_me is null then
    raise exception 'Sign in first.' using errcode = 'LOGIN';
  end if;
  if user_id = v_me or not exists (select 1 from app_public.users u where u.id = block_user.user_id) then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
  perform app_private.lock_pair(v_me, user_id);
  insert into app_public.blocks (blocker_id, blocked_id) values (v_me, user_id) on conflict do nothing;
  delete from app_public.friendships f
    where (f.user_id = v_me and f.friend_id = block_user.user_id) or (f.user_id = block_user.user_id and f.friend_id = v_me);
  delete from app_public.follows f
    where (f.follower_id = v_me and f.followee_id = block_user.user_id) or (f.follower_id = block_user.user_id and f.followee_id = v_me);
  update app_public.friend_requests r set status = 'cancelled', responded_at = now()
    where r.status = 'pending' and ((r.requester_id = v_me and r.recipient_id = block_user.user_id)
      or (r.requester_id = block_user.user_id and r.recipient_id = v_me));
  return true;
end;
$$;

--
-- Name: FUNCTION block_user(user_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.block_user(user_id uuid) IS 'Blocks a user: nothing passes between you any more, and your friendship, follows and requests end.';

--
-- Name: cancel_competition(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.cancel_competition(competition_id uuid) RETURNS app_public.competitions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION cancel_competition(competition_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.cancel_competition(competition_id uuid) IS 'Calls off a competition that has not finished. Errors: BADIN, DNIED, COMRL, NOFND.';

--
-- Name: friend_requests; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.friend_requests (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    requester_id uuid NOT NULL,
    recipient_id uuid NOT NULL,
    status app_public.friend_request_status DEFAULT 'pending'::app_public.friend_request_status NOT NULL,
    message text,
    responded_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT friend_request_message_length CHECK ((char_length(message) <= 500)),
    CONSTRAINT friend_request_not_self CHECK ((requester_id <> recipient_id))
);

--
-- Name: TABLE friend_requests; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.friend_requests IS '@behavior -insert -update -delete
Friend requests you sent or received. Use sendFriendRequest, respondToFriendRequest and cancelFriendRequest.';

--
-- Name: COLUMN friend_requests.message; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.friend_requests.message IS 'An optional note with the request (up to 500 characters).';

--
-- Name: cancel_friend_request(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.cancel_friend_request(request_id uuid) RETURNS app_public.friend_requests
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.friend_requests set status = 'cancelled', responded_at = now()
  where id = request_id and requester_id = app_public.current_user_id() and status = 'pending'
  returning *;
$$;

--
-- Name: FUNCTION cancel_friend_request(request_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.cancel_friend_request(request_id uuid) IS 'Takes back a request you sent that is still pending (null when there is none).';

--
-- Name: community_join_requests; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.community_join_requests (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    community_id uuid NOT NULL,
    user_id uuid NOT NULL,
    message text,
    status app_public.join_request_status DEFAULT 'pending'::app_public.join_request_status NOT NULL,
    decided_by uuid,
    decided_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT join_request_message_length CHECK ((char_length(message) <= 500))
);

--
-- Name: TABLE community_join_requests; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.community_join_requests IS '@behavior -insert -update -delete
Requests to join an approval community: seen by who asked and the community''s moderators.';

--
-- Name: COLUMN community_join_requests.decided_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_join_requests.decided_by IS 'The moderator who decided.';

--
-- Name: cancel_join_request(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.cancel_join_request(request_id uuid) RETURNS app_public.community_join_requests
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.community_join_requests r set status = 'cancelled', decided_at = now()
  where r.id = cancel_join_request.request_id and r.user_id = app_public.current_user_id() and r.status = 'pending'
  returning r.*;
$$;

--
-- Name: FUNCTION cancel_join_request(request_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.cancel_join_request(request_id uuid) IS 'Withdraws your pending request (null when there is none).';

--
-- Name: change_password(text, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.change_password(old_password text, new_password text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_private.assert_login_session();
  v_hash text;
begin
  select password_hash into v_hash from app_private.user_secrets where user_id = v_user_id for update;
  if v_hash is null or v_hash <> crypt(old_password, v_hash) then
    raise exception 'The current password is wrong.' using errcode = 'LOGIN';
  end if;
  perform app_private.assert_strong_password(new_password,
    (select username from app_public.users where id = v_user_id));
  update app_private.user_secrets
    set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
    where user_id = v_user_id;
  -- Other sign-ins end; API keys stay (they are managed on their own).
  update app_private.sessions set revoked_at = now()
    where user_id = v_user_id and kind = 'login' and revoked_at is null
      and id <> app_public.current_session_id();
  return true;
end;
$$;

--
-- Name: FUNCTION change_password(old_password text, new_password text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.change_password(old_password text, new_password text) IS 'Changes the password after checking the current one, and signs out every other session.';

--
-- Name: community_feed(uuid, integer, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.community_feed(community_id uuid, page_size integer DEFAULT 20, after text DEFAULT NULL::text) RETURNS SETOF app_public.activity_events
    LANGUAGE sql STABLE
    AS $$
  select e.* from app_public.activity_events e, app_hidden.feed_position(community_feed.after) cur
  where e.community_id = community_feed.community_id
    and (e.created_at, e.id) < (cur.created_at, cur.id)
  order by e.created_at desc, e.id desc
  limit least(greatest(coalesce(community_feed.page_size, 20), 1), 100);
$$;

--
-- Name: FUNCTION community_feed(community_id uuid, page_size integer, after text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.community_feed(community_id uuid, page_size integer, after text) IS '@behavior -connection +list
@listSuffix omit
@orderedBy created_at desc, id desc
A community''s events, newest first, for its members: up to pageSize (1-100) older than the `after` cursor.';

--
-- Name: community_metrics(uuid, date); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.community_metrics(community_id uuid, since date DEFAULT (CURRENT_DATE - 29)) RETURNS SETOF app_public.community_metrics
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.assert_community_role(community_id, 'member');
  return query
    select d.day, d.members, d.active_members, d.new_members, d.activity_events, d.competition_entries, d.points_spent
    from app_private.community_metrics_daily d
    where d.community_id = community_metrics.community_id and d.day >= since
    order by d.day;
end;
$$;

--
-- Name: FUNCTION community_metrics(community_id uuid, since date); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.community_metrics(community_id uuid, since date) IS 'Daily numbers of a community since a day (30 days by default), as of the last refresh; members only. Errors: COMRL, NOFND.';

--
-- Name: competition_leaderboard(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.competition_leaderboard(competition_id uuid, round_id uuid DEFAULT NULL::uuid) RETURNS SETOF app_public.leaderboard_row
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select s.rank, s.user_id, u.username, u.display_name, s.score, s.entries
  from app_private.competition_standings(competition_leaderboard.competition_id, competition_leaderboard.round_id) s
  join app_public.users u on u.id = s.user_id
  where (select app_hidden.can_see_competition(competition_leaderboard.competition_id))
    and (competition_leaderboard.round_id is null or exists (select 1 from app_public.competition_rounds r
      where r.id = competition_leaderboard.round_id and r.competition_id = competition_leaderboard.competition_id))
    and not s.user_id = any ((select app_hidden.block_peer_ids(app_public.current_user_id()))::uuid[])
  order by s.rank, u.username;
$$;

--
-- Name: FUNCTION competition_leaderboard(competition_id uuid, round_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.competition_leaderboard(competition_id uuid, round_id uuid) IS 'The standings of a competition you may see: every participant, ranked by their overall score (the sum of weight × round score) or, given a round, by their score in it; ties share a place (1, 1, 3). Ordered by rank, then username. People across a block from you are left out, the ranks unchanged.';

--
-- Name: conversations; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.conversations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_low uuid NOT NULL,
    user_high uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_message_at timestamp with time zone,
    CONSTRAINT conversation_pair_ordered CHECK ((user_low < user_high))
);

--
-- Name: TABLE conversations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.conversations IS '@behavior -insert -update -delete
A one-to-one conversation. sendMessage opens it.';

--
-- Name: COLUMN conversations.user_low; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.conversations.user_low IS '@behavior -*
One member (the lower id).';

--
-- Name: COLUMN conversations.user_high; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.conversations.user_high IS '@behavior -*
The other member (the higher id).';

--
-- Name: COLUMN conversations.last_message_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.conversations.last_message_at IS '@behavior +orderBy
When its last message was sent.';

--
-- Name: conversations_other_user(app_public.conversations); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.conversations_other_user(c app_public.conversations) RETURNS app_public.users
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select u.* from app_public.users u
  where app_public.current_user_id() in (c.user_low, c.user_high)
    and u.id = case when c.user_low = app_public.current_user_id() then c.user_high else c.user_low end
    and not app_hidden.is_blocked_between(c.user_low, c.user_high);
$$;

--
-- Name: FUNCTION conversations_other_user(c app_public.conversations); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.conversations_other_user(c app_public.conversations) IS 'Who you are talking with.';

--
-- Name: conversations_unread_count(app_public.conversations); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.conversations_unread_count(c app_public.conversations) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select count(*)::int from app_public.direct_messages m
  where m.conversation_id = c.id and m.sender_id <> app_public.current_user_id() and m.deleted_at is null
    and m.created_at > coalesce((select cm.read_up_to from app_public.conversation_members cm
      where cm.conversation_id = c.id and cm.user_id = app_public.current_user_id()), '-infinity');
$$;

--
-- Name: FUNCTION conversations_unread_count(c app_public.conversations); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.conversations_unread_count(c app_public.conversations) IS 'Messages to you in this conversation that you have not read.';

--
-- Name: create_api_key(text, app_public.api_key_scope[], timestamp with time zone); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.create_api_key(name text, scopes app_public.api_key_scope[], expires_at timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS app_public.created_api_key
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_private.assert_login_session();
  v_secret text := 'lg_' || encode(gen_random_bytes(24), 'hex');
  v_key app_public.api_keys;
begin
  if expires_at is not null and expires_at <= now() then
    raise exception 'The expiry must be in the future.' using errcode = 'BADIN';
  end if;
  insert into app_public.api_keys (user_id, name, scopes, token_prefix, expires_at)
    values (v_user_id, name, (select array_agg(distinct s) from unnest(scopes) s),
            left(v_secret, 10), expires_at)
    returning * into v_key;
  insert into app_private.api_key_secrets (api_key_id, secret_hash) values (v_key.id, digest(v_secret, 'sha256'));
  insert into app_private.sessions (user_id, kind, api_key_id, expires_at)
    values (v_user_id, 'api_key', v_key.id, coalesce(expires_at, 'infinity'));
  return row(v_key.id, v_secret)::app_public.created_api_key;
end;
$$;

--
-- Name: FUNCTION create_api_key(name text, scopes app_public.api_key_scope[], expires_at timestamp with time zone); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.create_api_key(name text, scopes app_public.api_key_scope[], expires_at timestamp with time zone) IS 'Creates an API key for the signed-in user and returns its secret (`lg_…`) once.';

--
-- Name: communities; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.communities (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug public.citext NOT NULL,
    description_md text,
    visibility app_public.community_visibility DEFAULT 'public'::app_public.community_visibility NOT NULL,
    join_policy app_public.community_join_policy DEFAULT 'open'::app_public.community_join_policy NOT NULL,
    founder_id uuid NOT NULL,
    member_count integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT community_description_length CHECK ((char_length(description_md) <= 5000)),
    CONSTRAINT community_member_count_nonnegative CHECK ((member_count >= 0)),
    CONSTRAINT community_name_length CHECK (((char_length(name) >= 3) AND (char_length(name) <= 80))),
    CONSTRAINT community_private_is_invite_only CHECK (((visibility = 'public'::app_public.community_visibility) OR (join_policy = 'invite'::app_public.community_join_policy))),
    CONSTRAINT community_slug_format CHECK ((slug OPERATOR(public.~) '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'::public.citext))
);

--
-- Name: TABLE communities; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.communities IS '@behavior -insert
A group people join: public ones anyone can read, private ones (always invite-only) only their members. Found one with createCommunity.';

--
-- Name: COLUMN communities.slug; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.communities.slug IS '@behavior +filterBy
The address of the community: unique whatever its case.';

--
-- Name: COLUMN communities.visibility; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.communities.visibility IS 'Public (anyone may read it) or private (members only, invite-only).';

--
-- Name: COLUMN communities.join_policy; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.communities.join_policy IS 'How people get in: open (join at once), approval (ask, a moderator decides) or invite (a code).';

--
-- Name: COLUMN communities.founder_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.communities.founder_id IS '@fieldName founderId
Who owns the community; ownership moves with transferCommunityOwnership.';

--
-- Name: COLUMN communities.member_count; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.communities.member_count IS 'How many members it has, kept by the database.';

--
-- Name: CONSTRAINT community_private_is_invite_only ON communities; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT community_private_is_invite_only ON app_public.communities IS 'A private community takes members by invite only.';

--
-- Name: CONSTRAINT community_slug_format ON communities; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT community_slug_format ON app_public.communities IS '3 to 40 lowercase letters, digits and inner hyphens.';

--
-- Name: create_community(text, text, text, app_public.community_visibility, app_public.community_join_policy); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.create_community(name text, slug text, description_md text DEFAULT NULL::text, visibility app_public.community_visibility DEFAULT 'public'::app_public.community_visibility, join_policy app_public.community_join_policy DEFAULT 'open'::app_public.community_join_policy) RETURNS app_public.communities
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
  v_community app_public.communities;
begin
  if v_me is null then
    raise exception 'Sign in to found a community.' using errcode = 'LOGIN';
  end if;
  -- Founding is cheap to ask for and each community lives on: a bound per person.
  if (select count(*) from app_public.communities c where c.founder_id = v_me) >= 20 then
    raise exception 'You have founded 20 communities: hand one over or delete one first.' using errcode = 'COMLM';
  end if;
  insert into app_public.communities (name, slug, description_md, visibility, join_policy, founder_id)
    values (create_community.name, lower(create_community.slug), create_community.description_md,
      create_community.visibility, create_community.join_policy, v_me)
    returning * into v_community;
  insert into app_public.community_members (community_id, user_id, role, joined_via)
    values (v_community.id, v_me, 'founder', 'discovery');
  return (select c from app_public.communities c where c.id = v_community.id);
end;
$$;

--
-- Name: FUNCTION create_community(name text, slug text, description_md text, visibility app_public.community_visibility, join_policy app_public.community_join_policy); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.create_community(name text, slug text, description_md text, visibility app_public.community_visibility, join_policy app_public.community_join_policy) IS 'Founds a community; you are its founder. Errors: NUNIQ (slug taken), BADIN.';

--
-- Name: community_invites; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.community_invites (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    community_id uuid NOT NULL,
    code text DEFAULT encode(public.gen_random_bytes(9), 'hex'::text) NOT NULL,
    created_by uuid,
    expires_at timestamp with time zone DEFAULT (now() + '7 days'::interval) NOT NULL,
    max_uses integer DEFAULT 1 NOT NULL,
    use_count integer DEFAULT 0 NOT NULL,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT invite_max_uses_range CHECK (((max_uses >= 1) AND (max_uses <= 10000))),
    CONSTRAINT invite_uses_within_max CHECK (((use_count >= 0) AND (use_count <= max_uses)))
);

--
-- Name: TABLE community_invites; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.community_invites IS '@behavior -insert -update -delete
Invite codes of a community, for its moderators and above: each has an expiry and a number of uses, and can be revoked.';

--
-- Name: COLUMN community_invites.code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_invites.code IS 'What the invited person passes to joinCommunityByInvite.';

--
-- Name: COLUMN community_invites.created_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.community_invites.created_by IS 'Who made the invite.';

--
-- Name: CONSTRAINT invite_uses_within_max ON community_invites; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT invite_uses_within_max ON app_public.community_invites IS 'An invite is never used more times than it allows.';

--
-- Name: create_community_invite(uuid, integer, interval); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.create_community_invite(community_id uuid, max_uses integer DEFAULT 1, expires_in interval DEFAULT '7 days'::interval) RETURNS app_public.community_invites
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION create_community_invite(community_id uuid, max_uses integer, expires_in interval); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.create_community_invite(community_id uuid, max_uses integer, expires_in interval) IS 'Moderators make an invite code with a number of uses and a lifetime (up to 90 days). Errors: COMRL, BADIN.';

--
-- Name: create_competition(text, timestamp with time zone, timestamp with time zone, uuid, text, integer); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.create_competition(title text, starts_at timestamp with time zone, ends_at timestamp with time zone, community_id uuid DEFAULT NULL::uuid, rules_md text DEFAULT NULL::text, capacity integer DEFAULT NULL::integer) RETURNS app_public.competitions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION create_competition(title text, starts_at timestamp with time zone, ends_at timestamp with time zone, community_id uuid, rules_md text, capacity integer); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.create_competition(title text, starts_at timestamp with time zone, ends_at timestamp with time zone, community_id uuid, rules_md text, capacity integer) IS 'Makes a draft competition: global (administrators) or of a community (its admins and founder). Errors: DNIED, COMRL, NOFND, BADIN.';

--
-- Name: create_webhook_endpoint(text, text[], text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.create_webhook_endpoint(url text, event_types text[] DEFAULT '{}'::text[], description text DEFAULT NULL::text) RETURNS app_public.webhook_endpoint_secret
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION create_webhook_endpoint(url text, event_types text[], description text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.create_webhook_endpoint(url text, event_types text[], description text) IS 'Registers a webhook endpoint and returns its signing secret, shown this once.';

--
-- Name: current_session_id(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.current_session_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('jwt.claims.session_id', true), '')::uuid;
$$;

--
-- Name: FUNCTION current_session_id(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.current_session_id() IS 'The session the request runs under, as set by the gateway from a verified token.';

--
-- Name: current_user(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public."current_user"() RETURNS app_public.users
    LANGUAGE sql STABLE
    AS $$
  select users.* from app_public.users where id = app_public.current_user_id();
$$;

--
-- Name: FUNCTION "current_user"(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public."current_user"() IS 'The signed-in user, or null.';

--
-- Name: current_user_is_admin(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.current_user_is_admin() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return coalesce((select is_admin from app_private.user_flags where user_id = app_public.current_user_id()), false);
end;
$$;

--
-- Name: FUNCTION current_user_is_admin(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.current_user_is_admin() IS 'True when the current user is an administrator.';

--
-- Name: decide_join_request(uuid, boolean); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.decide_join_request(request_id uuid, approve boolean) RETURNS app_public.community_join_requests
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION decide_join_request(request_id uuid, approve boolean); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.decide_join_request(request_id uuid, approve boolean) IS 'Moderators approve or decline a request. Errors: COMRL, NOFND.';

--
-- Name: delete_account(text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.delete_account(password text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_private.assert_login_session();
  v_hash text;
begin
  if (select s.created_at from app_private.sessions s where s.id = app_public.current_session_id()) < now() - interval '10 minutes' then
    raise exception 'Sign in again (within the last 10 minutes) to delete your account.' using errcode = 'REAUT';
  end if;
  select s.password_hash into v_hash from app_private.user_secrets s where s.user_id = v_user_id;
  if v_hash is null or v_hash <> crypt(password, v_hash) then
    raise exception 'The password is wrong.' using errcode = 'LOGIN';
  end if;
  perform app_private.erase_user(v_user_id);
  return true;
end;
$$;

--
-- Name: FUNCTION delete_account(password text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.delete_account(password text) IS 'Deletes your account and your data for good. Needs your password and a sign-in of the last 10 minutes (REAUT). Messages you sent stay with their recipients, signed by a deleted account.';

--
-- Name: delete_activity_event(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.delete_activity_event(event_id uuid) RETURNS app_public.activity_events
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION delete_activity_event(event_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.delete_activity_event(event_id uuid) IS 'Deletes one of your events for everyone (it is kept, hidden, for the audit trail). Errors: NOFND.';

--
-- Name: delete_message(uuid, boolean); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.delete_message(message_id uuid, for_everyone boolean DEFAULT false) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
  v_message app_public.direct_messages;
begin
  select m.* into v_message from app_public.direct_messages m
    join app_public.conversation_members cm on cm.conversation_id = m.conversation_id and cm.user_id = v_me
    join app_public.conversations c on c.id = m.conversation_id
    where m.id = message_id and not app_hidden.is_blocked_between(c.user_low, c.user_high);
  if not found then
    raise exception 'No such message.' using errcode = 'NOFND';
  end if;
  -- Unset means for me: the destructive choice is never the default.
  if not coalesce(for_everyone, false) then
    insert into app_public.message_deletions (message_id, user_id) values (message_id, v_me) on conflict do nothing;
    return true;
  end if;
  if v_message.sender_id <> v_me then
    raise exception 'Only its sender can delete a message for everyone.' using errcode = 'DNIED';
  end if;
  if v_message.created_at < now() - interval '1 hour' then
    raise exception 'Messages can be deleted for everyone within an hour.' using errcode = 'EDITW';
  end if;
  update app_public.direct_messages set body_md = null, deleted_at = now() where id = message_id and deleted_at is null;
  insert into app_public.moderation_actions (moderator_id, action, message_id) values (v_me, 'delete_message', message_id);
  return true;
end;
$$;

--
-- Name: FUNCTION delete_message(message_id uuid, for_everyone boolean); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.delete_message(message_id uuid, for_everyone boolean) IS 'Deletes a message for you, or (your own, within an hour) for everyone. Errors: NOFND, DNIED, EDITW.';

--
-- Name: direct_messages; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.direct_messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    conversation_id uuid NOT NULL,
    sender_id uuid NOT NULL,
    body_md text,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    edited_at timestamp with time zone,
    deleted_at timestamp with time zone,
    CONSTRAINT message_body_length CHECK (((char_length(body_md) >= 1) AND (char_length(body_md) <= 4000))),
    CONSTRAINT message_body_unless_deleted CHECK (((body_md IS NULL) = (deleted_at IS NOT NULL)))
);

--
-- Name: TABLE direct_messages; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.direct_messages IS '@behavior -insert -update -delete
A direct message. Send, edit and delete with sendMessage, editMessage and deleteMessage.';

--
-- Name: COLUMN direct_messages.body_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.direct_messages.body_md IS 'The message (Markdown, 1-4000 characters); null once deleted for everyone.';

--
-- Name: COLUMN direct_messages.edited_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.direct_messages.edited_at IS 'When it was last edited (within 15 minutes of sending).';

--
-- Name: COLUMN direct_messages.deleted_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.direct_messages.deleted_at IS 'When its sender deleted it for everyone.';

--
-- Name: direct_messages_delivered_at(app_public.direct_messages); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.direct_messages_delivered_at(m app_public.direct_messages) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
  select case when cm.delivered_up_to >= m.created_at then cm.delivered_up_to end
  from app_public.conversation_members cm
  where cm.conversation_id = m.conversation_id and cm.user_id <> m.sender_id;
$$;

--
-- Name: FUNCTION direct_messages_delivered_at(m app_public.direct_messages); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.direct_messages_delivered_at(m app_public.direct_messages) IS 'When the recipient''s app received it (null until then).';

--
-- Name: direct_messages_read_at(app_public.direct_messages); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.direct_messages_read_at(m app_public.direct_messages) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
  select case when cm.read_up_to >= m.created_at then cm.read_up_to end
  from app_public.conversation_members cm
  where cm.conversation_id = m.conversation_id and cm.user_id <> m.sender_id;
$$;

--
-- Name: FUNCTION direct_messages_read_at(m app_public.direct_messages); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.direct_messages_read_at(m app_public.direct_messages) IS 'When the recipient read it (null until then).';

--
-- Name: discard_delivery(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.discard_delivery(delivery_id uuid) RETURNS app_public.notification_deliveries
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION discard_delivery(delivery_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.discard_delivery(delivery_id uuid) IS 'Administrators: gives up on a dead delivery (and the items of a dead digest).';

--
-- Name: edit_message(uuid, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.edit_message(message_id uuid, body_md text) RETURNS app_public.direct_messages
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_message app_public.direct_messages;
begin
  select m.* into v_message from app_public.direct_messages m
    join app_public.conversations c on c.id = m.conversation_id
    where m.id = message_id and m.sender_id = app_public.current_user_id() and m.deleted_at is null
      and not app_hidden.is_blocked_between(c.user_low, c.user_high);
  if not found then
    raise exception 'No such message of yours.' using errcode = 'NOFND';
  end if;
  if v_message.created_at < now() - interval '15 minutes' then
    raise exception 'Messages can be edited for 15 minutes.' using errcode = 'EDITW';
  end if;
  update app_public.direct_messages set body_md = edit_message.body_md, edited_at = now()
    where id = message_id returning * into v_message;
  return v_message;
end;
$$;

--
-- Name: FUNCTION edit_message(message_id uuid, body_md text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.edit_message(message_id uuid, body_md text) IS 'Changes a message you sent, within 15 minutes. Errors: NOFND, EDITW, BADIN.';

--
-- Name: follow_user(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.follow_user(user_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
begin
  perform app_private.assert_other_user(v_me, user_id);
  -- Serialised with block_user on the pair, then checked again: a block
  -- either comes first (and the follow is refused) or after (and ends it).
  perform app_private.lock_pair(v_me, user_id);
  perform app_private.assert_other_user(v_me, user_id);
  if not app_hidden.can_see_profile(user_id) then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
  insert into app_public.follows (follower_id, followee_id) values (v_me, user_id) on conflict do nothing;
  return found;
end;
$$;

--
-- Name: FUNCTION follow_user(user_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.follow_user(user_id uuid) IS 'Follows someone whose profile you can see. Errors: NOFND, BADIN.';

--
-- Name: forgot_password(text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.forgot_password(email text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_email app_public.user_emails;
begin
  -- The account that verified the address; while none has, each account
  -- whose primary address it is and which has verified none.
  for v_email in
    select * from app_public.user_emails e
    where e.email = forgot_password.email::citext
      and (e.is_verified or (e.is_primary
        and not exists (select 1 from app_public.user_emails v where v.user_id = e.user_id and v.is_verified)
        and not exists (select 1 from app_public.user_emails o where o.email = e.email and o.is_verified)))
  loop
    perform app_private.notify(v_email.user_id, 'account.password_reset',
      jsonb_build_object('username', (select username from app_public.users where id = v_email.user_id),
        'email', v_email.email,
        'token', app_private.issue_account_token(v_email.user_id, v_email.id, 'reset_password', interval '1 hour')));
  end loop;
  -- The same answer whether or not the address is known.
  return true;
end;
$$;

--
-- Name: FUNCTION forgot_password(email text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.forgot_password(email text) IS 'Mails a password-reset link (single use, one hour) to a verified address of an account (or its primary address while none is verified). Always answers true.';

--
-- Name: fulfil_purchase(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.fulfil_purchase(purchase_id uuid) RETURNS app_public.marketplace_purchases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION fulfil_purchase(purchase_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.fulfil_purchase(purchase_id uuid) IS 'Administrators (and a community''s admins, for its items): marks a pending purchase delivered; a fulfilled one is returned as it is. Errors: DNIED, NOFND, BADIN.';

--
-- Name: generate_review(app_public.review_kind, date); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.generate_review(kind app_public.review_kind, period_start date DEFAULT NULL::date) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION generate_review(kind app_public.review_kind, period_start date); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.generate_review(kind app_public.review_kind, period_start date) IS 'Asks for your review of the month or quarter containing `periodStart` (the current one by default). The worker writes it shortly; it appears in `reviews`.';

--
-- Name: is_valid_timezone(text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.is_valid_timezone(tz text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  return exists (select 1 from app_private.time_zone_names where name = tz)
    or exists (select 1 from pg_catalog.pg_timezone_names where name = tz);
end;
-- Definer: the table is in app_private; the function reveals only a yes or no.
$$;

--
-- Name: FUNCTION is_valid_timezone(tz text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.is_valid_timezone(tz text) IS 'True when the text is one of the time zone names Postgres knows (e.g. `Europe/Paris`).';

--
-- Name: join_community(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.join_community(community_id uuid) RETURNS app_public.community_members
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION join_community(community_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.join_community(community_id uuid) IS 'Joins an open community. Errors: COMJP (it takes members by approval or invite), NUNIQ, NOFND.';

--
-- Name: join_community_by_invite(text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.join_community_by_invite(code text) RETURNS app_public.community_members
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION join_community_by_invite(code text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.join_community_by_invite(code text) IS 'Joins with an invite code. Errors: INVEX (expired or revoked), INVUS (used up), NOFND.';

--
-- Name: competition_participants; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.competition_participants (
    competition_id uuid NOT NULL,
    user_id uuid NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    score numeric DEFAULT 0 NOT NULL,
    entries integer DEFAULT 0 NOT NULL
);

--
-- Name: TABLE competition_participants; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.competition_participants IS '@behavior -insert -update -delete
Who takes part in a competition. Enter with joinCompetition and leave with leaveCompetition, both only until it starts.';

--
-- Name: COLUMN competition_participants.joined_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_participants.joined_at IS 'When they entered.';

--
-- Name: COLUMN competition_participants.score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_participants.score IS 'Their overall score so far: the sum over rounds of the round''s weight × their round score. Kept by the database.';

--
-- Name: COLUMN competition_participants.entries; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_participants.entries IS 'How many scores they have.';

--
-- Name: join_competition(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.join_competition(competition_id uuid) RETURNS app_public.competition_participants
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION join_competition(competition_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.join_competition(competition_id uuid) IS 'Enters a scheduled competition before it starts (a community''s: members only). Entering again returns your entry. Errors: CSTRT (started or not open), CFULL (no places left), COMRL, NOFND.';

--
-- Name: leave_community(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.leave_community(community_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION leave_community(community_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.leave_community(community_id uuid) IS 'Leaves a community (false when you were not in it). Errors: COMFD (the founder must transfer first).';

--
-- Name: leave_competition(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.leave_competition(competition_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION leave_competition(competition_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.leave_competition(competition_id uuid) IS 'Withdraws your entry before the start (false when you had none). Errors: CSTRT, NOFND.';

--
-- Name: logout(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.logout() RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with revoked as (
    update app_private.sessions set revoked_at = now()
    where id = app_public.current_session_id() and kind = 'login' and revoked_at is null
    returning 1
  )
  select exists (select 1 from revoked);
$$;

--
-- Name: FUNCTION logout(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.logout() IS 'Ends the current session: its access and refresh tokens stop working at once.';

--
-- Name: conversation_members; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.conversation_members (
    conversation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    delivered_up_to timestamp with time zone,
    read_up_to timestamp with time zone
);

--
-- Name: TABLE conversation_members; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.conversation_members IS '@behavior -insert -update -delete
The two members of a conversation and how far each has received and read.';

--
-- Name: COLUMN conversation_members.delivered_up_to; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.conversation_members.delivered_up_to IS 'Every message sent up to this moment reached this member''s app.';

--
-- Name: COLUMN conversation_members.read_up_to; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.conversation_members.read_up_to IS 'This member read every message sent up to this moment.';

--
-- Name: mark_conversation(uuid, boolean); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.mark_conversation(conversation_id uuid, read boolean DEFAULT true) RETURNS app_public.conversation_members
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  update app_public.conversation_members m
    set delivered_up_to = greatest(m.delivered_up_to, now()),
      read_up_to = case when coalesce(read, true) then greatest(m.read_up_to, now()) else m.read_up_to end
  from app_public.conversations c
  where c.id = m.conversation_id and not app_hidden.is_blocked_between(c.user_low, c.user_high)
    and m.conversation_id = mark_conversation.conversation_id and m.user_id = app_public.current_user_id()
  returning m.*;
$$;

--
-- Name: FUNCTION mark_conversation(conversation_id uuid, read boolean); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.mark_conversation(conversation_id uuid, read boolean) IS 'Marks every message of a conversation received so far as delivered to you, and read unless read is false.';

--
-- Name: mark_notifications_read(uuid[]); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.mark_notifications_read(notification_ids uuid[]) RETURNS integer
    LANGUAGE sql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with marked as (
    update app_public.notifications set read_at = now()
    where id = any(notification_ids) and read_at is null and user_id = app_public.current_user_id() returning 1
  ) select count(*)::int from marked;
$$;

--
-- Name: FUNCTION mark_notifications_read(notification_ids uuid[]); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.mark_notifications_read(notification_ids uuid[]) IS 'Marks your notifications read; returns how many changed.';

--
-- Name: moderate_activity_event(uuid, boolean, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.moderate_activity_event(event_id uuid, hide boolean, reason text) RETURNS app_public.activity_events
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION moderate_activity_event(event_id uuid, hide boolean, reason text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.moderate_activity_event(event_id uuid, hide boolean, reason text) IS 'Administrators hide any event from everyone, or show it again; a community''s moderators, its events. Kept in the audit trail. Errors: DNIED, COMRL, NOFND.';

--
-- Name: my_achievement_progress(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.my_achievement_progress() RETURNS SETOF app_public.achievement_standing
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select d.code, d.title, d.description, d.tier, d.event, d.threshold, d.points, d.is_secret,
    coalesce(p.progress, 0), a.awarded_at
  from app_public.achievement_definitions d
  cross join (select app_public.current_user_id() as me) v
  left join app_public.achievement_progress p on p.user_id = v.me and p.event = d.event
  left join app_public.user_achievements a on a.user_id = v.me and a.achievement_code = d.code
  where v.me is not null and (not d.is_secret or a.awarded_at is not null)
  order by d.event, d.threshold, d.code;
$$;

--
-- Name: FUNCTION my_achievement_progress(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.my_achievement_progress() IS '@behavior -connection +list
@listSuffix omit
Your progress towards each achievement (secret ones once earned): progress, threshold, and when it was awarded.';

--
-- Name: point_balance_drift(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.point_balance_drift() RETURNS TABLE(user_id uuid, cached_balance bigint, ledger_balance bigint, drift bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  perform app_private.assert_admin();
  return query select b.user_id, b.cached_balance, b.ledger_balance::bigint, b.drift::bigint
    from app_private.point_balances b where b.drift <> 0 order by abs(b.drift) desc, b.user_id;
end;
$$;

--
-- Name: FUNCTION point_balance_drift(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.point_balance_drift() IS 'Administrators: every point account whose cached balance differs from the sum of its ledger (normally none). Errors: DNIED.';

--
-- Name: purchase_item(uuid, integer, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.purchase_item(item_id uuid, quantity integer, idempotency_key text) RETURNS app_public.marketplace_purchases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION purchase_item(item_id uuid, quantity integer, idempotency_key text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.purchase_item(item_id uuid, quantity integer, idempotency_key text) IS 'Buys an item with your points, atomically: the stock, your points and the purchase move together or not at all. Send a fresh idempotencyKey (8-100 characters: letters, digits, _ . : -) per purchase and the same one when retrying: a retry returns the first purchase and charges once. Errors: PTLOW, STOCK, ITEMX, IDEMP, NOFND, BADIN.';

--
-- Name: recompute_rollups(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.recompute_rollups(user_id uuid DEFAULT NULL::uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION recompute_rollups(user_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.recompute_rollups(user_id uuid) IS 'Administrators: schedules a full recompute of one user''s rollups, or everyone''s when no user is given.';

--
-- Name: scores; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.scores (
    id bigint NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    area_id integer NOT NULL,
    dimension_id integer,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    score_date date NOT NULL,
    score numeric NOT NULL,
    source app_public.score_source DEFAULT 'manual'::app_public.score_source NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT score_date_not_ancient CHECK ((score_date >= '1900-01-01'::date)),
    CONSTRAINT score_date_not_future CHECK ((score_date <= ((now() + '2 days'::interval))::date)),
    CONSTRAINT score_note_length CHECK ((char_length(note) <= 2000)),
    CONSTRAINT score_one_decimal CHECK ((score = round(score, 1))),
    CONSTRAINT score_range CHECK (((score >= (0)::numeric) AND (score <= (5)::numeric)))
);

--
-- Name: TABLE scores; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.scores IS 'A raw score from 0 to 5 (one decimal) for a life area, or one of its dimensions, on a day. Rollups are computed from these.';

--
-- Name: COLUMN scores.recorded_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.scores.recorded_at IS 'When the score was taken; its day in your time zone is `scoreDate` unless you give one.';

--
-- Name: COLUMN scores.score_date; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.scores.score_date IS 'The day the score is about, in your time zone. At most two days ahead.';

--
-- Name: COLUMN scores.score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.scores.score IS '@behavior +filterBy +orderBy
From 0 to 5, with at most one decimal.';

--
-- Name: COLUMN scores.source; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.scores.source IS '@behavior +filterBy
Who gave the score: you (manual), an assistant (ai), or a calculation (computed). One manual score per area, dimension and day.';

--
-- Name: CONSTRAINT score_one_decimal ON scores; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT score_one_decimal ON app_public.scores IS 'A score has at most one decimal, e.g. 3.5.';

--
-- Name: record_score(text, numeric, date, text, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.record_score(area_code text, score numeric, score_date date DEFAULT NULL::date, dimension_code text DEFAULT NULL::text, note text DEFAULT NULL::text) RETURNS app_public.scores
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION record_score(area_code text, score numeric, score_date date, dimension_code text, note text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.record_score(area_code text, score numeric, score_date date, dimension_code text, note text) IS 'Records your score (0-5, one decimal) for an area (and optionally one of its dimensions) on a day, today by default. A second score for the same day replaces the first.';

--
-- Name: refresh_community_metrics(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.refresh_community_metrics() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if not app_public.current_user_is_admin() and not exists (select 1 from app_public.community_members m
      where m.user_id = app_public.current_user_id() and m.role >= 'admin') then
    raise exception 'Only administrators may do this.' using errcode = 'DNIED';
  end if;
  perform graphile_worker.add_job('communities__refresh_metrics', '{}'::json,
    job_key := 'communities__refresh_metrics', job_key_mode := 'preserve_run_at', max_attempts := 3);
  return true;
end;
$$;

--
-- Name: FUNCTION refresh_community_metrics(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.refresh_community_metrics() IS 'Administrators (of the platform or of a community) queue a refresh of the community metrics. Errors: DNIED.';

--
-- Name: refund_purchase(uuid, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.refund_purchase(purchase_id uuid, reason text DEFAULT NULL::text) RETURNS app_public.marketplace_purchases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION refund_purchase(purchase_id uuid, reason text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.refund_purchase(purchase_id uuid, reason text) IS 'Administrators (and a community''s admins, for its items): refunds a purchase — the points go back to the buyer, the stock to the shelf, and the buyer is told. A second refund changes nothing. Errors: DNIED, NOFND, BADIN.';

--
-- Name: relationships; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.relationships (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    person_name text NOT NULL,
    kind app_public.relationship_kind DEFAULT 'friend'::app_public.relationship_kind NOT NULL,
    status app_public.relationship_status DEFAULT 'active'::app_public.relationship_status NOT NULL,
    desired_contacts_per_month numeric(5,2),
    quality smallint,
    notes_md text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT desired_contacts_range CHECK (((desired_contacts_per_month >= (0)::numeric) AND (desired_contacts_per_month <= (100)::numeric))),
    CONSTRAINT person_name_length CHECK (((char_length(person_name) >= 1) AND (char_length(person_name) <= 120))),
    CONSTRAINT relationship_notes_length CHECK ((char_length(notes_md) <= 20000)),
    CONSTRAINT relationship_quality_range CHECK (((quality >= 1) AND (quality <= 10)))
);

--
-- Name: TABLE relationships; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.relationships IS 'A person in your life, how you relate, and how often you would like to be in touch.';

--
-- Name: COLUMN relationships.person_name; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.relationships.person_name IS '@behavior +filterBy +orderBy
The person''s name, as you call them (1-120 characters).';

--
-- Name: COLUMN relationships.kind; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.relationships.kind IS '@behavior +filterBy +orderBy
Who the person is to you.';

--
-- Name: COLUMN relationships.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.relationships.status IS '@behavior +filterBy +orderBy
How the relationship is now.';

--
-- Name: COLUMN relationships.desired_contacts_per_month; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.relationships.desired_contacts_per_month IS 'How often you would like to be in touch, per month (0-100); compare with actualContactsPerMonth.';

--
-- Name: COLUMN relationships.quality; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.relationships.quality IS '@behavior +filterBy +orderBy
How the relationship feels, 1 (poor) to 10 (excellent).';

--
-- Name: relationships_actual_contacts_per_month(app_public.relationships); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.relationships_actual_contacts_per_month(r app_public.relationships) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select round(count(*) / 3.0, 2) from app_public.relationship_interactions i
  where i.relationship_id = r.id and i.occurred_at > now() - interval '90 days';
$$;

--
-- Name: FUNCTION relationships_actual_contacts_per_month(r app_public.relationships); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.relationships_actual_contacts_per_month(r app_public.relationships) IS 'Contacts per month over the last 90 days, from the interactions log.';

--
-- Name: relationships_last_contact_at(app_public.relationships); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.relationships_last_contact_at(r app_public.relationships) RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select max(occurred_at) from app_public.relationship_interactions i where i.relationship_id = r.id;
$$;

--
-- Name: FUNCTION relationships_last_contact_at(r app_public.relationships); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.relationships_last_contact_at(r app_public.relationships) IS 'The latest logged interaction.';

--
-- Name: remove_community_member(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.remove_community_member(community_id uuid, user_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION remove_community_member(community_id uuid, user_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.remove_community_member(community_id uuid, user_id uuid) IS 'Moderators and above remove a member below their role. Errors: COMRL, NOFND.';

--
-- Name: request_data_export(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.request_data_export() RETURNS app_public.data_exports
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_private.assert_login_session();
  v_export app_public.data_exports;
begin
  perform pg_advisory_xact_lock(hashtext('lifegraph.privacy.export'), hashtext(v_user_id::text));
  if exists (select 1 from app_public.data_exports e
      where e.user_id = v_user_id and e.status <> 'failed' and e.requested_at > now() - interval '24 hours') then
    raise exception 'You asked for an export less than 24 hours ago: download that one, or wait.' using errcode = 'EXPRT';
  end if;
  insert into app_public.data_exports (user_id) values (v_user_id) returning * into v_export;
  perform graphile_worker.add_job('privacy__export', json_build_object('exportId', v_export.id),
    job_key := 'privacy__export:' || v_export.id, max_attempts := 3);
  return v_export;
end;
$$;

--
-- Name: FUNCTION request_data_export(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.request_data_export() IS 'Asks for an export of everything you own. One a day (EXPRT) unless the last one failed; follow its progress in `dataExports`.';

--
-- Name: request_to_join_community(uuid, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.request_to_join_community(community_id uuid, message text DEFAULT NULL::text) RETURNS app_public.community_join_requests
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION request_to_join_community(community_id uuid, message text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.request_to_join_community(community_id uuid, message text) IS 'Asks to join an approval community; its moderators are notified. Errors: COMJP, NUNIQ (already asked or a member), NOFND.';

--
-- Name: resend_email_verification(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.resend_email_verification(email_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if not exists (select 1 from app_public.user_emails e
      where e.id = resend_email_verification.email_id and e.user_id = app_public.current_user_id() and not e.is_verified) then
    raise exception 'No unverified address of yours with that id.' using errcode = 'NOFND';
  end if;
  perform app_private.send_email_verification(email_id);
  return true;
end;
$$;

--
-- Name: FUNCTION resend_email_verification(email_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.resend_email_verification(email_id uuid) IS 'Mails a new verification link to one of your unverified addresses.';

--
-- Name: reset_password(text, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.reset_password(token text, new_password text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'reset_password');
  v_username text := (select username from app_public.users where id = v_token.user_id);
begin
  perform app_private.assert_strong_password(new_password, v_username);
  update app_private.user_secrets set password_hash = crypt(new_password, gen_salt('bf', 10)), password_changed_at = now()
    where user_id = v_token.user_id;
  -- Every other reset link dies, and every session ends.
  update app_private.account_tokens set used_at = now()
    where user_id = v_token.user_id and purpose = 'reset_password' and used_at is null;
  update app_private.sessions set revoked_at = now() where user_id = v_token.user_id and revoked_at is null;
  update app_public.api_keys set revoked_at = now() where user_id = v_token.user_id and revoked_at is null;
  -- The link proves the address (unless another account verified it meanwhile).
  update app_public.user_emails e set is_verified = true where e.id = v_token.email_id
    and not exists (select 1 from app_public.user_emails o where o.email = e.email and o.is_verified and o.id <> e.id);
  if found then
    update app_private.user_flags set is_verified = true where user_id = v_token.user_id;
  end if;
  perform app_private.notify(v_token.user_id, 'account.password_changed', jsonb_build_object('username', v_username));
  return true;
end;
$$;

--
-- Name: FUNCTION reset_password(token text, new_password text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.reset_password(token text, new_password text) IS 'Sets a new password with a reset link''s token (TOKEN when invalid, WEAKP when weak) and ends every session, API keys included.';

--
-- Name: respond_to_friend_request(uuid, boolean); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.respond_to_friend_request(request_id uuid, accept boolean) RETURNS app_public.friend_requests
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
  v_request app_public.friend_requests;
begin
  select * into v_request from app_public.friend_requests r where r.id = request_id and r.recipient_id = v_me;
  if not found then
    raise exception 'No such request.' using errcode = 'NOFND';
  end if;
  perform app_private.lock_pair(v_me, v_request.requester_id);
  select * into v_request from app_public.friend_requests r where r.id = request_id and r.status = 'pending';
  if not found then
    raise exception 'That request is no longer pending.' using errcode = 'NOFND';
  end if;
  update app_public.friend_requests set status = case when accept then 'accepted' else 'declined' end::app_public.friend_request_status,
    responded_at = now() where id = request_id returning * into v_request;
  if accept then
    perform app_private.make_friends(v_me, v_request.requester_id, request_id);
    perform app_private.notify(v_request.requester_id, 'social.friend_accepted', jsonb_build_object(
      'username', (select username from app_public.users where id = v_request.requester_id),
      'friend_username', (select username from app_public.users where id = v_me)), 'friend:' || request_id);
  end if;
  return v_request;
end;
$$;

--
-- Name: FUNCTION respond_to_friend_request(request_id uuid, accept boolean); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.respond_to_friend_request(request_id uuid, accept boolean) IS 'Accepts or declines a request sent to you; accepting makes you friends. Errors: NOFND.';

--
-- Name: retry_delivery(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.retry_delivery(delivery_id uuid) RETURNS app_public.notification_deliveries
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION retry_delivery(delivery_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.retry_delivery(delivery_id uuid) IS 'Administrators: tries a dead delivery again, six more attempts.';

--
-- Name: api_keys; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.api_keys (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    scopes app_public.api_key_scope[] NOT NULL,
    token_prefix text NOT NULL,
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT api_key_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 80))),
    CONSTRAINT api_key_scopes_not_empty CHECK ((cardinality(scopes) > 0))
);

--
-- Name: TABLE api_keys; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.api_keys IS 'Long-lived credentials for scripts. The secret is shown once; only its hash is kept.';

--
-- Name: COLUMN api_keys.token_prefix; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.api_keys.token_prefix IS 'The first characters of the secret, to recognise a key.';

--
-- Name: revoke_api_key(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.revoke_api_key(api_key_id uuid) RETURNS app_public.api_keys
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_key app_public.api_keys;
begin
  update app_public.api_keys k set revoked_at = coalesce(k.revoked_at, now())
    where k.id = revoke_api_key.api_key_id and k.user_id = app_public.current_user_id()
    returning * into v_key;
  if v_key is null then
    raise exception 'No such API key.' using errcode = 'NOFND';
  end if;
  update app_private.sessions s set revoked_at = coalesce(s.revoked_at, now())
    where s.api_key_id = v_key.id;
  return v_key;
end;
$$;

--
-- Name: FUNCTION revoke_api_key(api_key_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.revoke_api_key(api_key_id uuid) IS 'Revokes one of your API keys; it stops working at once.';

--
-- Name: revoke_community_invite(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.revoke_community_invite(invite_id uuid) RETURNS app_public.community_invites
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION revoke_community_invite(invite_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.revoke_community_invite(invite_id uuid) IS 'Moderators revoke an invite. Errors: COMRL, NOFND.';

--
-- Name: revoke_purchase(uuid, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.revoke_purchase(purchase_id uuid, reason text) RETURNS app_public.marketplace_purchases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION revoke_purchase(purchase_id uuid, reason text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.revoke_purchase(purchase_id uuid, reason text) IS 'Administrators: revokes a purchase without a refund (no points, no stock back), saying why. Errors: DNIED, NOFND, BADIN.';

--
-- Name: rituals; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.rituals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    area_id integer,
    title text NOT NULL,
    instructions_md text,
    cadence app_public.ritual_cadence DEFAULT 'daily'::app_public.ritual_cadence NOT NULL,
    days_of_week smallint[],
    reminder_enabled boolean DEFAULT false NOT NULL,
    reminder_time time without time zone,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT ritual_days_of_week CHECK ((((cadence = 'custom'::app_public.ritual_cadence) = (days_of_week IS NOT NULL)) AND ((days_of_week IS NULL) OR (((cardinality(days_of_week) >= 1) AND (cardinality(days_of_week) <= 7)) AND (days_of_week <@ ARRAY[(1)::smallint, (2)::smallint, (3)::smallint, (4)::smallint, (5)::smallint, (6)::smallint, (7)::smallint]))))),
    CONSTRAINT ritual_instructions_length CHECK ((char_length(instructions_md) <= 20000)),
    CONSTRAINT ritual_reminder_time CHECK (((NOT reminder_enabled) OR (reminder_time IS NOT NULL))),
    CONSTRAINT ritual_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);

--
-- Name: TABLE rituals; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.rituals IS 'A practice kept on a cadence: daily, weekly, monthly, or on chosen days of the week.';

--
-- Name: COLUMN rituals.instructions_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.rituals.instructions_md IS 'How to do it (Markdown).';

--
-- Name: COLUMN rituals.cadence; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.rituals.cadence IS '@behavior +filterBy
How often the ritual is kept. Fixed once created (completions are placed in its slots).';

--
-- Name: COLUMN rituals.days_of_week; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.rituals.days_of_week IS 'For the custom cadence only: ISO days of the week, 1 = Monday … 7 = Sunday.';

--
-- Name: COLUMN rituals.reminder_enabled; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.rituals.reminder_enabled IS 'Whether to be reminded at reminder_time, in your time zone.';

--
-- Name: COLUMN rituals.reminder_time; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.rituals.reminder_time IS 'Local time of day (in your time zone) of the reminder.';

--
-- Name: COLUMN rituals.is_active; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.rituals.is_active IS '@behavior +filterBy
Paused rituals (false) keep their history but are not reminded nor counted.';

--
-- Name: rituals_current_streak(app_public.rituals); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.rituals_current_streak(r app_public.rituals) RETURNS integer
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with today as (select app_hidden.user_today(r.user_id) as day)
  select coalesce((
    select s.length from app_public.ritual_streaks s, today
    where s.ritual_id = r.id
      -- Alive when its last slot is the current one, or the one before while
      -- the current slot is still open (a custom ritual's unscheduled day opens none).
      and s.last_slot >= app_hidden.ritual_slot_number(r.cadence, r.days_of_week, today.day)
        - case when r.cadence <> 'custom' or extract(isodow from today.day)::smallint = any(r.days_of_week) then 1 else 0 end
    order by s.started_on desc limit 1), 0);
$$;

--
-- Name: FUNCTION rituals_current_streak(r app_public.rituals); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.rituals_current_streak(r app_public.rituals) IS 'Consecutive slots kept up to now, in your time zone; the current slot may still be open.';

--
-- Name: rituals_longest_streak(app_public.rituals); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.rituals_longest_streak(r app_public.rituals) RETURNS integer
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select coalesce(max(length), 0) from app_public.ritual_streaks s where s.ritual_id = r.id;
$$;

--
-- Name: FUNCTION rituals_longest_streak(r app_public.rituals); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.rituals_longest_streak(r app_public.rituals) IS 'The longest run of consecutive kept slots.';

--
-- Name: rotate_webhook_secret(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.rotate_webhook_secret(endpoint_id uuid) RETURNS app_public.webhook_endpoint_secret
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
begin
  if not exists (select 1 from app_public.webhook_endpoints e
      where e.id = rotate_webhook_secret.endpoint_id and e.user_id = app_public.current_user_id()) then
    raise exception 'No such webhook endpoint.' using errcode = 'NOFND';
  end if;
  update app_private.webhook_secrets s set retires_at = now() + interval '24 hours'
    where s.endpoint_id = rotate_webhook_secret.endpoint_id and s.retires_at is null;
  return row(endpoint_id, app_private.new_webhook_secret(endpoint_id));
end;
$$;

--
-- Name: FUNCTION rotate_webhook_secret(endpoint_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.rotate_webhook_secret(endpoint_id uuid) IS 'A new signing secret; for 24 hours deliveries carry signatures by both, so receivers can switch without missing any.';

--
-- Name: schedule_competition(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.schedule_competition(competition_id uuid) RETURNS app_public.competitions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION schedule_competition(competition_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.schedule_competition(competition_id uuid) IS 'Opens a draft for entries; it then starts and ends on time by itself. It must start in the future and have a round. Errors: BADIN, DNIED, COMRL, NOFND.';

--
-- Name: score_rollups; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.score_rollups (
    user_id uuid NOT NULL,
    area_id integer NOT NULL,
    period_kind app_public.period_kind NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(4,3) NOT NULL,
    sample_count integer NOT NULL,
    covered_days integer NOT NULL,
    confidence numeric(4,3) NOT NULL,
    last_scored_day date NOT NULL,
    running_tenths bigint,
    running_count bigint,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
)
PARTITION BY HASH (user_id);

--
-- Name: TABLE score_rollups; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.score_rollups IS '@foreignKey (area_id) references app_public.life_areas (id)|@fieldName area|@foreignFieldName rollups
@foreignKey (user_id) references app_public.users (id)|@fieldName user|@foreignFieldName scoreRollups
Scores per life area and period, computed by the worker from raw scores (never written by clients).';

--
-- Name: COLUMN score_rollups.score; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.score IS 'Mean of the raw scores in the period.';

--
-- Name: COLUMN score_rollups.sample_count; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.sample_count IS 'How many raw scores the period holds.';

--
-- Name: COLUMN score_rollups.covered_days; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.covered_days IS 'On how many days of the period there were scores.';

--
-- Name: COLUMN score_rollups.confidence; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.confidence IS 'From 0 to 1: half from the number of samples (one a day counts as full), half from the share of days covered.';

--
-- Name: COLUMN score_rollups.last_scored_day; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.last_scored_day IS 'The last day of the period with a score: where its trends are taken.';

--
-- Name: COLUMN score_rollups.running_tenths; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.running_tenths IS '@behavior -*
Day rollups only: the sum of all the user''s scores of the area up to this day, in tenths. Trends are differences of these.';

--
-- Name: COLUMN score_rollups.running_count; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.score_rollups.running_count IS '@behavior -*
Day rollups only: how many scores up to this day.';

--
-- Name: score_rollups_trend_30_days(app_public.score_rollups); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.score_rollups_trend_30_days(r app_public.score_rollups) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 30);
$$;

--
-- Name: FUNCTION score_rollups_trend_30_days(r app_public.score_rollups); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.score_rollups_trend_30_days(r app_public.score_rollups) IS 'As trend7Days, over 30 days.';

--
-- Name: score_rollups_trend_7_days(app_public.score_rollups); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.score_rollups_trend_7_days(r app_public.score_rollups) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 7);
$$;

--
-- Name: FUNCTION score_rollups_trend_7_days(r app_public.score_rollups); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.score_rollups_trend_7_days(r app_public.score_rollups) IS 'At the period''s last scored day: mean of the last 7 days minus mean of the 7 days before (null without scores on both sides).';

--
-- Name: score_rollups_trend_90_days(app_public.score_rollups); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.score_rollups_trend_90_days(r app_public.score_rollups) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select app_hidden.rollup_trend(r.user_id, r.area_id, r.last_scored_day, 90);
$$;

--
-- Name: FUNCTION score_rollups_trend_90_days(r app_public.score_rollups); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.score_rollups_trend_90_days(r app_public.score_rollups) IS 'As trend7Days, over 90 days.';

--
-- Name: search_users(text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.search_users(term text) RETURNS SETOF app_public.users
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  -- The term's wildcards are escaped. Definer, with the profile rule applied
  -- here: under the users policy, ILIKE (not leakproof) could not use the
  -- trigram indexes, and every search would read every user.
  with pattern as (select replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') as p)
  select u.* from app_public.users u, pattern
  where char_length(term) between 2 and 50
    and (u.username::text ilike pattern.p || '%' or u.display_name ilike '%' || pattern.p || '%')
    and app_hidden.can_see_profile(u.id)
  order by u.username
  limit 20;
$$;

--
-- Name: FUNCTION search_users(term text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.search_users(term text) IS '@behavior -connection +list
@listSuffix omit
@orderedBy username
Up to 20 people whose username starts with, or display name contains, the term (2-50 characters), among those you may see.';

--
-- Name: send_friend_request(uuid, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.send_friend_request(recipient_id uuid, message text DEFAULT NULL::text) RETURNS app_public.friend_requests
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
  v_policy app_public.friend_request_policy;
  v_crossing app_public.friend_requests;
  v_request app_public.friend_requests;
begin
  perform app_private.assert_other_user(v_me, recipient_id);
  -- One request of a user's at a time: the count of their pending requests
  -- (FRLIM, below) stays true until this transaction ends. Always taken
  -- before the pair's lock, and by nothing else: no deadlock.
  perform pg_advisory_xact_lock(hashtextextended(v_me::text, 13));
  perform app_private.lock_pair(v_me, recipient_id);
  if not app_hidden.can_see_profile(recipient_id) and not exists (
      select 1 from app_public.privacy_settings p where p.user_id = recipient_id and p.friend_requests_from <> 'nobody') then
    raise exception 'No such user.' using errcode = 'NOFND';
  end if;
  if app_hidden.are_friends(v_me, recipient_id) then
    raise exception 'You are already friends.' using errcode = 'FRDUP';
  end if;
  select * into v_crossing from app_public.friend_requests r
    where r.requester_id = send_friend_request.recipient_id and r.recipient_id = v_me and r.status = 'pending';
  if found then
    update app_public.friend_requests set status = 'accepted', responded_at = now() where id = v_crossing.id
      returning * into v_request;
    perform app_private.make_friends(v_me, recipient_id, v_crossing.id);
    perform app_private.notify(recipient_id, 'social.friend_accepted', jsonb_build_object(
      'username', (select username from app_public.users where id = recipient_id),
      'friend_username', (select username from app_public.users where id = v_me)), 'friend:' || v_crossing.id);
    return v_request;
  end if;
  if exists (select 1 from app_public.friend_requests r where r.requester_id = v_me
      and r.recipient_id = send_friend_request.recipient_id and r.status = 'pending') then
    raise exception 'You already asked.' using errcode = 'FRDUP';
  end if;
  select p.friend_requests_from into v_policy from app_public.privacy_settings p where p.user_id = recipient_id;
  if v_policy = 'nobody' or (v_policy = 'friends_of_friends' and not exists (
      select 1 from app_public.friendships a join app_public.friendships b on b.user_id = a.friend_id
      where a.user_id = v_me and b.friend_id = send_friend_request.recipient_id)) then
    raise exception 'This person does not take friend requests from you.' using errcode = 'FRNOT';
  end if;
  if (select count(*) from app_public.friend_requests r where r.requester_id = v_me and r.status = 'pending') >= 50 then
    raise exception 'You have 50 requests waiting for an answer: cancel some first.' using errcode = 'FRLIM';
  end if;
  insert into app_public.friend_requests (requester_id, recipient_id, message)
    values (v_me, recipient_id, nullif(trim(message), '')) returning * into v_request;
  perform app_private.notify(recipient_id, 'social.friend_request', jsonb_build_object(
    'username', (select username from app_public.users where id = recipient_id),
    'from_username', (select username from app_public.users where id = v_me),
    'message', v_request.message, 'request_id', v_request.id), 'request:' || v_request.id);
  return v_request;
end;
$$;

--
-- Name: FUNCTION send_friend_request(recipient_id uuid, message text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.send_friend_request(recipient_id uuid, message text) IS 'Asks someone to be your friend (or accepts their pending request to you). Errors: NOFND, BADIN, FRDUP, FRNOT, FRLIM.';

--
-- Name: send_message(uuid, text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.send_message(recipient_id uuid, body_md text) RETURNS app_public.direct_messages
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
  v_conversation uuid;
  v_message app_public.direct_messages;
begin
  perform app_private.assert_other_user(v_me, recipient_id);
  perform app_private.lock_pair(v_me, recipient_id);
  perform app_private.assert_other_user(v_me, recipient_id);
  perform app_private.assert_may_message(v_me, recipient_id);
  -- A flood costs the sender, not the recipient: at most 60 a minute.
  if (select count(*) from app_public.direct_messages m
      where m.sender_id = v_me and m.created_at > now() - interval '1 minute') >= 60 then
    raise exception 'You are sending too fast: wait a minute.' using errcode = 'SLOWD';
  end if;
  insert into app_public.conversations (user_low, user_high)
    values (least(v_me, recipient_id), greatest(v_me, recipient_id))
    on conflict (user_low, user_high) do update set user_low = excluded.user_low
    returning id into v_conversation;
  insert into app_public.conversation_members (conversation_id, user_id)
    values (v_conversation, v_me), (v_conversation, recipient_id) on conflict do nothing;
  insert into app_public.direct_messages (conversation_id, sender_id, body_md)
    values (v_conversation, v_me, body_md) returning * into v_message;
  update app_public.conversations set last_message_at = v_message.created_at where id = v_conversation;
  perform app_private.notify(recipient_id, 'messages.received', jsonb_build_object(
    'username', (select username from app_public.users where id = recipient_id),
    'from_username', (select username from app_public.users where id = v_me),
    'preview', left(body_md, 140), 'conversation_id', v_conversation), 'message:' || v_message.id);
  return v_message;
end;
$$;

--
-- Name: FUNCTION send_message(recipient_id uuid, body_md text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.send_message(recipient_id uuid, body_md text) IS 'Sends a direct message (Markdown, 1-4000 characters), at most 60 a minute. Errors: NOFND, BADIN, MSGNO, SLOWD.';

--
-- Name: user_area_weights; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.user_area_weights (
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    area_id integer NOT NULL,
    weight numeric(6,5) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_weight_range CHECK (((weight >= (0)::numeric) AND (weight <= (1)::numeric)))
);

--
-- Name: TABLE user_area_weights; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.user_area_weights IS 'A user''s own weight for an area, replacing its default. A user''s effective weights over active areas sum to 1 (± 0.001); save them together with `setAreaWeights`.';

--
-- Name: COLUMN user_area_weights.weight; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_area_weights.weight IS 'Your weight for the area in your fulfillment score; your weights sum to 1. Set them all at once with setAreaWeights.';

--
-- Name: set_area_weights(text[], numeric[]); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.set_area_weights(area_codes text[], weights numeric[]) RETURNS SETOF app_public.user_area_weights
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION set_area_weights(area_codes text[], weights numeric[]); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.set_area_weights(area_codes text[], weights numeric[]) IS 'Replaces your area weights: one weight per area code; areas left out keep their default. The effective weights must sum to 1 (± 0.001), else WEIGH. An empty list restores the defaults.';

--
-- Name: set_community_role(uuid, uuid, app_public.community_role); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.set_community_role(community_id uuid, user_id uuid, role app_public.community_role) RETURNS app_public.community_members
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION set_community_role(community_id uuid, user_id uuid, role app_public.community_role); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.set_community_role(community_id uuid, user_id uuid, role app_public.community_role) IS 'Admins and the founder promote or demote a member, strictly below their own role. Errors: COMRL, NOFND.';

--
-- Name: life_areas; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.life_areas (
    id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    emoji text NOT NULL,
    color text NOT NULL,
    default_weight numeric(6,5) NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    "position" integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT area_code_format CHECK ((code ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT area_color_hex CHECK ((color ~ '^#[0-9A-Fa-f]{6}$'::text)),
    CONSTRAINT area_emoji_length CHECK (((char_length(emoji) >= 1) AND (char_length(emoji) <= 8))),
    CONSTRAINT area_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 60))),
    CONSTRAINT area_weight_range CHECK (((default_weight >= (0)::numeric) AND (default_weight <= (1)::numeric)))
);

--
-- Name: TABLE life_areas; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.life_areas IS 'The 16 areas of a life a user scores (Work, Purpose, Health…). Shared by everyone; administrators maintain them.';

--
-- Name: COLUMN life_areas.code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.life_areas.code IS 'Stable three-letter code, e.g. `WRK`.';

--
-- Name: COLUMN life_areas.color; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.life_areas.color IS 'Hex colour for charts, e.g. `#2F80ED`.';

--
-- Name: COLUMN life_areas.default_weight; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.life_areas.default_weight IS 'Share of this area in the global fulfillment score when a user has not chosen weights. Active areas sum to 1.';

--
-- Name: COLUMN life_areas."position"; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.life_areas."position" IS 'Display order.';

--
-- Name: set_default_area_weights(text[], numeric[]); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.set_default_area_weights(area_codes text[], weights numeric[]) RETURNS SETOF app_public.life_areas
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION set_default_area_weights(area_codes text[], weights numeric[]); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.set_default_area_weights(area_codes text[], weights numeric[]) IS 'Administrators: changes several default area weights at once; active areas must still sum to exactly 1 (else WEIGH).';

--
-- Name: area_dimensions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.area_dimensions (
    id integer NOT NULL,
    area_id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    default_weight numeric(6,5) NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT dimension_code_format CHECK ((code ~ '^[a-z][a-z_]{1,39}$'::text)),
    CONSTRAINT dimension_name_length CHECK (((char_length(name) >= 1) AND (char_length(name) <= 80))),
    CONSTRAINT dimension_weight_range CHECK (((default_weight >= (0)::numeric) AND (default_weight <= (1)::numeric)))
);

--
-- Name: TABLE area_dimensions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.area_dimensions IS 'A measurable facet of a life area (Work → throughput, quality). Weights within an area sum to 1.';

--
-- Name: set_default_dimension_weights(text, text[], numeric[]); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[]) RETURNS SETOF app_public.area_dimensions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[]); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[]) IS 'Administrators: changes an area''s dimension weights at once; they must still sum to exactly 1 (else WEIGH).';

--
-- Name: marketplace_inventory; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.marketplace_inventory (
    item_id uuid NOT NULL,
    sku text NOT NULL,
    quantity integer NOT NULL,
    restock_quantity integer,
    restock_every interval,
    restock_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT inventory_quantity_nonnegative CHECK ((quantity >= 0)),
    CONSTRAINT inventory_restock_complete CHECK (((restock_quantity IS NULL) = (restock_at IS NULL))),
    CONSTRAINT inventory_restock_every_range CHECK ((restock_every >= '01:00:00'::interval)),
    CONSTRAINT inventory_restock_quantity_range CHECK (((restock_quantity >= 1) AND (restock_quantity <= 1000000))),
    CONSTRAINT inventory_sku_format CHECK ((sku ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'::text))
);

--
-- Name: TABLE marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.marketplace_inventory IS '@behavior -insert -update -delete
The stock of a limited item (an item without one is unlimited). Administrators set it with setItemStock.';

--
-- Name: COLUMN marketplace_inventory.sku; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_inventory.sku IS 'The stock-keeping unit.';

--
-- Name: COLUMN marketplace_inventory.quantity; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_inventory.quantity IS 'Units left.';

--
-- Name: COLUMN marketplace_inventory.restock_quantity; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_inventory.restock_quantity IS 'The stock goes back to this at each restock (null: never restocked).';

--
-- Name: COLUMN marketplace_inventory.restock_every; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_inventory.restock_every IS 'How often it is restocked.';

--
-- Name: COLUMN marketplace_inventory.restock_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_inventory.restock_at IS 'The next restock.';

--
-- Name: COLUMN marketplace_inventory.updated_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_inventory.updated_at IS 'When the stock last moved.';

--
-- Name: CONSTRAINT inventory_quantity_nonnegative ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT inventory_quantity_nonnegative ON app_public.marketplace_inventory IS 'Stock never goes below zero (a purchase beyond it raises STOCK).';

--
-- Name: CONSTRAINT inventory_restock_complete ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT inventory_restock_complete ON app_public.marketplace_inventory IS 'A restock has both a quantity and a next time.';

--
-- Name: CONSTRAINT inventory_restock_every_range ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT inventory_restock_every_range ON app_public.marketplace_inventory IS 'Restocks are at least an hour apart.';

--
-- Name: CONSTRAINT inventory_restock_quantity_range ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT inventory_restock_quantity_range ON app_public.marketplace_inventory IS 'A restock quantity is 1-1000000.';

--
-- Name: CONSTRAINT inventory_sku_format ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT inventory_sku_format ON app_public.marketplace_inventory IS 'A SKU is 2-40 capital letters, digits and dashes.';

--
-- Name: set_item_stock(uuid, integer, integer, interval); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.set_item_stock(item_id uuid, quantity integer, restock_quantity integer DEFAULT NULL::integer, restock_every interval DEFAULT NULL::interval) RETURNS app_public.marketplace_inventory
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION set_item_stock(item_id uuid, quantity integer, restock_quantity integer, restock_every interval); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.set_item_stock(item_id uuid, quantity integer, restock_quantity integer, restock_every interval) IS 'Administrators: sets an item''s stock (null: unlimited) and optionally its restock (back to restockQuantity every restockEvery, at least an hour). Errors: DNIED, NOFND, BADIN.';

--
-- Name: competition_scores; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.competition_scores (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    round_id uuid NOT NULL,
    competition_id uuid NOT NULL,
    user_id uuid NOT NULL,
    value numeric(12,2) NOT NULL,
    is_computed boolean DEFAULT false NOT NULL,
    submitted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT score_value_range CHECK (((value >= ('-1000000'::integer)::numeric) AND (value <= (1000000)::numeric)))
);

--
-- Name: TABLE competition_scores; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.competition_scores IS '@behavior -insert -update -delete
Scores of participants in rounds: submitted with submitScore while a round is open, or computed by the database for streak rounds. competitionLeaderboard ranks them.';

--
-- Name: COLUMN competition_scores.value; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_scores.value IS 'The score.';

--
-- Name: COLUMN competition_scores.is_computed; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_scores.is_computed IS 'Computed by the database (a streak), not submitted.';

--
-- Name: COLUMN competition_scores.submitted_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_scores.submitted_at IS 'When it was submitted (or last recomputed).';

--
-- Name: CONSTRAINT score_value_range ON competition_scores; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT score_value_range ON app_public.competition_scores IS 'A score is between -1,000,000 and 1,000,000.';

--
-- Name: submit_score(uuid, numeric); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.submit_score(round_id uuid, value numeric) RETURNS app_public.competition_scores
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
  -- A bound on what one participant can make every later score and
  -- leaderboard read cost (the running totals say how many they have).
  if (select t.entries from app_private.competition_round_totals t where t.round_id = v_round.id and t.user_id = v_me) >= 1000 then
    raise exception 'A round takes at most 1,000 scores from each participant.' using errcode = 'RNDLM';
  end if;
  insert into app_public.competition_scores (round_id, competition_id, user_id, value)
    values (v_round.id, v_round.competition_id, v_me, submit_score.value)
    returning * into v_score;
  return v_score;
end;
$$;

--
-- Name: FUNCTION submit_score(round_id uuid, value numeric); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.submit_score(round_id uuid, value numeric) IS 'Adds a score of yours to an open round of an active competition you take part in. Errors: RNDCL (the round is not open), RNDCM (a streak round: computed from your rituals), DNIED (not a participant), NOFND.';

--
-- Name: transfer_community_ownership(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.transfer_community_ownership(community_id uuid, new_founder_id uuid) RETURNS app_public.communities
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION transfer_community_ownership(community_id uuid, new_founder_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.transfer_community_ownership(community_id uuid, new_founder_id uuid) IS 'The founder hands the community to another member and becomes an admin. Errors: COMRL, NOFND.';

--
-- Name: unblock_user(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.unblock_user(user_id uuid) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with gone as (
    delete from app_public.blocks b where b.blocker_id = app_public.current_user_id() and b.blocked_id = unblock_user.user_id
    returning 1
  ) select exists (select 1 from gone);
$$;

--
-- Name: FUNCTION unblock_user(user_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.unblock_user(user_id uuid) IS 'Lifts your block of a user (friendships and follows do not come back).';

--
-- Name: unfollow_user(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.unfollow_user(user_id uuid) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  with gone as (
    delete from app_public.follows f where f.follower_id = app_public.current_user_id() and f.followee_id = unfollow_user.user_id
    returning 1
  ) select exists (select 1 from gone);
$$;

--
-- Name: FUNCTION unfollow_user(user_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.unfollow_user(user_id uuid) IS 'Stops following someone.';

--
-- Name: unfriend(uuid); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.unfriend(friend_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_me uuid := app_public.current_user_id();
begin
  perform app_private.lock_pair(v_me, friend_id);
  delete from app_public.friendships f
    where (f.user_id = v_me and f.friend_id = unfriend.friend_id) or (f.user_id = unfriend.friend_id and f.friend_id = v_me);
  return found;
end;
$$;

--
-- Name: FUNCTION unfriend(friend_id uuid); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.unfriend(friend_id uuid) IS 'Ends a friendship, both ways. False when you were not friends.';

--
-- Name: unread_message_count(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.unread_message_count() RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select coalesce(sum(app_public.conversations_unread_count(c)), 0)::int from app_public.conversations c;
$$;

--
-- Name: FUNCTION unread_message_count(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.unread_message_count() IS 'Unread direct messages across all your conversations.';

--
-- Name: unread_notification_counts(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.unread_notification_counts() RETURNS SETOF app_public.unread_count
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select type, count(*)::int from app_public.notifications
  where user_id = app_public.current_user_id() and read_at is null and archived_at is null
    and (expires_at is null or expires_at > now())
  group by type order by type;
$$;

--
-- Name: FUNCTION unread_notification_counts(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.unread_notification_counts() IS 'Your unread, unarchived in-app notifications, counted by type.';

--
-- Name: users_badges(app_public.users); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.users_badges(u app_public.users) RETURNS SETOF app_public.badge
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION users_badges(u app_public.users); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.users_badges(u app_public.users) IS '@behavior -connection +list
@listSuffix omit
Achievements earned and competition places won, newest first. Others see them only when your profile shows achievements (never your secret ones).';

--
-- Name: users_gfs(app_public.users, app_public.period_kind, date); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.users_gfs(u app_public.users, period app_public.period_kind, on_date date DEFAULT NULL::date) RETURNS app_public.fulfillment_score
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
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
$$;

--
-- Name: FUNCTION users_gfs(u app_public.users, period app_public.period_kind, on_date date); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.users_gfs(u app_public.users, period app_public.period_kind, on_date date) IS 'Your global fulfillment score for the `period` (a month by default) containing `onDate` (today by default), with each area''s part. Empty for other users.';

--
-- Name: users_is_admin(app_public.users); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.users_is_admin(u app_public.users) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select f.is_admin from app_private.user_flags f where f.user_id = u.id and u.id = app_public.current_user_id();
$$;

--
-- Name: FUNCTION users_is_admin(u app_public.users); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.users_is_admin(u app_public.users) IS 'Whether you are an administrator (null on anyone else''s profile).';

--
-- Name: users_is_verified(app_public.users); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.users_is_verified(u app_public.users) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select f.is_verified from app_private.user_flags f where f.user_id = u.id and u.id = app_public.current_user_id();
$$;

--
-- Name: FUNCTION users_is_verified(u app_public.users); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.users_is_verified(u app_public.users) IS 'Whether you have verified an email address (null on anyone else''s profile).';

--
-- Name: user_locations; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.user_locations (
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    country_code text NOT NULL,
    region_code text,
    is_visible boolean DEFAULT false NOT NULL,
    last_shared_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT location_country_format CHECK ((country_code ~ '^[A-Z]{2}$'::text)),
    CONSTRAINT location_region_format CHECK ((region_code ~ '^[A-Z0-9]{1,3}$'::text))
);

--
-- Name: TABLE user_locations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.user_locations IS 'Your country and region, shared only with consent (is_visible) and only that coarse.';

--
-- Name: COLUMN user_locations.country_code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_locations.country_code IS 'ISO 3166-1 alpha-2 country code, e.g. FR.';

--
-- Name: COLUMN user_locations.region_code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_locations.region_code IS 'The region within the country (ISO 3166-2 subdivision, e.g. IDF), optional.';

--
-- Name: COLUMN user_locations.is_visible; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_locations.is_visible IS 'Whether others who see your profile may see it (with show_location).';

--
-- Name: users_location(app_public.users); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.users_location(u app_public.users) RETURNS app_public.user_locations
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select l.* from app_public.user_locations l
  where l.user_id = u.id and (u.id = app_public.current_user_id() or (l.is_visible and app_hidden.can_see_profile(u.id)
    and coalesce((select p.show_location from app_public.privacy_settings p where p.user_id = u.id), false)));
$$;

--
-- Name: FUNCTION users_location(u app_public.users); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.users_location(u app_public.users) IS 'Country and region, when the owner shares them with you.';

--
-- Name: users_stats(app_public.users); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.users_stats(u app_public.users) RETURNS app_public.user_stats
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  select c.followers_count, c.following_count, c.friends_count,
    n.current_streak, n.longest_streak, n.completions, c.last_active_at
  from app_private.profile_counts c
  cross join lateral (select u.id = app_public.current_user_id()
    or coalesce((select p.show_streaks from app_public.privacy_settings p where p.user_id = u.id), false) as show) s
  left join lateral (select * from app_private.ritual_numbers(u.id, now() - interval '30 days', 'infinity') where s.show) n on true
  where c.user_id = u.id and app_hidden.can_see_profile(u.id);
$$;

--
-- Name: FUNCTION users_stats(u app_public.users); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.users_stats(u app_public.users) IS 'Followers, following and friends, streaks across rituals (when shown), completions over 30 days, last activity.';

--
-- Name: verify_email(text); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.verify_email(token text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_token app_private.account_tokens := app_private.take_account_token(token, 'verify_email');
begin
  -- Verified meanwhile by another account: this copy can never be.
  if exists (select 1 from app_public.user_emails e join app_public.user_emails o on o.email = e.email and o.id <> e.id
      where e.id = v_token.email_id and o.is_verified) then
    raise exception 'This link is invalid, expired or already used.' using errcode = 'TOKEN';
  end if;
  update app_public.user_emails set is_verified = true where id = v_token.email_id;
  update app_private.user_flags set is_verified = true where user_id = v_token.user_id;
  return true;
end;
$$;

--
-- Name: FUNCTION verify_email(token text); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.verify_email(token text) IS 'Confirms the address of a verification link (single use, 24 hours). TOKEN when invalid.';

--
-- Name: wellness_stats(integer); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.wellness_stats(days integer DEFAULT 7) RETURNS app_public.wellness_summary
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
declare
  v_today date := app_hidden.user_today(app_public.current_user_id());
begin
  if days not between 1 and 366 then
    raise exception 'days must be between 1 and 366.' using errcode = 'BADIN';
  end if;
  return app_hidden.wellness_stats_for(app_public.current_user_id(), v_today - days + 1, v_today);
end;
$$;

--
-- Name: FUNCTION wellness_stats(days integer); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.wellness_stats(days integer) IS 'Your wellness averages over the last `days` days, today included, in your time zone.';

--
-- Name: wellness_streak(); Type: FUNCTION; Schema: app_public; Owner: -
--

CREATE FUNCTION app_public.wellness_streak() RETURNS integer
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'public', 'pg_temp'
    AS $$
  -- Consecutive days with an entry, ending today, or yesterday while today is still open.
  with days as (
    select entry_date, entry_date - (row_number() over (order by entry_date))::int as island
    from app_public.wellness_entries
    -- Entries may be dated ahead; a streak runs up to today.
    where user_id = app_public.current_user_id() and entry_date <= app_hidden.user_today(app_public.current_user_id())
  ), runs as (select max(entry_date) as last_day, count(*)::int as length from days group by island)
  select coalesce((select length from runs
    where last_day >= app_hidden.user_today(app_public.current_user_id()) - 1 order by last_day desc limit 1), 0);
$$;

--
-- Name: FUNCTION wellness_streak(); Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON FUNCTION app_public.wellness_streak() IS 'Consecutive days with a wellness entry up to today (or yesterday), in your time zone.';

--
-- Name: api_key_secrets; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.api_key_secrets (
    api_key_id uuid NOT NULL,
    secret_hash bytea NOT NULL
);

--
-- Name: TABLE api_key_secrets; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.api_key_secrets IS 'SHA-256 of each API key secret.';

--
-- Name: community_metrics_daily; Type: MATERIALIZED VIEW; Schema: app_private; Owner: -
--

CREATE MATERIALIZED VIEW app_private.community_metrics_daily AS
 SELECT c.id AS community_id,
    d.day,
    (( SELECT count(*) AS count
           FROM app_public.community_members m
          WHERE ((m.community_id = c.id) AND (m.joined_at < (d.day + 1)))))::integer AS members,
    (( SELECT count(*) AS count
           FROM app_public.community_members m
          WHERE ((m.community_id = c.id) AND (m.joined_at < (d.day + 1)) AND (EXISTS ( SELECT 1
                   FROM app_public.activity_events e
                  WHERE ((e.actor_id = m.user_id) AND (e.created_at >= d.day) AND (e.created_at < (d.day + 1))))))))::integer AS active_members,
    (( SELECT count(*) AS count
           FROM app_public.community_members m
          WHERE ((m.community_id = c.id) AND (m.joined_at >= d.day) AND (m.joined_at < (d.day + 1)))))::integer AS new_members,
    (( SELECT count(*) AS count
           FROM app_public.activity_events e
          WHERE ((e.community_id = c.id) AND (e.created_at >= d.day) AND (e.created_at < (d.day + 1)))))::integer AS activity_events,
    (( SELECT count(*) AS count
           FROM (app_public.competition_participants p
             JOIN app_public.competitions k ON ((k.id = p.competition_id)))
          WHERE ((k.community_id = c.id) AND (p.joined_at >= d.day) AND (p.joined_at < (d.day + 1)))))::integer AS competition_entries,
    ( SELECT COALESCE(sum(x.total_price), (0)::bigint) AS "coalesce"
           FROM (app_public.marketplace_purchases x
             JOIN app_public.marketplace_items i ON ((i.id = x.item_id)))
          WHERE ((i.community_id = c.id) AND (x.status = ANY (ARRAY['pending'::app_public.purchase_status, 'fulfilled'::app_public.purchase_status])) AND (x.created_at >= d.day) AND (x.created_at < (d.day + 1)))) AS points_spent
   FROM (app_public.communities c
     CROSS JOIN LATERAL ( SELECT (g.g)::date AS day
           FROM generate_series(((GREATEST(c.created_at, (now() - '89 days'::interval)))::date)::timestamp with time zone, (CURRENT_DATE)::timestamp with time zone, '1 day'::interval) g(g)) d)
  WITH NO DATA;

--
-- Name: competition_round_totals; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.competition_round_totals (
    round_id uuid NOT NULL,
    competition_id uuid NOT NULL,
    user_id uuid NOT NULL,
    total numeric NOT NULL,
    best numeric NOT NULL,
    entries integer NOT NULL,
    CONSTRAINT round_total_entries_positive CHECK ((entries > 0))
);

--
-- Name: TABLE competition_round_totals; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.competition_round_totals IS 'Each participant''s sum, best and count of scores per round, kept by a trigger for the leaderboard.';

--
-- Name: feed_inbox; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.feed_inbox (
    viewer_id uuid NOT NULL,
    created_at timestamp with time zone NOT NULL,
    event_id uuid NOT NULL
);

--
-- Name: TABLE feed_inbox; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.feed_inbox IS 'The recent inbox of each friends feed: a row per shared event of a friend since the horizon (feed/functions.sql, lock_feed_actor).';

--
-- Name: feed_inbox_horizon; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.feed_inbox_horizon (
    only_row boolean DEFAULT true NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    CONSTRAINT feed_inbox_horizon_one_row CHECK (only_row)
);

--
-- Name: TABLE feed_inbox_horizon; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.feed_inbox_horizon IS 'Where the recent inbox starts: pages read it from here on, and below it from the events (moved daily by feed__trim_inbox).';

--
-- Name: point_balances; Type: VIEW; Schema: app_private; Owner: -
--

CREATE VIEW app_private.point_balances AS
 SELECT COALESCE(a.user_id, l.user_id) AS user_id,
    COALESCE(a.balance, (0)::bigint) AS cached_balance,
    COALESCE(l.total, (0)::bigint) AS ledger_balance,
    (COALESCE(a.balance, (0)::bigint) - COALESCE(l.total, (0)::bigint)) AS drift
   FROM (app_public.point_accounts a
     FULL JOIN ( SELECT t.user_id,
            sum(t.amount) AS total
           FROM app_public.point_transactions t
          GROUP BY t.user_id) l ON ((l.user_id = a.user_id)));

--
-- Name: profile_counts; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.profile_counts (
    user_id uuid NOT NULL,
    followers_count integer DEFAULT 0 NOT NULL,
    following_count integer DEFAULT 0 NOT NULL,
    friends_count integer DEFAULT 0 NOT NULL,
    last_active_at timestamp with time zone,
    CONSTRAINT followers_count_nonnegative CHECK ((followers_count >= 0)),
    CONSTRAINT following_count_nonnegative CHECK ((following_count >= 0)),
    CONSTRAINT friends_count_nonnegative CHECK ((friends_count >= 0))
);

--
-- Name: TABLE profile_counts; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.profile_counts IS 'Follower, following and friend counts and last activity of each user, kept by triggers.';

--
-- Name: provider_callbacks; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.provider_callbacks (
    id text NOT NULL,
    delivery_id uuid,
    status text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE provider_callbacks; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.provider_callbacks IS 'Signed provider reports received, by message id: a replayed id is refused.';

--
-- Name: rate_limits; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.rate_limits (
    key character varying(255) NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    expire bigint
);

--
-- Name: TABLE rate_limits; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.rate_limits IS 'Counters of rate-limiter-flexible (src/identity/rate-limits.ts), shared by every gateway: key, points used, expiry in ms since the epoch.';

--
-- Name: realtime_log; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.realtime_log (
    seq bigint NOT NULL,
    topic text NOT NULL,
    row_id uuid NOT NULL,
    audience uuid[],
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT realtime_audience CHECK (((topic = ANY (ARRAY['activity'::text, 'leaderboard'::text])) = (audience IS NULL))),
    CONSTRAINT realtime_topic CHECK ((topic = ANY (ARRAY['activity'::text, 'message'::text, 'receipt'::text, 'notification'::text, 'leaderboard'::text])))
);

--
-- Name: TABLE realtime_log; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.realtime_log IS 'What live subscriptions stream, in commit order: a topic, the row it names, and who may receive it (activity: decided at delivery). Pruned after a week.';

--
-- Name: COLUMN realtime_log.audience; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON COLUMN app_private.realtime_log.audience IS 'The users a message, receipt or notification goes to; null for activity events, whose audience is decided at delivery.';

--
-- Name: realtime_log_seq_seq; Type: SEQUENCE; Schema: app_private; Owner: -
--

ALTER TABLE app_private.realtime_log ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_private.realtime_log_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: refresh_tokens; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.refresh_tokens (
    token_hash bytea NOT NULL,
    session_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    rotated_at timestamp with time zone
);

--
-- Name: TABLE refresh_tokens; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.refresh_tokens IS 'Every refresh token a session was given (hashed). A rotated one presented again revokes the session.';

--
-- Name: retention_runs; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.retention_runs (
    id bigint NOT NULL,
    task text NOT NULL,
    removed jsonb NOT NULL,
    ran_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE retention_runs; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.retention_runs IS 'What each retention job removed, one row a run (docs/privacy.md).';

--
-- Name: retention_runs_id_seq; Type: SEQUENCE; Schema: app_private; Owner: -
--

ALTER TABLE app_private.retention_runs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_private.retention_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: rollup_queue; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.rollup_queue (
    user_id uuid NOT NULL,
    area_id integer NOT NULL,
    since date NOT NULL
);

--
-- Name: TABLE rollup_queue; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.rollup_queue IS 'Stale rollups to recompute: per user and area, the first day that changed.';

--
-- Name: score_rollups_p0; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.score_rollups_p0 (
    user_id uuid NOT NULL,
    area_id integer NOT NULL,
    period_kind app_public.period_kind NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(4,3) NOT NULL,
    sample_count integer NOT NULL,
    covered_days integer NOT NULL,
    confidence numeric(4,3) NOT NULL,
    last_scored_day date NOT NULL,
    running_tenths bigint,
    running_count bigint,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE score_rollups_p0; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.score_rollups_p0 IS 'A hash partition of app_public.score_rollups.';

--
-- Name: score_rollups_p1; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.score_rollups_p1 (
    user_id uuid NOT NULL,
    area_id integer NOT NULL,
    period_kind app_public.period_kind NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(4,3) NOT NULL,
    sample_count integer NOT NULL,
    covered_days integer NOT NULL,
    confidence numeric(4,3) NOT NULL,
    last_scored_day date NOT NULL,
    running_tenths bigint,
    running_count bigint,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE score_rollups_p1; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.score_rollups_p1 IS 'A hash partition of app_public.score_rollups.';

--
-- Name: score_rollups_p2; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.score_rollups_p2 (
    user_id uuid NOT NULL,
    area_id integer NOT NULL,
    period_kind app_public.period_kind NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(4,3) NOT NULL,
    sample_count integer NOT NULL,
    covered_days integer NOT NULL,
    confidence numeric(4,3) NOT NULL,
    last_scored_day date NOT NULL,
    running_tenths bigint,
    running_count bigint,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE score_rollups_p2; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.score_rollups_p2 IS 'A hash partition of app_public.score_rollups.';

--
-- Name: score_rollups_p3; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.score_rollups_p3 (
    user_id uuid NOT NULL,
    area_id integer NOT NULL,
    period_kind app_public.period_kind NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    score numeric(4,3) NOT NULL,
    sample_count integer NOT NULL,
    covered_days integer NOT NULL,
    confidence numeric(4,3) NOT NULL,
    last_scored_day date NOT NULL,
    running_tenths bigint,
    running_count bigint,
    computed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE score_rollups_p3; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.score_rollups_p3 IS 'A hash partition of app_public.score_rollups.';

--
-- Name: sessions; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    kind text DEFAULT 'login'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_active_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    api_key_id uuid,
    CONSTRAINT api_key_session CHECK (((kind = 'api_key'::text) = (api_key_id IS NOT NULL))),
    CONSTRAINT session_kind CHECK ((kind = ANY (ARRAY['login'::text, 'api_key'::text])))
);

--
-- Name: TABLE sessions; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.sessions IS 'A login (or an API key) of a user. Access tokens name a session; revoking it ends them at once.';

--
-- Name: time_zone_names; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.time_zone_names (
    name text NOT NULL
);

--
-- Name: TABLE time_zone_names; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.time_zone_names IS 'The time zone names Postgres knew when this migration ran: a fast path for is_valid_timezone.';

--
-- Name: tombstones; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.tombstones (
    user_id uuid NOT NULL,
    erased_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE tombstones; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.tombstones IS 'Accounts that stand in for erased ones as the author of what others keep (messages, ledger entries). They cannot sign in.';

--
-- Name: unqueued_deliveries; Type: TABLE; Schema: app_private; Owner: -
--

CREATE UNLOGGED TABLE app_private.unqueued_deliveries (
    delivery_id uuid NOT NULL
);

--
-- Name: TABLE unqueued_deliveries; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.unqueued_deliveries IS 'Deliveries raised in the open transaction whose jobs are not added yet: app_private.queue_delivery_jobs adds them all at commit.';

--
-- Name: user_flags; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.user_flags (
    user_id uuid NOT NULL,
    is_admin boolean DEFAULT false NOT NULL,
    is_verified boolean DEFAULT false NOT NULL
);

--
-- Name: TABLE user_flags; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.user_flags IS 'Whether a user is an administrator, and has verified an email address: never public.';

--
-- Name: user_secrets; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.user_secrets (
    user_id uuid NOT NULL,
    password_hash text,
    password_changed_at timestamp with time zone
);

--
-- Name: TABLE user_secrets; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.user_secrets IS 'Password hash (bcrypt) of a user. Failed sign-ins are counted by the gateway in app_private.rate_limits.';

--
-- Name: webhook_secrets; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.webhook_secrets (
    id bigint NOT NULL,
    endpoint_id uuid NOT NULL,
    secret text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    retires_at timestamp with time zone
);

--
-- Name: TABLE webhook_secrets; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.webhook_secrets IS 'Signing secrets of webhook endpoints (whsec_…); during a rotation two sign.';

--
-- Name: webhook_secrets_id_seq; Type: SEQUENCE; Schema: app_private; Owner: -
--

ALTER TABLE app_private.webhook_secrets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_private.webhook_secrets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: worker_heartbeats; Type: TABLE; Schema: app_private; Owner: -
--

CREATE TABLE app_private.worker_heartbeats (
    worker_id text NOT NULL,
    process text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    beat_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE worker_heartbeats; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON TABLE app_private.worker_heartbeats IS 'A row per graphile-worker id (pool and workers) of each running worker process, beaten every few seconds; a worker whose beat is older than WORKER_DEAD_AFTER_SECONDS is dead, and any worker process unlocks its jobs (src/worker/heartbeat.ts).';

--
-- Name: COLUMN worker_heartbeats.worker_id; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON COLUMN app_private.worker_heartbeats.worker_id IS 'The id graphile-worker locks jobs with (locked_by): a pool id when jobs are fetched in batches, else a worker id.';

--
-- Name: COLUMN worker_heartbeats.process; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON COLUMN app_private.worker_heartbeats.process IS 'host:pid of the process, for people reading it.';

--
-- Name: COLUMN worker_heartbeats.beat_at; Type: COMMENT; Schema: app_private; Owner: -
--

COMMENT ON COLUMN app_private.worker_heartbeats.beat_at IS 'The last beat; the sweeper compares it with now().';

--
-- Name: achievement_definitions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.achievement_definitions (
    code text NOT NULL,
    title text NOT NULL,
    description text NOT NULL,
    tier app_public.achievement_tier NOT NULL,
    event app_public.achievement_event NOT NULL,
    threshold integer NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    is_secret boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT achievement_code_format CHECK ((code ~ '^[a-z][a-z0-9_]{2,39}$'::text)),
    CONSTRAINT achievement_description_length CHECK (((char_length(description) >= 1) AND (char_length(description) <= 500))),
    CONSTRAINT achievement_points_range CHECK (((points >= 0) AND (points <= 100000))),
    CONSTRAINT achievement_threshold_positive CHECK ((threshold > 0)),
    CONSTRAINT achievement_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 80)))
);

--
-- Name: TABLE achievement_definitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.achievement_definitions IS 'The achievements there are to earn, and their rules: reaching threshold on event earns it, once, with its points. Secret ones are shown only to those who earned them. Administrators manage them.';

--
-- Name: COLUMN achievement_definitions.code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.code IS 'The achievement''s stable code (3-40 lower-case letters, digits, underscores, starting with a letter).';

--
-- Name: COLUMN achievement_definitions.title; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.title IS 'Its name (1-80 characters).';

--
-- Name: COLUMN achievement_definitions.description; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.description IS 'What earns it (1-500 characters).';

--
-- Name: COLUMN achievement_definitions.tier; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.tier IS '@behavior +filterBy +orderBy
How hard it is.';

--
-- Name: COLUMN achievement_definitions.event; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.event IS '@behavior +filterBy +orderBy
What its rule counts.';

--
-- Name: COLUMN achievement_definitions.threshold; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.threshold IS '@behavior +orderBy
The progress on event that earns it (a streak length, a number of friends, of entries…).';

--
-- Name: COLUMN achievement_definitions.points; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.points IS 'The points it pays when earned (0-100000).';

--
-- Name: COLUMN achievement_definitions.is_secret; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_definitions.is_secret IS 'Hidden until earned; its award never appears in others'' feeds or on your profile for others.';

--
-- Name: CONSTRAINT achievement_code_format ON achievement_definitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT achievement_code_format ON app_public.achievement_definitions IS 'A code is 3-40 lower-case letters, digits or underscores, starting with a letter.';

--
-- Name: CONSTRAINT achievement_points_range ON achievement_definitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT achievement_points_range ON app_public.achievement_definitions IS 'Points are between 0 and 100000.';

--
-- Name: CONSTRAINT achievement_threshold_positive ON achievement_definitions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT achievement_threshold_positive ON app_public.achievement_definitions IS 'A threshold is at least 1.';

--
-- Name: achievement_progress; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.achievement_progress (
    user_id uuid NOT NULL,
    event app_public.achievement_event NOT NULL,
    progress integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT achievement_progress_nonnegative CHECK ((progress >= 0))
);

--
-- Name: TABLE achievement_progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.achievement_progress IS '@behavior -insert -update -delete
Your progress on each event achievements count, kept by the database as you keep rituals, make friends, write, buy and compete.';

--
-- Name: COLUMN achievement_progress.event; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_progress.event IS 'What is counted.';

--
-- Name: COLUMN achievement_progress.progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_progress.progress IS 'The highest level reached (streaks, friends) or the count so far (entries, purchases, podiums).';

--
-- Name: COLUMN achievement_progress.updated_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.achievement_progress.updated_at IS 'When the progress last moved.';

--
-- Name: activity_hides; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.activity_hides (
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    event_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE activity_hides; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.activity_hides IS '@behavior -update
Events you took out of your own feed.';

--
-- Name: activity_verbs; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.activity_verbs (
    verb text NOT NULL,
    description text NOT NULL,
    metadata_keys text[] DEFAULT '{}'::text[] NOT NULL,
    CONSTRAINT activity_verb_format CHECK ((verb ~ '^[a-z_]+\.[a-z_]+$'::text))
);

--
-- Name: TABLE activity_verbs; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.activity_verbs IS '@behavior -insert -update -delete
What an activity event can say, and the metadata each verb carries.';

--
-- Name: area_dimensions_id_seq; Type: SEQUENCE; Schema: app_public; Owner: -
--

ALTER TABLE app_public.area_dimensions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.area_dimensions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_log; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.audit_log (
    id bigint NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    actor_id uuid,
    action text NOT NULL,
    target_table text,
    target_id text,
    request_id text,
    ip inet,
    before jsonb,
    after jsonb,
    CONSTRAINT audit_action_format CHECK ((action ~ '^[a-z_]+\.[a-z_]+$'::text))
);

--
-- Name: TABLE audit_log; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.audit_log IS '@behavior -insert -update -delete
Admin-sensitive actions, append-only, for administrators: admin and community role changes, default weights, notification templates, delivery retries and discards, moderation, deleted users, API keys, point adjustments and failed sign-ins.';

--
-- Name: COLUMN audit_log.occurred_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.occurred_at IS '@behavior +filterBy +orderBy
When it happened.';

--
-- Name: COLUMN audit_log.actor_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.actor_id IS '@behavior +filterBy
Who did it (null: the system, or an account since deleted).';

--
-- Name: COLUMN audit_log.action; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.action IS '@behavior +filterBy +orderBy
What happened, as domain.action (identity.admin_changed, feed.moderated, identity.login_failed…).';

--
-- Name: COLUMN audit_log.target_table; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.target_table IS 'The table of the row it changed.';

--
-- Name: COLUMN audit_log.target_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.target_id IS 'The key of the row it changed.';

--
-- Name: COLUMN audit_log.request_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.request_id IS 'The gateway request it came from (the X-Request-Id response header).';

--
-- Name: COLUMN audit_log.ip; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.ip IS 'The client address of that request.';

--
-- Name: COLUMN audit_log.before; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.before IS 'The row before (secrets removed).';

--
-- Name: COLUMN audit_log.after; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.audit_log.after IS 'The row after (secrets removed).';

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: app_public; Owner: -
--

ALTER TABLE app_public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: autobiography_chapters; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.autobiography_chapters (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    title text NOT NULL,
    period_start date,
    period_end date,
    content_md text DEFAULT ''::text NOT NULL,
    "position" integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chapter_content_length CHECK ((char_length(content_md) <= 200000)),
    CONSTRAINT chapter_period_order CHECK (((period_end IS NULL) OR (period_start IS NULL) OR (period_end >= period_start))),
    CONSTRAINT chapter_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);

--
-- Name: TABLE autobiography_chapters; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.autobiography_chapters IS 'A chapter of your life story: a period and its telling in markdown.';

--
-- Name: COLUMN autobiography_chapters.period_start; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.autobiography_chapters.period_start IS 'The first day of the part of your life the chapter tells.';

--
-- Name: COLUMN autobiography_chapters.period_end; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.autobiography_chapters.period_end IS 'The last day of that part of your life.';

--
-- Name: COLUMN autobiography_chapters.content_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.autobiography_chapters.content_md IS 'The chapter (Markdown).';

--
-- Name: COLUMN autobiography_chapters."position"; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.autobiography_chapters."position" IS 'Where the chapter goes in the book.';

--
-- Name: blocks; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.blocks (
    blocker_id uuid NOT NULL,
    blocked_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT block_not_self CHECK ((blocker_id <> blocked_id))
);

--
-- Name: TABLE blocks; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.blocks IS '@behavior -insert -update -delete
People you blocked (blockUser, unblockUser). They are never told.';

--
-- Name: coaching_conversations; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.coaching_conversations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    title text DEFAULT 'Conversation'::text NOT NULL,
    module_name text,
    message_count integer DEFAULT 0 NOT NULL,
    last_message_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT conversation_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);

--
-- Name: TABLE coaching_conversations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.coaching_conversations IS 'A coaching conversation; `messageCount` and `lastMessageAt` are kept by the database.';

--
-- Name: COLUMN coaching_conversations.message_count; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.coaching_conversations.message_count IS 'How many messages the conversation holds (kept by the database).';

--
-- Name: COLUMN coaching_conversations.last_message_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.coaching_conversations.last_message_at IS 'When its last message was written.';

--
-- Name: coaching_messages; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.coaching_messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    conversation_id uuid NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    role app_public.message_role DEFAULT 'user'::app_public.message_role NOT NULL,
    content text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT message_content_length CHECK (((char_length(content) >= 1) AND (char_length(content) <= 20000)))
);

--
-- Name: TABLE coaching_messages; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.coaching_messages IS 'A message in a coaching conversation, yours or the coach''s; only the conversation''s owner sees it.';

--
-- Name: COLUMN coaching_messages.role; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.coaching_messages.role IS 'Who wrote it: you (user) or the coach (assistant).';

--
-- Name: competition_rewards; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.competition_rewards (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    competition_id uuid NOT NULL,
    placement_from integer NOT NULL,
    placement_to integer NOT NULL,
    points integer,
    item_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reward_placement_ordered CHECK ((placement_to >= placement_from)),
    CONSTRAINT reward_placement_positive CHECK ((placement_from >= 1)),
    CONSTRAINT reward_points_or_item CHECK ((num_nonnulls(points, item_id) = 1)),
    CONSTRAINT reward_points_positive CHECK ((points > 0))
);

--
-- Name: TABLE competition_rewards; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.competition_rewards IS 'What a placement range wins: points or a marketplace item. Participants whose overall rank falls in the range (ties share a place) and who scored at all win it when the competition is finalised. Organisers set them until it starts.';

--
-- Name: COLUMN competition_rewards.placement_from; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rewards.placement_from IS 'The best placement that wins it (1 is first).';

--
-- Name: COLUMN competition_rewards.placement_to; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rewards.placement_to IS 'The last placement that wins it.';

--
-- Name: COLUMN competition_rewards.points; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rewards.points IS 'Points won (or an item).';

--
-- Name: COLUMN competition_rewards.item_id; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rewards.item_id IS 'A marketplace item won (or points).';

--
-- Name: CONSTRAINT reward_placement_ordered ON competition_rewards; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT reward_placement_ordered ON app_public.competition_rewards IS 'placement_to is not before placement_from.';

--
-- Name: CONSTRAINT reward_placement_positive ON competition_rewards; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT reward_placement_positive ON app_public.competition_rewards IS 'Placements start at 1.';

--
-- Name: CONSTRAINT reward_points_or_item ON competition_rewards; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT reward_points_or_item ON app_public.competition_rewards IS 'A reward is either points or an item.';

--
-- Name: CONSTRAINT reward_points_positive ON competition_rewards; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT reward_points_positive ON app_public.competition_rewards IS 'A points reward is above zero.';

--
-- Name: competition_rounds; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.competition_rounds (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    competition_id uuid NOT NULL,
    "position" integer NOT NULL,
    title text NOT NULL,
    scoring app_public.scoring_rule DEFAULT 'sum'::app_public.scoring_rule NOT NULL,
    weight numeric(6,3) DEFAULT 1 NOT NULL,
    opens_at timestamp with time zone NOT NULL,
    closes_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT round_position_range CHECK ((("position" >= 1) AND ("position" <= 100))),
    CONSTRAINT round_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 120))),
    CONSTRAINT round_weight_positive CHECK ((weight > (0)::numeric)),
    CONSTRAINT round_window_ordered CHECK ((closes_at > opens_at))
);

--
-- Name: TABLE competition_rounds; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.competition_rounds IS 'A scored part of a competition, open between opens_at and closes_at (within the competition''s window). Organisers add, change and remove rounds until the competition starts.';

--
-- Name: COLUMN competition_rounds."position"; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rounds."position" IS 'Its place in the competition (1 to 100, one round per place).';

--
-- Name: COLUMN competition_rounds.scoring; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rounds.scoring IS 'How a participant''s scores in the round count: sum, max, average (to two decimals), count (how many) or streak (the longest run of days with a ritual kept while the round is open, computed by the database).';

--
-- Name: COLUMN competition_rounds.weight; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rounds.weight IS 'How much the round counts overall: the overall score is the sum of weight × round score.';

--
-- Name: COLUMN competition_rounds.opens_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rounds.opens_at IS 'When scores start to count.';

--
-- Name: COLUMN competition_rounds.closes_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.competition_rounds.closes_at IS 'When the round closes (scores are taken until then, not at that moment).';

--
-- Name: CONSTRAINT round_weight_positive ON competition_rounds; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT round_weight_positive ON app_public.competition_rounds IS 'A weight is above zero.';

--
-- Name: CONSTRAINT round_window_ordered ON competition_rounds; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT round_window_ordered ON app_public.competition_rounds IS 'A round closes after it opens.';

--
-- Name: content_reports; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.content_reports (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    reporter_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    event_id uuid,
    message_id uuid,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT report_one_target CHECK ((num_nonnulls(event_id, message_id) = 1)),
    CONSTRAINT report_reason_length CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 1000)))
);

--
-- Name: TABLE content_reports; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.content_reports IS '@behavior -update -delete
Reports of events or messages that break the rules, for the moderators.';

--
-- Name: COLUMN content_reports.reason; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.content_reports.reason IS 'What is wrong with it (1-1000 characters).';

--
-- Name: delivery_attempts; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.delivery_attempts (
    id bigint NOT NULL,
    delivery_id uuid NOT NULL,
    user_id uuid NOT NULL,
    attempt integer NOT NULL,
    succeeded boolean NOT NULL,
    provider_response jsonb,
    error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE delivery_attempts; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.delivery_attempts IS 'Every try of a delivery on an outside channel (email, push, webhook): what the provider answered, or the error. In-app deliveries have no provider; their one attempt is on the delivery.';

--
-- Name: delivery_attempts_id_seq; Type: SEQUENCE; Schema: app_public; Owner: -
--

ALTER TABLE app_public.delivery_attempts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.delivery_attempts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: follows; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.follows (
    follower_id uuid NOT NULL,
    followee_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT follow_not_self CHECK ((follower_id <> followee_id))
);

--
-- Name: TABLE follows; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.follows IS '@behavior -insert -update -delete
Whom you follow and who follows you (followUser, unfollowUser).';

--
-- Name: forgiveness_logs; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.forgiveness_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    subject text NOT NULL,
    status app_public.forgiveness_status DEFAULT 'open'::app_public.forgiveness_status NOT NULL,
    reflection_md text,
    released_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT forgiveness_reflection_length CHECK ((char_length(reflection_md) <= 50000)),
    CONSTRAINT forgiveness_subject_length CHECK (((char_length(subject) >= 1) AND (char_length(subject) <= 200))),
    CONSTRAINT released_when_released CHECK (((status = 'released'::app_public.forgiveness_status) = (released_at IS NOT NULL)))
);

--
-- Name: TABLE forgiveness_logs; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.forgiveness_logs IS 'Someone (or something) you are working on forgiving: open, working, released.';

--
-- Name: COLUMN forgiveness_logs.subject; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.forgiveness_logs.subject IS 'Who or what it is about (1-200 characters).';

--
-- Name: COLUMN forgiveness_logs.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.forgiveness_logs.status IS '@behavior +filterBy
Open, working on it, or released.';

--
-- Name: COLUMN forgiveness_logs.reflection_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.forgiveness_logs.reflection_md IS 'Your reflection (Markdown).';

--
-- Name: COLUMN forgiveness_logs.released_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.forgiveness_logs.released_at IS 'When you let it go: set exactly when the status is released.';

--
-- Name: friendships; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.friendships (
    user_id uuid NOT NULL,
    friend_id uuid NOT NULL,
    source_request_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT friendship_not_self CHECK ((user_id <> friend_id))
);

--
-- Name: TABLE friendships; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.friendships IS '@behavior -insert -update -delete
Your friends: one row each way per friendship, written when a request is accepted.';

--
-- Name: goals; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.goals (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    area_id integer,
    title text NOT NULL,
    description_md text,
    status app_public.goal_status DEFAULT 'planned'::app_public.goal_status NOT NULL,
    priority app_public.goal_priority DEFAULT 'medium'::app_public.goal_priority NOT NULL,
    progress numeric(5,2) DEFAULT 0 NOT NULL,
    target_date date,
    completed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT goal_description_length CHECK ((char_length(description_md) <= 20000)),
    CONSTRAINT goal_progress_range CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric))),
    CONSTRAINT goal_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200)))
);

--
-- Name: TABLE goals; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.goals IS 'An OKR-style goal. With key results, its progress follows theirs.';

--
-- Name: COLUMN goals.description_md; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.goals.description_md IS 'What the goal is and why it matters (Markdown).';

--
-- Name: COLUMN goals.status; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.goals.status IS '@behavior +filterBy +orderBy
Where the goal stands.';

--
-- Name: COLUMN goals.priority; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.goals.priority IS '@behavior +filterBy +orderBy
How much the goal matters now.';

--
-- Name: COLUMN goals.progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.goals.progress IS '@behavior +filterBy +orderBy
From 0 to 100. Set it yourself, or let key results drive it.';

--
-- Name: COLUMN goals.target_date; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.goals.target_date IS '@behavior +filterBy +orderBy
When you mean to be done.';

--
-- Name: COLUMN goals.completed_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.goals.completed_at IS 'When the goal last became done.';

--
-- Name: integrity_logs; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.integrity_logs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    area_id integer,
    commitment text NOT NULL,
    made_to text,
    due_on date,
    outcome app_public.commitment_outcome DEFAULT 'pending'::app_public.commitment_outcome NOT NULL,
    impact text,
    impact_level smallint,
    recovery_action text,
    recovered_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT commitment_length CHECK (((char_length(commitment) >= 1) AND (char_length(commitment) <= 1000))),
    CONSTRAINT impact_length CHECK ((char_length(impact) <= 5000)),
    CONSTRAINT impact_level_range CHECK (((impact_level >= 1) AND (impact_level <= 5))),
    CONSTRAINT made_to_length CHECK ((char_length(made_to) <= 200)),
    CONSTRAINT recovery_action_length CHECK ((char_length(recovery_action) <= 5000)),
    CONSTRAINT recovery_after_broken CHECK (((recovered_at IS NULL) OR (outcome = 'broken'::app_public.commitment_outcome)))
);

--
-- Name: TABLE integrity_logs; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.integrity_logs IS 'A commitment you made and whether you kept it; a broken one has an impact and a recovery action, done when `recoveredAt` is set.';

--
-- Name: COLUMN integrity_logs.commitment; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.commitment IS 'What you committed to (1-1000 characters).';

--
-- Name: COLUMN integrity_logs.made_to; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.made_to IS 'To whom you made it.';

--
-- Name: COLUMN integrity_logs.due_on; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.due_on IS '@behavior +filterBy +orderBy
When it was due.';

--
-- Name: COLUMN integrity_logs.outcome; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.outcome IS '@behavior +filterBy
Pending, kept or broken.';

--
-- Name: COLUMN integrity_logs.impact; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.impact IS 'What breaking it did, to whom.';

--
-- Name: COLUMN integrity_logs.impact_level; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.impact_level IS 'How much breaking it mattered, 1 (little) to 5 (a lot).';

--
-- Name: COLUMN integrity_logs.recovery_action; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.recovery_action IS 'What you did, or will do, to make it right.';

--
-- Name: COLUMN integrity_logs.recovered_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.integrity_logs.recovered_at IS 'When it was made right.';

--
-- Name: journal_entries; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.journal_entries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    entry_date date DEFAULT app_hidden.user_today(app_public.current_user_id()) NOT NULL,
    title text,
    content_md text NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    sentiment numeric(4,3),
    summary text,
    analysed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT entry_date_not_ancient CHECK ((entry_date >= '1900-01-01'::date)),
    CONSTRAINT entry_date_not_future CHECK ((entry_date <= ((now() + '2 days'::interval))::date)),
    CONSTRAINT journal_content_length CHECK (((char_length(content_md) >= 1) AND (char_length(content_md) <= 100000))),
    CONSTRAINT journal_tags_valid CHECK (((cardinality(tags) <= 20) AND (array_position(tags, NULL::text) IS NULL))),
    CONSTRAINT journal_title_length CHECK ((char_length(title) <= 200)),
    CONSTRAINT sentiment_range CHECK (((sentiment >= ('-1'::integer)::numeric) AND (sentiment <= (1)::numeric)))
);

--
-- Name: TABLE journal_entries; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.journal_entries IS 'A journal entry in markdown. Sentiment and summary are filled in by the analyser shortly after each save.';

--
-- Name: COLUMN journal_entries.entry_date; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.journal_entries.entry_date IS 'The day the entry is about (defaults to today in your time zone). At most two days ahead.';

--
-- Name: COLUMN journal_entries.sentiment; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.journal_entries.sentiment IS '@behavior +filterBy +orderBy
From -1 (negative) to 1 (positive); set by the analyser.';

--
-- Name: COLUMN journal_entries.summary; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.journal_entries.summary IS 'A short extractive summary; set by the analyser.';

--
-- Name: COLUMN journal_entries.analysed_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.journal_entries.analysed_at IS 'When the analyser last processed this entry''s content.';

--
-- Name: journal_entry_areas; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.journal_entry_areas (
    entry_id uuid NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    area_id integer NOT NULL
);

--
-- Name: TABLE journal_entry_areas; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.journal_entry_areas IS 'The life areas a journal entry is about.';

--
-- Name: key_results; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.key_results (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    goal_id uuid NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    title text NOT NULL,
    start_value numeric DEFAULT 0 NOT NULL,
    target_value numeric NOT NULL,
    current_value numeric DEFAULT 0 NOT NULL,
    unit text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT key_result_target_differs CHECK ((target_value <> start_value)),
    CONSTRAINT key_result_title_length CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT key_result_unit_length CHECK ((char_length(unit) <= 20))
);

--
-- Name: TABLE key_results; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.key_results IS 'A measurable result of a goal: from a start value to a target.';

--
-- Name: COLUMN key_results.start_value; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.key_results.start_value IS 'Where you started; progress is (current - start) / (target - start).';

--
-- Name: COLUMN key_results.target_value; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.key_results.target_value IS 'Where you mean to get (different from the start).';

--
-- Name: COLUMN key_results.current_value; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.key_results.current_value IS 'Where you are now.';

--
-- Name: COLUMN key_results.unit; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.key_results.unit IS 'What the values count, e.g. km or books (up to 20 characters).';

--
-- Name: life_areas_id_seq; Type: SEQUENCE; Schema: app_public; Owner: -
--

ALTER TABLE app_public.life_areas ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.life_areas_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: marketplace_item_audit; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.marketplace_item_audit (
    id bigint NOT NULL,
    item_id uuid NOT NULL,
    field text NOT NULL,
    old_value jsonb,
    new_value jsonb,
    changed_by uuid,
    changed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE marketplace_item_audit; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.marketplace_item_audit IS '@behavior -insert -update -delete
Every administrator''s edit of an item or its stock, field by field (not the stock movements of purchases, refunds and restocks).';

--
-- Name: COLUMN marketplace_item_audit.field; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_item_audit.field IS 'The field edited (stock fields start with stock.; a new item is one created row).';

--
-- Name: COLUMN marketplace_item_audit.old_value; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_item_audit.old_value IS 'Its value before.';

--
-- Name: COLUMN marketplace_item_audit.new_value; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_item_audit.new_value IS 'Its value after.';

--
-- Name: COLUMN marketplace_item_audit.changed_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_item_audit.changed_by IS 'Who made the edit (null: the system).';

--
-- Name: COLUMN marketplace_item_audit.changed_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.marketplace_item_audit.changed_at IS '@behavior +orderBy
When.';

--
-- Name: marketplace_item_audit_id_seq; Type: SEQUENCE; Schema: app_public; Owner: -
--

ALTER TABLE app_public.marketplace_item_audit ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.marketplace_item_audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: message_deletions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.message_deletions (
    message_id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE message_deletions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.message_deletions IS '@behavior -insert -update -delete
Messages you deleted for yourself.';

--
-- Name: moderation_actions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.moderation_actions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    moderator_id uuid,
    action text NOT NULL,
    event_id uuid,
    message_id uuid,
    reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT moderation_action_known CHECK ((action = ANY (ARRAY['delete_own_event'::text, 'hide_event'::text, 'unhide_event'::text, 'delete_message'::text]))),
    CONSTRAINT moderation_reason_length CHECK ((char_length(reason) <= 1000))
);

--
-- Name: TABLE moderation_actions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.moderation_actions IS '@behavior -insert -update -delete
The audit trail of moderation: deletions by authors, hides by moderators. Administrators only.';

--
-- Name: module_progress; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.module_progress (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    module_name text NOT NULL,
    progress_percent numeric(5,2) DEFAULT 0 NOT NULL,
    completed_topics text[] DEFAULT '{}'::text[] NOT NULL,
    current_focus text,
    notes text,
    last_activity_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT completed_topics_valid CHECK ((array_position(completed_topics, NULL::text) IS NULL)),
    CONSTRAINT current_focus_length CHECK ((char_length(current_focus) <= 500)),
    CONSTRAINT module_name_format CHECK ((module_name ~ '^[a-z][a-z0-9_-]{1,59}$'::text)),
    CONSTRAINT module_notes_length CHECK ((char_length(notes) <= 20000)),
    CONSTRAINT module_progress_range CHECK (((progress_percent >= (0)::numeric) AND (progress_percent <= (100)::numeric)))
);

--
-- Name: TABLE module_progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.module_progress IS 'Your progress through a wellness module (e.g. `sleep`, `nutrition`): one row per module.';

--
-- Name: COLUMN module_progress.module_name; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.module_progress.module_name IS 'The wellness module, e.g. sleep-basics.';

--
-- Name: COLUMN module_progress.progress_percent; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.module_progress.progress_percent IS 'How far through the module you are, 0 to 100.';

--
-- Name: COLUMN module_progress.completed_topics; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.module_progress.completed_topics IS 'The topics of the module you have finished.';

--
-- Name: COLUMN module_progress.current_focus; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.module_progress.current_focus IS 'What you are working on in it now.';

--
-- Name: notification_events; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notification_events (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    type text NOT NULL,
    data jsonb DEFAULT '{}'::jsonb NOT NULL,
    dedupe_key text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT event_data_object CHECK ((jsonb_typeof(data) = 'object'::text))
);

--
-- Name: TABLE notification_events; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notification_events IS 'Something worth telling you about, raised in SQL by app_private.notify in the same transaction as its cause.';

--
-- Name: COLUMN notification_events.data; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_events.data IS '@behavior -*
The variables for the templates (may hold single-use tokens: never exposed).';

--
-- Name: notification_preferences; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notification_preferences (
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    type text NOT NULL,
    channel app_public.notification_channel NOT NULL,
    enabled boolean NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE notification_preferences; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notification_preferences IS 'Your choice, per notification type and channel; without a row the type''s default channels apply.';

--
-- Name: notification_settings; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notification_settings (
    user_id uuid NOT NULL,
    quiet_hours_start time without time zone,
    quiet_hours_end time without time zone,
    digest_frequency app_public.digest_frequency DEFAULT 'immediate'::app_public.digest_frequency NOT NULL,
    rate_limit_per_hour integer DEFAULT 30 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT quiet_hours_both CHECK (((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL))),
    CONSTRAINT rate_limit_range CHECK (((rate_limit_per_hour >= 1) AND (rate_limit_per_hour <= 1000)))
);

--
-- Name: TABLE notification_settings; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notification_settings IS 'How you are notified: quiet hours (in your time zone; deliveries due inside wait for their end), digests for email and push, and a cap per hour and channel (the excess waits, nothing is dropped).';

--
-- Name: COLUMN notification_settings.quiet_hours_start; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_settings.quiet_hours_start IS 'Local time quiet hours begin (may be after the end: 22:00–07:00).';

--
-- Name: notification_types; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notification_types (
    code text NOT NULL,
    description text NOT NULL,
    variables text[] DEFAULT '{}'::text[] NOT NULL,
    default_channels app_public.notification_channel[] DEFAULT '{in_app}'::app_public.notification_channel[] NOT NULL,
    is_transactional boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT notification_type_format CHECK ((code ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)+$'::text))
);

--
-- Name: TABLE notification_types; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notification_types IS 'A kind of notification (e.g. `reviews.ready`): the variables its events carry, the channels it uses unless you choose otherwise.';

--
-- Name: COLUMN notification_types.variables; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_types.variables IS 'The names an event of this type carries in `data`: the only ones its templates may use.';

--
-- Name: COLUMN notification_types.is_transactional; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.notification_types.is_transactional IS 'Account mail (verification, password reset): sent at once, whatever the preferences, quiet hours or digests.';

--
-- Name: notifications; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.notifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    type text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    read_at timestamp with time zone,
    archived_at timestamp with time zone,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE notifications; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.notifications IS 'Your in-app notifications. Read ones are deleted after 90 days.';

--
-- Name: point_earning_rules; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.point_earning_rules (
    code text NOT NULL,
    reason app_public.point_reason NOT NULL,
    points integer NOT NULL,
    daily_cap integer,
    is_active boolean DEFAULT true NOT NULL,
    description text NOT NULL,
    updated_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT earning_rule_code_format CHECK ((code ~ '^[a-z_]+\.[a-z_]+$'::text)),
    CONSTRAINT earning_rule_daily_cap_positive CHECK ((daily_cap > 0)),
    CONSTRAINT earning_rule_points_range CHECK (((points >= 0) AND (points <= 10000)))
);

--
-- Name: TABLE point_earning_rules; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.point_earning_rules IS '@behavior -insert -delete
How many points each kind of life activity earns, and how often a day. Administrators tune them.';

--
-- Name: COLUMN point_earning_rules.code; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.code IS 'The rule (rituals.completed, goals.done, journal.entry).';

--
-- Name: COLUMN point_earning_rules.reason; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.reason IS 'The reason its ledger entries carry.';

--
-- Name: COLUMN point_earning_rules.points; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.points IS 'Points per activity (0-10000).';

--
-- Name: COLUMN point_earning_rules.daily_cap; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.daily_cap IS 'At most this many paid activities a day, in your time zone (null: no cap).';

--
-- Name: COLUMN point_earning_rules.is_active; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.is_active IS 'Whether the rule pays at all.';

--
-- Name: COLUMN point_earning_rules.description; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.description IS 'What earns the points, in a sentence.';

--
-- Name: COLUMN point_earning_rules.updated_by; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.point_earning_rules.updated_by IS '@behavior -*
The administrator who last edited the rule.';

--
-- Name: CONSTRAINT earning_rule_daily_cap_positive ON point_earning_rules; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT earning_rule_daily_cap_positive ON app_public.point_earning_rules IS 'A daily cap is at least 1 (null for none).';

--
-- Name: CONSTRAINT earning_rule_points_range ON point_earning_rules; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT earning_rule_points_range ON app_public.point_earning_rules IS 'Points per activity are 0-10000.';

--
-- Name: profile_stats_daily; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.profile_stats_daily (
    user_id uuid NOT NULL,
    stat_date date NOT NULL,
    followers_count integer NOT NULL,
    following_count integer NOT NULL,
    friends_count integer NOT NULL,
    current_streak integer NOT NULL,
    longest_streak integer NOT NULL,
    completions_last_30_days integer NOT NULL
);

--
-- Name: TABLE profile_stats_daily; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.profile_stats_daily IS '@behavior -insert -update -delete
Your profile numbers, one row per day, written each night.';

--
-- Name: push_subscriptions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.push_subscriptions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    endpoint text NOT NULL,
    p256dh text NOT NULL,
    auth text NOT NULL,
    user_agent text,
    disabled_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT push_auth_format CHECK ((auth ~ '^[A-Za-z0-9_-]{8,64}={0,2}$'::text)),
    CONSTRAINT push_endpoint_format CHECK ((endpoint ~ '^https?://[^\s]+$'::text)),
    CONSTRAINT push_p256dh_format CHECK ((p256dh ~ '^[A-Za-z0-9_-]{40,200}={0,2}$'::text)),
    CONSTRAINT push_user_agent_length CHECK ((char_length(user_agent) <= 300))
);

--
-- Name: TABLE push_subscriptions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.push_subscriptions IS 'A browser''s Web Push subscription (from PushManager.subscribe). Disabled when the push service says it is gone (404/410).';

--
-- Name: relationship_interactions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.relationship_interactions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    relationship_id uuid NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    kind app_public.interaction_kind DEFAULT 'other'::app_public.interaction_kind NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT interaction_not_future CHECK ((occurred_at <= (now() + '00:05:00'::interval))),
    CONSTRAINT interaction_note_length CHECK ((char_length(note) <= 5000))
);

--
-- Name: TABLE relationship_interactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.relationship_interactions IS 'A contact with a person: the log actual contact frequency is computed from.';

--
-- Name: COLUMN relationship_interactions.occurred_at; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.relationship_interactions.occurred_at IS 'When you were in touch (not in the future); actualContactsPerMonth counts these.';

--
-- Name: ritual_completions; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.ritual_completions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    ritual_id uuid NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    completed_at timestamp with time zone DEFAULT now() NOT NULL,
    slot_start date NOT NULL,
    note text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT completion_not_future CHECK ((completed_at <= (now() + '00:05:00'::interval))),
    CONSTRAINT completion_note_length CHECK ((char_length(note) <= 2000))
);

--
-- Name: TABLE ritual_completions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.ritual_completions IS 'A ritual kept: at most one completion per slot (day, week, month or scheduled day).';

--
-- Name: COLUMN ritual_completions.slot_start; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.ritual_completions.slot_start IS 'First day of the slot this completion fills, in your time zone.';

--
-- Name: ritual_streaks; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.ritual_streaks (
    ritual_id uuid NOT NULL,
    user_id uuid NOT NULL,
    started_on date NOT NULL,
    ended_on date NOT NULL,
    length integer NOT NULL,
    last_slot integer NOT NULL,
    CONSTRAINT streak_length_positive CHECK ((length > 0))
);

--
-- Name: TABLE ritual_streaks; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.ritual_streaks IS 'Runs of consecutive kept slots of a ritual, kept by the database as completions change.';

--
-- Name: COLUMN ritual_streaks.started_on; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.ritual_streaks.started_on IS 'First slot of the run.';

--
-- Name: COLUMN ritual_streaks.ended_on; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.ritual_streaks.ended_on IS 'First day of the last slot of the run.';

--
-- Name: COLUMN ritual_streaks.last_slot; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.ritual_streaks.last_slot IS '@behavior -*
Slot number of the run''s last slot.';

--
-- Name: scores_id_seq; Type: SEQUENCE; Schema: app_public; Owner: -
--

ALTER TABLE app_public.scores ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_public.scores_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: storage_buckets; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.storage_buckets (
    id app_public.file_bucket NOT NULL,
    max_bytes bigint NOT NULL,
    content_types text[] NOT NULL,
    public_read boolean DEFAULT false NOT NULL,
    CONSTRAINT bucket_max_bytes_positive CHECK ((max_bytes > 0))
);

--
-- Name: TABLE storage_buckets; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.storage_buckets IS '@behavior -insert -update -delete
The rules of each bucket: the largest file and the content types it takes.';

--
-- Name: COLUMN storage_buckets.max_bytes; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.storage_buckets.max_bytes IS 'The largest file the bucket takes, in bytes.';

--
-- Name: COLUMN storage_buckets.content_types; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.storage_buckets.content_types IS 'The content types it takes, checked against the bytes as they arrive.';

--
-- Name: COLUMN storage_buckets.public_read; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.storage_buckets.public_read IS 'Its files are served to anyone at a stable URL (avatars); the others only with a signed, expiring URL.';

--
-- Name: user_emails; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.user_emails (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    email public.citext NOT NULL,
    is_verified boolean DEFAULT false NOT NULL,
    is_primary boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT email_format CHECK ((email OPERATOR(public.~) '^[^@\s]+@[^@\s]+\.[^@\s]+$'::public.citext))
);

--
-- Name: TABLE user_emails; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.user_emails IS 'Email addresses of a user; private to that user.';

--
-- Name: COLUMN user_emails.email; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_emails.email IS 'Unique among verified addresses only: adding one another account has verified answers as usual, and mails its owner.';

--
-- Name: COLUMN user_emails.is_verified; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_emails.is_verified IS 'Set by the verification flow, never by the user.';

--
-- Name: COLUMN user_emails.is_primary; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_emails.is_primary IS 'The address messages go to; the primary one cannot be deleted.';

--
-- Name: user_settings; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.user_settings (
    user_id uuid NOT NULL,
    locale text DEFAULT 'en'::text NOT NULL,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    preferences jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT locale_format CHECK ((locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'::text)),
    CONSTRAINT preferences_is_object CHECK ((jsonb_typeof(preferences) = 'object'::text)),
    CONSTRAINT timezone_known CHECK (app_public.is_valid_timezone(timezone))
);

--
-- Name: TABLE user_settings; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.user_settings IS 'Private settings of a user: only that user can read or change them.';

--
-- Name: COLUMN user_settings.locale; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_settings.locale IS 'Language tag such as `en` or `fr-CA`; picks message templates.';

--
-- Name: COLUMN user_settings.timezone; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_settings.timezone IS 'IANA time zone name; days, weeks and reminders follow it.';

--
-- Name: COLUMN user_settings.preferences; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.user_settings.preferences IS 'Free-form client preferences (a JSON object).';

--
-- Name: webhook_endpoints; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.webhook_endpoints (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    url text NOT NULL,
    event_types text[] DEFAULT '{}'::text[] NOT NULL,
    description text,
    disabled_at timestamp with time zone,
    disabled_reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT webhook_description_length CHECK ((char_length(description) <= 200)),
    CONSTRAINT webhook_url_format CHECK (((url ~ '^https?://[^\s/?#]+[^\s]*$'::text) AND (char_length(url) <= 2000)))
);

--
-- Name: TABLE webhook_endpoints; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.webhook_endpoints IS 'An HTTPS endpoint of yours that receives notifications as signed JSON (Standard Webhooks). An answer of 410 disables it.';

--
-- Name: COLUMN webhook_endpoints.event_types; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.webhook_endpoints.event_types IS 'Notification types to send (empty: all types whose webhook channel is on).';

--
-- Name: wellness_entries; Type: TABLE; Schema: app_public; Owner: -
--

CREATE TABLE app_public.wellness_entries (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid DEFAULT app_public.current_user_id() NOT NULL,
    entry_date date DEFAULT app_hidden.user_today(app_public.current_user_id()) NOT NULL,
    sleep_hours numeric(4,2),
    water_ml integer,
    exercise_minutes integer,
    meditation_minutes integer,
    mood smallint,
    energy smallint,
    nutrition_notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT energy_range CHECK (((energy >= 1) AND (energy <= 10))),
    CONSTRAINT exercise_minutes_range CHECK (((exercise_minutes >= 0) AND (exercise_minutes <= 1440))),
    CONSTRAINT meditation_minutes_range CHECK (((meditation_minutes >= 0) AND (meditation_minutes <= 1440))),
    CONSTRAINT mood_range CHECK (((mood >= 1) AND (mood <= 10))),
    CONSTRAINT nutrition_notes_length CHECK ((char_length(nutrition_notes) <= 5000)),
    CONSTRAINT sleep_hours_range CHECK (((sleep_hours >= (0)::numeric) AND (sleep_hours <= (24)::numeric))),
    CONSTRAINT water_ml_range CHECK (((water_ml >= 0) AND (water_ml <= 20000))),
    CONSTRAINT wellness_date_not_future CHECK ((entry_date <= ((now() + '2 days'::interval))::date))
);

--
-- Name: TABLE wellness_entries; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON TABLE app_public.wellness_entries IS 'How a day went for body and mind: one entry per day.';

--
-- Name: COLUMN wellness_entries.entry_date; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.entry_date IS 'The day, in your time zone (today by default).';

--
-- Name: COLUMN wellness_entries.sleep_hours; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.sleep_hours IS '@behavior +filterBy +orderBy
Hours slept, 0 to 24.';

--
-- Name: COLUMN wellness_entries.water_ml; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.water_ml IS 'Water drunk, in millilitres (0 to 20,000).';

--
-- Name: COLUMN wellness_entries.exercise_minutes; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.exercise_minutes IS 'Minutes of exercise (0 to 1440).';

--
-- Name: COLUMN wellness_entries.meditation_minutes; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.meditation_minutes IS 'Minutes of meditation (0 to 1440).';

--
-- Name: COLUMN wellness_entries.mood; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.mood IS '@behavior +filterBy +orderBy
From 1 (low) to 10 (great).';

--
-- Name: COLUMN wellness_entries.energy; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON COLUMN app_public.wellness_entries.energy IS '@behavior +filterBy +orderBy
From 1 (drained) to 10 (energetic).';

--
-- Name: score_rollups_p0; Type: TABLE ATTACH; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_public.score_rollups ATTACH PARTITION app_private.score_rollups_p0 FOR VALUES WITH (modulus 4, remainder 0);

--
-- Name: score_rollups_p1; Type: TABLE ATTACH; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_public.score_rollups ATTACH PARTITION app_private.score_rollups_p1 FOR VALUES WITH (modulus 4, remainder 1);

--
-- Name: score_rollups_p2; Type: TABLE ATTACH; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_public.score_rollups ATTACH PARTITION app_private.score_rollups_p2 FOR VALUES WITH (modulus 4, remainder 2);

--
-- Name: score_rollups_p3; Type: TABLE ATTACH; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_public.score_rollups ATTACH PARTITION app_private.score_rollups_p3 FOR VALUES WITH (modulus 4, remainder 3);

--
-- Name: account_tokens account_tokens_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.account_tokens
    ADD CONSTRAINT account_tokens_pkey PRIMARY KEY (id);

--
-- Name: account_tokens account_tokens_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.account_tokens
    ADD CONSTRAINT account_tokens_token_hash_key UNIQUE (token_hash);

--
-- Name: api_key_secrets api_key_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.api_key_secrets
    ADD CONSTRAINT api_key_secrets_pkey PRIMARY KEY (api_key_id);

--
-- Name: api_key_secrets api_key_secrets_secret_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.api_key_secrets
    ADD CONSTRAINT api_key_secrets_secret_hash_key UNIQUE (secret_hash);

--
-- Name: competition_round_totals competition_round_totals_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.competition_round_totals
    ADD CONSTRAINT competition_round_totals_pkey PRIMARY KEY (round_id, user_id);

--
-- Name: feed_inbox_horizon feed_inbox_horizon_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.feed_inbox_horizon
    ADD CONSTRAINT feed_inbox_horizon_pkey PRIMARY KEY (only_row);

--
-- Name: feed_inbox feed_inbox_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.feed_inbox
    ADD CONSTRAINT feed_inbox_pkey PRIMARY KEY (viewer_id, created_at, event_id);

--
-- Name: profile_counts profile_counts_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.profile_counts
    ADD CONSTRAINT profile_counts_pkey PRIMARY KEY (user_id);

--
-- Name: provider_callbacks provider_callbacks_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.provider_callbacks
    ADD CONSTRAINT provider_callbacks_pkey PRIMARY KEY (id);

--
-- Name: rate_limits rate_limits_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.rate_limits
    ADD CONSTRAINT rate_limits_pkey PRIMARY KEY (key);

--
-- Name: realtime_log realtime_log_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.realtime_log
    ADD CONSTRAINT realtime_log_pkey PRIMARY KEY (seq);

--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (token_hash);

--
-- Name: retention_runs retention_runs_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.retention_runs
    ADD CONSTRAINT retention_runs_pkey PRIMARY KEY (id);

--
-- Name: rollup_queue rollup_queue_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.rollup_queue
    ADD CONSTRAINT rollup_queue_pkey PRIMARY KEY (user_id, area_id);

--
-- Name: score_rollups score_rollups_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.score_rollups
    ADD CONSTRAINT score_rollups_pkey PRIMARY KEY (user_id, area_id, period_kind, period_start);

--
-- Name: score_rollups_p0 score_rollups_p0_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.score_rollups_p0
    ADD CONSTRAINT score_rollups_p0_pkey PRIMARY KEY (user_id, area_id, period_kind, period_start);

--
-- Name: score_rollups_p1 score_rollups_p1_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.score_rollups_p1
    ADD CONSTRAINT score_rollups_p1_pkey PRIMARY KEY (user_id, area_id, period_kind, period_start);

--
-- Name: score_rollups_p2 score_rollups_p2_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.score_rollups_p2
    ADD CONSTRAINT score_rollups_p2_pkey PRIMARY KEY (user_id, area_id, period_kind, period_start);

--
-- Name: score_rollups_p3 score_rollups_p3_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.score_rollups_p3
    ADD CONSTRAINT score_rollups_p3_pkey PRIMARY KEY (user_id, area_id, period_kind, period_start);

--
-- Name: sessions sessions_api_key_id_key; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_api_key_id_key UNIQUE (api_key_id);

--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

--
-- Name: time_zone_names time_zone_names_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.time_zone_names
    ADD CONSTRAINT time_zone_names_pkey PRIMARY KEY (name);

--
-- Name: tombstones tombstones_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.tombstones
    ADD CONSTRAINT tombstones_pkey PRIMARY KEY (user_id);

--
-- Name: unqueued_deliveries unqueued_deliveries_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.unqueued_deliveries
    ADD CONSTRAINT unqueued_deliveries_pkey PRIMARY KEY (delivery_id);

--
-- Name: user_flags user_flags_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.user_flags
    ADD CONSTRAINT user_flags_pkey PRIMARY KEY (user_id);

--
-- Name: user_secrets user_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.user_secrets
    ADD CONSTRAINT user_secrets_pkey PRIMARY KEY (user_id);

--
-- Name: webhook_secrets webhook_secrets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.webhook_secrets
    ADD CONSTRAINT webhook_secrets_pkey PRIMARY KEY (id);

--
-- Name: worker_heartbeats worker_heartbeats_pkey; Type: CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.worker_heartbeats
    ADD CONSTRAINT worker_heartbeats_pkey PRIMARY KEY (worker_id);

--
-- Name: achievement_definitions achievement_definitions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.achievement_definitions
    ADD CONSTRAINT achievement_definitions_pkey PRIMARY KEY (code);

--
-- Name: achievement_progress achievement_progress_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.achievement_progress
    ADD CONSTRAINT achievement_progress_pkey PRIMARY KEY (user_id, event);

--
-- Name: activity_events activity_events_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_events
    ADD CONSTRAINT activity_events_pkey PRIMARY KEY (id);

--
-- Name: activity_hides activity_hides_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_hides
    ADD CONSTRAINT activity_hides_pkey PRIMARY KEY (user_id, event_id);

--
-- Name: activity_verbs activity_verbs_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_verbs
    ADD CONSTRAINT activity_verbs_pkey PRIMARY KEY (verb);

--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);

--
-- Name: area_dimensions area_dimensions_area_id_code_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.area_dimensions
    ADD CONSTRAINT area_dimensions_area_id_code_key UNIQUE (area_id, code);

--
-- Name: area_dimensions area_dimensions_id_area_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.area_dimensions
    ADD CONSTRAINT area_dimensions_id_area_id_key UNIQUE (id, area_id);

--
-- Name: CONSTRAINT area_dimensions_id_area_id_key ON area_dimensions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT area_dimensions_id_area_id_key ON app_public.area_dimensions IS '@behavior -single -update -delete
Exists for the foreign keys of scores (id, area_id), which keep them with the same owner; rows are fetched by their own key.';

--
-- Name: area_dimensions area_dimensions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.area_dimensions
    ADD CONSTRAINT area_dimensions_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: autobiography_chapters autobiography_chapters_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.autobiography_chapters
    ADD CONSTRAINT autobiography_chapters_pkey PRIMARY KEY (id);

--
-- Name: blocks blocks_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.blocks
    ADD CONSTRAINT blocks_pkey PRIMARY KEY (blocker_id, blocked_id);

--
-- Name: coaching_conversations coaching_conversations_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.coaching_conversations
    ADD CONSTRAINT coaching_conversations_id_user_id_key UNIQUE (id, user_id);

--
-- Name: CONSTRAINT coaching_conversations_id_user_id_key ON coaching_conversations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT coaching_conversations_id_user_id_key ON app_public.coaching_conversations IS '@behavior -single -update -delete
Exists for the foreign keys of messages (id, user_id), which keep them with the same owner; rows are fetched by their own key.';

--
-- Name: coaching_conversations coaching_conversations_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.coaching_conversations
    ADD CONSTRAINT coaching_conversations_pkey PRIMARY KEY (id);

--
-- Name: coaching_messages coaching_messages_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.coaching_messages
    ADD CONSTRAINT coaching_messages_pkey PRIMARY KEY (id);

--
-- Name: communities communities_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.communities
    ADD CONSTRAINT communities_pkey PRIMARY KEY (id);

--
-- Name: community_invites community_invites_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_invites
    ADD CONSTRAINT community_invites_pkey PRIMARY KEY (id);

--
-- Name: community_join_requests community_join_requests_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_join_requests
    ADD CONSTRAINT community_join_requests_pkey PRIMARY KEY (id);

--
-- Name: community_members community_members_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_members
    ADD CONSTRAINT community_members_pkey PRIMARY KEY (community_id, user_id);

--
-- Name: communities community_slug_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.communities
    ADD CONSTRAINT community_slug_unique UNIQUE (slug);

--
-- Name: competition_participants competition_participants_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_participants
    ADD CONSTRAINT competition_participants_pkey PRIMARY KEY (competition_id, user_id);

--
-- Name: competition_reward_grants competition_reward_grants_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT competition_reward_grants_pkey PRIMARY KEY (id);

--
-- Name: competition_rewards competition_rewards_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rewards
    ADD CONSTRAINT competition_rewards_pkey PRIMARY KEY (id);

--
-- Name: competition_rounds competition_rounds_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rounds
    ADD CONSTRAINT competition_rounds_pkey PRIMARY KEY (id);

--
-- Name: competition_scores competition_scores_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_scores
    ADD CONSTRAINT competition_scores_pkey PRIMARY KEY (id);

--
-- Name: competitions competitions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competitions
    ADD CONSTRAINT competitions_pkey PRIMARY KEY (id);

--
-- Name: content_reports content_reports_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.content_reports
    ADD CONSTRAINT content_reports_pkey PRIMARY KEY (id);

--
-- Name: conversation_members conversation_members_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversation_members
    ADD CONSTRAINT conversation_members_pkey PRIMARY KEY (conversation_id, user_id);

--
-- Name: conversations conversation_once_per_pair; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversation_once_per_pair UNIQUE (user_low, user_high);

--
-- Name: CONSTRAINT conversation_once_per_pair ON conversations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT conversation_once_per_pair ON app_public.conversations IS '@behavior -single -update -delete
One conversation per pair of people.';

--
-- Name: conversations conversations_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_pkey PRIMARY KEY (id);

--
-- Name: data_exports data_exports_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.data_exports
    ADD CONSTRAINT data_exports_pkey PRIMARY KEY (id);

--
-- Name: delivery_attempts delivery_attempts_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.delivery_attempts
    ADD CONSTRAINT delivery_attempts_pkey PRIMARY KEY (id);

--
-- Name: direct_messages direct_messages_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.direct_messages
    ADD CONSTRAINT direct_messages_pkey PRIMARY KEY (id);

--
-- Name: files file_key_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.files
    ADD CONSTRAINT file_key_unique UNIQUE (key);

--
-- Name: files files_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.files
    ADD CONSTRAINT files_pkey PRIMARY KEY (id);

--
-- Name: follows follows_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.follows
    ADD CONSTRAINT follows_pkey PRIMARY KEY (follower_id, followee_id);

--
-- Name: forgiveness_logs forgiveness_logs_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.forgiveness_logs
    ADD CONSTRAINT forgiveness_logs_pkey PRIMARY KEY (id);

--
-- Name: friend_requests friend_requests_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friend_requests
    ADD CONSTRAINT friend_requests_pkey PRIMARY KEY (id);

--
-- Name: friendships friendships_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friendships
    ADD CONSTRAINT friendships_pkey PRIMARY KEY (user_id, friend_id);

--
-- Name: goals goals_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.goals
    ADD CONSTRAINT goals_id_user_id_key UNIQUE (id, user_id);

--
-- Name: CONSTRAINT goals_id_user_id_key ON goals; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT goals_id_user_id_key ON app_public.goals IS '@behavior -single -update -delete
Exists for the foreign keys of key results (id, user_id), which keep them with the same owner; rows are fetched by their own key.';

--
-- Name: goals goals_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.goals
    ADD CONSTRAINT goals_pkey PRIMARY KEY (id);

--
-- Name: integrity_logs integrity_logs_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.integrity_logs
    ADD CONSTRAINT integrity_logs_pkey PRIMARY KEY (id);

--
-- Name: marketplace_inventory inventory_sku_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_inventory
    ADD CONSTRAINT inventory_sku_unique UNIQUE (sku);

--
-- Name: CONSTRAINT inventory_sku_unique ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT inventory_sku_unique ON app_public.marketplace_inventory IS '@behavior -single -update -delete
One item per SKU.';

--
-- Name: community_invites invite_code_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_invites
    ADD CONSTRAINT invite_code_unique UNIQUE (code);

--
-- Name: journal_entries journal_entries_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.journal_entries
    ADD CONSTRAINT journal_entries_id_user_id_key UNIQUE (id, user_id);

--
-- Name: CONSTRAINT journal_entries_id_user_id_key ON journal_entries; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT journal_entries_id_user_id_key ON app_public.journal_entries IS '@behavior -single -update -delete
Exists for the foreign keys of entry areas (id, user_id), which keep them with the same owner; rows are fetched by their own key.';

--
-- Name: journal_entries journal_entries_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.journal_entries
    ADD CONSTRAINT journal_entries_pkey PRIMARY KEY (id);

--
-- Name: journal_entry_areas journal_entry_areas_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.journal_entry_areas
    ADD CONSTRAINT journal_entry_areas_pkey PRIMARY KEY (entry_id, area_id);

--
-- Name: key_results key_results_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.key_results
    ADD CONSTRAINT key_results_pkey PRIMARY KEY (id);

--
-- Name: life_areas life_areas_code_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.life_areas
    ADD CONSTRAINT life_areas_code_key UNIQUE (code);

--
-- Name: life_areas life_areas_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.life_areas
    ADD CONSTRAINT life_areas_pkey PRIMARY KEY (id);

--
-- Name: marketplace_inventory marketplace_inventory_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_inventory
    ADD CONSTRAINT marketplace_inventory_pkey PRIMARY KEY (item_id);

--
-- Name: marketplace_item_audit marketplace_item_audit_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_item_audit
    ADD CONSTRAINT marketplace_item_audit_pkey PRIMARY KEY (id);

--
-- Name: marketplace_items marketplace_items_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_items
    ADD CONSTRAINT marketplace_items_pkey PRIMARY KEY (id);

--
-- Name: marketplace_purchases marketplace_purchases_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_purchases
    ADD CONSTRAINT marketplace_purchases_pkey PRIMARY KEY (id);

--
-- Name: message_deletions message_deletions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.message_deletions
    ADD CONSTRAINT message_deletions_pkey PRIMARY KEY (message_id, user_id);

--
-- Name: moderation_actions moderation_actions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.moderation_actions
    ADD CONSTRAINT moderation_actions_pkey PRIMARY KEY (id);

--
-- Name: module_progress module_progress_once_per_module; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.module_progress
    ADD CONSTRAINT module_progress_once_per_module UNIQUE (user_id, module_name);

--
-- Name: module_progress module_progress_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.module_progress
    ADD CONSTRAINT module_progress_pkey PRIMARY KEY (id);

--
-- Name: notification_deliveries notification_deliveries_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_deliveries
    ADD CONSTRAINT notification_deliveries_pkey PRIMARY KEY (id);

--
-- Name: notification_events notification_event_once; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_events
    ADD CONSTRAINT notification_event_once UNIQUE (user_id, type, dedupe_key);

--
-- Name: notification_events notification_events_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_events
    ADD CONSTRAINT notification_events_pkey PRIMARY KEY (id);

--
-- Name: notification_preferences notification_preferences_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_preferences
    ADD CONSTRAINT notification_preferences_pkey PRIMARY KEY (user_id, type, channel);

--
-- Name: notification_settings notification_settings_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_settings
    ADD CONSTRAINT notification_settings_pkey PRIMARY KEY (user_id);

--
-- Name: notification_templates notification_templates_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_templates
    ADD CONSTRAINT notification_templates_pkey PRIMARY KEY (id);

--
-- Name: notification_types notification_types_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_types
    ADD CONSTRAINT notification_types_pkey PRIMARY KEY (code);

--
-- Name: notifications notifications_delivery_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notifications
    ADD CONSTRAINT notifications_delivery_id_key UNIQUE (delivery_id);

--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);

--
-- Name: personal_records personal_record_one_best; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.personal_records
    ADD CONSTRAINT personal_record_one_best EXCLUDE USING btree (user_id WITH =, category WITH =) WHERE (is_personal_best) DEFERRABLE INITIALLY DEFERRED;

--
-- Name: personal_records personal_records_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.personal_records
    ADD CONSTRAINT personal_records_pkey PRIMARY KEY (id);

--
-- Name: point_accounts point_accounts_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_accounts
    ADD CONSTRAINT point_accounts_pkey PRIMARY KEY (user_id);

--
-- Name: point_earning_rules point_earning_rules_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_earning_rules
    ADD CONSTRAINT point_earning_rules_pkey PRIMARY KEY (code);

--
-- Name: point_transactions point_transactions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_transactions
    ADD CONSTRAINT point_transactions_pkey PRIMARY KEY (id);

--
-- Name: privacy_settings privacy_settings_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.privacy_settings
    ADD CONSTRAINT privacy_settings_pkey PRIMARY KEY (user_id);

--
-- Name: profile_stats_daily profile_stats_daily_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.profile_stats_daily
    ADD CONSTRAINT profile_stats_daily_pkey PRIMARY KEY (user_id, stat_date);

--
-- Name: marketplace_purchases purchase_idempotency_key_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_purchases
    ADD CONSTRAINT purchase_idempotency_key_unique UNIQUE (user_id, idempotency_key);

--
-- Name: CONSTRAINT purchase_idempotency_key_unique ON marketplace_purchases; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT purchase_idempotency_key_unique ON app_public.marketplace_purchases IS '@behavior -single -update -delete
One purchase per key and buyer.';

--
-- Name: push_subscriptions push_subscription_once; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.push_subscriptions
    ADD CONSTRAINT push_subscription_once UNIQUE (user_id, endpoint);

--
-- Name: push_subscriptions push_subscriptions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_pkey PRIMARY KEY (id);

--
-- Name: relationship_interactions relationship_interactions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.relationship_interactions
    ADD CONSTRAINT relationship_interactions_pkey PRIMARY KEY (id);

--
-- Name: relationships relationships_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.relationships
    ADD CONSTRAINT relationships_id_user_id_key UNIQUE (id, user_id);

--
-- Name: CONSTRAINT relationships_id_user_id_key ON relationships; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT relationships_id_user_id_key ON app_public.relationships IS '@behavior -single -update -delete
Exists for the foreign keys of interactions (id, user_id), which keep them with the same owner; rows are fetched by their own key.';

--
-- Name: relationships relationships_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.relationships
    ADD CONSTRAINT relationships_pkey PRIMARY KEY (id);

--
-- Name: reviews review_once_per_period; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.reviews
    ADD CONSTRAINT review_once_per_period UNIQUE (user_id, kind, period_start);

--
-- Name: reviews reviews_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.reviews
    ADD CONSTRAINT reviews_pkey PRIMARY KEY (id);

--
-- Name: competition_reward_grants reward_grant_once; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT reward_grant_once UNIQUE (reward_id, user_id);

--
-- Name: CONSTRAINT reward_grant_once ON competition_reward_grants; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT reward_grant_once ON app_public.competition_reward_grants IS '@behavior -single -update -delete
One grant per reward and winner.';

--
-- Name: ritual_completions ritual_completion_once_per_slot; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.ritual_completions
    ADD CONSTRAINT ritual_completion_once_per_slot UNIQUE (ritual_id, slot_start);

--
-- Name: ritual_completions ritual_completions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.ritual_completions
    ADD CONSTRAINT ritual_completions_pkey PRIMARY KEY (id);

--
-- Name: ritual_streaks ritual_streaks_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.ritual_streaks
    ADD CONSTRAINT ritual_streaks_pkey PRIMARY KEY (ritual_id, started_on);

--
-- Name: rituals rituals_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.rituals
    ADD CONSTRAINT rituals_id_user_id_key UNIQUE (id, user_id);

--
-- Name: CONSTRAINT rituals_id_user_id_key ON rituals; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT rituals_id_user_id_key ON app_public.rituals IS '@behavior -single -update -delete
Exists for the foreign keys of completions and streaks (id, user_id), which keep them with the same owner; rows are fetched by their own key.';

--
-- Name: rituals rituals_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.rituals
    ADD CONSTRAINT rituals_pkey PRIMARY KEY (id);

--
-- Name: competition_rounds round_competition_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rounds
    ADD CONSTRAINT round_competition_key UNIQUE (id, competition_id);

--
-- Name: CONSTRAINT round_competition_key ON competition_rounds; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT round_competition_key ON app_public.competition_rounds IS '@behavior -single -update -delete
Keeps scores with a round of their own competition.';

--
-- Name: competition_rounds round_position_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rounds
    ADD CONSTRAINT round_position_unique UNIQUE (competition_id, "position");

--
-- Name: CONSTRAINT round_position_unique ON competition_rounds; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT round_position_unique ON app_public.competition_rounds IS 'One round per position in a competition.';

--
-- Name: scores scores_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.scores
    ADD CONSTRAINT scores_pkey PRIMARY KEY (id);

--
-- Name: storage_buckets storage_buckets_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.storage_buckets
    ADD CONSTRAINT storage_buckets_pkey PRIMARY KEY (id);

--
-- Name: notification_templates template_version_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_templates
    ADD CONSTRAINT template_version_unique UNIQUE (type, channel, locale, version);

--
-- Name: user_achievements user_achievement_id_unique; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_achievements
    ADD CONSTRAINT user_achievement_id_unique UNIQUE (id);

--
-- Name: CONSTRAINT user_achievement_id_unique ON user_achievements; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT user_achievement_id_unique ON app_public.user_achievements IS '@behavior -single -update -delete
Exists for the ledger and the feed, which name an award by its id; rows are fetched by user and code.';

--
-- Name: user_achievements user_achievements_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_achievements
    ADD CONSTRAINT user_achievements_pkey PRIMARY KEY (user_id, achievement_code);

--
-- Name: user_area_weights user_area_weights_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_area_weights
    ADD CONSTRAINT user_area_weights_pkey PRIMARY KEY (user_id, area_id);

--
-- Name: user_emails user_email_once_per_user; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_emails
    ADD CONSTRAINT user_email_once_per_user UNIQUE (user_id, email);

--
-- Name: CONSTRAINT user_email_once_per_user ON user_emails; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT user_email_once_per_user ON app_public.user_emails IS '@behavior -single -update -delete
An address appears once per user.';

--
-- Name: user_emails user_emails_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_emails
    ADD CONSTRAINT user_emails_pkey PRIMARY KEY (id);

--
-- Name: user_locations user_locations_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_locations
    ADD CONSTRAINT user_locations_pkey PRIMARY KEY (user_id);

--
-- Name: user_settings user_settings_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_settings
    ADD CONSTRAINT user_settings_pkey PRIMARY KEY (user_id);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: users users_username_key; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.users
    ADD CONSTRAINT users_username_key UNIQUE (username);

--
-- Name: webhook_endpoints webhook_endpoints_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (id);

--
-- Name: webhook_endpoints webhook_url_https; Type: CHECK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE app_public.webhook_endpoints
    ADD CONSTRAINT webhook_url_https CHECK (((url ~ '^https://'::text) OR (url ~ '^http://(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?(/|$)'::text))) NOT VALID;

--
-- Name: CONSTRAINT webhook_url_https ON webhook_endpoints; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT webhook_url_https ON app_public.webhook_endpoints IS 'A webhook URL is https:// (plain http only to this machine).';

--
-- Name: wellness_entries wellness_entries_pkey; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.wellness_entries
    ADD CONSTRAINT wellness_entries_pkey PRIMARY KEY (id);

--
-- Name: wellness_entries wellness_entry_once_per_day; Type: CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.wellness_entries
    ADD CONSTRAINT wellness_entry_once_per_day UNIQUE (user_id, entry_date);

--
-- Name: account_tokens_email_id_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX account_tokens_email_id_idx ON app_private.account_tokens USING btree (email_id);

--
-- Name: account_tokens_user_id_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX account_tokens_user_id_idx ON app_private.account_tokens USING btree (user_id);

--
-- Name: community_metrics_daily_key; Type: INDEX; Schema: app_private; Owner: -
--

CREATE UNIQUE INDEX community_metrics_daily_key ON app_private.community_metrics_daily USING btree (community_id, day);

--
-- Name: competition_round_totals_participant_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX competition_round_totals_participant_idx ON app_private.competition_round_totals USING btree (competition_id, user_id);

--
-- Name: provider_callbacks_delivery_id_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX provider_callbacks_delivery_id_idx ON app_private.provider_callbacks USING btree (delivery_id);

--
-- Name: rate_limits_expire_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX rate_limits_expire_idx ON app_private.rate_limits USING btree (expire);

--
-- Name: realtime_log_created_at_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX realtime_log_created_at_idx ON app_private.realtime_log USING brin (created_at);

--
-- Name: refresh_tokens_session_id_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX refresh_tokens_session_id_idx ON app_private.refresh_tokens USING btree (session_id);

--
-- Name: retention_runs_task_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX retention_runs_task_idx ON app_private.retention_runs USING btree (task, ran_at DESC);

--
-- Name: sessions_prunable_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX sessions_prunable_idx ON app_private.sessions USING btree (COALESCE(revoked_at, expires_at));

--
-- Name: sessions_user_id_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX sessions_user_id_idx ON app_private.sessions USING btree (user_id);

--
-- Name: webhook_secrets_endpoint_id_idx; Type: INDEX; Schema: app_private; Owner: -
--

CREATE INDEX webhook_secrets_endpoint_id_idx ON app_private.webhook_secrets USING btree (endpoint_id);

--
-- Name: achievement_definitions_event_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX achievement_definitions_event_idx ON app_public.achievement_definitions USING btree (event, threshold);

--
-- Name: activity_events_actor_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_events_actor_idx ON app_public.activity_events USING btree (actor_id, created_at DESC, id DESC);

--
-- Name: activity_events_community_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_events_community_idx ON app_public.activity_events USING btree (community_id, created_at DESC, id DESC) WHERE (community_id IS NOT NULL);

--
-- Name: activity_events_dedupe; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX activity_events_dedupe ON app_public.activity_events USING btree (actor_id, dedupe_key) WHERE (dedupe_key IS NOT NULL);

--
-- Name: activity_events_hidden_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_events_hidden_by_idx ON app_public.activity_events USING btree (hidden_by) WHERE (hidden_by IS NOT NULL);

--
-- Name: activity_events_public_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_events_public_idx ON app_public.activity_events USING btree (created_at DESC, id DESC) WHERE ((visibility = 'public'::app_public.activity_visibility) AND (deleted_at IS NULL) AND (hidden_at IS NULL));

--
-- Name: activity_events_shared_actor_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_events_shared_actor_idx ON app_public.activity_events USING btree (actor_id, created_at DESC, id DESC) INCLUDE (visibility, community_id) WHERE ((visibility <> 'private'::app_public.activity_visibility) AND (deleted_at IS NULL) AND (hidden_at IS NULL));

--
-- Name: activity_events_verb_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_events_verb_idx ON app_public.activity_events USING btree (verb);

--
-- Name: activity_hides_event_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX activity_hides_event_id_idx ON app_public.activity_hides USING btree (event_id);

--
-- Name: api_keys_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX api_keys_user_id_idx ON app_public.api_keys USING btree (user_id);

--
-- Name: audit_log_action_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX audit_log_action_idx ON app_public.audit_log USING btree (action, occurred_at DESC);

--
-- Name: audit_log_actor_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX audit_log_actor_idx ON app_public.audit_log USING btree (actor_id, occurred_at DESC);

--
-- Name: audit_log_occurred_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX audit_log_occurred_at_idx ON app_public.audit_log USING btree (occurred_at DESC);

--
-- Name: autobiography_chapters_user_id_position_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX autobiography_chapters_user_id_position_idx ON app_public.autobiography_chapters USING btree (user_id, "position");

--
-- Name: blocks_blocked_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX blocks_blocked_id_idx ON app_public.blocks USING btree (blocked_id);

--
-- Name: coaching_conversations_user_id_last_message_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX coaching_conversations_user_id_last_message_at_idx ON app_public.coaching_conversations USING btree (user_id, last_message_at DESC);

--
-- Name: coaching_messages_conversation_id_user_id_created_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX coaching_messages_conversation_id_user_id_created_at_idx ON app_public.coaching_messages USING btree (conversation_id, user_id, created_at);

--
-- Name: coaching_messages_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX coaching_messages_user_id_idx ON app_public.coaching_messages USING btree (user_id);

--
-- Name: communities_founder_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX communities_founder_id_idx ON app_public.communities USING btree (founder_id);

--
-- Name: community_invites_community_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX community_invites_community_id_idx ON app_public.community_invites USING btree (community_id);

--
-- Name: community_invites_created_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX community_invites_created_by_idx ON app_public.community_invites USING btree (created_by);

--
-- Name: community_join_requests_decided_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX community_join_requests_decided_by_idx ON app_public.community_join_requests USING btree (decided_by);

--
-- Name: community_join_requests_open; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX community_join_requests_open ON app_public.community_join_requests USING btree (community_id, user_id) WHERE (status = 'pending'::app_public.join_request_status);

--
-- Name: community_join_requests_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX community_join_requests_user_id_idx ON app_public.community_join_requests USING btree (user_id);

--
-- Name: community_members_one_founder; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX community_members_one_founder ON app_public.community_members USING btree (community_id) WHERE (role = 'founder'::app_public.community_role);

--
-- Name: community_members_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX community_members_user_id_idx ON app_public.community_members USING btree (user_id);

--
-- Name: competition_participants_standing_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_participants_standing_idx ON app_public.competition_participants USING btree (competition_id, score DESC);

--
-- Name: competition_participants_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_participants_user_id_idx ON app_public.competition_participants USING btree (user_id);

--
-- Name: competition_reward_grants_competition_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_reward_grants_competition_idx ON app_public.competition_reward_grants USING btree (competition_id);

--
-- Name: competition_reward_grants_point_transaction_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_reward_grants_point_transaction_idx ON app_public.competition_reward_grants USING btree (point_transaction_id);

--
-- Name: competition_reward_grants_purchase_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_reward_grants_purchase_idx ON app_public.competition_reward_grants USING btree (purchase_id);

--
-- Name: competition_reward_grants_user_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_reward_grants_user_idx ON app_public.competition_reward_grants USING btree (user_id);

--
-- Name: competition_rewards_competition_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_rewards_competition_id_idx ON app_public.competition_rewards USING btree (competition_id);

--
-- Name: competition_rewards_item_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_rewards_item_id_idx ON app_public.competition_rewards USING btree (item_id);

--
-- Name: competition_scores_computed_once; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX competition_scores_computed_once ON app_public.competition_scores USING btree (round_id, user_id) WHERE is_computed;

--
-- Name: competition_scores_participant_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_scores_participant_idx ON app_public.competition_scores USING btree (competition_id, user_id, round_id) INCLUDE (value, is_computed);

--
-- Name: competition_scores_round_competition_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_scores_round_competition_idx ON app_public.competition_scores USING btree (round_id, competition_id);

--
-- Name: competition_scores_round_user_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competition_scores_round_user_idx ON app_public.competition_scores USING btree (round_id, user_id);

--
-- Name: competitions_community_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competitions_community_id_idx ON app_public.competitions USING btree (community_id);

--
-- Name: competitions_created_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competitions_created_by_idx ON app_public.competitions USING btree (created_by);

--
-- Name: competitions_status_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX competitions_status_idx ON app_public.competitions USING btree (status, starts_at);

--
-- Name: content_reports_event_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX content_reports_event_id_idx ON app_public.content_reports USING btree (event_id);

--
-- Name: content_reports_message_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX content_reports_message_id_idx ON app_public.content_reports USING btree (message_id);

--
-- Name: content_reports_reporter_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX content_reports_reporter_id_idx ON app_public.content_reports USING btree (reporter_id);

--
-- Name: conversation_members_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX conversation_members_user_id_idx ON app_public.conversation_members USING btree (user_id);

--
-- Name: conversations_user_high_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX conversations_user_high_idx ON app_public.conversations USING btree (user_high);

--
-- Name: data_exports_expires_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX data_exports_expires_at_idx ON app_public.data_exports USING btree (expires_at) WHERE (status = 'ready'::app_public.data_export_status);

--
-- Name: data_exports_file_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX data_exports_file_id_idx ON app_public.data_exports USING btree (file_id) WHERE (file_id IS NOT NULL);

--
-- Name: data_exports_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX data_exports_user_id_idx ON app_public.data_exports USING btree (user_id, requested_at DESC);

--
-- Name: delivery_attempts_delivery_id_attempt_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX delivery_attempts_delivery_id_attempt_idx ON app_public.delivery_attempts USING btree (delivery_id, attempt);

--
-- Name: delivery_attempts_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX delivery_attempts_user_id_idx ON app_public.delivery_attempts USING btree (user_id);

--
-- Name: direct_messages_conversation_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX direct_messages_conversation_idx ON app_public.direct_messages USING btree (conversation_id, created_at DESC, id DESC);

--
-- Name: direct_messages_sender_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX direct_messages_sender_idx ON app_public.direct_messages USING btree (sender_id, created_at);

--
-- Name: files_expires_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX files_expires_at_idx ON app_public.files USING btree (expires_at) WHERE (expires_at IS NOT NULL);

--
-- Name: files_journal_entry_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX files_journal_entry_id_idx ON app_public.files USING btree (journal_entry_id) WHERE (journal_entry_id IS NOT NULL);

--
-- Name: files_message_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX files_message_id_idx ON app_public.files USING btree (message_id) WHERE (message_id IS NOT NULL);

--
-- Name: files_owner_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX files_owner_id_idx ON app_public.files USING btree (owner_id, bucket, status);

--
-- Name: files_pending_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX files_pending_idx ON app_public.files USING btree (created_at) WHERE (status = 'pending'::app_public.file_status);

--
-- Name: follows_followee_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX follows_followee_id_idx ON app_public.follows USING btree (followee_id);

--
-- Name: forgiveness_logs_user_id_status_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX forgiveness_logs_user_id_status_idx ON app_public.forgiveness_logs USING btree (user_id, status);

--
-- Name: friend_request_open_per_pair; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX friend_request_open_per_pair ON app_public.friend_requests USING btree (LEAST(requester_id, recipient_id), GREATEST(requester_id, recipient_id)) WHERE (status = 'pending'::app_public.friend_request_status);

--
-- Name: friend_requests_recipient_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX friend_requests_recipient_idx ON app_public.friend_requests USING btree (recipient_id, status);

--
-- Name: friend_requests_requester_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX friend_requests_requester_idx ON app_public.friend_requests USING btree (requester_id, status);

--
-- Name: friendships_friend_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX friendships_friend_id_idx ON app_public.friendships USING btree (friend_id);

--
-- Name: friendships_source_request_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX friendships_source_request_id_idx ON app_public.friendships USING btree (source_request_id);

--
-- Name: goals_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX goals_area_id_idx ON app_public.goals USING btree (area_id);

--
-- Name: goals_user_id_status_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX goals_user_id_status_idx ON app_public.goals USING btree (user_id, status);

--
-- Name: goals_user_id_target_date_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX goals_user_id_target_date_idx ON app_public.goals USING btree (user_id, target_date);

--
-- Name: integrity_logs_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX integrity_logs_area_id_idx ON app_public.integrity_logs USING btree (area_id);

--
-- Name: integrity_logs_user_id_outcome_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX integrity_logs_user_id_outcome_idx ON app_public.integrity_logs USING btree (user_id, outcome);

--
-- Name: journal_entries_tags_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX journal_entries_tags_idx ON app_public.journal_entries USING gin (tags);

--
-- Name: journal_entries_user_id_entry_date_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX journal_entries_user_id_entry_date_idx ON app_public.journal_entries USING btree (user_id, entry_date DESC);

--
-- Name: journal_entry_areas_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX journal_entry_areas_area_id_idx ON app_public.journal_entry_areas USING btree (area_id);

--
-- Name: journal_entry_areas_entry_id_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX journal_entry_areas_entry_id_user_id_idx ON app_public.journal_entry_areas USING btree (entry_id, user_id);

--
-- Name: journal_entry_areas_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX journal_entry_areas_user_id_idx ON app_public.journal_entry_areas USING btree (user_id);

--
-- Name: key_results_goal_id_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX key_results_goal_id_user_id_idx ON app_public.key_results USING btree (goal_id, user_id);

--
-- Name: key_results_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX key_results_user_id_idx ON app_public.key_results USING btree (user_id);

--
-- Name: life_areas_position_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX life_areas_position_idx ON app_public.life_areas USING btree ("position");

--
-- Name: marketplace_item_audit_changed_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX marketplace_item_audit_changed_by_idx ON app_public.marketplace_item_audit USING btree (changed_by);

--
-- Name: marketplace_item_audit_item_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX marketplace_item_audit_item_idx ON app_public.marketplace_item_audit USING btree (item_id, changed_at DESC);

--
-- Name: marketplace_items_community_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX marketplace_items_community_id_idx ON app_public.marketplace_items USING btree (community_id);

--
-- Name: marketplace_items_created_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX marketplace_items_created_by_idx ON app_public.marketplace_items USING btree (created_by);

--
-- Name: marketplace_purchases_item_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX marketplace_purchases_item_id_idx ON app_public.marketplace_purchases USING btree (item_id, created_at);

--
-- Name: marketplace_purchases_user_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX marketplace_purchases_user_idx ON app_public.marketplace_purchases USING btree (user_id, created_at DESC);

--
-- Name: message_deletions_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX message_deletions_user_id_idx ON app_public.message_deletions USING btree (user_id);

--
-- Name: moderation_actions_created_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX moderation_actions_created_at_idx ON app_public.moderation_actions USING btree (created_at DESC);

--
-- Name: moderation_actions_event_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX moderation_actions_event_id_idx ON app_public.moderation_actions USING btree (event_id);

--
-- Name: moderation_actions_message_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX moderation_actions_message_id_idx ON app_public.moderation_actions USING btree (message_id);

--
-- Name: moderation_actions_moderator_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX moderation_actions_moderator_id_idx ON app_public.moderation_actions USING btree (moderator_id);

--
-- Name: notification_deliveries_dead_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_deliveries_dead_idx ON app_public.notification_deliveries USING btree (status_changed_at) WHERE (status = 'dead'::app_public.delivery_status);

--
-- Name: notification_deliveries_digest_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_deliveries_digest_id_idx ON app_public.notification_deliveries USING btree (digest_id);

--
-- Name: notification_deliveries_event_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_deliveries_event_id_idx ON app_public.notification_deliveries USING btree (event_id);

--
-- Name: notification_deliveries_held_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_deliveries_held_idx ON app_public.notification_deliveries USING btree (user_id, channel) WHERE (status = 'held'::app_public.delivery_status);

--
-- Name: notification_deliveries_provider_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX notification_deliveries_provider_idx ON app_public.notification_deliveries USING btree (provider_message_id) WHERE (provider_message_id IS NOT NULL);

--
-- Name: notification_deliveries_user_sent_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_deliveries_user_sent_idx ON app_public.notification_deliveries USING btree (user_id, channel, sent_at);

--
-- Name: notification_events_type_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_events_type_idx ON app_public.notification_events USING btree (type);

--
-- Name: notification_events_user_id_created_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_events_user_id_created_at_idx ON app_public.notification_events USING btree (user_id, created_at DESC);

--
-- Name: notification_preferences_type_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notification_preferences_type_idx ON app_public.notification_preferences USING btree (type);

--
-- Name: notifications_read_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notifications_read_idx ON app_public.notifications USING btree (read_at) WHERE (read_at IS NOT NULL);

--
-- Name: notifications_unread_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notifications_unread_idx ON app_public.notifications USING btree (user_id, type) WHERE ((read_at IS NULL) AND (archived_at IS NULL));

--
-- Name: notifications_user_id_created_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX notifications_user_id_created_at_idx ON app_public.notifications USING btree (user_id, created_at DESC);

--
-- Name: personal_records_user_category_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX personal_records_user_category_idx ON app_public.personal_records USING btree (user_id, category);

--
-- Name: point_earning_rules_updated_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX point_earning_rules_updated_by_idx ON app_public.point_earning_rules USING btree (updated_by);

--
-- Name: point_transactions_created_by_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX point_transactions_created_by_idx ON app_public.point_transactions USING btree (created_by);

--
-- Name: point_transactions_once; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX point_transactions_once ON app_public.point_transactions USING btree (user_id, reason, source_type, source_id) WHERE (source_id IS NOT NULL);

--
-- Name: point_transactions_user_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX point_transactions_user_idx ON app_public.point_transactions USING btree (user_id, created_at DESC, id DESC);

--
-- Name: relationship_interactions_relationship_id_user_id_occurred__idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX relationship_interactions_relationship_id_user_id_occurred__idx ON app_public.relationship_interactions USING btree (relationship_id, user_id, occurred_at);

--
-- Name: relationship_interactions_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX relationship_interactions_user_id_idx ON app_public.relationship_interactions USING btree (user_id);

--
-- Name: relationships_user_id_status_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX relationships_user_id_status_idx ON app_public.relationships USING btree (user_id, status);

--
-- Name: ritual_completions_ritual_id_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX ritual_completions_ritual_id_user_id_idx ON app_public.ritual_completions USING btree (ritual_id, user_id);

--
-- Name: ritual_completions_user_id_completed_at_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX ritual_completions_user_id_completed_at_idx ON app_public.ritual_completions USING btree (user_id, completed_at);

--
-- Name: ritual_streaks_ritual_id_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX ritual_streaks_ritual_id_user_id_idx ON app_public.ritual_streaks USING btree (ritual_id, user_id);

--
-- Name: ritual_streaks_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX ritual_streaks_user_id_idx ON app_public.ritual_streaks USING btree (user_id);

--
-- Name: rituals_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX rituals_area_id_idx ON app_public.rituals USING btree (area_id);

--
-- Name: rituals_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX rituals_user_id_idx ON app_public.rituals USING btree (user_id);

--
-- Name: scores_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX scores_area_id_idx ON app_public.scores USING btree (area_id);

--
-- Name: scores_dimension_id_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX scores_dimension_id_area_id_idx ON app_public.scores USING btree (dimension_id, area_id) WHERE (dimension_id IS NOT NULL);

--
-- Name: scores_one_manual_per_day; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX scores_one_manual_per_day ON app_public.scores USING btree (user_id, area_id, dimension_id, score_date) NULLS NOT DISTINCT WHERE (source = 'manual'::app_public.score_source);

--
-- Name: scores_user_area_date_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX scores_user_area_date_idx ON app_public.scores USING btree (user_id, area_id, score_date);

--
-- Name: user_achievements_code_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX user_achievements_code_idx ON app_public.user_achievements USING btree (achievement_code);

--
-- Name: user_area_weights_area_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX user_area_weights_area_id_idx ON app_public.user_area_weights USING btree (area_id);

--
-- Name: user_emails_email_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX user_emails_email_idx ON app_public.user_emails USING btree (email);

--
-- Name: user_emails_one_primary; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX user_emails_one_primary ON app_public.user_emails USING btree (user_id) WHERE is_primary;

--
-- Name: user_emails_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX user_emails_user_id_idx ON app_public.user_emails USING btree (user_id);

--
-- Name: user_emails_verified_email; Type: INDEX; Schema: app_public; Owner: -
--

CREATE UNIQUE INDEX user_emails_verified_email ON app_public.user_emails USING btree (email) WHERE is_verified;

--
-- Name: user_locations_visible_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX user_locations_visible_idx ON app_public.user_locations USING btree (country_code, region_code) WHERE is_visible;

--
-- Name: users_display_name_trgm_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX users_display_name_trgm_idx ON app_public.users USING gin (display_name public.gin_trgm_ops);

--
-- Name: users_username_trgm_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX users_username_trgm_idx ON app_public.users USING gin (((username)::text) public.gin_trgm_ops);

--
-- Name: webhook_endpoints_user_id_idx; Type: INDEX; Schema: app_public; Owner: -
--

CREATE INDEX webhook_endpoints_user_id_idx ON app_public.webhook_endpoints USING btree (user_id);

--
-- Name: score_rollups_p0_pkey; Type: INDEX ATTACH; Schema: app_private; Owner: -
--

ALTER INDEX app_public.score_rollups_pkey ATTACH PARTITION app_private.score_rollups_p0_pkey;

--
-- Name: score_rollups_p1_pkey; Type: INDEX ATTACH; Schema: app_private; Owner: -
--

ALTER INDEX app_public.score_rollups_pkey ATTACH PARTITION app_private.score_rollups_p1_pkey;

--
-- Name: score_rollups_p2_pkey; Type: INDEX ATTACH; Schema: app_private; Owner: -
--

ALTER INDEX app_public.score_rollups_pkey ATTACH PARTITION app_private.score_rollups_p2_pkey;

--
-- Name: score_rollups_p3_pkey; Type: INDEX ATTACH; Schema: app_private; Owner: -
--

ALTER INDEX app_public.score_rollups_pkey ATTACH PARTITION app_private.score_rollups_p3_pkey;

--
-- Name: sessions _600_notify_deleted; Type: TRIGGER; Schema: app_private; Owner: -
--

CREATE TRIGGER _600_notify_deleted AFTER DELETE ON app_private.sessions FOR EACH ROW EXECUTE FUNCTION app_private.tg_sessions__notify_ended();

--
-- Name: sessions _600_notify_ended; Type: TRIGGER; Schema: app_private; Owner: -
--

CREATE TRIGGER _600_notify_ended AFTER UPDATE OF revoked_at, expires_at ON app_private.sessions FOR EACH ROW WHEN ((((new.revoked_at IS NOT NULL) AND (old.revoked_at IS NULL)) OR (new.expires_at < old.expires_at))) EXECUTE FUNCTION app_private.tg_sessions__notify_ended();

--
-- Name: user_flags _800_audit; Type: TRIGGER; Schema: app_private; Owner: -
--

CREATE TRIGGER _800_audit AFTER UPDATE OF is_admin ON app_private.user_flags FOR EACH ROW WHEN ((new.is_admin IS DISTINCT FROM old.is_admin)) EXECUTE FUNCTION app_private.tg__audit('identity.admin_changed');

--
-- Name: unqueued_deliveries _900_queue_jobs; Type: TRIGGER; Schema: app_private; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_queue_jobs AFTER INSERT ON app_private.unqueued_deliveries DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg_unqueued_deliveries__queue_jobs();

--
-- Name: scores _040_one_decimal; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _040_one_decimal BEFORE INSERT OR UPDATE OF score ON app_public.scores FOR EACH ROW EXECUTE FUNCTION app_private.tg_scores__one_decimal();

--
-- Name: scores _050_local_date; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _050_local_date BEFORE INSERT ON app_public.scores FOR EACH ROW EXECUTE FUNCTION app_private.tg_scores__local_date();

--
-- Name: ritual_completions _050_slot; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _050_slot BEFORE INSERT ON app_public.ritual_completions FOR EACH ROW EXECUTE FUNCTION app_private.tg_ritual_completions__slot();

--
-- Name: friendships _100_feed_inbox; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_feed_inbox BEFORE INSERT ON app_public.friendships FOR EACH ROW EXECUTE FUNCTION app_private.tg_friendships__fill_inbox();

--
-- Name: area_dimensions _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.area_dimensions FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: autobiography_chapters _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.autobiography_chapters FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: coaching_conversations _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.coaching_conversations FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: communities _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.communities FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: competition_reward_grants _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.competition_reward_grants FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: competitions _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.competitions FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: forgiveness_logs _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.forgiveness_logs FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: friend_requests _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.friend_requests FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: goals _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.goals FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: integrity_logs _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.integrity_logs FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: journal_entries _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.journal_entries FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: key_results _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.key_results FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: life_areas _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.life_areas FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: marketplace_items _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.marketplace_items FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: marketplace_purchases _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.marketplace_purchases FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: module_progress _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.module_progress FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: notification_preferences _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.notification_preferences FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: notification_settings _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.notification_settings FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: notification_types _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.notification_types FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: personal_records _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.personal_records FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: point_earning_rules _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.point_earning_rules FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: privacy_settings _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.privacy_settings FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: relationships _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.relationships FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: rituals _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.rituals FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: scores _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.scores FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: user_area_weights _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.user_area_weights FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: user_emails _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.user_emails FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: user_locations _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.user_locations FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: user_settings _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.user_settings FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: users _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: webhook_endpoints _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.webhook_endpoints FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: wellness_entries _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.wellness_entries FOR EACH ROW EXECUTE FUNCTION app_private.tg__timestamps();

--
-- Name: point_transactions _200_balance; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_balance BEFORE INSERT ON app_public.point_transactions FOR EACH ROW EXECUTE FUNCTION app_private.tg_point_transactions__balance();

--
-- Name: personal_records _200_best; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_best BEFORE INSERT OR UPDATE OF value, category, higher_is_better, achieved_on ON app_public.personal_records FOR EACH ROW EXECUTE FUNCTION app_private.tg_personal_records__best_of_row();

--
-- Name: marketplace_items _200_created_by; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_created_by BEFORE INSERT ON app_public.marketplace_items FOR EACH ROW EXECUTE FUNCTION app_private.tg_marketplace_items__created_by();

--
-- Name: rituals _200_days_of_week; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_days_of_week BEFORE INSERT ON app_public.rituals FOR EACH ROW EXECUTE FUNCTION app_private.tg_rituals__days_of_week();

--
-- Name: community_members _200_keep_founder; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_keep_founder BEFORE DELETE OR UPDATE OF role ON app_public.community_members FOR EACH ROW EXECUTE FUNCTION app_private.tg_community_members__keep_founder();

--
-- Name: goals _200_progress; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_progress BEFORE INSERT OR UPDATE ON app_public.goals FOR EACH ROW EXECUTE FUNCTION app_private.tg_goals__progress();

--
-- Name: forgiveness_logs _200_released; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_released BEFORE INSERT OR UPDATE ON app_public.forgiveness_logs FOR EACH ROW EXECUTE FUNCTION app_private.tg_forgiveness_logs__released();

--
-- Name: point_earning_rules _200_updated_by; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_updated_by BEFORE UPDATE ON app_public.point_earning_rules FOR EACH ROW EXECUTE FUNCTION app_private.tg_point_earning_rules__updated_by();

--
-- Name: competition_rounds _200_validate; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_validate BEFORE INSERT OR UPDATE ON app_public.competition_rounds FOR EACH ROW EXECUTE FUNCTION app_private.tg_competition_rounds__validate();

--
-- Name: competitions _200_validate; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_validate BEFORE UPDATE ON app_public.competitions FOR EACH ROW EXECUTE FUNCTION app_private.tg_competitions__validate();

--
-- Name: files _200_validate; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_validate BEFORE INSERT ON app_public.files FOR EACH ROW EXECUTE FUNCTION app_private.tg_files__validate();

--
-- Name: notification_templates _200_validate; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _200_validate BEFORE INSERT OR UPDATE ON app_public.notification_templates FOR EACH ROW EXECUTE FUNCTION app_private.tg_notification_templates__validate();

--
-- Name: journal_entries _500_analyse; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_analyse AFTER INSERT OR UPDATE OF content_md ON app_public.journal_entries FOR EACH ROW EXECUTE FUNCTION app_private.tg_journal_entries__analyse();

--
-- Name: marketplace_inventory _500_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_audit AFTER INSERT OR DELETE OR UPDATE ON app_public.marketplace_inventory FOR EACH ROW EXECUTE FUNCTION app_private.tg_marketplace_inventory__audit();

--
-- Name: marketplace_items _500_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_audit AFTER INSERT OR UPDATE ON app_public.marketplace_items FOR EACH ROW EXECUTE FUNCTION app_private.tg_marketplace_items__audit();

--
-- Name: achievement_definitions _500_award_reached; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_award_reached AFTER INSERT OR UPDATE OF event, threshold ON app_public.achievement_definitions FOR EACH ROW EXECUTE FUNCTION app_private.tg_achievement_definitions__award_reached();

--
-- Name: personal_records _500_best; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_best AFTER INSERT OR DELETE OR UPDATE OF value, category, higher_is_better, achieved_on ON app_public.personal_records FOR EACH ROW EXECUTE FUNCTION app_private.tg_personal_records__best();

--
-- Name: ritual_completions _500_competition_streaks; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_competition_streaks AFTER INSERT OR DELETE ON app_public.ritual_completions FOR EACH ROW EXECUTE FUNCTION app_private.tg_ritual_completions__competition_streaks();

--
-- Name: coaching_messages _500_count; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_count AFTER INSERT OR DELETE ON app_public.coaching_messages FOR EACH ROW EXECUTE FUNCTION app_private.tg_coaching_messages__count();

--
-- Name: follows _500_counts; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_counts AFTER INSERT OR DELETE ON app_public.follows FOR EACH ROW EXECUTE FUNCTION app_private.tg_follows__counts();

--
-- Name: friendships _500_counts; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_counts AFTER INSERT OR DELETE ON app_public.friendships FOR EACH ROW EXECUTE FUNCTION app_private.tg_friendships__counts();

--
-- Name: users _500_create_settings; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_create_settings AFTER INSERT ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg_users__create_settings();

--
-- Name: direct_messages _500_delete_attachments; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_delete_attachments AFTER UPDATE OF deleted_at ON app_public.direct_messages FOR EACH ROW WHEN (((new.deleted_at IS NOT NULL) AND (old.deleted_at IS NULL))) EXECUTE FUNCTION app_private.tg_direct_messages__delete_attachments();

--
-- Name: files _500_delete_object; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_delete_object AFTER DELETE ON app_public.files FOR EACH ROW EXECUTE FUNCTION app_private.tg_files__delete_object();

--
-- Name: key_results _500_goal_progress; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_goal_progress AFTER INSERT OR DELETE OR UPDATE ON app_public.key_results FOR EACH ROW EXECUTE FUNCTION app_private.tg_key_results__goal_progress();

--
-- Name: community_members _500_member_count; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_member_count AFTER INSERT OR DELETE ON app_public.community_members FOR EACH ROW EXECUTE FUNCTION app_private.tg_community_members__count();

--
-- Name: competition_participants _500_participant_count; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_participant_count AFTER INSERT OR DELETE ON app_public.competition_participants FOR EACH ROW EXECUTE FUNCTION app_private.tg_competition_participants__count();

--
-- Name: privacy_settings _500_profile_visibility; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_profile_visibility AFTER INSERT OR UPDATE OF profile_visibility ON app_public.privacy_settings FOR EACH ROW EXECUTE FUNCTION app_private.tg_privacy_settings__profile_visibility();

--
-- Name: scores _500_queue_rollup_delete; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_queue_rollup_delete AFTER DELETE ON app_public.scores REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_scores__queue_rollup();

--
-- Name: scores _500_queue_rollup_insert; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_queue_rollup_insert AFTER INSERT ON app_public.scores REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_scores__queue_rollup();

--
-- Name: scores _500_queue_rollup_update; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_queue_rollup_update AFTER UPDATE ON app_public.scores REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_scores__queue_rollup();

--
-- Name: files _500_replace_avatar; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_replace_avatar AFTER UPDATE OF status ON app_public.files FOR EACH ROW WHEN (((new.bucket = 'avatars'::app_public.file_bucket) AND (new.status = 'ready'::app_public.file_status) AND (old.status = 'pending'::app_public.file_status))) EXECUTE FUNCTION app_private.tg_files__replace_avatar();

--
-- Name: competition_rounds _500_standings; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_standings AFTER UPDATE OF weight, scoring ON app_public.competition_rounds FOR EACH ROW WHEN (((new.weight IS DISTINCT FROM old.weight) OR (new.scoring IS DISTINCT FROM old.scoring))) EXECUTE FUNCTION app_private.tg_competition_rounds__standings();

--
-- Name: competition_scores _500_standings; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_standings AFTER INSERT OR DELETE OR UPDATE ON app_public.competition_scores FOR EACH ROW EXECUTE FUNCTION app_private.tg_competition_scores__standings();

--
-- Name: ritual_completions _500_streaks; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_streaks AFTER INSERT OR DELETE ON app_public.ritual_completions FOR EACH ROW EXECUTE FUNCTION app_private.tg_ritual_completions__streaks();

--
-- Name: user_emails _500_verify; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _500_verify AFTER INSERT ON app_public.user_emails FOR EACH ROW WHEN ((NOT new.is_verified)) EXECUTE FUNCTION app_private.tg_user_emails__verify();

--
-- Name: users _510_notification_settings; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _510_notification_settings AFTER INSERT ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg_users__notification_settings();

--
-- Name: users _520_point_account; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _520_point_account AFTER INSERT ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg_users__point_account();

--
-- Name: users _520_privacy_settings; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _520_privacy_settings AFTER INSERT ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg_users__privacy_settings();

--
-- Name: users _530_profile_counts; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _530_profile_counts AFTER INSERT ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg_users__profile_counts();

--
-- Name: competition_reward_grants _550_achievements; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _550_achievements AFTER INSERT ON app_public.competition_reward_grants REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_competition_reward_grants__achievements();

--
-- Name: friendships _550_achievements; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _550_achievements AFTER INSERT ON app_public.friendships FOR EACH ROW EXECUTE FUNCTION app_private.tg_friendships__achievements();

--
-- Name: journal_entries _550_achievements; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _550_achievements AFTER INSERT ON app_public.journal_entries REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_journal_entries__achievements();

--
-- Name: marketplace_purchases _550_achievements; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _550_achievements AFTER INSERT OR UPDATE OF status ON app_public.marketplace_purchases FOR EACH ROW EXECUTE FUNCTION app_private.tg_marketplace_purchases__achievements();

--
-- Name: ritual_streaks _550_achievements; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _550_achievements AFTER INSERT ON app_public.ritual_streaks REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_ritual_streaks__achievements();

--
-- Name: competitions _600_jobs; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_jobs AFTER INSERT OR UPDATE OF status, starts_at, ends_at ON app_public.competitions FOR EACH ROW EXECUTE FUNCTION app_private.tg_competitions__jobs();

--
-- Name: goals _600_points; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_points AFTER INSERT OR UPDATE OF status ON app_public.goals FOR EACH ROW WHEN ((new.status = 'done'::app_public.goal_status)) EXECUTE FUNCTION app_private.tg_goals__points();

--
-- Name: journal_entries _600_points; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_points AFTER INSERT ON app_public.journal_entries FOR EACH ROW EXECUTE FUNCTION app_private.tg_journal_entries__points();

--
-- Name: ritual_completions _600_points; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_points AFTER INSERT ON app_public.ritual_completions FOR EACH ROW EXECUTE FUNCTION app_private.tg_ritual_completions__points();

--
-- Name: reviews _600_ready; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_ready AFTER INSERT OR UPDATE OF generated_at ON app_public.reviews FOR EACH ROW EXECUTE FUNCTION app_private.tg_reviews__ready();

--
-- Name: goals _600_reminders; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_reminders AFTER INSERT OR DELETE OR UPDATE OF target_date ON app_public.goals FOR EACH ROW EXECUTE FUNCTION app_private.tg__schedule_reminders();

--
-- Name: rituals _600_reminders; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_reminders AFTER INSERT OR DELETE OR UPDATE OF reminder_enabled, reminder_time, is_active ON app_public.rituals FOR EACH ROW EXECUTE FUNCTION app_private.tg__schedule_reminders();

--
-- Name: user_settings _600_reminders; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_reminders AFTER UPDATE OF timezone ON app_public.user_settings FOR EACH ROW EXECUTE FUNCTION app_private.tg__schedule_reminders();

--
-- Name: marketplace_inventory _600_restock; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _600_restock AFTER INSERT OR DELETE OR UPDATE OF restock_at ON app_public.marketplace_inventory FOR EACH ROW EXECUTE FUNCTION app_private.tg_marketplace_inventory__restock();

--
-- Name: friendships _700_activity; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _700_activity AFTER INSERT ON app_public.friendships FOR EACH ROW EXECUTE FUNCTION app_private.tg_friendships__activity();

--
-- Name: goals _700_activity; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _700_activity AFTER INSERT OR UPDATE OF status ON app_public.goals FOR EACH ROW WHEN ((new.status = 'done'::app_public.goal_status)) EXECUTE FUNCTION app_private.tg_goals__activity();

--
-- Name: key_results _700_activity; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _700_activity AFTER INSERT OR UPDATE OF current_value, target_value ON app_public.key_results FOR EACH ROW EXECUTE FUNCTION app_private.tg_key_results__activity();

--
-- Name: reviews _700_activity; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _700_activity AFTER INSERT ON app_public.reviews FOR EACH ROW EXECUTE FUNCTION app_private.tg_reviews__activity();

--
-- Name: ritual_completions _700_activity; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _700_activity AFTER INSERT ON app_public.ritual_completions FOR EACH ROW EXECUTE FUNCTION app_private.tg_ritual_completions__activity();

--
-- Name: ritual_streaks _700_activity; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _700_activity AFTER INSERT OR UPDATE OF length ON app_public.ritual_streaks FOR EACH ROW EXECUTE FUNCTION app_private.tg_ritual_streaks__activity();

--
-- Name: api_keys _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER INSERT ON app_public.api_keys FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit('identity.api_key_created');

--
-- Name: area_dimensions _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER UPDATE OF default_weight ON app_public.area_dimensions FOR EACH ROW WHEN ((new.default_weight IS DISTINCT FROM old.default_weight)) EXECUTE FUNCTION app_private.tg__audit('areas.default_weight_changed');

--
-- Name: community_members _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER UPDATE OF role ON app_public.community_members FOR EACH ROW WHEN ((new.role IS DISTINCT FROM old.role)) EXECUTE FUNCTION app_private.tg__audit('communities.role_changed');

--
-- Name: life_areas _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER UPDATE OF default_weight ON app_public.life_areas FOR EACH ROW WHEN ((new.default_weight IS DISTINCT FROM old.default_weight)) EXECUTE FUNCTION app_private.tg__audit('areas.default_weight_changed');

--
-- Name: moderation_actions _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER INSERT ON app_public.moderation_actions FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit('feed.moderated');

--
-- Name: notification_deliveries _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER UPDATE OF status ON app_public.notification_deliveries FOR EACH ROW WHEN (((new.status IS DISTINCT FROM old.status) AND ((old.status = 'dead'::app_public.delivery_status) OR (new.status = 'discarded'::app_public.delivery_status)))) EXECUTE FUNCTION app_private.tg_notification_deliveries__audit();

--
-- Name: notification_templates _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER INSERT OR DELETE OR UPDATE ON app_public.notification_templates FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit('notifications.template_changed');

--
-- Name: point_transactions _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER INSERT ON app_public.point_transactions FOR EACH ROW WHEN ((new.reason = 'admin_adjustment'::app_public.point_reason)) EXECUTE FUNCTION app_private.tg__audit('points.adjusted');

--
-- Name: users _800_audit; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit AFTER DELETE ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg__audit('identity.user_deleted');

--
-- Name: api_keys _800_audit_revoke; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_audit_revoke AFTER UPDATE OF revoked_at ON app_public.api_keys FOR EACH ROW WHEN ((new.revoked_at IS DISTINCT FROM old.revoked_at)) EXECUTE FUNCTION app_private.tg__audit('identity.api_key_revoked');

--
-- Name: activity_events _800_feed_inbox; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_feed_inbox AFTER INSERT ON app_public.activity_events FOR EACH ROW WHEN ((new.visibility <> 'private'::app_public.activity_visibility)) EXECUTE FUNCTION app_private.tg_activity_events__fan_out();

--
-- Name: activity_events _800_feed_inbox_changed; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _800_feed_inbox_changed AFTER UPDATE OF visibility, created_at ON app_public.activity_events FOR EACH ROW WHEN (((new.visibility <> 'private'::app_public.activity_visibility) AND ((old.visibility = 'private'::app_public.activity_visibility) OR (old.created_at <> new.created_at)))) EXECUTE FUNCTION app_private.tg_activity_events__fan_out();

--
-- Name: audit_log _900_append_only; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _900_append_only BEFORE DELETE OR UPDATE ON app_public.audit_log FOR EACH ROW EXECUTE FUNCTION app_private.tg_audit_log__append_only();

--
-- Name: point_transactions _900_append_only; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _900_append_only BEFORE DELETE OR UPDATE ON app_public.point_transactions FOR EACH ROW EXECUTE FUNCTION app_private.tg_point_transactions__append_only();

--
-- Name: users _900_delete_rollups; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE TRIGGER _900_delete_rollups AFTER DELETE ON app_public.users REFERENCING OLD TABLE AS deleted_users FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_users__delete_rollups();

--
-- Name: activity_events _900_realtime; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_realtime AFTER INSERT ON app_public.activity_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg_activity_events__realtime();

--
-- Name: competition_scores _900_realtime; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_realtime AFTER INSERT OR DELETE OR UPDATE ON app_public.competition_scores DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg_competition_scores__realtime();

--
-- Name: conversation_members _900_realtime; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_realtime AFTER UPDATE OF delivered_up_to, read_up_to ON app_public.conversation_members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (((new.delivered_up_to IS DISTINCT FROM old.delivered_up_to) OR (new.read_up_to IS DISTINCT FROM old.read_up_to))) EXECUTE FUNCTION app_private.tg_conversation_members__realtime();

--
-- Name: direct_messages _900_realtime; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_realtime AFTER INSERT ON app_public.direct_messages DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg_direct_messages__realtime();

--
-- Name: notifications _900_realtime; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_realtime AFTER INSERT ON app_public.notifications DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg_notifications__realtime();

--
-- Name: area_dimensions _900_weights_sum; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_weights_sum AFTER INSERT OR DELETE OR UPDATE ON app_public.area_dimensions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg__assert_weights_sum();

--
-- Name: life_areas _900_weights_sum; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_weights_sum AFTER INSERT OR DELETE OR UPDATE ON app_public.life_areas DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg__assert_weights_sum();

--
-- Name: user_area_weights _900_weights_sum; Type: TRIGGER; Schema: app_public; Owner: -
--

CREATE CONSTRAINT TRIGGER _900_weights_sum AFTER INSERT OR DELETE OR UPDATE ON app_public.user_area_weights DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app_private.tg__assert_weights_sum();

--
-- Name: account_tokens account_tokens_email_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.account_tokens
    ADD CONSTRAINT account_tokens_email_id_fkey FOREIGN KEY (email_id) REFERENCES app_public.user_emails(id) ON DELETE CASCADE;

--
-- Name: account_tokens account_tokens_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.account_tokens
    ADD CONSTRAINT account_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: api_key_secrets api_key_secrets_api_key_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.api_key_secrets
    ADD CONSTRAINT api_key_secrets_api_key_id_fkey FOREIGN KEY (api_key_id) REFERENCES app_public.api_keys(id) ON DELETE CASCADE;

--
-- Name: competition_round_totals competition_round_totals_competition_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.competition_round_totals
    ADD CONSTRAINT competition_round_totals_competition_id_user_id_fkey FOREIGN KEY (competition_id, user_id) REFERENCES app_public.competition_participants(competition_id, user_id) ON DELETE CASCADE;

--
-- Name: competition_round_totals competition_round_totals_round_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.competition_round_totals
    ADD CONSTRAINT competition_round_totals_round_id_fkey FOREIGN KEY (round_id) REFERENCES app_public.competition_rounds(id) ON DELETE CASCADE;

--
-- Name: feed_inbox feed_inbox_viewer_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.feed_inbox
    ADD CONSTRAINT feed_inbox_viewer_id_fkey FOREIGN KEY (viewer_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: profile_counts profile_counts_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.profile_counts
    ADD CONSTRAINT profile_counts_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: provider_callbacks provider_callbacks_delivery_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.provider_callbacks
    ADD CONSTRAINT provider_callbacks_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES app_public.notification_deliveries(id) ON DELETE CASCADE;

--
-- Name: refresh_tokens refresh_tokens_session_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_session_id_fkey FOREIGN KEY (session_id) REFERENCES app_private.sessions(id) ON DELETE CASCADE;

--
-- Name: rollup_queue rollup_queue_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.rollup_queue
    ADD CONSTRAINT rollup_queue_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: sessions sessions_api_key_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_api_key_id_fkey FOREIGN KEY (api_key_id) REFERENCES app_public.api_keys(id) ON DELETE CASCADE;

--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: tombstones tombstones_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.tombstones
    ADD CONSTRAINT tombstones_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: user_flags user_flags_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.user_flags
    ADD CONSTRAINT user_flags_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: user_secrets user_secrets_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.user_secrets
    ADD CONSTRAINT user_secrets_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: webhook_secrets webhook_secrets_endpoint_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: -
--

ALTER TABLE ONLY app_private.webhook_secrets
    ADD CONSTRAINT webhook_secrets_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES app_public.webhook_endpoints(id) ON DELETE CASCADE;

--
-- Name: achievement_progress achievement_progress_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.achievement_progress
    ADD CONSTRAINT achievement_progress_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT achievement_progress_user_id_fkey ON achievement_progress; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT achievement_progress_user_id_fkey ON app_public.achievement_progress IS '@fieldName user
@foreignFieldName achievementProgress';

--
-- Name: activity_events activity_events_actor_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_events
    ADD CONSTRAINT activity_events_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT activity_events_actor_id_fkey ON activity_events; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT activity_events_actor_id_fkey ON app_public.activity_events IS '@behavior -*
Shown as the actor field instead (feed/functions.sql says why).';

--
-- Name: activity_events activity_events_community_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_events
    ADD CONSTRAINT activity_events_community_id_fkey FOREIGN KEY (community_id) REFERENCES app_public.communities(id) ON DELETE CASCADE;

--
-- Name: activity_events activity_events_hidden_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_events
    ADD CONSTRAINT activity_events_hidden_by_fkey FOREIGN KEY (hidden_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT activity_events_hidden_by_fkey ON activity_events; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT activity_events_hidden_by_fkey ON app_public.activity_events IS '@behavior -*';

--
-- Name: activity_events activity_events_verb_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_events
    ADD CONSTRAINT activity_events_verb_fkey FOREIGN KEY (verb) REFERENCES app_public.activity_verbs(verb) ON DELETE RESTRICT;

--
-- Name: activity_hides activity_hides_event_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_hides
    ADD CONSTRAINT activity_hides_event_id_fkey FOREIGN KEY (event_id) REFERENCES app_public.activity_events(id) ON DELETE CASCADE;

--
-- Name: activity_hides activity_hides_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.activity_hides
    ADD CONSTRAINT activity_hides_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: api_keys api_keys_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.api_keys
    ADD CONSTRAINT api_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: area_dimensions area_dimensions_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.area_dimensions
    ADD CONSTRAINT area_dimensions_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT area_dimensions_area_id_fkey ON area_dimensions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT area_dimensions_area_id_fkey ON app_public.area_dimensions IS '@fieldName area
@foreignFieldName dimensions';

--
-- Name: audit_log audit_log_actor_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.audit_log
    ADD CONSTRAINT audit_log_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT audit_log_actor_id_fkey ON audit_log; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT audit_log_actor_id_fkey ON app_public.audit_log IS '@fieldName actor
@foreignFieldName auditEntries
@behavior -many';

--
-- Name: autobiography_chapters autobiography_chapters_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.autobiography_chapters
    ADD CONSTRAINT autobiography_chapters_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: blocks blocks_blocked_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.blocks
    ADD CONSTRAINT blocks_blocked_id_fkey FOREIGN KEY (blocked_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT blocks_blocked_id_fkey ON blocks; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT blocks_blocked_id_fkey ON app_public.blocks IS '@fieldName blocked
@behavior -many';

--
-- Name: blocks blocks_blocker_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.blocks
    ADD CONSTRAINT blocks_blocker_id_fkey FOREIGN KEY (blocker_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT blocks_blocker_id_fkey ON blocks; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT blocks_blocker_id_fkey ON app_public.blocks IS '@fieldName blocker
@foreignFieldName blocks';

--
-- Name: coaching_conversations coaching_conversations_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.coaching_conversations
    ADD CONSTRAINT coaching_conversations_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: coaching_messages coaching_messages_conversation_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.coaching_messages
    ADD CONSTRAINT coaching_messages_conversation_id_user_id_fkey FOREIGN KEY (conversation_id, user_id) REFERENCES app_public.coaching_conversations(id, user_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT coaching_messages_conversation_id_user_id_fkey ON coaching_messages; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT coaching_messages_conversation_id_user_id_fkey ON app_public.coaching_messages IS '@fieldName conversation
@foreignFieldName messages';

--
-- Name: communities communities_founder_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.communities
    ADD CONSTRAINT communities_founder_id_fkey FOREIGN KEY (founder_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: community_invites community_invites_community_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_invites
    ADD CONSTRAINT community_invites_community_id_fkey FOREIGN KEY (community_id) REFERENCES app_public.communities(id) ON DELETE CASCADE;

--
-- Name: community_invites community_invites_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_invites
    ADD CONSTRAINT community_invites_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT community_invites_created_by_fkey ON community_invites; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT community_invites_created_by_fkey ON app_public.community_invites IS '@behavior -*';

--
-- Name: community_join_requests community_join_requests_community_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_join_requests
    ADD CONSTRAINT community_join_requests_community_id_fkey FOREIGN KEY (community_id) REFERENCES app_public.communities(id) ON DELETE CASCADE;

--
-- Name: community_join_requests community_join_requests_decided_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_join_requests
    ADD CONSTRAINT community_join_requests_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT community_join_requests_decided_by_fkey ON community_join_requests; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT community_join_requests_decided_by_fkey ON app_public.community_join_requests IS '@behavior -*';

--
-- Name: community_join_requests community_join_requests_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_join_requests
    ADD CONSTRAINT community_join_requests_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: community_members community_members_community_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_members
    ADD CONSTRAINT community_members_community_id_fkey FOREIGN KEY (community_id) REFERENCES app_public.communities(id) ON DELETE CASCADE;

--
-- Name: community_members community_members_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.community_members
    ADD CONSTRAINT community_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: competition_participants competition_participants_competition_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_participants
    ADD CONSTRAINT competition_participants_competition_id_fkey FOREIGN KEY (competition_id) REFERENCES app_public.competitions(id) ON DELETE CASCADE;

--
-- Name: competition_participants competition_participants_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_participants
    ADD CONSTRAINT competition_participants_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: competition_reward_grants competition_reward_grants_competition_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT competition_reward_grants_competition_id_fkey FOREIGN KEY (competition_id) REFERENCES app_public.competitions(id) ON DELETE CASCADE;

--
-- Name: competition_reward_grants competition_reward_grants_point_transaction_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT competition_reward_grants_point_transaction_id_fkey FOREIGN KEY (point_transaction_id) REFERENCES app_public.point_transactions(id) ON DELETE SET NULL;

--
-- Name: competition_reward_grants competition_reward_grants_purchase_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT competition_reward_grants_purchase_id_fkey FOREIGN KEY (purchase_id) REFERENCES app_public.marketplace_purchases(id) ON DELETE SET NULL;

--
-- Name: competition_reward_grants competition_reward_grants_reward_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT competition_reward_grants_reward_id_fkey FOREIGN KEY (reward_id) REFERENCES app_public.competition_rewards(id) ON DELETE CASCADE;

--
-- Name: competition_reward_grants competition_reward_grants_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_reward_grants
    ADD CONSTRAINT competition_reward_grants_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: competition_rewards competition_rewards_competition_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rewards
    ADD CONSTRAINT competition_rewards_competition_id_fkey FOREIGN KEY (competition_id) REFERENCES app_public.competitions(id) ON DELETE CASCADE;

--
-- Name: competition_rewards competition_rewards_item_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rewards
    ADD CONSTRAINT competition_rewards_item_id_fkey FOREIGN KEY (item_id) REFERENCES app_public.marketplace_items(id) ON DELETE RESTRICT;

--
-- Name: competition_rounds competition_rounds_competition_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_rounds
    ADD CONSTRAINT competition_rounds_competition_id_fkey FOREIGN KEY (competition_id) REFERENCES app_public.competitions(id) ON DELETE CASCADE;

--
-- Name: competition_scores competition_scores_competition_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_scores
    ADD CONSTRAINT competition_scores_competition_id_user_id_fkey FOREIGN KEY (competition_id, user_id) REFERENCES app_public.competition_participants(competition_id, user_id) ON DELETE CASCADE;

--
-- Name: competition_scores competition_scores_round_id_competition_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competition_scores
    ADD CONSTRAINT competition_scores_round_id_competition_id_fkey FOREIGN KEY (round_id, competition_id) REFERENCES app_public.competition_rounds(id, competition_id) ON DELETE CASCADE;

--
-- Name: competitions competitions_community_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competitions
    ADD CONSTRAINT competitions_community_id_fkey FOREIGN KEY (community_id) REFERENCES app_public.communities(id) ON DELETE CASCADE;

--
-- Name: competitions competitions_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.competitions
    ADD CONSTRAINT competitions_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: content_reports content_reports_event_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.content_reports
    ADD CONSTRAINT content_reports_event_id_fkey FOREIGN KEY (event_id) REFERENCES app_public.activity_events(id) ON DELETE CASCADE;

--
-- Name: content_reports content_reports_message_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.content_reports
    ADD CONSTRAINT content_reports_message_id_fkey FOREIGN KEY (message_id) REFERENCES app_public.direct_messages(id) ON DELETE CASCADE;

--
-- Name: content_reports content_reports_reporter_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.content_reports
    ADD CONSTRAINT content_reports_reporter_id_fkey FOREIGN KEY (reporter_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: conversation_members conversation_members_conversation_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversation_members
    ADD CONSTRAINT conversation_members_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES app_public.conversations(id) ON DELETE CASCADE;

--
-- Name: conversation_members conversation_members_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversation_members
    ADD CONSTRAINT conversation_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: conversations conversations_user_high_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_user_high_fkey FOREIGN KEY (user_high) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT conversations_user_high_fkey ON conversations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT conversations_user_high_fkey ON app_public.conversations IS '@behavior -*';

--
-- Name: conversations conversations_user_low_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.conversations
    ADD CONSTRAINT conversations_user_low_fkey FOREIGN KEY (user_low) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT conversations_user_low_fkey ON conversations; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT conversations_user_low_fkey ON app_public.conversations IS '@behavior -*';

--
-- Name: data_exports data_exports_file_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.data_exports
    ADD CONSTRAINT data_exports_file_id_fkey FOREIGN KEY (file_id) REFERENCES app_public.files(id) ON DELETE SET NULL;

--
-- Name: data_exports data_exports_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.data_exports
    ADD CONSTRAINT data_exports_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: delivery_attempts delivery_attempts_delivery_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.delivery_attempts
    ADD CONSTRAINT delivery_attempts_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES app_public.notification_deliveries(id) ON DELETE CASCADE;

--
-- Name: direct_messages direct_messages_conversation_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.direct_messages
    ADD CONSTRAINT direct_messages_conversation_id_fkey FOREIGN KEY (conversation_id) REFERENCES app_public.conversations(id) ON DELETE CASCADE;

--
-- Name: direct_messages direct_messages_sender_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.direct_messages
    ADD CONSTRAINT direct_messages_sender_id_fkey FOREIGN KEY (sender_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT direct_messages_sender_id_fkey ON direct_messages; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT direct_messages_sender_id_fkey ON app_public.direct_messages IS '@fieldName sender
@foreignFieldName sentMessages';

--
-- Name: files files_journal_entry_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.files
    ADD CONSTRAINT files_journal_entry_id_fkey FOREIGN KEY (journal_entry_id) REFERENCES app_public.journal_entries(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT files_journal_entry_id_fkey ON files; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT files_journal_entry_id_fkey ON app_public.files IS '@fieldName journalEntry
@foreignFieldName attachments';

--
-- Name: files files_message_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.files
    ADD CONSTRAINT files_message_id_fkey FOREIGN KEY (message_id) REFERENCES app_public.direct_messages(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT files_message_id_fkey ON files; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT files_message_id_fkey ON app_public.files IS '@fieldName message
@foreignFieldName attachments';

--
-- Name: files files_owner_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.files
    ADD CONSTRAINT files_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT files_owner_id_fkey ON files; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT files_owner_id_fkey ON app_public.files IS '@fieldName owner
@foreignFieldName files';

--
-- Name: follows follows_followee_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.follows
    ADD CONSTRAINT follows_followee_id_fkey FOREIGN KEY (followee_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT follows_followee_id_fkey ON follows; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT follows_followee_id_fkey ON app_public.follows IS '@fieldName followee
@foreignFieldName followers';

--
-- Name: follows follows_follower_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.follows
    ADD CONSTRAINT follows_follower_id_fkey FOREIGN KEY (follower_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT follows_follower_id_fkey ON follows; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT follows_follower_id_fkey ON app_public.follows IS '@fieldName follower
@foreignFieldName following';

--
-- Name: forgiveness_logs forgiveness_logs_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.forgiveness_logs
    ADD CONSTRAINT forgiveness_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: friend_requests friend_requests_recipient_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friend_requests
    ADD CONSTRAINT friend_requests_recipient_id_fkey FOREIGN KEY (recipient_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT friend_requests_recipient_id_fkey ON friend_requests; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT friend_requests_recipient_id_fkey ON app_public.friend_requests IS '@fieldName recipient
@foreignFieldName receivedFriendRequests';

--
-- Name: friend_requests friend_requests_requester_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friend_requests
    ADD CONSTRAINT friend_requests_requester_id_fkey FOREIGN KEY (requester_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT friend_requests_requester_id_fkey ON friend_requests; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT friend_requests_requester_id_fkey ON app_public.friend_requests IS '@fieldName requester
@foreignFieldName sentFriendRequests';

--
-- Name: friendships friendships_friend_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friendships
    ADD CONSTRAINT friendships_friend_id_fkey FOREIGN KEY (friend_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT friendships_friend_id_fkey ON friendships; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT friendships_friend_id_fkey ON app_public.friendships IS '@fieldName friend
@behavior -many';

--
-- Name: friendships friendships_source_request_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friendships
    ADD CONSTRAINT friendships_source_request_id_fkey FOREIGN KEY (source_request_id) REFERENCES app_public.friend_requests(id) ON DELETE SET NULL;

--
-- Name: friendships friendships_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.friendships
    ADD CONSTRAINT friendships_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT friendships_user_id_fkey ON friendships; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT friendships_user_id_fkey ON app_public.friendships IS '@fieldName user
@foreignFieldName friendships';

--
-- Name: goals goals_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.goals
    ADD CONSTRAINT goals_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE SET NULL;

--
-- Name: goals goals_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.goals
    ADD CONSTRAINT goals_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: integrity_logs integrity_logs_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.integrity_logs
    ADD CONSTRAINT integrity_logs_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE SET NULL;

--
-- Name: integrity_logs integrity_logs_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.integrity_logs
    ADD CONSTRAINT integrity_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: journal_entries journal_entries_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.journal_entries
    ADD CONSTRAINT journal_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: journal_entry_areas journal_entry_areas_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.journal_entry_areas
    ADD CONSTRAINT journal_entry_areas_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE CASCADE;

--
-- Name: journal_entry_areas journal_entry_areas_entry_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.journal_entry_areas
    ADD CONSTRAINT journal_entry_areas_entry_id_user_id_fkey FOREIGN KEY (entry_id, user_id) REFERENCES app_public.journal_entries(id, user_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT journal_entry_areas_entry_id_user_id_fkey ON journal_entry_areas; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT journal_entry_areas_entry_id_user_id_fkey ON app_public.journal_entry_areas IS '@fieldName entry
@foreignFieldName areas';

--
-- Name: key_results key_results_goal_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.key_results
    ADD CONSTRAINT key_results_goal_id_user_id_fkey FOREIGN KEY (goal_id, user_id) REFERENCES app_public.goals(id, user_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT key_results_goal_id_user_id_fkey ON key_results; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT key_results_goal_id_user_id_fkey ON app_public.key_results IS '@fieldName goal
@foreignFieldName keyResults';

--
-- Name: marketplace_inventory marketplace_inventory_item_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_inventory
    ADD CONSTRAINT marketplace_inventory_item_id_fkey FOREIGN KEY (item_id) REFERENCES app_public.marketplace_items(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT marketplace_inventory_item_id_fkey ON marketplace_inventory; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_inventory_item_id_fkey ON app_public.marketplace_inventory IS '@fieldName item
@foreignFieldName inventory';

--
-- Name: marketplace_item_audit marketplace_item_audit_changed_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_item_audit
    ADD CONSTRAINT marketplace_item_audit_changed_by_fkey FOREIGN KEY (changed_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT marketplace_item_audit_changed_by_fkey ON marketplace_item_audit; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_item_audit_changed_by_fkey ON app_public.marketplace_item_audit IS '@behavior -*';

--
-- Name: marketplace_item_audit marketplace_item_audit_item_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_item_audit
    ADD CONSTRAINT marketplace_item_audit_item_id_fkey FOREIGN KEY (item_id) REFERENCES app_public.marketplace_items(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT marketplace_item_audit_item_id_fkey ON marketplace_item_audit; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_item_audit_item_id_fkey ON app_public.marketplace_item_audit IS '@fieldName item
@foreignFieldName audit';

--
-- Name: marketplace_items marketplace_items_community_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_items
    ADD CONSTRAINT marketplace_items_community_id_fkey FOREIGN KEY (community_id) REFERENCES app_public.communities(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT marketplace_items_community_id_fkey ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_items_community_id_fkey ON app_public.marketplace_items IS '@fieldName community
@foreignFieldName marketplaceItems';

--
-- Name: marketplace_items marketplace_items_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_items
    ADD CONSTRAINT marketplace_items_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT marketplace_items_created_by_fkey ON marketplace_items; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_items_created_by_fkey ON app_public.marketplace_items IS '@behavior -*';

--
-- Name: marketplace_purchases marketplace_purchases_item_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_purchases
    ADD CONSTRAINT marketplace_purchases_item_id_fkey FOREIGN KEY (item_id) REFERENCES app_public.marketplace_items(id) ON DELETE RESTRICT;

--
-- Name: CONSTRAINT marketplace_purchases_item_id_fkey ON marketplace_purchases; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_purchases_item_id_fkey ON app_public.marketplace_purchases IS '@fieldName item
@foreignFieldName purchases';

--
-- Name: marketplace_purchases marketplace_purchases_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.marketplace_purchases
    ADD CONSTRAINT marketplace_purchases_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT marketplace_purchases_user_id_fkey ON marketplace_purchases; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT marketplace_purchases_user_id_fkey ON app_public.marketplace_purchases IS '@fieldName user
@foreignFieldName marketplacePurchases';

--
-- Name: message_deletions message_deletions_message_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.message_deletions
    ADD CONSTRAINT message_deletions_message_id_fkey FOREIGN KEY (message_id) REFERENCES app_public.direct_messages(id) ON DELETE CASCADE;

--
-- Name: message_deletions message_deletions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.message_deletions
    ADD CONSTRAINT message_deletions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: moderation_actions moderation_actions_event_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.moderation_actions
    ADD CONSTRAINT moderation_actions_event_id_fkey FOREIGN KEY (event_id) REFERENCES app_public.activity_events(id) ON DELETE SET NULL;

--
-- Name: moderation_actions moderation_actions_message_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.moderation_actions
    ADD CONSTRAINT moderation_actions_message_id_fkey FOREIGN KEY (message_id) REFERENCES app_public.direct_messages(id) ON DELETE SET NULL;

--
-- Name: moderation_actions moderation_actions_moderator_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.moderation_actions
    ADD CONSTRAINT moderation_actions_moderator_id_fkey FOREIGN KEY (moderator_id) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: module_progress module_progress_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.module_progress
    ADD CONSTRAINT module_progress_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: notification_deliveries notification_deliveries_digest_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_deliveries
    ADD CONSTRAINT notification_deliveries_digest_id_fkey FOREIGN KEY (digest_id) REFERENCES app_public.notification_deliveries(id) ON DELETE SET NULL;

--
-- Name: notification_deliveries notification_deliveries_event_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_deliveries
    ADD CONSTRAINT notification_deliveries_event_id_fkey FOREIGN KEY (event_id) REFERENCES app_public.notification_events(id) ON DELETE CASCADE;

--
-- Name: notification_deliveries notification_deliveries_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_deliveries
    ADD CONSTRAINT notification_deliveries_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: notification_events notification_events_type_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_events
    ADD CONSTRAINT notification_events_type_fkey FOREIGN KEY (type) REFERENCES app_public.notification_types(code) ON DELETE CASCADE;

--
-- Name: notification_events notification_events_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_events
    ADD CONSTRAINT notification_events_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: notification_preferences notification_preferences_type_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_preferences
    ADD CONSTRAINT notification_preferences_type_fkey FOREIGN KEY (type) REFERENCES app_public.notification_types(code) ON DELETE CASCADE;

--
-- Name: notification_preferences notification_preferences_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_preferences
    ADD CONSTRAINT notification_preferences_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: notification_settings notification_settings_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_settings
    ADD CONSTRAINT notification_settings_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: notification_templates notification_templates_type_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notification_templates
    ADD CONSTRAINT notification_templates_type_fkey FOREIGN KEY (type) REFERENCES app_public.notification_types(code) ON DELETE CASCADE;

--
-- Name: notifications notifications_delivery_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.notifications
    ADD CONSTRAINT notifications_delivery_id_fkey FOREIGN KEY (delivery_id) REFERENCES app_public.notification_deliveries(id) ON DELETE CASCADE;

--
-- Name: personal_records personal_records_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.personal_records
    ADD CONSTRAINT personal_records_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: point_accounts point_accounts_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_accounts
    ADD CONSTRAINT point_accounts_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT point_accounts_user_id_fkey ON point_accounts; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_accounts_user_id_fkey ON app_public.point_accounts IS '@fieldName user
@foreignFieldName pointAccount';

--
-- Name: point_earning_rules point_earning_rules_updated_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_earning_rules
    ADD CONSTRAINT point_earning_rules_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT point_earning_rules_updated_by_fkey ON point_earning_rules; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_earning_rules_updated_by_fkey ON app_public.point_earning_rules IS '@behavior -*';

--
-- Name: point_transactions point_transactions_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_transactions
    ADD CONSTRAINT point_transactions_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;

--
-- Name: CONSTRAINT point_transactions_created_by_fkey ON point_transactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_transactions_created_by_fkey ON app_public.point_transactions IS '@behavior -*';

--
-- Name: point_transactions point_transactions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.point_transactions
    ADD CONSTRAINT point_transactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT point_transactions_user_id_fkey ON point_transactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT point_transactions_user_id_fkey ON app_public.point_transactions IS '@fieldName user
@foreignFieldName pointTransactions';

--
-- Name: privacy_settings privacy_settings_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.privacy_settings
    ADD CONSTRAINT privacy_settings_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: profile_stats_daily profile_stats_daily_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.profile_stats_daily
    ADD CONSTRAINT profile_stats_daily_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: push_subscriptions push_subscriptions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.push_subscriptions
    ADD CONSTRAINT push_subscriptions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: relationship_interactions relationship_interactions_relationship_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.relationship_interactions
    ADD CONSTRAINT relationship_interactions_relationship_id_user_id_fkey FOREIGN KEY (relationship_id, user_id) REFERENCES app_public.relationships(id, user_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT relationship_interactions_relationship_id_user_id_fkey ON relationship_interactions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT relationship_interactions_relationship_id_user_id_fkey ON app_public.relationship_interactions IS '@fieldName relationship
@foreignFieldName interactions';

--
-- Name: relationships relationships_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.relationships
    ADD CONSTRAINT relationships_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: reviews reviews_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.reviews
    ADD CONSTRAINT reviews_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: ritual_completions ritual_completions_ritual_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.ritual_completions
    ADD CONSTRAINT ritual_completions_ritual_id_user_id_fkey FOREIGN KEY (ritual_id, user_id) REFERENCES app_public.rituals(id, user_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT ritual_completions_ritual_id_user_id_fkey ON ritual_completions; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT ritual_completions_ritual_id_user_id_fkey ON app_public.ritual_completions IS '@fieldName ritual
@foreignFieldName completions';

--
-- Name: ritual_streaks ritual_streaks_ritual_id_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.ritual_streaks
    ADD CONSTRAINT ritual_streaks_ritual_id_user_id_fkey FOREIGN KEY (ritual_id, user_id) REFERENCES app_public.rituals(id, user_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT ritual_streaks_ritual_id_user_id_fkey ON ritual_streaks; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT ritual_streaks_ritual_id_user_id_fkey ON app_public.ritual_streaks IS '@fieldName ritual
@foreignFieldName streaks';

--
-- Name: rituals rituals_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.rituals
    ADD CONSTRAINT rituals_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE SET NULL;

--
-- Name: rituals rituals_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.rituals
    ADD CONSTRAINT rituals_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: scores score_dimension_of_area; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.scores
    ADD CONSTRAINT score_dimension_of_area FOREIGN KEY (dimension_id, area_id) REFERENCES app_public.area_dimensions(id, area_id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT score_dimension_of_area ON scores; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT score_dimension_of_area ON app_public.scores IS '@fieldName dimension
@foreignFieldName scores';

--
-- Name: scores scores_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.scores
    ADD CONSTRAINT scores_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE CASCADE;

--
-- Name: scores scores_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.scores
    ADD CONSTRAINT scores_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: user_achievements user_achievements_achievement_code_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_achievements
    ADD CONSTRAINT user_achievements_achievement_code_fkey FOREIGN KEY (achievement_code) REFERENCES app_public.achievement_definitions(code) ON DELETE CASCADE;

--
-- Name: CONSTRAINT user_achievements_achievement_code_fkey ON user_achievements; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT user_achievements_achievement_code_fkey ON app_public.user_achievements IS '@fieldName achievement
@foreignFieldName awards';

--
-- Name: user_achievements user_achievements_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_achievements
    ADD CONSTRAINT user_achievements_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: CONSTRAINT user_achievements_user_id_fkey ON user_achievements; Type: COMMENT; Schema: app_public; Owner: -
--

COMMENT ON CONSTRAINT user_achievements_user_id_fkey ON app_public.user_achievements IS '@fieldName user
@foreignFieldName achievements';

--
-- Name: user_area_weights user_area_weights_area_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_area_weights
    ADD CONSTRAINT user_area_weights_area_id_fkey FOREIGN KEY (area_id) REFERENCES app_public.life_areas(id) ON DELETE CASCADE;

--
-- Name: user_area_weights user_area_weights_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_area_weights
    ADD CONSTRAINT user_area_weights_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: user_emails user_emails_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_emails
    ADD CONSTRAINT user_emails_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: user_locations user_locations_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_locations
    ADD CONSTRAINT user_locations_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: user_settings user_settings_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.user_settings
    ADD CONSTRAINT user_settings_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: webhook_endpoints webhook_endpoints_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: wellness_entries wellness_entries_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: -
--

ALTER TABLE ONLY app_public.wellness_entries
    ADD CONSTRAINT wellness_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;

--
-- Name: account_tokens; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.account_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: api_key_secrets; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.api_key_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: competition_round_totals; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.competition_round_totals ENABLE ROW LEVEL SECURITY;

--
-- Name: feed_inbox; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.feed_inbox ENABLE ROW LEVEL SECURITY;

--
-- Name: feed_inbox_horizon; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.feed_inbox_horizon ENABLE ROW LEVEL SECURITY;

--
-- Name: account_tokens no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.account_tokens AS RESTRICTIVE USING (false);

--
-- Name: api_key_secrets no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.api_key_secrets AS RESTRICTIVE USING (false);

--
-- Name: competition_round_totals no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.competition_round_totals AS RESTRICTIVE USING (false);

--
-- Name: feed_inbox no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.feed_inbox AS RESTRICTIVE USING (false);

--
-- Name: feed_inbox_horizon no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.feed_inbox_horizon AS RESTRICTIVE USING (false);

--
-- Name: profile_counts no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.profile_counts AS RESTRICTIVE USING (false);

--
-- Name: provider_callbacks no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.provider_callbacks AS RESTRICTIVE USING (false);

--
-- Name: rate_limits no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.rate_limits AS RESTRICTIVE USING (false);

--
-- Name: realtime_log no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.realtime_log AS RESTRICTIVE USING (false);

--
-- Name: refresh_tokens no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.refresh_tokens AS RESTRICTIVE USING (false);

--
-- Name: retention_runs no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.retention_runs AS RESTRICTIVE USING (false);

--
-- Name: rollup_queue no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.rollup_queue AS RESTRICTIVE USING (false);

--
-- Name: score_rollups_p0 no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.score_rollups_p0 AS RESTRICTIVE USING (false);

--
-- Name: score_rollups_p1 no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.score_rollups_p1 AS RESTRICTIVE USING (false);

--
-- Name: score_rollups_p2 no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.score_rollups_p2 AS RESTRICTIVE USING (false);

--
-- Name: score_rollups_p3 no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.score_rollups_p3 AS RESTRICTIVE USING (false);

--
-- Name: sessions no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.sessions AS RESTRICTIVE USING (false);

--
-- Name: time_zone_names no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.time_zone_names AS RESTRICTIVE USING (false);

--
-- Name: tombstones no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.tombstones AS RESTRICTIVE USING (false);

--
-- Name: unqueued_deliveries no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.unqueued_deliveries AS RESTRICTIVE USING (false);

--
-- Name: user_flags no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.user_flags AS RESTRICTIVE USING (false);

--
-- Name: user_secrets no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.user_secrets AS RESTRICTIVE USING (false);

--
-- Name: webhook_secrets no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.webhook_secrets AS RESTRICTIVE USING (false);

--
-- Name: worker_heartbeats no_visitor_access; Type: POLICY; Schema: app_private; Owner: -
--

CREATE POLICY no_visitor_access ON app_private.worker_heartbeats AS RESTRICTIVE USING (false);

--
-- Name: profile_counts; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.profile_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: provider_callbacks; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.provider_callbacks ENABLE ROW LEVEL SECURITY;

--
-- Name: rate_limits; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.rate_limits ENABLE ROW LEVEL SECURITY;

--
-- Name: realtime_log; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.realtime_log ENABLE ROW LEVEL SECURITY;

--
-- Name: refresh_tokens; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.refresh_tokens ENABLE ROW LEVEL SECURITY;

--
-- Name: retention_runs; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.retention_runs ENABLE ROW LEVEL SECURITY;

--
-- Name: rollup_queue; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.rollup_queue ENABLE ROW LEVEL SECURITY;

--
-- Name: score_rollups_p0; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.score_rollups_p0 ENABLE ROW LEVEL SECURITY;

--
-- Name: score_rollups_p1; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.score_rollups_p1 ENABLE ROW LEVEL SECURITY;

--
-- Name: score_rollups_p2; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.score_rollups_p2 ENABLE ROW LEVEL SECURITY;

--
-- Name: score_rollups_p3; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.score_rollups_p3 ENABLE ROW LEVEL SECURITY;

--
-- Name: sessions; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.sessions ENABLE ROW LEVEL SECURITY;

--
-- Name: time_zone_names; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.time_zone_names ENABLE ROW LEVEL SECURITY;

--
-- Name: tombstones; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.tombstones ENABLE ROW LEVEL SECURITY;

--
-- Name: unqueued_deliveries; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.unqueued_deliveries ENABLE ROW LEVEL SECURITY;

--
-- Name: user_flags; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.user_flags ENABLE ROW LEVEL SECURITY;

--
-- Name: user_secrets; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.user_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_secrets; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.webhook_secrets ENABLE ROW LEVEL SECURITY;

--
-- Name: worker_heartbeats; Type: ROW SECURITY; Schema: app_private; Owner: -
--

ALTER TABLE app_private.worker_heartbeats ENABLE ROW LEVEL SECURITY;

--
-- Name: achievement_definitions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.achievement_definitions ENABLE ROW LEVEL SECURITY;

--
-- Name: achievement_progress; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.achievement_progress ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_events; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.activity_events ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_hides; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.activity_hides ENABLE ROW LEVEL SECURITY;

--
-- Name: activity_verbs; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.activity_verbs ENABLE ROW LEVEL SECURITY;

--
-- Name: api_keys; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.api_keys ENABLE ROW LEVEL SECURITY;

--
-- Name: area_dimensions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.area_dimensions ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: autobiography_chapters; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.autobiography_chapters ENABLE ROW LEVEL SECURITY;

--
-- Name: blocks; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.blocks ENABLE ROW LEVEL SECURITY;

--
-- Name: coaching_conversations; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.coaching_conversations ENABLE ROW LEVEL SECURITY;

--
-- Name: coaching_messages; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.coaching_messages ENABLE ROW LEVEL SECURITY;

--
-- Name: communities; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.communities ENABLE ROW LEVEL SECURITY;

--
-- Name: community_invites; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.community_invites ENABLE ROW LEVEL SECURITY;

--
-- Name: community_join_requests; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.community_join_requests ENABLE ROW LEVEL SECURITY;

--
-- Name: community_members; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.community_members ENABLE ROW LEVEL SECURITY;

--
-- Name: competition_participants; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.competition_participants ENABLE ROW LEVEL SECURITY;

--
-- Name: competition_reward_grants; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.competition_reward_grants ENABLE ROW LEVEL SECURITY;

--
-- Name: competition_rewards; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.competition_rewards ENABLE ROW LEVEL SECURITY;

--
-- Name: competition_rounds; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.competition_rounds ENABLE ROW LEVEL SECURITY;

--
-- Name: competition_scores; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.competition_scores ENABLE ROW LEVEL SECURITY;

--
-- Name: competitions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.competitions ENABLE ROW LEVEL SECURITY;

--
-- Name: content_reports; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.content_reports ENABLE ROW LEVEL SECURITY;

--
-- Name: conversation_members; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.conversation_members ENABLE ROW LEVEL SECURITY;

--
-- Name: conversations; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.conversations ENABLE ROW LEVEL SECURITY;

--
-- Name: data_exports; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.data_exports ENABLE ROW LEVEL SECURITY;

--
-- Name: achievement_definitions delete_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_admin ON app_public.achievement_definitions FOR DELETE USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: marketplace_items delete_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_admin ON app_public.marketplace_items FOR DELETE USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: communities delete_founder; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_founder ON app_public.communities FOR DELETE USING ((founder_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: competition_rewards delete_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_organisers ON app_public.competition_rewards FOR DELETE USING (app_hidden.may_organise_competition(competition_id));

--
-- Name: competition_rounds delete_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_organisers ON app_public.competition_rounds FOR DELETE USING (app_hidden.may_organise_competition(competition_id));

--
-- Name: competitions delete_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_organisers ON app_public.competitions FOR DELETE USING (((status = 'draft'::app_public.competition_status) AND (((community_id IS NULL) AND ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) OR (community_id = ANY (( SELECT app_hidden.managed_community_ids() AS managed_community_ids)::uuid[])))));

--
-- Name: activity_hides delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.activity_hides FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: autobiography_chapters delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.autobiography_chapters FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_conversations delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.coaching_conversations FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_messages delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.coaching_messages FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: files delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.files FOR DELETE USING ((owner_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: forgiveness_logs delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.forgiveness_logs FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: goals delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.goals FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: integrity_logs delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.integrity_logs FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entries delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.journal_entries FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entry_areas delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.journal_entry_areas FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: key_results delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.key_results FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: module_progress delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.module_progress FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_preferences delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.notification_preferences FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notifications delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.notifications FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: personal_records delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.personal_records FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: push_subscriptions delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.push_subscriptions FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationship_interactions delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.relationship_interactions FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationships delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.relationships FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: reviews delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.reviews FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: ritual_completions delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.ritual_completions FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: rituals delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.rituals FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: scores delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.scores FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_area_weights delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.user_area_weights FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_emails delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.user_emails FOR DELETE USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (NOT is_primary)));

--
-- Name: user_locations delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.user_locations FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: webhook_endpoints delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.webhook_endpoints FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: wellness_entries delete_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_own ON app_public.wellness_entries FOR DELETE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: users delete_self; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY delete_self ON app_public.users FOR DELETE USING ((id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: delivery_attempts; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.delivery_attempts ENABLE ROW LEVEL SECURITY;

--
-- Name: direct_messages; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.direct_messages ENABLE ROW LEVEL SECURITY;

--
-- Name: files; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.files ENABLE ROW LEVEL SECURITY;

--
-- Name: follows; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.follows ENABLE ROW LEVEL SECURITY;

--
-- Name: forgiveness_logs; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.forgiveness_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: friend_requests; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.friend_requests ENABLE ROW LEVEL SECURITY;

--
-- Name: friendships; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.friendships ENABLE ROW LEVEL SECURITY;

--
-- Name: goals; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.goals ENABLE ROW LEVEL SECURITY;

--
-- Name: achievement_definitions insert_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_admin ON app_public.achievement_definitions FOR INSERT WITH CHECK (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: marketplace_items insert_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_admin ON app_public.marketplace_items FOR INSERT WITH CHECK (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: notification_templates insert_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_admin ON app_public.notification_templates FOR INSERT WITH CHECK (app_public.current_user_is_admin());

--
-- Name: notification_types insert_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_admin ON app_public.notification_types FOR INSERT WITH CHECK (app_public.current_user_is_admin());

--
-- Name: competition_rewards insert_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_organisers ON app_public.competition_rewards FOR INSERT WITH CHECK (app_hidden.may_organise_competition(competition_id));

--
-- Name: competition_rounds insert_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_organisers ON app_public.competition_rounds FOR INSERT WITH CHECK (app_hidden.may_organise_competition(competition_id));

--
-- Name: activity_hides insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.activity_hides FOR INSERT WITH CHECK (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND (EXISTS ( SELECT 1
   FROM app_public.activity_events e
  WHERE (e.id = activity_hides.event_id)))));

--
-- Name: autobiography_chapters insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.autobiography_chapters FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_conversations insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.coaching_conversations FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_messages insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.coaching_messages FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: content_reports insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.content_reports FOR INSERT WITH CHECK (((reporter_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND ((EXISTS ( SELECT 1
   FROM app_public.activity_events e
  WHERE (e.id = content_reports.event_id))) OR (EXISTS ( SELECT 1
   FROM app_public.direct_messages m
  WHERE (m.id = content_reports.message_id))))));

--
-- Name: forgiveness_logs insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.forgiveness_logs FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: goals insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.goals FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: integrity_logs insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.integrity_logs FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entries insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.journal_entries FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entry_areas insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.journal_entry_areas FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: key_results insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.key_results FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: module_progress insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.module_progress FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_preferences insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.notification_preferences FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: personal_records insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.personal_records FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: push_subscriptions insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.push_subscriptions FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationship_interactions insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.relationship_interactions FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationships insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.relationships FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: ritual_completions insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.ritual_completions FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: rituals insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.rituals FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: scores insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.scores FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_area_weights insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.user_area_weights FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_emails insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.user_emails FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_locations insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.user_locations FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: webhook_endpoints insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.webhook_endpoints FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: wellness_entries insert_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY insert_own ON app_public.wellness_entries FOR INSERT WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: integrity_logs; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.integrity_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: journal_entries; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.journal_entries ENABLE ROW LEVEL SECURITY;

--
-- Name: journal_entry_areas; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.journal_entry_areas ENABLE ROW LEVEL SECURITY;

--
-- Name: key_results; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.key_results ENABLE ROW LEVEL SECURITY;

--
-- Name: life_areas; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.life_areas ENABLE ROW LEVEL SECURITY;

--
-- Name: marketplace_inventory; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.marketplace_inventory ENABLE ROW LEVEL SECURITY;

--
-- Name: marketplace_item_audit; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.marketplace_item_audit ENABLE ROW LEVEL SECURITY;

--
-- Name: marketplace_items; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.marketplace_items ENABLE ROW LEVEL SECURITY;

--
-- Name: marketplace_purchases; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.marketplace_purchases ENABLE ROW LEVEL SECURITY;

--
-- Name: message_deletions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.message_deletions ENABLE ROW LEVEL SECURITY;

--
-- Name: moderation_actions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.moderation_actions ENABLE ROW LEVEL SECURITY;

--
-- Name: module_progress; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.module_progress ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_deliveries; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notification_deliveries ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_events; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notification_events ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_preferences; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notification_preferences ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_settings; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notification_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_templates; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notification_templates ENABLE ROW LEVEL SECURITY;

--
-- Name: notification_types; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notification_types ENABLE ROW LEVEL SECURITY;

--
-- Name: notifications; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.notifications ENABLE ROW LEVEL SECURITY;

--
-- Name: personal_records; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.personal_records ENABLE ROW LEVEL SECURITY;

--
-- Name: point_accounts; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.point_accounts ENABLE ROW LEVEL SECURITY;

--
-- Name: point_earning_rules; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.point_earning_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: point_transactions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.point_transactions ENABLE ROW LEVEL SECURITY;

--
-- Name: privacy_settings; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.privacy_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: profile_stats_daily; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.profile_stats_daily ENABLE ROW LEVEL SECURITY;

--
-- Name: push_subscriptions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.push_subscriptions ENABLE ROW LEVEL SECURITY;

--
-- Name: relationship_interactions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.relationship_interactions ENABLE ROW LEVEL SECURITY;

--
-- Name: relationships; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.relationships ENABLE ROW LEVEL SECURITY;

--
-- Name: reviews; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.reviews ENABLE ROW LEVEL SECURITY;

--
-- Name: ritual_completions; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.ritual_completions ENABLE ROW LEVEL SECURITY;

--
-- Name: ritual_streaks; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.ritual_streaks ENABLE ROW LEVEL SECURITY;

--
-- Name: rituals; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.rituals ENABLE ROW LEVEL SECURITY;

--
-- Name: score_rollups; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.score_rollups ENABLE ROW LEVEL SECURITY;

--
-- Name: scores; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.scores ENABLE ROW LEVEL SECURITY;

--
-- Name: point_earning_rules select_active; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_active ON app_public.point_earning_rules FOR SELECT USING ((is_active OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: audit_log select_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_admin ON app_public.audit_log FOR SELECT USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: marketplace_item_audit select_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_admin ON app_public.marketplace_item_audit FOR SELECT USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: moderation_actions select_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_admin ON app_public.moderation_actions FOR SELECT USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: notification_templates select_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_admin ON app_public.notification_templates FOR SELECT USING (app_public.current_user_is_admin());

--
-- Name: activity_verbs select_all; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_all ON app_public.activity_verbs FOR SELECT USING (true);

--
-- Name: area_dimensions select_all; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_all ON app_public.area_dimensions FOR SELECT USING (true);

--
-- Name: life_areas select_all; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_all ON app_public.life_areas FOR SELECT USING (true);

--
-- Name: notification_types select_all; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_all ON app_public.notification_types FOR SELECT USING (true);

--
-- Name: storage_buckets select_all; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_all ON app_public.storage_buckets FOR SELECT USING (true);

--
-- Name: community_members select_fellows; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_fellows ON app_public.community_members FOR SELECT USING (((community_id = ANY (( SELECT app_hidden.community_ids(app_public.current_user_id()) AS community_ids)::uuid[])) AND (NOT (user_id = ANY (( SELECT app_hidden.block_peer_ids(app_public.current_user_id()) AS block_peer_ids)::uuid[])))));

--
-- Name: community_invites select_moderators; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_moderators ON app_public.community_invites FOR SELECT USING ((app_hidden.community_role(community_id) >= 'moderator'::app_public.community_role));

--
-- Name: achievement_progress select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.achievement_progress FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: activity_hides select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.activity_hides FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: api_keys select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.api_keys FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: autobiography_chapters select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.autobiography_chapters FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: blocks select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.blocks FOR SELECT USING ((blocker_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_conversations select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.coaching_conversations FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_messages select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.coaching_messages FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: content_reports select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.content_reports FOR SELECT USING (((reporter_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: conversations select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.conversations FOR SELECT USING ((((( SELECT app_public.current_user_id() AS current_user_id) = user_low) OR (( SELECT app_public.current_user_id() AS current_user_id) = user_high)) AND (NOT ((user_low = ANY (( SELECT app_hidden.block_peer_ids(app_public.current_user_id()) AS block_peer_ids)::uuid[])) OR (user_high = ANY (( SELECT app_hidden.block_peer_ids(app_public.current_user_id()) AS block_peer_ids)::uuid[]))))));

--
-- Name: data_exports select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.data_exports FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: delivery_attempts select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.delivery_attempts FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR app_public.current_user_is_admin()));

--
-- Name: follows select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.follows FOR SELECT USING (((follower_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR (followee_id = ( SELECT app_public.current_user_id() AS current_user_id))));

--
-- Name: forgiveness_logs select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.forgiveness_logs FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: friend_requests select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.friend_requests FOR SELECT USING (((requester_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR (recipient_id = ( SELECT app_public.current_user_id() AS current_user_id))));

--
-- Name: friendships select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.friendships FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: goals select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.goals FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: integrity_logs select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.integrity_logs FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entries select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.journal_entries FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entry_areas select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.journal_entry_areas FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: key_results select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.key_results FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: marketplace_purchases select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.marketplace_purchases FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: message_deletions select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.message_deletions FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: module_progress select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.module_progress FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_deliveries select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.notification_deliveries FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ((status = 'dead'::app_public.delivery_status) AND app_public.current_user_is_admin())));

--
-- Name: notification_events select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.notification_events FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_preferences select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.notification_preferences FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_settings select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.notification_settings FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notifications select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.notifications FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) AND ((expires_at IS NULL) OR (expires_at > now()))));

--
-- Name: point_accounts select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.point_accounts FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: point_transactions select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.point_transactions FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: privacy_settings select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.privacy_settings FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: profile_stats_daily select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.profile_stats_daily FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: push_subscriptions select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.push_subscriptions FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationship_interactions select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.relationship_interactions FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationships select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.relationships FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: reviews select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.reviews FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: ritual_completions select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.ritual_completions FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: ritual_streaks select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.ritual_streaks FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: rituals select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.rituals FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: score_rollups select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.score_rollups FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: scores select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.scores FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_area_weights select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.user_area_weights FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_emails select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.user_emails FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_locations select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.user_locations FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_settings select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.user_settings FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: webhook_endpoints select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.webhook_endpoints FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: wellness_entries select_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own ON app_public.wellness_entries FOR SELECT USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: competition_reward_grants select_own_or_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own_or_admin ON app_public.competition_reward_grants FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: community_join_requests select_own_or_moderators; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_own_or_moderators ON app_public.community_join_requests FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR (app_hidden.community_role(community_id) >= 'moderator'::app_public.community_role)));

--
-- Name: achievement_definitions select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.achievement_definitions FOR SELECT USING (((NOT is_secret) OR (code = ANY (( SELECT app_hidden.earned_achievement_codes(app_public.current_user_id()) AS earned_achievement_codes)::text[])) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: activity_events select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.activity_events FOR SELECT USING (app_hidden.can_see_event(actor_id, visibility, community_id, deleted_at, hidden_at, ( SELECT app_public.current_user_id() AS current_user_id), ( SELECT app_hidden.friend_ids(app_public.current_user_id()) AS friend_ids), ( SELECT app_hidden.block_peer_ids(app_public.current_user_id()) AS block_peer_ids), ( SELECT app_hidden.community_ids(app_public.current_user_id()) AS community_ids)));

--
-- Name: communities select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.communities FOR SELECT USING (((visibility = 'public'::app_public.community_visibility) OR (id = ANY (( SELECT app_hidden.community_ids(app_public.current_user_id()) AS community_ids)::uuid[]))));

--
-- Name: competition_participants select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.competition_participants FOR SELECT USING ((EXISTS ( SELECT 1
   FROM app_public.competitions c
  WHERE (c.id = competition_participants.competition_id))));

--
-- Name: competition_rewards select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.competition_rewards FOR SELECT USING ((EXISTS ( SELECT 1
   FROM app_public.competitions c
  WHERE (c.id = competition_rewards.competition_id))));

--
-- Name: competition_rounds select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.competition_rounds FOR SELECT USING ((EXISTS ( SELECT 1
   FROM app_public.competitions c
  WHERE (c.id = competition_rounds.competition_id))));

--
-- Name: competition_scores select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.competition_scores FOR SELECT USING ((EXISTS ( SELECT 1
   FROM app_public.competitions c
  WHERE (c.id = competition_scores.competition_id))));

--
-- Name: competitions select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.competitions FOR SELECT USING ((((community_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.communities c
  WHERE (c.id = competitions.community_id)))) AND ((status <> 'draft'::app_public.competition_status) OR ((community_id IS NULL) AND ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) OR (community_id = ANY (( SELECT app_hidden.managed_community_ids() AS managed_community_ids)::uuid[])))));

--
-- Name: conversation_members select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.conversation_members FOR SELECT USING ((EXISTS ( SELECT 1
   FROM app_public.conversations c
  WHERE (c.id = conversation_members.conversation_id))));

--
-- Name: direct_messages select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.direct_messages FOR SELECT USING (((EXISTS ( SELECT 1
   FROM app_public.conversations c
  WHERE (c.id = direct_messages.conversation_id))) AND (NOT (EXISTS ( SELECT 1
   FROM app_public.message_deletions d
  WHERE ((d.message_id = direct_messages.id) AND (d.user_id = ( SELECT app_public.current_user_id() AS current_user_id))))))));

--
-- Name: files select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.files FOR SELECT USING (((owner_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ((status = 'ready'::app_public.file_status) AND (journal_entry_id IS NOT NULL) AND (EXISTS ( SELECT 1
   FROM app_public.journal_entries j
  WHERE (j.id = files.journal_entry_id)))) OR ((status = 'ready'::app_public.file_status) AND (message_id IS NOT NULL) AND (EXISTS ( SELECT 1
   FROM app_public.direct_messages m
  WHERE (m.id = files.message_id))))));

--
-- Name: marketplace_inventory select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.marketplace_inventory FOR SELECT USING ((EXISTS ( SELECT 1
   FROM app_public.marketplace_items i
  WHERE (i.id = marketplace_inventory.item_id))));

--
-- Name: marketplace_items select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.marketplace_items FOR SELECT USING (((is_active AND ((community_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.communities c
  WHERE (c.id = marketplace_items.community_id))))) OR ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)));

--
-- Name: personal_records select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.personal_records FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ((visibility <> 'private'::app_public.audience) AND app_hidden.can_see_profile(user_id) AND ((visibility = 'public'::app_public.audience) OR (user_id = ANY (( SELECT app_hidden.friend_ids(app_public.current_user_id()) AS friend_ids)::uuid[]))) AND app_hidden.shows_records(user_id))));

--
-- Name: user_achievements select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.user_achievements FOR SELECT USING (((user_id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ((NOT (achievement_code = ANY (( SELECT app_hidden.secret_achievement_codes() AS secret_achievement_codes)::text[]))) AND app_hidden.shows_achievements(user_id))));

--
-- Name: users select_visible; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY select_visible ON app_public.users FOR SELECT USING (((id = ( SELECT app_public.current_user_id() AS current_user_id)) OR ((NOT (id = ANY (( SELECT app_hidden.block_peer_ids(app_public.current_user_id()) AS block_peer_ids)::uuid[]))) AND (( SELECT app_public.current_user_is_admin() AS current_user_is_admin) OR (profile_visibility = 'public'::app_public.audience) OR ((profile_visibility = 'friends'::app_public.audience) AND (id = ANY (( SELECT app_hidden.friend_ids(app_public.current_user_id()) AS friend_ids)::uuid[])))))));

--
-- Name: storage_buckets; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.storage_buckets ENABLE ROW LEVEL SECURITY;

--
-- Name: achievement_definitions update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.achievement_definitions FOR UPDATE USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) WITH CHECK (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: area_dimensions update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.area_dimensions FOR UPDATE USING (app_public.current_user_is_admin()) WITH CHECK (app_public.current_user_is_admin());

--
-- Name: life_areas update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.life_areas FOR UPDATE USING (app_public.current_user_is_admin()) WITH CHECK (app_public.current_user_is_admin());

--
-- Name: marketplace_items update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.marketplace_items FOR UPDATE USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) WITH CHECK (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: notification_templates update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.notification_templates FOR UPDATE USING (app_public.current_user_is_admin()) WITH CHECK (app_public.current_user_is_admin());

--
-- Name: notification_types update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.notification_types FOR UPDATE USING (app_public.current_user_is_admin()) WITH CHECK (app_public.current_user_is_admin());

--
-- Name: point_earning_rules update_admin; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admin ON app_public.point_earning_rules FOR UPDATE USING (( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) WITH CHECK (( SELECT app_public.current_user_is_admin() AS current_user_is_admin));

--
-- Name: communities update_admins; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_admins ON app_public.communities FOR UPDATE USING ((app_hidden.community_role(id) >= 'admin'::app_public.community_role)) WITH CHECK ((app_hidden.community_role(id) >= 'admin'::app_public.community_role));

--
-- Name: competition_rewards update_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_organisers ON app_public.competition_rewards FOR UPDATE USING (app_hidden.may_organise_competition(competition_id)) WITH CHECK (app_hidden.may_organise_competition(competition_id));

--
-- Name: competition_rounds update_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_organisers ON app_public.competition_rounds FOR UPDATE USING (app_hidden.may_organise_competition(competition_id)) WITH CHECK (app_hidden.may_organise_competition(competition_id));

--
-- Name: competitions update_organisers; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_organisers ON app_public.competitions FOR UPDATE USING (((status = ANY (ARRAY['draft'::app_public.competition_status, 'scheduled'::app_public.competition_status])) AND (((community_id IS NULL) AND ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) OR (community_id = ANY (( SELECT app_hidden.managed_community_ids() AS managed_community_ids)::uuid[]))))) WITH CHECK ((((community_id IS NULL) AND ( SELECT app_public.current_user_is_admin() AS current_user_is_admin)) OR (community_id = ANY (( SELECT app_hidden.managed_community_ids() AS managed_community_ids)::uuid[]))));

--
-- Name: activity_events update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.activity_events FOR UPDATE USING ((actor_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((actor_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: autobiography_chapters update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.autobiography_chapters FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_conversations update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.coaching_conversations FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: coaching_messages update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.coaching_messages FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: forgiveness_logs update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.forgiveness_logs FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: goals update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.goals FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: integrity_logs update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.integrity_logs FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: journal_entries update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.journal_entries FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: key_results update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.key_results FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: module_progress update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.module_progress FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_preferences update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.notification_preferences FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notification_settings update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.notification_settings FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: notifications update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.notifications FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: personal_records update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.personal_records FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: privacy_settings update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.privacy_settings FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: push_subscriptions update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.push_subscriptions FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationship_interactions update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.relationship_interactions FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: relationships update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.relationships FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: ritual_completions update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.ritual_completions FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: rituals update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.rituals FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: scores update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.scores FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_area_weights update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.user_area_weights FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_locations update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.user_locations FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_settings update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.user_settings FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: webhook_endpoints update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.webhook_endpoints FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: wellness_entries update_own; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_own ON app_public.wellness_entries FOR UPDATE USING ((user_id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((user_id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: users update_self; Type: POLICY; Schema: app_public; Owner: -
--

CREATE POLICY update_self ON app_public.users FOR UPDATE USING ((id = ( SELECT app_public.current_user_id() AS current_user_id))) WITH CHECK ((id = ( SELECT app_public.current_user_id() AS current_user_id)));

--
-- Name: user_achievements; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.user_achievements ENABLE ROW LEVEL SECURITY;

--
-- Name: user_area_weights; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.user_area_weights ENABLE ROW LEVEL SECURITY;

--
-- Name: user_emails; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.user_emails ENABLE ROW LEVEL SECURITY;

--
-- Name: user_locations; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.user_locations ENABLE ROW LEVEL SECURITY;

--
-- Name: user_settings; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.user_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.users ENABLE ROW LEVEL SECURITY;

--
-- Name: webhook_endpoints; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.webhook_endpoints ENABLE ROW LEVEL SECURITY;

--
-- Name: wellness_entries; Type: ROW SECURITY; Schema: app_public; Owner: -
--

ALTER TABLE app_public.wellness_entries ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA app_hidden; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA app_hidden TO :DATABASE_ANONYMOUS;

--
-- Name: SCHEMA app_public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA app_public TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION achievement_event_is_level(event app_public.achievement_event); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.achievement_event_is_level(event app_public.achievement_event) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.achievement_event_is_level(event app_public.achievement_event) TO :DATABASE_ANONYMOUS;

--
-- Name: TABLE activity_events; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.activity_events TO :DATABASE_ANONYMOUS;

--
-- Name: COLUMN activity_events.visibility; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(visibility) ON TABLE app_public.activity_events TO :DATABASE_VISITOR;

--
-- Name: FUNCTION actor_feed_events(actor_id uuid, scope app_public.feed_filter, before_created_at timestamp with time zone, before_id uuid, from_created_at timestamp with time zone, from_id uuid, max_events integer, hidden uuid[], viewer_friends uuid[], viewer_communities uuid[]); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.actor_feed_events(actor_id uuid, scope app_public.feed_filter, before_created_at timestamp with time zone, before_id uuid, from_created_at timestamp with time zone, from_id uuid, max_events integer, hidden uuid[], viewer_friends uuid[], viewer_communities uuid[]) FROM PUBLIC;

--
-- Name: FUNCTION after_quiet_hours(user_id uuid, at timestamp with time zone); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.after_quiet_hours(user_id uuid, at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.after_quiet_hours(user_id uuid, at timestamp with time zone) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION are_friends(a uuid, b uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.are_friends(a uuid, b uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.are_friends(a uuid, b uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION area_weights(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.area_weights(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.area_weights(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION block_peer_ids(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.block_peer_ids(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.block_peer_ids(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION can_see_community(community_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.can_see_community(community_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_see_community(community_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION can_see_competition(competition_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.can_see_competition(competition_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_see_competition(competition_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION can_see_event(actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamp with time zone, hidden_at timestamp with time zone, viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.can_see_event(actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamp with time zone, hidden_at timestamp with time zone, viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_see_event(actor_id uuid, visibility app_public.activity_visibility, community_id uuid, deleted_at timestamp with time zone, hidden_at timestamp with time zone, viewer uuid, viewer_friends uuid[], viewer_block_peers uuid[], viewer_communities uuid[]) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION can_see_profile(target uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.can_see_profile(target uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_see_profile(target uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION community_ids(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.community_ids(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.community_ids(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION community_role(community_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.community_role(community_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.community_role(community_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION earned_achievement_codes(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.earned_achievement_codes(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.earned_achievement_codes(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION feed_position(after text, OUT created_at timestamp with time zone, OUT id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.feed_position(after text, OUT created_at timestamp with time zone, OUT id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.feed_position(after text, OUT created_at timestamp with time zone, OUT id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION followee_ids(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.followee_ids(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.followee_ids(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION friend_ids(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.friend_ids(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.friend_ids(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION hidden_event_ids(); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.hidden_event_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.hidden_event_ids() TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION is_blocked_between(a uuid, b uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.is_blocked_between(a uuid, b uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.is_blocked_between(a uuid, b uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION key_results_progress(goal_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.key_results_progress(goal_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.key_results_progress(goal_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION managed_community_ids(); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.managed_community_ids() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.managed_community_ids() TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION may_organise_competition(competition_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.may_organise_competition(competition_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.may_organise_competition(competition_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamp with time zone); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.next_digest_at(user_id uuid, frequency app_public.digest_frequency, at timestamp with time zone) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION next_local_time(tz text, local_time time without time zone, after timestamp with time zone, rule text, days_of_week smallint[]); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.next_local_time(tz text, local_time time without time zone, after timestamp with time zone, rule text, days_of_week smallint[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.next_local_time(tz text, local_time time without time zone, after timestamp with time zone, rule text, days_of_week smallint[]) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION notification_channels(user_id uuid, type text); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.notification_channels(user_id uuid, type text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.notification_channels(user_id uuid, type text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION period_end(kind app_public.period_kind, day date); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.period_end(kind app_public.period_kind, day date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.period_end(kind app_public.period_kind, day date) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION period_start(kind app_public.period_kind, day date); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.period_start(kind app_public.period_kind, day date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.period_start(kind app_public.period_kind, day date) TO :DATABASE_ANONYMOUS;

--
-- Name: TABLE privacy_settings; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.profile_visibility; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(profile_visibility) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.show_streaks; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(show_streaks) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.show_records; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(show_records) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.show_achievements; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(show_achievements) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.show_location; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(show_location) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.default_activity_visibility; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(default_activity_visibility) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.friend_requests_from; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(friend_requests_from) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN privacy_settings.messages_from; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(messages_from) ON TABLE app_public.privacy_settings TO :DATABASE_VISITOR;

--
-- Name: FUNCTION privacy_of(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.privacy_of(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows integer); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.realtime_activity_replay(scope app_public.feed_filter, after bigint, up_to bigint, max_rows integer) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION current_user_id(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.current_user_id() TO :DATABASE_ANONYMOUS;

--
-- Name: TABLE files; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.files TO :DATABASE_VISITOR;

--
-- Name: FUNCTION request_upload(bucket app_public.file_bucket, content_type text, size bigint, journal_entry_id uuid, message_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.request_upload(bucket app_public.file_bucket, content_type text, size bigint, journal_entry_id uuid, message_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.request_upload(bucket app_public.file_bucket, content_type text, size bigint, journal_entry_id uuid, message_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.ritual_slot_number(cadence app_public.ritual_cadence, days_of_week smallint[], day date) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION ritual_slot_start(cadence app_public.ritual_cadence, day date); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.ritual_slot_start(cadence app_public.ritual_cadence, day date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.ritual_slot_start(cadence app_public.ritual_cadence, day date) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[], first_day date, last_day date); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[], first_day date, last_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.ritual_slots_between(cadence app_public.ritual_cadence, days_of_week smallint[], first_day date, last_day date) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION rollup_trend(user_id uuid, area_id integer, anchor date, days integer); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.rollup_trend(user_id uuid, area_id integer, anchor date, days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.rollup_trend(user_id uuid, area_id integer, anchor date, days integer) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION secret_achievement_codes(); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.secret_achievement_codes() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.secret_achievement_codes() TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION shows_achievements(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.shows_achievements(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.shows_achievements(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION shows_records(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.shows_records(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.shows_records(user_id uuid) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION template_section_error(template text); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.template_section_error(template text) FROM PUBLIC;

--
-- Name: FUNCTION template_unknown_variables(type text, template text); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.template_unknown_variables(type text, template text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.template_unknown_variables(type text, template text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION user_timezone(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.user_timezone(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_timezone(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION user_today(user_id uuid); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.user_today(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_today(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION wellness_stats_for(user_id uuid, first_day date, last_day date); Type: ACL; Schema: app_hidden; Owner: -
--

REVOKE ALL ON FUNCTION app_hidden.wellness_stats_for(user_id uuid, first_day date, last_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.wellness_stats_for(user_id uuid, first_day date, last_day date) TO :DATABASE_VISITOR;

--
-- Name: TABLE community_members; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.community_members TO :DATABASE_VISITOR;

--
-- Name: FUNCTION add_community_member(community_id uuid, user_id uuid, joined_via app_public.community_joined_via); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.add_community_member(community_id uuid, user_id uuid, joined_via app_public.community_joined_via) FROM PUBLIC;

--
-- Name: TABLE user_achievements; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.user_achievements TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION advance_achievements(user_id uuid, event app_public.achievement_event, amount integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.advance_achievements(user_id uuid, event app_public.achievement_event, amount integer) FROM PUBLIC;

--
-- Name: FUNCTION advance_competition(competition_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.advance_competition(competition_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION advance_feed_inbox(keep interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.advance_feed_inbox(keep interval) FROM PUBLIC;

--
-- Name: FUNCTION assert_admin(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_admin() FROM PUBLIC;

--
-- Name: FUNCTION assert_community_role(community_id uuid, needed app_public.community_role); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_community_role(community_id uuid, needed app_public.community_role) FROM PUBLIC;

--
-- Name: FUNCTION assert_competition_organiser(community_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_competition_organiser(community_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION assert_login_session(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_login_session() FROM PUBLIC;

--
-- Name: FUNCTION assert_may_message(me uuid, recipient uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_may_message(me uuid, recipient uuid) FROM PUBLIC;

--
-- Name: FUNCTION assert_other_user(me uuid, other uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_other_user(me uuid, other uuid) FROM PUBLIC;

--
-- Name: FUNCTION assert_strong_password(password text, username text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.assert_strong_password(password text, username text) FROM PUBLIC;

--
-- Name: FUNCTION audit(action text, target_table text, target_id text, before jsonb, after jsonb); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.audit(action text, target_table text, target_id text, before jsonb, after jsonb) FROM PUBLIC;

--
-- Name: FUNCTION audit_forget(user_id uuid, names text[]); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.audit_forget(user_id uuid, names text[]) FROM PUBLIC;

--
-- Name: FUNCTION authenticate_api_key(secret text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.authenticate_api_key(secret text) FROM PUBLIC;

--
-- Name: FUNCTION award_achievements(user_id uuid, event app_public.achievement_event, progress integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.award_achievements(user_id uuid, event app_public.achievement_event, progress integer) FROM PUBLIC;

--
-- Name: TABLE personal_records; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.personal_records TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: COLUMN personal_records.category; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(category),UPDATE(category) ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: COLUMN personal_records.value; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(value),UPDATE(value) ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: COLUMN personal_records.unit; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(unit),UPDATE(unit) ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: COLUMN personal_records.higher_is_better; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(higher_is_better),UPDATE(higher_is_better) ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: COLUMN personal_records.visibility; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(visibility),UPDATE(visibility) ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: COLUMN personal_records.achieved_on; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(achieved_on),UPDATE(achieved_on) ON TABLE app_public.personal_records TO :DATABASE_VISITOR;

--
-- Name: FUNCTION best_personal_record_id(user_id uuid, category text, candidate app_public.personal_records); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.best_personal_record_id(user_id uuid, category text, candidate app_public.personal_records) FROM PUBLIC;

--
-- Name: FUNCTION claim_deliveries(delivery_ids uuid[]); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.claim_deliveries(delivery_ids uuid[]) FROM PUBLIC;

--
-- Name: FUNCTION collect_digest(user_id uuid, channel app_public.notification_channel); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.collect_digest(user_id uuid, channel app_public.notification_channel) FROM PUBLIC;

--
-- Name: FUNCTION competition_standings(competition_id uuid, round_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.competition_standings(competition_id uuid, round_id uuid) FROM PUBLIC;

--
-- Name: TABLE notification_deliveries; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.notification_deliveries TO :DATABASE_VISITOR;

--
-- Name: FUNCTION complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb, error text, provider_message_id text, final_status app_public.delivery_status); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.complete_delivery(delivery_id uuid, succeeded boolean, provider_response jsonb, error text, provider_message_id text, final_status app_public.delivery_status) FROM PUBLIC;

--
-- Name: FUNCTION deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.deliver_in_app(delivery_ids uuid[], titles text[], bodies text[]) FROM PUBLIC;

--
-- Name: TABLE point_transactions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.point_transactions TO :DATABASE_VISITOR;

--
-- Name: FUNCTION earn_points(user_id uuid, rule_code text, source_type text, source_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.earn_points(user_id uuid, rule_code text, source_type text, source_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamp with time zone); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.enqueue_review(user_id uuid, kind app_public.review_kind, day date, run_at timestamp with time zone) FROM PUBLIC;

--
-- Name: FUNCTION enqueue_reviews(kind app_public.review_kind, on_date date); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.enqueue_reviews(kind app_public.review_kind, on_date date) FROM PUBLIC;

--
-- Name: FUNCTION erase_user(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.erase_user(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION export_plan(user_id uuid, reader name); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.export_plan(user_id uuid, reader name) FROM PUBLIC;

--
-- Name: FUNCTION extend_feed_inbox(since timestamp with time zone); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.extend_feed_inbox(since timestamp with time zone) FROM PUBLIC;

--
-- Name: FUNCTION fail_data_export(export_id uuid, error text, final boolean); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.fail_data_export(export_id uuid, error text, final boolean) FROM PUBLIC;

--
-- Name: FUNCTION finalise_competition(competition_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.finalise_competition(competition_id uuid) FROM PUBLIC;

--
-- Name: TABLE data_exports; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.data_exports TO :DATABASE_VISITOR;

--
-- Name: FUNCTION finish_data_export(export_id uuid, file_id uuid, size bigint, sha256 text, expires_at timestamp with time zone, download_url text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.finish_data_export(export_id uuid, file_id uuid, size bigint, sha256 text, expires_at timestamp with time zone, download_url text) FROM PUBLIC;

--
-- Name: FUNCTION fire_goal_check(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.fire_goal_check(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION fire_ritual_reminder(ritual_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.fire_ritual_reminder(ritual_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION fire_weekly_report(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.fire_weekly_report(user_id uuid) FROM PUBLIC;

--
-- Name: TABLE competition_reward_grants; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.competition_reward_grants TO :DATABASE_VISITOR;

--
-- Name: FUNCTION fulfil_reward_grant(grant_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.fulfil_reward_grant(grant_id uuid) FROM PUBLIC;

--
-- Name: TABLE reviews; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.reviews TO :DATABASE_VISITOR;

--
-- Name: FUNCTION generate_review(user_id uuid, kind app_public.review_kind, period_start date); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.generate_review(user_id uuid, kind app_public.review_kind, period_start date) FROM PUBLIC;

--
-- Name: FUNCTION issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval) FROM PUBLIC;

--
-- Name: FUNCTION issue_session(user_id uuid, ttl interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.issue_session(user_id uuid, ttl interval) FROM PUBLIC;

--
-- Name: FUNCTION jsonb_names(value jsonb, user_id uuid, names text[]); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.jsonb_names(value jsonb, user_id uuid, names text[]) FROM PUBLIC;

--
-- Name: TABLE competitions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.competitions TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.competitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN competitions.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(title) ON TABLE app_public.competitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN competitions.rules_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(rules_md) ON TABLE app_public.competitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN competitions.capacity; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(capacity) ON TABLE app_public.competitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN competitions.starts_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(starts_at) ON TABLE app_public.competitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN competitions.ends_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(ends_at) ON TABLE app_public.competitions TO :DATABASE_VISITOR;

--
-- Name: FUNCTION key_competition_jobs(competition app_public.competitions); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.key_competition_jobs(competition app_public.competitions) FROM PUBLIC;

--
-- Name: FUNCTION lock_competition(competition_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.lock_competition(competition_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION lock_feed_actor(actor_id uuid, exclusive boolean); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.lock_feed_actor(actor_id uuid, exclusive boolean) FROM PUBLIC;

--
-- Name: FUNCTION lock_pair(a uuid, b uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.lock_pair(a uuid, b uuid) FROM PUBLIC;

--
-- Name: TABLE point_accounts; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.point_accounts TO :DATABASE_VISITOR;

--
-- Name: FUNCTION lock_point_account(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.lock_point_account(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION login(login text, password text, session_ttl interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.login(login text, password text, session_ttl interval) FROM PUBLIC;

--
-- Name: FUNCTION make_friends(a uuid, b uuid, request_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.make_friends(a uuid, b uuid, request_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION mark_personal_best(user_id uuid, category text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.mark_personal_best(user_id uuid, category text) FROM PUBLIC;

--
-- Name: FUNCTION move_stock(item_id uuid, delta integer, OUT quantity integer, OUT short boolean); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.move_stock(item_id uuid, delta integer, OUT quantity integer, OUT short boolean) FROM PUBLIC;

--
-- Name: FUNCTION new_webhook_secret(endpoint_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.new_webhook_secret(endpoint_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION notify(user_id uuid, type text, data jsonb, dedupe_key text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.notify(user_id uuid, type text, data jsonb, dedupe_key text) FROM PUBLIC;

--
-- Name: TABLE notification_templates; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_templates.type; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(type) ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_templates.channel; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(channel) ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_templates.locale; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(locale) ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_templates.subject; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(subject) ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_templates.body; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(body) ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_templates.is_active; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(is_active),UPDATE(is_active) ON TABLE app_public.notification_templates TO :DATABASE_VISITOR;

--
-- Name: FUNCTION pick_template(type text, channel app_public.notification_channel, locale text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.pick_template(type text, channel app_public.notification_channel, locale text) FROM PUBLIC;

--
-- Name: FUNCTION post_points(user_id uuid, amount integer, reason app_public.point_reason, source_type text, source_id uuid, note text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.post_points(user_id uuid, amount integer, reason app_public.point_reason, source_type text, source_id uuid, note text) FROM PUBLIC;

--
-- Name: FUNCTION provider_report(callback_id text, delivery_id uuid, provider_message_id text, status text, detail text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.provider_report(callback_id text, delivery_id uuid, provider_message_id text, status text, detail text) FROM PUBLIC;

--
-- Name: FUNCTION prune_data_exports(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.prune_data_exports() FROM PUBLIC;

--
-- Name: FUNCTION prune_notifications(read_retention interval, log_retention interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.prune_notifications(read_retention interval, log_retention interval) FROM PUBLIC;

--
-- Name: FUNCTION prune_sessions(retention interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.prune_sessions(retention interval) FROM PUBLIC;

--
-- Name: TABLE marketplace_items; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.marketplace_items TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.description_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(description_md),UPDATE(description_md) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.price; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(price),UPDATE(price) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.community_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(community_id),UPDATE(community_id) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.available_from; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(available_from),UPDATE(available_from) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.available_until; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(available_until),UPDATE(available_until) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.max_per_purchase; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(max_per_purchase),UPDATE(max_per_purchase) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.needs_fulfilment; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(needs_fulfilment),UPDATE(needs_fulfilment) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: COLUMN marketplace_items.is_active; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(is_active),UPDATE(is_active) ON TABLE app_public.marketplace_items TO :DATABASE_VISITOR;

--
-- Name: TABLE marketplace_purchases; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.marketplace_purchases TO :DATABASE_VISITOR;

--
-- Name: FUNCTION purchase_for_decision(purchase_id uuid, community_admins boolean, OUT purchase app_public.marketplace_purchases, OUT item app_public.marketplace_items); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.purchase_for_decision(purchase_id uuid, community_admins boolean, OUT purchase app_public.marketplace_purchases, OUT item app_public.marketplace_items) FROM PUBLIC;

--
-- Name: FUNCTION purge_activity_events(retention interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.purge_activity_events(retention interval) FROM PUBLIC;

--
-- Name: FUNCTION queue_delivery_jobs(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.queue_delivery_jobs() FROM PUBLIC;

--
-- Name: TABLE users; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.users TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.users TO :DATABASE_VISITOR;

--
-- Name: COLUMN users.username; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(username) ON TABLE app_public.users TO :DATABASE_VISITOR;

--
-- Name: COLUMN users.display_name; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(display_name) ON TABLE app_public.users TO :DATABASE_VISITOR;

--
-- Name: COLUMN users.avatar_url; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(avatar_url) ON TABLE app_public.users TO :DATABASE_VISITOR;

--
-- Name: FUNCTION really_create_user(username text, email text, password text, display_name text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.really_create_user(username text, email text, password text, display_name text) FROM PUBLIC;

--
-- Name: FUNCTION realtime_activity_payload(e app_public.activity_events); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.realtime_activity_payload(e app_public.activity_events) FROM PUBLIC;

--
-- Name: FUNCTION realtime_batch(after bigint, viewers uuid[], max_rows integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.realtime_batch(after bigint, viewers uuid[], max_rows integer) FROM PUBLIC;

--
-- Name: FUNCTION realtime_ended_sessions(session_ids uuid[]); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.realtime_ended_sessions(session_ids uuid[]) FROM PUBLIC;

--
-- Name: FUNCTION realtime_prune(keep interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.realtime_prune(keep interval) FROM PUBLIC;

--
-- Name: FUNCTION realtime_publish(topic text, row_id uuid, audience uuid[]); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.realtime_publish(topic text, row_id uuid, audience uuid[]) FROM PUBLIC;

--
-- Name: FUNCTION rebuild_ritual_streaks(ritual_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.rebuild_ritual_streaks(ritual_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION rebuild_rollup_targets(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.rebuild_rollup_targets() FROM PUBLIC;

--
-- Name: FUNCTION recompute_competition_streaks(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.recompute_competition_streaks(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION recompute_rollup_partition(part integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.recompute_rollup_partition(part integer) FROM PUBLIC;

--
-- Name: FUNCTION recompute_rollups(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.recompute_rollups(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION reconcile_points(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.reconcile_points() FROM PUBLIC;

--
-- Name: FUNCTION record_activity(actor_id uuid, verb text, object_type text, object_id uuid, metadata jsonb, dedupe_key text, community_id uuid, visibility app_public.activity_visibility); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.record_activity(actor_id uuid, verb text, object_type text, object_id uuid, metadata jsonb, dedupe_key text, community_id uuid, visibility app_public.activity_visibility) FROM PUBLIC;

--
-- Name: FUNCTION record_retention(task text, removed jsonb); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.record_retention(task text, removed jsonb) FROM PUBLIC;

--
-- Name: FUNCTION refresh_community_metrics(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.refresh_community_metrics() FROM PUBLIC;

--
-- Name: FUNCTION refresh_queued_rollups(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.refresh_queued_rollups() FROM PUBLIC;

--
-- Name: FUNCTION refresh_session(refresh_token text, session_ttl interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.refresh_session(refresh_token text, session_ttl interval) FROM PUBLIC;

--
-- Name: FUNCTION register(username text, email text, password text, display_name text, session_ttl interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.register(username text, email text, password text, display_name text, session_ttl interval) FROM PUBLIC;

--
-- Name: FUNCTION repair_rollups(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.repair_rollups() FROM PUBLIC;

--
-- Name: FUNCTION restand_competition(competition_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.restand_competition(competition_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION restand_participant(competition_id uuid, user_id uuid, round_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.restand_participant(competition_id uuid, user_id uuid, round_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION restock_item(item_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.restock_item(item_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION ritual_numbers(user_id uuid, since timestamp with time zone, until timestamp with time zone, OUT current_streak integer, OUT longest_streak integer, OUT completions integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.ritual_numbers(user_id uuid, since timestamp with time zone, until timestamp with time zone, OUT current_streak integer, OUT longest_streak integer, OUT completions integer) FROM PUBLIC;

--
-- Name: FUNCTION round_score(scoring app_public.scoring_rule, total numeric, best numeric, entries integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.round_score(scoring app_public.scoring_rule, total numeric, best numeric, entries integer) FROM PUBLIC;

--
-- Name: FUNCTION save_journal_analysis(entry_id uuid, analysed_content text, sentiment numeric, summary text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.save_journal_analysis(entry_id uuid, analysed_content text, sentiment numeric, summary text) FROM PUBLIC;

--
-- Name: FUNCTION schedule_delivery(delivery_id uuid, at timestamp with time zone); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.schedule_delivery(delivery_id uuid, at timestamp with time zone) FROM PUBLIC;

--
-- Name: FUNCTION schedule_ritual_reminder(ritual_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.schedule_ritual_reminder(ritual_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION schedule_user_reminders(user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.schedule_user_reminders(user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION send_email_verification(email_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.send_email_verification(email_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION set_data_export_progress(export_id uuid, progress integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.set_data_export_progress(export_id uuid, progress integer) FROM PUBLIC;

--
-- Name: FUNCTION snapshot_profile_stats(on_date date); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.snapshot_profile_stats(on_date date) FROM PUBLIC;

--
-- Name: FUNCTION start_attempt(delivery_id uuid, OUT outcome text, OUT attempt integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.start_attempt(delivery_id uuid, OUT outcome text, OUT attempt integer) FROM PUBLIC;

--
-- Name: FUNCTION start_data_export(export_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.start_data_export(export_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION storage_sweep(pending_for interval); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.storage_sweep(pending_for interval) FROM PUBLIC;

--
-- Name: FUNCTION take_account_token(token text, purpose text); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.take_account_token(token text, purpose text) FROM PUBLIC;

--
-- Name: FUNCTION tg__assert_weights_sum(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg__assert_weights_sum() FROM PUBLIC;

--
-- Name: FUNCTION tg__audit(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg__audit() FROM PUBLIC;

--
-- Name: FUNCTION tg__schedule_reminders(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg__schedule_reminders() FROM PUBLIC;

--
-- Name: FUNCTION tg__timestamps(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg__timestamps() FROM PUBLIC;

--
-- Name: FUNCTION tg_achievement_definitions__award_reached(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_achievement_definitions__award_reached() FROM PUBLIC;

--
-- Name: FUNCTION tg_activity_events__fan_out(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_activity_events__fan_out() FROM PUBLIC;

--
-- Name: FUNCTION tg_activity_events__realtime(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_activity_events__realtime() FROM PUBLIC;

--
-- Name: FUNCTION tg_audit_log__append_only(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_audit_log__append_only() FROM PUBLIC;

--
-- Name: FUNCTION tg_coaching_messages__count(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_coaching_messages__count() FROM PUBLIC;

--
-- Name: FUNCTION tg_community_members__count(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_community_members__count() FROM PUBLIC;

--
-- Name: FUNCTION tg_community_members__keep_founder(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_community_members__keep_founder() FROM PUBLIC;

--
-- Name: FUNCTION tg_competition_participants__count(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competition_participants__count() FROM PUBLIC;

--
-- Name: FUNCTION tg_competition_reward_grants__achievements(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competition_reward_grants__achievements() FROM PUBLIC;

--
-- Name: FUNCTION tg_competition_rounds__standings(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competition_rounds__standings() FROM PUBLIC;

--
-- Name: FUNCTION tg_competition_rounds__validate(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competition_rounds__validate() FROM PUBLIC;

--
-- Name: FUNCTION tg_competition_scores__realtime(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competition_scores__realtime() FROM PUBLIC;

--
-- Name: FUNCTION tg_competition_scores__standings(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competition_scores__standings() FROM PUBLIC;

--
-- Name: FUNCTION tg_competitions__jobs(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competitions__jobs() FROM PUBLIC;

--
-- Name: FUNCTION tg_competitions__validate(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_competitions__validate() FROM PUBLIC;

--
-- Name: FUNCTION tg_conversation_members__realtime(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_conversation_members__realtime() FROM PUBLIC;

--
-- Name: FUNCTION tg_direct_messages__delete_attachments(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_direct_messages__delete_attachments() FROM PUBLIC;

--
-- Name: FUNCTION tg_direct_messages__realtime(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_direct_messages__realtime() FROM PUBLIC;

--
-- Name: FUNCTION tg_files__delete_object(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_files__delete_object() FROM PUBLIC;

--
-- Name: FUNCTION tg_files__replace_avatar(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_files__replace_avatar() FROM PUBLIC;

--
-- Name: FUNCTION tg_files__validate(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_files__validate() FROM PUBLIC;

--
-- Name: FUNCTION tg_follows__counts(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_follows__counts() FROM PUBLIC;

--
-- Name: FUNCTION tg_forgiveness_logs__released(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_forgiveness_logs__released() FROM PUBLIC;

--
-- Name: FUNCTION tg_friendships__achievements(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_friendships__achievements() FROM PUBLIC;

--
-- Name: FUNCTION tg_friendships__activity(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_friendships__activity() FROM PUBLIC;

--
-- Name: FUNCTION tg_friendships__counts(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_friendships__counts() FROM PUBLIC;

--
-- Name: FUNCTION tg_friendships__fill_inbox(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_friendships__fill_inbox() FROM PUBLIC;

--
-- Name: FUNCTION tg_goals__activity(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_goals__activity() FROM PUBLIC;

--
-- Name: FUNCTION tg_goals__points(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_goals__points() FROM PUBLIC;

--
-- Name: FUNCTION tg_goals__progress(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_goals__progress() FROM PUBLIC;

--
-- Name: FUNCTION tg_journal_entries__achievements(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_journal_entries__achievements() FROM PUBLIC;

--
-- Name: FUNCTION tg_journal_entries__analyse(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_journal_entries__analyse() FROM PUBLIC;

--
-- Name: FUNCTION tg_journal_entries__points(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_journal_entries__points() FROM PUBLIC;

--
-- Name: FUNCTION tg_key_results__activity(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_key_results__activity() FROM PUBLIC;

--
-- Name: FUNCTION tg_key_results__goal_progress(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_key_results__goal_progress() FROM PUBLIC;

--
-- Name: FUNCTION tg_marketplace_inventory__audit(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_marketplace_inventory__audit() FROM PUBLIC;

--
-- Name: FUNCTION tg_marketplace_inventory__restock(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_marketplace_inventory__restock() FROM PUBLIC;

--
-- Name: FUNCTION tg_marketplace_items__audit(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_marketplace_items__audit() FROM PUBLIC;

--
-- Name: FUNCTION tg_marketplace_items__created_by(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_marketplace_items__created_by() FROM PUBLIC;

--
-- Name: FUNCTION tg_marketplace_purchases__achievements(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_marketplace_purchases__achievements() FROM PUBLIC;

--
-- Name: FUNCTION tg_notification_deliveries__audit(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_notification_deliveries__audit() FROM PUBLIC;

--
-- Name: FUNCTION tg_notification_templates__validate(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_notification_templates__validate() FROM PUBLIC;

--
-- Name: FUNCTION tg_notifications__realtime(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_notifications__realtime() FROM PUBLIC;

--
-- Name: FUNCTION tg_personal_records__best(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_personal_records__best() FROM PUBLIC;

--
-- Name: FUNCTION tg_personal_records__best_of_row(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_personal_records__best_of_row() FROM PUBLIC;

--
-- Name: FUNCTION tg_point_earning_rules__updated_by(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_point_earning_rules__updated_by() FROM PUBLIC;

--
-- Name: FUNCTION tg_point_transactions__append_only(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_point_transactions__append_only() FROM PUBLIC;

--
-- Name: FUNCTION tg_point_transactions__balance(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_point_transactions__balance() FROM PUBLIC;

--
-- Name: FUNCTION tg_privacy_settings__profile_visibility(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_privacy_settings__profile_visibility() FROM PUBLIC;

--
-- Name: FUNCTION tg_reviews__activity(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_reviews__activity() FROM PUBLIC;

--
-- Name: FUNCTION tg_reviews__ready(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_reviews__ready() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_completions__activity(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_completions__activity() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_completions__competition_streaks(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_completions__competition_streaks() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_completions__points(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_completions__points() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_completions__slot(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_completions__slot() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_completions__streaks(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_completions__streaks() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_streaks__achievements(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_streaks__achievements() FROM PUBLIC;

--
-- Name: FUNCTION tg_ritual_streaks__activity(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_ritual_streaks__activity() FROM PUBLIC;

--
-- Name: FUNCTION tg_rituals__days_of_week(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_rituals__days_of_week() FROM PUBLIC;

--
-- Name: FUNCTION tg_scores__local_date(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_scores__local_date() FROM PUBLIC;

--
-- Name: FUNCTION tg_scores__one_decimal(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_scores__one_decimal() FROM PUBLIC;

--
-- Name: FUNCTION tg_scores__queue_rollup(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_scores__queue_rollup() FROM PUBLIC;

--
-- Name: FUNCTION tg_sessions__notify_ended(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_sessions__notify_ended() FROM PUBLIC;

--
-- Name: FUNCTION tg_unqueued_deliveries__queue_jobs(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_unqueued_deliveries__queue_jobs() FROM PUBLIC;

--
-- Name: FUNCTION tg_user_emails__verify(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_user_emails__verify() FROM PUBLIC;

--
-- Name: FUNCTION tg_users__create_settings(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_users__create_settings() FROM PUBLIC;

--
-- Name: FUNCTION tg_users__delete_rollups(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_users__delete_rollups() FROM PUBLIC;

--
-- Name: FUNCTION tg_users__notification_settings(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_users__notification_settings() FROM PUBLIC;

--
-- Name: FUNCTION tg_users__point_account(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_users__point_account() FROM PUBLIC;

--
-- Name: FUNCTION tg_users__privacy_settings(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_users__privacy_settings() FROM PUBLIC;

--
-- Name: FUNCTION tg_users__profile_counts(); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.tg_users__profile_counts() FROM PUBLIC;

--
-- Name: FUNCTION touch_session(session_id uuid, user_id uuid); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.touch_session(session_id uuid, user_id uuid) FROM PUBLIC;

--
-- Name: FUNCTION trim_feed_inbox(after_viewer uuid, max_viewers integer); Type: ACL; Schema: app_private; Owner: -
--

REVOKE ALL ON FUNCTION app_private.trim_feed_inbox(after_viewer uuid, max_viewers integer) FROM PUBLIC;

--
-- Name: FUNCTION activity_events_actor(e app_public.activity_events); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.activity_events_actor(e app_public.activity_events) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.activity_events_actor(e app_public.activity_events) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION activity_events_cursor(e app_public.activity_events); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.activity_events_cursor(e app_public.activity_events) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.activity_events_cursor(e app_public.activity_events) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION activity_feed(scope app_public.feed_filter, page_size integer, after text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.activity_feed(scope app_public.feed_filter, page_size integer, after text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.activity_feed(scope app_public.feed_filter, page_size integer, after text) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION adjust_points(user_id uuid, amount integer, note text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.adjust_points(user_id uuid, amount integer, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.adjust_points(user_id uuid, amount integer, note text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION archive_notifications(notification_ids uuid[]); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.archive_notifications(notification_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.archive_notifications(notification_ids uuid[]) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION block_user(user_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.block_user(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.block_user(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION cancel_competition(competition_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.cancel_competition(competition_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.cancel_competition(competition_id uuid) TO :DATABASE_VISITOR;

--
-- Name: TABLE friend_requests; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.friend_requests TO :DATABASE_VISITOR;

--
-- Name: FUNCTION cancel_friend_request(request_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.cancel_friend_request(request_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.cancel_friend_request(request_id uuid) TO :DATABASE_VISITOR;

--
-- Name: TABLE community_join_requests; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.community_join_requests TO :DATABASE_VISITOR;

--
-- Name: FUNCTION cancel_join_request(request_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.cancel_join_request(request_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.cancel_join_request(request_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION change_password(old_password text, new_password text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.change_password(old_password text, new_password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.change_password(old_password text, new_password text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION community_feed(community_id uuid, page_size integer, after text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.community_feed(community_id uuid, page_size integer, after text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.community_feed(community_id uuid, page_size integer, after text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION community_metrics(community_id uuid, since date); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.community_metrics(community_id uuid, since date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.community_metrics(community_id uuid, since date) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION competition_leaderboard(competition_id uuid, round_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.competition_leaderboard(competition_id uuid, round_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.competition_leaderboard(competition_id uuid, round_id uuid) TO :DATABASE_VISITOR;

--
-- Name: TABLE conversations; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.conversations TO :DATABASE_VISITOR;

--
-- Name: FUNCTION conversations_other_user(c app_public.conversations); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.conversations_other_user(c app_public.conversations) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.conversations_other_user(c app_public.conversations) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION conversations_unread_count(c app_public.conversations); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.conversations_unread_count(c app_public.conversations) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.conversations_unread_count(c app_public.conversations) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION create_api_key(name text, scopes app_public.api_key_scope[], expires_at timestamp with time zone); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.create_api_key(name text, scopes app_public.api_key_scope[], expires_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_api_key(name text, scopes app_public.api_key_scope[], expires_at timestamp with time zone) TO :DATABASE_VISITOR;

--
-- Name: TABLE communities; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.communities TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.communities TO :DATABASE_VISITOR;

--
-- Name: COLUMN communities.name; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(name) ON TABLE app_public.communities TO :DATABASE_VISITOR;

--
-- Name: COLUMN communities.description_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(description_md) ON TABLE app_public.communities TO :DATABASE_VISITOR;

--
-- Name: COLUMN communities.visibility; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(visibility) ON TABLE app_public.communities TO :DATABASE_VISITOR;

--
-- Name: COLUMN communities.join_policy; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(join_policy) ON TABLE app_public.communities TO :DATABASE_VISITOR;

--
-- Name: FUNCTION create_community(name text, slug text, description_md text, visibility app_public.community_visibility, join_policy app_public.community_join_policy); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.create_community(name text, slug text, description_md text, visibility app_public.community_visibility, join_policy app_public.community_join_policy) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_community(name text, slug text, description_md text, visibility app_public.community_visibility, join_policy app_public.community_join_policy) TO :DATABASE_VISITOR;

--
-- Name: TABLE community_invites; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.community_invites TO :DATABASE_VISITOR;

--
-- Name: FUNCTION create_community_invite(community_id uuid, max_uses integer, expires_in interval); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.create_community_invite(community_id uuid, max_uses integer, expires_in interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_community_invite(community_id uuid, max_uses integer, expires_in interval) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION create_competition(title text, starts_at timestamp with time zone, ends_at timestamp with time zone, community_id uuid, rules_md text, capacity integer); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.create_competition(title text, starts_at timestamp with time zone, ends_at timestamp with time zone, community_id uuid, rules_md text, capacity integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_competition(title text, starts_at timestamp with time zone, ends_at timestamp with time zone, community_id uuid, rules_md text, capacity integer) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION create_webhook_endpoint(url text, event_types text[], description text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.create_webhook_endpoint(url text, event_types text[], description text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_webhook_endpoint(url text, event_types text[], description text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION current_session_id(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.current_session_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.current_session_id() TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION "current_user"(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public."current_user"() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public."current_user"() TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION current_user_is_admin(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.current_user_is_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.current_user_is_admin() TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION decide_join_request(request_id uuid, approve boolean); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.decide_join_request(request_id uuid, approve boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.decide_join_request(request_id uuid, approve boolean) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION delete_account(password text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.delete_account(password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.delete_account(password text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION delete_activity_event(event_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.delete_activity_event(event_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.delete_activity_event(event_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION delete_message(message_id uuid, for_everyone boolean); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.delete_message(message_id uuid, for_everyone boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.delete_message(message_id uuid, for_everyone boolean) TO :DATABASE_VISITOR;

--
-- Name: TABLE direct_messages; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.direct_messages TO :DATABASE_VISITOR;

--
-- Name: FUNCTION direct_messages_delivered_at(m app_public.direct_messages); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.direct_messages_delivered_at(m app_public.direct_messages) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.direct_messages_delivered_at(m app_public.direct_messages) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION direct_messages_read_at(m app_public.direct_messages); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.direct_messages_read_at(m app_public.direct_messages) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.direct_messages_read_at(m app_public.direct_messages) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION discard_delivery(delivery_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.discard_delivery(delivery_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.discard_delivery(delivery_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION edit_message(message_id uuid, body_md text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.edit_message(message_id uuid, body_md text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.edit_message(message_id uuid, body_md text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION follow_user(user_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.follow_user(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.follow_user(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION forgot_password(email text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.forgot_password(email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.forgot_password(email text) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION fulfil_purchase(purchase_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.fulfil_purchase(purchase_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.fulfil_purchase(purchase_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION generate_review(kind app_public.review_kind, period_start date); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.generate_review(kind app_public.review_kind, period_start date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.generate_review(kind app_public.review_kind, period_start date) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION is_valid_timezone(tz text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.is_valid_timezone(tz text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.is_valid_timezone(tz text) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION join_community(community_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.join_community(community_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.join_community(community_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION join_community_by_invite(code text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.join_community_by_invite(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.join_community_by_invite(code text) TO :DATABASE_VISITOR;

--
-- Name: TABLE competition_participants; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.competition_participants TO :DATABASE_VISITOR;

--
-- Name: FUNCTION join_competition(competition_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.join_competition(competition_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.join_competition(competition_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION leave_community(community_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.leave_community(community_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.leave_community(community_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION leave_competition(competition_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.leave_competition(competition_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.leave_competition(competition_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION logout(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.logout() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.logout() TO :DATABASE_VISITOR;

--
-- Name: TABLE conversation_members; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.conversation_members TO :DATABASE_VISITOR;

--
-- Name: FUNCTION mark_conversation(conversation_id uuid, read boolean); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.mark_conversation(conversation_id uuid, read boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.mark_conversation(conversation_id uuid, read boolean) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION mark_notifications_read(notification_ids uuid[]); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.mark_notifications_read(notification_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.mark_notifications_read(notification_ids uuid[]) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION moderate_activity_event(event_id uuid, hide boolean, reason text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.moderate_activity_event(event_id uuid, hide boolean, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.moderate_activity_event(event_id uuid, hide boolean, reason text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION my_achievement_progress(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.my_achievement_progress() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.my_achievement_progress() TO :DATABASE_VISITOR;

--
-- Name: FUNCTION point_balance_drift(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.point_balance_drift() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.point_balance_drift() TO :DATABASE_VISITOR;

--
-- Name: FUNCTION purchase_item(item_id uuid, quantity integer, idempotency_key text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.purchase_item(item_id uuid, quantity integer, idempotency_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.purchase_item(item_id uuid, quantity integer, idempotency_key text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION recompute_rollups(user_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.recompute_rollups(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.recompute_rollups(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: TABLE scores; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: COLUMN scores.area_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(area_id) ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: COLUMN scores.dimension_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(dimension_id) ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: COLUMN scores.recorded_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(recorded_at) ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: COLUMN scores.score_date; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(score_date) ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: COLUMN scores.score; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(score),UPDATE(score) ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: COLUMN scores.note; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(note),UPDATE(note) ON TABLE app_public.scores TO :DATABASE_VISITOR;

--
-- Name: FUNCTION record_score(area_code text, score numeric, score_date date, dimension_code text, note text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.record_score(area_code text, score numeric, score_date date, dimension_code text, note text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.record_score(area_code text, score numeric, score_date date, dimension_code text, note text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION refresh_community_metrics(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.refresh_community_metrics() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.refresh_community_metrics() TO :DATABASE_VISITOR;

--
-- Name: FUNCTION refund_purchase(purchase_id uuid, reason text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.refund_purchase(purchase_id uuid, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.refund_purchase(purchase_id uuid, reason text) TO :DATABASE_VISITOR;

--
-- Name: TABLE relationships; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationships.person_name; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(person_name),UPDATE(person_name) ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationships.kind; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(kind),UPDATE(kind) ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationships.status; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationships.desired_contacts_per_month; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(desired_contacts_per_month),UPDATE(desired_contacts_per_month) ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationships.quality; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(quality),UPDATE(quality) ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationships.notes_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(notes_md),UPDATE(notes_md) ON TABLE app_public.relationships TO :DATABASE_VISITOR;

--
-- Name: FUNCTION relationships_actual_contacts_per_month(r app_public.relationships); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.relationships_actual_contacts_per_month(r app_public.relationships) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.relationships_actual_contacts_per_month(r app_public.relationships) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION relationships_last_contact_at(r app_public.relationships); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.relationships_last_contact_at(r app_public.relationships) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.relationships_last_contact_at(r app_public.relationships) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION remove_community_member(community_id uuid, user_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.remove_community_member(community_id uuid, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.remove_community_member(community_id uuid, user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION request_data_export(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.request_data_export() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.request_data_export() TO :DATABASE_VISITOR;

--
-- Name: FUNCTION request_to_join_community(community_id uuid, message text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.request_to_join_community(community_id uuid, message text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.request_to_join_community(community_id uuid, message text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION resend_email_verification(email_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.resend_email_verification(email_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.resend_email_verification(email_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION reset_password(token text, new_password text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.reset_password(token text, new_password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.reset_password(token text, new_password text) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION respond_to_friend_request(request_id uuid, accept boolean); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.respond_to_friend_request(request_id uuid, accept boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.respond_to_friend_request(request_id uuid, accept boolean) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION retry_delivery(delivery_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.retry_delivery(delivery_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.retry_delivery(delivery_id uuid) TO :DATABASE_VISITOR;

--
-- Name: TABLE api_keys; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.api_keys TO :DATABASE_VISITOR;

--
-- Name: FUNCTION revoke_api_key(api_key_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.revoke_api_key(api_key_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_api_key(api_key_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION revoke_community_invite(invite_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.revoke_community_invite(invite_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_community_invite(invite_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION revoke_purchase(purchase_id uuid, reason text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.revoke_purchase(purchase_id uuid, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_purchase(purchase_id uuid, reason text) TO :DATABASE_VISITOR;

--
-- Name: TABLE rituals; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.area_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(area_id),UPDATE(area_id) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.instructions_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(instructions_md),UPDATE(instructions_md) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.cadence; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(cadence) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.days_of_week; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(days_of_week) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.reminder_enabled; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(reminder_enabled),UPDATE(reminder_enabled) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.reminder_time; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(reminder_time),UPDATE(reminder_time) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: COLUMN rituals.is_active; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(is_active),UPDATE(is_active) ON TABLE app_public.rituals TO :DATABASE_VISITOR;

--
-- Name: FUNCTION rituals_current_streak(r app_public.rituals); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.rituals_current_streak(r app_public.rituals) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.rituals_current_streak(r app_public.rituals) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION rituals_longest_streak(r app_public.rituals); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.rituals_longest_streak(r app_public.rituals) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.rituals_longest_streak(r app_public.rituals) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION rotate_webhook_secret(endpoint_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.rotate_webhook_secret(endpoint_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.rotate_webhook_secret(endpoint_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION schedule_competition(competition_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.schedule_competition(competition_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.schedule_competition(competition_id uuid) TO :DATABASE_VISITOR;

--
-- Name: TABLE score_rollups; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.score_rollups TO :DATABASE_VISITOR;

--
-- Name: FUNCTION score_rollups_trend_30_days(r app_public.score_rollups); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.score_rollups_trend_30_days(r app_public.score_rollups) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.score_rollups_trend_30_days(r app_public.score_rollups) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION score_rollups_trend_7_days(r app_public.score_rollups); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.score_rollups_trend_7_days(r app_public.score_rollups) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.score_rollups_trend_7_days(r app_public.score_rollups) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION score_rollups_trend_90_days(r app_public.score_rollups); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.score_rollups_trend_90_days(r app_public.score_rollups) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.score_rollups_trend_90_days(r app_public.score_rollups) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION search_users(term text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.search_users(term text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.search_users(term text) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION send_friend_request(recipient_id uuid, message text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.send_friend_request(recipient_id uuid, message text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.send_friend_request(recipient_id uuid, message text) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION send_message(recipient_id uuid, body_md text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.send_message(recipient_id uuid, body_md text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.send_message(recipient_id uuid, body_md text) TO :DATABASE_VISITOR;

--
-- Name: TABLE user_area_weights; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.user_area_weights TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_area_weights.area_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(area_id) ON TABLE app_public.user_area_weights TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_area_weights.weight; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(weight),UPDATE(weight) ON TABLE app_public.user_area_weights TO :DATABASE_VISITOR;

--
-- Name: FUNCTION set_area_weights(area_codes text[], weights numeric[]); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.set_area_weights(area_codes text[], weights numeric[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_area_weights(area_codes text[], weights numeric[]) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION set_community_role(community_id uuid, user_id uuid, role app_public.community_role); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.set_community_role(community_id uuid, user_id uuid, role app_public.community_role) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_community_role(community_id uuid, user_id uuid, role app_public.community_role) TO :DATABASE_VISITOR;

--
-- Name: TABLE life_areas; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.life_areas TO :DATABASE_ANONYMOUS;

--
-- Name: COLUMN life_areas.name; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(name) ON TABLE app_public.life_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN life_areas.emoji; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(emoji) ON TABLE app_public.life_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN life_areas.color; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(color) ON TABLE app_public.life_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN life_areas.default_weight; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(default_weight) ON TABLE app_public.life_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN life_areas.is_active; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(is_active) ON TABLE app_public.life_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN life_areas."position"; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE("position") ON TABLE app_public.life_areas TO :DATABASE_VISITOR;

--
-- Name: FUNCTION set_default_area_weights(area_codes text[], weights numeric[]); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.set_default_area_weights(area_codes text[], weights numeric[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_default_area_weights(area_codes text[], weights numeric[]) TO :DATABASE_VISITOR;

--
-- Name: TABLE area_dimensions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.area_dimensions TO :DATABASE_ANONYMOUS;

--
-- Name: COLUMN area_dimensions.name; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(name) ON TABLE app_public.area_dimensions TO :DATABASE_VISITOR;

--
-- Name: COLUMN area_dimensions.default_weight; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(default_weight) ON TABLE app_public.area_dimensions TO :DATABASE_VISITOR;

--
-- Name: FUNCTION set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[]); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_default_dimension_weights(area_code text, dimension_codes text[], weights numeric[]) TO :DATABASE_VISITOR;

--
-- Name: TABLE marketplace_inventory; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.marketplace_inventory TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION set_item_stock(item_id uuid, quantity integer, restock_quantity integer, restock_every interval); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.set_item_stock(item_id uuid, quantity integer, restock_quantity integer, restock_every interval) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_item_stock(item_id uuid, quantity integer, restock_quantity integer, restock_every interval) TO :DATABASE_VISITOR;

--
-- Name: TABLE competition_scores; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.competition_scores TO :DATABASE_VISITOR;

--
-- Name: FUNCTION submit_score(round_id uuid, value numeric); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.submit_score(round_id uuid, value numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.submit_score(round_id uuid, value numeric) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION transfer_community_ownership(community_id uuid, new_founder_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.transfer_community_ownership(community_id uuid, new_founder_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.transfer_community_ownership(community_id uuid, new_founder_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION unblock_user(user_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.unblock_user(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.unblock_user(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION unfollow_user(user_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.unfollow_user(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.unfollow_user(user_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION unfriend(friend_id uuid); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.unfriend(friend_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.unfriend(friend_id uuid) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION unread_message_count(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.unread_message_count() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.unread_message_count() TO :DATABASE_VISITOR;

--
-- Name: FUNCTION unread_notification_counts(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.unread_notification_counts() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.unread_notification_counts() TO :DATABASE_VISITOR;

--
-- Name: FUNCTION users_badges(u app_public.users); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.users_badges(u app_public.users) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_badges(u app_public.users) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION users_gfs(u app_public.users, period app_public.period_kind, on_date date); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.users_gfs(u app_public.users, period app_public.period_kind, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_gfs(u app_public.users, period app_public.period_kind, on_date date) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION users_is_admin(u app_public.users); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.users_is_admin(u app_public.users) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_is_admin(u app_public.users) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION users_is_verified(u app_public.users); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.users_is_verified(u app_public.users) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_is_verified(u app_public.users) TO :DATABASE_ANONYMOUS;

--
-- Name: TABLE user_locations; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.user_locations TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_locations.country_code; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(country_code),UPDATE(country_code) ON TABLE app_public.user_locations TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_locations.region_code; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(region_code),UPDATE(region_code) ON TABLE app_public.user_locations TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_locations.is_visible; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(is_visible),UPDATE(is_visible) ON TABLE app_public.user_locations TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_locations.last_shared_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(last_shared_at),UPDATE(last_shared_at) ON TABLE app_public.user_locations TO :DATABASE_VISITOR;

--
-- Name: FUNCTION users_location(u app_public.users); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.users_location(u app_public.users) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_location(u app_public.users) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION users_stats(u app_public.users); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.users_stats(u app_public.users) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_stats(u app_public.users) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION verify_email(token text); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.verify_email(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.verify_email(token text) TO :DATABASE_ANONYMOUS;

--
-- Name: FUNCTION wellness_stats(days integer); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.wellness_stats(days integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.wellness_stats(days integer) TO :DATABASE_VISITOR;

--
-- Name: FUNCTION wellness_streak(); Type: ACL; Schema: app_public; Owner: -
--

REVOKE ALL ON FUNCTION app_public.wellness_streak() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.wellness_streak() TO :DATABASE_VISITOR;

--
-- Name: TABLE achievement_definitions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.achievement_definitions TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.code; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(code) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.description; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.tier; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(tier),UPDATE(tier) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.event; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(event),UPDATE(event) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.threshold; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(threshold),UPDATE(threshold) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.points; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(points),UPDATE(points) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: COLUMN achievement_definitions.is_secret; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(is_secret),UPDATE(is_secret) ON TABLE app_public.achievement_definitions TO :DATABASE_VISITOR;

--
-- Name: TABLE achievement_progress; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.achievement_progress TO :DATABASE_VISITOR;

--
-- Name: TABLE activity_hides; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.activity_hides TO :DATABASE_VISITOR;

--
-- Name: COLUMN activity_hides.event_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(event_id) ON TABLE app_public.activity_hides TO :DATABASE_VISITOR;

--
-- Name: TABLE activity_verbs; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.activity_verbs TO :DATABASE_ANONYMOUS;

--
-- Name: SEQUENCE area_dimensions_id_seq; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,USAGE ON SEQUENCE app_public.area_dimensions_id_seq TO :DATABASE_VISITOR;

--
-- Name: TABLE audit_log; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.audit_log TO :DATABASE_VISITOR;

--
-- Name: SEQUENCE audit_log_id_seq; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,USAGE ON SEQUENCE app_public.audit_log_id_seq TO :DATABASE_VISITOR;

--
-- Name: TABLE autobiography_chapters; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.autobiography_chapters TO :DATABASE_VISITOR;

--
-- Name: COLUMN autobiography_chapters.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.autobiography_chapters TO :DATABASE_VISITOR;

--
-- Name: COLUMN autobiography_chapters.period_start; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(period_start),UPDATE(period_start) ON TABLE app_public.autobiography_chapters TO :DATABASE_VISITOR;

--
-- Name: COLUMN autobiography_chapters.period_end; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(period_end),UPDATE(period_end) ON TABLE app_public.autobiography_chapters TO :DATABASE_VISITOR;

--
-- Name: COLUMN autobiography_chapters.content_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(content_md),UPDATE(content_md) ON TABLE app_public.autobiography_chapters TO :DATABASE_VISITOR;

--
-- Name: COLUMN autobiography_chapters."position"; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT("position"),UPDATE("position") ON TABLE app_public.autobiography_chapters TO :DATABASE_VISITOR;

--
-- Name: TABLE blocks; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.blocks TO :DATABASE_VISITOR;

--
-- Name: TABLE coaching_conversations; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.coaching_conversations TO :DATABASE_VISITOR;

--
-- Name: COLUMN coaching_conversations.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.coaching_conversations TO :DATABASE_VISITOR;

--
-- Name: COLUMN coaching_conversations.module_name; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(module_name),UPDATE(module_name) ON TABLE app_public.coaching_conversations TO :DATABASE_VISITOR;

--
-- Name: TABLE coaching_messages; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.coaching_messages TO :DATABASE_VISITOR;

--
-- Name: COLUMN coaching_messages.conversation_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(conversation_id) ON TABLE app_public.coaching_messages TO :DATABASE_VISITOR;

--
-- Name: COLUMN coaching_messages.role; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(role) ON TABLE app_public.coaching_messages TO :DATABASE_VISITOR;

--
-- Name: COLUMN coaching_messages.content; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(content) ON TABLE app_public.coaching_messages TO :DATABASE_VISITOR;

--
-- Name: TABLE competition_rewards; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.competition_rewards TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.competition_rewards TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rewards.competition_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(competition_id) ON TABLE app_public.competition_rewards TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rewards.placement_from; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(placement_from),UPDATE(placement_from) ON TABLE app_public.competition_rewards TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rewards.placement_to; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(placement_to),UPDATE(placement_to) ON TABLE app_public.competition_rewards TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rewards.points; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(points),UPDATE(points) ON TABLE app_public.competition_rewards TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rewards.item_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(item_id),UPDATE(item_id) ON TABLE app_public.competition_rewards TO :DATABASE_VISITOR;

--
-- Name: TABLE competition_rounds; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.competition_rounds TO :DATABASE_ANONYMOUS;
GRANT DELETE ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds.competition_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(competition_id) ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds."position"; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT("position"),UPDATE("position") ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds.scoring; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(scoring),UPDATE(scoring) ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds.weight; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(weight),UPDATE(weight) ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds.opens_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(opens_at),UPDATE(opens_at) ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: COLUMN competition_rounds.closes_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(closes_at),UPDATE(closes_at) ON TABLE app_public.competition_rounds TO :DATABASE_VISITOR;

--
-- Name: TABLE content_reports; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.content_reports TO :DATABASE_VISITOR;

--
-- Name: COLUMN content_reports.event_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(event_id) ON TABLE app_public.content_reports TO :DATABASE_VISITOR;

--
-- Name: COLUMN content_reports.message_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(message_id) ON TABLE app_public.content_reports TO :DATABASE_VISITOR;

--
-- Name: COLUMN content_reports.reason; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(reason) ON TABLE app_public.content_reports TO :DATABASE_VISITOR;

--
-- Name: TABLE delivery_attempts; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.delivery_attempts TO :DATABASE_VISITOR;

--
-- Name: SEQUENCE delivery_attempts_id_seq; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,USAGE ON SEQUENCE app_public.delivery_attempts_id_seq TO :DATABASE_VISITOR;

--
-- Name: TABLE follows; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.follows TO :DATABASE_VISITOR;

--
-- Name: TABLE forgiveness_logs; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.forgiveness_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN forgiveness_logs.subject; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(subject),UPDATE(subject) ON TABLE app_public.forgiveness_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN forgiveness_logs.status; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.forgiveness_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN forgiveness_logs.reflection_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(reflection_md),UPDATE(reflection_md) ON TABLE app_public.forgiveness_logs TO :DATABASE_VISITOR;

--
-- Name: TABLE friendships; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.friendships TO :DATABASE_VISITOR;

--
-- Name: TABLE goals; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.area_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(area_id),UPDATE(area_id) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.description_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(description_md),UPDATE(description_md) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.status; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.priority; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(priority),UPDATE(priority) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.progress; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(progress),UPDATE(progress) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: COLUMN goals.target_date; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(target_date),UPDATE(target_date) ON TABLE app_public.goals TO :DATABASE_VISITOR;

--
-- Name: TABLE integrity_logs; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.area_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(area_id),UPDATE(area_id) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.commitment; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(commitment),UPDATE(commitment) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.made_to; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(made_to),UPDATE(made_to) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.due_on; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(due_on),UPDATE(due_on) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.outcome; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(outcome),UPDATE(outcome) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.impact; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(impact),UPDATE(impact) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.impact_level; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(impact_level),UPDATE(impact_level) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.recovery_action; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(recovery_action),UPDATE(recovery_action) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: COLUMN integrity_logs.recovered_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(recovered_at),UPDATE(recovered_at) ON TABLE app_public.integrity_logs TO :DATABASE_VISITOR;

--
-- Name: TABLE journal_entries; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.journal_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN journal_entries.entry_date; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(entry_date),UPDATE(entry_date) ON TABLE app_public.journal_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN journal_entries.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.journal_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN journal_entries.content_md; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(content_md),UPDATE(content_md) ON TABLE app_public.journal_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN journal_entries.tags; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(tags),UPDATE(tags) ON TABLE app_public.journal_entries TO :DATABASE_VISITOR;

--
-- Name: TABLE journal_entry_areas; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.journal_entry_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN journal_entry_areas.entry_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(entry_id) ON TABLE app_public.journal_entry_areas TO :DATABASE_VISITOR;

--
-- Name: COLUMN journal_entry_areas.area_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(area_id) ON TABLE app_public.journal_entry_areas TO :DATABASE_VISITOR;

--
-- Name: TABLE key_results; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: COLUMN key_results.goal_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(goal_id) ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: COLUMN key_results.title; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: COLUMN key_results.start_value; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(start_value),UPDATE(start_value) ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: COLUMN key_results.target_value; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(target_value),UPDATE(target_value) ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: COLUMN key_results.current_value; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(current_value),UPDATE(current_value) ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: COLUMN key_results.unit; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(unit),UPDATE(unit) ON TABLE app_public.key_results TO :DATABASE_VISITOR;

--
-- Name: SEQUENCE life_areas_id_seq; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,USAGE ON SEQUENCE app_public.life_areas_id_seq TO :DATABASE_VISITOR;

--
-- Name: TABLE marketplace_item_audit; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.marketplace_item_audit TO :DATABASE_VISITOR;

--
-- Name: SEQUENCE marketplace_item_audit_id_seq; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,USAGE ON SEQUENCE app_public.marketplace_item_audit_id_seq TO :DATABASE_VISITOR;

--
-- Name: TABLE message_deletions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.message_deletions TO :DATABASE_VISITOR;

--
-- Name: TABLE moderation_actions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.moderation_actions TO :DATABASE_VISITOR;

--
-- Name: TABLE module_progress; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN module_progress.module_name; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(module_name) ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN module_progress.progress_percent; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(progress_percent),UPDATE(progress_percent) ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN module_progress.completed_topics; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(completed_topics),UPDATE(completed_topics) ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN module_progress.current_focus; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(current_focus),UPDATE(current_focus) ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN module_progress.notes; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(notes),UPDATE(notes) ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN module_progress.last_activity_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(last_activity_at),UPDATE(last_activity_at) ON TABLE app_public.module_progress TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_events.id; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT(id) ON TABLE app_public.notification_events TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_events.user_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT(user_id) ON TABLE app_public.notification_events TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_events.type; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT(type) ON TABLE app_public.notification_events TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_events.dedupe_key; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT(dedupe_key) ON TABLE app_public.notification_events TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_events.created_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT(created_at) ON TABLE app_public.notification_events TO :DATABASE_VISITOR;

--
-- Name: TABLE notification_preferences; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.notification_preferences TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_preferences.type; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(type) ON TABLE app_public.notification_preferences TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_preferences.channel; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(channel) ON TABLE app_public.notification_preferences TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_preferences.enabled; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(enabled),UPDATE(enabled) ON TABLE app_public.notification_preferences TO :DATABASE_VISITOR;

--
-- Name: TABLE notification_settings; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.notification_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_settings.quiet_hours_start; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(quiet_hours_start) ON TABLE app_public.notification_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_settings.quiet_hours_end; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(quiet_hours_end) ON TABLE app_public.notification_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_settings.digest_frequency; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(digest_frequency) ON TABLE app_public.notification_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_settings.rate_limit_per_hour; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(rate_limit_per_hour) ON TABLE app_public.notification_settings TO :DATABASE_VISITOR;

--
-- Name: TABLE notification_types; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.notification_types TO :DATABASE_ANONYMOUS;

--
-- Name: COLUMN notification_types.code; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(code) ON TABLE app_public.notification_types TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_types.description; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.notification_types TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_types.variables; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(variables),UPDATE(variables) ON TABLE app_public.notification_types TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_types.default_channels; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(default_channels),UPDATE(default_channels) ON TABLE app_public.notification_types TO :DATABASE_VISITOR;

--
-- Name: COLUMN notification_types.is_transactional; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(is_transactional) ON TABLE app_public.notification_types TO :DATABASE_VISITOR;

--
-- Name: TABLE notifications; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.notifications TO :DATABASE_VISITOR;

--
-- Name: COLUMN notifications.read_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(read_at) ON TABLE app_public.notifications TO :DATABASE_VISITOR;

--
-- Name: COLUMN notifications.archived_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(archived_at) ON TABLE app_public.notifications TO :DATABASE_VISITOR;

--
-- Name: TABLE point_earning_rules; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.point_earning_rules TO :DATABASE_VISITOR;

--
-- Name: COLUMN point_earning_rules.points; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(points) ON TABLE app_public.point_earning_rules TO :DATABASE_VISITOR;

--
-- Name: COLUMN point_earning_rules.daily_cap; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(daily_cap) ON TABLE app_public.point_earning_rules TO :DATABASE_VISITOR;

--
-- Name: COLUMN point_earning_rules.is_active; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(is_active) ON TABLE app_public.point_earning_rules TO :DATABASE_VISITOR;

--
-- Name: COLUMN point_earning_rules.description; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(description) ON TABLE app_public.point_earning_rules TO :DATABASE_VISITOR;

--
-- Name: TABLE profile_stats_daily; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.profile_stats_daily TO :DATABASE_VISITOR;

--
-- Name: TABLE push_subscriptions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.push_subscriptions TO :DATABASE_VISITOR;

--
-- Name: COLUMN push_subscriptions.endpoint; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(endpoint) ON TABLE app_public.push_subscriptions TO :DATABASE_VISITOR;

--
-- Name: COLUMN push_subscriptions.p256dh; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(p256dh) ON TABLE app_public.push_subscriptions TO :DATABASE_VISITOR;

--
-- Name: COLUMN push_subscriptions.auth; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(auth) ON TABLE app_public.push_subscriptions TO :DATABASE_VISITOR;

--
-- Name: COLUMN push_subscriptions.user_agent; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(user_agent) ON TABLE app_public.push_subscriptions TO :DATABASE_VISITOR;

--
-- Name: TABLE relationship_interactions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.relationship_interactions TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationship_interactions.relationship_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(relationship_id) ON TABLE app_public.relationship_interactions TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationship_interactions.occurred_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(occurred_at),UPDATE(occurred_at) ON TABLE app_public.relationship_interactions TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationship_interactions.kind; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(kind),UPDATE(kind) ON TABLE app_public.relationship_interactions TO :DATABASE_VISITOR;

--
-- Name: COLUMN relationship_interactions.note; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(note),UPDATE(note) ON TABLE app_public.relationship_interactions TO :DATABASE_VISITOR;

--
-- Name: TABLE ritual_completions; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.ritual_completions TO :DATABASE_VISITOR;

--
-- Name: COLUMN ritual_completions.ritual_id; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(ritual_id) ON TABLE app_public.ritual_completions TO :DATABASE_VISITOR;

--
-- Name: COLUMN ritual_completions.completed_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(completed_at) ON TABLE app_public.ritual_completions TO :DATABASE_VISITOR;

--
-- Name: COLUMN ritual_completions.note; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(note),UPDATE(note) ON TABLE app_public.ritual_completions TO :DATABASE_VISITOR;

--
-- Name: TABLE ritual_streaks; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.ritual_streaks TO :DATABASE_VISITOR;

--
-- Name: SEQUENCE scores_id_seq; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,USAGE ON SEQUENCE app_public.scores_id_seq TO :DATABASE_VISITOR;

--
-- Name: TABLE storage_buckets; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.storage_buckets TO :DATABASE_ANONYMOUS;

--
-- Name: TABLE user_emails; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.user_emails TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_emails.email; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(email) ON TABLE app_public.user_emails TO :DATABASE_VISITOR;

--
-- Name: TABLE user_settings; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT ON TABLE app_public.user_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_settings.locale; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(locale) ON TABLE app_public.user_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_settings.timezone; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(timezone) ON TABLE app_public.user_settings TO :DATABASE_VISITOR;

--
-- Name: COLUMN user_settings.preferences; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(preferences) ON TABLE app_public.user_settings TO :DATABASE_VISITOR;

--
-- Name: TABLE webhook_endpoints; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.webhook_endpoints TO :DATABASE_VISITOR;

--
-- Name: COLUMN webhook_endpoints.url; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(url) ON TABLE app_public.webhook_endpoints TO :DATABASE_VISITOR;

--
-- Name: COLUMN webhook_endpoints.event_types; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(event_types) ON TABLE app_public.webhook_endpoints TO :DATABASE_VISITOR;

--
-- Name: COLUMN webhook_endpoints.description; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(description) ON TABLE app_public.webhook_endpoints TO :DATABASE_VISITOR;

--
-- Name: COLUMN webhook_endpoints.disabled_at; Type: ACL; Schema: app_public; Owner: -
--

GRANT UPDATE(disabled_at) ON TABLE app_public.webhook_endpoints TO :DATABASE_VISITOR;

--
-- Name: TABLE wellness_entries; Type: ACL; Schema: app_public; Owner: -
--

GRANT SELECT,DELETE ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.entry_date; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(entry_date) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.sleep_hours; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(sleep_hours),UPDATE(sleep_hours) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.water_ml; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(water_ml),UPDATE(water_ml) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.exercise_minutes; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(exercise_minutes),UPDATE(exercise_minutes) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.meditation_minutes; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(meditation_minutes),UPDATE(meditation_minutes) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.mood; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(mood),UPDATE(mood) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.energy; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(energy),UPDATE(energy) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: COLUMN wellness_entries.nutrition_notes; Type: ACL; Schema: app_public; Owner: -
--

GRANT INSERT(nutrition_notes),UPDATE(nutrition_notes) ON TABLE app_public.wellness_entries TO :DATABASE_VISITOR;

--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: app_hidden; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE :DATABASE_OWNER IN SCHEMA app_hidden GRANT SELECT,USAGE ON SEQUENCES  TO :DATABASE_VISITOR;

--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: app_public; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE :DATABASE_OWNER IN SCHEMA app_public GRANT SELECT,USAGE ON SEQUENCES  TO :DATABASE_VISITOR;

--
-- PostgreSQL database dump complete
--

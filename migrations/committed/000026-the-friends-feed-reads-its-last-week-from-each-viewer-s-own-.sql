--! Previous: sha1:63042e6afa166a1026e8b37b2052cba3f18cb0d9
--! Hash: sha1:0ab317615c34c14609d777c4bd184b4fddb197ae
--! Message: The friends feed reads its last week from each viewer's own inbox, written on write

-- The friends feed's recent inbox: fan-out on write for the last week, so a
-- page is one range of the viewer's own rows instead of an index descent per
-- friend (feed/functions.sql, activity_feed, says how the two combine).
drop table if exists app_private.feed_inbox, app_private.feed_inbox_horizon cascade;
create table app_private.feed_inbox (
  viewer_id uuid not null references app_public.users on delete cascade,
  created_at timestamptz not null,
  -- No foreign key: a cascade from activity_events would need an index on
  -- event_id, written for every row; a page joins the event and drops a row
  -- whose event is gone, and the trim removes it with its week.
  event_id uuid not null,
  primary key (viewer_id, created_at, event_id)
);
create table app_private.feed_inbox_horizon (
  only_row boolean primary key default true constraint feed_inbox_horizon_one_row check (only_row),
  starts_at timestamptz not null
);
-- Nothing is older than now in an inbox that starts now: pages before it
-- come from the events, as they did.
insert into app_private.feed_inbox_horizon (starts_at) values (now());

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

-- The recent inbox (app_private.feed_inbox): for every friendship, a row
-- per event of the friend's since the horizon that was ever shared (not
-- private when written, or made shared since), whatever became of it after:
-- a page still asks can_see_event, so unfriending, blocks, hides, deletes
-- and a return to private need no change here. Three writers keep it true:
-- an event's fan-out to the actor's friends, a shared-again event's, and a
-- new friendship's backfill of the friend's events. Fan-outs and backfills
-- of one actor take turns on this lock (fan-outs share it, a backfill takes
-- it alone): otherwise an event and a friendship committed together each
-- miss the other, and the page misses the event.
create or replace function app_private.lock_feed_actor(actor_id uuid, exclusive boolean) returns void as $$
begin
  if exclusive then
    perform pg_advisory_xact_lock(hashtextextended(actor_id::text, 17));
  else
    perform pg_advisory_xact_lock_shared(hashtextextended(actor_id::text, 17));
  end if;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.lock_feed_actor(uuid, boolean) is
  'Serialises an actor''s inbox backfills (exclusive) with their fan-outs (shared) until the transaction ends.';

-- The week kept: the horizon moves first, in a transaction of its own, and
-- pages stop reading what lies below it; the rows go afterwards
-- (trim_feed_inbox), so a trim cut short leaves only rows no page reads.
create or replace function app_private.advance_feed_inbox(keep interval) returns timestamptz as $$
  update app_private.feed_inbox_horizon set starts_at = greatest(starts_at, now() - keep) returning starts_at;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.advance_feed_inbox(interval) is
  'Moves the inbox horizon to now - keep (never back); returns it.';

-- One batch of the trim: the rows below the horizon of the next max_viewers
-- viewers after after_viewer (by id, on the primary key). Returns the last
-- viewer of the batch, or null when none was left.
create or replace function app_private.trim_feed_inbox(after_viewer uuid, max_viewers int) returns uuid as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.trim_feed_inbox(uuid, int) is
  'Deletes the inbox rows below the horizon of a batch of viewers; returns the batch''s last viewer (null: done).';

-- Moves the horizon back to since, filling the inbox for the time between:
-- for a database whose events came in bulk (an import, the benchmark's seed)
-- rather than through the triggers. It locks friendships and events against
-- writes while it runs: a friendship or a shared-again event in between
-- would be missed by both.
create or replace function app_private.extend_feed_inbox(since timestamptz) returns bigint as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.extend_feed_inbox(timestamptz) is
  'Moves the inbox horizon back to since and fills the inbox for the time between; returns the rows added.';

-- The events the current user took out of their feed, for the feed itself:
-- definer, so the feed never reads activity_hides (closed to anonymous).
create or replace function app_hidden.hidden_event_ids() returns uuid[] as $$
begin
  return (select coalesce(array_agg(h.event_id), '{}') from app_public.activity_hides h where h.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.hidden_event_ids() is 'The events the current user hid from their feed.';
grant execute on function app_hidden.hidden_event_ids() to :DATABASE_ANONYMOUS;

-- Stable, as to_char and convert_to are: declared immutable, it was not
-- inlined (Postgres inlines a function only as volatile as its body) and
-- ran as a function call for each row of a page, about 3 µs each.
create or replace function app_public.activity_events_cursor(e app_public.activity_events) returns text as $$
  -- ISO 8601 in UTC to the microsecond: the same text whatever the session's
  -- DateStyle. Postgres's base64 breaks lines every 76 characters, and a
  -- cursor is 88: the break is taken out, so a cursor is one token a client
  -- can put in a URL or a log line (decode skips whitespace, so cursors
  -- handed out with the break still work).
  select translate(encode(convert_to(to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '|' || e.id::text, 'utf8'), 'base64'), E'\n', '');
$$ language sql stable;
comment on function app_public.activity_events_cursor(app_public.activity_events) is
  'Pass it as `after` to activityFeed for the events older than this one.';
grant execute on function app_public.activity_events_cursor(app_public.activity_events) to :DATABASE_ANONYMOUS;

-- Where a page starts: the (created_at, id) an `after` cursor names (the
-- inverse of activity_events_cursor), or past everything without one.
-- Whatever else a client sends is one BADIN that says what a cursor is,
-- not the parser's word for the part of it that failed.
create or replace function app_hidden.feed_position(after text, out created_at timestamptz, out id uuid) as $$
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
$$ language plpgsql stable;
comment on function app_hidden.feed_position(text) is
  'The (created_at, id) an `after` cursor names, or past everything for none; anything else is BADIN.';
grant execute on function app_hidden.feed_position(text) to :DATABASE_ANONYMOUS;

-- The events an actor contributes to a friends or following page: their
-- events others may ever see (never private, deleted or hidden), in
-- [from, before) by (created_at, id), newest first, at most max_events,
-- that this viewer may see (the scope and viewer arrays as activity_feed
-- has them) and did not hide. A SQL function so that Postgres inlines it
-- into the feed's statement, where the filter is written once for both of
-- its passes: the first reads only the keys (created_at, id), so Postgres
-- drops the other columns and reads the partial index of shared events
-- alone; the second reads whole rows, a heap page or so per event, where a
-- pass of keys then looked each event up again by its primary key.
create or replace function app_hidden.actor_feed_events(actor_id uuid, scope app_public.feed_filter,
  before_created_at timestamptz, before_id uuid, from_created_at timestamptz, from_id uuid, max_events int,
  hidden uuid[], viewer_friends uuid[], viewer_communities uuid[])
returns setof app_public.activity_events as $$
  select e.* from app_public.activity_events e
  where e.actor_id = actor_feed_events.actor_id and e.visibility <> 'private' and e.deleted_at is null and e.hidden_at is null
    and (e.created_at, e.id) < (before_created_at, before_id) and (e.created_at, e.id) >= (from_created_at, from_id)
    and e.id <> all (hidden)
    and (e.visibility = 'public'
      or (e.visibility = 'friends' and (scope = 'friends' or e.actor_id = any (viewer_friends)))
      or (e.visibility = 'community' and e.community_id = any (viewer_communities)))
  order by e.created_at desc, e.id desc
  limit max_events;
$$ language sql stable;
comment on function app_hidden.actor_feed_events(uuid, app_public.feed_filter, timestamptz, uuid, timestamptz, uuid, int, uuid[], uuid[], uuid[]) is
  'One actor''s events in a range that a friends or following feed page may show, newest first.';

-- A page of the feed: one statement per page, on indexes, newest first,
-- before the `after` cursor. A definer, because it applies the visibility
-- rule itself, with the viewer's friends, blocks and communities computed
-- once: every row it returns passes app_hidden.can_see_event, as the
-- activity_events policy would decide it, and the scans before it only
-- narrow what reaches that check (under the policy, each candidate key
-- went through the rule again, with those arrays computed a second time).
--   - friends and following, in two passes over each actor's newest events
--     (app_hidden.actor_feed_events): first each actor's newest key, then,
--     from the actors whose newest is at least the page_size-th newest of
--     those, their events down to it. The page cannot end below it: page_size
--     actors each have a key at or above it. So a page reads about one key
--     per actor and page_size more, not page_size per actor.
--   - friends, from the horizon of the recent inbox on: the viewer's own
--     inbox rows, newest first, each event checked as above. Every shared
--     event of a friend since the horizon has a row there, so a page the
--     inbox fills is one range scan and page_size events; a page that
--     reaches the horizon takes the rest from the two passes below it.
--   - me: the actor index; public: the partial index of public events.
-- Hidden events are left out inside each scan, so a page of them is no end
-- of the feed. PL/pgSQL, so each session plans each branch once.
create or replace function app_public.activity_feed(scope app_public.feed_filter default 'friends', page_size int default 20, after text default null)
returns setof app_public.activity_events as $$
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
      select e.* from app_private.feed_inbox i join app_public.activity_events e on e.id = i.event_id
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
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.activity_feed(app_public.feed_filter, int, text) is
  E'@behavior -connection +list\n@listSuffix omit\n@orderedBy created_at desc, id desc\nYour feed, newest first: scope friends (default), following, me or public; up to pageSize events (1-100, default 20) older than the `after` cursor (an event''s `cursor`). Hidden and deleted events are left out.';
grant execute on function app_public.activity_feed(app_public.feed_filter, int, text) to :DATABASE_ANONYMOUS;

-- Who did it, shown with the event to whoever may see the event (even when
-- their profile is not otherwise visible to that viewer). A column of the
-- event's own row, not a relation: row-level security on users would hide
-- an actor the viewer cannot see, and filter by a scan of every user. Joined
-- into the feed's own statement (@orderedBy on activity_feed).
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
--! Included feed/triggers.sql
-- Trigger functions and triggers of the feed domain: the sources of activity
-- events. Each passes a dedupe key, so a trigger that fires again (a streak
-- rebuilt, a review regenerated) writes no second event.

create or replace function app_private.tg_ritual_completions__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'rituals.completed', 'ritual', new.ritual_id,
    jsonb_build_object('ritual_title', (select title from app_public.rituals where id = new.ritual_id), 'slot_start', new.slot_start),
    'completion:' || new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_completions__activity() is 'A kept ritual is an activity.';

-- The highest milestone a streak has just reached (7, 30, 100, 365 slots).
create or replace function app_private.tg_ritual_streaks__activity() returns trigger as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_ritual_streaks__activity() is 'A streak reaching 7, 30, 100 or 365 is an activity.';

create or replace function app_private.tg_goals__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'goals.done', 'goal', new.id,
    jsonb_build_object('goal_title', new.title), 'goal:' || new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_goals__activity() is 'A goal done is an activity.';

create or replace function app_private.tg_key_results__activity() returns trigger as $$
begin
  if (new.target_value > new.start_value and new.current_value >= new.target_value)
      or (new.target_value < new.start_value and new.current_value <= new.target_value) then
    perform app_private.record_activity(new.user_id, 'goals.key_result_reached', 'key_result', new.id,
      jsonb_build_object('goal_title', (select title from app_public.goals where id = new.goal_id), 'key_result_title', new.title),
      'key_result:' || new.id);
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_key_results__activity() is 'A key result reached is an activity (once).';

create or replace function app_private.tg_friendships__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'social.friendship', 'user', new.friend_id,
    jsonb_build_object('friend_username', (select username from app_public.users where id = new.friend_id)),
    format('friendship:%s:%s', new.friend_id, new.source_request_id));
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_friendships__activity() is 'A new friendship is an activity of each friend.';

create or replace function app_private.tg_reviews__activity() returns trigger as $$
begin
  perform app_private.record_activity(new.user_id, 'reviews.completed', 'review', new.id,
    jsonb_build_object('kind', new.kind, 'period_start', new.period_start), 'review:' || new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_reviews__activity() is 'A completed review is an activity (its scores stay private).';

-- The recent inbox's writers (feed/functions.sql, lock_feed_actor, says
-- what the inbox holds and why they lock). An event shared when written, or
-- shared since, goes to each friend of its actor's; a page still decides
-- whether the friend sees it.
create or replace function app_private.tg_activity_events__fan_out() returns trigger as $$
begin
  perform app_private.lock_feed_actor(new.actor_id, false);
  -- After the lock, so that this statement sees a friendship that committed while it waited.
  insert into app_private.feed_inbox (viewer_id, created_at, event_id)
    select f.friend_id, new.created_at, new.id from app_public.friendships f
    where f.user_id = new.actor_id and new.created_at >= (select h.starts_at from app_private.feed_inbox_horizon h)
    on conflict do nothing;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_activity_events__fan_out() is 'Puts a shared event in the inboxes of its actor''s friends.';

-- A new friend's events since the horizon, in the inbox of the user who now
-- sees them. Before the row is written, and before any other trigger of the
-- friendship writes an event: the friendship's two actors are locked here
-- first, in uuid order, so two friendships made at once never wait on each
-- other in a circle. Both rows of a friendship come in one statement, and
-- the second row's locks are already held.
create or replace function app_private.tg_friendships__fill_inbox() returns trigger as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_friendships__fill_inbox() is 'Fills a new friend''s recent events into the inbox.';

create or replace trigger _700_activity after insert on app_public.ritual_completions
  for each row execute procedure app_private.tg_ritual_completions__activity();

create or replace trigger _700_activity after insert or update of length on app_public.ritual_streaks
  for each row execute procedure app_private.tg_ritual_streaks__activity();

create or replace trigger _700_activity after insert or update of status on app_public.goals
  for each row when (new.status = 'done') execute procedure app_private.tg_goals__activity();

create or replace trigger _700_activity after insert or update of current_value, target_value on app_public.key_results
  for each row execute procedure app_private.tg_key_results__activity();

create or replace trigger _700_activity after insert on app_public.friendships
  for each row execute procedure app_private.tg_friendships__activity();

create or replace trigger _700_activity after insert on app_public.reviews
  for each row execute procedure app_private.tg_reviews__activity();

create or replace trigger _800_feed_inbox after insert on app_public.activity_events
  for each row when (new.visibility <> 'private') execute procedure app_private.tg_activity_events__fan_out();

create or replace trigger _800_feed_inbox_shared after update of visibility on app_public.activity_events
  for each row when (old.visibility = 'private' and new.visibility <> 'private')
  execute procedure app_private.tg_activity_events__fan_out();

create or replace trigger _100_feed_inbox before insert on app_public.friendships
  for each row execute procedure app_private.tg_friendships__fill_inbox();
--! EndIncluded feed/triggers.sql
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

-- app_private.feed_inbox and its horizon: the feed's own, read and written
-- by definer functions and triggers only.
alter table app_private.feed_inbox enable row level security;
drop policy if exists no_visitor_access on app_private.feed_inbox;
create policy no_visitor_access on app_private.feed_inbox as restrictive using (false);
alter table app_private.feed_inbox_horizon enable row level security;
drop policy if exists no_visitor_access on app_private.feed_inbox_horizon;
create policy no_visitor_access on app_private.feed_inbox_horizon as restrictive using (false);
--! EndIncluded feed/policies.sql
--! Included feed/comments.sql
-- Comments on the feed tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.feed_filter is 'Whose events a feed shows: your friends'', those you follow, yours, or everyone''s public ones.';
comment on table app_public.activity_verbs is E'@behavior -insert -update -delete\nWhat an activity event can say, and the metadata each verb carries.';
comment on table app_public.activity_events is
  E'@behavior -insert -delete\nWhat people did (kept a ritual, finished a goal, made a friend…), written by the database. You see an event when app_hidden.can_see_event says so; you may change the visibility of your own.';
comment on column app_public.activity_events.verb is E'@behavior +filterBy\nWhat happened, e.g. rituals.completed.';
comment on column app_public.activity_events.object_type is 'The kind of thing the event is about (ritual, goal, key_result, user, review).';
comment on column app_public.activity_events.object_id is 'The id of that thing.';
comment on column app_public.activity_events.metadata is 'Details for display; each verb has its own keys (see activityVerbs).';
comment on column app_public.activity_events.visibility is 'Who may see it; set from your default when written, and yours to change.';
comment on column app_public.activity_events.community_id is 'The community a community-visible event belongs to.';
comment on column app_public.activity_events.dedupe_key is E'@behavior -*\nMakes a repeated trigger write one event.';
comment on column app_public.activity_events.deleted_at is E'@behavior -*\nWhen its author deleted it.';
comment on column app_public.activity_events.hidden_at is E'@behavior -*\nWhen a moderator hid it.';
comment on column app_public.activity_events.hidden_by is E'@behavior -*\nThe moderator who hid it.';
comment on constraint activity_events_actor_id_fkey on app_public.activity_events is
  E'@behavior -*\nShown as the actor field instead (feed/functions.sql says why).';
comment on constraint activity_events_hidden_by_fkey on app_public.activity_events is E'@behavior -*';
comment on table app_public.activity_hides is E'@behavior -update\nEvents you took out of your own feed.';
comment on table app_public.content_reports is E'@behavior -update -delete\nReports of events or messages that break the rules, for the moderators.';
comment on column app_public.content_reports.reason is 'What is wrong with it (1-1000 characters).';
comment on table app_public.moderation_actions is E'@behavior -insert -update -delete\nThe audit trail of moderation: deletions by authors, hides by moderators. Administrators only.';
comment on table app_private.feed_inbox is
  'The recent inbox of each friends feed: a row per shared event of a friend since the horizon (feed/functions.sql, lock_feed_actor).';
comment on table app_private.feed_inbox_horizon is
  'Where the recent inbox starts: pages read it from here on, and below it from the events (moved daily by feed__trim_inbox).';
--! EndIncluded feed/comments.sql
--! Included privacy/functions.sql
-- Functions of the privacy domain: export, erasure and retention
-- (docs/privacy.md says what each keeps and why).

-- ---------------------------------------------------------------- export

-- One export a day: a request within 24 hours of one that did not fail is
-- refused (EXPRT). The lock makes two requests at once queue, so only one
-- of them passes the check.
create or replace function app_public.request_data_export() returns app_public.data_exports as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.request_data_export() to :DATABASE_VISITOR;

-- What the export of one user reads: every table whose rows are deleted
-- with the user (a cascading foreign key to users, or a user_id column with
-- no key), then, level by level, the tables whose rows are deleted with
-- those rows and carry no user of their own. Found in the catalog, so a new
-- table is exported without a change here. Each query selects the columns
-- `reader` may read; the worker runs them as that user, so row-level
-- security keeps out what the user may not see (a block against them, a
-- report on their post).
create or replace function app_private.export_plan(user_id uuid, reader name)
returns table (table_name text, query text) as $$
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
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.start_data_export(export_id uuid) returns app_public.data_exports as $$
  update app_public.data_exports e
    set status = 'running', progress = 0, started_at = now(), error = null
    where e.id = start_data_export.export_id and e.status in ('queued', 'running')
    returning *;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.set_data_export_progress(export_id uuid, progress int) returns void as $$
  update app_public.data_exports e set progress = greatest(0, least(99, set_data_export_progress.progress))
    where e.id = set_data_export_progress.export_id and e.status = 'running';
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

-- The archive is stored: its file row, the export ready, and the owner told
-- with a link that lasts as long as the archive.
create or replace function app_private.finish_data_export(export_id uuid, file_id uuid, size bigint, sha256 text,
  expires_at timestamptz, download_url text) returns app_public.data_exports as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;

-- A failed attempt waits for the job's retry (queued); the last one fails
-- the export, which then no longer counts against the daily limit.
create or replace function app_private.fail_data_export(export_id uuid, error text, final boolean) returns void as $$
  update app_public.data_exports e
    set status = case when final then 'failed'::app_public.data_export_status else 'queued' end,
      error = left(fail_data_export.error, 500), finished_at = case when final then now() end
    where e.id = fail_data_export.export_id and e.status in ('queued', 'running');
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

-- --------------------------------------------------------------- erasure

-- Erases an account (docs/privacy.md): what others keep moves to a new
-- tombstone account that names nobody; the user's row then goes, and with
-- it, by cascade, everything of theirs: data, sessions, API keys, files.
create or replace function app_private.erase_user(user_id uuid) returns jsonb as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;

-- Deleting your account takes your password and a sign-in of the last 10
-- minutes (REAUT): a stolen session that was left open cannot do it.
create or replace function app_public.delete_account(password text) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
grant execute on function app_public.delete_account(text) to :DATABASE_VISITOR;

-- ------------------------------------------------------------- retention

create or replace function app_private.record_retention(task text, removed jsonb) returns void as $$
  insert into app_private.retention_runs (task, removed) values (task, removed);
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

-- Activity older than the retention period goes, unless it is flagged: a
-- report or a moderation action on it keeps it as evidence.
create or replace function app_private.purge_activity_events(retention interval) returns int as $$
  with purged as (
    delete from app_public.activity_events e
    where e.created_at < now() - retention
      and not exists (select 1 from app_public.content_reports r where r.event_id = e.id)
      and not exists (select 1 from app_public.moderation_actions m where m.event_id = e.id)
    returning 1
  )
  select count(*)::int from purged;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

-- An expired export loses its archive: the file row goes (the storage
-- domain's trigger removes the object) and the export says so.
create or replace function app_private.prune_data_exports() returns int as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;

comment on function app_public.request_data_export() is
  'Asks for an export of everything you own. One a day (EXPRT) unless the last one failed; follow its progress in `dataExports`.';
comment on function app_private.export_plan(uuid, name) is
  'The query of each table an export reads for the user, found by walking the foreign keys to users; columns are those `reader` may select.';
comment on function app_private.start_data_export(uuid) is 'Marks an export running; null when it is no longer queued or running.';
comment on function app_private.set_data_export_progress(uuid, int) is 'Records a running export''s progress (0–99).';
comment on function app_private.finish_data_export(uuid, uuid, bigint, text, timestamptz, text) is
  'Records the stored archive, marks the export ready and notifies its owner (privacy.export_ready) with the download link.';
comment on function app_private.fail_data_export(uuid, text, boolean) is
  'Records a failed attempt: queued again for a retry, or failed after the last one.';
comment on function app_private.erase_user(uuid) is
  'Erases an account (docs/privacy.md): shared content moves to a new tombstone account, the rest goes with the user row. Returns what moved.';
comment on function app_public.delete_account(text) is
  'Deletes your account and your data for good. Needs your password and a sign-in of the last 10 minutes (REAUT). Messages you sent stay with their recipients, signed by a deleted account.';
comment on function app_private.record_retention(text, jsonb) is 'Records what a retention job removed.';
comment on function app_private.purge_activity_events(interval) is
  'Deletes activity events older than the retention period, except flagged ones (reported or moderated).';
comment on function app_private.prune_data_exports() is
  'Expires ready exports past their expiry and deletes their archives (the storage trigger removes the objects).';
--! EndIncluded privacy/functions.sql

--! Previous: sha1:89300aaca46a9881cca64c263c4eda82c7f02b18
--! Hash: sha1:9df6f31e7ce36995e67b8f3de043920c25aa7a80
--! Message: A malformed feed cursor is one clear BADIN, the same for activityFeed and communityFeed

-- A malformed feed cursor is one clear BADIN (app_hidden.feed_position), for activityFeed and communityFeed alike.
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
  if cardinality(v_parts) is distinct from 2 or created_at is null or id is null then
    raise exception '`after` must be the `cursor` of an event of this feed.' using errcode = 'BADIN';
  end if;
end;
$$ language plpgsql stable;
comment on function app_hidden.feed_position(text) is
  'The (created_at, id) an `after` cursor names, or past everything for none; anything else is BADIN.';
grant execute on function app_hidden.feed_position(text) to :DATABASE_ANONYMOUS;

-- The keys an actor contributes to a friends or following page: their
-- events others may ever see (never private, deleted or hidden), in
-- [from, before) by (created_at, id), newest first, at most max_keys, that
-- this viewer may see (the scope and viewer arrays as activity_feed has
-- them) and did not hide. Read from the partial index of shared events,
-- with no heap reads. A SQL function so that Postgres inlines it into the
-- feed's statement: the filter is written once for both of its passes.
create or replace function app_hidden.actor_feed_keys(actor_id uuid, scope app_public.feed_filter,
  before_created_at timestamptz, before_id uuid, from_created_at timestamptz, from_id uuid, max_keys int,
  hidden uuid[], viewer_friends uuid[], viewer_communities uuid[])
returns table (created_at timestamptz, id uuid) as $$
  select e.created_at, e.id from app_public.activity_events e
  where e.actor_id = actor_feed_keys.actor_id and e.visibility <> 'private' and e.deleted_at is null and e.hidden_at is null
    and (e.created_at, e.id) < (before_created_at, before_id) and (e.created_at, e.id) >= (from_created_at, from_id)
    and e.id <> all (hidden)
    and (e.visibility = 'public'
      or (e.visibility = 'friends' and (scope = 'friends' or e.actor_id = any (viewer_friends)))
      or (e.visibility = 'community' and e.community_id = any (viewer_communities)))
  order by e.created_at desc, e.id desc
  limit max_keys;
$$ language sql stable;
comment on function app_hidden.actor_feed_keys(uuid, app_public.feed_filter, timestamptz, uuid, timestamptz, uuid, int, uuid[], uuid[], uuid[]) is
  'The keys of one actor''s events in a range that a friends or following feed page may show, newest first.';

-- A page of the feed: one statement per page, on indexes, newest first,
-- before the `after` cursor. A definer, because it applies the visibility
-- rule itself, with the viewer's friends, blocks and communities computed
-- once: every row it returns passes app_hidden.can_see_event, as the
-- activity_events policy would decide it, and the scans before it only
-- narrow what reaches that check (under the policy, each candidate key
-- went through the rule again, with those arrays computed a second time).
--   - friends and following, in two passes over each actor's newest keys
--     (app_hidden.actor_feed_keys): first each actor's newest one, then,
--     from the actors whose newest is at least the page_size-th newest of
--     those, their keys down to it. The page cannot end below it: page_size
--     actors each have a key at or above it. So a page reads about one key
--     per actor and page_size more, not page_size per actor.
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
begin
  select p.created_at, p.id into v_before_at, v_before_id from app_hidden.feed_position(activity_feed.after) p;
  if scope in ('friends', 'following') and v_me is not null then
    return query
    with newest as (
      select k.created_at, k.id, a.actor_id
      from unnest(case scope when 'friends' then v_friends else app_hidden.followee_ids(v_me) end) a(actor_id)
      cross join lateral app_hidden.actor_feed_keys(a.actor_id, scope, v_before_at, v_before_id,
        '-infinity', '00000000-0000-0000-0000-000000000000', 1, v_hidden, v_friends, v_communities) k
      where a.actor_id <> all (v_blocked)
    ), bound as (
      -- The page_size-th newest of the actors' newest keys, or the very
      -- beginning when fewer actors have any.
      select * from (select n.created_at, n.id from newest n order by 1 desc, 2 desc offset v_size - 1 limit 1) b
      union all select '-infinity', '00000000-0000-0000-0000-000000000000'
      order by 1 desc, 2 desc limit 1
    ), keys as (
      select k.created_at, k.id
      from bound b join newest n on (n.created_at, n.id) >= (b.created_at, b.id)
      cross join lateral app_hidden.actor_feed_keys(n.actor_id, scope, v_before_at, v_before_id,
        b.created_at, b.id, v_size, v_hidden, v_friends, v_communities) k
      order by 1 desc, 2 desc
      limit v_size
    )
    select e.* from keys k join app_public.activity_events e on e.id = k.id
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
--! Included communities/functions.sql
-- Functions of the communities domain: who belongs where, and the only ways
-- membership, roles, invites and join requests change.

-- The communities of a user, for policies and the feed rule: called once per
-- statement (wrapped in a scalar subquery). Definer: memberships of private
-- communities are not readable to everyone; answers for the current user only.
create or replace function app_hidden.community_ids(user_id uuid) returns uuid[] as $$
begin
  return (select coalesce(array_agg(m.community_id), '{}') from app_public.community_members m
    where m.user_id = community_ids.user_id and community_ids.user_id = app_public.current_user_id());
end;
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
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
  select e.* from app_public.activity_events e, app_hidden.feed_position(community_feed.after) cur
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

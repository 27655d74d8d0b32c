--! Previous: sha1:50295bf7ef25394b1c0876619d7774c62bb62db3
--! Hash: sha1:75bd2b6e2fc599e0276c5333a954ab7a885ef99f
--! Message: The realtime hub's batch statement is PL/pgSQL and keeps its plan for the session

-- The realtime hub's batch statement keeps its plan for the session (PL/pgSQL): it was planned again at every batch.
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
-- friends or followers, for the friends and following scopes. PL/pgSQL, so
-- that each gateway's session plans this statement once, not at every batch.
create or replace function app_private.realtime_batch(after bigint, viewers uuid[], max_rows int)
returns table (seq bigint, topic text, actor_id uuid, visibility app_public.activity_visibility, payload jsonb,
  receivers uuid[], friends uuid[], followers uuid[]) as $$
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
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
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

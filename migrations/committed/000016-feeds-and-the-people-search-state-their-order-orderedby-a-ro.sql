--! Previous: sha1:2127382d8f29b043d7a9ca1aab473e3db3662697
--! Hash: sha1:cc83722cbfbb0dd0b51fdf7e004cb23875e875cb
--! Message: Feeds and the people search state their order (@orderedBy): a row's single-row fields join into the page's one statement

-- Smart tags: @orderedBy on the feeds and the people search (src/graphql/ordered-functions.ts).
--! Included social/functions.sql
-- Functions of the social domain: who can see whom, and the only ways to
-- change friendships, requests, blocks and follows.

-- The relations of one user, for policies: each is called once per statement
-- (wrapped in a scalar subquery), so a feed page compares against an array
-- instead of querying per row. Definer: friendships and blocks are private,
-- so each answers about the current user only (empty for anyone else).
create or replace function app_hidden.friend_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(f.friend_id), '{}') from app_public.friendships f
  where f.user_id = friend_ids.user_id and friend_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.friend_ids(uuid) is 'The friends of a user.';
grant execute on function app_hidden.friend_ids(uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.followee_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(f.followee_id), '{}') from app_public.follows f
  where f.follower_id = followee_ids.user_id and followee_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.followee_ids(uuid) is 'Whom a user follows.';
grant execute on function app_hidden.followee_ids(uuid) to :DATABASE_ANONYMOUS;

-- A block works both ways: the users a user blocked, and those who blocked them.
create or replace function app_hidden.block_peer_ids(user_id uuid) returns uuid[] as $$
  select coalesce(array_agg(peer), '{}') from (
    select b.blocked_id as peer from app_public.blocks b where b.blocker_id = block_peer_ids.user_id
    union
    select b.blocker_id from app_public.blocks b where b.blocked_id = block_peer_ids.user_id
  ) p
  where block_peer_ids.user_id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.block_peer_ids(uuid) is 'Everyone a user blocked or was blocked by.';
grant execute on function app_hidden.block_peer_ids(uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.is_blocked_between(a uuid, b uuid) returns boolean as $$
  select app_public.current_user_id() in (a, b) and exists (select 1 from app_public.blocks
    where (blocker_id = a and blocked_id = b) or (blocker_id = b and blocked_id = a));
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.is_blocked_between(uuid, uuid) is 'True when either user blocked the other.';
grant execute on function app_hidden.is_blocked_between(uuid, uuid) to :DATABASE_ANONYMOUS;

create or replace function app_hidden.are_friends(a uuid, b uuid) returns boolean as $$
  select app_public.current_user_id() in (a, b) and exists (select 1 from app_public.friendships where user_id = a and friend_id = b);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.are_friends(uuid, uuid) is 'True when the two users are friends.';
grant execute on function app_hidden.are_friends(uuid, uuid) to :DATABASE_ANONYMOUS;

-- Another user's settings, for the functions whose rules depend on them
-- (send_message): owner only, the visitor reads only their own row.
create or replace function app_hidden.privacy_of(user_id uuid) returns app_public.privacy_settings as $$
  select p.* from app_public.privacy_settings p where p.user_id = privacy_of.user_id;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.privacy_of(uuid) is 'A user''s privacy settings, for security definer functions (not the visitor).';
revoke execute on function app_hidden.privacy_of(uuid) from :DATABASE_ANONYMOUS;

-- The one rule for profiles: oneself always; nobody across a block; then the
-- owner's profile visibility (public: anyone, anonymous included; friends:
-- friends; private: nobody else). Administrators see every profile, for
-- moderation. A blocked user gets the same answer as for a missing one.
create or replace function app_hidden.can_see_profile(target uuid) returns boolean as $$
  -- One statement, no nested calls. The users policy writes the same rule out.
  select target = v.viewer or (
    not exists (select 1 from app_public.blocks b
      where (b.blocker_id = v.viewer and b.blocked_id = target) or (b.blocker_id = target and b.blocked_id = v.viewer))
    and (exists (select 1 from app_private.user_flags f where f.user_id = v.viewer and f.is_admin)
      or exists (select 1 from app_public.users u where u.id = target
        and (u.profile_visibility = 'public' or (u.profile_visibility = 'friends'
          and exists (select 1 from app_public.friendships f where f.user_id = v.viewer and f.friend_id = target))))))
  from (select app_public.current_user_id() as viewer) v;
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.can_see_profile(uuid) is 'Whether the current viewer may see a user''s profile.';
grant execute on function app_hidden.can_see_profile(uuid) to :DATABASE_ANONYMOUS;

-- The one setting policies need of another user: whether the profile, when
-- the viewer may see it, shows its records.
create or replace function app_hidden.shows_records(user_id uuid) returns boolean as $$
  select app_hidden.can_see_profile(shows_records.user_id)
    and coalesce((select p.show_records from app_public.privacy_settings p where p.user_id = shows_records.user_id), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.shows_records(uuid) is 'Whether a user''s profile shows their personal records.';
grant execute on function app_hidden.shows_records(uuid) to :DATABASE_ANONYMOUS;

-- Requests and messages between two users are serialised on the pair: the
-- crossing requests of two users, or a block racing a message, take turns.
create or replace function app_private.lock_pair(a uuid, b uuid) returns void as $$
  select pg_advisory_xact_lock(hashtextextended(least(a, b)::text || greatest(a, b)::text, 7));
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.lock_pair(uuid, uuid) is 'Serialises changes between two users until the transaction ends.';

-- The user another may act on: NOFND when missing, invisible, or across a
-- block, so a blocked user cannot tell a blocker from nobody; BADIN for oneself.
create or replace function app_private.assert_other_user(me uuid, other uuid) returns void as $$
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
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_other_user(uuid, uuid) is 'Raises unless the other user exists, is not oneself and is not across a block.';

create or replace function app_private.make_friends(a uuid, b uuid, request_id uuid) returns void as $$
  insert into app_public.friendships (user_id, friend_id, source_request_id)
  values (a, b, request_id), (b, a, request_id)
  on conflict do nothing;
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.make_friends(uuid, uuid, uuid) is 'Writes both rows of a friendship.';

-- Sends a request; if the other user's request to us is pending, the two
-- become friends instead (and that request is accepted).
create or replace function app_public.send_friend_request(recipient_id uuid, message text default null)
returns app_public.friend_requests as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.send_friend_request(uuid, text) is
  'Asks someone to be your friend (or accepts their pending request to you). Errors: NOFND, BADIN, FRDUP, FRNOT, FRLIM.';
grant execute on function app_public.send_friend_request(uuid, text) to :DATABASE_VISITOR;

create or replace function app_public.respond_to_friend_request(request_id uuid, accept boolean)
returns app_public.friend_requests as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.respond_to_friend_request(uuid, boolean) is
  'Accepts or declines a request sent to you; accepting makes you friends. Errors: NOFND.';
grant execute on function app_public.respond_to_friend_request(uuid, boolean) to :DATABASE_VISITOR;

create or replace function app_public.cancel_friend_request(request_id uuid) returns app_public.friend_requests as $$
  update app_public.friend_requests set status = 'cancelled', responded_at = now()
  where id = request_id and requester_id = app_public.current_user_id() and status = 'pending'
  returning *;
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.cancel_friend_request(uuid) is 'Takes back a request you sent that is still pending (null when there is none).';
grant execute on function app_public.cancel_friend_request(uuid) to :DATABASE_VISITOR;

create or replace function app_public.unfriend(friend_id uuid) returns boolean as $$
declare
  v_me uuid := app_public.current_user_id();
begin
  perform app_private.lock_pair(v_me, friend_id);
  delete from app_public.friendships f
    where (f.user_id = v_me and f.friend_id = unfriend.friend_id) or (f.user_id = unfriend.friend_id and f.friend_id = v_me);
  return found;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unfriend(uuid) is 'Ends a friendship, both ways. False when you were not friends.';
grant execute on function app_public.unfriend(uuid) to :DATABASE_VISITOR;

-- Blocking ends the friendship, the follows both ways and open requests.
create or replace function app_public.block_user(user_id uuid) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.block_user(uuid) is
  'Blocks a user: nothing passes between you any more, and your friendship, follows and requests end.';
grant execute on function app_public.block_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.unblock_user(user_id uuid) returns boolean as $$
  with gone as (
    delete from app_public.blocks b where b.blocker_id = app_public.current_user_id() and b.blocked_id = unblock_user.user_id
    returning 1
  ) select exists (select 1 from gone);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unblock_user(uuid) is 'Lifts your block of a user (friendships and follows do not come back).';
grant execute on function app_public.unblock_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.follow_user(user_id uuid) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.follow_user(uuid) is 'Follows someone whose profile you can see. Errors: NOFND, BADIN.';
grant execute on function app_public.follow_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.unfollow_user(user_id uuid) returns boolean as $$
  with gone as (
    delete from app_public.follows f where f.follower_id = app_public.current_user_id() and f.followee_id = unfollow_user.user_id
    returning 1
  ) select exists (select 1 from gone);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.unfollow_user(uuid) is 'Stops following someone.';
grant execute on function app_public.unfollow_user(uuid) to :DATABASE_VISITOR;

create or replace function app_public.search_users(term text) returns setof app_public.users as $$
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
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.search_users(text) is
  E'@behavior -connection +list\n@listSuffix omit\n@orderedBy username\nUp to 20 people whose username starts with, or display name contains, the term (2-50 characters), among those you may see.';
grant execute on function app_public.search_users(text) to :DATABASE_ANONYMOUS;
--! EndIncluded social/functions.sql
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
  E'@behavior -connection +list\n@listSuffix omit\n@orderedBy created_at desc, id desc\nA community''s events, newest first, for its members: up to pageSize (1-100) older than the `after` cursor.';
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

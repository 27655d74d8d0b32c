--! Previous: sha1:23b0fe67bfab680a2b2ff4202feb235fec047a23
--! Hash: sha1:ecaf9049b517dd4a15940dfeeb37b167ced525f1
--! Message: Bounds on founding communities and on scores per round

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

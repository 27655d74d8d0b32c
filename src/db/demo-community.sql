-- The demo users' community life, so that a community with roles, a running
-- competition with a leaderboard, a marketplace and achievements show in
-- Ruru on first start. src/db/seed.ts runs this file (as the owner) after
-- demo-social.sql, then calls pg_temp.seed_demo_community() on every start:
-- it does nothing once the community exists, so a second start changes
-- nothing. Points balances and achievement progress come from the real
-- triggers on the demo life data (ritual completions, journal entries,
-- friendships); what is written here goes through the same triggers.
create or replace function pg_temp.seed_demo_community() returns void as $seed$
declare
  alice uuid := (select id from app_public.users where username = 'alice');
  bob uuid := (select id from app_public.users where username = 'bob');
  carol uuid := (select id from app_public.users where username = 'carol');
  dan uuid := (select id from app_public.users where username = 'dan');
  community uuid;
  competition uuid;
  round_one uuid;
  round_two uuid;
  item uuid;
begin
  if exists (select 1 from app_public.communities where slug = 'morning-rituals') then
    return;
  end if;

  -- A public, open community founded by alice: bob is an admin, carol a
  -- moderator, dan a member.
  insert into app_public.communities (name, slug, description_md, visibility, join_policy, founder_id, created_at)
    values ('Morning Rituals', 'morning-rituals', 'People who start the day on purpose: share your mornings, join the monthly challenge.',
      'public', 'open', alice, now() - interval '40 days')
    returning id into community;
  insert into app_public.community_members (community_id, user_id, role, joined_via, joined_at) values
    (community, alice, 'founder', 'discovery', now() - interval '40 days'),
    (community, bob, 'admin', 'invite', now() - interval '35 days'),
    (community, carol, 'moderator', 'discovery', now() - interval '20 days'),
    (community, dan, 'member', 'discovery', now() - interval '3 days');
  insert into app_public.community_invites (community_id, created_by, max_uses) values (community, alice, 10);

  -- A competition of the community that started a week ago and runs three
  -- more weeks: a scored round of mornings kept (the sum of what each
  -- participant submits) and a streak round the database computes from
  -- their ritual completions. Podium rewards in points and an item.
  insert into app_public.competitions (community_id, title, rules_md, capacity, starts_at, ends_at, status, created_by)
    values (community, 'November Mornings', 'Log each morning you kept your ritual before 8:00. The longest streak counts double.',
      50, now() - interval '7 days', now() + interval '21 days', 'scheduled', alice)
    returning id into competition;
  insert into app_public.competition_rounds (competition_id, position, title, scoring, weight, opens_at, closes_at)
    values (competition, 1, 'Mornings kept', 'sum', 1, now() - interval '7 days', now() + interval '21 days')
    returning id into round_one;
  insert into app_public.competition_rounds (competition_id, position, title, scoring, weight, opens_at, closes_at)
    values (competition, 2, 'Longest streak', 'streak', 2, now() - interval '7 days', now() + interval '21 days')
    returning id into round_two;
  insert into app_public.competition_participants (competition_id, user_id, joined_at)
    select competition, u, now() - interval '8 days' from unnest(array[alice, bob, carol, dan]) u;
  update app_public.competitions set status = 'active' where id = competition;
  insert into app_public.competition_scores (round_id, competition_id, user_id, value, submitted_at)
    select round_one, competition, s.u, s.v, now() - s.ago
    from (values (alice, 1, interval '6 days'), (alice, 1, interval '5 days'), (alice, 1, interval '3 days'),
      (bob, 1, interval '6 days'), (bob, 1, interval '4 days'), (bob, 1, interval '2 days'),
      (carol, 1, interval '5 days'), (dan, 1, interval '1 day')) s(u, v, ago);
  -- The streak round from the rituals they kept this week, as a new
  -- completion would compute it.
  perform app_private.recompute_competition_streaks(u) from unnest(array[alice, bob, carol, dan]) u;

  -- The marketplace: one global item without a supply limit, one item of
  -- the community with 5 in stock that restocks weekly.
  insert into app_public.marketplace_items (title, description_md, price, created_by)
    values ('Guided breathing pack', 'Ten guided breathing sessions for your mornings.', 120, alice);
  insert into app_public.marketplace_items (title, description_md, price, community_id, max_per_purchase, created_by)
    values ('Morning Rituals mug', 'The community mug. Shipped by the community admins.', 400, community, 2, alice)
    returning id into item;
  insert into app_public.marketplace_inventory (item_id, sku, quantity, restock_quantity, restock_every, restock_at)
    values (item, 'MR-MUG-01', 5, 5, interval '7 days', now() + interval '7 days');
  insert into app_public.competition_rewards (competition_id, placement_from, placement_to, points, item_id) values
    (competition, 1, 1, 500, null), (competition, 2, 3, 200, null), (competition, 1, 1, null, item);
end;
$seed$ language plpgsql;

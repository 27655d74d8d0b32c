-- The demo users' social life, so that friends, follows, a block, a feed and
-- a conversation show in Ruru on first start. src/db/seed.ts runs this file
-- (as the owner) to define the function, then calls
-- pg_temp.seed_demo_social() on every start: each step leaves what exists as
-- it is, so a second start changes nothing. The activity events come from
-- the real triggers: the demo life data (ritual completions, streaks, goals,
-- reviews) and the friendships below.
create or replace function pg_temp.seed_demo_social() returns void as $seed$
declare
  alice uuid := (select id from app_public.users where username = 'alice');
  bob uuid := (select id from app_public.users where username = 'bob');
  carol uuid := (select id from app_public.users where username = 'carol');
  dan uuid := (select id from app_public.users where username = 'dan');
  erin uuid := (select id from app_public.users where username = 'erin');
  conversation uuid;
begin
  -- Friends, both rows of each pair by the function an accepted request
  -- calls; its triggers keep the friend counts and write each side's
  -- social.friendship event.
  perform app_private.make_friends(f.a, f.b, null)
  from (values (alice, bob), (alice, carol), (bob, carol), (carol, dan)) f(a, b);

  -- Follows of profiles the follower may see (bob and dan are public, bob is
  -- alice's friend); the counts trigger keeps followers and following.
  insert into app_public.follows (follower_id, followee_id)
  values (alice, dan), (bob, alice), (dan, bob), (erin, bob)
  on conflict do nothing;

  -- One block: erin blocked dan (no friendship, follow or request between
  -- them that blocking would have ended).
  insert into app_public.blocks (blocker_id, blocked_id) values (erin, dan) on conflict do nothing;

  -- Bob and alice talk; alice has not read bob's last message yet. As
  -- sendMessage writes it: the ordered pair, both members, the messages, the
  -- conversation's last message, and each member's receipts.
  if not exists (select 1 from app_public.conversations c where c.user_low = least(alice, bob) and c.user_high = greatest(alice, bob)) then
    insert into app_public.conversations (user_low, user_high, created_at)
      values (least(alice, bob), greatest(alice, bob), now() - interval '26 hours')
      returning id into conversation;
    insert into app_public.conversation_members (conversation_id, user_id) values (conversation, alice), (conversation, bob);
    insert into app_public.direct_messages (conversation_id, sender_id, body_md, created_at)
    select conversation, m.sender, m.body, now() - m.ago
    from (values
      (bob, 'Thirty days of **morning pages** in a row, I saw it in the feed. How do you keep it up?', interval '26 hours'),
      (alice, 'The phone stays in the kitchen until three pages are done. Want to try it with me this week?', interval '25 hours 50 minutes'),
      (bob, 'Deal. And yoga on Wednesday?', interval '25 hours 45 minutes'),
      (alice, 'Yes! 18:30 as usual.', interval '25 hours 30 minutes'),
      (bob, 'Day one done. Two pages, but it counts 🙂', interval '40 minutes')
    ) as m(sender, body, ago);
    update app_public.conversations c set last_message_at = (select max(m.created_at) from app_public.direct_messages m where m.conversation_id = c.id)
      where c.id = conversation;
    update app_public.conversation_members cm set delivered_up_to = now() - interval '25 hours 30 minutes', read_up_to = now() - interval '25 hours 30 minutes'
      where cm.conversation_id = conversation and cm.user_id = bob;
    update app_public.conversation_members cm set delivered_up_to = now() - interval '40 minutes', read_up_to = now() - interval '25 hours 45 minutes'
      where cm.conversation_id = conversation and cm.user_id = alice;
  end if;
end;
$seed$ language plpgsql;

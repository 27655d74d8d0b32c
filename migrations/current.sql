--------------------------------------------------------------------------------
-- realtime: the ordered log live subscriptions stream from
--------------------------------------------------------------------------------
create table app_private.realtime_log (
  seq bigint generated always as identity primary key,
  topic text not null constraint realtime_topic check (topic in ('activity', 'message', 'receipt', 'notification')),
  row_id uuid not null,
  audience uuid[],
  created_at timestamptz not null default now(),
  constraint realtime_audience check ((topic = 'activity') = (audience is null))
);
-- Pruning by age of an append-only table.
create index realtime_log_created_at_idx on app_private.realtime_log using brin (created_at);

--!include realtime/functions.sql
--!include realtime/triggers.sql
--!include realtime/policies.sql
--!include realtime/comments.sql

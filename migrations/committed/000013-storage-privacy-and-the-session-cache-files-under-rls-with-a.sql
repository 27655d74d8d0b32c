--! Previous: sha1:cf0b7b141dc9035cdb9ff5aa06cc9aee0607cf25
--! Hash: sha1:56def699c6c6db58a70b212ae55860eeac1b156d
--! Message: Storage, privacy and the session cache: files under RLS with attachments and avatars; data exports, erasure with tombstones and an audit log that forgets; retention runs; revocations notify gateways

-- Storage: buckets, file rows under RLS, attachments and avatars.
create type app_public.file_bucket as enum ('attachments', 'avatars', 'exports');
create type app_public.file_status as enum ('pending', 'ready');

create table app_public.storage_buckets (
  id app_public.file_bucket primary key,
  max_bytes bigint not null constraint bucket_max_bytes_positive check (max_bytes > 0),
  content_types text[] not null,
  public_read boolean not null default false
);
-- tar.gz is detected from its bytes as gzip.
insert into app_public.storage_buckets (id, max_bytes, content_types, public_read) values
  ('attachments', 50 * 1024 * 1024, '{image/jpeg,image/png,image/gif,image/webp,application/pdf}', false),
  ('avatars', 5 * 1024 * 1024, '{image/jpeg,image/png,image/gif,image/webp}', true),
  ('exports', 100 * 1024 * 1024, '{application/zip,application/gzip}', false);

create table app_public.files (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default app_public.current_user_id() references app_public.users on delete cascade,
  bucket app_public.file_bucket not null,
  key text not null constraint file_key_unique unique,
  size bigint not null constraint file_size_positive check (size > 0),
  content_type text not null,
  sha256 text constraint file_sha256_format check (sha256 ~ '^[0-9a-f]{64}$'),
  status app_public.file_status not null default 'pending',
  journal_entry_id uuid references app_public.journal_entries on delete cascade,
  message_id uuid references app_public.direct_messages on delete cascade,
  created_at timestamptz not null default now(),
  upload_started_at timestamptz,
  uploaded_at timestamptz,
  expires_at timestamptz,
  constraint file_ready_when_checked check ((status = 'ready') = (sha256 is not null and uploaded_at is not null)),
  constraint file_attached_once check (num_nonnulls(journal_entry_id, message_id) <= 1),
  constraint file_avatar_unattached check (bucket <> 'avatars' or num_nonnulls(journal_entry_id, message_id) = 0)
);
create index files_owner_id_idx on app_public.files (owner_id, bucket, status);
create index files_journal_entry_id_idx on app_public.files (journal_entry_id) where journal_entry_id is not null;
create index files_message_id_idx on app_public.files (message_id) where message_id is not null;
create index files_pending_idx on app_public.files (created_at) where status = 'pending';
create index files_expires_at_idx on app_public.files (expires_at) where expires_at is not null;

--! Included storage/functions.sql
-- Functions of the storage domain. The bytes never pass through Postgres:
-- a row here is the metadata and the permission; the gateway streams the
-- file to the backend (src/storage/) once the row exists.

-- Definer: the visitor has no insert grant on files, so this is the one way a
-- client makes a row, and it checks what a plain insert could not (the
-- attached row is the caller's, the pending cap). Bucket types and sizes are
-- checked by the _200_validate trigger, for the server's own rows too.
create or replace function app_hidden.request_upload(
  bucket app_public.file_bucket,
  content_type text,
  size bigint,
  journal_entry_id uuid default null,
  message_id uuid default null
) returns app_public.files as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_hidden.request_upload(app_public.file_bucket, text, bigint, uuid, uuid) is
  'Makes a pending file row of the current user (requestUpload): FTYPE, FSIZE, FPEND, NOFND, DNIED.';
grant execute on function app_hidden.request_upload(app_public.file_bucket, text, bigint, uuid, uuid) to :DATABASE_VISITOR;

-- The daily sweep (storage__sweep): uploads never finished, and exports past
-- their expiry. Deleting the rows queues the deletion of their objects.
create or replace function app_private.storage_sweep(pending_for interval) returns integer as $$
  with gone as (
    delete from app_public.files
    where (status = 'pending' and created_at < now() - pending_for)
       or expires_at < now()
    returning 1
  )
  select count(*)::int from gone;
$$ language sql volatile;
comment on function app_private.storage_sweep(interval) is
  'Deletes file rows whose upload never finished within `pending_for`, and those past expires_at; returns how many.';
--! EndIncluded storage/functions.sql
--! Included storage/triggers.sql
-- Trigger functions and triggers of the storage domain.

-- The server makes the key (no client text reaches a path) and checks the
-- bucket's rules, whoever inserts: the visitor through request_upload, or the
-- worker writing an export.
create or replace function app_private.tg_files__validate() returns trigger as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_files__validate() is 'Checks a new file against its bucket (FTYPE, FSIZE) and makes its key.';

create or replace trigger _200_validate before insert on app_public.files
  for each row execute procedure app_private.tg_files__validate();

-- Definer: the visitor has no access to graphile_worker. The object goes in
-- a job after commit, so a rolled-back delete keeps its file.
create or replace function app_private.tg_files__delete_object() returns trigger as $$
begin
  perform graphile_worker.add_job('storage__delete', json_build_object('bucket', old.bucket, 'key', old.key),
    max_attempts := 10);
  if old.bucket = 'avatars' then
    update app_public.users set avatar_url = null
    where id = old.owner_id and avatar_url like '%/storage/avatars/' || old.id;
  end if;
  return old;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_files__delete_object() is
  'Queues the deletion of a deleted row''s object, and clears the profile picture that was that file.';

create or replace trigger _500_delete_object after delete on app_public.files
  for each row execute procedure app_private.tg_files__delete_object();

-- One avatar a user: a new one replaces (and so deletes) the old ones.
create or replace function app_private.tg_files__replace_avatar() returns trigger as $$
begin
  delete from app_public.files f
  where f.owner_id = new.owner_id and f.bucket = 'avatars' and f.id <> new.id and f.status = 'ready';
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_files__replace_avatar() is 'Deletes the older avatars of a user whose new avatar is ready.';

create or replace trigger _500_replace_avatar after update of status on app_public.files
  for each row when (new.bucket = 'avatars' and new.status = 'ready' and old.status = 'pending')
  execute procedure app_private.tg_files__replace_avatar();

-- A message deleted for everyone keeps its row (for the thread's receipts),
-- so its attachments would stay readable: delete them with it.
create or replace function app_private.tg_direct_messages__delete_attachments() returns trigger as $$
begin
  delete from app_public.files f where f.message_id = new.id;
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_direct_messages__delete_attachments() is 'Deletes the attachments of a message deleted for everyone.';

create or replace trigger _500_delete_attachments after update of deleted_at on app_public.direct_messages
  for each row when (new.deleted_at is not null and old.deleted_at is null)
  execute procedure app_private.tg_direct_messages__delete_attachments();
--! EndIncluded storage/triggers.sql
--! Included storage/policies.sql
-- Row-level security and grants of the storage tables.

-- app_public.storage_buckets: the rules of each bucket, public.
alter table app_public.storage_buckets enable row level security;
drop policy if exists select_all on app_public.storage_buckets;
create policy select_all on app_public.storage_buckets for select using (true);
revoke all on app_public.storage_buckets from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.storage_buckets to :DATABASE_ANONYMOUS;

-- app_public.files: yours; and a ready attachment to a journal entry or a
-- message you may read. The exists() runs under your own policies on those
-- tables, so an attachment is exactly as visible as what it is attached to.
-- Rows are made by request_upload (definer) and completed by the gateway.
alter table app_public.files enable row level security;
drop policy if exists select_visible on app_public.files;
create policy select_visible on app_public.files for select using (
  owner_id = (select app_public.current_user_id())
  or (status = 'ready' and journal_entry_id is not null
      and exists (select 1 from app_public.journal_entries j where j.id = files.journal_entry_id))
  or (status = 'ready' and message_id is not null
      and exists (select 1 from app_public.direct_messages m where m.id = files.message_id)));
drop policy if exists delete_own on app_public.files;
create policy delete_own on app_public.files for delete
  using (owner_id = (select app_public.current_user_id()));
revoke all on app_public.files from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select, delete on app_public.files to :DATABASE_VISITOR;
--! EndIncluded storage/policies.sql
--! Included storage/comments.sql
-- Comments on the storage tables, columns and types: the GraphQL docs in Ruru, and smart tags.

comment on type app_public.file_bucket is E'Where a file lives, with its own rules (see storageBuckets).';
comment on type app_public.file_status is E'pending: the upload URL was handed out, the bytes have not all arrived; ready: stored and checked.';
comment on table app_public.storage_buckets is E'@behavior -insert -update -delete\nThe rules of each bucket: the largest file and the content types it takes.';
comment on column app_public.storage_buckets.max_bytes is 'The largest file the bucket takes, in bytes.';
comment on column app_public.storage_buckets.content_types is 'The content types it takes, checked against the bytes as they arrive.';
comment on column app_public.storage_buckets.public_read is 'Its files are served to anyone at a stable URL (avatars); the others only with a signed, expiring URL.';
comment on table app_public.files is E'@behavior -insert -update\nA stored file: yours, or attached to a journal entry or message you may read. Make one with requestUpload, read it with fileUrl; deleting the row deletes the file.';
comment on column app_public.files.owner_id is E'@behavior +filterBy\nWho uploaded it.';
comment on column app_public.files.key is E'@behavior -*\nWhere the backend keeps it: <bucket>/<owner>/<id>, made by the server.';
comment on column app_public.files.size is 'Its size in bytes: declared with requestUpload, and exactly what was uploaded.';
comment on column app_public.files.content_type is 'Its content type, as declared and checked against its bytes.';
comment on column app_public.files.sha256 is 'The SHA-256 of its bytes (hex), once ready.';
comment on column app_public.files.status is E'@behavior +filterBy\npending until every byte has arrived and been checked.';
comment on column app_public.files.upload_started_at is E'@behavior -*\nWhen a gateway began receiving its bytes: one upload of a file at a time.';
comment on column app_public.files.uploaded_at is 'When its upload finished.';
comment on column app_public.files.expires_at is 'When the daily sweep deletes it (exports).';
comment on constraint files_owner_id_fkey on app_public.files is E'@fieldName owner\n@foreignFieldName files';
comment on constraint files_journal_entry_id_fkey on app_public.files is E'@fieldName journalEntry\n@foreignFieldName attachments';
comment on constraint files_message_id_fkey on app_public.files is E'@fieldName message\n@foreignFieldName attachments';
comment on constraint file_attached_once on app_public.files is 'A file is attached to one thing at most.';
comment on constraint file_avatar_unattached on app_public.files is 'An avatar belongs to its owner''s profile, not to an entry or message.';
--! EndIncluded storage/comments.sql

-- The audit log forgets an erased account (app_private.audit_forget).
--! Included platform/functions.sql
-- Functions of the platform domain: the current definition of each, with its comment and grants.

create or replace function app_public.is_valid_timezone(tz text) returns boolean as $$
begin
  return exists (select 1 from app_private.time_zone_names where name = tz)
    or exists (select 1 from pg_catalog.pg_timezone_names where name = tz);
end;
-- Definer: the table is in app_private; the function reveals only a yes or no.
$$ language plpgsql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.is_valid_timezone(text) is
  'True when the text is one of the time zone names Postgres knows (e.g. `Europe/Paris`).';
grant execute on function app_public.is_valid_timezone(text) to :DATABASE_ANONYMOUS;

create or replace function app_private.assert_admin() returns void as $$
begin
  if not app_public.current_user_is_admin() then
    raise exception 'Only administrators may do this.' using errcode = 'DNIED';
  end if;
end;
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.assert_admin() is 'Raises DNIED unless the current user is an administrator.';

-- Appends one entry to the audit log: who (the signed-in user, if any), from
-- which request and address (the gateway sets lifegraph.request_id and
-- lifegraph.ip for every request), what, and the row before and after.
-- Secrets never enter the log: columns named like one are removed.
create or replace function app_private.audit(action text, target_table text, target_id text, before jsonb, after jsonb)
returns void as $$
  insert into app_public.audit_log (actor_id, action, target_table, target_id, request_id, ip, before, after)
  -- The actor as a user that exists: someone deleting their own account is
  -- audited after the row is gone.
  values ((select u.id from app_public.users u where u.id = app_public.current_user_id()), audit.action, audit.target_table, audit.target_id,
    nullif(current_setting('lifegraph.request_id', true), ''),
    nullif(current_setting('lifegraph.ip', true), '')::inet,
    audit.before - '{password_hash,secret,secret_hash,token_hash}'::text[],
    audit.after - '{password_hash,secret,secret_hash,token_hash}'::text[]);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.audit(text, text, text, jsonb, jsonb) is
  'Appends an entry to the audit log with the current user, request id and IP.';

-- An erased account (privacy) leaves the log what happened and when, not
-- who it happened to: entries that name the person lose the actor link and
-- its address where they acted, the target where they were the target, and
-- the before and after rows where those name them. The append-only trigger
-- allows exactly this nulling, and only while lifegraph.audit_redaction is on.
create or replace function app_private.audit_forget(user_id uuid, names text[]) returns integer as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.audit_forget(uuid, text[]) is
  'Removes an erased account''s id, address and rows from the audit log''s entries; the entries stay.';

-- Whether a JSON value holds the id or one of the names anywhere, as a
-- whole value (a name inside a longer text is not the person's).
create or replace function app_private.jsonb_names(value jsonb, user_id uuid, names text[]) returns boolean as $$
  select value is not null and exists (
    select 1 from unnest(array[user_id::text] || names) n
    where n <> '' and jsonb_path_exists(value, '$.** ? (@ == $n)', jsonb_build_object('n', n)));
$$ language sql immutable set search_path to pg_catalog, public, pg_temp;
comment on function app_private.jsonb_names(jsonb, uuid, text[]) is
  'True when a JSON value holds the user id or one of the names as a whole value.';
--! EndIncluded platform/functions.sql
--! Included platform/triggers.sql
-- Trigger functions and triggers of the platform domain.

create or replace function app_private.tg__timestamps() returns trigger as $$
begin
  new.created_at = (case when tg_op = 'INSERT' then now() else old.created_at end);
  -- Keep updated_at strictly increasing even for two updates in one transaction.
  new.updated_at = (case when tg_op = 'UPDATE' and old.updated_at >= now()
    then old.updated_at + interval '1 millisecond' else now() end);
  return new;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__timestamps() is
  'Trigger function: created_at is set once, updated_at on every write.';

-- The audit log: one generic trigger function, attached to each table whose
-- changes an administrator must be able to account for. The action is the
-- trigger's argument; a row's key is its id, user_id or code.
create or replace function app_private.tg__audit() returns trigger as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
begin
  perform app_private.audit(tg_argv[0], tg_table_schema || '.' || tg_table_name,
    coalesce(v_row ->> 'id', v_row ->> 'user_id', v_row ->> 'code'),
    case when tg_op <> 'INSERT' then to_jsonb(old) end,
    case when tg_op <> 'DELETE' then to_jsonb(new) end);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg__audit() is 'Trigger function: writes the change to the audit log under the action named by its argument.';

-- Deliveries change all the time by the worker; only a person's retry or
-- discard is audited.
create or replace function app_private.tg_notification_deliveries__audit() returns trigger as $$
begin
  if app_public.current_user_id() is not null then
    perform app_private.audit(case when new.status = 'discarded' then 'notifications.delivery_discarded' else 'notifications.delivery_retried' end,
      'app_public.notification_deliveries', new.id::text, jsonb_build_object('status', old.status), jsonb_build_object('status', new.status));
  end if;
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_notification_deliveries__audit() is 'Audits a delivery''s status changed by a person (retry or discard), not by the worker.';

-- Append-only: no entry is changed or deleted, except the actor link set to
-- null when the actor's account goes (inside that cascade), and the nulling
-- of personal columns by app_private.audit_forget (an erased account).
create or replace function app_private.tg_audit_log__append_only() returns trigger as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_audit_log__append_only() is 'Refuses changes to audit entries, but for the actor link a deleted account clears.';

create or replace trigger _900_append_only before update or delete on app_public.audit_log
  for each row execute procedure app_private.tg_audit_log__append_only();

create or replace trigger _800_audit after update of is_admin on app_private.user_flags
  for each row when (new.is_admin is distinct from old.is_admin) execute procedure app_private.tg__audit('identity.admin_changed');
create or replace trigger _800_audit after delete on app_public.users
  for each row execute procedure app_private.tg__audit('identity.user_deleted');
create or replace trigger _800_audit after insert on app_public.api_keys
  for each row execute procedure app_private.tg__audit('identity.api_key_created');
create or replace trigger _800_audit_revoke after update of revoked_at on app_public.api_keys
  for each row when (new.revoked_at is distinct from old.revoked_at) execute procedure app_private.tg__audit('identity.api_key_revoked');
create or replace trigger _800_audit after update of default_weight on app_public.life_areas
  for each row when (new.default_weight is distinct from old.default_weight) execute procedure app_private.tg__audit('areas.default_weight_changed');
create or replace trigger _800_audit after update of default_weight on app_public.area_dimensions
  for each row when (new.default_weight is distinct from old.default_weight) execute procedure app_private.tg__audit('areas.default_weight_changed');
create or replace trigger _800_audit after insert or update or delete on app_public.notification_templates
  for each row execute procedure app_private.tg__audit('notifications.template_changed');
create or replace trigger _800_audit after update of status on app_public.notification_deliveries
  for each row when (new.status is distinct from old.status and (old.status = 'dead' or new.status = 'discarded'))
  execute procedure app_private.tg_notification_deliveries__audit();
create or replace trigger _800_audit after insert on app_public.moderation_actions
  for each row execute procedure app_private.tg__audit('feed.moderated');
create or replace trigger _800_audit after update of role on app_public.community_members
  for each row when (new.role is distinct from old.role) execute procedure app_private.tg__audit('communities.role_changed');
create or replace trigger _800_audit after insert on app_public.point_transactions
  for each row when (new.reason = 'admin_adjustment') execute procedure app_private.tg__audit('points.adjusted');
--! EndIncluded platform/triggers.sql

-- Privacy: data exports, erasure's tombstones, retention runs.
-- Exports: one row per request, the job's progress readable by its owner.
create type app_public.data_export_status as enum ('queued', 'running', 'ready', 'failed', 'expired');
create table app_public.data_exports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users on delete cascade,
  status app_public.data_export_status not null default 'queued',
  progress smallint not null default 0 constraint data_export_progress_range check (progress between 0 and 100),
  file_id uuid references app_public.files on delete set null,
  error text,
  requested_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  expires_at timestamptz,
  constraint data_export_ready_expires check (status <> 'ready' or expires_at is not null)
);
create index data_exports_user_id_idx on app_public.data_exports (user_id, requested_at desc);
create index data_exports_file_id_idx on app_public.data_exports (file_id) where file_id is not null;
create index data_exports_expires_at_idx on app_public.data_exports (expires_at) where status = 'ready';

-- Erasure: the account that stands in for an erased one as the author of
-- what others keep (messages, ledger entries).
create table app_private.tombstones (
  user_id uuid primary key references app_public.users on delete cascade,
  erased_at timestamptz not null default now()
);

-- What each retention job removed, for operators and tests.
create table app_private.retention_runs (
  id bigint generated always as identity primary key,
  task text not null,
  removed jsonb not null,
  ran_at timestamptz not null default now()
);
create index retention_runs_task_idx on app_private.retention_runs (task, ran_at desc);

delete from app_public.notification_templates where type = 'privacy.export_ready';
delete from app_public.notification_types where code = 'privacy.export_ready';
insert into app_public.notification_types (code, description, variables, default_channels, is_transactional) values
  ('privacy.export_ready', 'Your data export is ready to download.', '{download_url,expires_at}', '{in_app,email}', true);
insert into app_public.notification_templates (type, channel, locale, subject, body)
select 'privacy.export_ready', c.channel, 'en', 'Your lifegraph data export is ready',
  E'Your data export is ready: {{{download_url}}}\n\nThe link and the archive expire at {{expires_at}}.'
from (values ('in_app'::app_public.notification_channel), ('email'), ('push')) as c(channel);

--! Included identity/functions.sql
-- Functions of the identity domain: the current definition of each, with its comment and grants.

create or replace function app_public.current_session_id() returns uuid as $$
  select nullif(pg_catalog.current_setting('jwt.claims.session_id', true), '')::uuid;
$$ language sql stable;
comment on function app_public.current_session_id() is
  'The session the request runs under, as set by the gateway from a verified token.';
grant execute on function app_public.current_session_id() to :DATABASE_ANONYMOUS;

-- Definer: the visitor cannot read app_private.sessions, and a forged or
-- revoked session id must resolve to nobody.
create or replace function app_public.current_user_id() returns uuid as $$
  select user_id from app_private.sessions
  where id = app_public.current_session_id()
    and revoked_at is null
    and expires_at > now();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_id() is
  'The user of the current session, or null when anonymous, expired or revoked.';
grant execute on function app_public.current_user_id() to :DATABASE_ANONYMOUS;

create or replace function app_public.current_user_is_admin() returns boolean as $$
  select coalesce((select is_admin from app_private.user_flags where user_id = app_public.current_user_id()), false);
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.current_user_is_admin() is 'True when the current user is an administrator.';
grant execute on function app_public.current_user_is_admin() to :DATABASE_ANONYMOUS;

-- The flags are private: another user's are null, whoever asks.
create or replace function app_public.users_is_admin(u app_public.users) returns boolean as $$
  select f.is_admin from app_private.user_flags f where f.user_id = u.id and u.id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_is_admin(app_public.users) is
  'Whether you are an administrator (null on anyone else''s profile).';
grant execute on function app_public.users_is_admin(app_public.users) to :DATABASE_ANONYMOUS;

create or replace function app_public.users_is_verified(u app_public.users) returns boolean as $$
  select f.is_verified from app_private.user_flags f where f.user_id = u.id and u.id = app_public.current_user_id();
$$ language sql stable security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.users_is_verified(app_public.users) is
  'Whether you have verified an email address (null on anyone else''s profile).';
grant execute on function app_public.users_is_verified(app_public.users) to :DATABASE_ANONYMOUS;

create or replace function app_public.current_user() returns app_public.users as $$
  select users.* from app_public.users where id = app_public.current_user_id();
$$ language sql stable;
comment on function app_public.current_user() is 'The signed-in user, or null.';
grant execute on function app_public.current_user() to :DATABASE_ANONYMOUS;

create or replace function app_private.assert_strong_password(password text, username text) returns void as $$
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
$$ language plpgsql immutable set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.issue_session(user_id uuid, ttl interval) returns app_private.auth_result as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.really_create_user(username text, email text, password text,
  display_name text) returns app_public.users as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.really_create_user(text, text, text, text) is
  'Creates a user with a primary email and a bcrypt password. Used by register and the demo seed.';

create or replace function app_private.register(username text, email text, password text,
  display_name text, session_ttl interval) returns app_private.auth_result as $$
  select app_private.issue_session(
    (app_private.really_create_user(username, email, password, display_name)).id, session_ttl);
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.register(text, text, text, text, interval) is
  'Creates a user and opens a session. Called by the gateway as the owner.';

-- Returns an outcome instead of raising. Throttling (per account and IP, per
-- account, per IP) is the gateway's, in the shared rate-limit table
-- (src/identity/rate-limits.ts): no hard lock a stranger could set off.
-- An email signs in to the account that verified it, or to the one account
-- holding it unverified; held unverified by several, it takes the username.
create or replace function app_private.login(login text, password text, session_ttl interval)
returns app_private.auth_result as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.login(text, text, interval) is
  'Checks a username-or-email and password and opens a session; LOGIN for a wrong one (the gateway throttles failures).';

create or replace function app_private.refresh_session(refresh_token text, session_ttl interval)
returns app_private.auth_result as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.refresh_session(text, interval) is
  'Rotates a refresh token. A token that was already rotated revokes its whole session (reuse detection).';

create or replace function app_private.touch_session(session_id uuid, user_id uuid) returns boolean as $$
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
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.authenticate_api_key(secret text)
returns table (session_id uuid, user_id uuid, read_only boolean) as $$
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
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.authenticate_api_key(text) is
  'Resolves an `lg_…` secret to its session; READ-only keys get read_only = true.';

create or replace function app_private.assert_login_session() returns uuid as $$
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
$$ language plpgsql stable set search_path to pg_catalog, public, pg_temp;

create or replace function app_public.logout() returns boolean as $$
  with revoked as (
    update app_private.sessions set revoked_at = now()
    where id = app_public.current_session_id() and kind = 'login' and revoked_at is null
    returning 1
  )
  select exists (select 1 from revoked);
$$ language sql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.logout() is
  'Ends the current session: its access and refresh tokens stop working at once.';
grant execute on function app_public.logout() to :DATABASE_VISITOR;

create or replace function app_public.change_password(old_password text, new_password text) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.change_password(text, text) is
  'Changes the password after checking the current one, and signs out every other session.';
grant execute on function app_public.change_password(text, text) to :DATABASE_VISITOR;

create or replace function app_public.create_api_key(name text, scopes app_public.api_key_scope[],
  expires_at timestamptz default null) returns app_public.created_api_key as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.create_api_key(text, app_public.api_key_scope[], timestamptz) is
  'Creates an API key for the signed-in user and returns its secret (`lg_…`) once.';
grant execute on function app_public.create_api_key(text, app_public.api_key_scope[], timestamptz) to :DATABASE_VISITOR;

create or replace function app_public.revoke_api_key(api_key_id uuid) returns app_public.api_keys as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.revoke_api_key(uuid) is 'Revokes one of your API keys; it stops working at once.';
grant execute on function app_public.revoke_api_key(uuid) to :DATABASE_VISITOR;

create or replace function app_private.prune_sessions(retention interval) returns int as $$
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
$$ language sql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.prune_sessions(interval) is
  'Deletes login sessions, and email and password-reset tokens, that ended (revoked, used or expired) longer ago than the retention period.';

create or replace function app_private.issue_account_token(user_id uuid, email_id uuid, purpose text, ttl interval) returns text as $$
declare
  v_token text := encode(gen_random_bytes(32), 'hex');
begin
  insert into app_private.account_tokens (user_id, email_id, purpose, token_hash, expires_at)
    values (user_id, email_id, purpose, digest(v_token, 'sha256'), now() + ttl);
  return v_token;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.issue_account_token(uuid, uuid, text, interval) is 'A new random token (returned once; stored hashed).';

create or replace function app_private.take_account_token(token text, purpose text) returns app_private.account_tokens as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.take_account_token(text, text) is 'Uses up a valid token of the purpose, or raises TOKEN.';

-- An address another account has verified gets no link (it could not be
-- verified twice): its owner is told that someone tried to use it. The
-- caller's answer is the same either way, so it reveals nothing.
create or replace function app_private.send_email_verification(email_id uuid) returns void as $$
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
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.send_email_verification(uuid) is
  'Mails a verification link to an unverified address; when another account has verified it, mails that account instead (account.address_in_use).';

create or replace function app_public.verify_email(token text) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.verify_email(text) is 'Confirms the address of a verification link (single use, 24 hours). TOKEN when invalid.';
grant execute on function app_public.verify_email(text), app_public.forgot_password(text),
  app_public.reset_password(text, text) to :DATABASE_ANONYMOUS;

create or replace function app_public.resend_email_verification(email_id uuid) returns boolean as $$
begin
  if not exists (select 1 from app_public.user_emails e
      where e.id = resend_email_verification.email_id and e.user_id = app_public.current_user_id() and not e.is_verified) then
    raise exception 'No unverified address of yours with that id.' using errcode = 'NOFND';
  end if;
  perform app_private.send_email_verification(email_id);
  return true;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.resend_email_verification(uuid) is 'Mails a new verification link to one of your unverified addresses.';
grant execute on function app_public.resend_email_verification(uuid) to :DATABASE_VISITOR;

-- A reset link goes only to an address the account has proven, or to its
-- primary address while it has proven none (a new account): never to an
-- unverified extra address, which may be someone else's mistyped one.
create or replace function app_public.forgot_password(email text) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.forgot_password(text) is
  'Mails a password-reset link (single use, one hour) to a verified address of an account (or its primary address while none is verified). Always answers true.';

-- A reset may follow a stolen password: every session ends, API keys included.
create or replace function app_public.reset_password(token text, new_password text) returns boolean as $$
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
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_public.reset_password(text, text) is
  'Sets a new password with a reset link''s token (TOKEN when invalid, WEAKP when weak) and ends every session, API keys included.';
--! EndIncluded identity/functions.sql
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

  -- Traces without a foreign key: the live stream's audiences and the
  -- request counters.
  update app_private.realtime_log r set audience = array_remove(r.audience, erase_user.user_id)
    where r.audience @> array[erase_user.user_id];
  delete from app_private.rate_limits r where strpos(r.key, erase_user.user_id::text) > 0;

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
--! Included privacy/policies.sql
-- Row-level security and grants of the privacy tables. Exports are written
-- only by request_data_export and the worker.

-- app_public.data_exports: yours.
alter table app_public.data_exports enable row level security;
drop policy if exists select_own on app_public.data_exports;
create policy select_own on app_public.data_exports for select
  using (user_id = (select app_public.current_user_id()));
revoke all on app_public.data_exports from :DATABASE_VISITOR, :DATABASE_ANONYMOUS;
grant select on app_public.data_exports to :DATABASE_VISITOR;

-- app_private.tombstones
alter table app_private.tombstones enable row level security;
drop policy if exists no_visitor_access on app_private.tombstones;
create policy no_visitor_access on app_private.tombstones as restrictive using (false);

-- app_private.retention_runs
alter table app_private.retention_runs enable row level security;
drop policy if exists no_visitor_access on app_private.retention_runs;
create policy no_visitor_access on app_private.retention_runs as restrictive using (false);
--! EndIncluded privacy/policies.sql
--! Included privacy/comments.sql
-- Comments of the privacy domain: the Ruru docs of its tables and functions.

comment on type app_public.data_export_status is
  'queued: waiting for the worker; running: being built (see progress); ready: download it until expires_at; failed: see error, and ask again; expired: the archive is gone.';
comment on table app_public.data_exports is
  E'@behavior -insert -update -delete\nA request for a copy of everything you own: one archive (zip) with JSON and CSV of each table and your files. Ask with `requestDataExport`; the link comes as a notification.';
comment on column app_public.data_exports.progress is 'Percent done while running; 100 when ready.';
comment on column app_public.data_exports.file_id is 'The archive in the exports bucket, while the export is ready.';
comment on column app_public.data_exports.error is 'Why the last attempt failed.';
comment on column app_public.data_exports.expires_at is 'When the archive and its link expire (7 days after it was built by default).';
comment on constraint data_export_progress_range on app_public.data_exports is 'Progress is a percentage, 0 to 100.';
comment on constraint data_export_ready_expires on app_public.data_exports is 'A ready export says when it expires.';

comment on table app_private.tombstones is
  'Accounts that stand in for erased ones as the author of what others keep (messages, ledger entries). They cannot sign in.';
comment on table app_private.retention_runs is 'What each retention job removed, one row a run (docs/privacy.md).';
--! EndIncluded privacy/comments.sql

-- Gateways cache session checks; revocations reach them through NOTIFY.
--! Included identity/triggers.sql
-- Trigger functions and triggers of the identity domain.

create or replace function app_private.tg_users__create_settings() returns trigger as $$
begin
  insert into app_public.user_settings (user_id) values (new.id);
  insert into app_private.user_flags (user_id) values (new.id);
  return new;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;

create or replace function app_private.tg_user_emails__verify() returns trigger as $$
begin
  perform app_private.send_email_verification(new.id);
  return null;
end;
$$ language plpgsql volatile security definer set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_user_emails__verify() is 'Every new unverified address (registration included) gets a verification link.';

create or replace trigger _100_timestamps before insert or update on app_public.users
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_create_settings after insert on app_public.users
  for each row execute procedure app_private.tg_users__create_settings();

create or replace trigger _100_timestamps before insert or update on app_public.user_settings
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _100_timestamps before insert or update on app_public.user_emails
  for each row execute procedure app_private.tg__timestamps();

create or replace trigger _500_verify after insert on app_public.user_emails
  for each row when (not new.is_verified) execute procedure app_private.tg_user_emails__verify();

create or replace function app_private.tg_sessions__notify_ended() returns trigger as $$
begin
  -- Gateways cache a session's validity (SESSION_CACHE_MS): this tells them
  -- at once that it ended. Only the id travels; the row stays the truth.
  perform pg_notify('lifegraph:sessions', old.id::text);
  return null;
end;
$$ language plpgsql volatile set search_path to pg_catalog, public, pg_temp;
comment on function app_private.tg_sessions__notify_ended() is
  'NOTIFY lifegraph:sessions <id> when a session is revoked, cut short or deleted, so that every gateway drops its cached check.';

create or replace trigger _600_notify_ended after update of revoked_at, expires_at on app_private.sessions
  for each row when (new.revoked_at is not null and old.revoked_at is null or new.expires_at < old.expires_at)
  execute procedure app_private.tg_sessions__notify_ended();

create or replace trigger _600_notify_deleted after delete on app_private.sessions
  for each row execute procedure app_private.tg_sessions__notify_ended();
--! EndIncluded identity/triggers.sql

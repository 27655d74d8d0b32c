--! Previous: sha1:56def699c6c6db58a70b212ae55860eeac1b156d
--! Hash: sha1:c965e8c27c254c3ff6c52f68dc2a68e43e7556bd
--! Message: The storage sweep leaves expired exports to the privacy retention job

-- The storage sweep leaves expired exports to the privacy domain's retention job.
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

-- The daily sweep (storage__sweep): uploads never finished. Deleting the
-- rows queues the deletion of their objects. Files past their expiry (the
-- exports) are the privacy domain's retention: privacy__prune_exports.
create or replace function app_private.storage_sweep(pending_for interval) returns integer as $$
  with gone as (
    delete from app_public.files
    where status = 'pending' and created_at < now() - pending_for
    returning 1
  )
  select count(*)::int from gone;
$$ language sql volatile;
comment on function app_private.storage_sweep(interval) is
  'Deletes file rows whose upload never finished within `pending_for`; returns how many.';
--! EndIncluded storage/functions.sql

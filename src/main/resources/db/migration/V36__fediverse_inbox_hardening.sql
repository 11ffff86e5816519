-- Hardening of the fediverse inbox: tombstones for replies deleted before they arrived, and a claim on each Accept (or
-- key Update) waiting in the outbox so only one attempt at a time posts it.

-- The Notes a Delete removed, by their id: the Create of a Note handled after its Delete (the inbox's two workers take
-- activities out of order) is not stored. Only ids on the Delete's own server are kept, so one server cannot keep
-- another's replies out. Forgotten after 7 days (InboxPruning), long after a late Create's retries.
create table fediverse_inbox_tombstone (
    object_id  varchar(2000) not null,
    -- whose Delete: only the Note's author's keeps its Create out (another account on that server deletes nothing)
    actor_id   varchar(2000) not null,
    deleted_at timestamptz   not null,
    primary key (object_id, actor_id)
);
create index fediverse_inbox_tombstone_deleted_idx on fediverse_inbox_tombstone (deleted_at);

-- Set by the attempt that is posting the row (the immediate send, the retry job, another node) with a conditional
-- update, cleared when the attempt is settled; a claim past its time belongs to an attempt whose node died.
alter table fediverse_outbox add column claimed_until timestamptz;

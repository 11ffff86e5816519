-- The remote hosts deliveries go to: who is sending to each right now (a lease, so one node at a time per host and a
-- host gets one request at a time from the whole cluster), and how each has been failing. A failing host is left
-- alone until retry_at, with exponential back-off; one failing for gazette.fediverse.host-unavailable-after is
-- unavailable and tried with a single delivery every 12 hours. A success deletes nothing: it clears the failure.
create table fediverse_host (
    host                 varchar(255) primary key,
    lease_until          timestamptz,
    consecutive_failures integer      not null default 0,
    failing_since        timestamptz,
    retry_at             timestamptz,
    unavailable_since    timestamptz,
    last_error           varchar(1000)
);

-- An article withdrawn and published again is a new generation: a fresh Create (and later Delete) with its own
-- activity id, since receivers ignore an id they have seen deleted. Create and Delete rows carry their generation in
-- version, from 1 (#create, #delete); the second is #create-2, #delete-2. Updates keep the article's version.
update fediverse_delivery set version = 1 where kind in ('CREATE', 'DELETE');

-- a host's due rows, claimed by whoever holds its lease
create index fediverse_delivery_host_due_idx on fediverse_delivery (host, next_attempt_at) where status in ('PENDING', 'RETRY');
-- the latest generation at an inbox, read when planning Updates and new Creates
create index fediverse_delivery_inbox_idx on fediverse_delivery (article_id, inbox);

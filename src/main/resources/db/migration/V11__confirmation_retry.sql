-- A confirmation mail that could not be sent is tried again by itself, with back-off: when (null = nothing to retry),
-- and how many attempts in a row have failed since the last one that left or the reader's last subscribe request.
alter table subscriber
    add column confirmation_retry_at timestamptz,
    add column confirmation_failures integer not null default 0;

-- The retry job looks only at readers with a retry due; almost every row has none.
create index subscriber_confirmation_retry_idx on subscriber (confirmation_retry_at) where confirmation_retry_at is not null;

-- The fediverse channel's page and stats read the ledger by time: deliveries planned in the last 30 days, delivered
-- or failed per day of a range, new followers per day. Without these, each would read the whole ledger, which grows by
-- one row per article and follower server for good.
create index fediverse_delivery_created_idx on fediverse_delivery (created_at);
create index fediverse_delivery_delivered_idx on fediverse_delivery (delivered_at) where status = 'DELIVERED';
-- a failed row's next_attempt_at is when it failed (the sender sets it on settling)
create index fediverse_delivery_failed_idx on fediverse_delivery (next_attempt_at) where status = 'FAILED';
create index fediverse_follower_created_idx on fediverse_follower (created_at);

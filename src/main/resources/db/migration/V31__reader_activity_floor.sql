-- A reader's last sign of life is the latest of a counted click or "keep" (last_active_at), their latest confirmation
-- and when they were added: greatest() of the three, indexed for the re-engagement policy's scans.
drop index subscriber_activity_idx;
create index subscriber_last_sign_idx on subscriber (greatest(last_active_at, confirmed_at, created_at)) where status = 'ACTIVE';

-- Activity is measured from this version on: nobody counts as inactive before Gazette has watched for the whole period
-- (upgrading does not make every reader confirmed long ago look inactive at once).
alter table lifecycle_settings add column activity_since timestamptz;
insert into lifecycle_settings (id, send_time, track_links, updated_at) values (1, '09:00', true, now()) on conflict (id) do nothing;
update lifecycle_settings set activity_since = now() where id = 1;

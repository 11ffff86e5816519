-- A channel saved from the editor whose credentials the network has not confirmed yet (no answer when checked):
-- its posts wait, as for NEEDS_REAUTH, until a check succeeds.
alter table channel drop constraint channel_status_check;
alter table channel add constraint channel_status_check
    check (status in ('ACTIVE', 'UNVERIFIED', 'NEEDS_REAUTH', 'PAUSED', 'DISABLED'));

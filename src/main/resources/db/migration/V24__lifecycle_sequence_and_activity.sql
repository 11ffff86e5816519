-- Lifecycle mail grows from the welcome to an onboarding sequence and re-engagement, and readers get a last-activity
-- time, so that inactive ones can be asked whether they still want the mail.

-- STEP: one message of the onboarding sequence, sent delay_days after the reader confirmed, at the reader's local send
-- time; REENGAGE: the "still want this?" mail. The welcome and the re-engagement mail exist once; steps are many.
alter table lifecycle_message drop constraint lifecycle_message_kind_check;
alter table lifecycle_message add constraint lifecycle_message_kind_check check (kind in ('WELCOME', 'STEP', 'REENGAGE'));
drop index lifecycle_message_kind_idx;
create unique index lifecycle_message_kind_idx on lifecycle_message (kind) where kind <> 'STEP';
alter table lifecycle_message add column delay_days integer check (delay_days between 0 and 365);
-- a step may end with the latest articles of the reader's topics: how many (0: none)
alter table lifecycle_message add column latest_articles integer not null default 0 check (latest_articles between 0 and 20);
alter table lifecycle_message add constraint lifecycle_message_step_delay check (kind <> 'STEP' or delay_days is not null);

-- A reader gets a message once per occasion: 0 for the welcome and the steps (once ever); re-engagement, which a
-- reader may get again years later, numbers its rounds.
alter table lifecycle_mail add column occasion integer not null default 0;
alter table lifecycle_mail drop constraint lifecycle_mail_message_id_subscriber_id_key;
alter table lifecycle_mail add constraint lifecycle_mail_once unique (message_id, subscriber_id, occasion);

-- The last time the reader did something that shows they read the mail: confirming, a click that is neither a bot's
-- nor a link scanner's, answering "keep me subscribed". Opens never count. Null means "since confirmation".
alter table subscriber add column last_active_at timestamptz;
create index subscriber_activity_idx on subscriber (coalesce(last_active_at, confirmed_at)) where status = 'ACTIVE';

-- Links in lifecycle mail are tracked per message, as a digest issue's are per issue.
alter table tracked_link drop constraint tracked_link_context_type_check;
alter table tracked_link add constraint tracked_link_context_type_check
    check (context_type in ('DISTRIBUTION', 'DIGEST_ISSUE', 'CAMPAIGN', 'LIFECYCLE_MESSAGE'));

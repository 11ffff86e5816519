-- Re-engagement and sunsetting: readers inactive for a number of days get one "still want this?" mail; those who do
-- not answer (or click) within the grace days are unsubscribed with the reason INACTIVE.

-- The policy is the REENGAGE row of lifecycle_message (one at most): its subject, body and enabled flag, and these two
-- numbers. Null on the other kinds.
alter table lifecycle_message add column inactive_days integer check (inactive_days between 30 and 1000);
alter table lifecycle_message add column grace_days integer check (grace_days between 1 and 90);
alter table lifecycle_message add constraint lifecycle_message_reengage_days
    check (kind <> 'REENGAGE' or (inactive_days is not null and grace_days is not null));

-- A re-engagement round is a lifecycle_mail row of the REENGAGE message (its occasion numbers the reader's rounds). It
-- is open from its mail until the reader is active again (a counted click or "keep": last_active_at after the row was
-- planned), and closed for good with how it ended: KEPT (the reader answered "keep me subscribed"), UNSUBSCRIBED
-- (no answer within the grace days) or CANCELLED (the policy was switched off while it waited). Null on other kinds.
alter table lifecycle_mail add column outcome varchar(12) check (outcome in ('KEPT', 'UNSUBSCRIBED', 'CANCELLED'));
alter table lifecycle_mail add column closed_at timestamptz;
-- sunsetting looks for sent rounds still waiting for an answer
create index lifecycle_mail_waiting_idx on lifecycle_mail (sent_at) where status = 'SENT' and outcome is null;

-- Readers unsubscribed because they never answered are suppressed as INACTIVE: like an unsubscribe, lifted when the
-- reader subscribes again and confirms.
alter table suppression drop constraint suppression_reason_check;
alter table suppression add constraint suppression_reason_check
    check (reason in ('UNSUBSCRIBED', 'HARD_BOUNCE', 'COMPLAINT', 'BLOCKED', 'ERASED', 'INACTIVE'));

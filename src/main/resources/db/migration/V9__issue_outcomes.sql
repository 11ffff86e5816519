-- An issue's final status tells a clean send from a partial or total failure, with the counts it ended with.
alter table digest_issue drop constraint digest_issue_status_check;
alter table digest_issue alter column status type varchar(20);
alter table digest_issue add constraint digest_issue_status_check
    check (status in ('SENDING', 'PAUSED', 'CANCELLED', 'DONE', 'DONE_WITH_FAILURES', 'FAILED'));
alter table digest_issue add column sent_count integer, add column failed_count integer;

-- Issues that ended before this: the same rule as DigestPlanner.closeFinishedIssues.
update digest_issue i
set sent_count = c.sent, failed_count = c.failed,
    status = case when c.failed = 0 then 'DONE' when c.sent = 0 then 'FAILED' else 'DONE_WITH_FAILURES' end
from (select issue_id, count(*) filter (where status = 'SENT') as sent, count(*) filter (where status = 'FAILED') as failed
      from delivery group by issue_id) c
where c.issue_id = i.id and i.status = 'DONE';
update digest_issue set sent_count = 0, failed_count = 0 where status = 'DONE' and sent_count is null;

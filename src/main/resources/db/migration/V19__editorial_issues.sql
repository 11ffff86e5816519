-- Editors shape an issue before it goes out: the next scheduled issue exists ahead of its first send window as
-- PLANNED, with an editor's note, a subject template, a preheader, pinned and excluded articles. It turns SENDING
-- (and nothing in it can change any more) when its first delivery is due.
alter table digest_issue drop constraint digest_issue_status_check;
alter table digest_issue add constraint digest_issue_status_check
    check (status in ('PLANNED', 'SENDING', 'PAUSED', 'CANCELLED', 'DONE', 'DONE_WITH_FAILURES', 'FAILED'));

-- The editor's note: Markdown as typed, and its sanitised HTML (rendered on save, like an article body).
alter table digest_issue add column note_markdown text;
alter table digest_issue add column note_html text;
-- The subject as a Qute template ({top} is the reader's first headline), checked on save; null: the default subject.
alter table digest_issue add column subject_template varchar(300);
-- The hidden preview text inbox lists show after the subject; null: the reader's first headlines.
alter table digest_issue add column preheader varchar(300);
-- Pinned articles in order, each shown to every reader whose topics include it, or to everyone where pinned_for_all
-- is true at the same position; excluded articles appear in no reader's copy. Arrays: they go as they are into the
-- set-based selection of each batch, and an article that is gone or unpublished is simply not found there.
alter table digest_issue add column pinned_ids bigint[] not null default '{}';
alter table digest_issue add column pinned_for_all boolean[] not null default '{}';
alter table digest_issue add column excluded_ids bigint[] not null default '{}';
-- One planned issue per newsletter at most: "the next issue".
create unique index digest_issue_planned_idx on digest_issue (newsletter_id) where status = 'PLANNED';

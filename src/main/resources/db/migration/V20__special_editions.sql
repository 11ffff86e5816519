-- Special editions: one-off issues of a newsletter (chosen articles and a note, sent now or at a local time, to all
-- its readers or to the readers of some topics), numbered on their own so the regular numbering has no gaps.
alter table digest_issue drop constraint digest_issue_kind_check;
alter table digest_issue add constraint digest_issue_kind_check check (kind in ('SCHEDULED', 'MANUAL', 'SPECIAL'));
alter table digest_issue drop constraint digest_issue_newsletter_id_number_key;
create unique index digest_issue_number_idx on digest_issue (newsletter_id, number) where kind <> 'SPECIAL';
create unique index digest_issue_special_number_idx on digest_issue (newsletter_id, number) where kind = 'SPECIAL';
alter table newsletter add column special_count integer not null default 0;
-- The topics a special edition was limited to (its readers follow one of them); empty: every reader of the newsletter.
alter table digest_issue add column audience_topic_ids bigint[] not null default '{}';

-- Newsletter analytics: distinct clickers per tracked-link context (a digest issue's links together), unsubscribes
-- attributed to the issue whose link or List-Unsubscribe address was used, and the indexes of the per-day reader counts.

-- The visitors each context (digest issue, distribution) has seen, over all its links: a reader who clicks two
-- articles of one issue is one clicker. As in link_visitor the hash changes every day, so a row is one visitor on one
-- day; the rows are pruned with link_visitor's.
create table link_context_visitor (
    context_type varchar(20) not null,
    context_id   bigint      not null,
    visitor_hash bytea       not null,
    day          date        not null,
    primary key (context_type, context_id, visitor_hash)
);
create index link_context_visitor_day_idx on link_context_visitor using brin (day);

-- Distinct visitors per context and UTC day, written by the click writer in the same statement as link_daily.
create table link_context_daily (
    context_type    varchar(20) not null,
    context_id      bigint      not null,
    day             date        not null,
    unique_visitors bigint      not null default 0,
    primary key (context_type, context_id, day)
);

-- The digest issue an UNSUBSCRIBED event came through (its one-click link or its List-Unsubscribe mailto); no foreign
-- key, as issues belong to the digest feature.
alter table subscriber_event add column issue_id bigint;
create index subscriber_event_issue_idx on subscriber_event (issue_id, type) where issue_id is not null;

-- Readers over time: events of some types in a range of days, and readers created in a range.
create index subscriber_event_type_created_idx on subscriber_event (type, created_at);
create index subscriber_created_at_idx on subscriber (created_at);

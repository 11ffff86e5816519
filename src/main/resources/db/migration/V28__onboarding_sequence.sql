-- The onboarding sequence's settings (one row): the local time of day its steps go out in each reader's time zone,
-- and whether the article links in its messages are tracked (per step, as a digest issue's are per issue).
create table lifecycle_settings (
    id          integer     primary key check (id = 1),
    send_time   time        not null default '09:00',
    track_links boolean     not null default true,
    updated_at  timestamptz not null
);
insert into lifecycle_settings (id, send_time, track_links, updated_at) values (1, '09:00', true, now());

-- Steps are planned for readers who confirmed in the last days: this keeps that a range scan.
create index subscriber_confirmed_idx on subscriber (confirmed_at) where status = 'ACTIVE';

-- Reader lifecycle mail: messages an editor writes (the welcome today), and the ledger of what each reader is to get
-- and got. One row per message and reader, so a reader gets a message once at most; rows are planned from the
-- readers' state (confirmed since the message was switched on), so a reader missed by one run is planned by the next.
create table lifecycle_message (
    id            bigserial     primary key,
    kind          varchar(20)   not null check (kind in ('WELCOME')),
    subject       varchar(300)  not null,
    body_markdown text          not null,
    enabled       boolean       not null default false,
    -- readers confirmed from this moment on get it (switching it on does not mail everyone already subscribed)
    enabled_since timestamptz,
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null
);
create unique index lifecycle_message_kind_idx on lifecycle_message (kind);

create table lifecycle_mail (
    id            bigserial     primary key,
    message_id    bigint        not null references lifecycle_message (id) on delete cascade,
    subscriber_id bigint        not null references subscriber (id) on delete cascade,
    status        varchar(10)   not null check (status in ('PENDING', 'RETRY', 'SENT', 'FAILED', 'SKIPPED')),
    due_at        timestamptz   not null,
    attempts      integer       not null default 0,
    sent_at       timestamptz,
    last_error    varchar(1000),
    created_at    timestamptz   not null,
    updated_at    timestamptz   not null,
    unique (message_id, subscriber_id)
);
create index lifecycle_mail_due_idx on lifecycle_mail (due_at) where status in ('PENDING', 'RETRY');
create index lifecycle_mail_subscriber_idx on lifecycle_mail (subscriber_id);

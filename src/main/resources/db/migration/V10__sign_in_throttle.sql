-- Failed sign-ins, counted so that guessing passwords gets slower and slower on every instance and across restarts.
-- One row per subject: an account and a client together ('pair'), a client ('client') or an account ('account').
-- Subjects are keyed hashes: neither the client's address nor a mistyped name is stored.
create table sign_in_failure (
    scope           varchar(10) not null check (scope in ('pair', 'client', 'account')),
    subject         varchar(64) not null,
    failures        integer     not null,
    last_failure_at timestamptz not null,
    -- no attempt of this subject has its password checked before this time
    blocked_until   timestamptz not null,
    primary key (scope, subject)
);

create index sign_in_failure_last_failure_at_idx on sign_in_failure (last_failure_at);

-- Clients that signed in to an account lately: they are spared that account's own throttle, so that someone guessing
-- an administrator's password from elsewhere cannot lock the administrator out.
create table sign_in_known_client (
    user_id         bigint      not null references app_user (id) on delete cascade,
    client          varchar(64) not null,
    last_success_at timestamptz not null,
    primary key (user_id, client)
);

-- Taking a host to send to is an index lookup rather than a sort of every due delivery: fediverse_host.due_at is the
-- earliest next_attempt_at among the host's PENDING and RETRY rows (null when it has none). It may run early (a row
-- settled or deleted since), never late: a host taken too early finds nothing to claim and its due_at is recomputed
-- when its lease is released. The sender recomputes it whenever it lets a host go; new rows lower it through the
-- trigger below.
alter table fediverse_host add column due_at timestamptz;
-- who holds the lease: a random token per lease taken, so a node whose lease ran out (and was taken by another) cannot
-- renew, release or settle the host over the new holder
alter table fediverse_host add column lease_owner varchar(64);
-- the HTTP signature scheme the host last accepted (CAVAGE or RFC9421), tried first next time; null: not known yet
alter table fediverse_host add column signature_scheme varchar(10) check (signature_scheme in ('CAVAGE', 'RFC9421'));

-- the hosts a worker may take, by when each may next be sent to: when its earliest row is due or, backing off, when its
-- back-off ends, whichever is later (greatest ignores a null retry_at). Leases are checked on the rows the index finds:
-- a held lease's host stays in it, but there are at most as many as the cluster's workers.
create index fediverse_host_due_idx on fediverse_host ((greatest(due_at, retry_at))) where due_at is not null;

-- the hosts that have due rows already
insert into fediverse_host (host)
select distinct host from fediverse_delivery where status in ('PENDING', 'RETRY')
on conflict (host) do nothing;
update fediverse_host h set due_at = (select min(d.next_attempt_at) from fediverse_delivery d
                                      where d.host = h.host and d.status in ('PENDING', 'RETRY'));

-- A trigger rather than a statement after planning: every statement that adds deliveries (the planner's four, on any
-- node, and whatever else inserts rows) keeps due_at right in its own transaction, so a host can never have due rows
-- it is not found by. Statement-level, with the new rows as a table: one upsert per plan, not per row. Hosts are
-- upserted in their order so two plans running at once lock them in the same order.
create function fediverse_host_due_on_insert() returns trigger language plpgsql as $$
begin
    insert into fediverse_host (host, due_at)
    select host, min(next_attempt_at) from planned where status in ('PENDING', 'RETRY') group by host order by host
    on conflict (host) do update set due_at = least(fediverse_host.due_at, excluded.due_at);
    return null;
end $$;
create trigger fediverse_delivery_due_on_insert after insert on fediverse_delivery
    referencing new table as planned for each statement execute function fediverse_host_due_on_insert();

-- A row moved to another host (a migration correcting how hosts are read off inbox URLs) makes that host due as if
-- the row had been planned there; the host it left is recomputed when next released. Per row, and only for rows whose
-- host changes: the sender never updates host, so its claims and settlements do not fire it.
create function fediverse_host_due_on_move() returns trigger language plpgsql as $$
begin
    if new.status in ('PENDING', 'RETRY') then
        insert into fediverse_host (host, due_at) values (new.host, new.next_attempt_at)
        on conflict (host) do update set due_at = least(fediverse_host.due_at, excluded.due_at);
    end if;
    return null;
end $$;
create trigger fediverse_delivery_due_on_move after update of host on fediverse_delivery
    for each row when (old.host is distinct from new.host) execute function fediverse_host_due_on_move();

-- STILL_FOLLOWED: whether any follower still reads an inbox, asked before every delivery
create index fediverse_follower_delivery_inbox_idx on fediverse_follower ((coalesce(shared_inbox, inbox)));

-- A delivery not sent because no follower reads its inbox any more is CANCELLED: nothing failed, so the stats, which
-- count FAILED rows, leave it out. It stays in the ledger (rather than being deleted) so the planner does not plan the
-- same Update or Delete again at the next run.
alter table fediverse_delivery drop constraint fediverse_delivery_status_check;
alter table fediverse_delivery add constraint fediverse_delivery_status_check
    check (status in ('PENDING', 'RETRY', 'DELIVERED', 'FAILED', 'CANCELLED'));
update fediverse_delivery set status = 'CANCELLED'
where status = 'FAILED' and last_error = 'no follower reads this inbox any more';

-- A delivery's host was read off its inbox URL together with any userinfo in it (https://name@host/inbox gave
-- "name@host"), so one server could count as two against one request in flight per host, and a long userinfo made a
-- host longer than the column, which failed the planning of every article. The planner now takes lower(host[:port])
-- alone, of http(s) inboxes only; rows planned before get the same host.
update fediverse_delivery
set host = lower((regexp_match(inbox, '^https?://(?:[^/?#]*@)?([^/?#@]+)', 'i'))[1])
where host like '%@%' and inbox ~* '^https?://(?:[^/?#]*@)?[^/?#@]+';

-- the leases and back-off of those would-be hosts: no row is planned for them any more
delete from fediverse_host where host like '%@%';

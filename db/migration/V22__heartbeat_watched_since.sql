-- Heartbeats that were never seen: Warden starts their clock when it first knew of them
-- (API heartbeats) or at the first Alertmanager webhook after that (heartbeats bound to
-- alerts), so a job that never ran or a Watchdog that is never routed still becomes an
-- incident. A row now appears when the heartbeat is declared, before its first ping.

alter table heartbeat
    alter column last_seen_at drop not null,
    alter column last_seen_by drop not null,
    -- When Warden first knew of the heartbeat as declared now (its kind below); a reload
    -- of an unchanged heartbeat, or a restart, keeps it.
    add column declared_at   timestamptz,
    -- api (pinged through the API) or alert (bound to Alertmanager's alerts); a change of
    -- kind declares the heartbeat anew. Null for rows from before this migration.
    add column declared_as   text check (declared_as in ('api', 'alert')),
    -- When its clock started while it has never been seen: declared_at for an API
    -- heartbeat, the first Alertmanager webhook accepted after declared_at for one bound
    -- to alerts; null while that has not happened.
    add column watched_since timestamptz;

update heartbeat set declared_at = last_seen_at, watched_since = last_seen_at;

alter table heartbeat
    alter column declared_at set not null,
    add constraint heartbeat_seen_by_whom check ((last_seen_at is null) = (last_seen_by is null));

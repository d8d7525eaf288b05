-- Heartbeats (dead man's switches): when each declared heartbeat was last seen, and the
-- silence Warden opened an incident for. The heartbeats themselves (interval, grace,
-- labels) are declared in the heartbeat file; a row appears with the first ping.

create table heartbeat (
    name          text        primary key,
    -- When the last ping arrived (Warden's clock), and who sent it: an API token's name,
    -- or alertmanager for an alert bound to the heartbeat.
    last_seen_at  timestamptz not null,
    last_seen_by  text        not null,
    -- Set while a silence has an incident: when the heartbeat was due at the latest
    -- (last seen + interval + grace). It is the synthetic alert's startsAt, so one
    -- silence is one alert occurrence and never two incidents.
    silent_since  timestamptz,
    incident_id   bigint references incident (id),
    -- When the silence's firing alert was last handed to the incidents module; it is
    -- handed again now and then so that the stale-alert sweep never expires it.
    fired_at      timestamptz
);

-- A token with the heartbeat scope may only send heartbeats.
alter table api_token drop constraint api_token_scopes_known;
alter table api_token add constraint api_token_scopes_known
    check (cardinality(scopes) > 0
        and scopes <@ array['read', 'respond', 'automate', 'admin', 'heartbeat']::text[]);

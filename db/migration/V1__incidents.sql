-- Incidents, their alerts and their append-only timeline.

create table incident (
    id                   bigint generated always as identity primary key,
    version              bigint      not null default 0,
    group_key            text        not null,
    -- SHA-256 of group_key: group keys can be longer than a btree index entry allows.
    group_hash           text        not null,
    receiver             text,
    group_status         text        not null check (group_status in ('firing', 'resolved')),
    status               text        not null check (status in ('TRIGGERED', 'ACKNOWLEDGED', 'RESOLVED')),
    severity             text        not null check (severity in ('CRITICAL', 'HIGH', 'WARNING', 'INFO')),
    severity_overridden  boolean     not null default false,
    title                text        not null,
    service              text,
    team                 text,
    external_url         text,
    group_labels         jsonb       not null default '{}',
    common_labels        jsonb       not null default '{}',
    common_annotations   jsonb       not null default '{}',
    truncated_alerts     integer     not null default 0,
    impact_started_at    timestamptz,
    detected_at          timestamptz not null,
    acknowledged_at      timestamptz,
    acknowledged_by_kind text,
    acknowledged_by_name text,
    mitigated_at         timestamptz,
    resolved_at          timestamptz,
    resolved_by_kind     text,
    resolved_by_name     text,
    reopen_count         integer     not null default 0,
    last_alert_at        timestamptz not null,
    updated_at           timestamptz not null,
    constraint incident_resolution_matches_status
        check ((status = 'RESOLVED') = (resolved_at is not null))
);

-- The rule that makes concurrent webhooks (one instance or many) yield one incident.
create unique index incident_one_open_per_group on incident (group_hash) where status <> 'RESOLVED';
create index incident_group_latest_resolved on incident (group_hash, resolved_at desc) where status = 'RESOLVED';
create index incident_detected on incident (detected_at desc, id desc);
create index incident_status_detected on incident (status, detected_at desc);
create index incident_service_detected on incident (service, detected_at desc);

create table alert (
    id            bigint generated always as identity primary key,
    incident_id   bigint      not null references incident (id),
    fingerprint   text        not null,
    alert_name    text        not null,
    status        text        not null check (status in ('FIRING', 'RESOLVED', 'EXPIRED')),
    severity      text        not null,
    labels        jsonb       not null,
    annotations   jsonb       not null,
    starts_at     timestamptz not null,
    ends_at       timestamptz,
    -- When Warden learned the alert resolved: a firing resend for the same occurrence
    -- soon after is a stale retry, much later it is the alert firing again.
    resolved_seen_at timestamptz,
    generator_url text,
    first_seen_at timestamptz not null,
    last_seen_at  timestamptz not null,
    constraint alert_once_per_incident unique (incident_id, fingerprint)
);

create index alert_fingerprint on alert (fingerprint);
create index alert_firing_last_seen on alert (last_seen_at) where status = 'FIRING';

create table timeline_event (
    id          bigint generated always as identity primary key,
    incident_id bigint      not null references incident (id),
    occurred_at timestamptz not null,
    type        text        not null check (type ~ '^[a-z]+(\.[a-z_]+)+$'),
    actor_kind  text        not null check (actor_kind in ('SYSTEM', 'ALERTMANAGER', 'USER')),
    actor_name  text        not null,
    summary     text        not null,
    details     jsonb       not null default '{}'
);

create index timeline_event_incident on timeline_event (incident_id, occurred_at, id);

create function timeline_event_is_append_only() returns trigger
    language plpgsql as
$$
begin
    raise exception 'timeline events are append-only (% refused)', tg_op;
end;
$$;

create trigger timeline_event_append_only
    before update or delete on timeline_event
    for each row execute function timeline_event_is_append_only();

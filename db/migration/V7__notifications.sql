-- Who hears about each incident, and every message Warden owes them.

-- The routing decision for an incident, taken once when it opened: later reloads of the
-- routing file do not change who an open incident notifies.
create table notification_plan (
    incident_id       bigint primary key references incident (id),
    routes            jsonb not null,
    slack             jsonb not null,
    email             jsonb not null,
    users             jsonb not null,
    schedules         jsonb not null,
    -- Slack member ids mentioned on the incident's message (users and who was on call).
    mentions          jsonb not null,
    escalation_policy text,
    -- Why nobody is notified (a silence or a mute window), or null.
    suppressed        text,
    decided_at        timestamptz not null
);

-- One row per message owed to one target. The idempotency key (incident, event, target)
-- makes replays and retries harmless: a second insert of the same key is ignored.
create table notification (
    id              bigserial primary key,
    incident_id     bigint not null references incident (id),
    idempotency_key text not null unique,
    channel         text not null check (channel in ('slack', 'email')),
    kind            text not null,
    target          text not null,
    event_id        bigint,
    body            jsonb not null default '{}'::jsonb,
    status          text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
    attempts        integer not null default 0,
    last_error      text,
    -- Set while a Slack post is on the wire: if its outcome is unknown (timeout, crash),
    -- the next attempt looks the message up before posting again.
    in_flight_since timestamptz,
    external_id     text,
    created_at      timestamptz not null,
    sent_at         timestamptz,
    failed_at       timestamptz
);

create index notification_incident on notification (incident_id, id);
create index notification_failed on notification (failed_at) where status = 'failed';

-- The Slack message that stands for an incident in a channel; updated on every change,
-- replies go in its thread.
create table slack_thread (
    incident_id bigint not null references incident (id),
    channel     text not null,
    channel_id  text not null,
    ts          text not null,
    posted_at   timestamptz not null,
    -- The newest timeline event the message shows; a sweep refreshes messages behind.
    rendered_event_id bigint not null default 0,
    primary key (incident_id, channel)
);

-- Where an incident's escalation policy stands. Its timer is a db-scheduler task.
create table escalation_state (
    incident_id    bigint primary key references incident (id),
    policy         text not null,
    next_level     integer not null,
    cycle          integer not null,
    next_at        timestamptz,
    stopped_reason text,
    updated_at     timestamptz not null
);

-- Slack interactions already acted on, by signature: a replayed request is refused.
create table slack_interaction (
    signature   text primary key,
    received_at timestamptz not null
);

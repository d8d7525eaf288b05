-- Outgoing webhooks: subscriptions made through the API (those of the webhook file live
-- in memory), one delivery per incident event and subscription, and every attempt.

-- A subscription made through the API. The secret is kept as given: signing needs it.
-- It is never answered, logged or audited; file subscriptions name an environment
-- variable instead and keep their secret out of the database.
create table webhook_subscription (
    name       text primary key,
    url        text not null,
    events     jsonb not null,
    matchers   jsonb not null,
    secret     text not null,
    timeout_ms integer,
    created_by text not null,
    created_at timestamptz not null
);

-- One row per incident event owed to one subscription. The idempotency key
-- (incident, event, subscription) makes a replayed follow-up harmless: a second insert of
-- the same key is ignored. The body is rendered once, so every attempt sends the same
-- bytes (only the timestamp and signature headers change).
create table webhook_delivery (
    id              bigserial primary key,
    incident_id     bigint not null references incident (id),
    idempotency_key text not null unique,
    subscription    text not null,
    event           text not null,
    event_id        bigint not null,
    body            text not null,
    status          text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts        integer not null default 0,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    failed_at       timestamptz
);

create index webhook_delivery_incident on webhook_delivery (incident_id, id);

-- Every attempt of a delivery and its outcome: the receiver's status, or the error.
create table webhook_attempt (
    delivery_id     bigint not null references webhook_delivery (id),
    number          integer not null,
    attempted_at    timestamptz not null,
    url             text not null,
    response_status integer,
    error           text,
    duration_ms     bigint not null,
    primary key (delivery_id, number)
);

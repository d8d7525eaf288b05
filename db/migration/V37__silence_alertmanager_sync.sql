-- Silences kept in step with Alertmanager: where each silence's copy in Alertmanager is.
-- Null for silences created while no Alertmanager API was configured (and for those
-- created before this migration): Warden never copies them.

alter table silence
    -- pending: to be created in Alertmanager; created: there, as alertmanager_id;
    -- failed: Alertmanager refused it (alertmanager_error says why); expiring: expired in
    -- Warden, still to be expired there; expired: expired there too, or never got there.
    add column alertmanager_state    text check (alertmanager_state in
        ('pending', 'created', 'failed', 'expiring', 'expired')),
    -- Alertmanager's id of the copy, once known.
    add column alertmanager_id       text,
    -- The last failed attempt's reason; cleared when an attempt succeeds.
    add column alertmanager_error    text,
    -- Failed attempts in a row, for the backoff.
    add column alertmanager_attempts integer not null default 0,
    add column alertmanager_synced_at timestamptz;

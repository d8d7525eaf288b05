-- Runbook executions, their steps, the audit trail of remediation, the global switch,
-- and the image history of the container groups Warden manages.

create table runbook_execution (
    id                  bigint generated always as identity primary key,
    version             bigint      not null default 0,
    runbook_id          text        not null,
    runbook_title       text        not null,
    incident_id         bigint      not null references incident (id),
    alert_fingerprint   text,
    status              text        not null check (status in ('QUEUED', 'AWAITING_APPROVAL', 'RUNNING', 'SUCCEEDED',
                                                               'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED')),
    trigger             text        not null check (trigger in ('AUTOMATIC', 'MANUAL')),
    requested_by        text        not null,
    approved_by         text,
    approved_at         timestamptz,
    approval_expires_at timestamptz,
    cancel_requested_by text,
    target_key          text,
    labels              jsonb       not null default '{}',
    annotations         jsonb       not null default '{}',
    on_failure          text        not null,
    run_timeout_seconds bigint      not null,
    created_at          timestamptz not null,
    started_at          timestamptz,
    deadline            timestamptz,
    finished_at         timestamptz,
    current_step        integer     not null default 0,
    outcome             text
);

create index runbook_execution_incident on runbook_execution (incident_id, created_at desc);
create index runbook_execution_limits on runbook_execution (runbook_id, target_key, created_at desc);
create index runbook_execution_awaiting on runbook_execution (approval_expires_at) where status = 'AWAITING_APPROVAL';
create index runbook_execution_unfinished_target on runbook_execution (target_key)
    where status in ('QUEUED', 'AWAITING_APPROVAL', 'RUNNING');

create table runbook_step (
    id              bigint generated always as identity primary key,
    execution_id    bigint      not null references runbook_execution (id),
    position        integer     not null,
    name            text        not null,
    action          text        not null,
    declarative     boolean     not null,
    status          text        not null check (status in ('PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED',
                                                           'SKIPPED', 'TIMED_OUT', 'INTERRUPTED', 'CANCELLED')),
    parameters      jsonb       not null default '{}',
    timeout_seconds bigint      not null,
    attempts        integer     not null default 0,
    started_at      timestamptz,
    resume_at       timestamptz,
    finished_at     timestamptz,
    output          jsonb       not null default '[]',
    error           text,
    constraint runbook_step_position unique (execution_id, position)
);

create table runbook_audit (
    id           bigint generated always as identity primary key,
    at           timestamptz not null,
    actor        text        not null,
    action       text        not null,
    execution_id bigint references runbook_execution (id),
    runbook_id   text,
    incident_id  bigint,
    details      jsonb       not null default '{}'
);

create index runbook_audit_execution on runbook_audit (execution_id, at);

create function refuse_change_of_append_only_row() returns trigger
    language plpgsql as
$$
begin
    raise exception '% is append-only (% refused)', tg_table_name, tg_op;
end;
$$;

create trigger runbook_audit_append_only
    before update or delete on runbook_audit
    for each row execute function refuse_change_of_append_only_row();

-- One row: whether automatic runs are paused, for every instance at once.
create table runbook_switch (
    id         integer primary key check (id = 1),
    paused     boolean     not null,
    changed_by text        not null,
    changed_at timestamptz not null,
    reason     text
);

insert into runbook_switch (id, paused, changed_by, changed_at) values (1, false, 'warden', now());

-- Images a managed container group ran, so a rollback knows what "previous" means.
create table container_image_history (
    id         bigint generated always as identity primary key,
    group_key  text        not null,
    image      text        not null,
    first_seen timestamptz not null,
    last_seen  timestamptz not null,
    constraint container_image_history_once unique (group_key, image)
);

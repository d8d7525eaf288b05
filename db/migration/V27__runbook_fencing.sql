-- Fencing of runbook side effects: which instance holds an execution's job (db-scheduler's
-- claim on it), and whether the current attempt of a step got past its last check of that
-- claim, i.e. may have acted.

alter table runbook_execution
    add column claimed_by    text,
    add column claim_version bigint;

comment on column runbook_execution.claimed_by is
    'The Warden instance (its warden.cluster.instance-id) that last claimed this execution''s job';
comment on column runbook_execution.claim_version is
    'db-scheduler''s version of the job''s scheduled_tasks row when that instance picked it';

-- fenced: this attempt was started by a Warden that checks its claim before every side
-- effect and records the first check it passes (acted_by, acted_at). A running step whose
-- attempt is fenced and has no such record provably never acted; any other running step
-- may have (steps running when this migration ran, or started by an older Warden during a
-- rolling upgrade, default to "may have acted").
alter table runbook_step
    add column fenced   boolean not null default false,
    add column acted_by text,
    add column acted_at timestamptz;

-- Budgets per target across every runbook and incident: one row per container or group a
-- run acts on (a runbook's Docker steps may act on several), so cooldown, run limits and
-- "one run per target at a time" count every run that touched the target, whichever
-- runbook made it. created_at is the run's, copied so the budget queries read one index.
create table runbook_target (
    execution_id bigint      not null references runbook_execution (id),
    target_key   text        not null,
    created_at   timestamptz not null,
    primary key (execution_id, target_key)
);

create index runbook_target_recent on runbook_target (target_key, created_at desc);

insert into runbook_target (execution_id, target_key, created_at)
select id, target_key, created_at from runbook_execution where target_key is not null;

-- A run whose runbook says the approver must be another person than the one who started
-- it; kept on the run so that a reload cannot loosen a run already waiting.
alter table runbook_execution add column distinct_approver boolean not null default false;

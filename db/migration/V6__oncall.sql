-- On-call overrides: someone stands in for a schedule's rotation during a time range.
-- Schedules and users live in the on-call YAML file, so they are names here, not keys.

create table oncall_override (
    id          bigint generated always as identity primary key,
    schedule    text        not null,
    user_name   text        not null,
    starts_at   timestamptz not null,
    ends_at     timestamptz not null,
    created_by  text        not null,
    created_at  timestamptz not null,
    reason      text,
    constraint oncall_override_range check (ends_at > starts_at)
);

create index oncall_override_schedule on oncall_override (schedule, ends_at, starts_at);

-- Silences: matchers plus a time range, created and expired by people through the API.

create table silence (
    id         uuid primary key,
    matchers   text[]      not null check (cardinality(matchers) > 0),
    starts_at  timestamptz not null,
    ends_at    timestamptz not null,
    created_by text        not null,
    created_at timestamptz not null,
    comment    text        not null check (comment <> ''),
    expired_by text,
    expired_at timestamptz,
    constraint silence_ends_after_start check (ends_at > starts_at),
    constraint silence_expired_by_whom check ((expired_at is null) = (expired_by is null))
);

-- Silences that may still silence something: what silencing(labels, at) looks at.
create index silence_unexpired on silence (starts_at, ends_at) where expired_at is null;
create index silence_created on silence (created_at desc);

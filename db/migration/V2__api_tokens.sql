-- API tokens; only a SHA-256 digest of each token is kept.

create table api_token (
    id         bigint generated always as identity primary key,
    name       text        not null unique,
    token_hash bytea       not null unique,
    created_at timestamptz not null,
    revoked_at timestamptz
);

-- People who sign in to the console, and the counters that throttle failed sign-ins.

-- Usernames are kept in lower case (the console normalises what people type), so the
-- unique constraint makes them unique regardless of case. Only a password hash is kept,
-- prefixed with the id of its algorithm ({argon2@SpringSecurity_v5_8}..., {bcrypt}...).
create table console_user (
    id                  bigint generated always as identity primary key,
    username            text        not null unique
                                    check (username = lower(username) and length(username) between 1 and 64),
    display_name        text        not null check (length(display_name) between 1 and 100),
    password_hash       text        not null,
    role                text        not null check (role in ('viewer', 'responder', 'admin')),
    enabled             boolean     not null default true,
    created_at          timestamptz not null,
    password_changed_at timestamptz not null,
    -- Sessions signed in with an older version end: raised when an admin resets the
    -- password or disables the user.
    session_version     bigint      not null default 1
);

-- Failed sign-ins per username and per client address in the current window, shared by
-- every instance. A row is locked while locked_until is in the future; rows whose window
-- and lock have both passed are deleted.
create table console_login_throttle (
    kind              text        not null check (kind in ('username', 'address')),
    key               text        not null,
    failures          integer     not null,
    window_started_at timestamptz not null,
    locked_until      timestamptz,
    primary key (kind, key)
);

create index console_login_throttle_window on console_login_throttle (window_started_at);

-- Console sessions, shared by every instance (Spring Session JDBC), so that a load
-- balancer needs no sticky sessions and a restart signs nobody out. This is Spring
-- Session 4.1's schema-postgresql.sql, unchanged but for case; Warden never lets Spring
-- Session create it (spring.session.jdbc.initialize-schema=never).
--
-- principal_name is the signed-in username (NULL before sign-in): signing out, disabling
-- a user or resetting their password deletes that user's rows, which ends the sessions
-- on every instance. Expired rows are deleted by Spring Session's cleanup job, which each
-- instance runs once a minute (a plain DELETE by expiry_time: harmless when two run).
create table spring_session (
    primary_id            char(36)     not null,
    session_id            char(36)     not null,
    creation_time         bigint       not null,
    last_access_time      bigint       not null,
    max_inactive_interval int          not null,
    expiry_time           bigint       not null,
    principal_name        varchar(100),
    constraint spring_session_pk primary key (primary_id)
);

create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

-- Each attribute Java-serialised: the signed-in user (no password hash), the CSRF token,
-- the page asked for before sign-in, flash messages.
create table spring_session_attributes (
    session_primary_id char(36)     not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea        not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id)
        references spring_session (primary_id) on delete cascade
);

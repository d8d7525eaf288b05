-- Postmortems: every save is a new revision; the newest is the postmortem. The unique
-- (incident, revision) pair makes a save based on an old revision fail instead of
-- overwriting someone else's words.
create table postmortem_revision (
    id          bigserial primary key,
    incident_id bigint not null references incident (id),
    revision    integer not null check (revision > 0),
    sections    jsonb not null,
    author      text not null,
    saved_at    timestamptz not null,
    unique (incident_id, revision)
);

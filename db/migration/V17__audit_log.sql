-- The audit log: every change a person or an API token made, through the console, the API
-- or Slack. Warden's own actions (automatic runbooks, auto-resolve, escalations) are on
-- the incidents' timelines instead. Append-only like the timeline.

create table audit_event (
    id         bigint generated always as identity primary key,
    at         timestamptz not null,
    -- The console username (also for Slack, whose members act as console users) or the
    -- API token's name.
    actor      text        not null,
    actor_kind text        not null check (actor_kind in ('user', 'token')),
    channel    text        not null check (channel in ('console', 'api', 'slack')),
    -- The client's address as the request saw it.
    address    text,
    action     text        not null check (action ~ '^[a-z]+(\.[a-z_]+)+$'),
    target     text        not null,
    -- The target's state before and after, in short; null when not meaningful.
    before     text,
    after      text,
    details    jsonb
);

-- Newest first, alone or after one of the filters.
create index audit_event_at on audit_event (at desc, id desc);
create index audit_event_actor on audit_event (actor, at desc);
-- text_pattern_ops serves the action prefix filter (action like 'incident.%').
create index audit_event_action on audit_event (action text_pattern_ops, at desc);
create index audit_event_target on audit_event (target text_pattern_ops, at desc);
create index audit_event_channel on audit_event (channel, at desc);

create function audit_event_is_append_only() returns trigger
    language plpgsql as
$$
begin
    raise exception 'audit events are append-only (% refused)', tg_op;
end;
$$;

create trigger audit_event_append_only
    before update or delete on audit_event
    for each row execute function audit_event_is_append_only();

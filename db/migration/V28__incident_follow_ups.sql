-- Issue 14: the webhook's transaction writes the incident, its alerts, its timeline and
-- one follow-up job; routing, notifications and runbook starts follow after the commit.

-- Whether an event is news for people (a thread reply, the card's latest news) is
-- declared on its type in code and stored with the event, so that queries need not
-- know the types. Existing rows get the rule that decided it before: notification.* and
-- escalation.* bookkeeping, routing, Alertmanager's resends and refused actions are not
-- news.
alter table timeline_event add column news boolean not null default true;

alter table timeline_event disable trigger timeline_event_append_only;
update timeline_event set news = false
 where type like 'notification.%' or type like 'escalation.%'
    or type in ('incident.routed', 'alert.repeated', 'alert.truncated', 'action.refused');
alter table timeline_event enable trigger timeline_event_append_only;

-- How many changes of the incident are to be followed: each change with news gets the
-- next number, written in its own transaction under the incident's row lock, so the
-- numbers are the order in which the changes committed.
alter table incident add column changes integer not null default 0;

-- How far each follower (notifications, runbooks) has followed each incident's changes.
-- A follower takes change n only after n - 1 and never twice: the row is locked while it
-- follows, and advanced in the same transaction as the follower's own writes.
create table incident_follower (
    incident_id bigint  not null references incident (id),
    follower    text    not null,
    followed    integer not null,
    primary key (incident_id, follower)
);

-- Read models that modules publish for the reports module, which computes analytics in
-- PostgreSQL: reports reads these views, never the owners' tables, so an owner may change
-- its tables as long as its views keep their columns and meaning. Plain views: PostgreSQL
-- inlines them, so the owners' indexes (incident_detected, incident_service_detected,
-- alert_first_seen, runbook_execution_incident) serve reports' queries as before.

-- Published by incidents: one row per incident with its milestones and scope.
create view report_incident as
select id, detected_at, acknowledged_at, resolved_at, service, severity, team
from incident;

-- Published by incidents: one row per alert of an incident, with when it was first seen.
create view report_alert as
select incident_id, alert_name, first_seen_at
from alert;

-- Published by runbooks: one row per runbook run, with its outcome.
create view report_runbook_run as
select id, incident_id, runbook_id, runbook_title, status, created_at
from runbook_execution;

-- Merging incident B into A (POST /api/v1/incidents/{b}/merge): B resolves "merged into
-- A" and keeps merged_into = A; the alerts it brought keep merged_from = B, so that
-- unmerging (POST .../unmerge) moves exactly those back. Alerts of B's group that arrive
-- after the merge go to A, marked the same way.
alter table incident add column merged_into bigint references incident (id);
alter table alert add column merged_from bigint references incident (id);
create index incident_merged_into on incident (merged_into) where merged_into is not null;

-- Splitting alerts out of incident A into a new incident C (POST /api/v1/incidents/{a}/split):
-- C keeps split_from = A, and A keeps which of its group's fingerprints now go to C while
-- C is open (A's group still sends them in its notifications).
alter table incident add column split_from bigint references incident (id);
alter table incident add column split_out jsonb not null default '{}';

-- Published by incidents for reports: merged_into, so that analytics count a merged
-- incident once, in the incident it was merged into (its resolution is the merge, not a
-- repair). Columns are only added at the end.
create or replace view report_incident as
select id, detected_at, acknowledged_at, resolved_at, service, severity, team, impact_started_at, mitigated_at,
    merged_into
from incident;

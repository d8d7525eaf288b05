-- Published by incidents for reports: the impact start (as corrected by a person, when
-- it was) and the mitigation, so that analytics can give time to detect and to mitigate.
-- Columns are only added at the end: the view keeps its earlier columns and meaning.
create or replace view report_incident as
select id, detected_at, acknowledged_at, resolved_at, service, severity, team, impact_started_at, mitigated_at
from incident;

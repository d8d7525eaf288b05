-- Incidents a person declared (POST /api/v1/incidents, the console's Declare, Slack's
-- /warden declare): who declared it and what they wrote; null for incidents an alert
-- opened. A declared incident's group key is Warden's own ("warden:declared:...") until
-- a person attaches an Alertmanager group to it.
alter table incident
    add column declared_by_kind text,
    add column declared_by_name text,
    add column description text;

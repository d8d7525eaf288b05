-- Incidents a person declared (POST /api/v1/incidents, the console's Declare, Slack's
-- /warden declare): who declared it and what they wrote; null for incidents an alert
-- opened. A declared incident's group key is Warden's own ("warden:declared:...") until
-- a person attaches an Alertmanager group to it.
alter table incident
    add column declared_by_kind text,
    add column declared_by_name text,
    add column description text,
    -- SHA-256 of who declared it and their Idempotency-Key: a repeated declaration finds
    -- the incident by it, whatever group was attached to it since.
    add column declaration_key text;
create unique index incident_one_per_declaration on incident (declaration_key) where declaration_key is not null;

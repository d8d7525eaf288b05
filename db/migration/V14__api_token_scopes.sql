-- API token scopes (read, respond, automate, admin), expiry, creator and last use.
-- Tokens issued before scopes existed could do everything: they become admin, and
-- given_admin_by_upgrade says so on the console's token page.

alter table api_token
    add column scopes                 text[]      not null default '{admin}',
    add column expires_at             timestamptz,
    add column created_by             text,
    add column last_used_at           timestamptz,
    add column given_admin_by_upgrade boolean     not null default false;

update api_token set given_admin_by_upgrade = true;

-- New tokens name their scopes; only the upgrade above relied on the default.
alter table api_token alter column scopes drop default;

alter table api_token add constraint api_token_scopes_known
    check (cardinality(scopes) > 0 and scopes <@ array['read', 'respond', 'automate', 'admin']::text[]);

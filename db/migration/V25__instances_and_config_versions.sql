-- Several instances on one database (issue 13): the versions of the configuration files
-- every instance converges on, each instance's heartbeat row, and the routing version an
-- incident's routing decision was taken with.

-- One row per reload through the API or the console, and per instance start whose files
-- differ from the latest version: the history of each kind of configuration.
create table config_version (
    kind varchar(40) not null,
    version bigint not null,
    -- SHA-256 of the files read (hex), or 'unreadable'
    content_hash varchar(64) not null,
    -- the user or API token that reloaded, or 'start of <instance>'
    actor varchar(200) not null,
    recorded_at timestamptz not null,
    instance_id varchar(100) not null,
    applied boolean not null,
    problems jsonb not null default '[]'::jsonb,
    primary key (kind, version)
);

-- Which version holds given content: looked up inside the webhook's transaction for each
-- routing decision.
create index config_version_content on config_version (kind, content_hash, version desc);

-- Each instance writes its row every few seconds; a graceful stop sets stopped_at.
create table warden_instance (
    id varchar(100) primary key,
    host varchar(255) not null,
    pid bigint not null,
    warden_version varchar(100) not null,
    started_at timestamptz not null,
    last_seen_at timestamptz not null,
    stopped_at timestamptz,
    -- per kind: {"version": n, "contentHash": "...", "drift": false}
    configuration jsonb not null default '{}'::jsonb
);

create index warden_instance_last_seen on warden_instance (last_seen_at);

alter table incident
    add column routing_version bigint,
    add column routing_hash varchar(64);

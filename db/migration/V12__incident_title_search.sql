-- The console's title search (case-insensitive words anywhere in the title) through a
-- trigram index instead of reading every incident. pg_trgm is a trusted extension.
create extension if not exists pg_trgm;
create index incident_title_trgm on incident using gin (lower(title) gin_trgm_ops);

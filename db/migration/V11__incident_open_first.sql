-- The console lists open incidents first, then recent ones: a stored flag and an index
-- that serves that order (and its first page) without sorting the whole table.
alter table incident add column open boolean generated always as (status <> 'RESOLVED') stored;
create index incident_open_detected on incident (open desc, detected_at desc, id desc);

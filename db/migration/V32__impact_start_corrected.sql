-- A person corrected when an incident's impact started (POST .../impact-start): later
-- alerts no longer move it to their earliest startsAt.
alter table incident add column impact_start_corrected boolean not null default false;

-- Consecutive failed updates (chat.update) of an incident's Slack message: retries of a
-- card update back off by this count, which an update that goes through resets.
alter table slack_thread add column update_failures integer not null default 0;

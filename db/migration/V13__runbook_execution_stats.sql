-- The console's runbook pages: per runbook, its run counts by outcome and its latest run,
-- for the whole catalog in one grouped query, and a runbook's latest runs. The existing
-- runbook_execution_limits index puts target_key between runbook_id and created_at, so
-- neither "newest run of a runbook" nor "its latest 20" could be read in order from it:
-- every run of the runbook would be read and sorted. This one serves both in order, and
-- with status included the counts are an index-only scan.
create index runbook_execution_recent on runbook_execution (runbook_id, created_at desc, id desc) include (status);

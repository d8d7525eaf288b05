-- Issue 15: more read models that modules publish, so that no module reads another's
-- tables (as V30 did for reports). Plain views: PostgreSQL inlines them, so the owners'
-- indexes serve the readers' queries as before.

-- Published by incidents: the timeline events people hear about (a Slack message's
-- news, a thread reply), by incident. Notifications reads these to know whether a
-- message shows its incident's newest news.
create view incident_news as
select id, incident_id, occurred_at
from timeline_event
where news;

-- Published by jobs: the durable jobs' schedule (db-scheduler's table), by task and
-- instance: when each is due, whether an instance has picked it, and the version that
-- fences a picked job's claim. Modules read it to know whether a job of theirs exists,
-- when it runs next, or whether this instance still holds it.
create view job_schedule as
select task_name, task_instance, execution_time, picked, picked_by, version
from scheduled_tasks;

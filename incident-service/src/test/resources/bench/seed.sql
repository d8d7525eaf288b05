-- The console benchmark's data set: 100,000 incidents over about a year, 10 alerts each
-- (1,000,000 alerts), a short timeline each; 2% of incidents still open. Plain SQL with
-- generate_series, so seeding takes seconds, not hours.
insert into incident (group_key, group_hash, receiver, group_status, status, severity, title, service, team,
                      external_url, group_labels, common_labels, common_annotations, impact_started_at, detected_at,
                      acknowledged_at, acknowledged_by_kind, acknowledged_by_name, resolved_at, resolved_by_kind,
                      resolved_by_name, last_alert_at, updated_at)
select '{}:{bench="' || g || '"}', md5('bench' || g), 'warden',
       case when g % 50 = 0 then 'firing' else 'resolved' end,
       case when g % 50 = 0 then 'TRIGGERED' else 'RESOLVED' end,
       (array['CRITICAL', 'HIGH', 'WARNING', 'INFO'])[1 + g % 4],
       'Benchmark incident ' || g || ': ' || (array['latency high', 'database down', 'error ratio', 'drift'])[1 + g % 4],
       'svc-' || (g % 20), 'team-' || (g % 5), 'http://127.0.0.1:9093',
       jsonb_build_object('bench', g::text), jsonb_build_object('bench', g::text, 'service', 'svc-' || (g % 20)),
       jsonb_build_object('summary', 'Benchmark incident ' || g),
       t - interval '2 minutes', t,
       case when g % 50 = 0 then null else t + interval '4 minutes' end,
       case when g % 50 = 0 then null else 'USER' end,
       case when g % 50 = 0 then null else 'bench' end,
       case when g % 50 = 0 then null else t + interval '30 minutes' end,
       case when g % 50 = 0 then null else 'ALERTMANAGER' end,
       case when g % 50 = 0 then null else 'alertmanager' end,
       t, t
from generate_series(1, 100000) g,
     lateral (select timestamptz '2025-11-01 00:00:00+00' + (g * interval '5 minutes') as t) times;

insert into alert (incident_id, fingerprint, alert_name, status, severity, labels, annotations, starts_at, ends_at,
                   generator_url, first_seen_at, last_seen_at)
select i.id, md5(i.id || '-' || a), 'BenchAlert' || (a % 7),
       case when i.status = 'RESOLVED' then 'RESOLVED' else 'FIRING' end, 'WARNING',
       jsonb_build_object('alertname', 'BenchAlert' || (a % 7), 'instance', 'node-' || a, 'service', i.service),
       jsonb_build_object('summary', 'Alert ' || a || ' of incident ' || i.id),
       i.impact_started_at, i.resolved_at, 'http://127.0.0.1:9090/graph?g0.expr=up', i.detected_at, i.detected_at
from incident i, generate_series(1, 10) a
where i.group_key like '{}:{bench=%';

insert into timeline_event (incident_id, occurred_at, type, actor_kind, actor_name, summary, details)
select i.id, i.detected_at, 'incident.opened', 'ALERTMANAGER', 'alertmanager', 'Incident opened: ' || i.title, '{}'::jsonb
from incident i where i.group_key like '{}:{bench=%'
union all
select i.id, i.acknowledged_at, 'incident.acknowledged', 'USER', 'bench', 'Acknowledged by bench', '{}'::jsonb
from incident i where i.group_key like '{}:{bench=%' and i.acknowledged_at is not null
union all
select i.id, i.resolved_at, 'incident.resolved', 'ALERTMANAGER', 'alertmanager', 'Resolved automatically', '{}'::jsonb
from incident i where i.group_key like '{}:{bench=%' and i.resolved_at is not null;

analyze incident;
analyze alert;
analyze timeline_event;

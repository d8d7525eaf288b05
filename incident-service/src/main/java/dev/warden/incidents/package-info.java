/**
 * The incident aggregate, its alerts, lifecycle, milestones and timeline; the only writer
 * of incident state. Other modules call {@link dev.warden.incidents.IncidentService} and
 * get records back, never the entities (which, like their repository, are
 * package-private): {@link dev.warden.incidents.IncidentView} (an incident with its
 * alerts as {@link dev.warden.incidents.AlertSnapshot} and timeline as
 * {@link dev.warden.incidents.RecordedEvent}),
 * {@link dev.warden.incidents.IncidentSummary} (a list's row, without alerts or
 * timeline), each read in one transaction of this module and detached from it. For
 * reports' analytics it publishes two views of its tables, {@code report_incident} and
 * {@code report_alert} (migration V30), and for notifications {@code incident_news}, the
 * timeline events people hear about (V31), whose columns it keeps when its tables change;
 * no other module names its tables.
 * <p>
 * An alert's way in: the webhook ({@code alerting}) hands a batch to
 * {@link dev.warden.incidents.IncidentService#ingest}, whose one transaction finds or
 * opens the group's incident, records the alerts and timeline events, and, when the
 * change is news ({@link dev.warden.incidents.TimelineEventType#news()}), writes one
 * follow-up job ({@code FollowUps}). After the commit the job hands the change to each
 * {@link dev.warden.incidents.IncidentFollower} in its own transaction, once, in commit
 * order per incident: {@code notifications} (routing, owed messages, escalation) first,
 * then {@code runbooks} (automatic runs). Followers call back into this module only after
 * it returned: routing's outcome goes in by
 * {@link dev.warden.incidents.IncidentService#route}, other events by {@code record},
 * each of which may be news for a later follow-up. The API shows how far the followers
 * are ({@code followUp}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Incidents",
		allowedDependencies = { "access", "metrics" })
package dev.warden.incidents;

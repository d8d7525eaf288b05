package dev.warden.incidents;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One incident as other modules see it, with its alerts and timeline: read in one
 * transaction of this module and detached from it (nothing in it loads lazily, and
 * nothing changes when the incident does).
 *
 * @param id the incident's id
 * @param groupKey the Alertmanager group key of its alerts
 * @param receiver the Alertmanager receiver of the last notification
 * @param status its status
 * @param severity its severity
 * @param title its title
 * @param service the service it concerns, or null
 * @param team the team that owns it, or null
 * @param declaredBy the person who declared it, or null when an alert opened it
 * @param description what the person who declared it wrote, or null
 * @param mergedInto the incident it was merged into, or null
 * @param splitFrom the incident it was split out of, or null
 * @param routingVersion the routing version the last routing decision was taken with, or
 * null (not routed yet, or by a routing file no version was recorded for)
 * @param routingHash the content hash of the routing file that last routed it, or null
 * @param externalUrl the Alertmanager link of the last notification
 * @param groupLabels the labels Alertmanager grouped the alerts by
 * @param commonLabels the labels all alerts of the last notification shared
 * @param commonAnnotations the annotations all alerts of the last notification shared
 * @param groupStatus the group's status in the last notification: {@code firing} or
 * {@code resolved}
 * @param truncatedAlerts how many alerts Alertmanager left out of the last notification
 * @param milestones its milestones (a copy)
 * @param reopenCount how often it was reopened
 * @param changes how many of its changes carried news (the followers' count)
 * @param lastAlertAt when Alertmanager last sent anything about it
 * @param updatedAt when it last changed
 * @param alerts its alerts, oldest first
 * @param timeline its timeline, oldest first
 */
public record IncidentView(IncidentId id, String groupKey, String receiver, IncidentStatus status, Severity severity,
		String title, String service, String team, Actor declaredBy, String description, IncidentId mergedInto,
		IncidentId splitFrom, Long routingVersion, String routingHash, String externalUrl,
		Map<String, String> groupLabels, Map<String, String> commonLabels, Map<String, String> commonAnnotations,
		String groupStatus, int truncatedAlerts, Milestones milestones, int reopenCount, int changes,
		Instant lastAlertAt, Instant updatedAt, List<AlertSnapshot> alerts, List<RecordedEvent> timeline) {

	public IncidentView {
		groupLabels = Copies.of(groupLabels);
		commonLabels = Copies.of(commonLabels);
		commonAnnotations = Copies.of(commonAnnotations);
		alerts = List.copyOf(alerts);
		timeline = List.copyOf(timeline);
	}

	/** Reads the incident, its alerts and timeline: only inside a transaction. */
	static IncidentView of(Incident incident) {
		return new IncidentView(incident.id(), incident.groupKey(), incident.receiver(), incident.status(),
				incident.severity(), incident.title(), incident.service(), incident.team(), incident.declaredBy(),
				incident.description(), incident.mergedInto(), incident.splitFrom(), incident.routingVersion(),
				incident.routingHash(), incident.externalUrl(), incident.groupLabels(), incident.commonLabels(),
				incident.commonAnnotations(), incident.groupStatus(), incident.truncatedAlerts(),
				incident.milestones().copy(), incident.reopenCount(), incident.changes(), incident.lastAlertAt(),
				incident.updatedAt(), incident.alerts().stream().map(AlertSnapshot::of).toList(),
				incident.timeline().stream().map(RecordedEvent::of).toList());
	}

}

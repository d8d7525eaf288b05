package dev.warden.incidents;

import java.time.Instant;

/**
 * An incident in a list, as other modules see it: what a row shows, without alerts or
 * timeline (read those with {@link IncidentService#get}).
 *
 * @param id the incident's id
 * @param title its title
 * @param status its status
 * @param severity its severity
 * @param service the service it concerns, or null
 * @param team the team that owns it, or null
 * @param groupKey the Alertmanager group key of its alerts
 * @param milestones its milestones (a copy)
 * @param reopenCount how often it was reopened
 * @param lastAlertAt when Alertmanager last sent anything about it
 * @param updatedAt when it last changed
 */
public record IncidentSummary(IncidentId id, String title, IncidentStatus status, Severity severity, String service,
		String team, String groupKey, Milestones milestones, int reopenCount, Instant lastAlertAt, Instant updatedAt) {

	static IncidentSummary of(Incident incident) {
		return new IncidentSummary(incident.id(), incident.title(), incident.status(), incident.severity(),
				incident.service(), incident.team(), incident.groupKey(), incident.milestones().copy(),
				incident.reopenCount(), incident.lastAlertAt(), incident.updatedAt());
	}

}

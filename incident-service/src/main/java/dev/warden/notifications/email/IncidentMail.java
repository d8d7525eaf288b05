package dev.warden.notifications.email;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What an email says about an incident.
 *
 * @param id the incident's number, also the email thread's
 * @param title the incident's title
 * @param severity the severity, shown as a word such as {@code CRITICAL}
 * @param service the service, or null
 * @param team the owning team, or null
 * @param status the incident's status, such as {@code TRIGGERED}
 * @param consoleUrl the incident's page in Warden's console, or null
 * @param alerts the incident's alerts, in order
 * @param timeline the incident's timeline, in order
 * @param detectedAt when the incident was detected
 * @param acknowledgedAt when it was acknowledged, or null
 * @param resolvedAt when it was resolved, or null
 * @param acknowledgedBy who acknowledged it, or null
 * @param resolvedBy who resolved it, or null
 * @param zone the zone times are shown in; UTC when null
 * @param declaredBy who declared it, when a person did (no alert opened it); else null
 * @param description what the person who declared it wrote, or null
 */
public record IncidentMail(long id, String title, String severity, String service, String team, String status,
		String consoleUrl, List<MailAlert> alerts, List<MailEvent> timeline, Instant detectedAt, Instant acknowledgedAt,
		Instant resolvedAt, String acknowledgedBy, String resolvedBy, ZoneId zone, String declaredBy,
		String description) {

	private static final ZoneId UTC = ZoneId.of("UTC");

	/** An incident an alert opened: nobody declared it. */
	public IncidentMail(long id, String title, String severity, String service, String team, String status,
			String consoleUrl, List<MailAlert> alerts, List<MailEvent> timeline, Instant detectedAt,
			Instant acknowledgedAt, Instant resolvedAt, String acknowledgedBy, String resolvedBy, ZoneId zone) {
		this(id, title, severity, service, team, status, consoleUrl, alerts, timeline, detectedAt, acknowledgedAt,
				resolvedAt, acknowledgedBy, resolvedBy, zone, null, null);
	}

	public IncidentMail {
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(severity, "severity");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(detectedAt, "detectedAt");
		alerts = (alerts != null) ? List.copyOf(alerts) : List.of();
		timeline = (timeline != null) ? List.copyOf(timeline) : List.of();
		zone = (zone != null) ? zone : UTC;
	}

}

package dev.warden.incidents;

import java.util.regex.Pattern;

/**
 * The kind of a timeline event, a dotted lower-case name such as {@code alert.fired}.
 * Modules add their own kinds (for example {@code runbook.step.succeeded}) by declaring a
 * constant; no schema change is needed.
 *
 * @param name dotted lower-case name
 */
public record TimelineEventType(String name) {

	private static final Pattern NAME = Pattern.compile("[a-z]+(\\.[a-z_]+)+");

	public static final TimelineEventType ALERT_FIRED = new TimelineEventType("alert.fired");

	public static final TimelineEventType ALERT_REPEATED = new TimelineEventType("alert.repeated");

	public static final TimelineEventType ALERT_RESOLVED = new TimelineEventType("alert.resolved");

	public static final TimelineEventType ALERT_EXPIRED = new TimelineEventType("alert.expired");

	public static final TimelineEventType ALERTS_TRUNCATED = new TimelineEventType("alert.truncated");

	public static final TimelineEventType INCIDENT_OPENED = new TimelineEventType("incident.opened");

	public static final TimelineEventType ACKNOWLEDGED = new TimelineEventType("incident.acknowledged");

	public static final TimelineEventType SEVERITY_CHANGED = new TimelineEventType("incident.severity_changed");

	public static final TimelineEventType OWNER_CHANGED = new TimelineEventType("incident.owner_changed");

	public static final TimelineEventType NOTE_ADDED = new TimelineEventType("incident.note_added");

	public static final TimelineEventType MITIGATED = new TimelineEventType("incident.mitigated");

	public static final TimelineEventType RESOLVED = new TimelineEventType("incident.resolved");

	public static final TimelineEventType REOPENED = new TimelineEventType("incident.reopened");

	public TimelineEventType {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("A timeline event type is a dotted lower-case name, not " + name);
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}

package dev.warden.incidents;

import java.util.regex.Pattern;

/**
 * The kind of a timeline event, a dotted lower-case name such as {@code alert.fired}, and
 * whether it is news for people. Modules add their own kinds (for example
 * {@code runbook.step.succeeded}) by declaring a constant; no schema change is needed.
 * <p>
 * News is what people watching an incident hear about again (a reply in its Slack thread,
 * the card's latest news) and what Warden's followers act on after the change commits
 * (see {@link IncidentFollower}): a change without news is only recorded. A kind that is
 * bookkeeping (a notification was sent, Alertmanager resent what is known) is declared
 * with {@link #quiet}. The flag is stored with each event, so that it reads back as
 * declared. A kind is identified by its name alone.
 *
 * @param name dotted lower-case name
 * @param news whether people hear about it and followers act on it
 */
public record TimelineEventType(String name, boolean news) {

	private static final Pattern NAME = Pattern.compile("[a-z]+(\\.[a-z_]+)+");

	public static final TimelineEventType ALERT_FIRED = new TimelineEventType("alert.fired");

	/** Alertmanager resent a firing alert after the repeat gap: nothing new. */
	public static final TimelineEventType ALERT_REPEATED = quiet("alert.repeated");

	public static final TimelineEventType ALERT_RESOLVED = new TimelineEventType("alert.resolved");

	public static final TimelineEventType ALERT_EXPIRED = new TimelineEventType("alert.expired");

	/** A batch held more alerts than an incident keeps. */
	public static final TimelineEventType ALERTS_TRUNCATED = quiet("alert.truncated");

	public static final TimelineEventType INCIDENT_OPENED = new TimelineEventType("incident.opened");

	public static final TimelineEventType ACKNOWLEDGED = new TimelineEventType("incident.acknowledged");

	public static final TimelineEventType SEVERITY_CHANGED = new TimelineEventType("incident.severity_changed");

	public static final TimelineEventType OWNER_CHANGED = new TimelineEventType("incident.owner_changed");

	public static final TimelineEventType NOTE_ADDED = new TimelineEventType("incident.note_added");

	public static final TimelineEventType MITIGATED = new TimelineEventType("incident.mitigated");

	/**
	 * A person corrected when the impact started: recorded for the timeline and the
	 * postmortem; nobody is paged about it.
	 */
	public static final TimelineEventType IMPACT_START_CORRECTED = quiet("incident.impact_start_corrected");

	/**
	 * A person attached an Alertmanager group to a declared incident: recorded, nobody is
	 * paged about it (the group's alerts, when they come, are news).
	 */
	public static final TimelineEventType GROUP_ATTACHED = quiet("incident.group_attached");

	/** Alerts of this incident were split out into a new incident. */
	public static final TimelineEventType SPLIT = new TimelineEventType("incident.split");

	/** Another incident was merged into this one: its alerts came here. */
	public static final TimelineEventType MERGED = new TimelineEventType("incident.merged");

	/**
	 * An incident merged into this one was taken out again, with the alerts it brought.
	 */
	public static final TimelineEventType UNMERGED = new TimelineEventType("incident.unmerged");

	public static final TimelineEventType RESOLVED = new TimelineEventType("incident.resolved");

	public static final TimelineEventType REOPENED = new TimelineEventType("incident.reopened");

	/** An escalation level fired: its people and channels are paged. */
	public static final TimelineEventType ESCALATED = new TimelineEventType("incident.escalated");

	/**
	 * Who heard about the incident and by which routes: the first messages show it, so it
	 * is no news.
	 */
	public static final TimelineEventType ROUTED = quiet("incident.routed");

	public TimelineEventType {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("A timeline event type is a dotted lower-case name, not " + name);
		}
	}

	/** A kind that is news. */
	public TimelineEventType(String name) {
		this(name, true);
	}

	/** A kind that is only recorded: people do not hear about it, followers ignore it. */
	public static TimelineEventType quiet(String name) {
		return new TimelineEventType(name, false);
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof TimelineEventType type) && this.name.equals(type.name);
	}

	@Override
	public int hashCode() {
		return this.name.hashCode();
	}

	@Override
	public String toString() {
		return this.name;
	}

}

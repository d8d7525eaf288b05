package dev.warden.notifications;

import dev.warden.incidents.TimelineEventType;

/** The kinds of notification and the timeline event types this module records. */
final class Kinds {

	/** The incident's own message in a Slack channel, updated on every change. */
	static final String SLACK_MESSAGE = "slack.message";

	/** A reply in the thread of the incident's Slack message. */
	static final String SLACK_REPLY = "slack.reply";

	static final String EMAIL_OPENED = "email.opened";

	static final String EMAIL_ESCALATED = "email.escalated";

	static final String EMAIL_RESOLVED = "email.resolved";

	static final TimelineEventType ROUTED = new TimelineEventType("incident.routed");

	static final TimelineEventType ESCALATED = new TimelineEventType("incident.escalated");

	static final TimelineEventType ESCALATION_STOPPED = new TimelineEventType("escalation.stopped");

	static final TimelineEventType SENT = new TimelineEventType("notification.sent");

	static final TimelineEventType FAILED = new TimelineEventType("notification.failed");

	static final TimelineEventType SUPPRESSED = new TimelineEventType("notification.suppressed");

	static final TimelineEventType SKIPPED = new TimelineEventType("notification.skipped");

	static final TimelineEventType RESENT = new TimelineEventType("notification.resent");

	private Kinds() {
	}

	/**
	 * Whether an event is news for people watching the incident in Slack: not this
	 * module's own bookkeeping (which would notify about notifications) and not resends
	 * Alertmanager makes of what is known.
	 */
	static boolean isNews(TimelineEventType type) {
		String name = type.name();
		return !name.startsWith("notification.") && !name.startsWith("escalation.") && !type.equals(ROUTED)
				&& !name.equals("alert.repeated") && !name.equals("alert.truncated");
	}

}

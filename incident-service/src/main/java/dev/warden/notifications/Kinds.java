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

	/** Who hears about the incident, decided when it opened. */
	static final TimelineEventType ROUTED = TimelineEventType.ROUTED;

	/** An escalation level fired: news, and its people and channels are paged. */
	static final TimelineEventType ESCALATED = TimelineEventType.ESCALATED;

	static final TimelineEventType SENT = TimelineEventType.quiet("notification.sent");

	static final TimelineEventType FAILED = TimelineEventType.quiet("notification.failed");

	static final TimelineEventType SUPPRESSED = TimelineEventType.quiet("notification.suppressed");

	static final TimelineEventType SKIPPED = TimelineEventType.quiet("notification.skipped");

	static final TimelineEventType RESENT = TimelineEventType.quiet("notification.resent");

	private Kinds() {
	}

}

package dev.warden.notifications;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

	/** Event types starting with these are this module's bookkeeping. */
	private static final List<String> NOT_NEWS_PREFIXES = List.of("notification.", "escalation.");

	/**
	 * Event types people need not hear about again; a refused action was answered to the
	 * person who tried it.
	 */
	private static final Set<String> NOT_NEWS = Set.of(ROUTED.name(), "alert.repeated", "alert.truncated",
			"action.refused");

	private Kinds() {
	}

	/**
	 * Whether an event is news for people watching the incident in Slack: not this
	 * module's own bookkeeping (which would notify about notifications) and not resends
	 * Alertmanager makes of what is known.
	 */
	static boolean isNews(TimelineEventType type) {
		String name = type.name();
		return NOT_NEWS_PREFIXES.stream().noneMatch(name::startsWith) && !NOT_NEWS.contains(name);
	}

	/**
	 * The same rule as {@link #isNews} as an SQL condition on a column holding the event
	 * type, for queries over the timeline.
	 */
	static String newsCondition(String column) {
		return NOT_NEWS_PREFIXES.stream()
			.map((prefix) -> column + " not like '" + prefix + "%'")
			.collect(Collectors.joining(" and ")) + " and " + column + " not in ("
				+ NOT_NEWS.stream().map((name) -> "'" + name + "'").collect(Collectors.joining(", ")) + ")";
	}

}

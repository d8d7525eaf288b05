package dev.warden.webhooks;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.warden.incidents.TimelineEventType;

/**
 * An incident event a subscription may ask for, by the name subscriptions and payloads
 * use, and the timeline event it stands for.
 */
enum WebhookEvent {

	OPENED("opened", TimelineEventType.INCIDENT_OPENED),

	ACKNOWLEDGED("acknowledged", TimelineEventType.ACKNOWLEDGED),

	MITIGATED("mitigated", TimelineEventType.MITIGATED),

	RESOLVED("resolved", TimelineEventType.RESOLVED),

	REOPENED("reopened", TimelineEventType.REOPENED),

	/** Another incident was merged into this one ({@code incident.merged}). */
	MERGED("merged", TimelineEventType.MERGED),

	/** A runbook run ended, whatever its outcome ({@code runbook.finished}). */
	RUNBOOK_FINISHED("runbook_finished", new TimelineEventType("runbook.finished"));

	private final String value;

	private final TimelineEventType type;

	WebhookEvent(String value, TimelineEventType type) {
		this.value = value;
		this.type = type;
	}

	/** The name in subscriptions, payloads and headers, such as {@code resolved}. */
	String value() {
		return this.value;
	}

	/** The event a timeline event stands for, if a subscription may ask for it. */
	static Optional<WebhookEvent> of(TimelineEventType type) {
		return Arrays.stream(values()).filter((event) -> event.type.equals(type)).findFirst();
	}

	/**
	 * The event of this name.
	 * @throws InvalidSubscription when no event has it
	 */
	static WebhookEvent parse(String name) {
		String wanted = (name != null) ? name.strip().toLowerCase(Locale.ROOT) : "";
		return Arrays.stream(values())
			.filter((event) -> event.value.equals(wanted))
			.findFirst()
			.orElseThrow(
					() -> new InvalidSubscription("events: '" + name + "' is not an event; choose from " + names()));
	}

	/** Every event's name, comma separated, for messages. */
	static String names() {
		return Arrays.stream(values()).map(WebhookEvent::value).collect(Collectors.joining(", "));
	}

}

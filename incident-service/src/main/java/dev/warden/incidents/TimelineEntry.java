package dev.warden.incidents;

import java.util.Map;
import java.util.Objects;

/**
 * An event another module appends to an incident's timeline, such as a runbook step's
 * result.
 *
 * @param type the event type, e.g. {@code runbook.step.succeeded}
 * @param actor who did it
 * @param summary one line a person can read
 * @param details structured details
 */
public record TimelineEntry(TimelineEventType type, Actor actor, String summary, Map<String, ?> details) {

	public TimelineEntry {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(actor, "actor");
		Objects.requireNonNull(summary, "summary");
		details = (details != null) ? Map.copyOf(details) : Map.of();
	}

}

package dev.warden.incidents;

import java.time.Instant;
import java.util.Map;

/**
 * A timeline event as other modules see it: in the change a follower receives, and on an
 * incident's timeline ({@link IncidentView#timeline()}).
 *
 * @param id the event's id, unique across incidents
 * @param type what happened
 * @param actor who did it
 * @param occurredAt when
 * @param summary one line a person can read
 * @param details structured details; instants are ISO-8601 strings
 */
public record RecordedEvent(long id, TimelineEventType type, Actor actor, Instant occurredAt, String summary,
		Map<String, Object> details) {

	public RecordedEvent {
		details = Copies.of(details);
	}

	static RecordedEvent of(TimelineEvent event) {
		return new RecordedEvent(event.id(), event.type(), event.actor(), event.occurredAt(), event.summary(),
				event.details());
	}

}

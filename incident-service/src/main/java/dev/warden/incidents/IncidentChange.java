package dev.warden.incidents;

import java.util.List;

/**
 * A committed change of an incident that carries news, as its followers receive it after
 * the commit (see {@link IncidentFollower}).
 *
 * @param incident the incident
 * @param number the change's number: an incident's changes are numbered in the order they
 * committed, from 1 (the opening)
 * @param status the incident's status right after the change
 * @param events the change's events, oldest first, news or not
 */
public record IncidentChange(IncidentId incident, int number, IncidentStatus status, List<RecordedEvent> events) {

	public IncidentChange {
		events = List.copyOf(events);
	}

	/** Whether the change recorded an event of this type. */
	public boolean has(TimelineEventType type) {
		return this.events.stream().anyMatch((event) -> event.type().equals(type));
	}

}

package dev.warden.incidents;

import java.util.List;

/**
 * Events were appended to an incident's timeline. Published inside the transaction that
 * appended them, once they have ids, so listeners' writes (such as notification jobs)
 * commit or roll back with the change that caused them.
 *
 * @param incident the incident
 * @param status its status after the change
 * @param events the new events, oldest first
 */
public record IncidentChanged(IncidentId incident, IncidentStatus status, List<RecordedEvent> events) {

	public IncidentChanged {
		events = List.copyOf(events);
	}

}

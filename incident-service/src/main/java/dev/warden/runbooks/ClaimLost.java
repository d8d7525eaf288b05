package dev.warden.runbooks;

import java.util.Map;

import dev.warden.incidents.IncidentId;

/**
 * This instance no longer holds the claim on an execution's job: another instance took it
 * over (this one was paused or cut off past db-scheduler's dead-execution window) or
 * finished it. The instance stops at once, changes nothing more of the run, and the
 * runner records why on the incident's timeline.
 */
final class ClaimLost extends RuntimeException {

	private final IncidentId incident;

	private final transient Map<String, ?> details;

	/**
	 * @param summary what the instance did not do, for the timeline and the log
	 * @param incident the run's incident
	 * @param details the timeline entry's details
	 */
	ClaimLost(String summary, IncidentId incident, Map<String, ?> details) {
		super(summary, null, false, false);
		this.incident = incident;
		this.details = details;
	}

	IncidentId incident() {
		return this.incident;
	}

	Map<String, ?> details() {
		return this.details;
	}

}

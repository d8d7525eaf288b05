package dev.warden.escalation;

import java.time.Instant;

/**
 * Where an incident's escalation stands.
 *
 * @param incidentId the incident
 * @param policy the policy's name
 * @param nextLevel the 1-based level that fires next
 * @param cycle the 1-based pass through the policy
 * @param nextAt when the next level fires, or null when stopped
 * @param stoppedReason why it stopped, or null while it runs
 */
record EscalationState(long incidentId, String policy, int nextLevel, int cycle, Instant nextAt, String stoppedReason) {

	boolean running() {
		return this.stoppedReason == null;
	}

}

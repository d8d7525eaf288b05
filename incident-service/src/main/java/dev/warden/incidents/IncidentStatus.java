package dev.warden.incidents;

import java.util.Set;

/** Where an incident is in its lifecycle; the allowed transitions live here. */
public enum IncidentStatus {

	TRIGGERED, ACKNOWLEDGED, RESOLVED;

	boolean canTransitionTo(IncidentStatus next) {
		return switch (this) {
			case TRIGGERED -> Set.of(ACKNOWLEDGED, RESOLVED).contains(next);
			case ACKNOWLEDGED -> next == RESOLVED;
			case RESOLVED -> next == TRIGGERED;
		};
	}

	boolean isOpen() {
		return this != RESOLVED;
	}

}

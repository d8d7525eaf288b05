package dev.warden.incidents;

/**
 * Identifies an incident; shown to people as {@code INC-<value>}.
 *
 * @param value the database identity, positive
 */
public record IncidentId(long value) {

	public IncidentId {
		if (value <= 0) {
			throw new IllegalArgumentException("An incident id is positive, not " + value);
		}
	}

	@Override
	public String toString() {
		return "INC-" + this.value;
	}

}

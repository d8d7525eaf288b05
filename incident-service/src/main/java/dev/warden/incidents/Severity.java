package dev.warden.incidents;

/** How bad an incident is, from worst to least. */
public enum Severity {

	CRITICAL, HIGH, WARNING, INFO;

	/** True when this severity is worse than {@code other}. */
	public boolean isWorseThan(Severity other) {
		return ordinal() < other.ordinal();
	}

}

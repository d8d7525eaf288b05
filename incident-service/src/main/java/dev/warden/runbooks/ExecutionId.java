package dev.warden.runbooks;

/**
 * Identifies a runbook run (an execution) across module borders: the console, Slack's
 * Approve button and the API name a run by it.
 *
 * @param value the database identity, positive
 */
public record ExecutionId(long value) {

	public ExecutionId {
		if (value <= 0) {
			throw new IllegalArgumentException("A runbook run's id is positive, not " + value);
		}
	}

	/**
	 * The id a path or a button's value names: the number alone. Spring's conversion uses
	 * it for typed path variables.
	 * @throws IllegalArgumentException when the text is not a positive number
	 */
	public static ExecutionId valueOf(String text) {
		return new ExecutionId(Long.parseLong(text.strip()));
	}

	/** The number alone, as URLs and Slack's button values carry it. */
	@Override
	public String toString() {
		return Long.toString(this.value);
	}

}

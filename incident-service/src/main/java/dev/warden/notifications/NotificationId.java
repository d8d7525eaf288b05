package dev.warden.notifications;

/**
 * Identifies an owed message (a notification) across module borders: the console's Resend
 * names one by it.
 *
 * @param value the database identity, positive
 */
public record NotificationId(long value) {

	public NotificationId {
		if (value <= 0) {
			throw new IllegalArgumentException("A notification's id is positive, not " + value);
		}
	}

	/**
	 * The id a path names: the number alone. Spring's conversion uses it for typed path
	 * variables.
	 * @throws IllegalArgumentException when the text is not a positive number
	 */
	public static NotificationId valueOf(String text) {
		return new NotificationId(Long.parseLong(text.strip()));
	}

	/** The number alone, as URLs carry it. */
	@Override
	public String toString() {
		return Long.toString(this.value);
	}

}

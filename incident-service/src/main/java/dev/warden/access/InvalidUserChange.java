package dev.warden.access;

/**
 * A change to console users that is refused, with nothing changed; the message says why,
 * for the admin who tried.
 */
public class InvalidUserChange extends RuntimeException {

	InvalidUserChange(String message) {
		super(message);
	}

}

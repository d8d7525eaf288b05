package dev.warden.notifications.email;

import java.util.Locale;
import java.util.Objects;

/**
 * An email that could not be sent, and whether sending it again later may work.
 */
public class EmailFailure extends RuntimeException {

	/** Whether a retry may succeed. */
	public enum Kind {

		/**
		 * The SMTP server could not be reached, timed out or answered with a 4xx reply: a
		 * later attempt may succeed.
		 */
		TRANSIENT,

		/**
		 * The server refused the credentials, a recipient or the message (5xx replies),
		 * or the message could not be built: sending it again fails again.
		 */
		PERMANENT

	}

	private final Kind kind;

	private final String reason;

	public EmailFailure(Kind kind, String reason) {
		this(kind, reason, null);
	}

	public EmailFailure(Kind kind, String reason, Throwable cause) {
		super("Email not sent (" + Objects.requireNonNull(kind, "kind").name().toLowerCase(Locale.ROOT) + "): "
				+ reason, cause);
		this.kind = kind;
		this.reason = reason;
	}

	/** Whether a retry may succeed. */
	public Kind kind() {
		return this.kind;
	}

	/** Why the email was not sent, for people. */
	public String reason() {
		return this.reason;
	}

}

package dev.warden.notifications.slack;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A call to Slack failed. The {@link Kind} tells the caller what it may do next; the
 * {@link #reason() reason} is short enough for a timeline entry.
 */
public class SlackFailure extends RuntimeException {

	private final Kind kind;

	private final String reason;

	private final Duration retryAfter;

	/**
	 * Creates a failure.
	 * @param kind what the caller may do next
	 * @param reason a short description, such as {@code HTTP 503} or
	 * {@code channel_not_found}
	 * @param retryAfter how long Slack asked to wait; null when it did not say
	 * @param cause the underlying exception, if any
	 */
	public SlackFailure(Kind kind, String reason, Duration retryAfter, Throwable cause) {
		super(Objects.requireNonNull(kind, "kind") + ": " + Objects.requireNonNull(reason, "reason"), cause);
		this.kind = kind;
		this.reason = reason;
		this.retryAfter = retryAfter;
	}

	/** Creates a failure without a cause or a requested wait. */
	public SlackFailure(Kind kind, String reason) {
		this(kind, reason, null, null);
	}

	/** What the caller may do next. */
	public Kind kind() {
		return this.kind;
	}

	/** How long Slack asked to wait before the next call, when it said. */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	/** Why, in a few words: {@code HTTP 503}, {@code channel_not_found}, ... */
	public String reason() {
		return this.reason;
	}

	/** What a failed call means for the next attempt. */
	public enum Kind {

		/**
		 * Slack refused the call because of its rate limits; nothing was done. Wait
		 * {@link SlackFailure#retryAfter()} when given.
		 */
		RATE_LIMITED,

		/** Nothing was done; the same call may succeed later. */
		TRANSIENT,

		/**
		 * The request may have reached Slack and been carried out, but no answer came.
		 * Before posting again, look the message up
		 * ({@link SlackGateway#findPosted(String, String, String, java.time.Instant)}).
		 */
		AMBIGUOUS,

		/** Retrying cannot help: the channel, the token or the message is wrong. */
		PERMANENT

	}

}

package dev.warden.notifications.slack;

import java.time.Duration;

/**
 * Warden's own pacing of Slack calls says not yet: nothing was sent, and the caller
 * should try again after {@link #retryIn()}, ideally by rescheduling its job rather than
 * by waiting in its thread. Not a failure: it costs no attempt.
 */
public final class SlackBusy extends RuntimeException {

	private final Duration retryIn;

	SlackBusy(String what, Duration retryIn) {
		super(what + ": next turn in " + retryIn.toMillis() + " ms", null, false, false);
		this.retryIn = retryIn;
	}

	/** How long until a turn may be free. */
	public Duration retryIn() {
		return this.retryIn;
	}

}

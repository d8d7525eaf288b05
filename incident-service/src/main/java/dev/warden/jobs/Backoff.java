package dev.warden.jobs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a durable job waits before its next attempt after a failure: capped
 * exponential backoff with jitter, as the deliveries (notifications, outgoing webhooks)
 * and the Alertmanager silence sync use it.
 */
public final class Backoff {

	private Backoff() {
	}

	/**
	 * Half to all of {@code initial × 2^(attempt−1)}, at most {@code max}.
	 * @param attempt the attempt that failed, from 1
	 */
	public static Duration capped(int attempt, Duration initial, Duration max) {
		long first = initial.toMillis();
		long most = max.toMillis();
		int doublings = Math.max(0, attempt - 1);
		// first × 2^doublings, without overflowing on the hundreds of attempts of a
		// day-long outage.
		long exponential = (doublings < 62 && first <= (most >> doublings)) ? first << doublings : most;
		long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
		return Duration.ofMillis(jittered);
	}

}

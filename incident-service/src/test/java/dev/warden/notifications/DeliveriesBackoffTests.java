package dev.warden.notifications;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wait between delivery attempts: doubling from the initial backoff, capped, with
 * jitter, and sound for the hundreds of attempts of a day-long outage.
 */
class DeliveriesBackoffTests {

	private static final Duration INITIAL = Duration.ofSeconds(2);

	private static final Duration MAX = Duration.ofMinutes(5);

	@Test
	void doublesPerAttemptWithJitterOfUpToHalf() {
		for (int attempt = 1; attempt <= 8; attempt++) {
			Duration full = INITIAL.multipliedBy(1L << (attempt - 1));
			for (int i = 0; i < 200; i++) {
				assertThat(Deliveries.backoff(attempt, INITIAL, MAX)).as("attempt %d", attempt)
					.isBetween(full.dividedBy(2), full);
			}
		}
	}

	@Test
	void isCappedAndNeverOverflowsHoweverManyAttempts() {
		for (int attempt : new int[] { 9, 10, 31, 32, 62, 63, 64, 100, 720, Integer.MAX_VALUE }) {
			for (int i = 0; i < 50; i++) {
				assertThat(Deliveries.backoff(attempt, INITIAL, MAX)).as("attempt %d", attempt)
					.isBetween(MAX.dividedBy(2), MAX);
			}
		}
	}

	@Test
	void jitterSpreadsRetriesThatFailedTogether() {
		long distinct = java.util.stream.IntStream.range(0, 100)
			.mapToObj((i) -> Deliveries.backoff(20, INITIAL, MAX))
			.distinct()
			.count();
		assertThat(distinct).isGreaterThan(50);
	}

}

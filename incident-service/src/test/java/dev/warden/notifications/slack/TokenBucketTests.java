package dev.warden.notifications.slack;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pacing arithmetic, on a clock the test moves. */
class TokenBucketTests {

	private static final Duration SECOND = Duration.ofSeconds(1);

	private final AtomicLong now = new AtomicLong();

	@Test
	void aQuietBucketGivesItsWholeBurstAtOnceThenOnePerInterval() {
		TokenBucket bucket = new TokenBucket(3, SECOND, this.now::get);

		for (int i = 0; i < 3; i++) {
			assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		}
		TokenBucket.Claim refused = bucket.claim(0, Duration.ZERO);

		assertThat(refused.granted()).isFalse();
		assertThat(refused.delay()).isEqualTo(SECOND);
		advance(Duration.ofMillis(999));
		assertThat(bucket.claim(0, Duration.ZERO).granted()).isFalse();
		advance(Duration.ofMillis(1));
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
	}

	@Test
	void aFloorLeavesTokensForMoreUrgentCallers() {
		TokenBucket bucket = new TokenBucket(4, SECOND, this.now::get);

		assertThat(bucket.claim(2, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(2, Duration.ZERO).now()).isTrue();
		TokenBucket.Claim reply = bucket.claim(2, Duration.ZERO);

		assertThat(reply.granted()).isFalse();
		assertThat(reply.delay()).isEqualTo(SECOND);
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).granted()).isFalse();
	}

	@Test
	void aTokenComingBackWithinThePatienceIsBookedAndLaterCallersQueueBehindIt() {
		TokenBucket bucket = new TokenBucket(1, SECOND, this.now::get);
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		advance(Duration.ofMillis(800));

		TokenBucket.Claim booked = bucket.claim(0, Duration.ofMillis(250));

		assertThat(booked.granted()).isTrue();
		assertThat(booked.delay()).isEqualTo(Duration.ofMillis(200));
		TokenBucket.Claim next = bucket.claim(0, Duration.ofMillis(250));
		assertThat(next.granted()).isFalse();
		assertThat(next.delay()).isEqualTo(Duration.ofMillis(1200));
	}

	@Test
	void aPauseStopsEveryCallerThenAllowsOneAtTheSteadyRate() {
		TokenBucket bucket = new TokenBucket(10, SECOND, this.now::get);

		bucket.pause(Duration.ofSeconds(3));

		assertThat(bucket.claim(0, Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(3));
		advance(Duration.ofSeconds(3));
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).granted()).as("no burst after a pause").isFalse();
	}

	@Test
	void aZeroIntervalIsNoPace() {
		TokenBucket bucket = new TokenBucket(1, Duration.ZERO, this.now::get);

		for (int i = 0; i < 100; i++) {
			assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		}
	}

	private void advance(Duration by) {
		this.now.addAndGet(by.toNanos());
	}

}

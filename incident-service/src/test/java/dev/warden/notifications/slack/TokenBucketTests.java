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

	@Test
	void aFloorHoldsOnlyUntilCallersHeldBackByItHaveWaitedLongEnough() {
		TokenBucket bucket = new TokenBucket(4, SECOND, this.now::get);
		Duration heldAtMost = Duration.ofSeconds(5);
		for (int i = 0; i < 4; i++) {
			assertThat(bucket.claim(0, Duration.ZERO).now()).as("pages take the burst").isTrue();
		}
		assertThat(bucket.claim(3, Duration.ZERO, heldAtMost).granted()).isFalse();

		// One page a second keeps the bucket empty: the reply comes each second, just as
		// a token is back, before the page.
		for (int second = 1; second < 5; second++) {
			advance(SECOND);
			assertThat(bucket.claim(3, Duration.ZERO, heldAtMost).granted())
				.as("held back for %d s: the floor holds", second)
				.isFalse();
			assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		}
		advance(SECOND);

		assertThat(bucket.claim(3, Duration.ZERO, heldAtMost).now()).as("held back 5 s: takes the last token").isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).granted()).as("the page waits a turn").isFalse();
		advance(SECOND);
		assertThat(bucket.claim(3, Duration.ZERO, heldAtMost).granted())
			.as("once one got through, the floor holds again")
			.isFalse();
	}

	@Test
	void aCallerHeldBackByAFloorIsToldToComeBackWhenTheFloorNoLongerHolds() {
		TokenBucket bucket = new TokenBucket(10, SECOND, this.now::get);
		for (int i = 0; i < 10; i++) {
			bucket.claim(0, Duration.ZERO);
		}

		TokenBucket.Claim first = bucket.claim(9, Duration.ZERO, Duration.ofSeconds(3));
		advance(SECOND);
		TokenBucket.Claim second = bucket.claim(9, Duration.ZERO, Duration.ofSeconds(3));

		assertThat(first.granted()).isFalse();
		assertThat(first.delay()).as("not the 10 s until the floor is refilled").isEqualTo(Duration.ofSeconds(3));
		assertThat(second.delay()).as("counted from the first refusal").isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void afterAPauseCallersHeldBackByAFloorWaitNoLongerThanTheyMay() {
		TokenBucket bucket = new TokenBucket(10, SECOND, this.now::get);
		bucket.pause(Duration.ofSeconds(30));

		TokenBucket.Claim reply = bucket.claim(7, Duration.ZERO, Duration.ofSeconds(5));
		advance(Duration.ofSeconds(30));
		TokenBucket.Claim later = bucket.claim(7, Duration.ZERO, Duration.ofSeconds(5));

		assertThat(reply.delay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(later.now()).as("held back past its limit: the first token after the pause is its").isTrue();
	}

	private void advance(Duration by) {
		this.now.addAndGet(by.toNanos());
	}

}

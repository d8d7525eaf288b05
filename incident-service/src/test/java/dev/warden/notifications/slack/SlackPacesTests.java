package dev.warden.notifications.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacing arithmetic, in buckets in a real PostgreSQL, on a clock the test moves. Two
 * {@link SlackPaces} on one database stand for two Warden instances.
 */
class SlackPacesTests {

	private static final Duration SECOND = Duration.ofSeconds(1);

	private static PaceDatabase database;

	private final AtomicLong now = new AtomicLong(1_800_000_000_000_000_000L);

	private final TimeMeter clock = new TimeMeter() {

		@Override
		public long currentTimeNanos() {
			return SlackPacesTests.this.now.get();
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}

	};

	private SlackPaces paces;

	@BeforeAll
	static void startDatabase() {
		database = new PaceDatabase();
	}

	@AfterAll
	static void stopDatabase() {
		database.close();
	}

	@BeforeEach
	void freshPaces() {
		database.forgetPaces();
		this.paces = new SlackPaces(database.dataSource(), this.clock);
	}

	@Test
	void aQuietBucketGivesItsWholeBurstAtOnceThenOnePerInterval() {
		Bucket bucket = bucket(3, SECOND);

		for (int i = 0; i < 3; i++) {
			assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		}
		SlackPaces.Claim refused = bucket.claim(0, Duration.ZERO);

		assertThat(refused.granted()).isFalse();
		assertThat(refused.delay()).isEqualTo(SECOND);
		advance(Duration.ofMillis(999));
		assertThat(bucket.claim(0, Duration.ZERO).granted()).isFalse();
		advance(Duration.ofMillis(1));
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
	}

	@Test
	void aFloorLeavesTokensForMoreUrgentCallers() {
		Bucket bucket = bucket(4, SECOND);

		assertThat(bucket.claim(2, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(2, Duration.ZERO).now()).isTrue();
		SlackPaces.Claim reply = bucket.claim(2, Duration.ZERO);

		assertThat(reply.granted()).isFalse();
		assertThat(reply.delay()).isEqualTo(SECOND);
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).granted()).isFalse();
	}

	@Test
	void aTokenComingBackWithinThePatienceIsBookedAndLaterCallersQueueBehindIt() {
		Bucket bucket = bucket(1, SECOND);
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		advance(Duration.ofMillis(800));

		SlackPaces.Claim booked = bucket.claim(0, Duration.ofMillis(250));

		assertThat(booked.granted()).isTrue();
		assertThat(booked.delay()).isEqualTo(Duration.ofMillis(200));
		SlackPaces.Claim next = bucket.claim(0, Duration.ofMillis(250));
		assertThat(next.granted()).isFalse();
		assertThat(next.delay()).isEqualTo(Duration.ofMillis(1200));
	}

	@Test
	void aPauseStopsEveryCallerThenAllowsOneAtTheSteadyRate() {
		Bucket bucket = bucket(10, SECOND);

		bucket.pause(Duration.ofSeconds(3));

		assertThat(bucket.claim(0, Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(3));
		advance(Duration.ofSeconds(3));
		assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		assertThat(bucket.claim(0, Duration.ZERO).granted()).as("no burst after a pause").isFalse();
	}

	@Test
	void aZeroIntervalIsNoPace() {
		Bucket bucket = bucket(1, Duration.ZERO);

		for (int i = 0; i < 100; i++) {
			assertThat(bucket.claim(0, Duration.ZERO).now()).isTrue();
		}
	}

	@Test
	void aFloorHoldsOnlyUntilCallersHeldBackByItHaveWaitedLongEnough() {
		Bucket bucket = bucket(4, SECOND);
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
		Bucket bucket = bucket(10, SECOND);
		for (int i = 0; i < 10; i++) {
			bucket.claim(0, Duration.ZERO);
		}

		SlackPaces.Claim first = bucket.claim(9, Duration.ZERO, Duration.ofSeconds(3));
		advance(SECOND);
		SlackPaces.Claim second = bucket.claim(9, Duration.ZERO, Duration.ofSeconds(3));

		assertThat(first.granted()).isFalse();
		assertThat(first.delay()).as("not the 10 s until the floor is refilled").isEqualTo(Duration.ofSeconds(3));
		assertThat(second.delay()).as("counted from the first refusal").isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void afterAPauseCallersHeldBackByAFloorWaitNoLongerThanTheyMay() {
		Bucket bucket = bucket(10, SECOND);
		bucket.pause(Duration.ofSeconds(30));

		SlackPaces.Claim reply = bucket.claim(7, Duration.ZERO, Duration.ofSeconds(5));
		advance(Duration.ofSeconds(30));
		SlackPaces.Claim later = bucket.claim(7, Duration.ZERO, Duration.ofSeconds(5));

		assertThat(reply.delay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(later.now()).as("held back past its limit: the first token after the pause is its").isTrue();
	}

	@Test
	void instancesOnOneDatabaseShareOnePace() {
		SlackPaces other = new SlackPaces(database.dataSource(), this.clock);
		SlackPaces.Pace pace = SlackPaces.Pace.of("chat.postMessage #shared", 3, SECOND);
		assertThat(this.paces.claim(pace, 0, Duration.ZERO).now()).isTrue();
		assertThat(other.claim(pace, 0, Duration.ZERO).now()).isTrue();
		assertThat(this.paces.claim(pace, 0, Duration.ZERO).now()).isTrue();

		SlackPaces.Claim refused = other.claim(pace, 0, Duration.ZERO);

		assertThat(refused.granted()).as("the other instance took part of the burst").isFalse();
		assertThat(refused.delay()).isEqualTo(SECOND);
		other.pause(pace, Duration.ofSeconds(5));
		advance(SECOND);
		assertThat(this.paces.claim(pace, 0, Duration.ZERO).delay()).as("a 429 seen by one pauses both")
			.isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void instancesTakingTurnsAtOnceNeverTakeMoreThanTheBurst() throws Exception {
		SlackPaces other = new SlackPaces(database.dataSource(), this.clock);
		SlackPaces.Pace pace = SlackPaces.Pace.of("chat.postMessage #contended", 10, SECOND);
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<Boolean>> callers = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			SlackPaces instance = (i % 2 == 0) ? this.paces : other;
			callers.add(() -> {
				start.await();
				return instance.claim(pace, 0, Duration.ZERO).granted();
			});
		}
		List<Future<Boolean>> answers = new ArrayList<>();
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			callers.forEach((caller) -> answers.add(threads.submit(caller)));
			start.countDown();
		}
		long granted = 0;
		for (Future<Boolean> answer : answers) {
			granted += answer.get() ? 1 : 0;
		}

		assertThat(granted).as("40 callers on two instances, a burst of 10, no time passing").isEqualTo(10);
	}

	@Test
	void aPaceIsOneRowPerChannelAndMethodAndRefilledRowsAreDeleted() throws InterruptedException {
		// Rows expire by the system's clock: this test runs on it.
		SlackPaces realTime = new SlackPaces(database.dataSource());
		Duration interval = Duration.ofMillis(100);
		SlackPaces.Pace first = SlackPaces.Pace.of("chat.postMessage #one", 2, interval);
		SlackPaces.Pace second = SlackPaces.Pace.of("chat.postMessage #two", 2, interval);
		for (int i = 0; i < 5; i++) {
			realTime.claim(first, 0, Duration.ZERO);
			realTime.claim(second, 0, Duration.ZERO);
		}
		realTime.claim(SlackPaces.Pace.of("chat.postMessage #slow", 2, Duration.ofHours(1)), 0, Duration.ZERO);
		assertThat(rows()).isEqualTo(3);

		Thread.sleep(interval.multipliedBy(4));
		assertThat(realTime.forgetRefilled()).as("#one and #two have refilled; #slow has not").isEqualTo(2);

		assertThat(rows()).isOne();
		assertThat(realTime.claim(first, 0, Duration.ZERO).now()).as("a deleted pace starts full").isTrue();
	}

	private long rows() {
		return org.springframework.jdbc.core.simple.JdbcClient.create(database.dataSource())
			.sql("select count(*) from " + SlackPaces.TABLE)
			.query(Long.class)
			.single();
	}

	private Bucket bucket(int burst, Duration interval) {
		return new Bucket(SlackPaces.Pace.of("chat.postMessage #test-" + burst + "-" + interval, burst, interval));
	}

	private void advance(Duration by) {
		this.now.addAndGet(by.toNanos());
	}

	/** One pace, as the old tests' bucket. */
	private final class Bucket {

		private final SlackPaces.Pace pace;

		Bucket(SlackPaces.Pace pace) {
			this.pace = pace;
		}

		SlackPaces.Claim claim(int floor, Duration patience) {
			return SlackPacesTests.this.paces.claim(this.pace, floor, patience);
		}

		SlackPaces.Claim claim(int floor, Duration patience, Duration heldAtMost) {
			return SlackPacesTests.this.paces.claim(this.pace, floor, patience, heldAtMost);
		}

		void pause(Duration pause) {
			SlackPacesTests.this.paces.pause(this.pace, pause);
		}

	}

}

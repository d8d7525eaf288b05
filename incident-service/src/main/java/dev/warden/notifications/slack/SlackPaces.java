package dev.warden.notifications.slack;

import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns at Slack, as bucket4j token buckets in PostgreSQL ({@code slack_pace_bucket}),
 * shared by every Warden instance on the database: a rate with bursts, one call per
 * interval on average and up to the burst at once after a quiet spell. bucket4j reads and
 * writes a bucket under its row lock, so instances taking turns at once wait for each
 * other and never both take the last one.
 * <p>
 * On top of bucket4j's buckets: a caller may leave a floor of turns for more urgent
 * callers (replies leave most of a channel's burst to pages), and may book a turn that
 * comes back within its patience (later callers queue behind it) instead of being told to
 * come back. A floor holds only for so long: when callers held back by it have been
 * refused for long enough (since the first of them was, with none let through since, kept
 * in {@code slack_reply_hold} on the database's clock), the next one may take the last
 * turn.
 * <p>
 * Every method may throw when the database cannot be reached; nothing was taken then.
 */
@Component
class SlackPaces {

	/** The table bucket4j keeps the buckets in (see V26). */
	static final String TABLE = "slack_pace_bucket";

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final JdbcClient jdbc;

	private final TimeMeter clock;

	@Autowired
	SlackPaces(DataSource dataSource) {
		this(dataSource, SYSTEM_WALL_CLOCK);
	}

	/**
	 * @param clock every instance's wall clock (Slack's pace is real time, whatever
	 * Warden's clock says); tests move their own
	 */
	SlackPaces(DataSource dataSource, TimeMeter clock) {
		this.clock = clock;
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table(TABLE)
			.clientClock(clock)
			// A bucket that has refilled is as good as none: its row may go.
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.build();
		this.jdbc = JdbcClient.create(dataSource);
	}

	/**
	 * Takes a turn if one is free above the floor, or books the next one if it comes
	 * within the patience: booking takes it now, so later callers queue behind it.
	 * @param floor turns to leave for more urgent callers; 0 takes the last one
	 * @param patience how long the caller would wait for a booked turn
	 * @return {@link Claim#now() now}, a booked turn to wait for, or how long until one
	 * may be free (nothing taken)
	 */
	Claim claim(Pace pace, int floor, Duration patience) {
		if (pace.unpaced()) {
			return Claim.NOW;
		}
		BucketProxy bucket = bucket(pace);
		if (floor <= 0) {
			ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
			if (probe.isConsumed()) {
				return Claim.NOW;
			}
			return (probe.getNanosToWaitForRefill() <= patience.toNanos()) ? book(bucket, patience, 0)
					: refused(probe.getNanosToWaitForRefill());
		}
		EstimationProbe aboveFloor = bucket.estimateAbilityToConsume(floor + 1L);
		long wait = aboveFloor.canBeConsumed() ? 0 : aboveFloor.getNanosToWaitForRefill();
		return (wait <= patience.toNanos()) ? book(bucket, patience, wait) : refused(wait);
	}

	/**
	 * Like {@link #claim(Pace, int, Duration)}, but the floor holds only until callers
	 * held back by it have been refused for {@code heldAtMost}: then the caller may take
	 * the last turn like the most urgent callers. A refused caller is told to come back
	 * by the end of that time, at the latest.
	 */
	Claim claim(Pace pace, int floor, Duration patience, Duration heldAtMost) {
		if (pace.unpaced() || floor <= 0) {
			return claim(pace, 0, patience);
		}
		Claim claim = claim(pace, floor, patience);
		if (claim.granted()) {
			release(pace);
			return claim;
		}
		Duration held = hold(pace);
		if (held.compareTo(heldAtMost) >= 0) {
			Claim lifted = claim(pace, 0, patience);
			if (lifted.granted()) {
				release(pace);
			}
			return lifted;
		}
		Duration untilFloorLifts = heldAtMost.minus(held);
		return (untilFloorLifts.compareTo(claim.delay()) < 0) ? new Claim(false, untilFloorLifts) : claim;
	}

	/**
	 * Takes no calls for this long, then starts again at the steady rate with no burst:
	 * what to do when Slack said it had too many.
	 */
	void pause(Pace pace, Duration pause) {
		if (pace.unpaced()) {
			return;
		}
		BucketProxy bucket = bucket(pace);
		// One turn comes back as the pause ends, and none are left for a burst.
		long spare = Math.max(0, bucket.getAvailableTokens() - 1);
		long paused = Math.ceilDiv(pause.toNanos(), pace.interval().toNanos());
		bucket.consumeIgnoringRateLimits(spare + paused);
	}

	/**
	 * Deletes buckets that have refilled completely: they hold nothing a new bucket would
	 * not. Rows another instance is using right now are left for next time.
	 * @return how many were deleted
	 */
	int forgetRefilled() {
		return this.buckets.removeExpired(1000);
	}

	/**
	 * Books the next turn, to be taken after the longer of its own wait and
	 * {@code notBeforeNanos}.
	 */
	private Claim book(BucketProxy bucket, Duration patience, long notBeforeNanos) {
		long[] booked = { 0 };
		// bucket4j wants a positive wait; a nanosecond is no patience.
		boolean taken = bucket.asBlocking()
			.tryConsumeUninterruptibly(1, Math.max(1, patience.toNanos()), (nanos) -> booked[0] = nanos);
		if (!taken) {
			// Another caller booked it first: the next turn is further away.
			EstimationProbe next = bucket.estimateAbilityToConsume(1);
			return refused(Math.max(next.getNanosToWaitForRefill(), patience.toNanos() + 1));
		}
		long delay = Math.max(booked[0], notBeforeNanos);
		return (delay <= 0) ? Claim.NOW : new Claim(true, Duration.ofNanos(delay));
	}

	private static Claim refused(long nanos) {
		return new Claim(false, Duration.ofNanos(nanos));
	}

	private BucketProxy bucket(Pace pace) {
		return this.buckets.builder().build(pace.key(), pace::configuration);
	}

	/**
	 * Records that a caller held back by the pace's floor was refused, unless one already
	 * was since one last got through.
	 * @return how long callers have been held back
	 */
	private Duration hold(Pace pace) {
		long now = this.clock.currentTimeNanos();
		long since = this.jdbc.sql("""
				insert into slack_reply_hold (pace, since_nanos) values (?, ?)
				on conflict (pace) do update set since_nanos = slack_reply_hold.since_nanos
				returning since_nanos
				""").param(pace.key()).param(now).query(Long.class).single();
		return Duration.ofNanos(Math.max(0, now - since));
	}

	/** A caller held back by the pace's floor got through: the floor holds again. */
	private void release(Pace pace) {
		this.jdbc.sql("delete from slack_reply_hold where pace = ?").param(pace.key()).update();
	}

	/**
	 * Time for bucket4j: every instance's wall clock (NTP keeps them within milliseconds,
	 * far less than a turn), at the precision the system gives.
	 */
	private static final TimeMeter SYSTEM_WALL_CLOCK = new TimeMeter() {

		@Override
		public long currentTimeNanos() {
			Instant now = Instant.now();
			return now.getEpochSecond() * 1_000_000_000L + now.getNano();
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}

	};

	/**
	 * One pace: a bucket's key and its rate.
	 *
	 * @param key the bucket's id; it names the limit too, so that after a change of
	 * settings new buckets start with the new limit and the old ones expire
	 * @param burst the most turns at once
	 * @param interval one turn per interval on average; zero is no pace
	 */
	record Pace(String key, int burst, Duration interval) {

		/** The pace of {@code subject}, such as {@code chat.postMessage #ai-oncall}. */
		static Pace of(String subject, int burst, Duration interval) {
			return new Pace(subject + " " + burst + "/" + interval.toMillis() + "ms", burst, interval);
		}

		boolean unpaced() {
			return !this.interval.isPositive();
		}

		BucketConfiguration configuration() {
			return BucketConfiguration.builder()
				.addLimit(Bandwidth.builder().capacity(this.burst).refillGreedy(1, this.interval).build())
				.build();
		}

	}

	/**
	 * The answer to a claim.
	 *
	 * @param granted whether a turn was taken (or booked)
	 * @param delay when granted, how long to wait for the booked turn (zero: go now);
	 * otherwise how long until one may be free
	 */
	record Claim(boolean granted, Duration delay) {

		static final Claim NOW = new Claim(true, Duration.ZERO);

		boolean now() {
			return this.granted && this.delay.isZero();
		}

	}

}

package dev.warden.notifications.slack;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A rate with bursts: one call per interval on average, up to {@code capacity} at once
 * after a quiet spell. A call takes one token; tokens come back one per interval up to
 * the capacity. A caller may leave a floor of tokens for more urgent callers, and may
 * book a token that comes back soon (within its patience) instead of being told to come
 * back later: booking lets the tokens go below the floor, so later callers queue behind
 * it. A floor may hold only for so long: callers held back by it are not starved by a
 * steady stream of more urgent ones. Thread-safe; callers never wait while holding its
 * lock.
 */
final class TokenBucket {

	private final long intervalNanos;

	/** The capacity, in nanoseconds of refill: a token is one interval. */
	private final long capacityNanos;

	private final LongSupplier nanoTime;

	/**
	 * The tokens, in nanoseconds of refill, so that the arithmetic is exact. Guarded by
	 * this. May be negative: tokens booked ahead, or a pause.
	 */
	private long tokens;

	/** Guarded by this. */
	private long refilledAt;

	/**
	 * Whether a caller held back by a floor was refused, and none held back by a floor
	 * got a token since. Guarded by this.
	 */
	private boolean holding;

	/** When {@link #holding}, since when. Guarded by this. */
	private long holdingSince;

	TokenBucket(int capacity, Duration interval) {
		this(capacity, interval, System::nanoTime);
	}

	TokenBucket(int capacity, Duration interval, LongSupplier nanoTime) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
		}
		this.intervalNanos = interval.toNanos();
		this.capacityNanos = Math.multiplyExact(capacity, this.intervalNanos);
		this.nanoTime = nanoTime;
		this.tokens = this.capacityNanos;
		this.refilledAt = nanoTime.getAsLong();
	}

	/**
	 * Takes a token if one is free above the floor, or books the next one if it comes
	 * back within the patience.
	 * @param floor tokens to leave for more urgent callers; 0 takes the last one
	 * @param patience how long the caller would wait for a booked token
	 * @return {@link Claim#now() now}, a booked token to wait for, or how long until one
	 * may be free (nothing taken)
	 */
	synchronized Claim claim(int floor, Duration patience) {
		if (this.intervalNanos <= 0) {
			return Claim.NOW;
		}
		refill();
		return take(floor, patience);
	}

	/**
	 * Like {@link #claim(int, Duration)}, but the floor holds only until callers held
	 * back by a floor have been refused for {@code heldAtMost} (since the first of them
	 * was refused, with none of them given a token since): then the caller may take the
	 * last token like the most urgent callers. A refused caller is told to come back by
	 * the end of that time, at the latest.
	 */
	synchronized Claim claim(int floor, Duration patience, Duration heldAtMost) {
		if (this.intervalNanos <= 0) {
			return Claim.NOW;
		}
		refill();
		if (floor <= 0) {
			return take(0, patience);
		}
		long now = this.refilledAt;
		long held = this.holding ? now - this.holdingSince : 0;
		Claim claim = take((held >= heldAtMost.toNanos()) ? 0 : floor, patience);
		if (claim.granted()) {
			this.holding = false;
			return claim;
		}
		if (!this.holding) {
			this.holding = true;
			this.holdingSince = now;
		}
		long untilFloorLifts = heldAtMost.toNanos() - (now - this.holdingSince);
		if (untilFloorLifts > 0 && untilFloorLifts < claim.delay().toNanos()) {
			return new Claim(false, Duration.ofNanos(untilFloorLifts));
		}
		return claim;
	}

	private Claim take(int floor, Duration patience) {
		long wait = (floor + 1) * this.intervalNanos - this.tokens;
		if (wait <= 0) {
			this.tokens -= this.intervalNanos;
			return Claim.NOW;
		}
		if (wait <= patience.toNanos()) {
			this.tokens -= this.intervalNanos;
			return new Claim(true, Duration.ofNanos(wait));
		}
		return new Claim(false, Duration.ofNanos(wait));
	}

	/**
	 * Takes no calls for this long, then starts again at the steady rate with no burst:
	 * what to do when the other side said it had too many.
	 */
	synchronized void pause(Duration pause) {
		if (this.intervalNanos <= 0) {
			return;
		}
		refill();
		// One token comes back as the pause ends, and none are left for a burst.
		this.tokens = Math.min(this.tokens, this.intervalNanos) - pause.toNanos();
	}

	private void refill() {
		long now = this.nanoTime.getAsLong();
		this.tokens = Math.min(this.capacityNanos, this.tokens + (now - this.refilledAt));
		this.refilledAt = now;
	}

	/**
	 * The answer to a claim.
	 *
	 * @param granted whether a token was taken (or booked)
	 * @param delay when granted, how long to wait for the booked token (zero: go now);
	 * otherwise how long until one may be free
	 */
	record Claim(boolean granted, Duration delay) {

		static final Claim NOW = new Claim(true, Duration.ZERO);

		boolean now() {
			return this.granted && this.delay.isZero();
		}

	}

}

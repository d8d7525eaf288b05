package dev.warden.access;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Budgets of sign-in attempts per client address and per (username, client address), as
 * bucket4j token buckets in PostgreSQL ({@code console_login_bucket}). An attempt is
 * taken from both budgets <em>before</em> the password is checked, under the bucket's row
 * lock, so a burst of parallel posts, even spread over several instances, reaches the
 * password check at most as often as the budget allows. A username is never refused for
 * everyone: only from the addresses that spent its budget. Usernames that do not exist
 * are budgeted alike, so a refusal says nothing about whether a user exists.
 */
@Component
public class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	/** The table bucket4j keeps the buckets in (see V16). */
	static final String TABLE = "console_login_bucket";

	/** Sign-ins whose budgets are read and written at once, each on one connection. */
	static final int CONCURRENT_CHECKS = 2;

	/** How long a sign-in waits for its turn before it answers "try again shortly". */
	private static final Duration SLOT_WAIT = Duration.ofSeconds(10);

	private final Semaphore connectionSlots = new Semaphore(CONCURRENT_CHECKS, true);

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	private final LoginThrottleSettings settings;

	private final BucketConfiguration perUsernameAndAddress;

	private final BucketConfiguration perAddress;

	LoginThrottle(DataSource dataSource, LoginThrottleSettings settings, Clock clock) {
		this.settings = settings;
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table(TABLE)
			.clientClock(wallClock(clock))
			// A bucket that has refilled is as good as none: its row may go.
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.build();
		this.perUsernameAndAddress = budget(settings.maxFailuresPerUsernameAndAddress(), settings.window());
		this.perAddress = budget(settings.maxFailuresPerAddress(), settings.window());
	}

	/**
	 * Takes one attempt from the (username, address) budget, then from the address's.
	 * Call before checking the password.
	 * @param username the username as typed, normalised ({@link Username#normalise})
	 * @param address the client's address as the request saw it
	 * @return the attempt, to report as {@link #failed} or {@link #succeeded}
	 * @throws LoginThrottled when either budget is spent: the password must not be
	 * checked
	 */
	Attempt take(String username, String address) {
		return withConnectionSlot(() -> takeFromBudgets(username, address));
	}

	private Attempt takeFromBudgets(String username, String address) {
		String network = network(address);
		BucketProxy pair = this.buckets.builder()
			.build(key("username-address", this.settings.maxFailuresPerUsernameAndAddress(),
					sha256(username) + " " + network), this.perUsernameAndAddress);
		ConsumptionProbe pairProbe = pair.tryConsumeAndReturnRemaining(1);
		if (!pairProbe.isConsumed()) {
			log.warn(
					"Console sign-in for username '{}' from {} refused without checking the password: "
							+ "{} attempts for this username from this address within {}; next one in {}s",
					printable(username), address, this.settings.maxFailuresPerUsernameAndAddress(),
					this.settings.window(), seconds(pairProbe.getNanosToWaitForRefill()));
			throw new LoginThrottled();
		}
		BucketProxy fromAddress = this.buckets.builder()
			.build(key("address", this.settings.maxFailuresPerAddress(), network), this.perAddress);
		ConsumptionProbe addressProbe = fromAddress.tryConsumeAndReturnRemaining(1);
		if (!addressProbe.isConsumed()) {
			// Not checked, so not counted against the username from here.
			pair.addTokens(1);
			log.warn(
					"Console sign-in for username '{}' from {} refused without checking the password: "
							+ "{} attempts from this address within {}; next one in {}s",
					printable(username), address, this.settings.maxFailuresPerAddress(), this.settings.window(),
					seconds(addressProbe.getNanosToWaitForRefill()));
			throw new LoginThrottled();
		}
		return new Attempt(username, address, pair, fromAddress, pairProbe.getRemainingTokens(),
				addressProbe.getRemainingTokens());
	}

	/**
	 * The password was wrong (or the user unknown or disabled): the attempt stays taken.
	 */
	void failed(Attempt attempt) {
		log.info(
				"Console sign-in failed for username '{}' from {} ({} more attempts for this username from this address, "
						+ "{} from this address)",
				printable(attempt.username()), attempt.address(), attempt.leftForUsername(), attempt.leftForAddress());
	}

	/**
	 * The right password: this username starts afresh from this address, and the address
	 * gets back the attempt it gave, no more. An address's failures are not forgiven
	 * because someone else signed in from it.
	 */
	void succeeded(Attempt attempt) {
		withConnectionSlot(() -> {
			attempt.pair().reset();
			attempt.fromAddress().addTokens(1);
			return null;
		});
	}

	/**
	 * Runs bucket operations for at most {@link #CONCURRENT_CHECKS} sign-ins at once. A
	 * burst of posts for one address queues on that bucket's row lock, and each waiter
	 * would hold a pooled connection that webhooks need; here the extra ones wait in
	 * memory instead.
	 */
	private <T> T withConnectionSlot(Supplier<T> work) {
		try {
			if (!this.connectionSlots.tryAcquire(SLOT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("Too many sign-ins at once");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting to check a sign-in", ex);
		}
		try {
			return work.get();
		}
		finally {
			this.connectionSlots.release();
		}
	}

	/**
	 * How long a spent budget takes to give back one attempt ({@code window / limit}),
	 * for the slower of the two budgets (the one with the smaller limit): what to tell
	 * someone who was refused.
	 */
	public Duration untilAnAttemptIsBack() {
		int limit = Math.min(this.settings.maxFailuresPerUsernameAndAddress(), this.settings.maxFailuresPerAddress());
		return Duration.ofSeconds(this.settings.window().toSeconds() / limit);
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
	 * What an address is counted as: itself, except that IPv6 addresses count per /64,
	 * the network one host usually has to itself.
	 */
	static String network(String address) {
		try {
			InetAddress parsed = InetAddress.ofLiteral(address);
			if (parsed instanceof Inet6Address) {
				byte[] bytes = Arrays.copyOf(parsed.getAddress(), 16);
				Arrays.fill(bytes, 8, 16, (byte) 0);
				return InetAddress.getByAddress(bytes).getHostAddress().replaceAll("(:0)+$", "::") + "/64";
			}
			return parsed.getHostAddress();
		}
		catch (IllegalArgumentException | java.net.UnknownHostException ex) {
			return printable((address.length() > 64) ? address.substring(0, 64) : address);
		}
	}

	/**
	 * A username as it may appear in a log line: no line breaks or other control
	 * characters.
	 */
	static String printable(String username) {
		return username.codePoints()
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
	}

	/**
	 * A bucket's id names its limit too: after the limit changes, new buckets with the
	 * new limit start full and the old ones expire.
	 */
	private String key(String kind, int limit, String subject) {
		return kind + " " + limit + "/" + this.settings.window().toSeconds() + "s " + subject;
	}

	private static BucketConfiguration budget(int attempts, Duration window) {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(attempts).refillGreedy(attempts, window).build())
			.build();
	}

	/** bucket4j reads time from Warden's clock, so tests can move it. */
	private static TimeMeter wallClock(Clock clock) {
		return new TimeMeter() {

			@Override
			public long currentTimeNanos() {
				Instant now = clock.instant();
				return now.getEpochSecond() * 1_000_000_000L + now.getNano();
			}

			@Override
			public boolean isWallClockBased() {
				return true;
			}

		};
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long seconds(long nanos) {
		return Math.max(1, Duration.ofNanos(nanos).toSeconds());
	}

	/** One attempt taken from both budgets, whose outcome is still to be reported. */
	record Attempt(String username, String address, BucketProxy pair, BucketProxy fromAddress, long leftForUsername,
			long leftForAddress) {
	}

}

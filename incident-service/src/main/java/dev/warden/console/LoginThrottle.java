package dev.warden.console;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed sign-ins per username and per client address in PostgreSQL, so that every
 * instance sees the same counts, and refuses a username or an address for the lockout
 * once it failed too often within the window. Usernames that do not exist are counted and
 * refused alike: a refusal says nothing about whether a user exists.
 */
@Component
class LoginThrottle {

	private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

	static final String USERNAME = "username";

	static final String ADDRESS = "address";

	private final JdbcClient jdbc;

	private final LoginThrottleSettings settings;

	private final Clock clock;

	LoginThrottle(JdbcClient jdbc, LoginThrottleSettings settings, Clock clock) {
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Until when sign-ins for this username or from this address are refused.
	 * @param username the username as typed, normalised ({@link Username#normalise})
	 * @param address the client's address
	 * @return empty when neither is locked
	 */
	@Transactional(readOnly = true)
	public Optional<Instant> lockedUntil(String username, String address) {
		return this.jdbc.sql("""
				select max(locked_until) from console_login_throttle
				where ((kind = ? and key = ?) or (kind = ? and key = ?)) and locked_until > ?""")
			.params(USERNAME, username, ADDRESS, address, ts(this.clock.instant()))
			.query(Timestamp.class)
			.optional()
			.map(Timestamp::toInstant);
	}

	/**
	 * Counts a failed sign-in for the username and the address, locking either when over
	 * its limit.
	 */
	@Transactional
	public void failed(String username, String address) {
		Instant now = this.clock.instant();
		this.jdbc.sql("""
				delete from console_login_throttle
				where window_started_at <= ? and (locked_until is null or locked_until <= ?)""")
			.params(ts(now.minus(this.settings.window())), ts(now))
			.update();
		Count perUsername = count(USERNAME, username, this.settings.maxFailuresPerUsername(), now);
		Count perAddress = count(ADDRESS, address, this.settings.maxFailuresPerAddress(), now);
		log.info(
				"Console sign-in failed for username '{}' from {} ({} of {} for the username, {} of {} for the address)",
				printable(username), address, perUsername.failures(), this.settings.maxFailuresPerUsername(),
				perAddress.failures(), this.settings.maxFailuresPerAddress());
		if (perUsername.justLocked()) {
			log.warn("Console sign-in for username '{}' refused until {}: {} failures within {}", printable(username),
					perUsername.lockedUntil(), perUsername.failures(), this.settings.window());
		}
		if (perAddress.justLocked()) {
			log.warn("Console sign-in from {} refused until {}: {} failures within {}", address,
					perAddress.lockedUntil(), perAddress.failures(), this.settings.window());
		}
	}

	/**
	 * Forgets the username's failures after it signed in; the address keeps its count.
	 */
	@Transactional
	public void succeeded(String username) {
		this.jdbc.sql("delete from console_login_throttle where kind = ? and key = ?")
			.params(USERNAME, username)
			.update();
	}

	/**
	 * One more failure for the key, in one statement so that instances counting at the
	 * same moment do not lose failures: a window that has passed starts over at 1.
	 */
	private Count count(String kind, String key, int limit, Instant now) {
		Timestamp windowStart = ts(now.minus(this.settings.window()));
		Timestamp lockEnd = ts(now.plus(this.settings.lockout()));
		return this.jdbc.sql("""
				insert into console_login_throttle as t (kind, key, failures, window_started_at, locked_until)
				values (:kind, :key, 1, :now, case when 1 >= :limit then cast(:lockEnd as timestamptz) end)
				on conflict (kind, key) do update set
				    failures = case when t.window_started_at <= :windowStart then 1 else t.failures + 1 end,
				    window_started_at = case when t.window_started_at <= :windowStart then :now
				        else t.window_started_at end,
				    locked_until = case
				        when (case when t.window_started_at <= :windowStart then 1 else t.failures + 1 end) >= :limit
				            and (t.locked_until is null or t.locked_until <= :now) then cast(:lockEnd as timestamptz)
				        else t.locked_until end
				returning failures, locked_until""")
			.param("kind", kind)
			.param("key", key)
			.param("now", ts(now))
			.param("limit", limit)
			.param("windowStart", windowStart)
			.param("lockEnd", lockEnd)
			.query((rs, row) -> {
				Timestamp lockedUntil = rs.getTimestamp("locked_until");
				Instant until = (lockedUntil != null) ? lockedUntil.toInstant() : null;
				// PostgreSQL keeps microseconds: a lock set now ends within one of
				// lockEnd.
				boolean justLocked = until != null
						&& Duration.between(until, lockEnd.toInstant()).abs().compareTo(Duration.ofMillis(1)) < 0;
				return new Count(rs.getInt("failures"), until, justLocked);
			})
			.single();
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

	private static Timestamp ts(Instant instant) {
		return Timestamp.from(instant);
	}

	private record Count(int failures, Instant lockedUntil, boolean justLocked) {
	}

}

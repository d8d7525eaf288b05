package dev.warden.reports;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.warden.incidents.Severity;

/**
 * What to analyse: incidents detected in {@code [from, to)}, optionally only those of one
 * service, severity or team. Validates itself; every refusal is an
 * {@link InvalidAnalyticsQuery} that says what to send instead.
 *
 * @param from first instant of the window (inclusive)
 * @param to end of the window (exclusive)
 * @param zone the time zone whose calendar days {@code incidentsPerDay} counts in
 * @param service only incidents of this service, or null for all
 * @param severity only incidents of this severity, or null for all
 * @param team only incidents of this team, or null for all
 * @param top how many of the noisiest alerts to list
 */
public record AnalyticsQuery(Instant from, Instant to, ZoneId zone, String service, Severity severity, String team,
		int top) {

	/** The window when the caller names neither end: the 30 days up to now. */
	public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

	/** The longest window: a (leap) year of incidents. */
	public static final Duration LONGEST_WINDOW = Duration.ofDays(366);

	/** The earliest instant a window may start at. */
	static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

	/** The latest instant a window may end at. */
	static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

	/** The zone of the calendar days unless the caller names one. */
	public static final ZoneId UTC = ZoneId.of("UTC");

	/** How many noisy alerts are listed unless the caller asks otherwise. */
	public static final int DEFAULT_TOP = 10;

	/** The most noisy alerts one query lists. */
	public static final int MOST_TOP = 100;

	public AnalyticsQuery {
		if (from == null || to == null || zone == null) {
			throw new InvalidAnalyticsQuery("from, to and zone are required");
		}
		if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
			throw new InvalidAnalyticsQuery("The window must lie between %s and %s".formatted(EARLIEST, LATEST));
		}
		if (!from.isBefore(to)) {
			throw new InvalidAnalyticsQuery(
					"The window is empty: from (%s) must be before to (%s)".formatted(from, to));
		}
		if (Duration.between(from, to).compareTo(LONGEST_WINDOW) > 0) {
			throw new InvalidAnalyticsQuery("The window from %s to %s is longer than %d days; ask for a shorter one"
				.formatted(from, to, LONGEST_WINDOW.toDays()));
		}
		if (top < 1 || top > MOST_TOP) {
			throw new InvalidAnalyticsQuery("top: %d is not between 1 and %d".formatted(top, MOST_TOP));
		}
		service = blankToNull(service);
		team = blankToNull(team);
	}

	/**
	 * The query as a person types it into a URL; null or blank means "the default".
	 * {@code from} and {@code to} are ISO-8601 instants ({@code 2020-03-01T00:00:00Z},
	 * {@code 2020-03-01T00:00:00+01:00}), local date-times ({@code 2020-03-01T08:00}) or
	 * dates ({@code 2020-03-01}, the start of that day), the last two in {@code zone}.
	 * Without {@code to} the window ends now; without {@code from} it starts 30 days
	 * before its end.
	 * @param now the current instant, from the injected clock
	 * @return the validated query
	 * @throws InvalidAnalyticsQuery when a value cannot be understood or the window is
	 * invalid
	 */
	public static AnalyticsQuery parse(String from, String to, String zone, String service, String severity,
			String team, String top, Instant now) {
		ZoneId zoneId = zone(zone);
		Instant end = (blankToNull(to) != null) ? instant("to", to, zoneId) : now;
		Instant start = (blankToNull(from) != null) ? instant("from", from, zoneId)
				: end.isAfter(EARLIEST.plus(DEFAULT_WINDOW)) ? end.minus(DEFAULT_WINDOW) : EARLIEST;
		return new AnalyticsQuery(start, end, zoneId, service, severity(severity), team, top(top));
	}

	/** The calendar days in {@link #zone()} that the window touches, in order. */
	List<LocalDate> days() {
		LocalDate first = LocalDate.ofInstant(this.from, this.zone);
		LocalDate last = LocalDate.ofInstant(this.to.minusNanos(1), this.zone);
		return first.datesUntil(last.plusDays(1)).toList();
	}

	private static ZoneId zone(String zone) {
		if (blankToNull(zone) == null) {
			return UTC;
		}
		try {
			return ZoneId.of(zone.strip());
		}
		catch (DateTimeException ex) {
			throw new InvalidAnalyticsQuery(
					"zone: '%s' is not a time zone; use a region such as Europe/Berlin, or UTC".formatted(zone));
		}
	}

	private static Instant instant(String parameter, String value, ZoneId zone) {
		String text = value.strip();
		try {
			return OffsetDateTime.parse(text).toInstant();
		}
		catch (DateTimeException notOffset) {
			try {
				return LocalDateTime.parse(text).atZone(zone).toInstant();
			}
			catch (DateTimeException notLocal) {
				try {
					return LocalDate.parse(text).atStartOfDay(zone).toInstant();
				}
				catch (DateTimeException notDate) {
					throw new InvalidAnalyticsQuery(("%s: '%s' is neither an ISO-8601 instant (2020-03-01T00:00:00Z) "
							+ "nor a date (2020-03-01); a '+' in an offset must be sent as %%2B")
						.formatted(parameter, value));
				}
			}
		}
	}

	private static Severity severity(String severity) {
		if (blankToNull(severity) == null) {
			return null;
		}
		try {
			return Severity.valueOf(severity.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidAnalyticsQuery("severity: '%s' is not one of %s".formatted(severity,
					Arrays.stream(Severity.values()).map((value) -> value.name().toLowerCase(Locale.ROOT)).toList()));
		}
	}

	private static int top(String top) {
		if (blankToNull(top) == null) {
			return DEFAULT_TOP;
		}
		try {
			return Integer.parseInt(top.strip());
		}
		catch (NumberFormatException ex) {
			throw new InvalidAnalyticsQuery("top: '%s' is not a number between 1 and %d".formatted(top, MOST_TOP));
		}
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}

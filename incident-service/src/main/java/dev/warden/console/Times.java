package dev.warden.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import dev.warden.incidents.Durations;

/** How the console shows times: in the viewer's zone, and relative to now. */
public final class Times {

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

	/** The named zone, so that times say "UTC" rather than "Z". */
	static final ZoneId UTC = ZoneId.of("UTC");

	private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

	private final ZoneId zone;

	private final Instant now;

	public Times(ZoneId zone, Instant now) {
		this.zone = zone;
		this.now = now;
	}

	/**
	 * Times for the viewer of this request: in the zone from the {@code tz} cookie the
	 * console's script sets from the browser, UTC when there is none or it is not a zone.
	 */
	static Times of(HttpServletRequest request, Instant now) {
		String tz = null;
		if (request.getCookies() != null) {
			for (Cookie cookie : request.getCookies()) {
				if ("tz".equals(cookie.getName())) {
					tz = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
				}
			}
		}
		return new Times(zone(tz), now);
	}

	/**
	 * The zone the {@code tz} cookie names (already decoded); UTC when there is none or
	 * it names no zone.
	 */
	private static ZoneId zone(String tz) {
		if (tz == null || tz.isBlank()) {
			return UTC;
		}
		try {
			return ZoneId.of(tz.strip());
		}
		catch (RuntimeException ex) {
			return UTC;
		}
	}

	/**
	 * A time a viewer typed: an ISO instant ({@code 2026-11-22T21:00:00Z}), or a local
	 * date and time ({@code 2026-11-22T22:00}, as a {@code datetime-local} field sends
	 * it) or date in the viewer's zone; null when blank.
	 * @param field what the time is, for the error: "start", "end"
	 * @throws InvalidFilter when it is neither
	 */
	Instant parse(String field, String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		String value = text.strip();
		try {
			if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
				return OffsetDateTime.parse(value).toInstant();
			}
			if (value.length() == 10) {
				return LocalDate.parse(value).atStartOfDay(this.zone).toInstant();
			}
			return LocalDateTime.parse(value).atZone(this.zone).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new InvalidFilter("The %s '%s' is not a date and time like 2026-11-23T09:00 (in %s).".formatted(field,
					value, this.zone.getId()));
		}
	}

	/** Like {@code 2026-11-22T22:00}, for a {@code datetime-local} field. */
	public String input(Instant instant) {
		return (instant != null) ? INPUT.format(instant.atZone(this.zone)) : "";
	}

	/** Like {@code 2026-11-22 22:00:00 CET}, or a dash. */
	public String local(Instant instant) {
		return (instant != null) ? FORMAT.format(instant.atZone(this.zone)) : "-";
	}

	/** Like {@code 12 min ago} or {@code in 3 min}. */
	public String relative(Instant instant) {
		if (instant == null) {
			return "";
		}
		Duration between = Duration.between(instant, this.now);
		boolean past = !between.isNegative();
		String amount = length(between.abs());
		return past ? amount + " ago" : "in " + amount;
	}

	/** Like {@code 4 min 12 s}, or a dash. */
	public String length(Duration duration) {
		return (duration != null) ? Durations.words(duration) : "-";
	}

	/** The ISO-8601 form, for {@code <time datetime>}. */
	public String iso(Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	public ZoneId zone() {
		return this.zone;
	}

	/** The moment these times are relative to. */
	public Instant now() {
		return this.now;
	}

}

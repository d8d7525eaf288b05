package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import dev.warden.incidents.Durations;

/** How the console shows times: in the viewer's zone, and relative to now. */
public final class Times {

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

	private final ZoneId zone;

	private final Instant now;

	public Times(ZoneId zone, Instant now) {
		this.zone = zone;
		this.now = now;
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

}

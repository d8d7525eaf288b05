package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

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
		if (duration == null) {
			return "-";
		}
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + " s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + " min" + ((seconds % 60 != 0 && seconds < 600) ? " " + (seconds % 60) + " s" : "");
		}
		if (seconds < 86_400) {
			return (seconds / 3600) + " h" + ((seconds % 3600 >= 60) ? " " + ((seconds % 3600) / 60) + " min" : "");
		}
		return (seconds / 86_400) + " d" + ((seconds % 86_400 >= 3600) ? " " + ((seconds % 86_400) / 3600) + " h" : "");
	}

	/** The ISO-8601 form, for {@code <time datetime>}. */
	public String iso(Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	public ZoneId zone() {
		return this.zone;
	}

}

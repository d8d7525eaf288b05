package dev.warden.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.stereotype.Component;

/**
 * Times as console pages show them, in UTC like the rest of Warden; templates call it as
 * {@code ${@consoleTime.utc(instant)}}.
 */
@Component("consoleTime")
class ConsoleTime {

	private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	/** {@code 2026-11-22 21:00 UTC}; empty for null. */
	public String utc(Instant instant) {
		return (instant != null) ? MINUTES.format(instant) : "";
	}

}

package dev.warden.console;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimesTests {

	private final Times berlin = new Times(ZoneId.of("Europe/Berlin"), Instant.parse("2026-11-22T21:00:00Z"));

	@Test
	void typedTimesAreReadInTheViewersZoneUnlessTheyCarryAnOffset() {
		assertThat(this.berlin.parse("from", "2026-11-22T22:00")).isEqualTo("2026-11-22T21:00:00Z");
		assertThat(this.berlin.parse("from", "2026-11-22")).isEqualTo("2026-11-21T23:00:00Z");
		assertThat(this.berlin.parse("from", "2026-11-22T21:00:00Z")).isEqualTo("2026-11-22T21:00:00Z");
		assertThat(this.berlin.parse("from", "2026-11-22T23:00:00+02:00")).isEqualTo("2026-11-22T21:00:00Z");
		assertThat(this.berlin.parse("from", " ")).isNull();
	}

	@Test
	void somethingElseIsAClearError() {
		assertThatExceptionOfType(InvalidFilter.class).isThrownBy(() -> this.berlin.parse("to", "yesterday"))
			.withMessageContaining("to 'yesterday' is not a date and time");
	}

	@Test
	void showsTimesInTheZoneAndRelativeToNow() {
		assertThat(this.berlin.local(Instant.parse("2026-11-22T21:00:00Z"))).isEqualTo("2026-11-22 22:00:00 CET");
		assertThat(this.berlin.relative(Instant.parse("2026-11-22T20:48:00Z"))).isEqualTo("12 min ago");
		assertThat(this.berlin.input(Instant.parse("2026-11-22T21:00:00Z"))).isEqualTo("2026-11-22T22:00");
	}

}

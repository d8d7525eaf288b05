package dev.warden.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import dev.warden.incidents.Severity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** How analytics parameters typed into a URL become a query, and which are refused. */
class AnalyticsQueryTests {

	private static final Instant NOW = Instant.parse("2026-11-22T21:00:00Z");

	@Test
	void defaultsToTheThirtyDaysUpToNowInUtc() {
		AnalyticsQuery query = AnalyticsQuery.parse(null, null, null, null, null, null, null, NOW);

		assertThat(query.from()).isEqualTo(Instant.parse("2026-10-23T21:00:00Z"));
		assertThat(query.to()).isEqualTo(NOW);
		assertThat(query.zone().getId()).isEqualTo("UTC");
		assertThat(query.top()).isEqualTo(10);
		assertThat(query.service()).isNull();
		assertThat(query.severity()).isNull();
		assertThat(query.team()).isNull();
	}

	@Test
	void windowWithoutStartEndsWhereAskedAndStartsThirtyDaysBefore() {
		AnalyticsQuery query = AnalyticsQuery.parse(null, "2020-03-31T00:00:00Z", null, null, null, null, null, NOW);

		assertThat(query.from()).isEqualTo(Instant.parse("2020-03-01T00:00:00Z"));
		assertThat(query.to()).isEqualTo(Instant.parse("2020-03-31T00:00:00Z"));
	}

	@Test
	void datesAndLocalTimesAreInTheQueryZone() {
		AnalyticsQuery query = AnalyticsQuery.parse("2020-03-01", "2020-03-08T12:30", "Europe/Berlin", " svc ",
				"Critical", "", "3", NOW);

		assertThat(query.from()).isEqualTo(Instant.parse("2020-02-29T23:00:00Z"));
		assertThat(query.to()).isEqualTo(Instant.parse("2020-03-08T11:30:00Z"));
		assertThat(query.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
		assertThat(query.service()).isEqualTo("svc");
		assertThat(query.severity()).isEqualTo(Severity.CRITICAL);
		assertThat(query.team()).isNull();
		assertThat(query.top()).isEqualTo(3);
	}

	@Test
	void offsetsAreHonoured() {
		AnalyticsQuery query = AnalyticsQuery.parse("2020-03-01T00:00:00+02:00", "2020-03-02T00:00:00-05:00", null,
				null, null, null, null, NOW);

		assertThat(query.from()).isEqualTo(Instant.parse("2020-02-29T22:00:00Z"));
		assertThat(query.to()).isEqualTo(Instant.parse("2020-03-02T05:00:00Z"));
	}

	@Test
	void daysAreTheCalendarDaysTheWindowTouchesInItsZone() {
		AnalyticsQuery utc = AnalyticsQuery.parse("2020-03-01T00:00:00Z", "2020-03-03T00:00:00Z", null, null, null,
				null, null, NOW);
		AnalyticsQuery newYork = AnalyticsQuery.parse("2020-03-01T00:00:00Z", "2020-03-03T00:00:00Z",
				"America/New_York", null, null, null, null, NOW);

		assertThat(utc.days()).containsExactly(LocalDate.parse("2020-03-01"), LocalDate.parse("2020-03-02"));
		// 2020-02-29T19:00 to 2020-03-02T19:00 in New York.
		assertThat(newYork.days()).containsExactly(LocalDate.parse("2020-02-29"), LocalDate.parse("2020-03-01"),
				LocalDate.parse("2020-03-02"));
	}

	@Test
	void acceptsAWindowOfExactly366Days() {
		AnalyticsQuery query = AnalyticsQuery.parse("2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", null, null, null,
				null, null, NOW);

		assertThat(query.days()).hasSize(366);
	}

	@Test
	void refusesWindowsThatAreEmptyOrTooLong() {
		assertRefused("2020-03-02T00:00:00Z", "2020-03-01T00:00:00Z", null, null, null, "must be before");
		assertRefused("2020-03-01T00:00:00Z", "2020-03-01T00:00:00Z", null, null, null, "must be before");
		assertRefused("2020-01-01T00:00:00Z", "2021-01-01T00:00:00.001Z", null, null, null, "longer than 366 days");
		assertRefused("1969-12-31T00:00:00Z", "1970-01-02T00:00:00Z", null, null, null, "must lie between");
	}

	@Test
	void refusesValuesItCannotUnderstand() {
		assertRefused("yesterday", null, null, null, null, "from: 'yesterday' is neither");
		assertRefused(null, "2020-13-01", null, null, null, "to: '2020-13-01' is neither");
		assertRefused(null, null, "Mars/Olympus", null, null, "zone: 'Mars/Olympus' is not a time zone");
		assertRefused(null, null, null, "urgent", null,
				"severity: 'urgent' is not one of [critical, high, warning, info]");
		assertRefused(null, null, null, null, "ten", "top: 'ten' is not a number");
		assertRefused(null, null, null, null, "0", "top: 0 is not between 1 and 100");
		assertRefused(null, null, null, null, "101", "top: 101 is not between 1 and 100");
	}

	private static void assertRefused(String from, String to, String zone, String severity, String top,
			String message) {
		assertThatExceptionOfType(InvalidAnalyticsQuery.class)
			.isThrownBy(() -> AnalyticsQuery.parse(from, to, zone, null, severity, null, top, NOW))
			.withMessageContaining(message);
	}

}

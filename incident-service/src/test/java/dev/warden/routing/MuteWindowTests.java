package dev.warden.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MuteWindowTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	@Test
	void windowWithinADayCoversFromInclusiveToExclusive() {
		MuteWindow lunch = new MuteWindow(Set.of(), LocalTime.of(12, 0), LocalTime.of(13, 0), ZoneId.of("UTC"));

		assertThat(lunch.covers(Instant.parse("2026-06-10T11:59:59Z"))).isFalse();
		assertThat(lunch.covers(Instant.parse("2026-06-10T12:00:00Z"))).isTrue();
		assertThat(lunch.covers(Instant.parse("2026-06-10T12:59:59Z"))).isTrue();
		assertThat(lunch.covers(Instant.parse("2026-06-10T13:00:00Z"))).isFalse();
	}

	@Test
	void windowAcrossMidnightBelongsToTheDayItStarts() {
		MuteWindow fridayNight = new MuteWindow(Set.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0),
				ZoneId.of("UTC"));

		// Friday 2026-06-12.
		assertThat(fridayNight.covers(Instant.parse("2026-06-12T21:59:00Z"))).isFalse();
		assertThat(fridayNight.covers(Instant.parse("2026-06-12T23:30:00Z"))).isTrue();
		assertThat(fridayNight.covers(Instant.parse("2026-06-13T05:59:00Z"))).as("Saturday morning").isTrue();
		assertThat(fridayNight.covers(Instant.parse("2026-06-13T06:00:00Z"))).isFalse();
		assertThat(fridayNight.covers(Instant.parse("2026-06-12T05:00:00Z"))).as("Friday morning: Thursday's night")
			.isFalse();
		assertThat(fridayNight.covers(Instant.parse("2026-06-13T23:00:00Z"))).as("Saturday night").isFalse();
	}

	@Test
	void timesAreLocalToTheWindowsZone() {
		MuteWindow night = new MuteWindow(Set.of(), LocalTime.of(20, 0), LocalTime.of(7, 0), NEW_YORK);

		// 2026-06-10T01:00Z is 21:00 the evening before in New York (UTC-4).
		assertThat(night.covers(Instant.parse("2026-06-10T01:00:00Z"))).isTrue();
		// 2026-06-10T18:00Z is 14:00 in New York, although 20:00 in Berlin.
		assertThat(night.covers(Instant.parse("2026-06-10T18:00:00Z"))).isFalse();
		assertThat(new MuteWindow(Set.of(), LocalTime.of(20, 0), LocalTime.of(7, 0), BERLIN)
			.covers(Instant.parse("2026-06-10T18:00:00Z"))).isTrue();
	}

	@Test
	void daysAreTheDaysInTheWindowsZone() {
		MuteWindow sunday = new MuteWindow(Set.of(DayOfWeek.SUNDAY), null, null, BERLIN);

		// Saturday 2026-06-13 23:30 UTC is already Sunday 01:30 in Berlin.
		assertThat(sunday.covers(Instant.parse("2026-06-13T23:30:00Z"))).isTrue();
		assertThat(sunday.covers(Instant.parse("2026-06-14T22:30:00Z"))).as("Monday 00:30 in Berlin").isFalse();
	}

	@Test
	void officeHoursFollowDaylightSavingTimeOnTheDayItStarts() {
		MuteWindow office = new MuteWindow(Set.of(), LocalTime.of(8, 0), LocalTime.of(18, 0), BERLIN);

		// Berlin moves from UTC+1 to UTC+2 at 01:00 UTC on Sunday 2026-03-29.
		assertThat(office.covers(Instant.parse("2026-03-28T06:30:00Z"))).as("07:30 CET the day before").isFalse();
		assertThat(office.covers(Instant.parse("2026-03-29T06:30:00Z"))).as("08:30 CEST on the day").isTrue();
		assertThat(office.covers(Instant.parse("2026-03-29T16:30:00Z"))).as("18:30 CEST on the day").isFalse();
		assertThat(office.covers(Instant.parse("2026-03-28T16:30:00Z"))).as("17:30 CET the day before").isTrue();
	}

	@Test
	void nightWindowAcrossTheSpringForwardGapLastsAnHourLess() {
		MuteWindow night = new MuteWindow(Set.of(DayOfWeek.SATURDAY), LocalTime.of(23, 0), LocalTime.of(4, 0), BERLIN);

		// Saturday 2026-03-28 23:00 CET is 22:00 UTC; Sunday 04:00 CEST is 02:00 UTC.
		assertThat(night.covers(Instant.parse("2026-03-28T21:59:00Z"))).isFalse();
		assertThat(night.covers(Instant.parse("2026-03-28T22:00:00Z"))).isTrue();
		assertThat(night.covers(Instant.parse("2026-03-29T01:59:00Z"))).isTrue();
		assertThat(night.covers(Instant.parse("2026-03-29T02:00:00Z"))).isFalse();
	}

	@Test
	void refusesHalfAWindowAndAnEmptyOne() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MuteWindow(Set.of(), LocalTime.NOON, null, ZoneId.of("UTC")))
			.withMessageContaining("both or neither");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new MuteWindow(Set.of(), LocalTime.NOON, LocalTime.NOON, ZoneId.of("UTC")));
	}

}

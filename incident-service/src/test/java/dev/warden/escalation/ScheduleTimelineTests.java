package dev.warden.escalation;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.warden.escalation.Schedule.Layer;
import dev.warden.escalation.Schedule.Restriction;
import dev.warden.escalation.Schedule.ShiftLength;
import dev.warden.escalation.ScheduleTimeline.Lookup;
import dev.warden.escalation.ScheduleTimeline.OverrideSource;
import dev.warden.escalation.ScheduleTimeline.Segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScheduleTimelineTests {

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	/** Monday 2026-11-02 09:00 in Berlin (CET, UTC+1). */
	private static final LocalDateTime MONDAY_0900 = LocalDateTime.parse("2026-11-02T09:00");

	private static final Schedule WEEKLY = schedule(
			layer(ShiftLength.ofDays(7), MONDAY_0900, null, "alice", "bob", "carol", "dave"));

	private static final Schedule DAILY = schedule(
			layer(ShiftLength.ofDays(1), MONDAY_0900, null, "dave", "carol", "bob"));

	@Test
	void weeklyRotationHandsOffExactlyAtTheHandoff() {
		Lookup lookup = ScheduleTimeline.lookup(WEEKLY, OverrideSource.NONE, utc("2026-11-09T08:00:00Z"));

		assertSegment(lookup.current(), "bob", "2026-11-09T08:00:00Z", "2026-11-16T08:00:00Z");
		assertSegment(lookup.next(), "carol", "2026-11-16T08:00:00Z", "2026-11-23T08:00:00Z");
	}

	@Test
	void outgoingUserIsOnCallUntilTheLastInstantBeforeTheHandoff() {
		Lookup lookup = ScheduleTimeline.lookup(WEEKLY, OverrideSource.NONE, utc("2026-11-09T07:59:59Z"));

		assertSegment(lookup.current(), "alice", "2026-11-02T08:00:00Z", "2026-11-09T08:00:00Z");
		assertSegment(lookup.next(), "bob", "2026-11-09T08:00:00Z", "2026-11-16T08:00:00Z");
	}

	@Test
	void weeklyRotationWrapsAroundToTheFirstUser() {
		Lookup lookup = ScheduleTimeline.lookup(WEEKLY, OverrideSource.NONE, utc("2026-12-01T12:00:00Z"));

		assertSegment(lookup.current(), "alice", "2026-11-30T08:00:00Z", "2026-12-07T08:00:00Z");
	}

	@Test
	void nobodyIsOnCallBeforeTheFirstHandoffAndTheFirstUserIsNext() {
		Lookup lookup = ScheduleTimeline.lookup(WEEKLY, OverrideSource.NONE, utc("2026-10-30T12:00:00Z"));

		assertThat(lookup.current()).isNull();
		assertSegment(lookup.next(), "alice", "2026-11-02T08:00:00Z", "2026-11-09T08:00:00Z");
	}

	@Test
	void dailyRotationTakesTurnsEveryDay() {
		assertThat(users(DAILY, "2026-11-02T08:00:00Z", "2026-11-03T08:00:00Z", "2026-11-04T20:00:00Z",
				"2026-11-05T07:59:00Z", "2026-11-05T08:00:00Z"))
			.containsExactly("dave", "carol", "bob", "bob", "dave");
	}

	@Test
	void dailyHandoffStaysAt0900BerlinWhenTheClocksGoForward() {
		// 2027-03-28: 02:00 CET becomes 03:00 CEST, so that day's 09:00 is 07:00 UTC.
		Lookup saturday = ScheduleTimeline.lookup(DAILY, OverrideSource.NONE, utc("2027-03-27T12:00:00Z"));

		assertThat(saturday.current().start()).isEqualTo(utc("2027-03-27T08:00:00Z"));
		assertThat(saturday.current().end()).isEqualTo(utc("2027-03-28T07:00:00Z"));
		assertThat(duration(saturday.current())).isEqualTo(Duration.ofHours(23));
		assertThat(duration(saturday.next())).isEqualTo(Duration.ofHours(24));
		assertThat(saturday.next().end().atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(9, 0));
	}

	@Test
	void dailyHandoffStaysAt0900BerlinWhenTheClocksGoBack() {
		// 2026-10-25: 03:00 CEST becomes 02:00 CET; the Saturday shift lasts 25 hours.
		Schedule daily = schedule(
				layer(ShiftLength.ofDays(1), LocalDateTime.parse("2026-10-01T09:00"), null, "alice", "bob"));

		Lookup saturday = ScheduleTimeline.lookup(daily, OverrideSource.NONE, utc("2026-10-24T12:00:00Z"));

		assertThat(saturday.current().start()).isEqualTo(utc("2026-10-24T07:00:00Z"));
		assertThat(saturday.current().end()).isEqualTo(utc("2026-10-25T08:00:00Z"));
		assertThat(duration(saturday.current())).isEqualTo(Duration.ofHours(25));
	}

	@Test
	void weeklyShiftAcrossTheSpringChangeIs167Hours() {
		Lookup lookup = ScheduleTimeline.lookup(WEEKLY, OverrideSource.NONE, utc("2027-03-25T12:00:00Z"));

		assertThat(lookup.current().start().atZone(BERLIN).toLocalDateTime())
			.isEqualTo(LocalDateTime.parse("2027-03-22T09:00"));
		assertThat(lookup.current().end().atZone(BERLIN).toLocalDateTime())
			.isEqualTo(LocalDateTime.parse("2027-03-29T09:00"));
		assertThat(duration(lookup.current())).isEqualTo(Duration.ofHours(167));
	}

	@Test
	void hourShiftsAreFixedDurationsAcrossDaylightSavingChanges() {
		Schedule twelveHours = schedule(layer(ShiftLength.of(Duration.ofHours(12)),
				LocalDateTime.parse("2027-03-27T09:00"), null, "alice", "bob"));

		Lookup lookup = ScheduleTimeline.lookup(twelveHours, OverrideSource.NONE, utc("2027-03-28T12:00:00Z"));

		assertSegment(lookup.current(), "alice", "2027-03-28T08:00:00Z", "2027-03-28T20:00:00Z");
		assertThat(lookup.current().start().atZone(BERLIN).toLocalTime()).isEqualTo(LocalTime.of(10, 0));
	}

	@Test
	void overrideReplacesTheRotationOnlyWithinItsRange() {
		OverrideSource overrides = overrides(override(1, "dave", "2026-11-04T10:00:00Z", "2026-11-04T14:00:00Z", 1));

		Lookup before = ScheduleTimeline.lookup(WEEKLY, overrides, utc("2026-11-04T09:00:00Z"));
		Lookup during = ScheduleTimeline.lookup(WEEKLY, overrides, utc("2026-11-04T10:00:00Z"));
		Lookup after = ScheduleTimeline.lookup(WEEKLY, overrides, utc("2026-11-04T14:00:00Z"));

		assertSegment(before.current(), "alice", "2026-11-02T08:00:00Z", "2026-11-04T10:00:00Z");
		assertSegment(before.next(), "dave", "2026-11-04T10:00:00Z", "2026-11-04T14:00:00Z");
		assertThat(before.next().overrideId()).isEqualTo(1L);
		assertSegment(during.current(), "dave", "2026-11-04T10:00:00Z", "2026-11-04T14:00:00Z");
		assertSegment(during.next(), "alice", "2026-11-04T14:00:00Z", "2026-11-09T08:00:00Z");
		assertSegment(after.current(), "alice", "2026-11-04T14:00:00Z", "2026-11-09T08:00:00Z");
		assertThat(after.current().overrideId()).isNull();
	}

	@Test
	void laterCreatedOverrideWinsWhereOverridesOverlap() {
		OverrideSource overrides = overrides(override(7, "dave", "2026-11-04T12:00:00Z", "2026-11-04T16:00:00Z", 2),
				override(3, "carol", "2026-11-04T10:00:00Z", "2026-11-04T14:00:00Z", 1),
				override(9, "bob", "2026-11-04T12:30:00Z", "2026-11-04T13:00:00Z", 0));

		assertSegment(ScheduleTimeline.lookup(WEEKLY, overrides, utc("2026-11-04T11:00:00Z")).current(), "carol",
				"2026-11-04T10:00:00Z", "2026-11-04T12:00:00Z");
		Lookup overlap = ScheduleTimeline.lookup(WEEKLY, overrides, utc("2026-11-04T12:45:00Z"));
		assertSegment(overlap.current(), "dave", "2026-11-04T12:00:00Z", "2026-11-04T16:00:00Z");
		assertThat(overlap.current().overrideId()).as("bob's override, created first, stays hidden").isEqualTo(7L);
		assertSegment(overlap.next(), "alice", "2026-11-04T16:00:00Z", "2026-11-09T08:00:00Z");
	}

	@Test
	void overrideBeforeTheFirstHandoffPutsSomeoneOnCall() {
		OverrideSource overrides = overrides(override(1, "bob", "2026-11-01T00:00:00Z", "2026-11-02T08:00:00Z", 1));

		Lookup lookup = ScheduleTimeline.lookup(WEEKLY, overrides, utc("2026-11-01T12:00:00Z"));

		assertSegment(lookup.current(), "bob", "2026-11-01T00:00:00Z", "2026-11-02T08:00:00Z");
		assertSegment(lookup.next(), "alice", "2026-11-02T08:00:00Z", "2026-11-09T08:00:00Z");
	}

	@Test
	void restrictedLayerCoversItsHoursAndTheLayerBelowTheRest() {
		Layer always = layer(ShiftLength.ofDays(7), MONDAY_0900, null, "alice", "bob");
		Layer businessHours = layer(ShiftLength.ofDays(1), LocalDateTime.parse("2026-11-02T00:00"), new Restriction(
				Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
				LocalTime.of(9, 0), LocalTime.of(17, 0)), "carol", "dave");
		Schedule layered = schedule(always, businessHours);

		// Tuesday 2026-11-03 is dave's day in the upper layer; 10:00 Berlin is 09:00 UTC.
		Lookup working = ScheduleTimeline.lookup(layered, OverrideSource.NONE, utc("2026-11-03T09:00:00Z"));
		Lookup evening = ScheduleTimeline.lookup(layered, OverrideSource.NONE, utc("2026-11-03T19:00:00Z"));
		Lookup saturday = ScheduleTimeline.lookup(layered, OverrideSource.NONE, utc("2026-11-07T12:00:00Z"));

		assertSegment(working.current(), "dave", "2026-11-03T08:00:00Z", "2026-11-03T16:00:00Z");
		assertSegment(working.next(), "alice", "2026-11-03T16:00:00Z", "2026-11-04T08:00:00Z");
		assertSegment(evening.current(), "alice", "2026-11-03T16:00:00Z", "2026-11-04T08:00:00Z");
		assertSegment(evening.next(), "carol", "2026-11-04T08:00:00Z", "2026-11-04T16:00:00Z");
		assertSegment(saturday.current(), "alice", "2026-11-06T16:00:00Z", "2026-11-09T08:00:00Z");
		assertSegment(saturday.next(), "dave", "2026-11-09T08:00:00Z", "2026-11-09T16:00:00Z");
	}

	@Test
	void restrictedLayerLeavesNobodyOnCallOutsideItsHours() {
		Schedule nights = schedule(layer(ShiftLength.ofDays(7), MONDAY_0900,
				new Restriction(Set.of(DayOfWeek.values()), LocalTime.of(22, 0), LocalTime.of(6, 0)), "alice", "bob"));

		Lookup noon = ScheduleTimeline.lookup(nights, OverrideSource.NONE, utc("2026-11-03T11:00:00Z"));
		Lookup night = ScheduleTimeline.lookup(nights, OverrideSource.NONE, utc("2026-11-04T02:00:00Z"));

		assertThat(noon.current()).isNull();
		assertSegment(noon.next(), "alice", "2026-11-03T21:00:00Z", "2026-11-04T05:00:00Z");
		assertSegment(night.current(), "alice", "2026-11-03T21:00:00Z", "2026-11-04T05:00:00Z");
	}

	@Test
	void shiftLengthsAreReadWithTheirUnitsAndMustBePositive() {
		assertThat(ShiftLength.parse("1w")).isEqualTo(ShiftLength.ofDays(7));
		assertThat(ShiftLength.parse("2d")).isEqualTo(ShiftLength.ofDays(2));
		assertThat(ShiftLength.parse("12h")).isEqualTo(ShiftLength.of(Duration.ofHours(12)));
		assertThat(ShiftLength.parse("90m")).isEqualTo(ShiftLength.of(Duration.ofMinutes(90)));
		assertThatIllegalArgumentException().isThrownBy(() -> ShiftLength.parse("0d"))
			.withMessage("'0d' must be longer than 0");
		assertThatIllegalArgumentException().isThrownBy(() -> ShiftLength.parse("-1w"))
			.withMessage("'-1w' must be longer than 0");
		assertThatIllegalArgumentException().isThrownBy(() -> ShiftLength.parse("30m"))
			.withMessageContaining("shorter than the shortest shift");
		assertThatIllegalArgumentException().isThrownBy(() -> ShiftLength.parse("one week"))
			.withMessageContaining("is not a shift length");
	}

	private static List<String> users(Schedule schedule, String... instants) {
		return Arrays.stream(instants)
			.map((at) -> ScheduleTimeline.lookup(schedule, OverrideSource.NONE, utc(at)).current().user())
			.toList();
	}

	private static void assertSegment(Segment segment, String user, String start, String end) {
		assertThat(segment).isNotNull();
		assertThat(segment.user()).isEqualTo(user);
		assertThat(segment.start()).isEqualTo(utc(start));
		assertThat(segment.end()).isEqualTo(utc(end));
	}

	private static Duration duration(Segment segment) {
		return Duration.between(segment.start(), segment.end());
	}

	private static Schedule schedule(Layer... layers) {
		return new Schedule("test", BERLIN, List.of(layers));
	}

	private static Layer layer(ShiftLength shift, LocalDateTime handoff, Restriction restriction, String... users) {
		return new Layer(List.of(users), shift, handoff, restriction);
	}

	private static ScheduleOverride override(long id, String user, String startsAt, String endsAt, int createdOrder) {
		return new ScheduleOverride(id, "test", user, utc(startsAt), utc(endsAt), "test",
				utc("2026-10-01T00:00:00Z").plusSeconds(createdOrder), null);
	}

	private static OverrideSource overrides(ScheduleOverride... overrides) {
		return (from, to) -> Arrays.stream(overrides)
			.filter((override) -> override.endsAt().isAfter(from) && override.startsAt().isBefore(to))
			.toList();
	}

	private static Instant utc(String instant) {
		return Instant.parse(instant);
	}

}

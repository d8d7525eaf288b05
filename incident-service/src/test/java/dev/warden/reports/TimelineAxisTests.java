package dev.warden.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.warden.reports.TimelineAxis.Entry;
import dev.warden.reports.TimelineAxis.Item;
import dev.warden.reports.TimelineAxis.Kind;
import dev.warden.reports.TimelineAxis.LaneInput;
import dev.warden.reports.TimelineAxis.Milestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimelineAxisTests {

	private static final Instant T0 = Instant.parse("2026-11-22T21:00:00Z");

	private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

	@Test
	void positionsAreProportionalToTimeAcrossTheAxis() {
		TimelineAxis axis = TimelineAxis.layout(
				List.of(milestone("Impact started", 0), milestone("Detected", 1), milestone("Resolved", 30)),
				List.of(alert("A", 0, 20), alert("B", 5, 25), marks(Kind.ACTION, "People", 3, 12)), at(30), false,
				BERLIN);

		assertThat(axis.breaks()).isEmpty();
		assertThat(axis.start()).isEqualTo(at(0));
		assertThat(axis.end()).isEqualTo(at(30));
		assertThat(axis.x(at(0))).isEqualTo(TimelineAxis.LEFT);
		assertThat(axis.x(at(30))).isEqualTo(TimelineAxis.RIGHT);
		double perMinute = (TimelineAxis.RIGHT - TimelineAxis.LEFT) / 30.0;
		for (int minute = 0; minute <= 30; minute++) {
			assertThat(axis.x(at(minute))).isCloseTo(TimelineAxis.LEFT + minute * perMinute, within(0.001));
		}
		Item a = axis.lanes().get(0).items().getFirst();
		assertThat(a.bar()).isTrue();
		assertThat(a.x()).isCloseTo(TimelineAxis.LEFT, within(0.01));
		assertThat(a.width()).isCloseTo(20 * perMinute, within(0.01));
		Item b = axis.lanes().get(1).items().getFirst();
		assertThat(b.x()).isCloseTo(TimelineAxis.LEFT + 5 * perMinute, within(0.01));
		assertThat(b.width()).isCloseTo(20 * perMinute, within(0.01));
		Item mark = axis.lanes().get(2).items().get(1);
		assertThat(mark.bar()).isFalse();
		assertThat(mark.width()).isZero();
		assertThat(mark.x()).isCloseTo(TimelineAxis.LEFT + 12 * perMinute, within(0.01));
		assertThat(axis.milestones()).extracting(TimelineAxis.Line::x)
			.containsExactly(axis.x(at(0)), TimelineAxis.round(axis.x(at(1))), axis.x(at(30)));
	}

	@Test
	void aLongQuietSpanIsDrawnShortAndTheBusyPeriodsKeepOneScale() {
		// Busy for 20 minutes, quiet for 9 hours, busy for 10 minutes again.
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0), milestone("Resolved", 590)),
				List.of(alert("A", 0, 15), alert("B", 580, 590), marks(Kind.ACTION, "People", 2, 20, 585)), at(590),
				false, BERLIN);

		assertThat(axis.breaks()).hasSize(1);
		TimelineAxis.Break quiet = axis.breaks().getFirst();
		assertThat(quiet.from()).isAfter(at(20));
		assertThat(quiet.to()).isBefore(at(580));
		assertThat(quiet.width()).isEqualTo(TimelineAxis.BREAK_WIDTH);
		assertThat(quiet.description()).startsWith("Quiet for 9 h 17 min, from 2026-11-22 22:21:30 CET");
		assertThat(axis.segments()).hasSize(2);
		// One scale on both sides of the break: a minute is as wide before as after it.
		double before = axis.x(at(10)) - axis.x(at(0));
		double after = axis.x(at(590)) - axis.x(at(580));
		assertThat(before).isCloseTo(after, within(0.001));
		assertThat(axis.x(at(15)) - axis.x(at(5))).isCloseTo(before, within(0.001));
		// The busy half hour fills most of the plot instead of a 5 % sliver.
		assertThat(30 * before / 10).isGreaterThan(0.6 * (TimelineAxis.RIGHT - TimelineAxis.LEFT));
		// Every entry sits outside the break, and the order of times is kept.
		for (Item item : axis.items()) {
			assertThat(item.x() <= quiet.left() + 0.01 || item.x() >= quiet.right() - 0.01).as(item.text()).isTrue();
		}
		assertThat(axis.x(at(300))).isBetween(quiet.left(), quiet.right());
		assertThat(axis.ticks()).allSatisfy((tick) -> assertThat(Math.abs(tick.x() - quiet.middle()))
			.isGreaterThan(TimelineAxis.BREAK_WIDTH / 2.0));
	}

	@Test
	void aShortIncidentIsDrawnToScaleThroughout() {
		// 25 quiet minutes: less than half an hour is never shortened.
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0), milestone("Resolved", 40)),
				List.of(alert("A", 0, 10), alert("B", 35, 40)), at(40), false, BERLIN);

		assertThat(axis.breaks()).isEmpty();
		assertThat(axis.x(at(20))).isCloseTo((TimelineAxis.LEFT + TimelineAxis.RIGHT) / 2.0, within(0.001));
	}

	@Test
	void severalQuietSpansAreEachShortened() {
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0), milestone("Resolved", 1200)),
				List.of(alert("A", 0, 10), alert("B", 400, 410), alert("C", 1190, 1200)), at(1200), false, BERLIN);

		assertThat(axis.breaks()).hasSize(2);
		assertThat(axis.segments()).hasSize(3);
		assertThat(axis.breaks().get(0).to()).isBefore(axis.breaks().get(1).from());
		double minute = axis.x(at(10)) - axis.x(at(0));
		assertThat(axis.x(at(410)) - axis.x(at(400))).isCloseTo(minute, within(0.001));
		assertThat(axis.x(at(1200)) - axis.x(at(1190))).isCloseTo(minute, within(0.001));
	}

	@Test
	void aSingleLongAlertIsNotShortenedAway() {
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0), milestone("Resolved", 600)),
				List.of(alert("A", 0, 600)), at(600), false, BERLIN);

		assertThat(axis.breaks()).isEmpty();
		assertThat(axis.items().getFirst().width()).isCloseTo(TimelineAxis.RIGHT - TimelineAxis.LEFT, within(0.01));
	}

	@Test
	void anOpenIncidentReachesNowAndAFiringAlertRunsToIt() {
		Instant now = at(45);
		TimelineAxis axis = TimelineAxis
			.layout(List.of(milestone("Detected", 1)),
					List.of(new LaneInput(Kind.ALERT, "Firing",
							List.of(new Entry("Alert Firing (firing)", at(0), null, true, "firing")))),
					now, true, BERLIN);

		assertThat(axis.open()).isTrue();
		assertThat(axis.end()).isEqualTo(now);
		Item firing = axis.items().getFirst();
		assertThat(firing.bar()).isTrue();
		assertThat(firing.open()).isTrue();
		assertThat(firing.to()).isEqualTo(now);
		assertThat(firing.x() + firing.width()).isCloseTo(TimelineAxis.RIGHT, within(0.01));
		assertThat(firing.css()).isEqualTo("entry alert firing open");
		assertThat(axis.label()).contains("still open");
	}

	@Test
	void anAlertStillFiringAtTheResolutionRunsToIt() {
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0), milestone("Resolved", 20)),
				List.of(new LaneInput(Kind.ALERT, "Firing",
						List.of(new Entry("Alert Firing (firing)", at(0), null, true, "firing")))),
				at(20), false, BERLIN);

		Item firing = axis.items().getFirst();
		assertThat(firing.to()).isEqualTo(at(20));
		assertThat(firing.x() + firing.width()).isCloseTo(TimelineAxis.RIGHT, within(0.01));
	}

	@Test
	void anIncidentWithoutEntriesStillHasAnAxis() {
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0)), List.of(), at(0), true, BERLIN);

		assertThat(axis.lanes()).isEmpty();
		assertThat(axis.items()).isEmpty();
		assertThat(axis.end()).isEqualTo(at(0).plusSeconds(1));
		assertThat(axis.milestones()).singleElement().satisfies((line) -> {
			assertThat(line.x()).isEqualTo(TimelineAxis.LEFT);
			assertThat(line.text()).isEqualTo("Detected at 2026-11-22 22:00:00 CET");
		});
		assertThat(axis.height()).isPositive();
		assertThat(axis.ticks()).allSatisfy(
				(tick) -> assertThat(tick.x()).isBetween((double) TimelineAxis.LEFT, (double) TimelineAxis.RIGHT));
	}

	@Test
	void alertsBeyondTheLimitAreCountedNotDrawn() {
		List<LaneInput> lanes = new ArrayList<>();
		for (int i = 0; i < TimelineAxis.MOST_ALERT_LANES + 5; i++) {
			lanes.add(alert("Alert" + i, i, i + 2));
		}
		lanes.add(marks(Kind.NOTIFICATION, "Notifications", 3));

		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0)), lanes, at(60), false, BERLIN);

		assertThat(axis.lanes()).hasSize(TimelineAxis.MOST_ALERT_LANES + 1);
		assertThat(axis.hiddenAlerts()).isEqualTo(5);
		assertThat(axis.hiddenAlertsY()).isBetween(axis.lanes().get(19).middle(), axis.lanes().get(20).middle());
		assertThat(axis.lanes().getLast().kind()).isEqualTo(Kind.NOTIFICATION);
		assertThat(axis.label()).contains("25 alerts");
	}

	@Test
	void timeLabelsAreRoundTimesInTheViewersZoneAndDoNotCrowd() {
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0), milestone("Resolved", 50)),
				List.of(alert("A", 0, 50)), at(50), false, BERLIN);

		assertThat(axis.ticks()).extracting(TimelineAxis.Tick::text).startsWith("22:00", "22:05");
		for (int i = 1; i < axis.ticks().size(); i++) {
			assertThat(axis.ticks().get(i).x() - axis.ticks().get(i - 1).x()).isGreaterThanOrEqualTo(70);
		}
		assertThat(axis.ticks()).allSatisfy((tick) -> assertThat(tick.x()).isCloseTo(axis.x(tick.at()), within(0.01)));
	}

	@Test
	void milestoneLabelsAtOneMomentArePushedApartWithinTheDrawing() {
		int[] labels = TimelineAxis.spread(new int[] { 190, 190, 190 }, 230, 940, 62);

		assertThat(labels).containsExactly(230, 292, 354);
		assertThat(TimelineAxis.spread(new int[] { 980, 980 }, 230, 940, 62)).containsExactly(878, 940);
	}

	@Test
	void entriesAreCutToAReadableLength() {
		Entry long_ = new Entry("x".repeat(5000), at(0), null, false, "note-added");
		TimelineAxis axis = TimelineAxis.layout(List.of(milestone("Detected", 0)),
				List.of(new LaneInput(Kind.ACTION, "People", List.of(long_))), at(10), false, BERLIN);

		assertThat(axis.items().getFirst().text()).hasSize(400).endsWith("…");
		assertThat(axis.items().getFirst().readout()).hasSize(125);
	}

	private static Instant at(int minutes) {
		return T0.plus(Duration.ofMinutes(minutes));
	}

	private static Milestone milestone(String name, int minute) {
		return new Milestone(name, at(minute), null);
	}

	private static LaneInput alert(String name, int from, int to) {
		return new LaneInput(Kind.ALERT, name,
				List.of(new Entry("Alert " + name + " (resolved)", at(from), at(to), false, "resolved")));
	}

	private static LaneInput marks(Kind kind, String name, int... minutes) {
		List<Entry> entries = new ArrayList<>();
		for (int minute : minutes) {
			entries.add(new Entry(name + " at " + minute, at(minute), null, false, "sent"));
		}
		return new LaneInput(kind, name, entries);
	}

}

package dev.warden.console;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.warden.console.SvgCharts.DayBar;
import dev.warden.console.SvgCharts.DayChart;
import dev.warden.console.SvgCharts.DurationBar;
import dev.warden.console.SvgCharts.DurationChart;
import dev.warden.console.SvgCharts.Row;
import dev.warden.console.SvgCharts.Tick;
import dev.warden.reports.AnalyticsReport.DayCount;
import dev.warden.reports.AnalyticsReport.Group;
import dev.warden.reports.AnalyticsReport.Stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The analytics charts' layout: scales that end on a round number, one bar per day or
 * figure with its exact value as text, dates that never crowd, and nothing drawn (and no
 * NaN) when there is nothing to draw.
 */
class SvgChartsTests {

	private static final LocalDate FIRST = LocalDate.parse("2020-03-01");

	@Test
	void incidentsPerDayDrawsOneBarPerDayOnARoundScale() {
		DayChart chart = SvgCharts.incidentsPerDay(days(0, 3, 0, 2, 1, 1, 1));

		assertThat(chart.empty()).isFalse();
		assertThat(chart.total()).isEqualTo(8);
		assertThat(chart.viewBox()).isEqualTo("0 0 1000 260");
		assertThat(chart.bars()).hasSize(7);
		// Busiest day 3: ticks every 1 up to 3; the plot runs from y 216 (zero) up to 16.
		assertThat(chart.ticks()).extracting(Tick::text).containsExactly("0", "1", "2", "3");
		assertThat(chart.ticks()).extracting(Tick::at).containsExactly(216.0, 149.3, 82.7, 16.0);
		assertThat(chart.baseline()).isEqualTo(216);
		DayBar busiest = chart.bars().get(1);
		assertThat(busiest.date()).isEqualTo(FIRST.plusDays(1));
		assertThat(busiest.y()).isEqualTo(16.0);
		assertThat(busiest.height()).isEqualTo(200.0);
		// 2 of 3: two thirds of 200.
		assertThat(chart.bars().get(3).height()).isEqualTo(133.3);
		assertThat(chart.bars().get(3).y()).isEqualTo(82.7);
		// A day without incidents keeps its place, flat on the axis.
		assertThat(chart.bars().get(0).height()).isZero();
		assertThat(chart.bars().get(0).y()).isEqualTo(216.0);
		// Slots of 928 / 7 = 132.57 units; bars of 70 % of that would be 92.8 wide, but
		// are kept to 60, centred in their slot: 56 + (132.57 - 60) / 2 = 92.3.
		assertThat(chart.bars().get(0).width()).isEqualTo(60.0);
		assertThat(chart.bars().get(0).x()).isEqualTo(92.3);
		assertThat(chart.bars().get(6).x()).isEqualTo(887.7);
		assertThat(chart.bars()).extracting(DayBar::title)
			.containsExactly("2020-03-01: 0 incidents", "2020-03-02: 3 incidents", "2020-03-03: 0 incidents",
					"2020-03-04: 2 incidents", "2020-03-05: 1 incident", "2020-03-06: 1 incident",
					"2020-03-07: 1 incident");
		assertThat(chart.label())
			.isEqualTo("Incidents per day from 2020-03-01 to 2020-03-07: 8 incidents in total, most on 2020-03-02 (3)");
	}

	@Test
	void everyDayIsLabelledInAShortWindow() {
		DayChart chart = SvgCharts.incidentsPerDay(days(1, 0, 2));

		assertThat(chart.labels()).extracting(SvgCharts.Label::text).containsExactly("1 Mar", "2 Mar", "3 Mar");
		// Under the middle of its bar, below the axis.
		assertThat(chart.labels().get(0).x()).isEqualTo(chart.bars().get(0).x() + chart.bars().get(0).width() / 2,
				within(0.1));
		assertThat(chart.labels().get(0).y()).isGreaterThan(chart.baseline());
	}

	@Test
	void longWindowsLabelEveryFewDaysAndKeepThinBars() {
		long[] counts = LongStream.range(0, 366).map((day) -> day % 5).toArray();

		DayChart chart = SvgCharts.incidentsPerDay(days(counts));

		assertThat(chart.bars()).hasSize(366);
		// 366 days, at most 12 dates: every 31st day.
		assertThat(chart.labels()).hasSizeLessThanOrEqualTo(12);
		assertThat(chart.labels().get(1).text()).isEqualTo("1 Apr");
		// Slots of 928 / 366 = 2.54 units, bars 70 % of that.
		assertThat(chart.bars().get(0).width()).isEqualTo(1.8);
		assertThat(chart.bars()).allSatisfy((bar) -> {
			assertThat(bar.width()).isGreaterThanOrEqualTo(1);
			assertThat(bar.x() + bar.width()).isLessThanOrEqualTo(chart.right());
			assertThat(bar.y()).isBetween(16.0, 216.0);
		});
	}

	@Test
	void countScalesEndOnOneTwoOrFiveTimesAPowerOfTen() {
		assertThat(SvgCharts.countStep(1)).isEqualTo(1);
		assertThat(SvgCharts.countStep(5)).isEqualTo(1);
		assertThat(SvgCharts.countStep(7)).isEqualTo(2);
		assertThat(SvgCharts.countStep(12)).isEqualTo(5);
		assertThat(SvgCharts.countStep(26)).isEqualTo(10);
		assertThat(SvgCharts.countStep(4_321)).isEqualTo(1_000);

		DayChart chart = SvgCharts.incidentsPerDay(days(7, 1));
		// 7 rounds up to 8 in steps of 2.
		assertThat(chart.ticks()).extracting(Tick::text).containsExactly("0", "2", "4", "6", "8");
		assertThat(chart.bars().get(0).height()).isEqualTo(175.0);
	}

	@Test
	void windowWithoutIncidentsIsNotDrawn() {
		DayChart quiet = SvgCharts.incidentsPerDay(days(0, 0, 0));
		DayChart none = SvgCharts.incidentsPerDay(List.of());

		for (DayChart chart : List.of(quiet, none)) {
			assertThat(chart.empty()).isTrue();
			assertThat(chart.label()).isEqualTo("No incidents in this window");
			assertThat(chart.bars()).isEmpty();
			assertThat(chart.ticks()).isEmpty();
		}
	}

	@Test
	void byServiceDrawsP50AndP90OfEachServiceWithTheirFigures() {
		List<Group> groups = List.of(service("svc-a", stats(3, 240, 90, 498)),
				service("svc-b", stats(1, 120, 120, 120)), service(null, none()));

		DurationChart chart = SvgCharts.byService("Time to acknowledge (MTTA)", groups, Group::mtta,
				"none acknowledged");

		assertThat(chart.empty()).isFalse();
		// Longest p90 498 s: five steps of 2 min up to 10 min.
		assertThat(chart.ticks()).extracting(Tick::text)
			.containsExactly("0 s", "2 min", "4 min", "6 min", "8 min", "10 min");
		// The scale runs from x 200 to 850: 650 units for 600 s.
		assertThat(chart.left()).isEqualTo(200);
		assertThat(chart.right()).isEqualTo(850);
		assertThat(chart.ticks()).extracting(Tick::at).containsExactly(200.0, 330.0, 460.0, 590.0, 720.0, 850.0);
		assertThat(chart.rows()).extracting(Row::name).containsExactly("svc-a", "svc-b", "(no service)");
		List<DurationBar> a = chart.rows().get(0).bars();
		assertThat(a).extracting(DurationBar::kind).containsExactly("p50", "p90");
		// 90 / 600 * 650 = 97.5; 498 / 600 * 650 = 539.5
		assertThat(a).extracting(DurationBar::width).containsExactly(97.5, 539.5);
		assertThat(a).extracting(DurationBar::x).containsOnly(200.0);
		assertThat(a).extracting(DurationBar::text).containsExactly("p50 1 min 30 s", "p90 8 min 18 s");
		assertThat(a.get(1).textX()).isEqualTo(745.5);
		assertThat(a.get(1).title()).isEqualTo("svc-a, Time to acknowledge (MTTA) p90: 8 min 18 s (of 3)");
		// The p90 bar sits under the p50 bar, both inside their row.
		assertThat(a.get(1).y()).isGreaterThan(a.get(0).y() + a.get(0).height());
		assertThat(chart.rows().get(1).bars()).extracting(DurationBar::text).containsExactly("p50 2 min", "p90 2 min");
		assertThat(chart.rows().get(1).middle()).isEqualTo(8 + 44 + 22);
		// A service without a figure says so rather than drawing an empty bar.
		assertThat(chart.rows().get(2).bars()).isEmpty();
		assertThat(chart.rows().get(2).note()).isEqualTo("none acknowledged");
		assertThat(chart.rows().get(0).note()).isNull();
		assertThat(chart.axis()).isEqualTo(8 + 3 * 44);
		assertThat(chart.viewBox()).isEqualTo("0 0 1000 168");
		assertThat(chart.label()).isEqualTo("Time to acknowledge (MTTA) by service, p50 and p90, for 3 services; "
				+ "the longest p90 is svc-a's, 8 min 18 s");
	}

	@Test
	void durationScalesUseRoundUnits() {
		assertThat(SvgCharts.durationStep(Duration.ofSeconds(4).toMillis())).isEqualTo(1_000);
		assertThat(SvgCharts.durationStep(Duration.ofSeconds(52).toMillis())).isEqualTo(15_000);
		assertThat(SvgCharts.durationStep(Duration.ofMinutes(52).toMillis()))
			.isEqualTo(Duration.ofMinutes(15).toMillis());
		assertThat(SvgCharts.durationStep(Duration.ofHours(2).toMillis())).isEqualTo(Duration.ofMinutes(30).toMillis());
		assertThat(SvgCharts.durationStep(Duration.ofDays(3).toMillis())).isEqualTo(Duration.ofDays(1).toMillis());
		// Even an incident that took years gets at most five steps.
		long decade = Duration.ofDays(3_650).toMillis();
		long step = SvgCharts.durationStep(decade);
		assertThat((decade + step - 1) / step).isLessThanOrEqualTo(5);

		DurationChart chart = SvgCharts.byService("Time to resolve (MTTR)",
				List.of(service("svc", stats(2, 5400, 5400, 6840))), Group::mttr, "none resolved");
		assertThat(chart.ticks()).extracting(Tick::text).containsExactly("0 s", "30 min", "1 h", "1 h 30 min", "2 h");
	}

	@Test
	void longServiceNamesAreShortenedButKeptWhole() {
		String name = "inference-gateway-with-a-very-long-service-name";

		Row row = SvgCharts.byService("MTTA", List.of(service(name, stats(1, 60, 60, 60))), Group::mtta, "none")
			.rows()
			.getFirst();

		assertThat(row.name()).hasSize(26).endsWith("…").startsWith("inference-gateway-with-a-");
		assertThat(row.fullName()).isEqualTo(name);
		assertThat(row.bars().getFirst().title()).startsWith(name + ", MTTA p50");
	}

	@Test
	void servicesWithoutDurationsAreNotDrawn() {
		DurationChart none = SvgCharts.byService("Time to resolve (MTTR)", List.of(service("svc", none())), Group::mttr,
				"none resolved");
		DurationChart noServices = SvgCharts.byService("Time to resolve (MTTR)", List.of(), Group::mttr,
				"none resolved");

		assertThat(none.empty()).isTrue();
		assertThat(none.ticks()).isEmpty();
		assertThat(noServices.empty()).isTrue();
		assertThat(noServices.label()).isEqualTo("Time to resolve (MTTR) by service: none in this window");
	}

	@Test
	void zeroDurationsDrawZeroBarsNotNaN() {
		DurationChart chart = SvgCharts.byService("MTTA", List.of(service("svc", stats(2, 0, 0, 0))), Group::mtta,
				"none");

		assertThat(chart.empty()).isFalse();
		assertThat(chart.ticks()).extracting(Tick::text).containsExactly("0 s", "1 s");
		assertThat(chart.rows().getFirst().bars()).allSatisfy((bar) -> {
			assertThat(bar.width()).isZero();
			assertThat(Double.isFinite(bar.textX())).isTrue();
		});
		assertThat(chart.ticks()).allSatisfy((tick) -> assertThat(Double.isFinite(tick.at())).isTrue());
	}

	private static List<DayCount> days(long... counts) {
		List<DayCount> days = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			days.add(new DayCount(FIRST.plusDays(i), counts[i]));
		}
		return days;
	}

	private static Group service(String name, Stats stats) {
		return new Group(name, null, Math.max(stats.count(), 1), stats, stats, stats, stats);
	}

	private static Stats stats(long count, long meanSeconds, long p50Seconds, long p90Seconds) {
		return new Stats(count, Duration.ofSeconds(meanSeconds), Duration.ofSeconds(p50Seconds),
				Duration.ofSeconds(p90Seconds));
	}

	private static Stats none() {
		return new Stats(0, null, null, null);
	}

}

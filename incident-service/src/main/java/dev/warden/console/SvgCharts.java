package dev.warden.console;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.warden.incidents.Durations;
import dev.warden.reports.AnalyticsReport.DayCount;
import dev.warden.reports.AnalyticsReport.Group;
import dev.warden.reports.AnalyticsReport.Stats;

/**
 * The analytics page's charts, laid out here in SVG units for the template to draw (as
 * {@link dev.warden.reports.TimelineAxis} is): every coordinate is a finite number, every
 * bar carries its exact figure as text, and a chart with nothing to show says so instead
 * of being drawn. The page repeats every figure in a table, so a chart is never the only
 * way to read one.
 */
final class SvgCharts {

	/** Width of every chart in SVG units; the page scales it to the column. */
	static final int WIDTH = 1000;

	static final int DAYS_HEIGHT = 260;

	private static final int DAYS_LEFT = 56;

	private static final int DAYS_RIGHT = 16;

	private static final int DAYS_TOP = 16;

	private static final int DAYS_BOTTOM = 44;

	/** Bars of a short window stay slim rather than filling their slot. */
	private static final double MOST_DAY_BAR_WIDTH = 60;

	/** At most this many dates under the day bars, so that they never overlap. */
	private static final int MOST_DAY_LABELS = 12;

	private static final int SERVICE_LABEL_WIDTH = 200;

	/** Room right of the longest bar for its figure ("p90 23 h 59 min"). */
	private static final int SERVICE_RIGHT = 150;

	private static final int SERVICE_TOP = 8;

	private static final int SERVICE_ROW = 44;

	private static final int SERVICE_BAR = 16;

	private static final int SERVICE_BOTTOM = 28;

	private static final int LONGEST_NAME = 26;

	private static final DateTimeFormatter DAY_LABEL = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

	/** Tick steps for durations, in seconds: values a person reads at a glance. */
	private static final long[] DURATION_STEPS = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200,
			10_800, 21_600, 43_200, 86_400, 172_800, 432_000, 604_800, 1_209_600, 2_592_000, 7_776_000, 15_552_000,
			31_536_000 };

	private SvgCharts() {
	}

	/**
	 * Incidents per day as vertical bars, one per day, on a scale from zero to a round
	 * number at or above the busiest day.
	 * @param days every day of the window, in order, zero days included
	 * @return the chart; {@linkplain DayChart#empty() empty} when no day had an incident
	 */
	static DayChart incidentsPerDay(List<DayCount> days) {
		long total = days.stream().mapToLong(DayCount::incidents).sum();
		if (total == 0) {
			return new DayChart("No incidents in this window", DAYS_HEIGHT, DAYS_LEFT, WIDTH - DAYS_RIGHT,
					DAYS_HEIGHT - DAYS_BOTTOM, 0, List.of(), List.of(), List.of());
		}
		DayCount busiest = days.stream().max(Comparator.comparingLong(DayCount::incidents)).orElseThrow();
		long step = countStep(busiest.incidents());
		long top = ceilTo(busiest.incidents(), step);
		double baseline = DAYS_HEIGHT - DAYS_BOTTOM;
		double plotHeight = baseline - DAYS_TOP;
		double slot = (double) (WIDTH - DAYS_LEFT - DAYS_RIGHT) / days.size();
		double barWidth = Math.clamp(slot * 0.7, 1, MOST_DAY_BAR_WIDTH);
		int labelEvery = (days.size() + MOST_DAY_LABELS - 1) / MOST_DAY_LABELS;
		List<DayBar> bars = new ArrayList<>(days.size());
		List<Label> labels = new ArrayList<>();
		for (int i = 0; i < days.size(); i++) {
			DayCount day = days.get(i);
			double height = plotHeight * day.incidents() / top;
			double x = DAYS_LEFT + i * slot + (slot - barWidth) / 2;
			bars.add(new DayBar(day.date(), day.incidents(), round(x), round(baseline - height), round(barWidth),
					round(height), day.date() + ": " + incidents(day.incidents())));
			if (i % labelEvery == 0) {
				labels.add(new Label(DAY_LABEL.format(day.date()), round(x + barWidth / 2), baseline + 18));
			}
		}
		List<Tick> ticks = new ArrayList<>();
		for (long value = 0; value <= top; value += step) {
			ticks.add(new Tick(Long.toString(value), round(baseline - plotHeight * value / top)));
		}
		String summary = "Incidents per day from %s to %s: %s in total, most on %s (%d)".formatted(
				days.getFirst().date(), days.getLast().date(), incidents(total), busiest.date(), busiest.incidents());
		return new DayChart(summary, DAYS_HEIGHT, DAYS_LEFT, WIDTH - DAYS_RIGHT, baseline, total, bars, ticks, labels);
	}

	/**
	 * One duration per service as horizontal bars: its p50 and p90, on a scale from zero
	 * to a round duration at or above the longest p90.
	 * @param measure what is measured, such as "Time to acknowledge (MTTA)"
	 * @param groups the services' groups, in the order to show them
	 * @param stats which of a group's figures to draw
	 * @param none what a service without any such duration shows instead of bars
	 * @return the chart; {@linkplain DurationChart#empty() empty} when no service has a
	 * duration
	 */
	static DurationChart byService(String measure, List<Group> groups, Function<Group, Stats> stats, String none) {
		long longest = groups.stream()
			.map(stats)
			.filter((each) -> each.count() > 0)
			.mapToLong((each) -> Math.max(each.p50().toMillis(), each.p90().toMillis()))
			.max()
			.orElse(-1);
		if (longest < 0) {
			return new DurationChart(measure + " by service: none in this window", SERVICE_TOP + SERVICE_BOTTOM,
					SERVICE_LABEL_WIDTH, WIDTH - SERVICE_RIGHT, SERVICE_TOP, List.of(), List.of());
		}
		long stepMillis = durationStep(longest);
		long topMillis = ceilTo(Math.max(longest, 1), stepMillis);
		double left = SERVICE_LABEL_WIDTH;
		double width = WIDTH - SERVICE_RIGHT - left;
		double axis = SERVICE_TOP + (double) groups.size() * SERVICE_ROW;
		List<Row> rows = new ArrayList<>(groups.size());
		String slowest = null;
		Duration slowestP90 = null;
		for (int i = 0; i < groups.size(); i++) {
			Group group = groups.get(i);
			Stats figures = stats.apply(group);
			String name = (group.service() != null) ? group.service() : "(no service)";
			double top = SERVICE_TOP + (double) i * SERVICE_ROW;
			List<DurationBar> bars = new ArrayList<>(2);
			if (figures.count() > 0) {
				bars.add(bar("p50", figures.p50(), name, measure, figures.count(), left, width, topMillis, top + 4));
				bars.add(bar("p90", figures.p90(), name, measure, figures.count(), left, width, topMillis,
						top + 8 + SERVICE_BAR));
				if (slowestP90 == null || figures.p90().compareTo(slowestP90) > 0) {
					slowest = name;
					slowestP90 = figures.p90();
				}
			}
			rows.add(new Row(shorten(name), name, top + SERVICE_ROW / 2.0, (figures.count() > 0) ? null : none, bars));
		}
		List<Tick> ticks = new ArrayList<>();
		for (long value = 0; value <= topMillis; value += stepMillis) {
			ticks.add(new Tick(Durations.words(Duration.ofMillis(value)), round(left + width * value / topMillis)));
		}
		String summary = "%s by service, p50 and p90, for %d %s; the longest p90 is %s's, %s".formatted(measure,
				groups.size(), (groups.size() == 1) ? "service" : "services", slowest, Durations.words(slowestP90));
		return new DurationChart(summary, (int) axis + SERVICE_BOTTOM, left, left + width, axis, rows, ticks);
	}

	private static DurationBar bar(String kind, Duration duration, String service, String measure, long count,
			double left, double width, long topMillis, double y) {
		double length = width * duration.toMillis() / topMillis;
		String words = Durations.words(duration);
		return new DurationBar(kind, duration, round(left), round(y), round(length), SERVICE_BAR,
				round(left + length + 6), round(y + SERVICE_BAR / 2.0), kind + " " + words,
				"%s, %s %s: %s (of %d)".formatted(service, measure, kind, words, count));
	}

	/** The step of the count axis: 1, 2 or 5 times a power of ten, at most 5 steps. */
	static long countStep(long most) {
		long power = 1;
		while (true) {
			for (long factor : new long[] { 1, 2, 5 }) {
				if (ceilTo(most, factor * power) / (factor * power) <= 5) {
					return factor * power;
				}
			}
			power *= 10;
		}
	}

	/** The step of a duration axis in milliseconds: a round duration, at most 5 steps. */
	static long durationStep(long mostMillis) {
		for (long seconds : DURATION_STEPS) {
			long step = seconds * 1000;
			if (ceilTo(Math.max(mostMillis, 1), step) / step <= 5) {
				return step;
			}
		}
		long year = DURATION_STEPS[DURATION_STEPS.length - 1] * 1000;
		return ceilTo((mostMillis + 4) / 5, year);
	}

	private static long ceilTo(long value, long step) {
		return ((value + step - 1) / step) * step;
	}

	private static String incidents(long count) {
		return count + ((count == 1) ? " incident" : " incidents");
	}

	private static String shorten(String name) {
		return (name.length() <= LONGEST_NAME) ? name : name.substring(0, LONGEST_NAME - 1) + "…";
	}

	/** To a tenth of a unit: enough for the eye, short in the page. */
	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	/**
	 * Incidents per day as vertical bars.
	 *
	 * @param label what the chart shows, for {@code aria-label}
	 * @param height the drawing's height
	 * @param left where the bars start (the count axis)
	 * @param right where they end
	 * @param baseline the y of zero incidents
	 * @param total incidents in the window
	 * @param bars one per day, in order
	 * @param ticks the count axis, from zero up
	 * @param labels dates under some of the bars
	 */
	record DayChart(String label, int height, double left, double right, double baseline, long total, List<DayBar> bars,
			List<Tick> ticks, List<Label> labels) {

		public int width() {
			return WIDTH;
		}

		/** True when no day had an incident: the page says so instead of drawing. */
		public boolean empty() {
			return this.total == 0;
		}

		/** The {@code viewBox} of the drawing. */
		public String viewBox() {
			return "0 0 " + WIDTH + " " + this.height;
		}

	}

	/**
	 * A day's bar.
	 *
	 * @param date the day
	 * @param incidents incidents detected that day
	 * @param x left edge
	 * @param y top edge
	 * @param width width
	 * @param height height, zero on a day without incidents
	 * @param title the exact figure, as the bar's tooltip
	 */
	record DayBar(LocalDate date, long incidents, double x, double y, double width, double height, String title) {

	}

	/**
	 * A mark on an axis.
	 *
	 * @param text its value
	 * @param at where along the axis (y for counts, x for durations)
	 */
	record Tick(String text, double at) {

	}

	/**
	 * A text placed on the drawing.
	 *
	 * @param text the text
	 * @param x its anchor's x
	 * @param y its baseline's y
	 */
	record Label(String text, double x, double y) {

	}

	/**
	 * Durations by service as horizontal bars.
	 *
	 * @param label what the chart shows, for {@code aria-label}
	 * @param height the drawing's height
	 * @param left where the bars start (zero)
	 * @param right where the scale's top value is
	 * @param axis the y of the duration axis, under the last row
	 * @param rows one per service, in order
	 * @param ticks the duration axis, from zero up
	 */
	record DurationChart(String label, int height, double left, double right, double axis, List<Row> rows,
			List<Tick> ticks) {

		public int width() {
			return WIDTH;
		}

		/** True when no service has such a duration: the page says so instead. */
		public boolean empty() {
			return this.rows.stream().allMatch((row) -> row.bars().isEmpty());
		}

		/** The {@code viewBox} of the drawing. */
		public String viewBox() {
			return "0 0 " + WIDTH + " " + this.height;
		}

	}

	/**
	 * A service's row.
	 *
	 * @param name the service, shortened to fit
	 * @param fullName the service as it is
	 * @param middle the y of the row's middle
	 * @param note what shows instead of bars when the service has none, else null
	 * @param bars its p50 and p90
	 */
	record Row(String name, String fullName, double middle, String note, List<DurationBar> bars) {

	}

	/**
	 * One figure of a service as a bar, with the figure in words beside it.
	 *
	 * @param kind {@code p50} or {@code p90}, also the bar's CSS class
	 * @param duration the figure
	 * @param x left edge
	 * @param y top edge
	 * @param width length
	 * @param height thickness
	 * @param textX where the figure's text starts
	 * @param textY the middle of the bar
	 * @param text the figure in words, such as {@code p90 4 min 24 s}
	 * @param title the tooltip: service, measure and figure
	 */
	record DurationBar(String kind, Duration duration, double x, double y, double width, int height, double textX,
			double textY, String text, String title) {

	}

}

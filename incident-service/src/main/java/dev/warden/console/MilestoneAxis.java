package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.warden.incidents.Milestones;

/**
 * The detection-to-resolution time axis of an incident: its milestones placed on a line
 * from impact start to resolution (or now), and the durations between them. The page
 * draws it as SVG.
 *
 * @param points the milestones that happened, in time order
 * @param spans the durations between consecutive milestones
 * @param start the left end
 * @param end the right end
 */
public record MilestoneAxis(List<Point> points, List<Span> spans, Instant start, Instant end) {

	/** Width of the drawing in SVG units; labels alternate above and below. */
	public static final int WIDTH = 1000;

	static MilestoneAxis of(Milestones milestones, Instant now) {
		List<Point> raw = new ArrayList<>();
		add(raw, "Impact started", milestones.impactStartedAt());
		add(raw, "Detected", milestones.detectedAt());
		add(raw, "Acknowledged", milestones.acknowledgedAt());
		add(raw, "Mitigated", milestones.mitigatedAt());
		add(raw, "Resolved", milestones.resolvedAt());
		raw.sort((a, b) -> a.at().compareTo(b.at()));
		Instant start = raw.getFirst().at();
		Instant end = (milestones.resolvedAt() != null) ? milestones.resolvedAt() : now;
		if (!end.isAfter(start)) {
			end = start.plusSeconds(1);
		}
		long total = Duration.between(start, end).toMillis();
		List<Point> points = new ArrayList<>();
		for (int i = 0; i < raw.size(); i++) {
			Point point = raw.get(i);
			int x = 20
					+ (int) Math.round((WIDTH - 40) * (double) Duration.between(start, point.at()).toMillis() / total);
			points.add(new Point(point.name(), point.at(), Math.min(x, WIDTH - 20), i % 2 == 0));
		}
		List<Span> spans = new ArrayList<>();
		for (int i = 1; i < points.size(); i++) {
			Point from = points.get(i - 1);
			Point to = points.get(i);
			spans.add(new Span(from.name() + " → " + to.name(), Duration.between(from.at(), to.at())));
		}
		return new MilestoneAxis(points, spans, start, end);
	}

	private static void add(List<Point> points, String name, Instant at) {
		if (at != null) {
			points.add(new Point(name, at, 0, true));
		}
	}

	/**
	 * A milestone on the axis.
	 *
	 * @param name what happened
	 * @param at when
	 * @param x where on the drawing
	 * @param above whether its label goes above the line
	 */
	public record Point(String name, Instant at, int x, boolean above) {
	}

	/**
	 * The time between two milestones.
	 *
	 * @param name from → to
	 * @param duration how long
	 */
	public record Span(String name, Duration duration) {
	}

}

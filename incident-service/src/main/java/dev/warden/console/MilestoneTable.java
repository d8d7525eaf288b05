package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.warden.incidents.Milestones;

/**
 * The tables under an incident's time axis: the milestones that happened, in time order,
 * and the durations between consecutive ones. The axis itself is
 * {@link dev.warden.reports.TimelineAxis}.
 *
 * @param points the milestones that happened, in time order
 * @param spans the durations between consecutive milestones
 */
public record MilestoneTable(List<Point> points, List<Span> spans) {

	static MilestoneTable of(Milestones milestones) {
		List<Point> points = new ArrayList<>();
		add(points, "Impact started", milestones.impactStartedAt());
		add(points, "Detected", milestones.detectedAt());
		add(points, "Acknowledged", milestones.acknowledgedAt());
		add(points, "Mitigated", milestones.mitigatedAt());
		add(points, "Resolved", milestones.resolvedAt());
		points.sort(Comparator.comparing(Point::at));
		List<Span> spans = new ArrayList<>();
		for (int i = 1; i < points.size(); i++) {
			Point from = points.get(i - 1);
			Point to = points.get(i);
			spans.add(new Span(from.name() + " → " + to.name(), Duration.between(from.at(), to.at())));
		}
		return new MilestoneTable(List.copyOf(points), List.copyOf(spans));
	}

	private static void add(List<Point> points, String name, Instant at) {
		if (at != null) {
			points.add(new Point(name, at));
		}
	}

	/**
	 * A milestone.
	 *
	 * @param name what happened
	 * @param at when
	 */
	public record Point(String name, Instant at) {
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

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

	/** Labels keep this far from the ends, so that the longest is not cut off. */
	private static final int LABEL_MARGIN = 70;

	/**
	 * Least distance between neighbouring labels; neighbours sit on opposite sides of the
	 * line, so labels on the same side are twice as far apart.
	 */
	private static final int LABEL_GAP = 120;

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
		int[] xs = new int[raw.size()];
		for (int i = 0; i < raw.size(); i++) {
			int x = 20 + (int) Math
				.round((WIDTH - 40) * (double) Duration.between(start, raw.get(i).at()).toMillis() / total);
			xs[i] = Math.min(x, WIDTH - 20);
		}
		int[] labels = spread(xs);
		List<Point> points = new ArrayList<>();
		for (int i = 0; i < raw.size(); i++) {
			points.add(new Point(raw.get(i).name(), raw.get(i).at(), xs[i], labels[i], i % 2 == 0));
		}
		List<Span> spans = new ArrayList<>();
		for (int i = 1; i < points.size(); i++) {
			Point from = points.get(i - 1);
			Point to = points.get(i);
			spans.add(new Span(from.name() + " → " + to.name(), Duration.between(from.at(), to.at())));
		}
		return new MilestoneAxis(points, spans, start, end);
	}

	/**
	 * Where the labels go: under their milestone where there is room, pushed apart (and
	 * joined to their milestone by a leader line) where milestones are close together, so
	 * that milestones at the same moment stay readable.
	 */
	static int[] spread(int[] xs) {
		int[] labels = new int[xs.length];
		for (int i = 0; i < xs.length; i++) {
			labels[i] = Math.clamp(xs[i], LABEL_MARGIN, WIDTH - LABEL_MARGIN);
			if (i > 0) {
				labels[i] = Math.max(labels[i], labels[i - 1] + LABEL_GAP);
			}
		}
		for (int i = xs.length - 1; i >= 0; i--) {
			int limit = (i == xs.length - 1) ? WIDTH - LABEL_MARGIN : labels[i + 1] - LABEL_GAP;
			labels[i] = Math.min(labels[i], limit);
		}
		return labels;
	}

	private static void add(List<Point> points, String name, Instant at) {
		if (at != null) {
			points.add(new Point(name, at, 0, 0, true));
		}
	}

	/**
	 * A milestone on the axis.
	 *
	 * @param name what happened
	 * @param at when
	 * @param x where on the drawing
	 * @param labelX where its label is centred
	 * @param above whether its label goes above the line
	 */
	public record Point(String name, Instant at, int x, int labelX, boolean above) {
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

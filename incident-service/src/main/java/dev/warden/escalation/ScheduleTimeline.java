package dev.warden.escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.warden.escalation.Schedule.Layer;
import dev.warden.escalation.Schedule.Span;

/**
 * Who is on call for a schedule, worked out from its layers and overrides. Pure
 * arithmetic on instants: no clock, no database.
 */
final class ScheduleTimeline {

	/** How far back and ahead a lookup searches before it gives up. */
	static final Duration HORIZON = Duration.ofDays(400);

	private ScheduleTimeline() {
	}

	/**
	 * Who is on call at {@code at} and who takes over next.
	 * @param overrides the overrides overlapping a stretch of time, in any order
	 */
	static Lookup lookup(Schedule schedule, OverrideSource overrides, Instant at) {
		Duration span = schedule.layers()
			.stream()
			.map((layer) -> layer.shift().approximate())
			.max(Comparator.naturalOrder())
			.orElse(Duration.ofDays(1))
			.plusDays(1);
		while (true) {
			Instant from = at.minus(span);
			Instant to = at.plus(span.multipliedBy(2));
			List<Segment> segments = segments(schedule, overrides.overlapping(from, to), from, to);
			Segment current = segments.stream().filter((segment) -> segment.covers(at)).findFirst().orElse(null);
			Instant after = (current != null) ? current.end() : at;
			Segment next = segments.stream()
				.filter((segment) -> !segment.start().isBefore(after))
				.findFirst()
				.orElse(null);
			boolean clipped = (current != null && (current.start().equals(from) || current.end().equals(to)))
					|| next == null || next.end().equals(to);
			if (!clipped || span.compareTo(HORIZON) >= 0) {
				return new Lookup(current, (next != null && !next.end().equals(to)) ? next : null);
			}
			span = span.multipliedBy(2);
		}
	}

	/**
	 * Everyone on call within {@code [from, to)}, in order, clipped to it: the layers
	 * (later layers over earlier ones) with the overrides on top (later created over
	 * earlier).
	 */
	static List<Segment> segments(Schedule schedule, List<ScheduleOverride> overrides, Instant from, Instant to) {
		List<Segment> timeline = new ArrayList<>();
		int number = 0;
		for (Layer layer : schedule.layers()) {
			timeline = paint(timeline, layer(schedule, layer, number++, from, to));
		}
		List<ScheduleOverride> ordered = overrides.stream()
			.sorted(Comparator.comparing(ScheduleOverride::createdAt).thenComparing(ScheduleOverride::id))
			.toList();
		for (ScheduleOverride override : ordered) {
			Span clipped = new Span(override.startsAt(), override.endsAt()).intersection(from, to);
			if (clipped != null) {
				timeline = paint(timeline, List.of(new Segment(clipped.start(), clipped.end(), override.user(),
						override.id(), "override " + override.id())));
			}
		}
		return merged(timeline);
	}

	private static List<Segment> layer(Schedule schedule, Layer layer, int number, Instant from, Instant to) {
		List<Segment> segments = new ArrayList<>();
		for (long k = Math.max(0, layer.shiftAt(schedule.zone(), from)); layer.shiftStart(schedule.zone(), k)
			.isBefore(to); k++) {
			Span shift = new Span(layer.shiftStart(schedule.zone(), k), layer.shiftStart(schedule.zone(), k + 1))
				.intersection(from, to);
			if (shift == null) {
				continue;
			}
			String origin = "layer " + number + " shift " + k;
			List<Span> pieces = (layer.restriction() != null)
					? layer.restriction().windows(shift.start(), shift.end(), schedule.zone()) : List.of(shift);
			for (Span piece : pieces) {
				segments.add(new Segment(piece.start(), piece.end(), layer.userOf(k), null, origin));
			}
		}
		return segments;
	}

	/**
	 * The timeline with {@code tops} over whatever they cover. Both are in order and
	 * neither overlaps itself.
	 */
	private static List<Segment> paint(List<Segment> timeline, List<Segment> tops) {
		List<Segment> painted = new ArrayList<>(timeline.size() + tops.size());
		int first = 0;
		for (Segment segment : timeline) {
			while (first < tops.size() && !tops.get(first).end().isAfter(segment.start())) {
				first++;
			}
			Instant cursor = segment.start();
			for (int i = first; i < tops.size() && tops.get(i).start().isBefore(segment.end()); i++) {
				Segment top = tops.get(i);
				if (top.start().isAfter(cursor)) {
					painted.add(segment.between(cursor, top.start()));
				}
				if (top.end().isAfter(cursor)) {
					cursor = top.end();
				}
			}
			if (cursor.isBefore(segment.end())) {
				painted.add(segment.between(cursor, segment.end()));
			}
		}
		painted.addAll(tops);
		painted.sort(Comparator.comparing(Segment::start));
		return painted;
	}

	/**
	 * Joins touching pieces of the same shift, such as back-to-back restricted windows.
	 */
	private static List<Segment> merged(List<Segment> timeline) {
		List<Segment> merged = new ArrayList<>();
		for (Segment segment : timeline) {
			Segment last = merged.isEmpty() ? null : merged.getLast();
			if (last != null && last.end().equals(segment.start()) && last.origin().equals(segment.origin())) {
				merged.set(merged.size() - 1, last.between(last.start(), segment.end()));
			}
			else {
				merged.add(segment);
			}
		}
		return merged;
	}

	/** The overrides of one schedule that overlap {@code [from, to)}. */
	@FunctionalInterface
	interface OverrideSource {

		OverrideSource NONE = (from, to) -> List.of();

		List<ScheduleOverride> overlapping(Instant from, Instant to);

	}

	/**
	 * One stretch of time with one person on call.
	 *
	 * @param user the user's name
	 * @param overrideId the override that put them there, or null for a rotation
	 * @param origin the shift or override the segment comes from
	 */
	record Segment(Instant start, Instant end, String user, Long overrideId, String origin) {

		boolean covers(Instant at) {
			return !at.isBefore(this.start) && at.isBefore(this.end);
		}

		Segment between(Instant start, Instant end) {
			return new Segment(start, end, this.user, this.overrideId, this.origin);
		}

	}

	/**
	 * The answer to a lookup.
	 *
	 * @param current who is on call, or null for nobody
	 * @param next who takes over when the current segment ends (or, when nobody is on
	 * call, the next to come on), or null when nobody within the horizon
	 */
	record Lookup(Segment current, Segment next) {
	}

}

package dev.warden.escalation;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An on-call schedule: rotation layers in one time zone. Where several layers have
 * someone on call, the later layer in the list wins (as PagerDuty's higher layers do).
 *
 * @param name the schedule's unique name
 * @param zone the time zone handoffs and restrictions are written in
 * @param layers the rotations, lowest priority first; never empty
 */
record Schedule(String name, ZoneId zone, List<Layer> layers) {

	Schedule {
		layers = List.copyOf(layers);
	}

	/**
	 * One rotation: its users take turns, one shift each, starting at the handoff.
	 *
	 * @param users the users' names in rotation order; a name may appear more than once
	 * @param shift how long each turn lasts
	 * @param handoff when the first user's first shift starts, in the schedule's zone; no
	 * one is on call in this layer before it
	 * @param restriction when in the week the layer applies, or null for all the time
	 */
	record Layer(List<String> users, ShiftLength shift, LocalDateTime handoff, Restriction restriction) {

		Layer {
			users = List.copyOf(users);
		}

		/** The start of shift number {@code k} (0 is the first handoff). */
		Instant shiftStart(ZoneId zone, long k) {
			if (this.shift.days() > 0) {
				// Day and week shifts hand off at the same local wall time, even across
				// DST.
				return ZonedDateTime.of(this.handoff.plusDays(k * this.shift.days()), zone).toInstant();
			}
			return ZonedDateTime.of(this.handoff, zone).toInstant().plus(this.shift.fixed().multipliedBy(k));
		}

		/**
		 * The number of the shift that holds the instant; negative before the first
		 * handoff.
		 */
		long shiftAt(ZoneId zone, Instant at) {
			Instant first = shiftStart(zone, 0);
			long k = Math.floorDiv(Duration.between(first, at).getSeconds(), this.shift.approximate().getSeconds());
			while (shiftStart(zone, k).isAfter(at)) {
				k--;
			}
			while (!shiftStart(zone, k + 1).isAfter(at)) {
				k++;
			}
			return k;
		}

		/** Whose turn shift {@code k} is. */
		String userOf(long k) {
			return this.users.get((int) Math.floorMod(k, (long) this.users.size()));
		}

	}

	/**
	 * A shift length: whole local calendar days (for {@code d} and {@code w}) or a fixed
	 * duration (for {@code h} and {@code m}).
	 */
	record ShiftLength(int days, Duration fixed) {

		static final Duration MINIMUM = Duration.ofHours(1);

		static final int MAXIMUM_DAYS = 366;

		/** A whole number and a unit; escalation delays are written the same way. */
		static final Pattern SYNTAX = Pattern.compile("(-?\\d{1,6})\\s*([mhdw])");

		static ShiftLength ofDays(int days) {
			return new ShiftLength(days, null);
		}

		static ShiftLength of(Duration fixed) {
			return new ShiftLength(0, fixed);
		}

		/**
		 * Reads {@code 12h}, {@code 1d}, {@code 2w}, {@code 90m}.
		 * @throws IllegalArgumentException with a reason for people
		 */
		static ShiftLength parse(String text) {
			Matcher matcher = SYNTAX.matcher(text.strip());
			if (!matcher.matches()) {
				throw new IllegalArgumentException(
						"'" + text + "' is not a shift length; write a whole number and a unit, like 12h, 1d or 1w");
			}
			long amount = Long.parseLong(matcher.group(1));
			if (amount <= 0) {
				throw new IllegalArgumentException("'" + text + "' must be longer than 0");
			}
			ShiftLength length = switch (matcher.group(2)) {
				case "w" -> ofDays((int) Math.min(amount * 7, MAXIMUM_DAYS + 1));
				case "d" -> ofDays((int) Math.min(amount, MAXIMUM_DAYS + 1));
				case "h" -> of(Duration.ofHours(amount));
				default -> of(Duration.ofMinutes(amount));
			};
			if (length.approximate().compareTo(MINIMUM) < 0) {
				throw new IllegalArgumentException("'" + text + "' is shorter than the shortest shift, 1h");
			}
			if (length.approximate().compareTo(Duration.ofDays(MAXIMUM_DAYS)) > 0) {
				throw new IllegalArgumentException("'" + text + "' is longer than the longest shift, 366d");
			}
			return length;
		}

		/** The length ignoring DST changes. */
		Duration approximate() {
			return (this.days > 0) ? Duration.ofDays(this.days) : this.fixed;
		}

	}

	/**
	 * When in the week a layer applies, like business hours. A window whose end is not
	 * after its start ends the next day ({@code 17:00-09:00} is overnight).
	 *
	 * @param days the days windows start on
	 * @param from the local time windows start
	 * @param to the local time windows end
	 */
	record Restriction(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

		Restriction {
			days = Set.copyOf(days);
		}

		/** The windows that overlap {@code [from, to)}, in order, clipped to it. */
		List<Span> windows(Instant from, Instant to, ZoneId zone) {
			List<Span> windows = new ArrayList<>();
			LocalDate last = LocalDate.ofInstant(to, zone);
			for (LocalDate day = LocalDate.ofInstant(from, zone).minusDays(1); !day.isAfter(last); day = day
				.plusDays(1)) {
				if (!this.days.contains(day.getDayOfWeek())) {
					continue;
				}
				LocalDate endDay = this.to.isAfter(this.from) ? day : day.plusDays(1);
				Span window = new Span(ZonedDateTime.of(day, this.from, zone).toInstant(),
						ZonedDateTime.of(endDay, this.to, zone).toInstant());
				Span clipped = window.intersection(from, to);
				if (clipped != null) {
					windows.add(clipped);
				}
			}
			return windows;
		}

	}

	/** A half-open stretch of time, {@code [start, end)}. */
	record Span(Instant start, Instant end) {

		/** The part of this span within {@code [from, to)}, or null when none. */
		Span intersection(Instant from, Instant to) {
			Instant start = this.start.isAfter(from) ? this.start : from;
			Instant end = this.end.isBefore(to) ? this.end : to;
			return start.isBefore(end) ? new Span(start, end) : null;
		}

	}

}

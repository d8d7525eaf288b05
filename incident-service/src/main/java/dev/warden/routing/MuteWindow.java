package dev.warden.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A recurring time window in which a route notifies no one, in local time of a zone.
 * <p>
 * A window whose {@code to} is not after its {@code from} runs across midnight: it starts
 * on one of its days and ends on the next day. A window without {@code from} and
 * {@code to} covers its days completely. Local time follows the zone's rules, daylight
 * saving time included.
 *
 * @param days the days the window starts on; all seven when none were given
 * @param from the local start time (inclusive), or null for the whole day
 * @param to the local end time (exclusive), or null for the whole day
 * @param timezone the zone the times are in
 */
public record MuteWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId timezone) {

	public MuteWindow {
		days = days.isEmpty() ? Set.copyOf(EnumSet.allOf(DayOfWeek.class)) : Set.copyOf(days);
		Objects.requireNonNull(timezone, "timezone");
		if ((from == null) != (to == null)) {
			throw new IllegalArgumentException("from and to go together: give both or neither");
		}
		if (from != null && from.equals(to)) {
			throw new IllegalArgumentException("from and to are both " + from + "; leave both out for whole days");
		}
	}

	/** True when the window covers this instant. */
	public boolean covers(Instant at) {
		ZonedDateTime local = at.atZone(this.timezone);
		DayOfWeek day = local.getDayOfWeek();
		LocalTime time = local.toLocalTime();
		if (this.from == null) {
			return this.days.contains(day);
		}
		if (this.from.isBefore(this.to)) {
			return this.days.contains(day) && !time.isBefore(this.from) && time.isBefore(this.to);
		}
		// Across midnight: the evening part belongs to today, the morning part to a
		// window
		// that started yesterday.
		return (this.days.contains(day) && !time.isBefore(this.from))
				|| (this.days.contains(day.minus(1)) && time.isBefore(this.to));
	}

	/**
	 * The window for people, such as
	 * {@code mon,tue,wed,thu,fri 18:00-08:00 Europe/Berlin}.
	 */
	public String describe() {
		String dayList = (this.days.size() == 7) ? "every day"
				: this.days.stream()
					.sorted()
					.map((day) -> day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toLowerCase(Locale.ROOT))
					.collect(Collectors.joining(","));
		String times = (this.from != null) ? " " + this.from + "-" + this.to : " all day";
		return dayList + times + " " + this.timezone.getId();
	}

}

package dev.warden.incidents;

import java.time.Duration;

/**
 * How long something took, for people: the same words in Slack, email, the console and
 * postmortems.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * A duration in its two largest units: {@code 42 s}, {@code 4 min 12 s},
	 * {@code 1 h 3 min}, {@code 2 d 5 h}; negative durations count as zero.
	 */
	public static String words(Duration duration) {
		long seconds = Math.max(0, duration.toSeconds());
		long days = seconds / 86_400;
		long hours = seconds % 86_400 / 3_600;
		long minutes = seconds % 3_600 / 60;
		long rest = seconds % 60;
		if (days > 0) {
			return units(days, "d", hours, "h");
		}
		if (hours > 0) {
			return units(hours, "h", minutes, "min");
		}
		if (minutes > 0) {
			return units(minutes, "min", rest, "s");
		}
		return rest + " s";
	}

	private static String units(long first, String firstUnit, long second, String secondUnit) {
		return first + " " + firstUnit + ((second > 0) ? " " + second + " " + secondUnit : "");
	}

}

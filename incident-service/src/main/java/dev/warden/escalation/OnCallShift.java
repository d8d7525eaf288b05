package dev.warden.escalation;

import java.time.Instant;
import java.util.Objects;

/**
 * Who is on call for a schedule during one stretch of time.
 *
 * @param schedule the schedule's name
 * @param user the person on call
 * @param start when this stretch begins (a handoff, the start of a restricted window or
 * of an override)
 * @param end when the next person (or nobody) takes over
 * @param override whether an override, rather than the rotation, put the user here
 */
public record OnCallShift(String schedule, User user, Instant start, Instant end, boolean override) {

	public OnCallShift {
		Objects.requireNonNull(schedule, "schedule");
		Objects.requireNonNull(user, "user");
		Objects.requireNonNull(start, "start");
		Objects.requireNonNull(end, "end");
	}

	/** Whether the instant falls in this shift (start inclusive, end exclusive). */
	public boolean covers(Instant at) {
		return !at.isBefore(this.start) && at.isBefore(this.end);
	}

}

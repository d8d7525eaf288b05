package dev.warden.escalation;

import java.time.Instant;

/**
 * Someone standing in for whoever the rotation puts on call, for a stretch of time. Where
 * overrides overlap, the one created later wins.
 *
 * @param id the override's id
 * @param schedule the schedule's name
 * @param user the name of the user on call instead
 * @param startsAt when the override begins
 * @param endsAt when it ends (exclusive), after {@code startsAt}
 * @param createdBy who created it
 * @param createdAt when it was created
 * @param reason why, for people; may be null
 */
public record ScheduleOverride(long id, String schedule, String user, Instant startsAt, Instant endsAt,
		String createdBy, Instant createdAt, String reason) {
}

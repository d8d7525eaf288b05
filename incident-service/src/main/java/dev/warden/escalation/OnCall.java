package dev.warden.escalation;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.warden.access.Audit;
import dev.warden.escalation.ScheduleTimeline.Lookup;
import dev.warden.escalation.ScheduleTimeline.Segment;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who is on call: the users and schedules of the on-call file with the overrides stored
 * in PostgreSQL on top, and the file's escalation policies. This is what other modules
 * call.
 */
@Component
public class OnCall {

	private final OnCallCatalog catalog;

	private final Overrides overrides;

	private final Clock clock;

	private final Audit audit;

	OnCall(OnCallCatalog catalog, Overrides overrides, Clock clock, Audit audit) {
		this.catalog = catalog;
		this.overrides = overrides;
		this.clock = clock;
		this.audit = audit;
	}

	/**
	 * Who is on call for the schedule at the instant.
	 * @return empty when nobody is (outside every layer's hours, before the first
	 * handoff) or the schedule does not exist
	 */
	public Optional<OnCallShift> onCall(String schedule, Instant at) {
		return this.catalog.schedule(schedule).flatMap((found) -> Optional.ofNullable(lookup(found, at).current()));
	}

	/**
	 * Who takes over next: from the end of the shift at the instant, or, when nobody is
	 * on call then, the first to come on after it.
	 * @return empty when the schedule does not exist or nobody comes on within about a
	 * year
	 */
	public Optional<OnCallShift> next(String schedule, Instant at) {
		return this.catalog.schedule(schedule).flatMap((found) -> Optional.ofNullable(lookup(found, at).next()));
	}

	/** The user with this name. */
	public Optional<User> user(String name) {
		return this.catalog.user(name);
	}

	/** Every user, in the on-call file's order. */
	public List<User> users() {
		return this.catalog.users();
	}

	/** The names of every schedule, in the on-call file's order. */
	public List<String> schedules() {
		return this.catalog.schedules().stream().map(Schedule::name).toList();
	}

	/**
	 * The escalation policy with this name, as routes name it.
	 * @return empty when the on-call file has no such policy
	 */
	public Optional<EscalationPolicy> policy(String name) {
		return this.catalog.policy(name);
	}

	/** Every escalation policy, in the on-call file's order. */
	public List<EscalationPolicy> policies() {
		return this.catalog.policies();
	}

	/** Who is on call and next, in one lookup. */
	Answer lookup(Schedule schedule, Instant at) {
		// Overrides for users the file no longer declares are skipped: the rotation
		// applies.
		Lookup lookup = ScheduleTimeline.lookup(schedule,
				(from, to) -> this.overrides.overlapping(schedule.name(), from, to)
					.stream()
					.filter((override) -> this.catalog.user(override.user()).isPresent())
					.toList(),
				at);
		return new Answer(shift(schedule, lookup.current()), shift(schedule, lookup.next()));
	}

	Schedule schedule(String name) {
		return this.catalog.schedule(name).orElseThrow(() -> new ScheduleNotFound(name));
	}

	List<Schedule> allSchedules() {
		return this.catalog.schedules();
	}

	/**
	 * Puts a user on call for the schedule from {@code startsAt} until {@code endsAt},
	 * instead of whoever the rotation puts there; the latest override wins.
	 * @param by who adds it
	 * @param reason why, for people; may be null
	 * @throws ScheduleNotFound when there is no such schedule
	 * @throws InvalidOverride for an unknown user, an end not after the start, or an end
	 * in the past
	 */
	@Transactional
	public ScheduleOverride addOverride(String scheduleName, String user, Instant startsAt, Instant endsAt, String by,
			String reason) {
		Schedule schedule = schedule(scheduleName);
		if (this.catalog.user(user).isEmpty()) {
			throw new InvalidOverride("There is no user '" + user + "'; known users: "
					+ String.join(", ", users().stream().map(User::name).toList()));
		}
		if (!endsAt.isAfter(startsAt)) {
			throw new InvalidOverride("endsAt (" + endsAt + ") must be after startsAt (" + startsAt + ")");
		}
		Instant now = this.clock.instant();
		if (!endsAt.isAfter(now)) {
			throw new InvalidOverride(
					"endsAt (" + endsAt + ") is in the past; an override that has ended changes nothing");
		}
		ScheduleOverride added = this.overrides.add(schedule.name(), user, startsAt, endsAt, by, now, reason);
		this.audit.recordAs(by, "override.add", target(added), null, describe(added), details(added));
		return added;
	}

	/**
	 * The schedule's overrides that are in force now or start later, by start.
	 * @throws ScheduleNotFound when there is no such schedule
	 */
	public List<ScheduleOverride> overrides(String scheduleName) {
		return this.overrides.notEnded(schedule(scheduleName).name(), this.clock.instant());
	}

	/**
	 * Removes one of the schedule's overrides.
	 * @throws ScheduleNotFound when there is no such schedule
	 * @throws OverrideNotFound when the schedule has no override with this id
	 */
	@Transactional
	public void removeOverride(String scheduleName, long id) {
		ScheduleOverride removed = this.overrides.remove(schedule(scheduleName).name(), id)
			.orElseThrow(() -> new OverrideNotFound("Schedule " + scheduleName + " has no override " + id));
		this.audit.record("override.remove", target(removed), describe(removed), null, details(removed));
	}

	private static String target(ScheduleOverride override) {
		return "schedule/" + override.schedule() + " override " + override.id();
	}

	/**
	 * An override in short, for the audit log:
	 * {@code alice 2026-11-22T21:00:00Z..2026-11-23T09:00:00Z}.
	 */
	private static String describe(ScheduleOverride override) {
		return override.user() + " " + override.startsAt() + ".." + override.endsAt();
	}

	private static Map<String, Object> details(ScheduleOverride override) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("schedule", override.schedule());
		details.put("user", override.user());
		details.put("startsAt", override.startsAt().toString());
		details.put("endsAt", override.endsAt().toString());
		if (override.reason() != null) {
			details.put("reason", override.reason());
		}
		return details;
	}

	OnCallCatalog.LoadReport reload() {
		return this.catalog.reload();
	}

	List<OnCallProblem> problems() {
		return this.catalog.problems();
	}

	Instant now() {
		return this.clock.instant();
	}

	private OnCallShift shift(Schedule schedule, Segment segment) {
		if (segment == null) {
			return null;
		}
		return this.catalog.user(segment.user())
			.map((user) -> new OnCallShift(schedule.name(), user, segment.start(), segment.end(),
					segment.overrideId() != null))
			.orElse(null);
	}

	/** Who is on call at an instant, and who is next; either may be null. */
	record Answer(OnCallShift current, OnCallShift next) {
	}

}

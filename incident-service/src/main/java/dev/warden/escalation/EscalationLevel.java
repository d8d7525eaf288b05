package dev.warden.escalation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One step of an {@link EscalationPolicy}: how long to wait, then who to notify.
 *
 * @param number the level's position in its policy, from 1
 * @param delay how long to wait after the previous level (after the incident opened, for
 * level 1); zero notifies at once, at most 24 hours
 * @param users the names of users to notify
 * @param schedules the names of on-call schedules whose on-call user to notify
 * @param slack Slack channels, like {@code #ai-leads} or a channel id
 * @param email email addresses
 */
public record EscalationLevel(int number, Duration delay, List<String> users, List<String> schedules,
		List<String> slack, List<String> email) {

	/** The longest a level may wait. */
	static final Duration MAX_DELAY = Duration.ofHours(24);

	public EscalationLevel {
		Objects.requireNonNull(delay, "delay");
		if (number < 1) {
			throw new IllegalArgumentException("Levels are numbered from 1, not " + number);
		}
		if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
			throw new IllegalArgumentException("delay must be from 0 to " + MAX_DELAY + ", not " + delay);
		}
		users = List.copyOf(users);
		schedules = List.copyOf(schedules);
		slack = List.copyOf(slack);
		email = List.copyOf(email);
		if (users.isEmpty() && schedules.isEmpty() && slack.isEmpty() && email.isEmpty()) {
			throw new IllegalArgumentException("Level " + number + " notifies no one");
		}
	}

	/**
	 * Who this level notifies, for people: each kind that has targets, in the order
	 * users, schedules, slack, email, like
	 * {@code users carol and dave, schedules ai-primary, slack #ai-leads}.
	 * @return the description; never empty
	 */
	public String describeTargets() {
		List<String> kinds = new ArrayList<>();
		add(kinds, "users", this.users);
		add(kinds, "schedules", this.schedules);
		add(kinds, "slack", this.slack);
		add(kinds, "email", this.email);
		return String.join(", ", kinds);
	}

	private static void add(List<String> kinds, String kind, List<String> targets) {
		if (targets.isEmpty()) {
			return;
		}
		int last = targets.size() - 1;
		String names = (last == 0) ? targets.get(0)
				: String.join(", ", targets.subList(0, last)) + " and " + targets.get(last);
		kinds.add(kind + " " + names);
	}

}

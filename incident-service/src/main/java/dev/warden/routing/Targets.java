package dev.warden.routing;

import java.util.List;

/**
 * Who a route notifies.
 *
 * @param slack Slack channels, such as {@code #ai-oncall}
 * @param email email addresses
 * @param users Warden user names
 * @param schedules on-call schedule names; whoever is on call is notified
 */
public record Targets(List<String> slack, List<String> email, List<String> users, List<String> schedules) {

	/** Nobody. */
	public static final Targets NONE = new Targets(List.of(), List.of(), List.of(), List.of());

	public Targets {
		slack = List.copyOf(slack);
		email = List.copyOf(email);
		users = List.copyOf(users);
		schedules = List.copyOf(schedules);
	}

	/** True when there is no one to notify. */
	public boolean isEmpty() {
		return this.slack.isEmpty() && this.email.isEmpty() && this.users.isEmpty() && this.schedules.isEmpty();
	}

}

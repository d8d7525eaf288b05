package dev.warden.escalation;

import java.time.ZoneId;
import java.util.Objects;

/**
 * A person Warden can page, as declared in the on-call file.
 *
 * @param name the unique id other configuration refers to, like {@code alice}
 * @param fullName the name people read
 * @param email where email notifications go
 * @param slackUserId the Slack member id (like {@code U0ALICE}), or null when unknown
 * @param timeZone where the person lives, for messages that show local times
 */
public record User(String name, String fullName, String email, String slackUserId, ZoneId timeZone) {

	public User {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(fullName, "fullName");
		Objects.requireNonNull(email, "email");
		Objects.requireNonNull(timeZone, "timeZone");
	}

}

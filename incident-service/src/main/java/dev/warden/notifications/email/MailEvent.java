package dev.warden.notifications.email;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an incident's timeline, as an email shows it.
 *
 * @param at when it happened
 * @param type what happened, such as {@code incident.acknowledged}
 * @param actor who did it, or null
 * @param summary the entry for people, or null
 */
public record MailEvent(Instant at, String type, String actor, String summary) {

	public MailEvent {
		Objects.requireNonNull(at, "at");
		Objects.requireNonNull(type, "type");
	}

}

package dev.warden.access;

import java.time.Instant;
import java.util.Map;

/**
 * One change in the audit log.
 *
 * @param id the entry's id, rising with time
 * @param at when the change was made
 * @param actor the console username or the API token's name
 * @param actorKind {@code user} or {@code token}
 * @param channel {@code console}, {@code api} or {@code slack}
 * @param address the client's address as the request saw it
 * @param action what was done, like {@code incident.acknowledge}
 * @param target what it was done to, like {@code INC-12}
 * @param before the target's state before, in short; null when not meaningful
 * @param after the target's state after, in short; null when not meaningful
 * @param details more about the change; empty when there is nothing more
 */
public record AuditEntry(long id, Instant at, String actor, String actorKind, String channel, String address,
		String action, String target, String before, String after, Map<String, Object> details) {

}

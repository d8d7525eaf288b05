package dev.warden.access;

import java.time.Instant;

/**
 * Which entries of the audit log to show; every filter is optional.
 *
 * @param actor exactly this console user or API token
 * @param action this action ({@code incident.acknowledge}) or every action under this
 * prefix ({@code incident})
 * @param target this target ({@code INC-12}), or the targets it starts followed by a
 * space ({@code schedule/primary} finds {@code schedule/primary override 3})
 * @param channel only this channel
 * @param from made at or after
 * @param to made before
 */
public record AuditQuery(String actor, String action, String target, Audit.Channel channel, Instant from, Instant to) {

	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	/** Every entry. */
	public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null);

	/**
	 * Blank filters count as absent; a trailing {@code .} or {@code .*} of the action is
	 * dropped.
	 * @throws InvalidAuditQuery when the time range ends before it starts, a time is
	 * outside years 1 to 9999 or a filter holds the NUL character
	 */
	public AuditQuery {
		actor = text("actor", actor);
		action = text("action", action);
		if (action != null) {
			action = action.replaceFirst("\\.?\\*$", "").replaceFirst("\\.$", "");
			action = action.isEmpty() ? null : action;
		}
		target = text("target", target);
		checkInRange("from", from);
		checkInRange("to", to);
		if (from != null && to != null && !to.isAfter(from)) {
			throw new InvalidAuditQuery("The time range ends (" + to + ") before it starts (" + from + ").");
		}
	}

	/** Whether any filter is set. */
	public boolean filtered() {
		return this.actor != null || this.action != null || this.target != null || this.channel != null
				|| this.from != null || this.to != null;
	}

	/**
	 * The filter stripped, null when blank.
	 * @throws InvalidAuditQuery when it holds the NUL character, which PostgreSQL cannot
	 * compare with text
	 */
	private static String text(String name, String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		if (text.indexOf('\u0000') >= 0) {
			throw new InvalidAuditQuery(name + ": must not contain the NUL character (\\u0000).");
		}
		return text.strip();
	}

	/**
	 * Refuses a time PostgreSQL cannot hold (or Java cannot turn into one) rather than
	 * failing in the query.
	 */
	private static void checkInRange(String name, Instant at) {
		if (at != null && (at.isBefore(EARLIEST) || at.isAfter(LATEST))) {
			throw new InvalidAuditQuery(
					name + ": " + at + " is outside the times the audit log can hold (years 1 to 9999).");
		}
	}

}

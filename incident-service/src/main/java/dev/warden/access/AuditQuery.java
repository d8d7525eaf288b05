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

	/** Every entry. */
	public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null);

	/**
	 * Blank filters count as absent; a trailing {@code .} or {@code .*} of the action is
	 * dropped.
	 * @throws InvalidAuditQuery when the time range ends before it starts
	 */
	public AuditQuery {
		actor = blankToNull(actor);
		action = blankToNull(action);
		if (action != null) {
			action = action.replaceFirst("\\.?\\*$", "").replaceFirst("\\.$", "");
			action = action.isEmpty() ? null : action;
		}
		target = blankToNull(target);
		if (from != null && to != null && !to.isAfter(from)) {
			throw new InvalidAuditQuery("The time range ends (" + to + ") before it starts (" + from + ").");
		}
	}

	/** Whether any filter is set. */
	public boolean filtered() {
		return this.actor != null || this.action != null || this.target != null || this.channel != null
				|| this.from != null || this.to != null;
	}

	private static String blankToNull(String text) {
		return (text != null && !text.isBlank()) ? text.strip() : null;
	}

}

package dev.warden.notifications.slack;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What an incident's Slack message shows. Text is given as it is; {@link SlackMessages}
 * escapes it.
 *
 * @param id the incident's number
 * @param title the incident's title
 * @param status {@code triggered}, {@code acknowledged} or {@code resolved}
 * @param severity the severity's name, such as {@code critical}
 * @param service the affected service; may be null
 * @param team the owning team; may be null
 * @param consoleUrl the incident's page in Warden's console; null for no link
 * @param alerts the incident's alerts, most relevant first
 * @param runbooks the incident's runbook executions
 * @param mentionSlackUserIds Slack user IDs ({@code U...}, {@code W...}) to mention
 * @param acknowledgedBy who acknowledged it; null if nobody has
 * @param resolvedBy who resolved it; null if nobody has
 * @param mitigated whether the impact was mitigated (by a runbook or by a person)
 * @param declaredBy who declared it, when a person did (no alert opened it); else null
 * @param description what the person who declared it wrote; may be null
 */
public record IncidentCard(long id, String title, String status, String severity, String service, String team,
		String consoleUrl, List<CardAlert> alerts, List<CardRunbook> runbooks, List<String> mentionSlackUserIds,
		String acknowledgedBy, String resolvedBy, boolean mitigated, String declaredBy, String description) {

	static final String TRIGGERED = "triggered";

	static final String ACKNOWLEDGED = "acknowledged";

	static final String RESOLVED = "resolved";

	private static final Set<String> STATUSES = Set.of(TRIGGERED, ACKNOWLEDGED, RESOLVED);

	public IncidentCard {
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(severity, "severity");
		status = status.toLowerCase(Locale.ROOT);
		if (!STATUSES.contains(status)) {
			throw new IllegalArgumentException("status must be one of " + STATUSES + ", not " + status);
		}
		alerts = (alerts != null) ? List.copyOf(alerts) : List.of();
		runbooks = (runbooks != null) ? List.copyOf(runbooks) : List.of();
		mentionSlackUserIds = (mentionSlackUserIds != null) ? List.copyOf(mentionSlackUserIds) : List.of();
	}

}

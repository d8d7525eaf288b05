package dev.warden.notifications.slack;

import java.util.Objects;

/**
 * One runbook execution on an {@link IncidentCard}.
 *
 * @param executionId the execution's ID, the value of its Approve button
 * @param runbook the runbook's name
 * @param state the execution's state, such as {@code running} or {@code succeeded}
 * @param awaitingApproval whether it waits for someone to approve it
 */
public record CardRunbook(long executionId, String runbook, String state, boolean awaitingApproval) {

	public CardRunbook {
		Objects.requireNonNull(runbook, "runbook");
		Objects.requireNonNull(state, "state");
	}

}

package dev.warden.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * One incident event owed to one subscription, with every attempt: what the API and the
 * console show.
 *
 * @param id its id
 * @param incidentId the incident
 * @param subscription the subscription's name
 * @param event the event, such as {@code resolved}
 * @param eventId the timeline event's id
 * @param idempotencyKey sent as {@code Idempotency-Key}, the same on every attempt
 * @param status {@code pending}, {@code delivered} or {@code failed}
 * @param attempts how many attempts were made
 * @param lastError the last failed attempt's error, or why it failed
 * @param createdAt when it was owed
 * @param deliveredAt when the receiver took it
 * @param failedAt when Warden gave up
 * @param attemptLog every attempt, oldest first
 */
public record WebhookDelivery(long id, long incidentId, String subscription, String event, long eventId,
		String idempotencyKey, String status, int attempts, String lastError, Instant createdAt, Instant deliveredAt,
		Instant failedAt, List<Attempt> attemptLog) {

	public WebhookDelivery {
		attemptLog = List.copyOf(attemptLog);
	}

	public boolean failed() {
		return "failed".equals(this.status);
	}

	/**
	 * One attempt.
	 *
	 * @param number from 1
	 * @param at when it started
	 * @param url where it went, without the query
	 * @param responseStatus the receiver's HTTP status, or null when none came
	 * @param error what went wrong, or null when delivered
	 * @param durationMs how long it took
	 */
	public record Attempt(int number, Instant at, String url, Integer responseStatus, String error, long durationMs) {
	}

}

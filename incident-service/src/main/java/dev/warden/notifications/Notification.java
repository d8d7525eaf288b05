package dev.warden.notifications;

import java.time.Instant;
import java.util.Map;

/**
 * A message owed to one target, and how its delivery went.
 *
 * @param id the notification's id
 * @param incidentId the incident it is about
 * @param idempotencyKey incident + event + target: the same key is never owed twice
 * @param channel Slack or email
 * @param kind what it says, such as {@code slack.message} or {@code email.resolved}
 * @param target the Slack channel or email address
 * @param eventId the timeline event that caused it, or null
 * @param body what to say beyond the incident itself (summary, mentions, detail)
 * @param status {@code pending}, {@code sent} or {@code failed}
 * @param attempts delivery attempts so far
 * @param lastError the last attempt's error, or null
 * @param inFlightSince when a Slack post whose outcome is unknown started, or null
 * @param externalId Slack's message ts or the email's Message-ID once sent
 * @param createdAt when it was owed
 * @param sentAt when it was delivered, or null
 * @param failedAt when it was given up, or null
 * @param resentAt when a person last owed it again after it failed, or null
 */
public record Notification(long id, long incidentId, String idempotencyKey, Channel channel, String kind, String target,
		Long eventId, Map<String, Object> body, String status, int attempts, String lastError, Instant inFlightSince,
		String externalId, Instant createdAt, Instant sentAt, Instant failedAt, Instant resentAt) {

	public Notification {
		body = Map.copyOf(body);
	}

	boolean pending() {
		return "pending".equals(this.status);
	}

	/** Whether delivery was given up; a person may owe it again. */
	public boolean failed() {
		return "failed".equals(this.status);
	}

	/** When it was owed, or owed again: its retry horizon counts from here. */
	Instant owedSince() {
		return (this.resentAt != null) ? this.resentAt : this.createdAt;
	}

	@SuppressWarnings("unchecked")
	java.util.List<String> mentions() {
		Object value = this.body.get("mentions");
		return (value instanceof java.util.List<?> list) ? (java.util.List<String>) list : java.util.List.of();
	}

	String text(String key) {
		Object value = this.body.get(key);
		return (value != null) ? value.toString() : null;
	}

}

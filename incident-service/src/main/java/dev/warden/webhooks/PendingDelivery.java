package dev.warden.webhooks;

import java.time.Instant;

/**
 * A delivery as its job reads it.
 *
 * @param id its id
 * @param incidentId the incident
 * @param idempotencyKey {@code incident:<id>:event:<event id>:webhook:<subscription>}
 * @param subscription the subscription's name
 * @param event the event's name, such as {@code resolved}
 * @param body the JSON body, sent as is on every attempt
 * @param status {@code pending}, {@code delivered} or {@code failed}
 * @param attempts attempts so far
 * @param createdAt when it was owed; retries stop a while after
 */
record PendingDelivery(long id, long incidentId, String idempotencyKey, String subscription, String event, String body,
		String status, int attempts, Instant createdAt) {

	boolean pending() {
		return "pending".equals(this.status);
	}

}

package dev.warden.alerting;

import dev.warden.incidents.Ingested;

/**
 * What Warden did with a webhook.
 *
 * @param incident numeric id of the incident; null when every alert was a heartbeat
 * @param ref the incident as people name it
 * @param outcome opened, reopened, attached or replayed; heartbeat when every alert was a
 * heartbeat
 * @param status the incident's status afterwards
 * @param changedAlerts alerts that fired, fired again or resolved
 * @param unchangedAlerts resends that only moved "last seen"
 * @param location the incident in the API
 * @param heartbeatAlerts alerts taken as heartbeats, not as incidents
 */
record WebhookReceipt(Long incident, String ref, String outcome, String status, int changedAlerts, int unchangedAlerts,
		String location, int heartbeatAlerts) {

	static WebhookReceipt of(Ingested ingested, int heartbeatAlerts) {
		return new WebhookReceipt(ingested.incident().value(), ingested.incident().toString(),
				AlertIntake.lower(ingested.outcome()), AlertIntake.lower(ingested.status()), ingested.changedAlerts(),
				ingested.unchangedAlerts(), "/api/v1/incidents/" + ingested.incident().value(), heartbeatAlerts);
	}

	static WebhookReceipt heartbeats(int heartbeatAlerts) {
		return new WebhookReceipt(null, null, "heartbeat", null, 0, 0, null, heartbeatAlerts);
	}

}

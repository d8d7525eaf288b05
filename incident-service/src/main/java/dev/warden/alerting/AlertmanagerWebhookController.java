package dev.warden.alerting;

import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.Ingested;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Alertmanager's webhook. It only writes: one transaction, answered after
 * commit, no network call. 200 means stored; 4xx means Alertmanager must not retry; 503
 * means it should.
 */
@RestController
@Tag(name = "Alertmanager webhook")
@SecurityRequirement(name = "alertmanagerWebhook")
class AlertmanagerWebhookController {

	static final String PATH = "/api/v1/alerts/alertmanager";

	private final IncidentService incidents;

	private final Counter firing;

	private final Counter resolved;

	AlertmanagerWebhookController(IncidentService incidents, MeterRegistry meters) {
		this.incidents = incidents;
		this.firing = alertsReceived(meters, "firing");
		this.resolved = alertsReceived(meters, "resolved");
	}

	private static Counter alertsReceived(MeterRegistry meters, String status) {
		return Counter.builder("warden.alerts.received")
			.description("Alerts received from Alertmanager and stored")
			.tag("status", status)
			.register(meters);
	}

	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Alertmanager webhook (payload version 4)")
	WebhookReceipt receive(@Valid @RequestBody AlertmanagerPayload payload) {
		AlertBatch batch = payload.toBatch();
		Ingested ingested = this.incidents.ingest(batch);
		batch.alerts().forEach((alert) -> (alert.firing() ? this.firing : this.resolved).increment());
		return WebhookReceipt.of(ingested);
	}

	/**
	 * What Warden did with the webhook.
	 *
	 * @param incident numeric id of the incident
	 * @param ref the incident as people name it
	 * @param outcome opened, reopened, attached or replayed
	 * @param status the incident's status afterwards
	 * @param changedAlerts alerts that fired, fired again or resolved
	 * @param unchangedAlerts resends that only moved "last seen"
	 * @param location the incident in the API
	 */
	record WebhookReceipt(long incident, String ref, String outcome, String status, int changedAlerts,
			int unchangedAlerts, String location) {

		static WebhookReceipt of(Ingested ingested) {
			return new WebhookReceipt(ingested.incident().value(), ingested.incident().toString(),
					ingested.outcome().name().toLowerCase(Locale.ROOT),
					ingested.status().name().toLowerCase(Locale.ROOT), ingested.changedAlerts(),
					ingested.unchangedAlerts(), "/api/v1/incidents/" + ingested.incident().value());
		}

	}

}

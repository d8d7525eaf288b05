package dev.warden.alerting;

import java.util.ArrayList;
import java.util.List;
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
import dev.warden.incidents.ReceivedAlert;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Alertmanager's webhook. It only writes: one transaction, answered after
 * commit, no network call. 200 means stored; 4xx means Alertmanager must not retry; 503
 * means it should. Alerts bound to a heartbeat (the pipeline's {@code Watchdog}) are
 * heartbeats, not incidents: {@link HeartbeatAlerts} tells them apart first, and records
 * them only once the other alerts are stored.
 */
@RestController
@Tag(name = "Alertmanager webhook")
@SecurityRequirement(name = "alertmanagerWebhook")
class AlertmanagerWebhookController {

	static final String PATH = "/api/v1/alerts/alertmanager";

	/** How Alertmanager's {@code User-Agent} starts ({@code Alertmanager/0.25.0}). */
	static final String ALERTMANAGER_AGENT = "Alertmanager/";

	private final IncidentService incidents;

	private final HeartbeatAlerts heartbeats;

	private final Counter firing;

	private final Counter resolved;

	AlertmanagerWebhookController(IncidentService incidents, HeartbeatAlerts heartbeats, MeterRegistry meters) {
		this.incidents = incidents;
		this.heartbeats = heartbeats;
		this.firing = alertsReceived(meters, "firing");
		this.resolved = alertsReceived(meters, "resolved");
	}

	private static Counter alertsReceived(MeterRegistry meters, String status) {
		return Counter.builder("warden.alerts.received")
			.description("Alerts received from Alertmanager and stored as alerts (heartbeat alerts are not counted)")
			.tag("status", status)
			.register(meters);
	}

	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Alertmanager webhook (payload version 4)")
	WebhookReceipt receive(@Valid @RequestBody AlertmanagerPayload payload,
			@RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
		AlertBatch batch = payload.toBatch();
		List<ReceivedAlert> claimed = this.heartbeats.match(batch.alerts());
		List<ReceivedAlert> rest = new ArrayList<>(batch.alerts());
		rest.removeAll(claimed);
		WebhookReceipt receipt = rest.isEmpty() ? WebhookReceipt.heartbeats(claimed.size()) : WebhookReceipt
			.of(this.incidents.ingest(claimed.isEmpty() ? batch : only(batch, rest)), claimed.size());
		// Only once the rest is stored: a webhook refused or failed above writes no ping,
		// and if this fails (503), Alertmanager's resend is a replay to the incidents.
		this.heartbeats.received(claimed, (userAgent != null) && userAgent.startsWith(ALERTMANAGER_AGENT));
		rest.forEach((alert) -> (alert.firing() ? this.firing : this.resolved).increment());
		return receipt;
	}

	/** The batch with only these of its alerts. */
	private static AlertBatch only(AlertBatch batch, List<ReceivedAlert> rest) {
		return new AlertBatch(batch.groupKey(), rest.stream().anyMatch(ReceivedAlert::firing), batch.receiver(),
				batch.groupLabels(), batch.commonLabels(), batch.commonAnnotations(), batch.externalUrl(),
				batch.truncatedAlerts(), rest);
	}

	/**
	 * What Warden did with the webhook.
	 *
	 * @param incident numeric id of the incident; null when every alert was a heartbeat
	 * @param ref the incident as people name it
	 * @param outcome opened, reopened, attached or replayed; heartbeat when every alert
	 * was a heartbeat
	 * @param status the incident's status afterwards
	 * @param changedAlerts alerts that fired, fired again or resolved
	 * @param unchangedAlerts resends that only moved "last seen"
	 * @param location the incident in the API
	 * @param heartbeatAlerts alerts taken as heartbeats, not as incidents
	 */
	record WebhookReceipt(Long incident, String ref, String outcome, String status, int changedAlerts,
			int unchangedAlerts, String location, int heartbeatAlerts) {

		static WebhookReceipt of(Ingested ingested, int heartbeatAlerts) {
			return new WebhookReceipt(ingested.incident().value(), ingested.incident().toString(),
					ingested.outcome().name().toLowerCase(Locale.ROOT),
					ingested.status().name().toLowerCase(Locale.ROOT), ingested.changedAlerts(),
					ingested.unchangedAlerts(), "/api/v1/incidents/" + ingested.incident().value(), heartbeatAlerts);
		}

		static WebhookReceipt heartbeats(int heartbeatAlerts) {
			return new WebhookReceipt(null, null, "heartbeat", null, 0, 0, null, heartbeatAlerts);
		}

	}

}

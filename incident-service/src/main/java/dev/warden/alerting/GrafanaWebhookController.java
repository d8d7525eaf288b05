package dev.warden.alerting;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives the webhook of Grafana's webhook contact point (Grafana-managed alerts). Its
 * body becomes the same alert batch as Alertmanager's, with Grafana's values and links
 * carried along, and takes the same path: one transaction, answered after commit, no
 * network call; the same answers: 200 means stored, 4xx bad input (a resend cannot
 * succeed), 503 transient trouble (a resend may).
 */
@RestController
@Tag(name = "Grafana webhook")
@SecurityRequirement(name = "grafanaWebhook")
class GrafanaWebhookController {

	static final String PATH = "/api/v1/alerts/grafana";

	private final AlertIntake intake;

	private final AlertIntake.Counters received;

	GrafanaWebhookController(AlertIntake intake) {
		this.intake = intake;
		this.received = intake.counters("warden.grafana.alerts.received", "Grafana");
	}

	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Grafana webhook contact point (payload version 1)")
	WebhookReceipt receive(@Valid @RequestBody GrafanaPayload payload) {
		// Not Alertmanager: an alert bound to a heartbeat pings it, but does not prove
		// that Alertmanager talks to Warden.
		return this.intake.take(payload.toBatch(), false, this.received);
	}

}

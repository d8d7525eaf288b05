package dev.warden.alerting;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

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
 * heartbeats, not incidents ({@link AlertIntake}).
 */
@RestController
@Tag(name = "Alertmanager webhook")
@SecurityRequirement(name = "alertmanagerWebhook")
class AlertmanagerWebhookController {

	static final String PATH = "/api/v1/alerts/alertmanager";

	/** How Alertmanager's {@code User-Agent} starts ({@code Alertmanager/0.25.0}). */
	static final String ALERTMANAGER_AGENT = "Alertmanager/";

	private final AlertIntake intake;

	private final AlertIntake.Counters received;

	AlertmanagerWebhookController(AlertIntake intake) {
		this.intake = intake;
		this.received = intake.counters("warden.alerts.received", "Alertmanager");
	}

	@PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
	@Operation(summary = "Alertmanager webhook (payload version 4)")
	WebhookReceipt receive(@Valid @RequestBody AlertmanagerPayload payload,
			@RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
		return this.intake.take(payload.toBatch(), (userAgent != null) && userAgent.startsWith(ALERTMANAGER_AGENT),
				this.received);
	}

}

package dev.warden.notifications;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Notifications of an incident with their delivery state, and resending a failed one. The
 * actor is the API token's name.
 */
@RestController
@Tag(name = "Notifications")
@SecurityRequirement(name = "apiToken")
class NotificationController {

	private final NotificationStore store;

	private final Deliveries deliveries;

	private final IncidentService incidents;

	NotificationController(NotificationStore store, Deliveries deliveries, IncidentService incidents) {
		this.store = store;
		this.deliveries = deliveries;
		this.incidents = incidents;
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/api/v1/incidents/{id}/notifications")
	@Operation(summary = "The incident's notifications: target, kind, status, attempts, last error")
	List<NotificationView> list(@PathVariable long id) {
		// 404 for an unknown incident rather than an empty list.
		this.incidents.status(new IncidentId(id));
		return this.store.notifications(id).stream().map(NotificationView::of).toList();
	}

	@RequiresScope(Scope.RESPOND)
	@PostMapping("/api/v1/notifications/{id}/resend")
	@Operation(summary = "Owe a failed notification again, with a fresh attempt budget; 409 unless it failed")
	NotificationView resend(@PathVariable long id, Principal principal) {
		return NotificationView.of(this.deliveries.resend(id, principal.getName()));
	}

	/**
	 * A notification as the API shows it.
	 *
	 * @param id its id
	 * @param incident the incident
	 * @param channel {@code slack} or {@code email}
	 * @param kind what it says
	 * @param target the channel or address
	 * @param status {@code pending}, {@code sent} or {@code failed}
	 * @param attempts attempts so far
	 * @param lastError the last attempt's error
	 * @param externalId Slack's ts or the email's Message-ID
	 * @param createdAt when it was owed
	 * @param sentAt when it was delivered
	 * @param failedAt when it was given up
	 */
	record NotificationView(long id, long incident, String channel, String kind, String target, String status,
			int attempts, String lastError, String externalId, Instant createdAt, Instant sentAt, Instant failedAt) {

		static NotificationView of(Notification notification) {
			return new NotificationView(notification.id(), notification.incidentId(), notification.channel().value(),
					notification.kind(), notification.target(), notification.status(), notification.attempts(),
					notification.lastError(), notification.externalId(), notification.createdAt(),
					notification.sentAt(), notification.failedAt());
		}

	}

}

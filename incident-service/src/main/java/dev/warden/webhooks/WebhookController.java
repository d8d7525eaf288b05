package dev.warden.webhooks;

import java.security.Principal;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Outgoing webhooks in the API: admins make, list and delete subscriptions (a secret is
 * taken once and never answered); readers see an incident's deliveries and their
 * attempts.
 */
@RestController
@Tag(name = "Outgoing webhooks")
@SecurityRequirement(name = "apiToken")
class WebhookController {

	private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

	private final Subscriptions subscriptions;

	private final DeliveryStore deliveries;

	private final IncidentService incidents;

	WebhookController(Subscriptions subscriptions, DeliveryStore deliveries, IncidentService incidents) {
		this.subscriptions = subscriptions;
		this.deliveries = deliveries;
		this.incidents = incidents;
	}

	@RequiresScope(Scope.ADMIN)
	@PostMapping("/api/v1/webhooks")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(summary = "Subscribe a URL to incident events (opened, acknowledged, mitigated, resolved, reopened, "
			+ "merged, runbook_finished), optionally filtered by label matchers; deliveries are signed with the "
			+ "secret, which is never answered again")
	Subscriptions.Listed create(@RequestBody(required = false) Subscriptions.NewSubscription request,
			Principal principal) {
		Subscriptions.Listed created = this.subscriptions.create(request, principal.getName());
		log.info("API token '{}' subscribed webhook '{}' to {} at {}", principal.getName(), created.name(),
				created.events(), created.url());
		return created;
	}

	@RequiresScope(Scope.ADMIN)
	@GetMapping("/api/v1/webhooks")
	@Operation(summary = "Every webhook subscription, from the webhook file and the API, and the file's problems; "
			+ "never their secrets")
	Subscriptions.Listing list() {
		return this.subscriptions.list();
	}

	@RequiresScope(Scope.ADMIN)
	@DeleteMapping("/api/v1/webhooks/{name}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	@Operation(summary = "Delete a subscription made through the API (409 for the file's); its pending deliveries "
			+ "fail")
	void delete(@PathVariable String name, Principal principal) {
		this.subscriptions.delete(name);
		log.info("API token '{}' deleted webhook '{}'", principal.getName(), name);
	}

	@RequiresScope(Scope.READ)
	@GetMapping("/api/v1/incidents/{id}/webhooks")
	@Operation(summary = "The incident's webhook deliveries: subscription, event, status, idempotency key and "
			+ "every attempt's outcome")
	List<WebhookDelivery> deliveries(@PathVariable long id) {
		// 404 for an unknown incident rather than an empty list.
		if (id <= 0) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no incident " + id);
		}
		this.incidents.status(new IncidentId(id));
		return this.deliveries.ofIncident(id);
	}

}

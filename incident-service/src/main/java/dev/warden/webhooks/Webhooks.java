package dev.warden.webhooks;

import java.util.List;

import dev.warden.incidents.IncidentId;

import org.springframework.stereotype.Component;

/** Incidents' webhook deliveries, for other modules (the console). */
@Component
public class Webhooks {

	private final DeliveryStore store;

	Webhooks(DeliveryStore store) {
		this.store = store;
	}

	/** The incident's deliveries, oldest first, each with its attempts. */
	public List<WebhookDelivery> of(IncidentId incident) {
		return this.store.ofIncident(incident.value());
	}

}

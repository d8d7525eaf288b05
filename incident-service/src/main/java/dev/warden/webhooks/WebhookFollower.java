package dev.warden.webhooks;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.incidents.IncidentChange;
import dev.warden.incidents.IncidentFollower;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.IncidentView;
import dev.warden.incidents.Milestones;
import dev.warden.incidents.RecordedEvent;
import dev.warden.notifications.NotificationSettings;

import org.springframework.context.annotation.Lazy;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The outgoing webhooks' follower of incidents' changes (see {@link IncidentFollower}):
 * runs after a change commits, in its own transaction, and owes each event a subscription
 * wants, for an incident whose labels its matchers match, as one delivery with its job.
 * The delivery's idempotency key ({@code incident:<id>:event:<event id>:webhook:<name>})
 * is unique, so a change followed again owes nothing twice. Nothing here talks to the
 * network: the delivery jobs do, after this commits.
 */
@Component
@Order(3)
class WebhookFollower implements IncidentFollower {

	private final Subscriptions subscriptions;

	private final DeliveryStore store;

	private final IncidentService incidents;

	private final SchedulerClient scheduler;

	private final NotificationSettings notifications;

	private final JsonMapper json;

	private final Clock clock;

	WebhookFollower(Subscriptions subscriptions, DeliveryStore store, IncidentService incidents,
			@Lazy SchedulerClient scheduler, NotificationSettings notifications, JsonMapper json, Clock clock) {
		this.subscriptions = subscriptions;
		this.store = store;
		this.incidents = incidents;
		this.scheduler = scheduler;
		this.notifications = notifications;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public String followerName() {
		return "webhooks";
	}

	@Override
	public void follow(IncidentChange change) {
		List<Map.Entry<RecordedEvent, WebhookEvent>> events = new ArrayList<>();
		for (RecordedEvent event : change.events()) {
			WebhookEvent.of(event.type()).ifPresent((wanted) -> events.add(Map.entry(event, wanted)));
		}
		if (events.isEmpty()) {
			return;
		}
		List<Subscription> subscriptions = this.subscriptions.active()
			.stream()
			.filter((subscription) -> events.stream()
				.anyMatch((event) -> subscription.events().contains(event.getValue())))
			.toList();
		if (subscriptions.isEmpty()) {
			return;
		}
		IncidentView incident = this.incidents.get(change.incident());
		Map<String, String> labels = labels(incident);
		for (Map.Entry<RecordedEvent, WebhookEvent> event : events) {
			for (Subscription subscription : subscriptions) {
				if (subscription.wants(event.getValue(), labels)) {
					owe(incident, labels, event.getKey(), event.getValue(), subscription);
				}
			}
		}
	}

	private void owe(IncidentView incident, Map<String, String> labels, RecordedEvent event, WebhookEvent wanted,
			Subscription subscription) {
		long incidentId = incident.id().value();
		String key = "incident:%d:event:%d:webhook:%s".formatted(incidentId, event.id(), subscription.name());
		String body = this.json.writeValueAsString(body(key, incident, labels, event, wanted, subscription));
		Optional<Long> owed = this.store.owe(incidentId, key, subscription.name(), wanted.value(), event.id(), body,
				this.clock.instant());
		owed.ifPresent((id) -> WebhookJobs.schedule(this.scheduler, id, this.clock.instant()));
	}

	/** What the receiver gets: the event, and the incident as it stands now. */
	private Map<String, Object> body(String key, IncidentView incident, Map<String, String> labels, RecordedEvent event,
			WebhookEvent wanted, Subscription subscription) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", key);
		body.put("event", wanted.value());
		body.put("subscription", subscription.name());
		body.put("occurredAt", event.occurredAt().toString());
		body.put("actor", event.actor().toString());
		body.put("summary", event.summary());
		body.put("details", event.details());
		Map<String, Object> about = new LinkedHashMap<>();
		long id = incident.id().value();
		about.put("id", id);
		about.put("ref", incident.id().toString());
		about.put("title", incident.title());
		about.put("status", lower(incident.status()));
		about.put("severity", lower(incident.severity()));
		about.put("service", incident.service());
		about.put("team", incident.team());
		about.put("labels", labels);
		about.put("milestones", milestones(incident.milestones()));
		about.put("url", consoleUrl(id));
		about.put("api", "/api/v1/incidents/" + id);
		body.put("incident", about);
		return body;
	}

	private static Map<String, Object> milestones(Milestones milestones) {
		Map<String, Object> shown = new LinkedHashMap<>();
		shown.put("impactStartedAt", text(milestones.impactStartedAt()));
		shown.put("detectedAt", text(milestones.detectedAt()));
		shown.put("acknowledgedAt", text(milestones.acknowledgedAt()));
		shown.put("acknowledgedBy",
				(milestones.acknowledgedBy() != null) ? milestones.acknowledgedBy().toString() : null);
		shown.put("mitigatedAt", text(milestones.mitigatedAt()));
		shown.put("resolvedAt", text(milestones.resolvedAt()));
		shown.put("resolvedBy", (milestones.resolvedBy() != null) ? milestones.resolvedBy().toString() : null);
		return shown;
	}

	/**
	 * The labels matchers see: the group's, then those all its alerts shared, as routes
	 * do.
	 */
	static Map<String, String> labels(IncidentView incident) {
		Map<String, String> labels = new LinkedHashMap<>(incident.groupLabels());
		labels.putAll(incident.commonLabels());
		return labels;
	}

	private String consoleUrl(long id) {
		if (this.notifications.consoleUrl() == null) {
			return null;
		}
		String base = this.notifications.consoleUrl().toString();
		return (base.endsWith("/") ? base : base + "/") + "incidents/" + id;
	}

	private static String lower(Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

}

package dev.warden.webhooks;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.warden.matching.LabelMatcher;

/**
 * Who wants to hear about which incident events, where, signed with which secret.
 *
 * @param name unique among all subscriptions, file and API alike; part of each delivery's
 * idempotency key
 * @param url where events are posted (http or https)
 * @param events the events it wants
 * @param matchers all must match the incident's labels (its group labels and the labels
 * its alerts share) for an event to be owed; none matches every incident
 * @param secret the HMAC-SHA256 key; never shown, logged or audited
 * @param timeout how long one attempt may take, or null for the configured default
 * @param source {@code file} or {@code api}
 */
record Subscription(String name, URI url, Set<WebhookEvent> events, List<LabelMatcher> matchers, String secret,
		Duration timeout, String source) {

	static final String FILE = "file";

	static final String API = "api";

	Subscription {
		events = Set.copyOf(events);
		matchers = List.copyOf(matchers);
	}

	/**
	 * Whether the event of an incident with these labels is owed to this subscription.
	 */
	boolean wants(WebhookEvent event, Map<String, String> labels) {
		return this.events.contains(event) && this.matchers.stream().allMatch((matcher) -> matcher.matches(labels));
	}

	/** The URL for people: without its query, which may hold a credential. */
	String shownUrl() {
		return SubscriptionRules.shown(this.url);
	}

	/** Never the secret: records print every component. */
	@Override
	public String toString() {
		return "Subscription[name=%s, url=%s, events=%s, matchers=%s, source=%s]".formatted(this.name, shownUrl(),
				this.events, this.matchers, this.source);
	}

}

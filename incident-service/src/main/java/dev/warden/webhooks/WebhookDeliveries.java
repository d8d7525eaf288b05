package dev.warden.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.incidents.Actor;
import dev.warden.incidents.Durations;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;
import dev.warden.jobs.Backoff;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers owed events, one attempt per job run, and decides after a failure whether and
 * when to try again: a transient failure is retried with capped exponential backoff (or
 * after the receiver's {@code Retry-After}, capped the same way) until the horizon,
 * {@link WebhookSettings#giveUpAfter()} after the event was owed; a permanent one fails
 * at once. Every attempt is recorded; the end (delivered or failed) goes on the
 * incident's timeline and into the metrics.
 */
@Component
class WebhookDeliveries {

	static final TimelineEventType DELIVERED = TimelineEventType.quiet("webhook.delivered");

	static final TimelineEventType FAILED = TimelineEventType.quiet("webhook.failed");

	private static final Logger log = LoggerFactory.getLogger(WebhookDeliveries.class);

	private final DeliveryStore store;

	private final Subscriptions subscriptions;

	private final WebhookSender sender;

	private final IncidentService incidents;

	private final WebhookSettings settings;

	private final MeterRegistry meters;

	private final Clock clock;

	private final TransactionTemplate transactions;

	WebhookDeliveries(DeliveryStore store, Subscriptions subscriptions, WebhookSender sender, IncidentService incidents,
			WebhookSettings settings, MeterRegistry meters, Clock clock,
			PlatformTransactionManager transactionManager) {
		this.store = store;
		this.subscriptions = subscriptions;
		this.sender = sender;
		this.incidents = incidents;
		this.settings = settings;
		this.meters = meters;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * One attempt.
	 * @return when to try again (from now), or empty when the delivery is done:
	 * delivered, failed, or gone
	 */
	Optional<Duration> deliver(long deliveryId) {
		PendingDelivery delivery = this.store.find(deliveryId).orElse(null);
		if (delivery == null || !delivery.pending()) {
			return Optional.empty();
		}
		Subscription subscription = this.subscriptions.find(delivery.subscription()).orElse(null);
		if (subscription == null) {
			fail(delivery, delivery.attempts(), "the subscription " + delivery.subscription() + " no longer exists",
					true, null);
			return Optional.empty();
		}
		int attempt = delivery.attempts() + 1;
		Instant at = this.clock.instant();
		long started = System.nanoTime();
		WebhookSender.Answer answer = this.sender.post(subscription, delivery, at);
		long took = Duration.ofNanos(System.nanoTime() - started).toMillis();
		String url = subscription.shownUrl();
		if (answer.kind() == WebhookSender.Kind.DELIVERED) {
			this.transactions.executeWithoutResult((status) -> {
				this.store.attempted(delivery.id(), attempt, at, url, answer.status(), null, took);
				this.store.markDelivered(delivery.id(), attempt, this.clock.instant());
				this.incidents.record(new IncidentId(delivery.incidentId()),
						new TimelineEntry(DELIVERED, Actor.SYSTEM,
								"Webhook %s (%s) delivered to %s (attempt %d, HTTP %d)".formatted(
										delivery.subscription(), delivery.event(), url, attempt, answer.status()),
								details(delivery, attempt, answer)));
			});
			count(delivery, "delivered");
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		Instant horizon = delivery.createdAt().plus(this.settings.giveUpAfter());
		if (answer.kind() == WebhookSender.Kind.PERMANENT || !now.isBefore(horizon)) {
			String why = (answer.kind() == WebhookSender.Kind.PERMANENT) ? answer.error()
					: "gave up after %s and %d attempt%s; last error: %s".formatted(
							Durations.words(Duration.between(delivery.createdAt(), now)), attempt,
							(attempt == 1) ? "" : "s", answer.error());
			fail(delivery, attempt, why, answer.kind() == WebhookSender.Kind.PERMANENT,
					() -> this.store.attempted(delivery.id(), attempt, at, url, answer.status(), answer.error(), took));
			return Optional.empty();
		}
		this.transactions.executeWithoutResult((status) -> {
			this.store.attempted(delivery.id(), attempt, at, url, answer.status(), answer.error(), took);
			this.store.markRetry(delivery.id(), attempt, answer.error());
		});
		count(delivery, "retried");
		// The last attempt is made at the horizon, not a backoff after it.
		Duration left = Duration.between(now, horizon);
		Duration backoff = answer.retryAfter()
			.map((asked) -> (asked.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : asked)
			.orElseGet(() -> backoff(attempt, this.settings.initialBackoff(), this.settings.maxBackoff()));
		Duration wait = (backoff.compareTo(left) > 0) ? left : backoff;
		log.info("Webhook {} ({}) for incident {}: attempt {} failed ({}); trying again in {}", delivery.subscription(),
				delivery.event(), new IncidentId(delivery.incidentId()), attempt, answer.error(), wait);
		return Optional.of(wait);
	}

	private void fail(PendingDelivery delivery, int attempts, String why, boolean permanent, Runnable attempted) {
		this.transactions.executeWithoutResult((status) -> {
			if (attempted != null) {
				attempted.run();
			}
			this.store.markFailed(delivery.id(), attempts, why, this.clock.instant());
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("delivery", delivery.id());
			details.put("subscription", delivery.subscription());
			details.put("event", delivery.event());
			details.put("attempts", attempts);
			details.put("reason", why);
			details.put("permanent", permanent);
			this.incidents.record(new IncidentId(delivery.incidentId()), new TimelineEntry(FAILED, Actor.SYSTEM,
					"Webhook %s (%s) failed: %s".formatted(delivery.subscription(), delivery.event(), why), details));
		});
		count(delivery, "failed");
		log.warn("Webhook {} ({}) for incident {} failed: {}", delivery.subscription(), delivery.event(),
				new IncidentId(delivery.incidentId()), why);
	}

	private static Map<String, Object> details(PendingDelivery delivery, int attempt, WebhookSender.Answer answer) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("delivery", delivery.id());
		details.put("subscription", delivery.subscription());
		details.put("event", delivery.event());
		details.put("attempts", attempt);
		details.put("status", answer.status());
		return details;
	}

	private void count(PendingDelivery delivery, String outcome) {
		this.meters.counter("warden.webhooks.deliveries", "subscription", delivery.subscription(), "outcome", outcome)
			.increment();
	}

	/** See {@link Backoff#capped}. */
	static Duration backoff(int attempt, Duration initialBackoff, Duration maxBackoff) {
		return Backoff.capped(attempt, initialBackoff, maxBackoff);
	}

}

package dev.warden.webhooks;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where file subscriptions come from and how deliveries are retried.
 *
 * @param file the webhook file (YAML); relative paths are resolved against the working
 * directory. When unset, only subscriptions made through the API exist
 * @param giveUpAfter how long a delivery is retried after transient failures (5xx, 408,
 * 429, timeouts, connection failures), counted from when it was owed; then it is marked
 * failed. Other answers fail it at once
 * @param initialBackoff the wait after the first failed attempt; it doubles per attempt,
 * with jitter
 * @param maxBackoff the longest wait between attempts
 * @param timeout how long one attempt may take (connecting, sending and the answer's
 * status), unless the subscription sets its own
 */
@ConfigurationProperties("warden.webhooks")
record WebhookSettings(Path file, @DefaultValue("24h") Duration giveUpAfter,
		@DefaultValue("2s") Duration initialBackoff, @DefaultValue("5m") Duration maxBackoff,
		@DefaultValue("10s") Duration timeout) {

	WebhookSettings {
		if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
			throw new IllegalArgumentException("warden.webhooks.give-up-after must be positive");
		}
		if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"warden.webhooks.initial-backoff must be positive and at most max-backoff");
		}
		if (timeout.compareTo(SubscriptionRules.MIN_TIMEOUT) < 0
				|| timeout.compareTo(SubscriptionRules.MAX_TIMEOUT) > 0) {
			throw new IllegalArgumentException("warden.webhooks.timeout must be from 100ms to 60s");
		}
	}

}

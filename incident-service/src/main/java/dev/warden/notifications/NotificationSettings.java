package dev.warden.notifications;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How notifications are delivered.
 *
 * @param giveUpAfter how long a message is retried after a transient failure (Slack 5xx,
 * 429, timeouts, connection errors, SMTP 4xx or no connection), counted from when it was
 * owed (or resent); a message still undelivered then is marked failed. Permanent failures
 * fail at once.
 * @param initialBackoff the wait after the first failed attempt; it doubles per attempt,
 * with jitter
 * @param maxBackoff the longest wait between attempts
 * @param consoleUrl Warden's address as people reach it, such as
 * {@code https://warden.example.com}, for links in messages; no links when unset
 */
@ConfigurationProperties("warden.notifications")
public record NotificationSettings(@DefaultValue("24h") Duration giveUpAfter,
		@DefaultValue("2s") Duration initialBackoff, @DefaultValue("5m") Duration maxBackoff, URI consoleUrl) {

	public NotificationSettings {
		if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
			throw new IllegalArgumentException("warden.notifications.give-up-after must be positive");
		}
		if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"warden.notifications.initial-backoff must be positive and at most max-backoff");
		}
	}

	/** The console page of an incident, or null without a console address. */
	String incidentUrl(long incidentId) {
		if (this.consoleUrl == null) {
			return null;
		}
		String base = this.consoleUrl.toString();
		return (base.endsWith("/") ? base : base + "/") + "incidents/" + incidentId;
	}

}

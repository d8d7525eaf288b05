package dev.warden.notifications;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How notifications are delivered.
 *
 * @param maxAttempts attempts per message before it is marked failed (Slack's 429 waits
 * count as attempts too)
 * @param initialBackoff the wait after the first failed attempt; it doubles per attempt,
 * with jitter
 * @param maxBackoff the longest wait between attempts
 * @param consoleUrl Warden's address as people reach it, such as
 * {@code https://warden.example.com}, for links in messages; no links when unset
 */
@ConfigurationProperties("warden.notifications")
public record NotificationSettings(@DefaultValue("8") int maxAttempts, @DefaultValue("2s") Duration initialBackoff,
		@DefaultValue("5m") Duration maxBackoff, URI consoleUrl) {

	public NotificationSettings {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("warden.notifications.max-attempts must be at least 1");
		}
		if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
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

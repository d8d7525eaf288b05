package dev.warden.routing;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * How Warden reaches Alertmanager's API (v2) to keep silences in step with it. Without a
 * URL nothing is copied: silences hold inside Warden only, as they always did.
 *
 * @param url Alertmanager's address, such as {@code http://alertmanager:9093} (its
 * {@code --web.route-prefix}, if any, included); none turns the copying off
 * @param bearerToken token sent as {@code Authorization: Bearer} (a proxy in front of
 * Alertmanager); empty means none
 * @param basicUsername user name for basic auth; empty means none
 * @param basicPassword password for basic auth
 * @param timeout how long one request that copies or expires a silence may take
 * @param listTimeout how long the silences page and API wait for Alertmanager's own
 * silences before saying it is unreachable
 * @param initialBackoff the wait after the first failed attempt to copy or expire; it
 * doubles per attempt, with jitter
 * @param maxBackoff the longest wait between attempts
 */
@ConfigurationProperties("warden.alertmanager.api")
record AlertmanagerApiSettings(URI url, String bearerToken, String basicUsername, String basicPassword,
		@DefaultValue("5s") Duration timeout, @DefaultValue("2s") Duration listTimeout,
		@DefaultValue("2s") Duration initialBackoff, @DefaultValue("5m") Duration maxBackoff) {

	AlertmanagerApiSettings {
		if (url != null && (url.getScheme() == null || !url.getScheme().matches("https?") || url.getHost() == null)) {
			throw new IllegalArgumentException(
					"warden.alertmanager.api.url must be an http or https address, like http://alertmanager:9093");
		}
		if (StringUtils.hasText(basicUsername) != StringUtils.hasText(basicPassword)) {
			throw new IllegalArgumentException(
					"warden.alertmanager.api.basic-username and basic-password must be set together");
		}
		if (StringUtils.hasText(bearerToken) && StringUtils.hasText(basicUsername)) {
			throw new IllegalArgumentException(
					"warden.alertmanager.api: set either bearer-token or basic-username and basic-password, not both");
		}
		if (timeout.isNegative() || timeout.isZero() || listTimeout.isNegative() || listTimeout.isZero()) {
			throw new IllegalArgumentException("warden.alertmanager.api.timeout and list-timeout must be positive");
		}
		if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
			throw new IllegalArgumentException(
					"warden.alertmanager.api.initial-backoff must be positive and at most max-backoff");
		}
	}

	/** Whether silences are copied to Alertmanager at all. */
	boolean configured() {
		return this.url != null;
	}

}

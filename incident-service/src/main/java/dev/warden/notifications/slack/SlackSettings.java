package dev.warden.notifications.slack;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;

/**
 * How Warden talks to Slack.
 *
 * @param botToken the bot token ({@code xoxb-...}); empty disables Slack
 * @param signingSecret the app's signing secret, to verify requests Slack sends to Warden
 * @param methodsUrl the Web API's base URL, ending with a slash
 * @param timeout how long to wait to connect to Slack, to send a request and for each
 * read of its answer
 * @param channelInterval the least time between two messages posted to one channel, by
 * this instance; Slack allows about one per second
 */
@ConfigurationProperties("warden.slack")
public record SlackSettings(String botToken, String signingSecret, @DefaultValue(DEFAULT_METHODS_URL) URI methodsUrl,
		@DefaultValue(DEFAULT_TIMEOUT) Duration timeout,
		@DefaultValue(DEFAULT_CHANNEL_INTERVAL) Duration channelInterval) {

	static final String DEFAULT_METHODS_URL = "https://slack.com/api/";

	static final String DEFAULT_TIMEOUT = "10s";

	static final String DEFAULT_CHANNEL_INTERVAL = "1s";

	/**
	 * Applies the defaults to missing values too, so that settings built in code behave
	 * like bound ones.
	 */
	public SlackSettings {
		botToken = (botToken != null) ? botToken.strip() : null;
		methodsUrl = (methodsUrl != null) ? withTrailingSlash(methodsUrl) : URI.create(DEFAULT_METHODS_URL);
		timeout = (timeout != null) ? timeout : DurationStyle.detectAndParse(DEFAULT_TIMEOUT);
		channelInterval = (channelInterval != null) ? channelInterval
				: DurationStyle.detectAndParse(DEFAULT_CHANNEL_INTERVAL);
		if (!timeout.isPositive()) {
			throw new IllegalArgumentException("warden.slack.timeout must be positive, not " + timeout);
		}
		if (channelInterval.isNegative()) {
			throw new IllegalArgumentException(
					"warden.slack.channel-interval must not be negative, not " + channelInterval);
		}
	}

	/** Whether Slack is configured: without a bot token nothing is sent. */
	public boolean enabled() {
		return this.botToken != null && !this.botToken.isEmpty();
	}

	private static URI withTrailingSlash(URI uri) {
		String value = uri.toString();
		return value.endsWith("/") ? uri : URI.create(value + "/");
	}

	/** Keeps the token and secret out of logs. */
	@Override
	public String toString() {
		return "SlackSettings[botToken=" + mask(this.botToken) + ", signingSecret=" + mask(this.signingSecret)
				+ ", methodsUrl=" + this.methodsUrl + ", timeout=" + this.timeout + ", channelInterval="
				+ this.channelInterval + "]";
	}

	private static String mask(String secret) {
		return (secret == null || secret.isBlank()) ? "(none)" : "(set)";
	}

}

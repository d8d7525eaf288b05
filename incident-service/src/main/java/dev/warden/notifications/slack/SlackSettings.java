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
 * @param channelInterval the steady pace of messages posted to one channel, by all
 * instances together (the pace lives in PostgreSQL): one per interval on average; Slack
 * allows about one per second
 * @param channelBurst how many messages a channel that has been quiet may take at once;
 * Slack allows short bursts but publishes no size
 * @param replyBurst how much of the burst posts other than a new incident's first message
 * may use (thread replies); the rest is kept for pages
 * @param updatesPerMinute the pace of {@code chat.update} for the workspace (Slack's Tier
 * 3: 50+ per minute), with bursts of 10; updates are not held to the channel's posting
 * pace
 */
@ConfigurationProperties("warden.slack")
public record SlackSettings(String botToken, String signingSecret, @DefaultValue(DEFAULT_METHODS_URL) URI methodsUrl,
		@DefaultValue(DEFAULT_TIMEOUT) Duration timeout,
		@DefaultValue(DEFAULT_CHANNEL_INTERVAL) Duration channelInterval,
		@DefaultValue(DEFAULT_CHANNEL_BURST) Integer channelBurst,
		@DefaultValue(DEFAULT_REPLY_BURST) Integer replyBurst,
		@DefaultValue(DEFAULT_UPDATES_PER_MINUTE) Integer updatesPerMinute) {

	static final String DEFAULT_METHODS_URL = "https://slack.com/api/";

	static final String DEFAULT_TIMEOUT = "10s";

	static final String DEFAULT_CHANNEL_INTERVAL = "1s";

	static final String DEFAULT_CHANNEL_BURST = "10";

	static final String DEFAULT_REPLY_BURST = "3";

	static final String DEFAULT_UPDATES_PER_MINUTE = "50";

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
		channelBurst = (channelBurst != null) ? channelBurst : Integer.valueOf(DEFAULT_CHANNEL_BURST);
		replyBurst = (replyBurst != null) ? replyBurst : Integer.valueOf(DEFAULT_REPLY_BURST);
		updatesPerMinute = (updatesPerMinute != null) ? updatesPerMinute : Integer.valueOf(DEFAULT_UPDATES_PER_MINUTE);
		if (channelInterval.isNegative()) {
			throw new IllegalArgumentException(
					"warden.slack.channel-interval must not be negative, not " + channelInterval);
		}
		if (channelBurst < 1) {
			throw new IllegalArgumentException("warden.slack.channel-burst must be at least 1, not " + channelBurst);
		}
		if (replyBurst < 1 || replyBurst > channelBurst) {
			throw new IllegalArgumentException("warden.slack.reply-burst must be between 1 and channel-burst ("
					+ channelBurst + "), not " + replyBurst);
		}
		if (updatesPerMinute < 1) {
			throw new IllegalArgumentException(
					"warden.slack.updates-per-minute must be at least 1, not " + updatesPerMinute);
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
				+ this.channelInterval + ", channelBurst=" + this.channelBurst + ", replyBurst=" + this.replyBurst
				+ ", updatesPerMinute=" + this.updatesPerMinute + "]";
	}

	private static String mask(String secret) {
		return (secret == null || secret.isBlank()) ? "(none)" : "(set)";
	}

}

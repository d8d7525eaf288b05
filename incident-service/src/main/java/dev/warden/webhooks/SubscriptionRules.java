package dev.warden.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.warden.matching.LabelMatcher;

/**
 * What a subscription must be, the same for the webhook file and the API: each check
 * throws {@link InvalidSubscription} with the reason, for people.
 */
final class SubscriptionRules {

	/** Lower-case, so that a name reads the same in a path, a key and a log line. */
	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	/** Names the API's paths take for themselves. */
	static final Set<String> RESERVED = Set.of("reload");

	/**
	 * The environment variables a file subscription may take its secret from: only those
	 * meant for it, so that the file cannot sign with another credential.
	 */
	static final Pattern SECRET_ENV = Pattern.compile("WARDEN_WEBHOOK_[A-Z0-9_]{1,100}");

	static final int MIN_SECRET = 16;

	static final int MAX_SECRET = 512;

	static final int MAX_URL = 2000;

	static final int MAX_MATCHERS = 20;

	static final Duration MIN_TIMEOUT = Duration.ofMillis(100);

	static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(ms|s|m)");

	private SubscriptionRules() {
	}

	static String name(String name) {
		if (name == null || name.isBlank()) {
			throw new InvalidSubscription("name is missing; give the subscription a name like model-rollback");
		}
		String stripped = name.strip();
		if (!NAME.matcher(stripped).matches()) {
			throw new InvalidSubscription("name '" + stripped
					+ "' must be lower-case letters, digits, dots, dashes and underscores, at most 64 characters");
		}
		if (RESERVED.contains(stripped)) {
			throw new InvalidSubscription("name '" + stripped + "' is taken by the API; choose another");
		}
		return stripped;
	}

	/** An absolute http or https URL with a host, no credentials, no fragment. */
	static URI url(String text) {
		if (text == null || text.isBlank()) {
			throw new InvalidSubscription("url is missing; give the address to post events to, like "
					+ "https://ci.example.com/hooks/rollback");
		}
		String stripped = text.strip();
		if (stripped.length() > MAX_URL) {
			throw new InvalidSubscription("url is longer than " + MAX_URL + " characters");
		}
		URI url;
		try {
			url = new URI(stripped);
		}
		catch (URISyntaxException ex) {
			throw new InvalidSubscription("url '" + stripped + "' is not a URL: " + ex.getReason());
		}
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new InvalidSubscription(
					"url '" + shown(url) + "' must be http or https; Warden posts events over HTTP only");
		}
		if (url.getHost() == null || url.getHost().isBlank()) {
			throw new InvalidSubscription("url '" + shown(url) + "' has no host");
		}
		if (url.getRawUserInfo() != null) {
			throw new InvalidSubscription("url must not hold credentials (user:password@); the receiver checks the"
					+ " signature made with the subscription's secret instead");
		}
		if (url.getRawFragment() != null) {
			throw new InvalidSubscription("url must not have a fragment (#...)");
		}
		return url;
	}

	static Set<WebhookEvent> events(List<String> names) {
		if (names == null || names.isEmpty()) {
			throw new InvalidSubscription("events is missing; name one or more of " + WebhookEvent.names());
		}
		Set<WebhookEvent> events = EnumSet.noneOf(WebhookEvent.class);
		for (String name : names) {
			events.add(WebhookEvent.parse(name));
		}
		return events;
	}

	static List<LabelMatcher> matchers(List<String> texts) {
		if (texts == null) {
			return List.of();
		}
		if (texts.size() > MAX_MATCHERS) {
			throw new InvalidSubscription("match has " + texts.size() + " matchers; at most " + MAX_MATCHERS);
		}
		List<LabelMatcher> matchers = new ArrayList<>();
		for (String text : texts) {
			try {
				matchers.add(LabelMatcher.parse(text));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSubscription("match: " + ex.getMessage());
			}
		}
		return matchers;
	}

	static String secret(String secret, String where) {
		if (secret == null || secret.isEmpty()) {
			throw new InvalidSubscription(where + " is missing; every subscription signs its deliveries");
		}
		if (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
			throw new InvalidSubscription(where + " must be " + MIN_SECRET + " to " + MAX_SECRET
					+ " characters long (for example: openssl rand -hex 32)");
		}
		if (secret.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidSubscription(where + " must not contain control characters");
		}
		return secret;
	}

	/**
	 * A timeout like {@code 500ms}, {@code 5s} or {@code 1m}, from 100ms to 60s; null for
	 * the default.
	 */
	static Duration timeout(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		Matcher matcher = DURATION.matcher(text.strip());
		if (!matcher.matches()) {
			throw new InvalidSubscription(
					"timeout '" + text + "' is not a duration; write a whole number and a unit, like 500ms, 5s or 1m");
		}
		long amount = Long.parseLong(matcher.group(1));
		Duration timeout = switch (matcher.group(2)) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			default -> Duration.ofMinutes(amount);
		};
		if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
			throw new InvalidSubscription("timeout '" + text + "' must be from 100ms to 60s");
		}
		return timeout;
	}

	/** A URL for people and logs: scheme, host, port and path, never its query. */
	static String shown(URI url) {
		String scheme = (url.getScheme() != null) ? url.getScheme() + "://" : "";
		String host = (url.getHost() != null) ? url.getHost() : "";
		String port = (url.getPort() >= 0) ? ":" + url.getPort() : "";
		String path = (url.getRawPath() != null) ? url.getRawPath() : "";
		return scheme + host + port + path + ((url.getRawQuery() != null) ? "?…" : "");
	}

}

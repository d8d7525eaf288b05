package dev.warden.webhooks;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.warden.access.Audit;
import dev.warden.matching.LabelMatcher;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every subscription: the webhook file's and those admins made through the API (table
 * {@code webhook_subscription}), under one namespace of names. The API cannot take a name
 * the file uses; should the file later declare a name the API holds, the file's
 * subscription is used and the API's is listed as shadowed.
 */
@Component
class Subscriptions {

	private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
	};

	private static final String COLUMNS = "name, url, events::text, matchers::text, secret, timeout_ms, created_by, created_at";

	private final SubscriptionFile file;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Audit audit;

	private final Clock clock;

	private final TransactionTemplate transactions;

	Subscriptions(SubscriptionFile file, JdbcClient jdbc, JsonMapper json, Audit audit, Clock clock,
			PlatformTransactionManager transactionManager) {
		this.file = file;
		this.jdbc = jdbc;
		this.json = json;
		this.audit = audit;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/** The subscriptions in use: the file's first, then the API's it does not shadow. */
	List<Subscription> active() {
		List<Subscription> active = new ArrayList<>(this.file.all());
		for (Stored stored : stored()) {
			if (this.file.find(stored.subscription().name()).isEmpty()) {
				active.add(stored.subscription());
			}
		}
		return active;
	}

	/** The subscription in use under this name, if any. */
	Optional<Subscription> find(String name) {
		Optional<Subscription> inFile = this.file.find(name);
		if (inFile.isPresent()) {
			return inFile;
		}
		return this.jdbc.sql("select " + COLUMNS + " from webhook_subscription where name = ?")
			.param(name)
			.query(this::stored)
			.optional()
			.map(Stored::subscription);
	}

	/** What the API lists: every subscription, never a secret. */
	Listing list() {
		List<Listed> listed = new ArrayList<>();
		this.file.all().forEach((subscription) -> listed.add(Listed.of(subscription, null, null, false)));
		for (Stored stored : stored()) {
			listed.add(Listed.of(stored.subscription(), stored.createdBy(), stored.createdAt(),
					this.file.find(stored.subscription().name()).isPresent()));
		}
		return new Listing(this.file.source(), listed, this.file.problems());
	}

	/**
	 * Makes a subscription from the API's request, audited without its secret.
	 * @throws InvalidSubscription when any part is invalid; nothing is written
	 * @throws SubscriptionConflict when the name is taken
	 */
	Listed create(NewSubscription request, String by) {
		if (request == null) {
			throw new InvalidSubscription("The request body is empty; a JSON document is required");
		}
		String name = SubscriptionRules.name(request.name());
		URI url = SubscriptionRules.url(request.url());
		Set<WebhookEvent> events = SubscriptionRules.events(request.events());
		List<LabelMatcher> matchers = SubscriptionRules.matchers(request.match());
		String secret = SubscriptionRules.secret(request.secret(), "secret");
		Duration timeout = SubscriptionRules.timeout(request.timeout());
		if (this.file.find(name).isPresent()) {
			throw new SubscriptionConflict("The webhook file declares '" + name + "'; choose another name");
		}
		Subscription subscription = new Subscription(name, url, events, matchers, secret, timeout, Subscription.API);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		return this.transactions.execute((status) -> {
			int inserted = this.jdbc
				.sql("""
						insert into webhook_subscription (name, url, events, matchers, secret, timeout_ms, created_by, created_at)
						values (?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?)
						on conflict (name) do nothing""")
				.params(name, url.toString(), this.json.writeValueAsString(eventNames(subscription)),
						this.json.writeValueAsString(matcherTexts(subscription)), secret,
						(timeout != null) ? (int) timeout.toMillis() : null, by, Timestamp.from(now))
				.update();
			if (inserted == 0) {
				throw new SubscriptionConflict("A webhook subscription named '" + name + "' exists already");
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("url", subscription.shownUrl());
			details.put("events", eventNames(subscription));
			details.put("match", matcherTexts(subscription));
			this.audit.record("webhook.create", "webhook " + name, null, "active", details);
			return Listed.of(subscription, by, now, false);
		});
	}

	/**
	 * Deletes a subscription made through the API; its pending deliveries fail at their
	 * next attempt.
	 * @throws SubscriptionNotFound when none has the name
	 * @throws SubscriptionConflict when the file declares it
	 */
	void delete(String name) {
		this.transactions.executeWithoutResult((status) -> {
			int deleted = this.jdbc.sql("delete from webhook_subscription where name = ?").param(name).update();
			if (deleted == 0) {
				if (this.file.find(name).isPresent()) {
					throw new SubscriptionConflict(
							"'" + name + "' is declared in the webhook file; remove it there and restart");
				}
				throw new SubscriptionNotFound(name);
			}
			this.audit.record("webhook.delete", "webhook " + name, "active", "deleted");
		});
	}

	private List<Stored> stored() {
		return this.jdbc.sql("select " + COLUMNS + " from webhook_subscription order by created_at, name")
			.query(this::stored)
			.list();
	}

	private Stored stored(ResultSet row, int number) throws SQLException {
		Set<WebhookEvent> events = java.util.EnumSet.noneOf(WebhookEvent.class);
		this.json.readValue(row.getString(3), STRINGS).forEach((name) -> events.add(WebhookEvent.parse(name)));
		List<LabelMatcher> matchers = this.json.readValue(row.getString(4), STRINGS)
			.stream()
			.map(LabelMatcher::parse)
			.toList();
		int timeout = row.getInt(6);
		Duration timeoutOrNull = row.wasNull() ? null : Duration.ofMillis(timeout);
		Subscription subscription = new Subscription(row.getString(1), URI.create(row.getString(2)), events, matchers,
				row.getString(5), timeoutOrNull, Subscription.API);
		return new Stored(subscription, row.getString(7), row.getTimestamp(8).toInstant());
	}

	private static List<String> eventNames(Subscription subscription) {
		return subscription.events().stream().sorted().map(WebhookEvent::value).toList();
	}

	private static List<String> matcherTexts(Subscription subscription) {
		return subscription.matchers().stream().map(LabelMatcher::toString).toList();
	}

	private record Stored(Subscription subscription, String createdBy, Instant createdAt) {
	}

	/**
	 * A subscription to make through the API.
	 *
	 * @param name unique; lower-case letters, digits, dots, dashes, underscores
	 * @param url http or https
	 * @param events one or more of opened, acknowledged, mitigated, resolved, reopened,
	 * merged, runbook_finished
	 * @param match label matchers, all of which must match; none for every incident
	 * @param secret the HMAC-SHA256 key, 16 to 512 characters; never answered again
	 * @param timeout how long one attempt may take, like {@code 5s}; absent for the
	 * default
	 */
	record NewSubscription(String name, String url, List<String> events, List<String> match, String secret,
			String timeout) {

		@Override
		public String toString() {
			return "NewSubscription[name=" + this.name + "]";
		}

	}

	/**
	 * A subscription as the API lists it: never its secret.
	 *
	 * @param url without its query, which may hold a credential
	 * @param timeout like {@code PT5S}, or null for the default
	 * @param source {@code file} or {@code api}
	 * @param shadowed whether the file declares the same name, so this one is not used
	 */
	record Listed(String name, String url, List<String> events, List<String> match, String timeout, String source,
			String createdBy, Instant createdAt, boolean shadowed) {

		static Listed of(Subscription subscription, String createdBy, Instant createdAt, boolean shadowed) {
			return new Listed(subscription.name(), subscription.shownUrl(), eventNames(subscription),
					matcherTexts(subscription),
					(subscription.timeout() != null) ? subscription.timeout().toString() : null, subscription.source(),
					createdBy, createdAt, shadowed);
		}

	}

	/**
	 * Every subscription and the webhook file's problems.
	 *
	 * @param file the webhook file, or null when none is configured
	 * @param problems the file's problems; with any, none of its subscriptions is used
	 */
	record Listing(String file, List<Listed> subscriptions, List<String> problems) {
	}

}

package dev.warden.alerting;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.alerting.MutatedWebhooks.Request;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook's contract, as a property over thousands of bodies: whatever reaches it,
 * Warden answers 200, 400, 401, 413, 415 or 503 (so Alertmanager either stops or retries
 * something that can succeed), a refusal is an RFC 9457 problem, and a refused body
 * writes nothing. The bodies are Alertmanager's real captures mutated by
 * {@link MutatedWebhooks} and posted over real HTTP to a booted Warden, as Alertmanager
 * posts them.
 * <p>
 * {@code -Dwarden.fuzz.bodies} sets how many (default 5,000); {@code -Dwarden.fuzz.seed}
 * replays a run: a failure names its seed. Grafana's webhook gets the same, with bodies
 * in the shape Grafana documents ({@code -Dwarden.fuzz.grafana-bodies}, default 1,000).
 * Warden runs in a context of its own, so the thousands of incidents do not slow other
 * test classes.
 */
@IntegrationTest
@TestPropertySource(properties = "warden.test.context=webhook-fuzz")
class WebhookFuzzIntegrationTests {

	private static final Logger log = LoggerFactory.getLogger(WebhookFuzzIntegrationTests.class);

	private static final Set<Integer> CONTRACT = Set.of(200, 400, 401, 413, 415, 503);

	/** {@link IntegrationTest}'s {@code warden.alertmanager.max-body}. */
	private static final long LIMIT = 64 * 1024;

	/**
	 * How much of a refused body Tomcat still reads (its {@code maxSwallowSize}, 2 MB by
	 * default) before it closes the connection rather than read on.
	 */
	private static final long SWALLOWED = 2 * 1024 * 1024;

	private static final int EXAMPLES = 15;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	/**
	 * The footprint taken after the last body, when it was refused; null when the last
	 * body was not checked for writing nothing (taken in, or a 503).
	 */
	private Footprint unchangedSince;

	@Test
	void everyBodyIsAnsweredWithinTheContractAndARefusedOneWritesNothing() {
		fuzz(MutatedWebhooks.Source.ALERTMANAGER, WardenClient.WEBHOOK,
				Integer.getInteger("warden.fuzz.bodies", 5_000));
	}

	/**
	 * Grafana's webhook contact point, whose body is Alertmanager's with Grafana's
	 * additions, takes the same path after its own parsing: fewer bodies
	 * ({@code -Dwarden.fuzz.grafana-bodies}, default 1,000) cover what is its own.
	 */
	@Test
	void everyGrafanaBodyIsAnsweredWithinTheContractAndARefusedOneWritesNothing() {
		fuzz(MutatedWebhooks.Source.GRAFANA, GrafanaBodies.PATH,
				Integer.getInteger("warden.fuzz.grafana-bodies", 1_000));
	}

	private void fuzz(MutatedWebhooks.Source source, String path, int bodies) {
		this.unchangedSince = null;
		String seedProperty = System.getProperty("warden.fuzz.seed");
		long seed = (seedProperty != null) ? Long.decode(seedProperty) : new SecureRandom().nextLong();
		log.info("Posting {} mutated {} webhook bodies with seed {}", bodies, source.name(), seed);
		Footprint.index(this.jdbc);
		WardenClient warden = new WardenClient(this.port);
		MutatedWebhooks webhooks = new MutatedWebhooks(seed, LIMIT, source);
		Map<Integer, Integer> statuses = new TreeMap<>();
		List<String> failures = new ArrayList<>();
		long started = System.nanoTime();

		for (int i = 0; i < bodies; i++) {
			// Each webhook that writes moves "last alert" to a new instant, so a write is
			// seen even when it adds no row.
			this.clock.advance(Duration.ofMillis(1));
			Request request = webhooks.next(i);
			// The footprint after the previous body, when it was refused and so taken
			// already: this test is the only writer of what the footprint covers.
			Footprint before = (this.unchangedSince != null) ? this.unchangedSince : Footprint.of(this.jdbc);
			this.unchangedSince = null;
			Response response = send(warden, path, request);
			int status = (response != null) ? response.status() : -1;
			statuses.merge(status, 1, Integer::sum);
			String failure = (response != null) ? failure(warden, path, request, response, before)
					: noAnswer(request, before);
			if (failure != null) {
				failures.add(failure + " for " + request
						+ ((response != null) ? "\n  answer: " + MutatedWebhooks.escape(response.body(), 300) : ""));
			}
			else if (status == 200) {
				webhooks.accepted(request);
				if (i % 10 == 0) {
					// Alertmanager resends the same body (retries, HA peers,
					// repeat_interval).
					Response resent = send(warden, path, request);
					statuses.merge((resent != null) ? resent.status() : -1, 1, Integer::sum);
					if (resent == null || resent.status() != 200) {
						failures.add("resent, %s for %s%n  answer: %s".formatted(
								(resent != null) ? resent.status() : "no answer", request,
								(resent != null) ? MutatedWebhooks.escape(resent.body(), 300) : ""));
					}
				}
			}
		}

		Duration took = Duration.ofNanos(System.nanoTime() - started);
		int posted = statuses.values().stream().mapToInt(Integer::intValue).sum();
		log.info("Posted {} {} webhook bodies ({} generated) in {} s, by status {}; seed {}", posted, source.name(),
				bodies, took.toSeconds(), statuses, seed);
		assertThat(statuses.getOrDefault(200, 0)).as("bodies taken in").isGreaterThan(bodies / 10);
		assertThat(statuses.getOrDefault(400, 0)).as("bodies refused").isGreaterThan(bodies / 10);
		assertThat(failures)
			.as("%d of %d %s bodies broke the webhook's contract (by status %s); replay with -Dwarden.fuzz.seed=%d (and -Dwarden.fuzz.bodies=N or -Dwarden.fuzz.grafana-bodies=N to stop after #N-1); the first %d:%n%s",
					failures.size(), bodies, source.name(), statuses, seed, Math.min(EXAMPLES, failures.size()),
					String.join("\n", failures.subList(0, Math.min(EXAMPLES, failures.size()))))
			.isEmpty();
	}

	/** What is wrong with the answer, or null when it keeps the contract. */
	/**
	 * Why no answer breaks the contract, or null when it does not: a body sent without a
	 * length that runs far past the limit is refused while it streams in, and the server
	 * then closes the connection instead of reading megabytes more, so the client may
	 * lose the 413 (curl and Go's client usually show it, Java's loses it to the reset).
	 * Nothing may have been written.
	 */
	private String noAnswer(Request request, Footprint before) {
		if (!request.chunked() || request.body().length <= LIMIT + SWALLOWED) {
			return "no answer";
		}
		Footprint after = Footprint.of(this.jdbc);
		this.unchangedSince = after;
		return after.equals(before) ? null : "no answer, and the database changed for a body far over the limit";
	}

	private String failure(WardenClient warden, String path, Request request, Response response, Footprint before) {
		int status = response.status();
		if (!CONTRACT.contains(status)) {
			return "status " + status;
		}
		if (!request.authenticated()) {
			return (status != 401) ? status + " without valid credentials" : refusal(response, before);
		}
		if (request.body().length > LIMIT && !request.chunked() && status != 413) {
			return status + " for a body over the limit";
		}
		if (request.plain() && status != 200) {
			return status + " for a real capture";
		}
		if (status == 503) {
			// The database is up throughout: a 503 that persists is bad input called
			// transient trouble, which Alertmanager would retry for ever.
			return retriedUntilNot503(warden, path, request) ? null : "503 again and again";
		}
		if (status == 200) {
			JsonNode receipt = response.json();
			return (receipt.path("incident").asLong(0) > 0) ? null : "200 without a receipt";
		}
		return refusal(response, before);
	}

	private String refusal(Response response, Footprint before) {
		Footprint after = Footprint.of(this.jdbc);
		this.unchangedSince = after;
		if (!after.equals(before)) {
			return response.status() + " but the database changed from " + before + " to " + after;
		}
		if (!response.contentType().startsWith("application/problem+json")) {
			return response.status() + " without a problem body";
		}
		try {
			JsonNode problem = response.json();
			if (problem.path("status").asInt() != response.status() || problem.path("detail").asString("").isBlank()) {
				return response.status() + " with a problem lacking status or detail";
			}
		}
		catch (RuntimeException ex) {
			return response.status() + " with an unreadable problem body";
		}
		return null;
	}

	private boolean retriedUntilNot503(WardenClient warden, String path, Request request) {
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				Thread.sleep(1_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			Response retry = send(warden, path, request);
			if (retry != null && retry.status() != 503) {
				return true;
			}
		}
		return false;
	}

	private static Response send(WardenClient warden, String path, Request request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder().header("User-Agent", "Alertmanager/0.25.0");
		if (request.authorization() != null) {
			builder.header("Authorization", request.authorization());
		}
		if (request.contentType() != null) {
			builder.header("Content-Type", request.contentType());
		}
		byte[] body = request.body();
		builder.POST(request.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
				: HttpRequest.BodyPublishers.ofByteArray(body));
		try {
			return warden.send(builder.uri(warden.uri(path)));
		}
		catch (UncheckedIOException ex) {
			log.warn("No answer to {}", request, ex);
			return null;
		}
	}

	/**
	 * What the webhook writes, cheaply: the rows it adds and the instants it moves, and
	 * the heartbeat rows (pings, a started clock). Background jobs (notifications,
	 * escalations, runbooks) write other things.
	 * <p>
	 * A row added shows as a larger greatest id, read from the primary key's index rather
	 * than counted over tables that grow with every body: an incident's id comes from its
	 * identity column as it is inserted, so a new incident has the largest; the alerts
	 * and events of an incident that exists draw their ids from the sequences under its
	 * lock, larger than any handed out before; those of a new incident may come from a
	 * block drawn earlier, below the largest (see the README, "Ids of alerts and timeline
	 * events"), but come with the new incident's larger id. Warden deletes no incident,
	 * alert, timeline event or heartbeat, so no row can go unnoticed; the heartbeat rows
	 * are compared whole.
	 */
	record Footprint(Long incidents, Long alerts, Long events, String lastAlertAt, String lastSeenAt,
			String heartbeats) {

		/**
		 * Indexes for the footprint's two maxima, in this class's own database: without
		 * them each footprint reads every incident and alert, tables that grow with every
		 * body (half of PostgreSQL's work in this test, and a third of its time). Warden
		 * has no query that needs them; an index changes what its writes cost, not what
		 * they write.
		 */
		static void index(JdbcClient jdbc) {
			jdbc.sql("create index if not exists fuzz_footprint_last_alert on incident (last_alert_at)").update();
			jdbc.sql("create index if not exists fuzz_footprint_last_seen on alert (last_seen_at)").update();
		}

		static Footprint of(JdbcClient jdbc) {
			return jdbc.sql("""
					select (select max(id) from incident) as incidents,
					       (select max(id) from alert) as alerts,
					       (select max(id) from timeline_event
					        where type like 'alert.%' or type in ('incident.opened', 'incident.reopened')) as events,
					       (select max(last_alert_at)::text from incident) as last_alert_at,
					       (select max(last_seen_at)::text from alert) as last_seen_at,
					       (select string_agg(h::text, ',' order by name) from heartbeat h) as heartbeats""")
				.query(Footprint.class)
				.single();
		}

	}

}

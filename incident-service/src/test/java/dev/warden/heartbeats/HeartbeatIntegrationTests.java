package dev.warden.heartbeats;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Heartbeats over real HTTP against a booted Warden on real PostgreSQL: a heartbeat on
 * time opens nothing; one silent beyond its interval and grace opens exactly one incident
 * (however often and however concurrently the check runs), routed like any other; its
 * next ping resolves it. Unknown names are 404, other scopes 403; the Watchdog alert is a
 * heartbeat, never an incident.
 */
@IntegrationTest
@TestPropertySource(properties = { HeartbeatIntegrationTests.CONTEXT, HeartbeatIntegrationTests.FILE,
		HeartbeatIntegrationTests.ADMIN_NAME, HeartbeatIntegrationTests.ADMIN_PASSWORD })
public class HeartbeatIntegrationTests {

	/** The properties of this context, shared with the console's heartbeat page test. */
	public static final String CONTEXT = "warden.test.context=heartbeats";

	public static final String FILE = "warden.heartbeats.file=src/test/resources/heartbeats/test-heartbeats.yaml";

	public static final String ADMIN_NAME = "warden.console.admin.username=heartbeats-admin";

	public static final String ADMIN_PASSWORD = "warden.console.admin.password=heartbeats-password-0123";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Heartbeats heartbeats;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void heartbeatOnTimeOrWithinGraceOpensNoIncident() {
		String token = token("heartbeat");

		Response first = ping("on-time", token);
		this.clock.advance(Duration.ofMinutes(9));
		ping("on-time", token);
		this.clock.advance(Duration.ofMinutes(9));
		this.heartbeats.check();
		JsonNode up = heartbeat("on-time");
		this.clock.advance(Duration.ofMinutes(5));
		this.heartbeats.check();
		JsonNode late = heartbeat("on-time");

		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.json().get("name").asString()).isEqualTo("on-time");
		assertThat(up.get("state").asString()).isEqualTo("up");
		assertThat(late.get("state").asString()).as("past the interval, within the grace").isEqualTo("late");
		assertThat(late.get("incident").isNull()).isTrue();
		assertThat(incidentsOf("on-time")).isEmpty();
		ping("on-time", token);
		assertThat(heartbeat("on-time").get("state").asString()).isEqualTo("up");
	}

	@Test
	void silenceBeyondIntervalAndGraceOpensOneIncidentAndThePingResolvesIt() throws Exception {
		String token = token("heartbeat");
		Instant lastSeen = this.clock.instant();
		ping("nightly-retraining", token);
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));

		// Several instances' checks at once, and again: one incident.
		concurrently(8, () -> this.heartbeats.check());
		this.heartbeats.check();
		this.clock.advance(Duration.ofMinutes(30));
		this.heartbeats.check();

		List<Long> incidents = incidentsOf("nightly-retraining");
		assertThat(incidents).hasSize(1);
		long incident = incidents.getFirst();
		JsonNode silent = heartbeat("nightly-retraining");
		assertThat(silent.get("state").asString()).isEqualTo("silent");
		assertThat(silent.get("incident").asString()).isEqualTo("/api/v1/incidents/" + incident);
		JsonNode opening = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.warden.get("/api/v1/incidents/" + incident).json(),
					(json) -> types(json).contains("incident.routed"));
		assertThat(opening.get("title").asString())
			.isEqualTo("Heartbeat nightly-retraining is silent: last seen at " + lastSeen);
		assertThat(opening.get("status").asString()).isEqualTo("triggered");
		// Routed like any other incident: the shipped routing's model-quality route takes
		// service ai-model and sets its severity to warning.
		assertThat(opening.get("severity").asString()).isEqualTo("warning");
		assertThat(opening.get("service").asString()).isEqualTo("ai-model");
		assertThat(opening.get("team").asString()).isEqualTo("ml-research");
		assertThat(types(opening)).containsSubsequence("incident.opened", "alert.fired", "heartbeat.silent");
		assertThat(types(opening).stream().filter("incident.opened"::equals).count()).isOne();
		assertThat(types(opening).stream().filter("heartbeat.silent"::equals).count()).as("opened once").isOne();

		Response back = ping("nightly-retraining", token);

		assertThat(back.status()).as(back.toString()).isEqualTo(200);
		JsonNode resolved = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(resolved.get("status").asString()).isEqualTo("resolved");
		assertThat(types(resolved)).containsSubsequence("heartbeat.silent", "heartbeat.returned", "alert.resolved",
				"incident.resolved");
		assertThat(heartbeat("nightly-retraining").get("state").asString()).isEqualTo("up");
		assertThat(heartbeat("nightly-retraining").get("incident").isNull()).isTrue();
		this.heartbeats.check();
		assertThat(incidentsOf("nightly-retraining")).hasSize(1);
	}

	@Test
	void theRecurringCheckOpensTheIncidentByItself() {
		ping("scheduled", token("heartbeat"));

		this.clock.advance(Duration.ofMinutes(16));

		List<Long> incidents = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> incidentsOf("scheduled"), (found) -> !found.isEmpty());
		assertThat(incidents).hasSize(1);
	}

	@Test
	void unknownHeartbeatIs404AndWritesNothing() {
		String token = token("heartbeat");
		long rows = count();

		Response unknown = ping("no-such-heartbeat", token);
		Response otherCase = ping("Nightly-Retraining", token);

		assertThat(List.of(unknown, otherCase)).allSatisfy((response) -> {
			assertThat(response.status()).as(response.toString()).isEqualTo(404);
			assertThat(response.contentType()).startsWith("application/problem+json");
		});
		assertThat(unknown.json().get("detail").asString()).contains("no heartbeat 'no-such-heartbeat'");
		assertThat(count()).isEqualTo(rows);
		assertThat(this.warden.get("/api/v1/heartbeats/no-such-heartbeat").status()).isEqualTo(404);
	}

	@Test
	void onlyHeartbeatAndAdminTokensSendHeartbeatsAndHeartbeatTokensReadNothing() {
		String heartbeat = token("heartbeat");
		long rows = count();

		for (String scope : List.of("read", "respond", "automate")) {
			Response refused = ping("console-never", token(scope));
			assertThat(refused.status()).as(scope + ": " + refused).isEqualTo(403);
			assertThat(refused.contentType()).startsWith("application/problem+json");
			assertThat(refused.json().get("requiredScope").asString()).isEqualTo("heartbeat");
		}
		Response anonymous = this.warden
			.send(HttpRequest.newBuilder(this.warden.uri("/api/v1/heartbeats/console-never")).POST(noBody()));
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(count()).as("nothing recorded").isEqualTo(rows);
		for (String path : List.of("/api/v1/heartbeats", "/api/v1/incidents", "/api/v1/heartbeats/console-never")) {
			Response reading = send("GET", path, heartbeat);
			assertThat(reading.status()).as(path + ": " + reading).isEqualTo(403);
			assertThat(reading.json().get("requiredScope").asString()).isEqualTo("read");
		}
		assertThat(send("POST", "/api/v1/heartbeats/reload", heartbeat).status()).isEqualTo(403);
	}

	@Test
	void watchdogAlertIsAHeartbeatNotAnIncident() {
		Instant now = this.clock.instant();
		Payloads.Group group = Payloads.group();

		Response watchdog = this.warden.webhook(watchdog(group.json(), "firing", now));
		JsonNode seen = heartbeat("watchdog-test");
		this.clock.advance(Duration.ofSeconds(30));
		Response resolved = this.warden.webhook(watchdog(group.json(), "resolved", now));
		JsonNode afterResolved = heartbeat("watchdog-test");
		// A Watchdog in a group with a real alert: the real one opens its incident alone.
		String fingerprint = "fp-" + UUID.randomUUID();
		Response mixed = this.warden.webhook(watchdog(group.firing(fingerprint, now).json(), "firing", now));

		assertThat(watchdog.status()).as(watchdog.toString()).isEqualTo(200);
		assertThat(watchdog.json().get("outcome").asString()).isEqualTo("heartbeat");
		assertThat(watchdog.json().get("heartbeatAlerts").asInt()).isOne();
		assertThat(watchdog.json().get("incident").isNull()).isTrue();
		assertThat(seen.get("lastSeenAt").asString()).isEqualTo(now.toString());
		assertThat(seen.get("lastSeenBy").asString()).isEqualTo("alertmanager");
		assertThat(resolved.status()).isEqualTo(200);
		assertThat(afterResolved.get("lastSeenAt").asString()).as("a resolved Watchdog pings nothing")
			.isEqualTo(now.toString());
		assertThat(mixed.status()).as(mixed.toString()).isEqualTo(200);
		assertThat(mixed.json().get("outcome").asString()).isEqualTo("opened");
		assertThat(mixed.json().get("heartbeatAlerts").asInt()).isOne();
		JsonNode incident = this.warden.get("/api/v1/incidents/" + mixed.json().get("incident").asLong()).json();
		assertThat(incident.get("alerts").valueStream().map((alert) -> alert.get("fingerprint").asString()))
			.containsExactly(fingerprint);
		assertThat(this.jdbc.sql("select count(*) from alert where alert_name = 'Watchdog'").query(Long.class).single())
			.isZero();
		assertThat(heartbeat("watchdog-test").get("lastSeenAt").asString()).isEqualTo(now.plusSeconds(30).toString());
	}

	@Test
	void listsEveryHeartbeatWithLastSeenAndStateAndReloadsAudited() {
		Response list = this.warden.get("/api/v1/heartbeats");

		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().get("source").asString()).endsWith("test-heartbeats.yaml");
		assertThat(list.json().get("problems").isEmpty()).isTrue();
		assertThat(list.json().get("heartbeats").valueStream().map((each) -> each.get("name").asString()))
			.containsExactly("on-time", "nightly-retraining", "scheduled", "watchdog-test", "console-shown",
					"console-never");
		JsonNode never = heartbeat("console-never");
		assertThat(never.get("state").asString()).isEqualTo("never_seen");
		assertThat(never.get("lastSeenAt").isNull()).isTrue();
		assertThat(never.get("interval").asString()).isEqualTo("1h");
		assertThat(never.get("grace").asString()).isEqualTo("0s");
		JsonNode watchdog = heartbeat("watchdog-test");
		assertThat(watchdog.get("alert").toString())
			.isEqualTo("[\"alertname=\\\"Watchdog\\\"\",\"env=\\\"heartbeat-test\\\"\"]");
		assertThat(heartbeat("nightly-retraining").get("labels").get("team").asString()).isEqualTo("ml-research");

		Response reload = this.warden.post("/api/v1/heartbeats/reload", null);

		assertThat(reload.status()).as(reload.toString()).isEqualTo(200);
		assertThat(reload.json().get("applied").asBoolean()).isTrue();
		assertThat(reload.json().get("heartbeats").size()).isEqualTo(6);
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'heartbeats.reload'")
			.query(Long.class)
			.single()).isPositive();
	}

	private ObjectNode watchdog(ObjectNode payload, String status, Instant startsAt) {
		ObjectNode alert = ((tools.jackson.databind.node.ArrayNode) payload.get("alerts")).addObject();
		alert.put("status", status);
		alert.putObject("labels")
			.put("alertname", "Watchdog")
			.put("env", "heartbeat-test")
			.put("severity", "info")
			.put("service", "alert-pipeline");
		alert.putObject("annotations").put("summary", "The alert pipeline's heartbeat");
		alert.put("startsAt", startsAt.toString());
		alert.put("endsAt", "resolved".equals(status) ? this.clock.instant().toString() : "0001-01-01T00:00:00Z");
		alert.put("fingerprint", "watchdog-" + status);
		return payload;
	}

	private static <T> List<T> concurrently(int threads, Callable<T> work) throws Exception {
		try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(pool.submit(work));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
	}

	private List<Long> incidentsOf(String heartbeat) {
		return this.jdbc.sql("select distinct incident_id from alert where fingerprint = ? order by 1")
			.param("heartbeat:" + heartbeat)
			.query(Long.class)
			.list();
	}

	private static List<String> types(JsonNode incident) {
		return incident.get("timeline").valueStream().map((event) -> event.get("type").asString()).toList();
	}

	private JsonNode heartbeat(String name) {
		Response response = this.warden.get("/api/v1/heartbeats/" + name);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json();
	}

	private Response ping(String name, String token) {
		return send("POST", "/api/v1/heartbeats/" + name, token);
	}

	private Response send(String method, String path, String token) {
		return this.warden.send(HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + token)
			.method(method, noBody()));
	}

	private static HttpRequest.BodyPublisher noBody() {
		return HttpRequest.BodyPublishers.noBody();
	}

	private String token(String scope) {
		Response created = this.warden.post("/api/v1/tokens", java.util.Map.of("name",
				scope + "-" + UUID.randomUUID().toString().substring(0, 8), "scopes", List.of(scope)));
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("token").asString();
	}

	private long count() {
		return this.jdbc.sql("select count(*) from heartbeat").query(Long.class).single();
	}

}

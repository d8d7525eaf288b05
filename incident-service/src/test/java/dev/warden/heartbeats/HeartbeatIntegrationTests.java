package dev.warden.heartbeats;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.Rows;
import dev.warden.TestClock;
import dev.warden.TestFork;
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

	/**
	 * The heartbeat file of this context: a copy of
	 * {@code heartbeats/test-heartbeats.yaml} to which tests add heartbeats of their own
	 * (and reload), since a heartbeat's clock runs from when it is declared and the tests
	 * of one context share its clock.
	 */
	public static final String FILE = "warden.heartbeats.file=target/heartbeat-tests/${warden.test.fork:fork-1}/heartbeats.yaml";

	/**
	 * The file {@link #FILE} names: one per test JVM (see {@link TestFork}), as two JVMs
	 * may run this class and {@link ConsoleHeartbeatPageTests} at the same time, each
	 * writing the file afresh.
	 */
	static final Path FILE_PATH = TestFork.directory("heartbeat-tests").resolve("heartbeats.yaml");

	static {
		prepareFile();
	}

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

	@Autowired
	MeterRegistry meters;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	/** Writes this context's heartbeat file afresh, before the context starts. */
	public static void prepareFile() {
		try (InputStream resource = HeartbeatIntegrationTests.class
			.getResourceAsStream("/heartbeats/test-heartbeats.yaml")) {
			Files.createDirectories(FILE_PATH.getParent());
			Files.write(FILE_PATH, resource.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void heartbeatOnTimeOrWithinGraceOpensNoIncident() {
		String token = token("heartbeat");
		String name = declare("on-time", API_HEARTBEAT);

		Response first = ping(name, token);
		this.clock.advance(Duration.ofMinutes(9));
		ping(name, token);
		this.clock.advance(Duration.ofMinutes(9));
		this.heartbeats.check();
		JsonNode up = heartbeat(name);
		this.clock.advance(Duration.ofMinutes(5));
		this.heartbeats.check();
		JsonNode late = heartbeat(name);

		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(first.json().get("name").asString()).isEqualTo(name);
		assertThat(up.get("state").asString()).isEqualTo("up");
		assertThat(late.get("state").asString()).as("past the interval, within the grace").isEqualTo("late");
		assertThat(late.get("incident").isNull()).isTrue();
		assertThat(incidentsOf(name)).isEmpty();
		ping(name, token);
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("up");
	}

	@Test
	void silenceBeyondIntervalAndGraceOpensOneIncidentAndThePingResolvesIt() throws Exception {
		String token = token("heartbeat");
		String name = declare("nightly-retraining", """
				    description: retrains the model every night
				    interval: 10m
				    grace: 5m
				    service: ai-model
				    severity: high
				    labels:
				      team: ml-research
				      job: retrain
				""");
		Instant lastSeen = this.clock.instant();
		ping(name, token);
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));

		// Several instances' checks at once, and again: one incident.
		concurrently(8, () -> this.heartbeats.check());
		this.heartbeats.check();
		this.clock.advance(Duration.ofMinutes(30));
		this.heartbeats.check();

		List<Long> incidents = incidentsOf(name);
		assertThat(incidents).hasSize(1);
		long incident = incidents.getFirst();
		JsonNode silent = heartbeat(name);
		assertThat(silent.get("state").asString()).isEqualTo("silent");
		assertThat(silent.get("incident").asString()).isEqualTo("/api/v1/incidents/" + incident);
		JsonNode opening = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.warden.get("/api/v1/incidents/" + incident).json(),
					(json) -> types(json).contains("incident.routed"));
		assertThat(opening.get("title").asString())
			.isEqualTo("Heartbeat " + name + " is silent: last seen at " + lastSeen);
		assertThat(opening.get("status").asString()).isEqualTo("triggered");
		// Routed like any other incident: the shipped routing's model-quality route takes
		// service ai-model and sets its severity to warning.
		assertThat(opening.get("severity").asString()).isEqualTo("warning");
		assertThat(opening.get("service").asString()).isEqualTo("ai-model");
		assertThat(opening.get("team").asString()).isEqualTo("ml-research");
		assertThat(types(opening)).containsSubsequence("incident.opened", "alert.fired", "heartbeat.silent");
		assertThat(types(opening).stream().filter("incident.opened"::equals).count()).isOne();
		assertThat(types(opening).stream().filter("heartbeat.silent"::equals).count()).as("opened once").isOne();

		Response back = ping(name, token);

		assertThat(back.status()).as(back.toString()).isEqualTo(200);
		JsonNode resolved = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(resolved.get("status").asString()).isEqualTo("resolved");
		assertThat(types(resolved)).containsSubsequence("heartbeat.silent", "heartbeat.returned", "alert.resolved",
				"incident.resolved");
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("up");
		assertThat(heartbeat(name).get("incident").isNull()).isTrue();
		this.heartbeats.check();
		assertThat(incidentsOf(name)).hasSize(1);
	}

	@Test
	void theRecurringCheckOpensTheIncidentByItself() {
		String name = declare("scheduled", API_HEARTBEAT);
		ping(name, token("heartbeat"));

		this.clock.advance(Duration.ofMinutes(16));

		List<Long> incidents = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> incidentsOf(name), (found) -> !found.isEmpty());
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
		assertThat(list.json().get("source").asString()).isEqualTo(FILE_PATH.toString());
		assertThat(list.json().get("problems").isEmpty()).isTrue();
		// Other tests add heartbeats of their own after these.
		assertThat(list.json().get("heartbeats").valueStream().map((each) -> each.get("name").asString())).startsWith(
				"on-time", "nightly-retraining", "scheduled", "watchdog-test", "console-shown", "console-never");
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
		assertThat(reload.json().get("heartbeats").size()).isEqualTo(list.json().get("heartbeats").size());
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'heartbeats.reload'")
			.query(Long.class)
			.single()).isPositive();
	}

	@Test
	void webhookThatFailsRecordsNoHeartbeatAndItsResendDoes() {
		String env = "atomic-" + UUID.randomUUID().toString().substring(0, 8);
		String name = declare("atomic", boundTo(env));
		Instant now = this.clock.instant();
		String fingerprint = "refuse-" + UUID.randomUUID();
		Payloads.Group group = Payloads.group().firing(fingerprint, now);
		ObjectNode body = watchdog(group.json(), "firing", now, env);
		String before = row(name);
		// Storage fails when the webhook's real alert is written: a real PostgreSQL error
		// (disk full), which Warden answers 503 so Alertmanager retries.
		this.jdbc.sql("""
				create or replace function refuse_test_alert() returns trigger language plpgsql as $$
				begin
				    if new.fingerprint like 'refuse-%' then
				        raise exception 'test: could not extend file' using errcode = '53100';
				    end if;
				    return new;
				end $$""").update();
		this.jdbc.sql("""
				create trigger refuse_test_alert before insert on alert
				for each row execute function refuse_test_alert()""").update();
		Response failed;
		try {
			failed = alertmanager(body);
		}
		finally {
			this.jdbc.sql("drop trigger refuse_test_alert on alert").update();
		}
		String afterFailure = row(name);
		long alertsAfterFailure = Rows.alertsOfGroup(this.jdbc, group.key());
		Response resent = alertmanager(body);

		assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
		assertThat(afterFailure).as("the failed webhook pinged nothing and started no clock").isEqualTo(before);
		assertThat(alertsAfterFailure).isZero();
		assertThat(resent.status()).as(resent.toString()).isEqualTo(200);
		assertThat(resent.json().get("heartbeatAlerts").asInt()).isOne();
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("up");
		assertThat(heartbeat(name).get("lastSeenAt").asString()).isEqualTo(now.toString());
		assertThat(Rows.alertsOfGroup(this.jdbc, group.key())).isOne();
	}

	@Test
	void apiPingToAHeartbeatFedByAlertsIsRefusedAndWritesNothing() {
		String name = declare("fed-by-alerts", boundTo("api-" + UUID.randomUUID().toString().substring(0, 8)));
		String before = row(name);

		Response heartbeatToken = ping(name, token("heartbeat"));
		Response admin = this.warden.post("/api/v1/heartbeats/" + name, null);

		assertThat(List.of(heartbeatToken, admin)).allSatisfy((response) -> {
			assertThat(response.status()).as(response.toString()).isEqualTo(409);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("detail").asString())
				.isEqualTo(name + " is fed by Alertmanager's alerts, not by the API");
		});
		assertThat(row(name)).isEqualTo(before);
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("never_seen");
	}

	@Test
	void heartbeatWhoseKindChangesForgetsWhatItWasLastSeenAs() throws IOException {
		String name = declare("changes-kind", API_HEARTBEAT);
		assertThat(ping(name, token("heartbeat")).status()).isEqualTo(200);
		assertThat(heartbeat(name).hasNonNull("lastSeenAt")).isTrue();

		String file = Files.readString(FILE_PATH);
		String api = "  - name: " + name + "\n" + API_HEARTBEAT;
		assertThat(file).contains(api);
		Files.writeString(FILE_PATH, file.replace(api, "  - name: " + name + "\n" + boundTo("kind-" + name)));
		Response reload = this.warden.post("/api/v1/heartbeats/reload", null);
		assertThat(reload.json().get("applied").asBoolean()).as(reload.toString()).isTrue();

		JsonNode changed = heartbeat(name);
		assertThat(changed.hasNonNull("lastSeenAt")).as("the API ping no longer counts for the Watchdog").isFalse();
		assertThat(changed.get("state").asString()).isEqualTo("never_seen");
	}

	@Test
	void apiHeartbeatNeverSeenBecomesSilentIntervalAndGraceAfterItWasDeclared() {
		String name = declare("never-ran", API_HEARTBEAT);
		Instant declared = Instant.parse(heartbeat(name).get("watchedSince").asString());
		JsonNode fresh = heartbeat(name);

		this.clock.advance(Duration.ofMinutes(10));
		// A reload (as at a restart: the row is kept) of the unchanged heartbeat keeps
		// its
		// clock.
		assertThat(this.warden.post("/api/v1/heartbeats/reload", null).status()).isEqualTo(200);
		this.heartbeats.check();
		JsonNode late = heartbeat(name);
		this.clock.advance(Duration.ofMinutes(5));
		this.heartbeats.check();
		List<Long> within = incidentsOf(name);
		this.clock.advance(Duration.ofSeconds(1));
		this.heartbeats.check();
		this.heartbeats.check();

		assertThat(fresh.get("state").asString()).isEqualTo("never_seen");
		assertThat(fresh.get("lastSeenAt").isNull()).isTrue();
		assertThat(declared).isBeforeOrEqualTo(this.clock.instant().minus(Duration.ofMinutes(15)));
		assertThat(fresh.get("silentAfter").asString()).isEqualTo(declared.plus(Duration.ofMinutes(15)).toString());
		assertThat(late.get("watchedSince").asString()).as("not reset by the reload").isEqualTo(declared.toString());
		assertThat(within).isEmpty();
		List<Long> incidents = incidentsOf(name);
		assertThat(incidents).hasSize(1);
		JsonNode silent = heartbeat(name);
		assertThat(silent.get("state").asString()).isEqualTo("never_seen");
		assertThat(silent.get("incident").asString()).isEqualTo("/api/v1/incidents/" + incidents.getFirst());
		JsonNode incident = this.warden.get("/api/v1/incidents/" + incidents.getFirst()).json();
		assertThat(incident.get("title").asString())
			.isEqualTo("Heartbeat " + name + " is silent: never seen since " + declared);
		assertThat(types(incident)).contains("heartbeat.silent");

		ping(name, token("heartbeat"));

		assertThat(this.warden.get("/api/v1/incidents/" + incidents.getFirst()).json().get("status").asString())
			.isEqualTo("resolved");
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("up");
	}

	@Test
	void alertBoundHeartbeatNeverSeenIsWatchedFromTheFirstAlertmanagerWebhook() {
		String env = "routed-" + UUID.randomUUID().toString().substring(0, 8);
		String name = declare("never-routed", boundTo(env));
		Instant now = this.clock.instant();

		// Not from Alertmanager (a person trying the webhook with curl): no clock yet.
		assertThat(this.warden.webhook(Payloads.group().firing("fp-" + UUID.randomUUID(), now).json()).status())
			.isEqualTo(200);
		this.clock.advance(Duration.ofHours(1));
		this.heartbeats.check();
		JsonNode unwatched = heartbeat(name);
		List<Long> beforeAlertmanager = incidentsOf(name);
		Instant first = this.clock.instant();
		Response fromAlertmanager = alertmanager(Payloads.group().firing("fp-" + UUID.randomUUID(), first).json());
		JsonNode watched = heartbeat(name);
		this.clock.advance(Duration.ofMinutes(2));
		this.heartbeats.check();
		List<Long> within = incidentsOf(name);
		this.clock.advance(Duration.ofSeconds(1));
		this.heartbeats.check();

		assertThat(unwatched.get("state").asString()).isEqualTo("never_seen");
		assertThat(unwatched.get("watchedSince").isNull()).isTrue();
		assertThat(unwatched.get("silentAfter").isNull()).isTrue();
		assertThat(beforeAlertmanager).isEmpty();
		assertThat(fromAlertmanager.status()).as(fromAlertmanager.toString()).isEqualTo(200);
		assertThat(watched.get("watchedSince").asString()).isEqualTo(first.toString());
		assertThat(watched.get("silentAfter").asString()).isEqualTo(first.plus(Duration.ofMinutes(2)).toString());
		assertThat(within).isEmpty();
		List<Long> incidents = incidentsOf(name);
		assertThat(incidents).hasSize(1);
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("never_seen");
		assertThat(this.warden.get("/api/v1/incidents/" + incidents.getFirst()).json().get("title").asString())
			.isEqualTo("The alert pipeline is silent: Watchdog never seen since " + first);

		Instant later = this.clock.instant();
		Response watchdog = alertmanager(watchdog(Payloads.group().json(), "firing", later, env));

		assertThat(watchdog.status()).isEqualTo(200);
		assertThat(this.warden.get("/api/v1/incidents/" + incidents.getFirst()).json().get("status").asString())
			.isEqualTo("resolved");
		assertThat(heartbeat(name).get("state").asString()).isEqualTo("up");
	}

	@Test
	void heartbeatAlertsAreNotCountedAsAlertsReceived() {
		String env = "counted-" + UUID.randomUUID().toString().substring(0, 8);
		declare("counted", boundTo(env));
		Instant now = this.clock.instant();
		double before = received("firing");

		this.warden.webhook(watchdog(Payloads.group().json(), "firing", now, env));
		double afterHeartbeat = received("firing");
		this.warden
			.webhook(watchdog(Payloads.group().firing("fp-" + UUID.randomUUID(), now).json(), "firing", now, env));

		assertThat(afterHeartbeat).isEqualTo(before);
		assertThat(received("firing")).as("only the real alert").isEqualTo(before + 1);
	}

	private double received(String status) {
		return this.meters.get("warden.alerts.received").tag("status", status).counter().count();
	}

	/** The heartbeat's row as text, to show that nothing wrote it. */
	private String row(String name) {
		return this.jdbc.sql("select coalesce((select h::text from heartbeat h where name = ?), 'none')")
			.param(name)
			.query(String.class)
			.single();
	}

	/** A webhook as Alertmanager sends it (its User-Agent). */
	private Response alertmanager(ObjectNode body) {
		return this.warden.webhook(HttpRequest.newBuilder()
			.header("Authorization", "Bearer " + IntegrationTest.WEBHOOK_TOKEN)
			.header("Content-Type", "application/json")
			.header("User-Agent", "Alertmanager/0.25.0")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString())));
	}

	/** The body of a heartbeat with a 10m interval and 5m grace, fed by the API. */
	private static final String API_HEARTBEAT = """
			    interval: 10m
			    grace: 5m
			    service: ai-model
			    severity: warning
			""";

	/** The body of a heartbeat fed by the Watchdog of {@code env}, 1m + 1m. */
	private static String boundTo(String env) {
		return """
				    alert:
				      - alertname="Watchdog"
				      - env="%s"
				    interval: 1m
				    grace: 1m
				    service: alert-pipeline
				    severity: critical
				    summary: "The alert pipeline is silent: Watchdog last seen at {last_seen}"
				""".formatted(env);
	}

	/**
	 * Adds a heartbeat of its own to the file and reloads it: declared now, so its clock
	 * owes nothing to what other tests did with the shared one.
	 * @return its name
	 */
	private String declare(String prefix, String body) {
		String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		try {
			Files.writeString(FILE_PATH, "  - name: " + name + "\n" + body, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Response reload = this.warden.post("/api/v1/heartbeats/reload", null);
		assertThat(reload.status()).as(reload.toString()).isEqualTo(200);
		assertThat(reload.json().get("applied").asBoolean()).as(reload.toString()).isTrue();
		return name;
	}

	private ObjectNode watchdog(ObjectNode payload, String status, Instant startsAt) {
		return watchdog(payload, status, startsAt, "heartbeat-test");
	}

	private ObjectNode watchdog(ObjectNode payload, String status, Instant startsAt, String env) {
		ObjectNode alert = ((tools.jackson.databind.node.ArrayNode) payload.get("alerts")).addObject();
		alert.put("status", status);
		alert.putObject("labels")
			.put("alertname", "Watchdog")
			.put("env", env)
			.put("severity", "info")
			.put("service", "alert-pipeline");
		alert.putObject("annotations").put("summary", "The alert pipeline's heartbeat");
		alert.put("startsAt", startsAt.toString());
		alert.put("endsAt", "resolved".equals(status) ? this.clock.instant().toString() : "0001-01-01T00:00:00Z");
		alert.put("fingerprint", "watchdog-" + env + "-" + status);
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

package dev.warden.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.RunsAlone;
import dev.warden.WardenClient;
import dev.warden.notifications.SlackApi;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The alert pipeline's heartbeat with the real parts: Debian's Prometheus with the
 * repository's Watchdog rule and Alertmanager with the stack's configuration (its
 * Watchdog route) post the Watchdog to Warden, which takes it as its
 * {@code alert-pipeline} heartbeat and opens no incident. Stopping Prometheus opens "The
 * alert pipeline is silent" once its interval and grace have passed, notified on Slack
 * (WireMock) through the shipped routing; starting Prometheus again resolves it. The
 * timings are seconds: Watchdog every 2 s, interval 3 s, grace 3 s. Skipped with a
 * message where the binaries are missing, unless {@code WARDEN_REQUIRE_E2E=true}.
 */
@RunsAlone
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "warden.storage.directory=target/test-data/e2e-heartbeat-${random.uuid}",
				"warden.alertmanager.bearer-token=" + IntegrationTest.WEBHOOK_TOKEN,
				"warden.api.token=" + IntegrationTest.API_TOKEN, "warden.slack.bot-token=xoxb-e2e-heartbeat",
				"db-scheduler.polling-interval=500ms", "warden.heartbeats.check-interval=1s",
				"warden.test.context=e2e-heartbeat" })
class PipelineHeartbeatEndToEndTests {

	private static final Duration INTERVAL = Duration.ofSeconds(3);

	private static final Duration GRACE = Duration.ofSeconds(3);

	/**
	 * Prometheus's resend delay: Alertmanager keeps an alert for four of them after
	 * Prometheus last sent it, and resends the Watchdog meanwhile.
	 */
	private static final Duration RESEND_DELAY = Duration.ofSeconds(1);

	private static SlackApi slack;

	private static LocalMonitoring monitoring;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		LocalMonitoring.assumeBinaries();
		slack = new SlackApi().channels("ai-oncall");
		registry.add("warden.slack.methods-url", slack::url);
		registry.add("warden.heartbeats.file", PipelineHeartbeatEndToEndTests::heartbeatFile);
	}

	/**
	 * The shipped heartbeat file's alert-pipeline heartbeat, with seconds for minutes.
	 */
	private static String heartbeatFile() {
		try {
			Path file = Files.createDirectories(Path.of("target", "e2e")).resolve("heartbeats.yaml");
			Files.writeString(file, """
					heartbeats:
					  - name: alert-pipeline
					    alert:
					      - alertname="Watchdog"
					    interval: %ds
					    grace: %ds
					    service: alert-pipeline
					    severity: critical
					    summary: "The alert pipeline is silent: Watchdog last seen at {last_seen}"
					""".formatted(INTERVAL.toSeconds(), GRACE.toSeconds()));
			return file.toAbsolutePath().toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void stoppingPrometheusOpensTheSilentPipelineIncidentAndStartingItResolvesIt() {
		monitoring = LocalMonitoring.start(this.port, IntegrationTest.WEBHOOK_TOKEN, List.of(), "1s",
				RESEND_DELAY.toSeconds() + "s");
		WardenClient warden = new WardenClient(this.port);

		// The Watchdog arrives as a heartbeat, again and again, and opens nothing.
		JsonNode first = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> warden.get("/api/v1/heartbeats/alert-pipeline").json(),
					(heartbeat) -> heartbeat.get("state").asString().equals("up"));
		assertThat(first.get("lastSeenBy").asString()).isEqualTo("alertmanager");
		Instant firstSeen = Instant.parse(first.get("lastSeenAt").asString());
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> Instant
				.parse(warden.get("/api/v1/heartbeats/alert-pipeline").json().get("lastSeenAt").asString())
				.isAfter(firstSeen.plus(INTERVAL.plus(GRACE))));
		assertThat(warden.get("/api/v1/heartbeats/alert-pipeline").json().get("state").asString()).isEqualTo("up");
		assertThat(incidents()).as("a pipeline that keeps sending its heartbeat opens nothing").isEmpty();
		assertThat(this.jdbc.sql("select count(*) from alert where alert_name = 'Watchdog'").query(Long.class).single())
			.isZero();

		// Prometheus stops.
		monitoring.stopPrometheus();
		Instant stopped = Instant.now();
		long incident = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(this::incidents, (found) -> !found.isEmpty())
			.getFirst();
		Duration toOpen = Duration.between(stopped, Instant.now());
		JsonNode silent = warden.get("/api/v1/heartbeats/alert-pipeline").json();
		Instant lastSeen = Instant.parse(silent.get("lastSeenAt").asString());

		// Opened once the interval and grace after the last heartbeat had passed, and no
		// later than that plus Alertmanager's resends of the still active alert (four
		// resend delays), a group interval (2 s), the check's interval and polling.
		assertThat(silent.get("state").asString()).isEqualTo("silent");
		JsonNode opened = await().atMost(Duration.ofSeconds(20))
			.until(() -> warden.get("/api/v1/incidents/" + incident).json(),
					(json) -> types(json).contains("incident.routed"));
		assertThat(Instant.parse(opened.get("milestones").get("detectedAt").asString()))
			.isAfter(lastSeen.plus(INTERVAL).plus(GRACE));
		assertThat(toOpen).as("from stopping Prometheus to the incident")
			.isLessThan(INTERVAL.plus(GRACE).plus(RESEND_DELAY.multipliedBy(4)).plusSeconds(2 + 1 + 6));
		assertThat(opened.get("title").asString())
			.isEqualTo("The alert pipeline is silent: Watchdog last seen at " + lastSeen);
		assertThat(opened.get("severity").asString()).isEqualTo("critical");
		assertThat(opened.get("status").asString()).isEqualTo("triggered");
		assertThat(types(opened)).containsSubsequence("incident.opened", "alert.fired", "heartbeat.silent");
		// Notified through Warden's own channels: the shipped routing's root route.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.calls("chat.postMessage")
				.stream()
				.anyMatch((post) -> "#ai-oncall".equals(post.get("channel"))
						&& post.getOrDefault("metadata", "").contains("\"incident:" + incident + ":")));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> types(warden.get("/api/v1/incidents/" + incident).json()).contains("notification.sent"));

		// Prometheus starts again: the Watchdog returns and resolves the incident.
		monitoring.startPrometheus();
		JsonNode resolved = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> warden.get("/api/v1/incidents/" + incident).json(),
					(json) -> json.get("status").asString().equals("resolved"));
		assertThat(types(resolved)).containsSubsequence("heartbeat.silent", "heartbeat.returned", "alert.resolved",
				"incident.resolved");
		assertThat(warden.get("/api/v1/heartbeats/alert-pipeline").json().get("state").asString()).isEqualTo("up");
		// One silence, one incident; the heartbeats keep coming and open nothing more.
		LocalProcess.sleep(INTERVAL.plus(GRACE).plusSeconds(2).toMillis());
		assertThat(incidents()).containsExactly(incident);
		assertThat(types(warden.get("/api/v1/incidents/" + incident).json()).stream()
			.filter("incident.opened"::equals)
			.count()).isOne();
		assertThat(warden.get("/api/v1/incidents/" + incident).json().get("status").asString()).isEqualTo("resolved");
	}

	private List<Long> incidents() {
		return this.jdbc.sql("select distinct incident_id from alert where fingerprint = 'heartbeat:alert-pipeline'")
			.query(Long.class)
			.list();
	}

	private static List<String> types(JsonNode incident) {
		return incident.get("timeline").valueStream().map((event) -> event.get("type").asString()).toList();
	}

	@AfterAll
	static void stopTheWorld() {
		if (monitoring != null) {
			monitoring.close();
		}
		if (slack != null) {
			slack.close();
		}
	}

}

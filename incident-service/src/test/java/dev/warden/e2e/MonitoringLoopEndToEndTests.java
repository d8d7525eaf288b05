package dev.warden.e2e;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.warden.DatabaseConnections;
import dev.warden.IntegrationTest;
import dev.warden.TestFork;
import dev.warden.WardenClient;
import dev.warden.notifications.SlackApi;
import dev.warden.runbooks.docker.DockerEngineAvailable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The loop Warden exists for, with the real parts: Debian's Prometheus and Alertmanager
 * with the repository's alert rules and the stack's Alertmanager configuration, a metrics
 * target standing in for the AI app, Warden with its shipped routing, on-call and
 * runbooks on its embedded PostgreSQL, Slack on WireMock, GreenMail for email, and the
 * real Docker engine with an allowlisted "database" container whose port the test takes
 * down. Skipped with a message where the binaries or the engine are missing, unless
 * {@code WARDEN_REQUIRE_E2E=true} / {@code WARDEN_REQUIRE_DOCKER=true} (as in
 * {@code .ci/run}).
 */
@ExtendWith(DockerEngineAvailable.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "warden.storage.directory=target/test-data/e2e-${random.uuid}",
				"warden.alertmanager.bearer-token=" + MonitoringLoopEndToEndTests.WEBHOOK_TOKEN,
				"warden.api.token=" + MonitoringLoopEndToEndTests.API_TOKEN, "warden.slack.bot-token=xoxb-e2e",
				"db-scheduler.polling-interval=500ms", "spring.datasource.hikari.connection-timeout=1000",
				"warden.test.context=e2e" })
class MonitoringLoopEndToEndTests {

	static final String WEBHOOK_TOKEN = IntegrationTest.WEBHOOK_TOKEN;

	static final String API_TOKEN = IntegrationTest.API_TOKEN;

	private static final String RUN = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

	/** The "database" port, chosen just before the container binds it. */
	private static int dbPort;

	private static final int SMTP_PORT = TestFork.freePort();

	private static SlackApi slack;

	private static GreenMail smtp;

	private static MetricsTarget app;

	private static MetricsTarget replica;

	private static LocalMonitoring monitoring;

	private static DockerClient docker;

	private static String database;

	private static Throwable startFailed;

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		LocalMonitoring.assumeBinaries();
		slack = new SlackApi().channels("ai-oncall", "db-oncall", "ml-quality");
		smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		smtp.start();
		registry.add("warden.slack.methods-url", slack::url);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
		registry.add("warden.runbooks.directory", () -> LocalMonitoring.REPOSITORY.resolve("runbooks").toString());
		registry.add("warden.docker.host", DockerEngineAvailable::host);
	}

	/**
	 * Once per class, with Warden's port known: the database container, the metrics
	 * targets (the app and a second replica of it), Alertmanager and Prometheus.
	 */
	@BeforeEach
	void startTheWorld() {
		if (startFailed != null) {
			throw new IllegalStateException("The monitoring loop did not start", startFailed);
		}
		if (monitoring != null) {
			return;
		}
		try {
			start();
		}
		catch (RuntimeException | Error ex) {
			startFailed = ex;
			throw ex;
		}
	}

	private void start() {
		docker = DockerEngineAvailable.client();
		dbPort = TestFork.freePort();
		database = docker.createContainerCmd("warden-test/app:1")
			.withName("ai-db-" + RUN)
			.withLabels(Map.of("app", "ai-db", "db", "primary", "warden.managed", "true", "warden.test-run", RUN))
			// host networking, loopback only: the "database" is busybox httpd on a free
			// port
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("host"))
			.withCmd("/bin/sh", "-c",
					"trap 'exit 0' TERM; busybox httpd -f -p 127.0.0.1:" + dbPort
							+ " & echo $! > /tmp/db.pid; while :; do sleep 1; done")
			.exec()
			.getId();
		docker.startContainerCmd(database).exec();
		await().atMost(Duration.ofSeconds(20)).until(() -> MetricsTarget.answers(dbPort));

		app = healthyApp().portProbe("ai_db_port_up{db=\"primary\"}", dbPort);
		replica = healthyApp();
		monitoring = LocalMonitoring.start(this.port, WEBHOOK_TOKEN, List.of(app.address(), replica.address()));
		// Both targets scraped and every rule evaluated once, with nothing firing.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> monitoring.prometheus.read("/api/v1/query?query=sum(up%7Bjob%3D%22ai-inference-api%22%7D)")
				.contains("\"2\"]"));
	}

	private static MetricsTarget healthyApp() {
		return new MetricsTarget().set("ai_model_accuracy", 0.93)
			.set("ai_data_drift_psi", 0.05)
			.set("ai_liveness_ok", 1);
	}

	/**
	 * The database port goes down: Prometheus fires DatabasePortDown, Alertmanager posts
	 * it, Warden opens one incident, tells Slack and email, and runs restart-database on
	 * the real container; the port answers again, the alert resolves, the runbook's
	 * verification succeeds and the incident resolves.
	 */
	@Test
	void theDatabasePortGoesDownAndWardenRestartsTheDatabase() throws Exception {
		Instant before = Instant.parse(docker.inspectContainerCmd(database).exec().getState().getStartedAt());
		exec(database, "/bin/sh", "-c", "kill $(cat /tmp/db.pid)");
		await().atMost(Duration.ofSeconds(10)).until(() -> !MetricsTarget.answers(dbPort));

		long incident = await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> incidentOf("DatabasePortDown"), (found) -> found != null);
		// The on-call engineer acknowledges from the console or Slack meanwhile.
		warden().post("/api/v1/incidents/" + incident + "/acknowledge", Map.of());

		JsonNode resolved = await().atMost(Duration.ofSeconds(180))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> warden().get("/api/v1/incidents/" + incident).json(),
					(json) -> json.get("status").asString().equals("resolved")
							&& json.get("timeline").toString().contains("runbook.finished"));

		// The container was restarted, and its port answers again.
		Instant after = Instant.parse(docker.inspectContainerCmd(database).exec().getState().getStartedAt());
		assertThat(after).isAfter(before);
		assertThat(MetricsTarget.answers(dbPort)).isTrue();

		// The whole timeline, in order: the restart, the alert resolving (which resolves
		// the incident), then the runbook's verification seeing it and the mitigation it
		// proved (dated at the restart).
		List<String> types = resolved.get("timeline")
			.valueStream()
			.map((event) -> event.get("type").asString())
			.toList();
		assertThat(types).containsSubsequence("incident.opened", "alert.fired", "incident.routed", "runbook.started",
				"runbook.step.succeeded", "runbook.step.waiting", "alert.resolved", "incident.resolved",
				"runbook.step.succeeded", "runbook.finished", "incident.mitigated");
		assertThat(types).contains("incident.acknowledged", "notification.sent");
		for (String once : List.of("incident.opened", "alert.fired", "alert.resolved", "incident.resolved",
				"runbook.started", "runbook.finished", "incident.mitigated")) {
			assertThat(types.stream().filter(once::equals).count()).as(once).isOne();
		}

		// Every milestone, in time order; mitigated when the restart finished.
		JsonNode milestones = resolved.get("milestones");
		Instant impact = instant(milestones, "impactStartedAt");
		Instant detected = instant(milestones, "detectedAt");
		Instant acknowledged = instant(milestones, "acknowledgedAt");
		Instant mitigated = instant(milestones, "mitigatedAt");
		Instant resolvedAt = instant(milestones, "resolvedAt");
		assertThat(impact).isBeforeOrEqualTo(detected);
		assertThat(detected).isBeforeOrEqualTo(acknowledged).isBeforeOrEqualTo(mitigated);
		assertThat(mitigated).isBefore(resolvedAt).isAfterOrEqualTo(before);

		// One Slack message per routed channel, later news in its thread.
		String key = "\"incident:" + incident + ":";
		List<Map<String, String>> posts = slack.calls("chat.postMessage")
			.stream()
			.filter((post) -> post.getOrDefault("metadata", "").contains(key))
			.toList();
		List<Map<String, String>> topLevel = posts.stream().filter((post) -> !post.containsKey("thread_ts")).toList();
		assertThat(topLevel).as("Slack posts: %s", posts).isNotEmpty();
		assertThat(
				topLevel.stream().collect(Collectors.groupingBy((post) -> post.get("channel"), Collectors.counting())))
			.containsKey("#db-oncall")
			.allSatisfy((channel, count) -> assertThat(count).as(channel).isOne());
		assertThat(posts).as("thread replies").anyMatch((post) -> post.containsKey("thread_ts"));

		// Email: the opening to the route's address exactly once, later news threaded.
		Map<String, Long> mails = mailsAbout(incident);
		assertThat(mails.keySet()).anyMatch((mail) -> mail.startsWith("oncall@example.com | "));
		assertThat(mails).allSatisfy((mail, count) -> assertThat(count).as(mail).isOne());
	}

	/** Two alerts of one Alertmanager group arrive as one incident with both alerts. */
	@Test
	void twoAlertsOfOneGroupShareOneIncident() {
		app.set("ai_model_accuracy", 0.61);
		replica.set("ai_model_accuracy", 0.58);
		try {
			long incident = await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> incidentOf("ModelAccuracyLow"), (found) -> found != null);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> warden().get("/api/v1/incidents/" + incident).json().get("alerts").size() == 2);
			assertThat(
					this.jdbc.sql("select count(distinct incident_id) from alert where alert_name = 'ModelAccuracyLow'")
						.query(Long.class)
						.single())
				.isOne();
		}
		finally {
			app.set("ai_model_accuracy", 0.93);
			replica.set("ai_model_accuracy", 0.93);
		}
	}

	/**
	 * While Warden's database is paused Warden answers 503; Alertmanager retries, and
	 * once the database is back everything arrives exactly once.
	 */
	@Test
	void alertmanagerRetriesWhileWardenAnswers503AndEverythingArrivesOnce() throws SQLException {
		double failedBefore = monitoring.alertmanagerMetric("alertmanager_notifications_failed_total",
				"integration=\"webhook\"");
		double unavailableBefore = unavailableAnswers();
		allowConnections(false);
		try {
			app.set("ai_data_drift_psi", 0.42);
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> monitoring.alertmanagerMetric("alertmanager_notifications_failed_total",
						"integration=\"webhook\"") > failedBefore);
			LocalProcess.sleep(3000);
		}
		finally {
			allowConnections(true);
		}
		// The failed deliveries were Warden's 503s.
		assertThat(unavailableAnswers()).isGreaterThan(unavailableBefore);
		long incident = await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> incidentOf("DataDriftHigh"), (found) -> found != null);

		app.set("ai_data_drift_psi", 0.05);
		JsonNode resolved = await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> warden().get("/api/v1/incidents/" + incident).json(),
					(json) -> json.get("status").asString().equals("resolved"));
		List<String> types = resolved.get("timeline")
			.valueStream()
			.map((event) -> event.get("type").asString())
			.toList();
		assertThat(types.stream().filter("alert.fired"::equals).count()).isOne();
		assertThat(types.stream().filter("alert.resolved"::equals).count()).isOne();
		assertThat(types.stream().filter("incident.opened"::equals).count()).isOne();
		assertThat(this.jdbc.sql("select count(distinct incident_id) from alert where alert_name = 'DataDriftHigh'")
			.query(Long.class)
			.single()).as("incidents for the alert").isOne();
	}

	/** How often Warden answered a webhook 503 (its own metric). */
	private double unavailableAnswers() {
		Counter counter = this.meters.find("warden.alerts.rejected").tag("reason", "unavailable").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private Long incidentOf(String alertName) {
		return this.jdbc.sql("select min(incident_id) from alert where alert_name = ?")
			.param(alertName)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	private WardenClient warden() {
		return new WardenClient(this.port);
	}

	private static Instant instant(JsonNode milestones, String name) {
		JsonNode value = milestones.get(name);
		assertThat(value).as(name).isNotNull();
		assertThat(value.isNull()).as(name + " is set").isFalse();
		return Instant.parse(value.asString());
	}

	/** Emails about this incident, counted by recipient and subject. */
	private static Map<String, Long> mailsAbout(long incident) throws MessagingException {
		java.util.regex.Pattern mentions = java.util.regex.Pattern.compile("(#|INC-)" + incident + "\\b");
		Map<String, Long> counts = new java.util.TreeMap<>();
		for (MimeMessage message : smtp.getReceivedMessages()) {
			String subject = message.getSubject();
			if (subject != null && mentions.matcher(subject).find()) {
				for (var recipient : message.getRecipients(Message.RecipientType.TO)) {
					counts.merge(recipient + " | " + subject, 1L, Long::sum);
				}
			}
		}
		return counts;
	}

	private static void exec(String container, String... command) throws InterruptedException {
		ExecCreateCmdResponse created = docker.execCreateCmd(container)
			.withCmd(command)
			.withAttachStdout(true)
			.withAttachStderr(true)
			.exec();
		docker.execStartCmd(created.getId())
			.exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>())
			.awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
		Long exit = docker.inspectExecCmd(created.getId()).exec().getExitCodeLong();
		assertThat(exit).as("exit code of " + String.join(" ", command)).isZero();
	}

	private void allowConnections(boolean allow) throws SQLException {
		DatabaseConnections.allow(this.dataSource, allow);
	}

	@AfterAll
	static void stopTheWorld() {
		if (monitoring != null) {
			monitoring.close();
		}
		if (app != null) {
			app.close();
		}
		if (replica != null) {
			replica.close();
		}
		if (docker != null) {
			for (Container container : docker.listContainersCmd()
				.withShowAll(true)
				.withLabelFilter(Map.of("warden.test-run", RUN))
				.exec()) {
				docker.removeContainerCmd(container.getId()).withForce(true).exec();
			}
		}
		if (smtp != null) {
			smtp.stop();
		}
		if (slack != null) {
			slack.close();
		}
	}

}

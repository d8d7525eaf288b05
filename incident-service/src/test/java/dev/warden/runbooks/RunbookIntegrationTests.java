package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.runbooks.docker.DockerEngineAvailable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runbooks end to end against the real Docker engine: an Alertmanager webhook opens an
 * incident, the matching runbook runs as a durable job, acts on real containers, waits
 * for the alert to resolve, and leaves every step and the mitigated milestone on the
 * incident's timeline.
 */
@IntegrationTest
@ExtendWith(DockerEngineAvailable.class)
@TestPropertySource(properties = { "db-scheduler.polling-interval=200ms", "warden.test.context=runbooks" })
class RunbookIntegrationTests {

	/**
	 * This class's containers' run label, which its runbooks declare as their only
	 * target.
	 */
	private static final String RUN = DockerFixture.newRun();

	private static final Path RUNBOOKS = writeRunbooks();

	private static DockerFixture docker;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
		registry.add("warden.docker.host", DockerEngineAvailable::host);
	}

	@BeforeAll
	static void engine() {
		docker = new DockerFixture(RUN);
	}

	@AfterAll
	static void cleanUp() {
		if (docker != null) {
			docker.close();
		}
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void webhookStartsTheMatchingRunbookWhichRestartsTheContainerAndProvesTheFix() {
		String db = docker.start("db", DockerFixture.IMAGE_1, Map.of("app", "it-db", "warden.managed", "true"));
		Instant before = docker.startedAt(db);
		Instant startsAt = this.clock.instant();
		ObjectNode firing = alert("ItDatabaseDown", "firing", startsAt, null);

		String incident = this.warden.webhook(firing).json().get("location").asString();

		JsonNode execution = awaitExecution(incident, "running",
				(it) -> "waiting".equals(it.get("steps").get(1).get("status").asString()));
		assertThat(docker.startedAt(db)).as("the container really restarted").isAfter(before);
		assertThat(execution.get("steps").get(0).get("status").asString()).isEqualTo("succeeded");
		assertThat(execution.get("steps").get(0).get("output").get(0).asString()).startsWith("restarted db-");
		assertThat(execution.get("trigger").asString()).isEqualTo("automatic");

		this.clock.advance(Duration.ofSeconds(30));
		this.warden.webhook(alert("ItDatabaseDown", "resolved", startsAt, this.clock.instant()));
		this.clock.advance(Duration.ofSeconds(5));

		JsonNode done = awaitExecution(incident, "succeeded", (it) -> true);
		assertThat(done.get("steps").get(1).get("output").toString()).contains("verified");
		JsonNode timeline = this.warden.get(incident).json();
		assertThat(types(timeline)).containsSubsequence("incident.opened", "alert.fired", "runbook.started",
				"runbook.step.succeeded", "runbook.step.waiting", "alert.resolved", "incident.resolved",
				"runbook.step.succeeded", "runbook.finished", "incident.mitigated");
		assertThat(timeline.get("status").asString()).isEqualTo("resolved");
		assertThat(timeline.get("milestones").get("mitigatedAt").asString())
			.isEqualTo(done.get("steps").get(0).get("finishedAt").asString());
		String metrics = this.warden.getAnonymously("/actuator/prometheus").body();
		assertThat(metrics).contains(
				"warden_runbook_executions_total{application=\"warden\",outcome=\"succeeded\",runbook=\"it-restart\"}")
			.contains(
					"warden_runbook_step_duration_seconds_count{action=\"docker.restart\",application=\"warden\",result=\"done\",runbook=\"it-restart\"}");
	}

	@Test
	void containerOutsideTheAllowlistIsRefusedAndNotTouched() {
		String stranger = docker.start("stranger", DockerFixture.IMAGE_1, Map.of("app", "it-unmanaged"));
		Instant before = docker.startedAt(stranger);

		String incident = this.warden.webhook(alert("ItUnmanagedDown", "firing", this.clock.instant(), null))
			.json()
			.get("location")
			.asString();

		JsonNode execution = awaitExecution(incident, "failed", (it) -> true);
		assertThat(execution.get("steps").get(0).get("error").asString()).contains("not allowlisted")
			.contains("stranger-");
		assertThat(docker.startedAt(stranger)).isEqualTo(before);
		assertThat(types(this.warden.get(incident).json())).contains("runbook.step.failed", "runbook.failure_policy");
	}

	@Test
	void approvalRunbookWaitsAndScalesOnlyAfterApproval() {
		docker.start("worker", DockerFixture.IMAGE_1, Map.of("app", "it-worker", "warden.managed", "true"));
		String incident = this.warden.webhook(alert("ItWorkersSlow", "firing", this.clock.instant(), null))
			.json()
			.get("location")
			.asString();
		JsonNode waiting = awaitExecution(incident, "awaiting_approval", (it) -> true);
		assertThat(docker.withLabel("app", "it-worker")).hasSize(1);

		Response approved = this.warden.post("/api/v1/runbook-executions/" + waiting.get("id").asLong() + "/approve",
				null);

		assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
		awaitExecution(incident, "succeeded", (it) -> true);
		var workers = docker.withLabel("app", "it-worker");
		assertThat(workers).hasSize(3).allSatisfy((worker) -> {
			var inspected = docker.inspect(worker.getId());
			assertThat(inspected.getConfig().getImage()).isEqualTo(DockerFixture.IMAGE_1);
			assertThat(inspected.getConfig().getEnv()).contains("ROLE=test");
			assertThat(inspected.getHostConfig().getNetworkMode()).isEqualTo("none");
			assertThat(inspected.getState().getRunning()).isTrue();
		});
		JsonNode execution = this.warden.get("/api/v1/runbook-executions/" + waiting.get("id").asLong()).json();
		assertThat(execution.get("approvedBy").asString()).isEqualTo("bootstrap");
	}

	@Test
	void dryRunPlansWithoutChangingAnything() {
		String db = docker.start("dry", DockerFixture.IMAGE_1, Map.of("app", "it-dry", "warden.managed", "true"));
		Instant before = docker.startedAt(db);
		Instant startsAt = this.clock.instant();
		String incident = this.warden.webhook(alert("ItDryRun", "firing", startsAt, null))
			.json()
			.get("location")
			.asString();
		long id = this.warden.get(incident).json().get("id").asLong();

		Response plan = this.warden.post("/api/v1/runbooks/it-dry-run/dry-run", Map.of("incident", id));

		assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
		assertThat(plan.json().get("steps").get(0).get("plan").get(0).asString()).startsWith("would restart dry-");
		assertThat(plan.json().get("refusals")).isEmpty();
		assertThat(docker.startedAt(db)).isEqualTo(before);
		assertThat(this.warden.get("/api/v1/runbook-executions?incident=" + id).json()).isEmpty();
	}

	private JsonNode awaitExecution(String incident, String status, java.util.function.Predicate<JsonNode> also) {
		long id = this.warden.get(incident).json().get("id").asLong();
		JsonNode[] found = new JsonNode[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			JsonNode executions = this.warden.get("/api/v1/runbook-executions?incident=" + id).json();
			assertThat(executions).as("executions of incident %d", id).isNotEmpty();
			JsonNode execution = executions.get(0);
			assertThat(execution.get("status").asString()).as(execution.toString()).isEqualTo(status);
			assertThat(also.test(execution)).as(execution.toString()).isTrue();
			found[0] = execution;
		});
		return found[0];
	}

	private ObjectNode alert(String name, String status, Instant startsAt, Instant endsAt) {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group.alert("fp-" + name + "-" + docker.run, status, startsAt, endsAt, "critical").json();
		payload.put("groupKey", "{}:{alertname=\"" + name + "\", run=\"" + docker.run + "\"}");
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", name);
		labels.put("run", docker.run);
		return payload;
	}

	private static List<String> types(JsonNode incident) {
		return incident.get("timeline").valueStream().map((event) -> event.get("type").asString()).toList();
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		String selector = """
				      selector:
				        app: %s
				        warden.test-run: "{{ labels.run }}"
				""";
		directory.write("it-restart.yaml", """
				id: it-restart
				title: Restart the test database
				match: ['alertname="ItDatabaseDown"']
				mode: auto
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart the database container
				    action: docker.restart
				    with:
				%s      stop-timeout: 1s
				  - name: Verify the alert resolved
				    action: verify.resolved
				    with: {within: 10m, poll-every: 1s}
				""".formatted(selector.formatted("it-db")));
		directory.write("it-unmanaged.yaml", """
				id: it-unmanaged
				title: Restart a container Warden may not touch
				match: ['alertname="ItUnmanagedDown"']
				mode: auto
				on-failure: leave
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart it
				    action: docker.restart
				    with:
				%s""".formatted(selector.formatted("it-unmanaged")));
		directory.write("it-scale.yaml", """
				id: it-scale
				title: Scale the test workers
				match: ['alertname="ItWorkersSlow"']
				mode: approval
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Scale to three
				    action: docker.scale
				    with:
				%s      replicas: 3
				""".formatted(selector.formatted("it-worker")));
		directory.write("it-dry-run.yaml", """
				id: it-dry-run
				title: Restart, for dry-runs only
				match: ['alertname="ItDryRun"']
				mode: manual
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart
				    action: docker.restart
				    with:
				%s""".formatted(selector.formatted("it-dry")));
		return directory.path();
	}

}

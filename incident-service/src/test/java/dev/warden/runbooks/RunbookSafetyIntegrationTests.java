package dev.warden.runbooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.HostConfig;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The safety rules of runbook runs, through the HTTP API and webhooks against the real
 * Docker engine: cooldown, run limits, the global pause, cancellation, approval expiry,
 * missing labels, failed verification, declarative scale and rollback, and reloading a
 * broken catalog.
 */
@IntegrationTest
@ExtendWith(DockerEngineAvailable.class)
@TestPropertySource(properties = { "db-scheduler.polling-interval=200ms", "warden.test.context=runbook-safety",
		"warden.runbooks.safety.approval-timeout=10m" })
class RunbookSafetyIntegrationTests {

	/**
	 * This class's containers' run label, which its runbooks declare as their only
	 * target.
	 */
	private static final String RUN = DockerFixture.newRun();

	private static final Path RUNBOOKS = writeRunbooks();

	private static final List<String> RUNBOOK_IDS = List.of("restart-database", "safety-approval", "safety-budget-a",
			"safety-budget-b", "safety-busy", "safety-cancel", "safety-cooldown", "safety-four-eyes", "safety-limits",
			"safety-missing-label", "safety-paused", "safety-repair", "safety-rollback", "safety-scale-down",
			"safety-scale-up", "safety-verify");

	private static DockerFixture docker;

	private static DockerClient engine;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RunbookService runbooks;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
		registry.add("warden.docker.host", DockerEngineAvailable::host);
	}

	@BeforeAll
	static void engine() {
		docker = new DockerFixture(RUN);
		engine = DockerEngineAvailable.client();
	}

	@AfterAll
	static void cleanUp() throws IOException {
		if (docker != null) {
			docker.close();
		}
		if (engine != null) {
			engine.close();
		}
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void cooldownRefusesAnotherRunForTheSameIncidentUntilItHasPassed() {
		long incident = openIncident("SafetyCooldown", "cooldown");
		long first = accepted(run("safety-cooldown", incident));
		awaitStatus(first, "succeeded");

		Response refused = run("safety-cooldown", incident);

		assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
		assertThat(refused.json().get("detail").asString()).contains("cooldown");
		this.clock.advance(Duration.ofMinutes(11));
		long later = accepted(run("safety-cooldown", incident));
		awaitStatus(later, "succeeded");
		assertThat(executionsOf(incident)).hasSize(2);
		assertThat(timeline(incident)).as("the refusal is on the incident's timeline").anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("runbook.skipped");
			assertThat(event.get("summary").asString()).contains("cooldown");
		});
	}

	@Test
	void maxRunsCapRunsPerIncidentAndPerTargetWithinTheWindow() {
		docker.start("limited", DockerFixture.IMAGE_1, Map.of("app", "safety-limited", "warden.managed", "true"));
		long first = openIncident("SafetyLimits", "limits-1");
		long second = openIncident("SafetyLimits", "limits-2");
		long third = openIncident("SafetyLimits", "limits-3");
		// One run per target at a time: each run finishes before the next asks.
		awaitStatus(accepted(run("safety-limits", first)), "succeeded");
		awaitStatus(accepted(run("safety-limits", first)), "succeeded");

		Response thirdForFirst = run("safety-limits", first);
		awaitStatus(accepted(run("safety-limits", second)), "succeeded");
		Response secondForSecond = run("safety-limits", second);
		Response firstForThird = run("safety-limits", third);

		assertThat(thirdForFirst.status()).as(thirdForFirst.toString()).isEqualTo(409);
		assertThat(thirdForFirst.json().get("detail").asString()).contains("for this incident").contains("limit 2");
		assertThat(secondForSecond.status()).as(secondForSecond.toString()).isEqualTo(409);
		assertThat(secondForSecond.json().get("detail").asString()).contains("app=safety-limited").contains("limit 3");
		assertThat(firstForThird.status()).as(firstForThird.toString()).isEqualTo(409);
		assertThat(firstForThird.json().get("detail").asString()).contains("limit 3");
		assertThat(executionsOf(third)).isEmpty();

		this.clock.advance(Duration.ofHours(1).plusMinutes(1));

		awaitStatus(accepted(run("safety-limits", third)), "succeeded");
		awaitStatus(accepted(run("safety-limits", first)), "succeeded");
	}

	@Test
	void globalPauseStopsAutomaticRunsButNotManualOnesUntilResumed() {
		try {
			Response paused = this.warden.post("/api/v1/runbooks/automatic/pause",
					Map.of("reason", "database maintenance"));
			assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
			JsonNode automaticRuns = this.warden.get("/api/v1/runbooks").json().get("automaticRuns");
			assertThat(automaticRuns.get("paused").asBoolean()).isTrue();
			assertThat(automaticRuns.get("changedBy").asString()).isEqualTo("bootstrap");
			assertThat(automaticRuns.get("reason").asString()).isEqualTo("database maintenance");

			long whilePaused = openIncident("SafetyPaused", "paused-1");

			assertThat(executionsOf(whilePaused)).as("no automatic run while paused").isEmpty();
			assertThat(timeline(whilePaused)).anySatisfy((event) -> {
				assertThat(event.get("type").asString()).isEqualTo("runbook.skipped");
				assertThat(event.get("summary").asString()).contains("paused").contains("database maintenance");
			});
			long manual = accepted(run("safety-paused", whilePaused));
			JsonNode manualRun = awaitStatus(manual, "succeeded");
			assertThat(manualRun.get("trigger").asString()).isEqualTo("manual");
		}
		finally {
			this.warden.post("/api/v1/runbooks/automatic/resume", null);
		}
		JsonNode resumed = this.warden.get("/api/v1/runbooks").json().get("automaticRuns");
		assertThat(resumed.get("paused").asBoolean()).isFalse();

		long afterResume = openIncident("SafetyPaused", "paused-2");

		JsonNode automatic = awaitStatus(awaitOnlyExecution(afterResume), "succeeded");
		assertThat(automatic.get("trigger").asString()).isEqualTo("automatic");
	}

	@Test
	void cancelEndsARunWaitingForVerificationPromptly() {
		long incident = openIncident("SafetyCancel", "cancel");
		long execution = accepted(run("safety-cancel", incident));
		awaitExecution(execution, "running", (it) -> "waiting".equals(it.get("steps").get(0).get("status").asString()));

		Response cancel = this.warden.post("/api/v1/runbook-executions/" + execution + "/cancel", null);

		assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
		assertThat(cancel.json().get("cancelRequestedBy").asString()).isEqualTo("bootstrap");
		JsonNode cancelled = awaitExecution(execution, "cancelled", (it) -> true, Duration.ofSeconds(5));
		assertThat(cancelled.get("steps").get(0).get("status").asString()).isEqualTo("cancelled");
		assertThat(cancelled.get("outcome").asString()).contains("cancelled by bootstrap");
		Response again = this.warden.post("/api/v1/runbook-executions/" + execution + "/cancel", null);
		assertThat(again.status()).as(again.toString()).isEqualTo(409);
	}

	@Test
	void cancelWhileAStepRunsIsAcceptedAndHonouredAtTheNextStepBoundary() {
		// Ignores SIGTERM, so its restart takes the whole stop timeout.
		String stubborn = engine.createContainerCmd(DockerFixture.IMAGE_1)
			.withName("stubborn-" + docker.run)
			.withLabels(Map.of("app", "safety-stubborn", "warden.managed", "true", "warden.test-run", docker.run))
			.withCmd("/bin/sh", "-c", "trap '' TERM; while true; do sleep 1; done")
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
			.exec()
			.getId();
		engine.startContainerCmd(stubborn).exec();
		Instant before = docker.startedAt(stubborn);
		long incident = openIncident("SafetyBusy", "busy");
		long execution = accepted(run("safety-busy", incident));
		awaitExecution(execution, "running", (it) -> "running".equals(it.get("steps").get(0).get("status").asString()));
		Response meanwhile = run("safety-busy", openIncident("SafetyBusy", "busy-2"));
		assertThat(meanwhile.status()).as("one run per target at a time").isEqualTo(409);
		assertThat(meanwhile.json().get("detail").asString()).contains("still acting on");

		Response cancel = this.warden.post("/api/v1/runbook-executions/" + execution + "/cancel", null);

		assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
		JsonNode cancelled = awaitExecution(execution, "cancelled", (it) -> true, Duration.ofSeconds(30));
		assertThat(cancelled.get("outcome").asString()).contains("cancelled by bootstrap");
		assertThat(cancelled.get("steps").get(0).get("status").asString()).isEqualTo("succeeded");
		assertThat(cancelled.get("steps").get(1).get("status").asString()).isEqualTo("cancelled");
		assertThat(docker.startedAt(stubborn)).as("the running step finished its restart").isAfter(before);
	}

	@Test
	void expiredApprovalCannotBeGivenAndNothingChanges() {
		String container = docker.start("approval", DockerFixture.IMAGE_1,
				Map.of("app", "safety-approval", "warden.managed", "true"));
		Instant before = docker.startedAt(container);
		long incident = openIncident("SafetyApproval", "approval");
		long execution = awaitOnlyExecution(incident);
		awaitStatus(execution, "awaiting_approval");

		this.clock.advance(Duration.ofMinutes(11));
		Response approve = this.warden.post("/api/v1/runbook-executions/" + execution + "/approve", null);

		assertThat(approve.status()).as(approve.toString()).isEqualTo(409);
		JsonNode expired = awaitStatus(execution, "cancelled");
		assertThat(expired.get("outcome").asString()).contains("expired");
		assertThat(expired.get("approvedBy").isNull()).isTrue();
		assertThat(expired.get("startedAt").isNull()).as("it never started").isTrue();
		assertThat(expired.get("steps"))
			.allSatisfy((step) -> assertThat(step.get("status").asString()).isEqualTo("cancelled"));
		assertThat(docker.startedAt(container)).as("the container was not restarted").isEqualTo(before);
	}

	@Test
	void missingLabelFailsTheRunBeforeAnyAction() {
		String container = docker.start("missing", DockerFixture.IMAGE_1,
				Map.of("app", "safety-missing", "warden.managed", "true"));
		Instant before = docker.startedAt(container);
		long incident = openIncident("SafetyMissingLabel", "missing");

		long execution = accepted(run("safety-missing-label", incident));

		JsonNode failed = awaitStatus(execution, "failed");
		assertThat(failed.get("outcome").asString()).contains("labels.nonexistent");
		assertThat(failed.get("steps")).hasSize(2)
			.allSatisfy((step) -> assertThat(step.get("status").asString()).isEqualTo("skipped"));
		assertThat(docker.startedAt(container)).as("the container was not restarted").isEqualTo(before);
		assertThat(types(incident)).contains("runbook.finished", "runbook.failure_policy")
			.doesNotContain("runbook.started", "runbook.step.succeeded", "runbook.step.failed");
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("runbook.finished");
			assertThat(event.get("summary").asString()).contains("labels.nonexistent");
		});
	}

	@Test
	void verificationThatNeverSeesTheAlertResolveFailsTheRunAndEscalates() {
		long incident = openIncident("SafetyStillFiring", "still-firing");
		long execution = awaitOnlyExecution(incident);
		awaitExecution(execution, "running", (it) -> "waiting".equals(it.get("steps").get(0).get("status").asString()));

		this.clock.advance(Duration.ofMinutes(2).plusSeconds(30));

		JsonNode failed = awaitStatus(execution, "failed");
		assertThat(failed.get("outcome").asString()).contains("still firing");
		assertThat(failed.get("steps").get(0).get("status").asString()).isEqualTo("failed");
		assertThat(failed.get("steps").get(0).get("error").asString()).contains("still firing")
			.contains("SafetyStillFiring");
		assertThat(types(incident)).containsSubsequence("runbook.started", "runbook.step.waiting",
				"runbook.step.failed", "runbook.finished", "runbook.failure_policy");
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("runbook.failure_policy");
			assertThat(event.get("summary").asString()).contains("escalating");
		});
	}

	@Test
	void scaleDownRemovesTheNewestReplicasAndChangesNothingWhenRunAgain() {
		Map<String, String> labels = Map.of("app", "safety-worker", "warden.managed", "true");
		docker.start("worker-1", DockerFixture.IMAGE_1, labels);
		docker.start("worker-2", DockerFixture.IMAGE_1, labels);
		docker.start("worker-3", DockerFixture.IMAGE_1, labels);
		long incident = openIncident("SafetyScaleDown", "scale-down");

		JsonNode scaled = awaitStatus(accepted(run("safety-scale-down", incident)), "succeeded");

		assertThat(names(docker.withLabel("app", "safety-worker"))).as("the oldest replica remains")
			.containsExactly("worker-1-" + docker.run);
		assertThat(scaled.get("steps").get(0).get("output").toString()).contains("stopped and removed worker-3-")
			.contains("stopped and removed worker-2-");
		JsonNode again = awaitStatus(accepted(run("safety-scale-down", incident)), "succeeded");
		assertThat(names(docker.withLabel("app", "safety-worker"))).containsExactly("worker-1-" + docker.run);
		assertThat(again.get("steps").get(0).get("output").toString()).contains("1 running replica(s), was 1")
			.doesNotContain("stopped and removed");
	}

	@Test
	void rollbackFinishesAReplacementThatACrashLeftUnderItsTemporaryName() {
		Map<String, String> labels = Map.of("app", "safety-repair", "warden.managed", "true",
				ManagedContainers.PREVIOUS_IMAGE_LABEL, DockerFixture.IMAGE_1);
		docker.start("repair-a", DockerFixture.IMAGE_2, labels);
		// What a crash between removing repair-b and renaming its replacement leaves
		// behind.
		Map<String, String> leftoverLabels = new java.util.HashMap<>(labels);
		leftoverLabels.put("warden.test-run", docker.run);
		engine.createContainerCmd(DockerFixture.IMAGE_1)
			.withName("repair-b-" + docker.run + "-next-0a1b2c")
			.withLabels(leftoverLabels)
			.withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
			.exec();
		long incident = openIncident("SafetyRepair", "repair");

		JsonNode run = awaitStatus(accepted(run("safety-repair", incident)), "succeeded");

		assertThat(run.get("steps").get(0).get("output").toString())
			.contains("finished the interrupted replacement of repair-b-" + docker.run);
		List<Container> group = docker.withLabel("app", "safety-repair");
		assertThat(names(group)).containsExactlyInAnyOrder("repair-a-" + docker.run, "repair-b-" + docker.run);
		assertThat(group).allSatisfy((container) -> {
			InspectContainerResponse inspected = docker.inspect(container.getId());
			assertThat(inspected.getConfig().getImage()).isEqualTo(DockerFixture.IMAGE_1);
			assertThat(inspected.getState().getRunning()).isTrue();
		});
	}

	@Test
	void rollbackRecreatesTheGroupOnThePreviousImageAndIsHarmlessWhenRunAgain() {
		Map<String, String> labels = Map.of("app", "safety-app", "warden.managed", "true", "tier", "web");
		docker.start("app-a", DockerFixture.IMAGE_1, labels);
		docker.start("app-b", DockerFixture.IMAGE_1, labels);
		long incident = openIncident("SafetyRollback", "rollback");
		// Warden learns which image a group ran before a deploy by watching the groups
		// rollback steps name, once a minute (a dry-run only reads, so it teaches
		// nothing).
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(imagesSeen("app=safety-app,warden.test-run=" + RUN))
				.containsExactly(DockerFixture.IMAGE_1));
		this.clock.advance(Duration.ofMinutes(1));
		// A deploy outside Warden: same names and labels, the next image.
		for (Container container : docker.withLabel("app", "safety-app")) {
			engine.removeContainerCmd(container.getId()).withForce(true).exec();
		}
		docker.start("app-a", DockerFixture.IMAGE_2, labels);
		docker.start("app-b", DockerFixture.IMAGE_2, labels);

		Response plan = dryRun("safety-rollback", incident);

		assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
		assertThat(plan.json().get("refusals")).isEmpty();
		assertThat(plan.json().get("steps").get(0).get("plan").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder(
					"would recreate app-a-%s on %s (now %s)".formatted(docker.run, DockerFixture.IMAGE_1,
							DockerFixture.IMAGE_2),
					"would recreate app-b-%s on %s (now %s)".formatted(docker.run, DockerFixture.IMAGE_1,
							DockerFixture.IMAGE_2));
		assertThat(images(docker.withLabel("app", "safety-app"))).containsOnly(DockerFixture.IMAGE_2);

		awaitStatus(accepted(run("safety-rollback", incident)), "succeeded");

		List<Container> group = docker.withLabel("app", "safety-app");
		assertThat(names(group)).containsExactlyInAnyOrder("app-a-" + docker.run, "app-b-" + docker.run);
		assertThat(group).allSatisfy((container) -> {
			InspectContainerResponse inspected = docker.inspect(container.getId());
			assertThat(inspected.getConfig().getImage()).isEqualTo(DockerFixture.IMAGE_1);
			assertThat(inspected.getConfig().getLabels()).containsAllEntriesOf(labels)
				.containsEntry("warden.test-run", docker.run);
			assertThat(inspected.getState().getRunning()).isTrue();
		});
		JsonNode again = awaitStatus(accepted(run("safety-rollback", incident)), "succeeded");
		assertThat(again.get("steps").get(0).get("output").toString())
			.contains("app-a-%s already runs %s".formatted(docker.run, DockerFixture.IMAGE_1))
			.contains("app-b-%s already runs %s".formatted(docker.run, DockerFixture.IMAGE_1))
			.doesNotContain("recreated");
		assertThat(ids(docker.withLabel("app", "safety-app"))).as("the second run recreated nothing")
			.containsExactlyInAnyOrderElementsOf(ids(group));
	}

	@Test
	void reloadReportsABrokenFileWithItsLineAndKeepsTheGoodRunbooks() throws IOException {
		Path broken = RUNBOOKS.resolve("zz-broken.yaml");
		Files.writeString(broken, """
				id: safety-broken
				title: Broken on purpose
				tiemout: 5m
				steps:
				  - name: Wait
				    action: wait
				    with: {duration: 1s}
				""");
		try {
			Response reload = this.warden.post("/api/v1/runbooks/reload", null);

			assertThat(reload.status()).as(reload.toString()).isEqualTo(200);
			assertThat(reload.json().get("problems")).singleElement().satisfies((problem) -> {
				assertThat(problem.get("file").asString()).isEqualTo("zz-broken.yaml");
				assertThat(problem.get("line").asInt()).isEqualTo(3);
				assertThat(problem.get("reason").asString()).contains("unknown key 'tiemout'");
			});
			assertThat(reload.json().get("loaded").valueStream().map(JsonNode::asString))
				.containsExactlyElementsOf(RUNBOOK_IDS);
			assertThat(this.warden.get("/api/v1/runbooks")
				.json()
				.get("runbooks")
				.valueStream()
				.map((runbook) -> runbook.get("id").asString())).containsExactlyElementsOf(RUNBOOK_IDS);
		}
		finally {
			Files.delete(broken);
			this.warden.post("/api/v1/runbooks/reload", null);
		}
	}

	@Test
	void aRunbookLabelOnAnAlertTheRunbookDoesNotMatchStartsNothingAndSaysWhy() {
		// A replica: the end-to-end test restarts an ai-db primary on the same engine.
		String db = docker.start("forged-db", DockerFixture.IMAGE_1,
				Map.of("app", "ai-db", "db", "replica", "warden.managed", "true"));
		Instant before = docker.startedAt(db);

		long incident = openIncident("SafetyNoise", "forged-label",
				Map.of("runbook", "restart-database", "db", "replica"));

		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("runbook.skipped");
			assertThat(event.get("summary").asString()).contains("restart-database")
				.contains("alertname=\"DatabasePortDown\" does not hold (alertname is \"SafetyNoise\")");
		});
		assertThat(executionsOf(incident)).as("no run, not even a refused one").isEmpty();
		assertThat(docker.startedAt(db)).as("the database was not restarted").isEqualTo(before);
	}

	@Test
	void aTargetValueOutsideTheDeclaredListIsRefusedBeforeAnythingIsTouched() {
		String db = docker.start("analytics-db", DockerFixture.IMAGE_1,
				Map.of("app", "ai-db", "db", "analytics", "warden.managed", "true"));
		Instant before = docker.startedAt(db);

		long incident = openIncident("DatabasePortDown", "undeclared-db",
				Map.of("runbook", "restart-database", "db", "analytics"));
		Response manual = run("restart-database", incident);

		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("runbook.skipped");
			assertThat(event.get("summary").asString()).contains("restart-database")
				.contains("label db is \"analytics\"")
				.contains("primary, replica");
		});
		assertThat(manual.status()).as(manual.toString()).isEqualTo(409);
		assertThat(manual.json().get("detail").asString()).contains("label db is \"analytics\"");
		Response plan = dryRun("restart-database", incident);
		assertThat(plan.json().get("refusals").toString()).contains("label db is \\\"analytics\\\"");
		assertThat(executionsOf(incident)).isEmpty();
		assertThat(docker.startedAt(db)).as("nothing was restarted").isEqualTo(before);
	}

	@Test
	void tenForgedAlertsWithTenGroupKeysRestartOneContainerAtMostItsBudgetWhicheverRunbookTheyName()
			throws InterruptedException {
		String target = docker.start("budget", DockerFixture.IMAGE_1,
				Map.of("app", "safety-budget", "warden.managed", "true"));
		Instant since = Instant.now().minusSeconds(1);
		List<Long> incidents = new java.util.ArrayList<>();

		for (int i = 0; i < 10; i++) {
			// Two runbooks act on the same container; the budget is the container's.
			long incident = openIncident((i % 2 == 0) ? "SafetyBudgetA" : "SafetyBudgetB", "forged-" + i);
			incidents.add(incident);
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
				boolean refused = types(incident).contains("runbook.skipped");
				boolean finished = executionsOf(incident).stream()
					.anyMatch((execution) -> execution.get("finishedAt") != null
							&& !execution.get("finishedAt").isNull());
				assertThat(refused || finished).as("incident %d decided", incident).isTrue();
			});
		}

		assertThat(restartsOf(target, since)).as("real restarts of the container").isEqualTo(2);
		assertThat(incidents.stream().filter((incident) -> !executionsOf(incident).isEmpty())).hasSize(2);
		assertThat(incidents.stream().filter((incident) -> executionsOf(incident).isEmpty())).hasSize(8)
			.allSatisfy((incident) -> assertThat(timeline(incident)).anySatisfy((event) -> {
				assertThat(event.get("type").asString()).isEqualTo("runbook.skipped");
				assertThat(event.get("summary").asString())
					.contains("app=safety-budget,warden.test-run=" + RUN + " 2 time(s)")
					.contains("limit 2 per target");
			}));
	}

	@Test
	void scaleRaisesAGroupToAtLeastItsReplicasAndLeavesALargerGroupAlone() {
		List<String> eight = new java.util.ArrayList<>();
		for (int i = 1; i <= 8; i++) {
			eight.add(docker.start("eight-" + i, DockerFixture.IMAGE_1,
					Map.of("app", "safety-eight", "warden.managed", "true")));
		}
		docker.start("one", DockerFixture.IMAGE_1, Map.of("app", "safety-one", "warden.managed", "true"));
		long busy = openIncident("SafetyScaleUp", "scale-eight", Map.of("group", "safety-eight"));
		long slow = openIncident("SafetyScaleUp", "scale-one", Map.of("group", "safety-one"));

		Response plan = dryRun("safety-scale-up", busy);
		JsonNode eightScaled = awaitStatus(accepted(run("safety-scale-up", busy)), "succeeded");
		JsonNode oneScaled = awaitStatus(accepted(run("safety-scale-up", slow)), "succeeded");

		assertThat(plan.json().get("steps").get(0).get("plan").get(0).asString()).contains("8 running")
			.contains("at least 3 wanted (more are left alone): nothing to do");
		assertThat(ids(docker.withLabel("app", "safety-eight"))).as("all 8 workers still there")
			.containsExactlyInAnyOrderElementsOf(eight);
		assertThat(docker.withLabel("app", "safety-eight"))
			.allSatisfy((worker) -> assertThat(docker.inspect(worker.getId()).getState().getRunning()).isTrue());
		assertThat(eightScaled.get("steps").get(0).get("output").toString())
			.contains("now has 8 running replica(s), was 8")
			.doesNotContain("stopped and removed");
		assertThat(docker.withLabel("app", "safety-one")).hasSize(3)
			.allSatisfy((worker) -> assertThat(docker.inspect(worker.getId()).getState().getRunning()).isTrue());
		assertThat(oneScaled.get("steps").get(0).get("output").toString())
			.contains("now has 3 running replica(s), was 1");
	}

	@Test
	void aRunStartedByHandNeedsAnotherPersonsApprovalWhenItsRunbookSaysSo() {
		long incident = openIncident("SafetyFourEyesByHand", "four-eyes");
		long execution = accepted(run("safety-four-eyes", incident));
		awaitStatus(execution, "awaiting_approval");

		Response own = this.warden.post("/api/v1/runbook-executions/" + execution + "/approve", null);

		assertThat(own.status()).as(own.toString()).isEqualTo(403);
		assertThat(own.contentType()).startsWith("application/problem+json");
		assertThat(own.json().get("detail").asString()).contains("bootstrap started it")
			.contains("requires another person's approval");
		assertThat(awaitStatus(execution, "awaiting_approval").get("approvedBy").isNull()).isTrue();
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("runbook.approval_refused");
			assertThat(event.get("summary").asString()).contains("bootstrap may not approve");
		});
		assertThat(this.jdbc.sql("select count(*) from runbook_audit where execution_id = ? and action = ?")
			.params(execution, "run.approval_refused")
			.query(Long.class)
			.single()).isEqualTo(1);

		this.runbooks.approve(new ExecutionId(execution), "another-responder");

		JsonNode approved = awaitStatus(execution, "succeeded");
		assertThat(approved.get("approvedBy").asString()).isEqualTo("another-responder");
	}

	@Test
	void anyPermittedPersonApprovesARunWardenPreparedForAnAlert() {
		long incident = openIncident("SafetyFourEyes", "four-eyes-auto");
		long execution = awaitOnlyExecution(incident);
		awaitStatus(execution, "awaiting_approval");

		Response approve = this.warden.post("/api/v1/runbook-executions/" + execution + "/approve", null);

		assertThat(approve.status()).as(approve.toString()).isEqualTo(200);
		assertThat(awaitStatus(execution, "succeeded").get("approvedBy").asString()).isEqualTo("bootstrap");
	}

	private long openIncident(String alertname, String key) {
		return openIncident(alertname, key, Map.of());
	}

	private long openIncident(String alertname, String key, Map<String, String> labels) {
		ObjectNode payload = alert(alertname, key);
		labels.forEach(((ObjectNode) payload.get("alerts").get(0).get("labels"))::put);
		Response response = this.warden.webhook(payload);
		assertThat(response.status()).as(response.toString()).isIn(200, 201, 202);
		// Runbooks start after the webhook's commit, when the runbooks follower runs.
		return this.warden.awaitFollowedUp(response.json().get("incident").asLong()).get("id").asLong();
	}

	private Response run(String runbook, long incident) {
		return this.warden.post("/api/v1/runbooks/" + runbook + "/run", Map.of("incident", incident));
	}

	private Response dryRun(String runbook, long incident) {
		return this.warden.post("/api/v1/runbooks/" + runbook + "/dry-run", Map.of("incident", incident));
	}

	private static long accepted(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(202);
		return response.json().get("id").asLong();
	}

	private List<JsonNode> executionsOf(long incident) {
		return this.warden.get("/api/v1/runbook-executions?incident=" + incident).json().valueStream().toList();
	}

	private long awaitOnlyExecution(long incident) {
		long[] id = new long[1];
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			List<JsonNode> executions = executionsOf(incident);
			assertThat(executions).as("executions of incident %d", incident).hasSize(1);
			id[0] = executions.get(0).get("id").asLong();
		});
		return id[0];
	}

	private JsonNode awaitStatus(long execution, String status) {
		return awaitExecution(execution, status, (it) -> true);
	}

	private JsonNode awaitExecution(long execution, String status, Predicate<JsonNode> also) {
		return awaitExecution(execution, status, also, Duration.ofSeconds(30));
	}

	private JsonNode awaitExecution(long execution, String status, Predicate<JsonNode> also, Duration atMost) {
		JsonNode[] found = new JsonNode[1];
		await().atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			JsonNode current = this.warden.get("/api/v1/runbook-executions/" + execution).json();
			assertThat(current.get("status").asString()).as(current.toString()).isEqualTo(status);
			assertThat(also.test(current)).as(current.toString()).isTrue();
			found[0] = current;
		});
		return found[0];
	}

	private List<JsonNode> timeline(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").valueStream().toList();
	}

	private List<String> types(long incident) {
		return timeline(incident).stream().map((event) -> event.get("type").asString()).toList();
	}

	private ObjectNode alert(String name, String key) {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group
			.alert("fp-" + key + "-" + docker.run, "firing", this.clock.instant(), null, "critical")
			.json();
		payload.put("groupKey", "{}:{alertname=\"" + name + "\", key=\"" + key + "\", run=\"" + docker.run + "\"}");
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", name);
		labels.put("run", docker.run);
		return payload;
	}

	private List<String> imagesSeen(String groupKey) {
		return this.jdbc.sql("select image from container_image_history where group_key = ? order by first_seen")
			.param(groupKey)
			.query(String.class)
			.list();
	}

	/** The engine's own record of the container's restarts since then. */
	private static int restartsOf(String container, Instant since) throws InterruptedException {
		List<Event> restarts = new java.util.concurrent.CopyOnWriteArrayList<>();
		engine.eventsCmd()
			.withContainerFilter(container)
			.withEventFilter("restart")
			.withSince(String.valueOf(since.getEpochSecond()))
			.withUntil(String.valueOf(Instant.now().getEpochSecond() + 1))
			.exec(new ResultCallback.Adapter<Event>() {
				@Override
				public void onNext(Event event) {
					restarts.add(event);
				}
			})
			.awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
		return restarts.size();
	}

	private static List<String> names(List<Container> containers) {
		return containers.stream().map((container) -> container.getNames()[0].substring(1)).toList();
	}

	private static List<String> images(List<Container> containers) {
		return containers.stream().map(Container::getImage).toList();
	}

	private static List<String> ids(List<Container> containers) {
		return containers.stream().map(Container::getId).toList();
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		String selector = """
				      selector:
				        app: %s
				        warden.test-run: "{{ labels.run }}"
				""";
		String budget = """
				id: safety-budget-%s
				title: Restart the budget container
				match: ['alertname="%s"']
				mode: auto
				cooldown: 0s
				max-runs: {per-incident: 1, per-target: 2, window: 1h}
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart
				    action: docker.restart
				    with:
				      selector:
				        app: safety-budget
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 1s
				""";
		directory.write("safety-cooldown.yaml", """
				id: safety-cooldown
				title: Post a note, at most every ten minutes
				mode: manual
				cooldown: 10m
				steps:
				  - name: Post
				    action: notify
				    with: {message: "cooldown test"}
				""");
		directory.write("safety-limits.yaml", """
				id: safety-limits
				title: Keep one limited replica, within run limits
				mode: manual
				cooldown: 0s
				max-runs: {per-incident: 2, per-target: 3, window: 1h}
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Keep one replica
				    action: docker.scale
				    with:
				%s      replicas: 1
				""".formatted(selector.formatted("safety-limited")));
		directory.write("safety-paused.yaml", """
				id: safety-paused
				title: Post a note automatically
				match: ['alertname="SafetyPaused"']
				mode: auto
				steps:
				  - name: Post
				    action: notify
				    with: {message: "pause test"}
				""");
		directory.write("safety-cancel.yaml", """
				id: safety-cancel
				title: Wait for the alert to resolve, to be cancelled
				mode: manual
				steps:
				  - name: Verify the alert resolved
				    action: verify.resolved
				    with: {within: 10m, poll-every: 1s}
				""");
		directory.write("safety-busy.yaml", """
				id: safety-busy
				title: Restart a container that is slow to stop, then post a note
				mode: manual
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart the slow container
				    action: docker.restart
				    with:
				%s      stop-timeout: 5s
				  - name: Post
				    action: notify
				    with: {message: "busy test"}
				""".formatted(selector.formatted("safety-stubborn")));
		directory.write("safety-approval.yaml", """
				id: safety-approval
				title: Restart after approval
				match: ['alertname="SafetyApproval"']
				mode: approval
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart
				    action: docker.restart
				    with:
				%s      stop-timeout: 1s
				""".formatted(selector.formatted("safety-approval")));
		directory.write("safety-missing-label.yaml", """
				id: safety-missing-label
				title: Restart a shard the alert does not name
				mode: manual
				targets: {run: ["RUN_ID"], nonexistent: ["1", "2"]}
				steps:
				  - name: Restart the shard
				    action: docker.restart
				    with:
				      selector:
				        app: safety-missing
				        warden.test-run: "{{ labels.run }}"
				        shard: "{{ labels.nonexistent }}"
				      stop-timeout: 1s
				  - name: Verify the alert resolved
				    action: verify.resolved
				    with: {within: 10m, poll-every: 1s}
				""");
		directory.write("safety-verify.yaml", """
				id: safety-verify
				title: Verify an alert that keeps firing
				match: ['alertname="SafetyStillFiring"']
				mode: auto
				on-failure: escalate
				steps:
				  - name: Verify the alert resolved
				    action: verify.resolved
				    with: {within: 2m, poll-every: 1s}
				""");
		directory.write("safety-scale-down.yaml", """
				id: safety-scale-down
				title: Scale the workers down to one
				mode: manual
				cooldown: 0s
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Scale to one
				    action: docker.scale
				    with:
				%s      replicas: 1
				      scale-down: true
				      min: 1
				""".formatted(selector.formatted("safety-worker")));
		directory.write("safety-rollback.yaml", """
				id: safety-rollback
				title: Roll the app back
				mode: manual
				cooldown: 0s
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Roll back
				    action: docker.rollback
				    with:
				%s      stop-timeout: 1s
				""".formatted(selector.formatted("safety-app")));
		directory.write("safety-repair.yaml", """
				id: safety-repair
				title: Roll back a group whose last rollback was interrupted
				mode: manual
				cooldown: 0s
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Roll back
				    action: docker.rollback
				    with:
				%s      stop-timeout: 1s
				""".formatted(selector.formatted("safety-repair")));
		directory.write("safety-budget-a.yaml", budget.formatted("a", "SafetyBudgetA"));
		directory.write("safety-budget-b.yaml", budget.formatted("b", "SafetyBudgetB"));
		directory.write("safety-scale-up.yaml", """
				id: safety-scale-up
				title: Scale a group to at least three
				mode: manual
				targets: {group: [safety-eight, safety-one], run: ["RUN_ID"]}
				steps:
				  - name: At least three
				    action: docker.scale
				    with:
				      selector:
				        app: "{{ labels.group }}"
				        warden.test-run: "{{ labels.run }}"
				      replicas: 3
				""");
		directory.write("safety-four-eyes.yaml", """
				id: safety-four-eyes
				title: Post a note once someone else approves
				match: ['alertname="SafetyFourEyes"']
				mode: approval
				approval: {distinct-approver: true}
				cooldown: 0s
				steps:
				  - name: Post
				    action: notify
				    with: {message: "four eyes"}
				""");
		try {
			// The shipped runbook as it is, against forged and undeclared labels.
			directory.write("restart-database.yaml",
					Files.readString(Path.of("..", "runbooks", "restart-database.yaml")));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return directory.path();
	}

}

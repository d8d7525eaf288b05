package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.TestDatabase;
import dev.warden.incidents.AlertBatch;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.Ingested;
import dev.warden.incidents.ReceivedAlert;
import dev.warden.incidents.RecordedEvent;
import dev.warden.routing.Silences;

import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The runbooks module with what it uses, and nothing that uses it: the catalog of a
 * directory of this test's, automatic runs that start when {@code incidents} hands an
 * opened incident to {@link RunbookService} (its only follower here: notifications is not
 * booted), approvals, and the safety rules that refuse a run. Booted with the modules
 * whose beans runbooks' beans need ({@code incidents}, {@code routing} for silences,
 * {@code access}, {@code cluster}, and theirs: {@code metrics}, {@code storage},
 * {@code web}) and {@code jobs}, whose db-scheduler runs the follow-ups and the runs'
 * steps; no web server, no alerting, notifications, escalation or console. Its runbooks
 * only post to the timeline or are refused before acting, and the Docker engine is a
 * socket that does not exist: nothing here may ask Docker (the real engine is
 * {@link RunbookIntegrationTests}' and {@link RunbookSafetyIntegrationTests}'). Runbooks
 * publishes no Spring events, so the {@link Scenario}s stimulate through the incidents
 * and runbooks APIs and wait for the runs' state to change.
 * <p>
 * The modules are listed rather than left to {@code ALL_DEPENDENCIES}, which follows only
 * the dependencies Spring Modulith sees in constructors (not a {@code @Bean} method's
 * parameters, such as {@code access}' use of {@code web}); {@code ModularityTests}
 * verifies the module structure once, so this test does not again.
 */
@ApplicationModuleTest(verifyAutomatically = false,
		extraIncludes = { "access", "cluster", "incidents", "jobs", "metrics", "routing", "storage", "web" })
@TestPropertySource(properties = { "warden.storage.directory=target/test-data/${random.uuid}",
		"warden.incidents.stale-after=0", "db-scheduler.polling-interval=200ms",
		"warden.docker.host=unix:///nonexistent/warden-module-test/docker.sock" })
@Import({ TestDatabase.class, IntegrationTest.Time.class })
class RunbooksModuleTests {

	private static final Duration RUN = Duration.ofSeconds(30);

	private static final Path RUNBOOKS = new RunbookDirectory().write("notify.yaml", """
			id: module-notify
			title: Say which instance is down
			match: ['alertname="ModuleNotify"']
			mode: auto
			steps:
			  - name: Post
			    action: notify
			    with: {message: "looking at {{ labels.instance }}"}
			""").write("approval.yaml", """
			id: module-approval
			title: Post once someone else approves
			match: ['alertname="ModuleApproval"']
			mode: approval
			cooldown: 0s
			approval: {distinct-approver: true}
			steps:
			  - name: Post
			    action: notify
			    with: {message: "approved for {{ labels.instance }}"}
			""").write("restart.yaml", """
			id: module-restart
			title: Restart the staging app
			mode: manual
			targets: {env: [staging]}
			steps:
			  - name: Restart
			    action: docker.restart
			    with:
			      selector:
			        app: module-app
			        env: "{{ labels.env }}"
			      stop-timeout: 1s
			""").path();

	private final RunbookService runbooks;

	private final RunbookCatalog catalog;

	private final IncidentService incidents;

	private final Silences silences;

	private final TestClock clock;

	RunbooksModuleTests(RunbookService runbooks, RunbookCatalog catalog, IncidentService incidents, Silences silences,
			TestClock clock) {
		this.runbooks = runbooks;
		this.catalog = catalog;
		this.incidents = incidents;
		this.silences = silences;
		this.clock = clock;
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
	}

	@Test
	void theCatalogHoldsTheDirectorysRunbooksAndKnowsWhichOnesAnAlertMatches() {
		assertThat(this.catalog.problems()).isEmpty();
		assertThat(this.catalog.all()).extracting(RunbookDefinition::id)
			.containsExactly("module-approval", "module-notify", "module-restart");
		assertThat(this.catalog.find("module-approval")).hasValueSatisfying((runbook) -> {
			assertThat(runbook.mode()).isEqualTo(RunbookDefinition.Mode.APPROVAL);
			assertThat(runbook.distinctApprover()).isTrue();
			assertThat(runbook.cooldown()).isZero();
		});
		assertThat(this.catalog.matching(Map.of("alertname", "ModuleNotify"))).extracting(RunbookDefinition::id)
			.containsExactly("module-notify");
		assertThat(this.catalog.matching(Map.of("alertname", "ModuleRestart", "env", "staging")))
			.as("a runbook without match rules never starts by itself")
			.isEmpty();
	}

	@Test
	void anOpenedIncidentStartsItsAutomaticRunbookWhoseStepsRunToTheEnd(Scenario scenario) {
		String instance = instance();
		AtomicReference<IncidentId> incident = new AtomicReference<>();

		scenario.stimulate((transactions) -> ingest(incident, "ModuleNotify", instance, Map.of()))
			.andWaitAtMost(RUN)
			.andWaitForStateChange(() -> this.runbooks.executions(incident.get()),
					(runs) -> runs.size() == 1 && runs.getFirst().status().isFinished())
			.andVerify((runs) -> assertThat(runs).singleElement().satisfies((run) -> {
				assertThat(run.runbookId()).isEqualTo("module-notify");
				assertThat(run.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
				assertThat(run.trigger()).isEqualTo(ExecutionTrigger.AUTOMATIC);
				assertThat(run.requestedBy()).isEqualTo("warden");
				assertThat(run.labels()).containsEntry("instance", instance);
				assertThat(run.steps()).singleElement().satisfies((step) -> {
					assertThat(step.status()).isEqualTo(StepStatus.SUCCEEDED);
					assertThat(step.parameters()).containsEntry("message", "looking at " + instance);
				});
			}));

		assertThat(summaries(incident.get(), NotifyAction.NOTIFIED.name())).containsExactly("looking at " + instance);
	}

	@Test
	void aSilencedAlertStartsNoRunbookAndTheTimelineSaysWhy(Scenario scenario) {
		String instance = instance();
		this.silences.create(List.of("instance=\"" + instance + "\""), null,
				this.clock.instant().plus(Duration.ofHours(1)), "alice", "instance is being rebuilt");
		AtomicReference<IncidentId> incident = new AtomicReference<>();

		scenario.stimulate((transactions) -> ingest(incident, "ModuleNotify", instance, Map.of()))
			.andWaitAtMost(RUN)
			.andWaitForStateChange(() -> summaries(incident.get(), RunbookService.SUPPRESSED.name()))
			.andVerify((suppressed) -> assertThat(suppressed).singleElement()
				.satisfies((summary) -> assertThat(summary).contains("instance is being rebuilt", "alice")));

		assertThat(this.runbooks.executions(incident.get())).isEmpty();
	}

	@Test
	void pausedAutomaticRunsStartNothingButSayWhy(Scenario scenario) {
		String instance = instance();
		AtomicReference<IncidentId> incident = new AtomicReference<>();
		this.runbooks.pauseAutomaticRuns(true, "alice", "database maintenance");
		try {
			assertThat(this.runbooks.automaticRuns().paused()).isTrue();

			scenario.stimulate((transactions) -> ingest(incident, "ModuleNotify", instance, Map.of()))
				.andWaitAtMost(RUN)
				.andWaitForStateChange(() -> summaries(incident.get(), RunbookService.SKIPPED.name()))
				.andVerify((skipped) -> assertThat(skipped).singleElement()
					.satisfies((summary) -> assertThat(summary).contains("paused", "database maintenance")));

			assertThat(this.runbooks.executions(incident.get())).isEmpty();
		}
		finally {
			this.runbooks.pauseAutomaticRuns(false, "alice", null);
		}
		assertThat(this.runbooks.automaticRuns().paused()).isFalse();
	}

	@Test
	void anApprovalRunbookWaitsForApprovalAndItsStarterMayNotApproveItself(Scenario scenario) {
		String instance = instance();
		AtomicReference<IncidentId> incident = new AtomicReference<>();

		scenario.stimulate((transactions) -> ingest(incident, "ModuleApproval", instance, Map.of()))
			.andWaitAtMost(RUN)
			.andWaitForStateChange(() -> this.runbooks.executions(incident.get()))
			.andVerify((runs) -> assertThat(runs).singleElement().satisfies((run) -> {
				assertThat(run.status()).isEqualTo(ExecutionStatus.AWAITING_APPROVAL);
				assertThat(run.trigger()).isEqualTo(ExecutionTrigger.AUTOMATIC);
				assertThat(run.approvalExpiresAt()).isAfter(this.clock.instant());
			}));

		ExecutionView manual = this.runbooks.run("module-approval", incident.get(), "alice");
		assertThat(manual.status()).isEqualTo(ExecutionStatus.AWAITING_APPROVAL);
		assertThat(manual.distinctApprover()).isTrue();
		assertThatExceptionOfType(ApprovalRefused.class).isThrownBy(() -> this.runbooks.approve(manual.id(), "alice"));
		assertThat(this.runbooks.execution(manual.id()).status()).isEqualTo(ExecutionStatus.AWAITING_APPROVAL);

		scenario.stimulate((transactions) -> this.runbooks.approve(manual.id(), "bob"))
			.andWaitAtMost(RUN)
			.andWaitForStateChange(() -> this.runbooks.execution(manual.id()), (run) -> run.status().isFinished())
			.andVerify((run) -> {
				assertThat(run.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
				assertThat(run.approvedBy()).isEqualTo("bob");
			});
		assertThat(summaries(incident.get(), RunbookService.APPROVAL_REFUSED.name())).singleElement()
			.satisfies((summary) -> assertThat(summary).contains("alice may not approve"));
	}

	@Test
	void aRunOnATargetTheRunbookDoesNotDeclareIsRefusedAndItsDryRunSaysWhyWithoutAskingDocker() {
		IncidentId incident = ingest(new AtomicReference<>(), "ModuleRestart", instance(), Map.of("env", "production"))
			.incident();

		RunbookService.DryRun dryRun = this.runbooks.dryRun("module-restart", incident);

		assertThat(dryRun.refusals()).singleElement()
			.satisfies((reason) -> assertThat(reason).contains("label env is \"production\"", "staging"));
		assertThat(dryRun.steps()).singleElement()
			.satisfies((step) -> assertThat(step.plan()).containsExactly("not planned: the run would be refused"));
		assertThatExceptionOfType(RunRefused.class)
			.isThrownBy(() -> this.runbooks.run("module-restart", incident, "alice"))
			.satisfies((refused) -> assertThat(refused.reason()).isEqualTo(dryRun.refusals().getFirst()));
		assertThat(this.runbooks.executions(incident)).as("a refused run leaves no run").isEmpty();
		assertThat(summaries(incident, RunbookService.SKIPPED.name())).singleElement()
			.satisfies((summary) -> assertThat(summary).contains("module-restart", "label env is \"production\""));
	}

	@Test
	void aRunWhoseParametersNeedALabelTheAlertLacksIsRefusedBeforeItActs() {
		IncidentId incident = ingest(new AtomicReference<>(), "ModuleRestart", instance(), Map.of()).incident();

		RunbookService.DryRun dryRun = this.runbooks.dryRun("module-restart", incident);

		assertThat(dryRun.refusals()).singleElement()
			.satisfies((reason) -> assertThat(reason).startsWith("cannot start: ").contains("env"));
		assertThat(dryRun.steps()).singleElement().satisfies((step) -> assertThat(step.problem()).contains("env"));
		ExecutionView run = this.runbooks.run("module-restart", incident, "alice");
		assertThat(run.status()).as("recorded, and ended before any step acted").isEqualTo(ExecutionStatus.FAILED);
		assertThat(run.outcome()).startsWith("cannot start: ");
		assertThat(run.steps()).extracting(ExecutionStepView::status).containsExactly(StepStatus.SKIPPED);
	}

	private Ingested ingest(AtomicReference<IncidentId> incident, String alertname, String instance,
			Map<String, String> extraLabels) {
		Map<String, String> labels = new HashMap<>(extraLabels);
		labels.put("alertname", alertname);
		labels.put("instance", instance);
		Instant startsAt = this.clock.instant().minus(Duration.ofMinutes(1));
		ReceivedAlert alert = new ReceivedAlert(instance, true, labels,
				Map.of("summary", alertname + " on " + instance), startsAt, null, null);
		Ingested ingested = this.incidents.ingest(new AlertBatch("{}:{instance=\"" + instance + "\"}", true, "warden",
				Map.of("instance", instance), labels, Map.of(), null, 0, List.of(alert)));
		incident.set(ingested.incident());
		return ingested;
	}

	/** The summaries of the incident's timeline events of this type, oldest first. */
	private List<String> summaries(IncidentId incident, String type) {
		return this.incidents.get(incident)
			.timeline()
			.stream()
			.filter((event) -> event.type().name().equals(type))
			.map(RecordedEvent::summary)
			.toList();
	}

	private static String instance() {
		return "module-" + UUID.randomUUID().toString().substring(0, 8);
	}

}

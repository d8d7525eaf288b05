package dev.warden.runbooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.warden.matching.LabelMatcher;
import dev.warden.runbooks.RunbookDefinition.FailurePolicy;
import dev.warden.runbooks.RunbookDefinition.Limits;
import dev.warden.runbooks.RunbookDefinition.Mode;
import dev.warden.runbooks.RunbookDefinition.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

class RunbookCatalogTests {

	@TempDir
	Path directory;

	@Test
	void loadsAGoodRunbookWithAllItsFields() throws IOException {
		write("restart-database.yaml", """
				# comment
				id: restart-database
				title: Restart the database
				description: Restarts the database container.
				match:
				  - alertname="DatabasePortDown"
				  - db=~"primary|replica"
				mode: auto
				timeout: 10m
				cooldown: 15m
				max-runs: {per-incident: 2, per-target: 4, window: 2h}
				on-failure: notify
				targets: {db: [primary, replica]}
				steps:
				  - name: Restart the database container
				    action: docker.restart
				    timeout: 3m
				    with:
				      selector: {app: ai-db, db: "{{ labels.db }}"}
				      stop-timeout: 30s
				  - name: Check the API
				    action: http.check
				    with: {url: "http://localhost:8000/health", expect-status: 204, retries: 5}
				  - name: Verify
				    action: verify.resolved
				    with: {within: 5m}
				""");

		RunbookCatalog catalog = catalog();

		assertThat(catalog.problems()).isEmpty();
		RunbookDefinition runbook = catalog.find("restart-database").orElseThrow();
		assertThat(runbook.title()).isEqualTo("Restart the database");
		assertThat(runbook.description()).isEqualTo("Restarts the database container.");
		assertThat(runbook.matchers()).containsExactly(LabelMatcher.parse("alertname=\"DatabasePortDown\""),
				LabelMatcher.parse("db=~\"primary|replica\""));
		assertThat(runbook.mode()).isEqualTo(Mode.AUTO);
		assertThat(runbook.timeout()).isEqualTo(Duration.ofMinutes(10));
		assertThat(runbook.cooldown()).isEqualTo(Duration.ofMinutes(15));
		assertThat(runbook.limits()).isEqualTo(new Limits(2, 4, Duration.ofHours(2)));
		assertThat(runbook.onFailure()).isEqualTo(FailurePolicy.NOTIFY);
		assertThat(runbook.targets()).isEqualTo(Map.of("db", List.of("primary", "replica")));
		assertThat(runbook.distinctApprover()).isFalse();
		assertThat(runbook.source()).isEqualTo(this.directory.resolve("restart-database.yaml"));
		assertThat(runbook.steps()).extracting(Step::name, Step::action, Step::timeout)
			.containsExactly(tuple("Restart the database container", "docker.restart", Duration.ofMinutes(3)),
					tuple("Check the API", "http.check", Duration.ofMinutes(2)),
					tuple("Verify", "verify.resolved", Duration.ofMinutes(6)));
		assertThat(runbook.steps().get(0).parameters())
			.isEqualTo(Map.of("selector", Map.of("app", "ai-db", "db", "{{ labels.db }}"), "stop-timeout", "30s"));
		assertThat(runbook.steps().get(1).parameters()).containsEntry("expect-status", 204).containsEntry("retries", 5);
	}

	@Test
	void fillsInTheDefaults() throws IOException {
		write("minimal.yml", """
				id: minimal
				title: Minimal
				steps:
				  - name: Wait
				    action: wait
				    with: {duration: 30s}
				""");

		RunbookDefinition runbook = catalog().find("minimal").orElseThrow();

		assertThat(runbook.description()).isEmpty();
		assertThat(runbook.matchers()).isEmpty();
		assertThat(runbook.mode()).isEqualTo(Mode.MANUAL);
		assertThat(runbook.timeout()).isEqualTo(Duration.ofMinutes(15));
		assertThat(runbook.cooldown()).isEqualTo(Duration.ofMinutes(10));
		assertThat(runbook.limits()).isEqualTo(new Limits(3, 5, Duration.ofHours(1)));
		assertThat(runbook.onFailure()).isEqualTo(FailurePolicy.ESCALATE);
		assertThat(runbook.steps().get(0).timeout()).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void readsStepParametersWithTheActionsDefaults() throws IOException {
		write("a.yaml", runbook("a", """
				  - name: Restart
				    action: docker.restart
				    with: {container: ai-db-1}
				  - name: Scale
				    action: docker.scale
				    with: {selector: {app: worker}, replicas: "{{ labels.replicas }}"}
				  - name: Check
				    action: http.check
				    with: {url: "https://example.test/health"}
				""").replace("steps:\n", "targets: {replicas: [\"4\", many]}\nsteps:\n"));
		List<Step> steps = catalog().find("a").orElseThrow().steps();

		StepParameters restart = ActionSchemas.parameters(steps.get(0));
		assertThat(restart.string("container")).isEqualTo("ai-db-1");
		assertThat(restart.duration("stop-timeout")).isEqualTo(Duration.ofSeconds(10));
		assertThat(restart.labels("selector")).isEmpty();
		StepParameters scale = ActionSchemas.parameters(steps.get(1)).render(Map.of("replicas", "4"), Map.of());
		assertThat(scale.integer("replicas")).isEqualTo(4);
		assertThat(scale.labels("selector")).isEqualTo(Map.of("app", "worker"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ActionSchemas.parameters(steps.get(1))
				.render(Map.of("replicas", "many"), Map.of())
				.integer("replicas"))
			.withMessageContaining("replicas must be a whole number");
		StepParameters check = ActionSchemas.parameters(steps.get(2));
		assertThat(check.integer("expect-status")).isEqualTo(200);
		assertThat(check.integer("retries")).isEqualTo(3);
		assertThat(check.duration("interval")).isEqualTo(Duration.ofSeconds(2));
		assertThat(check.duration("request-timeout")).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void reportsAnUnknownKeyOnItsLine() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				tiemout: 5m
				steps:
				  - name: Wait
				    action: wait
				    wiht: {duration: 1s}
				""");

		assertThat(catalog().problems()).extracting(RunbookProblem::line, RunbookProblem::reason)
			.containsExactly(
					tuple(3, "unknown key 'tiemout' in a runbook (did you mean 'timeout'?); expected id, title,"
							+ " description, match, mode, timeout, cooldown, max-runs, on-failure, targets, approval, steps"),
					tuple(7, "step 1: unknown key 'wiht' in a step (did you mean 'with'?); expected name, action,"
							+ " timeout, with"),
					tuple(5, "step 1: wait needs duration"));
	}

	@Test
	void reportsABadDurationOnItsLine() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				timeout: 10 minutes
				cooldown: 300
				steps:
				  - name: Wait
				    action: wait
				    with:
				      duration: -1s
				""");

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 3, "timeout: '10 minutes' is not a duration"),
				(problem) -> assertProblem(problem, "a.yaml", 4, "cooldown: '300' is not a duration"),
				(problem) -> assertProblem(problem, "a.yaml", 9, "step 1: duration '-1s' is not a duration"));
	}

	@Test
	void reportsAnUnknownActionOnItsLine() throws IOException {
		write("a.yaml", runbook("a", """
				  - name: Restart
				    action: docker.restrat
				    with: {container: x}
				"""));

		assertThat(catalog().problems()).singleElement()
			.satisfies((problem) -> assertProblem(problem, "a.yaml", 6,
					"step 1: unknown action 'docker.restrat' (did you mean 'docker.restart'?); known actions:"
							+ " docker.restart, docker.scale"));
	}

	@Test
	void reportsAMissingRequiredParameterOnTheLineOfWith() throws IOException {
		write("a.yaml", runbook("a", """
				  - name: Scale
				    action: docker.scale
				    with:
				      selector: {app: worker}
				  - name: Verify
				    action: verify.resolved
				"""));

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 7, "step 1: docker.scale needs replicas"),
				(problem) -> assertProblem(problem, "a.yaml", 9, "step 2: verify.resolved needs within"));
	}

	@Test
	void reportsWrongParametersOnTheirLines() throws IOException {
		write("a.yaml", runbook("a", """
				  - name: Restart
				    action: docker.restart
				    with:
				      container: ai-db-1
				      selector:
				        app: ai-db
				        replica: 1
				      stop-timeot: 5s
				  - name: Check
				    action: http.check
				    with:
				      url: ftp://example.test
				      expect-status: 700
				"""));

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 11, "step 1: selector.replica must be non-empty text"),
				(problem) -> assertProblem(problem, "a.yaml", 12, "step 1: unknown parameter 'stop-timeot'"),
				(problem) -> assertProblem(problem, "a.yaml", 7,
						"step 1: docker.restart needs exactly one of container or selector, not both"),
				(problem) -> assertProblem(problem, "a.yaml", 16, "step 2: url 'ftp://example.test' must start with"),
				(problem) -> assertProblem(problem, "a.yaml", 17,
						"step 2: expect-status must be a whole number from 100 to 599, not '700'"));
	}

	@Test
	void reportsABadMatcherOnItsLine() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				match:
				  - alertname="X"
				  - alertname~"Y"
				  - job=~"(api"
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 5,
						"match: 'alertname~\"Y\"': expected one of =, !=, =~, !~ after the label name"),
				(problem) -> assertProblem(problem, "a.yaml", 6, "\"(api\" is not a valid regular expression"));
	}

	@Test
	void reportsABadTemplateOnItsLine() throws IOException {
		write("a.yaml", runbook("a", """
				  - name: Restart
				    action: docker.restart
				    with:
				      selector:
				        app: ai-db
				        db: "{{ labels.db | lower }}"
				  - name: Tell
				    action: notify
				    with:
				      message: "{{ env.HOME }} and {{ labels.x"
				"""));

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 10,
						"step 1: selector.db: '{{ labels.db | lower }}' is not a label or annotation reference"),
				(problem) -> assertProblem(problem, "a.yaml", 14,
						"step 2: message: '{{ env.HOME }}' is not a label or annotation reference"),
				(problem) -> assertProblem(problem, "a.yaml", 14, "step 2: message: '{{' without a closing '}}'"));
	}

	@Test
	void reportsADuplicateIdAsAProblemOfTheSecondFile() throws IOException {
		write("a.yaml", runbook("same", WAIT_STEP));
		write("b.yaml", """
				# the copy
				id: same
				title: B
				steps:
				  - {name: Wait, action: wait, with: {duration: 2s}}
				""");

		RunbookCatalog catalog = catalog();

		assertThat(catalog.problems()).singleElement()
			.satisfies((problem) -> assertProblem(problem, "b.yaml", 2, "id 'same' is already used by a.yaml"));
		assertThat(catalog.find("same")).get()
			.extracting(RunbookDefinition::source)
			.isEqualTo(this.directory.resolve("a.yaml"));
	}

	@Test
	void reportsMissingOrEmptySteps() throws IOException {
		write("empty.yaml", """
				id: empty
				title: Empty
				steps: []
				""");
		write("none.yaml", """
				id: none
				title: None
				""");

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "empty.yaml", 3, "steps is empty"),
				(problem) -> assertProblem(problem, "none.yaml", 1, "steps is missing"));
	}

	@Test
	void reportsEveryProblemOfAFileNotJustTheFirst() throws IOException {
		write("a.yaml", """
				id: Not_An_Id
				mode: sometimes
				on-failure: panic
				max-runs: {per-incident: 0, window: 0s, per-day: 3}
				steps:
				  - name: Wait
				    action: wait
				    with: {duration: 20m}
				  - action: notify
				    with: {message: hi}
				""");

		assertThat(catalog().problems()).extracting(RunbookProblem::line).containsExactly(1, 1, 2, 4, 4, 4, 3, 8, 9);
		assertThat(catalog().problems()).extracting(RunbookProblem::reason)
			.anySatisfy((reason) -> assertThat(reason).startsWith("id 'Not_An_Id' must be lower-case"))
			.anySatisfy((reason) -> assertThat(reason).isEqualTo("title is missing"))
			.anySatisfy((reason) -> assertThat(reason).contains("mode must be one of auto, approval, manual"))
			.anySatisfy((reason) -> assertThat(reason).contains("unknown key 'per-day' in max-runs"))
			.anySatisfy((reason) -> assertThat(reason).contains("max-runs.per-incident must be a whole number >= 1"))
			.anySatisfy((reason) -> assertThat(reason).contains("max-runs.window must be longer than 0"))
			.anySatisfy((reason) -> assertThat(reason).contains("on-failure must be one of notify, escalate, leave"))
			.anySatisfy((reason) -> assertThat(reason)
				.isEqualTo("step 1: its timeout (21m) is longer than the run's timeout (15m)"))
			.anySatisfy((reason) -> assertThat(reason).isEqualTo("step 2: name is missing"));
	}

	@Test
	void reportsInvalidYamlWithItsLine() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				steps:
				  - name: "unterminated
				""");
		write("b.yaml", "- just\n- a list\n");
		write("c.yaml", "# nothing but a comment\n");

		assertThat(catalog().problems()).satisfiesExactly((problem) -> assertThat(problem.file()).isEqualTo("a.yaml"),
				(problem) -> assertProblem(problem, "b.yaml", 1, "a runbook must be a mapping"),
				(problem) -> assertProblem(problem, "c.yaml", 0, "the file is empty"));
		assertThat(catalog().problems().get(0).line()).isPositive();
		assertThat(catalog().problems().get(0).reason()).startsWith("not valid YAML");
	}

	@Test
	void aBrokenFileDoesNotTakeDownAGoodOne() throws IOException {
		write("good.yaml", runbook("good", WAIT_STEP));
		write("broken.yaml", runbook("broken", """
				  - name: Wait
				    action: wait
				    with: {duration: forever}
				"""));
		write("notes.txt", "not a runbook");

		RunbookCatalog catalog = catalog();

		assertThat(catalog.all()).extracting(RunbookDefinition::id).containsExactly("good");
		assertThat(catalog.problems()).singleElement().extracting(RunbookProblem::file).isEqualTo("broken.yaml");
	}

	@Test
	void reloadKeepsTheLastGoodDefinitionOfABrokenFileDropsRemovedFilesAndAddsNewOnes() throws IOException {
		write("a.yaml", runbook("a", WAIT_STEP));
		write("b.yaml", runbook("b", WAIT_STEP));
		RunbookCatalog catalog = catalog();
		RunbookDefinition goodA = catalog.find("a").orElseThrow();

		write("a.yaml", runbook("a", """
				  - name: Wait
				    action: wiat
				"""));
		Files.delete(this.directory.resolve("b.yaml"));
		write("c.yaml", runbook("c", WAIT_STEP));
		LoadReport report = catalog.reload();

		assertThat(report.loaded()).containsExactly("a", "c");
		assertThat(report.problems()).singleElement()
			.satisfies((problem) -> assertProblem(problem, "a.yaml", 6, "unknown action 'wiat'"));
		assertThat(catalog.problems()).isEqualTo(report.problems());
		assertThat(catalog.find("a")).containsSame(goodA);
		assertThat(catalog.find("b")).isEmpty();
		assertThat(catalog.all()).extracting(RunbookDefinition::id).containsExactly("a", "c");

		write("a.yaml", runbook("a", WAIT_STEP).replace("title: A", "title: Fixed"));
		assertThat(catalog.reload().problems()).isEmpty();
		assertThat(catalog.find("a")).get().extracting(RunbookDefinition::title).isEqualTo("Fixed");
	}

	@Test
	void aMissingDirectoryIsOneProblemNotACrash() {
		RunbookCatalog catalog = new RunbookCatalog(new RunbookSettings(this.directory.resolve("nowhere")));

		assertThat(catalog.all()).isEmpty();
		assertThat(catalog.problems()).singleElement()
			.satisfies((problem) -> assertProblem(problem, ".", 0, "does not exist"));
	}

	@Test
	void matchesAlertsOnlyByTheirRulesNeverByTheirRunbookLabel() throws IOException {
		write("db.yaml", """
				id: restart-database
				title: Restart the database
				match:
				  - alertname="DatabasePortDown"
				  - db=~"primary|replica"
				mode: auto
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");
		write("manual.yaml", runbook("manual-only", WAIT_STEP));
		RunbookCatalog catalog = catalog();

		assertThat(catalog.matching(Map.of("alertname", "DatabasePortDown", "db", "primary")))
			.extracting(RunbookDefinition::id)
			.containsExactly("restart-database");
		assertThat(catalog.matching(Map.of("alertname", "DatabasePortDown", "db", "standby"))).isEmpty();
		assertThat(catalog.matching(Map.of("alertname", "DatabasePortDown"))).isEmpty();
		assertThat(catalog.matching(Map.of("alertname", "Anything", "runbook", "manual-only"))).isEmpty();
		assertThat(catalog.matching(Map.of("alertname", "Forged", "runbook", "restart-database"))).isEmpty();
		assertThat(catalog.matching(Map.of())).isEmpty();
	}

	@Test
	void theRunbookLabelChoosesAmongMatchingRunbooksAndNeverWidensThem() throws IOException {
		String head = """
				id: %s
				title: %s
				match:
				  - alertname=~"DatabasePortDown|DatabaseSlow"
				mode: %s
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""";
		write("a.yaml", head.formatted("db-restart", "Restart", "auto"));
		write("b.yaml", head.formatted("db-failover", "Fail over", "approval"));
		write("c.yaml", head.formatted("db-manual", "By hand", "manual"));
		write("d.yaml", runbook("no-rules", WAIT_STEP).replace("steps:", "mode: auto\nsteps:"));
		RunbookCatalog catalog = catalog();

		assertThat(catalog.automaticChoice(Map.of("alertname", "DatabasePortDown")))
			.satisfies((choice) -> assertThat(choice.runbooks()).extracting(RunbookDefinition::id)
				.containsExactly("db-failover", "db-restart"))
			.extracting(RunbookCatalog.Choice::refusal)
			.isNull();
		assertThat(catalog.automaticChoice(Map.of("alertname", "DatabasePortDown", "runbook", "db-restart")))
			.satisfies((choice) -> assertThat(choice.runbooks()).extracting(RunbookDefinition::id)
				.containsExactly("db-restart"))
			.extracting(RunbookCatalog.Choice::refusal)
			.isNull();
		RunbookCatalog.Choice forged = catalog
			.automaticChoice(Map.of("alertname", "Forged", "runbook", "db-restart", "db", "primary"));
		assertThat(forged.runbooks()).isEmpty();
		assertThat(forged.refusal()).contains("db-restart")
			.contains("alertname=~\"DatabasePortDown|DatabaseSlow\" does not hold (alertname is \"Forged\")");
		assertThat(catalog.automaticChoice(Map.of("runbook", "db-restart")).refusal())
			.contains("(the alert has no alertname label)");
		assertThat(catalog.automaticChoice(Map.of("alertname", "X", "runbook", "no-rules")).refusal())
			.contains("no match rules");
		assertThat(catalog.automaticChoice(Map.of("alertname", "DatabaseSlow", "runbook", "db-manual")))
			.satisfies((choice) -> assertThat(choice.runbooks()).isEmpty())
			.extracting(RunbookCatalog.Choice::refusal)
			.asString()
			.contains("only starts when a person runs it");
		assertThat(catalog.automaticChoice(Map.of("alertname", "DatabaseSlow", "runbook", "nope")).refusal())
			.contains("\"nope\", which is not in the catalog");
	}

	@Test
	void aDockerStepTakesOnlyLabelsItsRunbookDeclaresInTargets() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				targets:
				  db: [primary, replica]
				  shard: ["1"]
				steps:
				  - name: Restart
				    action: docker.restart
				    with:
				      selector:
				        app: ai-db
				        db: "{{ labels.db }}"
				        zone: "{{ labels.zone }}"
				  - name: Scale
				    action: docker.scale
				    with:
				      selector: {app: "{{ annotations.app }}"}
				      replicas: 2
				  - name: Restart by name
				    action: docker.restart
				    with:
				      container: "db-{{ labels.instance }}"
				  - name: Tell
				    action: notify
				    with: {message: "{{ labels.instance }} and {{ annotations.summary }} are fine in a message"}
				""");

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 13,
						"step 1: selector.zone uses {{ labels.zone }}, but targets does not declare zone"),
				(problem) -> assertProblem(problem, "a.yaml", 17,
						"step 2: selector.app: a Docker step may not take values from annotations"),
				(problem) -> assertProblem(problem, "a.yaml", 22,
						"step 3: container uses {{ labels.instance }}, but targets does not declare instance"),
				(problem) -> assertProblem(problem, "a.yaml", 5, "targets.shard is declared, but no step uses"));
	}

	@Test
	void anHttpCheckSendsRequestsOnlyWhereItsRunbookSays() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				targets:
				  region: [eu, us]
				steps:
				  - name: Check the declared region
				    action: http.check
				    with: {url: "https://{{ labels.region }}.api.example.test/health"}
				  - name: Check where the alert says
				    action: http.check
				    with: {url: "http://{{ labels.instance }}/health"}
				  - name: Check an annotation's address
				    action: http.check
				    with: {url: "http://{{ annotations.health_host }}/health"}
				""");

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 11,
						"step 2: url uses {{ labels.instance }}, but targets does not declare instance; an http.check"
								+ " step takes from alert labels only values the runbook lists"),
				(problem) -> assertProblem(problem, "a.yaml", 14,
						"step 3: url: an http.check step may not take values from annotations"));
	}

	@Test
	void reportsMalformedTargetsAndApprovalOnTheirLines() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				mode: auto
				approval: {distinct-approver: true}
				targets:
				  db: primary
				  9x: [a]
				  zone: []
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");
		write("b.yaml", """
				id: b
				title: B
				mode: approval
				approval: {distinct-approver: yes please, required: true}
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");

		assertThat(catalog().problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 6, "targets.db must be a non-empty list"),
				(problem) -> assertProblem(problem, "a.yaml", 7, "targets: '9x' is not a label name"),
				(problem) -> assertProblem(problem, "a.yaml", 8, "targets.zone must be a non-empty list"),
				(problem) -> assertProblem(problem, "a.yaml", 4,
						"approval applies only to runbooks with mode: approval"),
				(problem) -> assertProblem(problem, "b.yaml", 4, "unknown key 'required' in approval"),
				(problem) -> assertProblem(problem, "b.yaml", 4,
						"approval.distinct-approver must be true or false, not 'yes please'"));
	}

	@Test
	void readsADistinctApproverRequirement() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				mode: approval
				approval:
				  distinct-approver: true
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");

		assertThat(catalog().find("a")).get().extracting(RunbookDefinition::distinctApprover).isEqualTo(true);
	}

	@Test
	void scalingDownNeedsAnExplicitSwitchAndAFloor() throws IOException {
		write("a.yaml", runbook("a", """
				  - name: Down without a floor
				    action: docker.scale
				    with: {selector: {app: w}, replicas: 2, scale-down: true}
				  - name: A floor without scaling down
				    action: docker.scale
				    with: {selector: {app: w}, replicas: 2, min: 1}
				  - name: Below its own floor
				    action: docker.scale
				    with: {selector: {app: w}, replicas: 1, scale-down: true, min: 2}
				  - name: Not a switch
				    action: docker.scale
				    with: {selector: {app: w}, replicas: 1, scale-down: "yes"}
				"""));
		write("b.yaml", runbook("b", """
				  - name: Down to two, never below two
				    action: docker.scale
				    with: {selector: {app: w}, replicas: 2, scale-down: true, min: 2}
				"""));

		RunbookCatalog catalog = catalog();

		assertThat(catalog.problems()).satisfiesExactly(
				(problem) -> assertProblem(problem, "a.yaml", 7,
						"step 1: docker.scale with scale-down: true needs min"),
				(problem) -> assertProblem(problem, "a.yaml", 10, "step 2: min applies only with scale-down: true"),
				(problem) -> assertProblem(problem, "a.yaml", 13, "step 3: replicas (1) is below min (2)"),
				(problem) -> assertProblem(problem, "a.yaml", 16, "step 4: scale-down must be true or false"));
		StepParameters down = ActionSchemas.parameters(catalog.find("b").orElseThrow().steps().get(0));
		assertThat(down.bool("scale-down")).isTrue();
		assertThat(down.optionalInteger("min")).contains(2);
	}

	@Test
	void listsRunbooksSortedById() throws IOException {
		write("1.yaml", runbook("zeta", WAIT_STEP));
		write("2.yaml", runbook("alpha", WAIT_STEP));

		assertThat(catalog().all()).extracting(RunbookDefinition::id).containsExactly("alpha", "zeta");
	}

	private static final String WAIT_STEP = """
			  - name: Wait
			    action: wait
			    with: {duration: 1s}
			""";

	/** A valid runbook head (4 lines: id, title, a comment, steps) with these steps. */
	@Test
	void theContentHashCoversEveryRunbookFileByNameAndContent() throws IOException {
		String wait = """
				  - name: Wait
				    action: wait
				    with: {duration: 1s}
				""";
		write("a.yaml", runbook("a", wait));
		write("b.yaml", runbook("b", wait));
		RunbookCatalog catalog = catalog();
		String first = catalog.contentHash();

		assertThat(first).hasSize(64);
		assertThat(catalog().contentHash()).as("the same files elsewhere").isEqualTo(first);
		write(".b.yaml.swp", "editor state");
		write("notes.txt", "not a runbook");
		assertThat(catalog.reload().problems()).isEmpty();
		assertThat(catalog.contentHash()).as("files that are not runbooks").isEqualTo(first);

		write("b.yaml", runbook("b", wait) + "# a comment\n");
		catalog.reload();
		String changed = catalog.contentHash();
		assertThat(changed).isNotEqualTo(first);

		Files.move(this.directory.resolve("b.yaml"), this.directory.resolve("c.yaml"));
		catalog.reload();
		assertThat(catalog.contentHash()).isNotIn(first, changed);

		Files.delete(this.directory.resolve("a.yaml"));
		Files.delete(this.directory.resolve("c.yaml"));
		Files.delete(this.directory.resolve(".b.yaml.swp"));
		Files.delete(this.directory.resolve("notes.txt"));
		Files.delete(this.directory);
		catalog.reload();
		assertThat(catalog.contentHash()).isEqualTo("unreadable");
	}

	private static String runbook(String id, String steps) {
		return "id: " + id + "\ntitle: " + id.toUpperCase() + "\n# steps follow\nsteps:\n" + steps;
	}

	private static void assertProblem(RunbookProblem problem, String file, int line, String reason) {
		assertThat(problem.file()).isEqualTo(file);
		assertThat(problem.reason()).contains(reason);
		assertThat(problem.line()).as("line of %s", problem).isEqualTo(line);
	}

	private RunbookCatalog catalog() {
		return new RunbookCatalog(new RunbookSettings(this.directory));
	}

	private void write(String name, String text) throws IOException {
		Files.writeString(this.directory.resolve(name), text);
	}

}

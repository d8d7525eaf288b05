package dev.warden.runbooks;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.warden.runbooks.RunbookDefinition.Mode;
import dev.warden.runbooks.RunbookDefinition.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** The runbooks in the repository's {@code runbooks/} directory, as Warden ships them. */
class ShippedRunbooksTests {

	private static final Path SHIPPED = Path.of("..", "runbooks");

	private final RunbookCatalog catalog = new RunbookCatalog(new RunbookSettings(SHIPPED));

	@Test
	void everyShippedFileLoadsWithoutProblems() {
		assertThat(SHIPPED.resolve("README.md")).exists();
		assertThat(this.catalog.problems()).isEmpty();
		assertThat(this.catalog.all()).extracting(RunbookDefinition::id)
			.containsExactly("restart-database", "restart-inference-api", "rollback-inference-api",
					"scale-inference-workers");
	}

	@Test
	void everyShippedRunbookProvesItsFixByWaitingForTheAlertToResolve() {
		assertThat(this.catalog.all()).isNotEmpty().allSatisfy((runbook) -> {
			assertThat(runbook.steps()).last().extracting(Step::action).isEqualTo(ActionSchemas.VERIFY_RESOLVED);
			assertThat(runbook.matchers()).as(runbook.id()).isNotEmpty();
		});
	}

	@Test
	void onlyTheRollbackWaitsForApproval() {
		assertThat(this.catalog.find("rollback-inference-api")).get()
			.extracting(RunbookDefinition::mode)
			.isEqualTo(Mode.APPROVAL);
		assertThat(this.catalog.all()).filteredOn((runbook) -> !runbook.id().equals("rollback-inference-api"))
			.extracting(RunbookDefinition::mode)
			.containsOnly(Mode.AUTO);
	}

	@Test
	void shippedRunbooksMatchTheAlertsTheyAreFor() {
		assertThat(this.catalog.matching(Map.of("alertname", "DatabasePortDown", "db", "replica")))
			.extracting(RunbookDefinition::id)
			.containsExactly("restart-database");
		assertThat(this.catalog.matching(Map.of("alertname", "LivenessProbeFailing"))).extracting(RunbookDefinition::id)
			.containsExactly("restart-inference-api");
		assertThat(this.catalog.matching(Map.of("alertname", "HighCpuUsage"))).extracting(RunbookDefinition::id)
			.containsExactly("scale-inference-workers");
		assertThat(this.catalog.matching(Map.of("alertname", "HighErrorRate"))).extracting(RunbookDefinition::id)
			.containsExactly("rollback-inference-api");
	}

	@Test
	void aRunbookLabelNeverStartsAShippedRunbookWhoseRulesDoNotHold() {
		assertThat(this.catalog.automaticChoice(Map.of("alertname", "Forged", "runbook", "restart-database")))
			.satisfies((choice) -> assertThat(choice.runbooks()).isEmpty())
			.extracting(RunbookCatalog.Choice::refusal)
			.asString()
			.contains("alertname=\"DatabasePortDown\" does not hold");
		assertThat(this.catalog
			.automaticChoice(Map.of("alertname", "DatabasePortDown", "db", "primary", "runbook", "restart-database"))
			.runbooks()).extracting(RunbookDefinition::id).containsExactly("restart-database");
	}

	@Test
	void theDatabaseRestartTakesOnlyTheDatabasesItDeclares() {
		RunbookDefinition restart = this.catalog.find("restart-database").orElseThrow();

		assertThat(restart.targets()).isEqualTo(Map.of("db", java.util.List.of("primary", "replica")));
		assertThat(restart.disallowedTargets(Map.of("db", "primary"))).isEmpty();
		assertThat(restart.disallowedTargets(Map.of("db", "analytics"))).singleElement()
			.asString()
			.contains("label db is \"analytics\"")
			.contains("primary, replica");
	}

	@Test
	void theWorkerScaleNeverRemovesWorkersAndTheRollbackNeedsASecondPersonWhenStartedByHand() {
		Step scale = this.catalog.find("scale-inference-workers").orElseThrow().steps().get(0);

		assertThat(ActionSchemas.parameters(scale).bool("scale-down")).isFalse();
		assertThat(ActionSchemas.parameters(scale).integer("replicas")).isEqualTo(3);
		assertThat(this.catalog.find("rollback-inference-api")).get()
			.extracting(RunbookDefinition::distinctApprover)
			.isEqualTo(true);
	}

	@Test
	void theDatabaseRestartTargetsTheDatabaseTheAlertNames() {
		Step restart = this.catalog.find("restart-database").orElseThrow().steps().get(0);

		assertThat(ActionSchemas.parameters(restart).render(Map.of("db", "replica"), Map.of()).labels("selector"))
			.isEqualTo(Map.of("app", "ai-db", "db", "replica"));
	}

}

package dev.warden;

import java.nio.file.Path;

import com.tngtech.archunit.core.importer.ImportOption;
import fixture.modularity.FixtureApplication;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keeps the feature packages honest: no cycles, no reaching into another module's
 * internals, and no dependency a module did not declare in its {@code package-info}.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(WardenApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		this.modules.verify();
	}

	@Test
	void rejectsDependencyTheModuleDidNotDeclare() {
		// The fixture is in test classes, which ApplicationModules.of(Class) leaves out.
		var fixture = ApplicationModules.of(FixtureApplication.class, new ImportOption.OnlyIncludeTests());

		assertThatExceptionOfType(Violations.class).isThrownBy(fixture::verify)
			.withMessageContaining("Module 'first' depends on module 'second'")
			.withMessageContaining("Allowed targets: none");
	}

	@Test
	void writesTheModuleDiagram() {
		Documenter documenter = new Documenter(this.modules);
		documenter.writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();

		assertThat(Path.of("target", "spring-modulith-docs", "components.puml")).content()
			.contains("Incidents", "Alerting", "Storage");
	}

}

package dev.warden;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the feature packages honest: no cycles, no reaching into another module's
 * internals.
 */
class ModularityTests {

	private final ApplicationModules modules = ApplicationModules.of(WardenApplication.class);

	@Test
	void modulesRespectTheirBoundaries() {
		this.modules.verify();
	}

	@Test
	void writesTheModuleDiagram() {
		Documenter documenter = new Documenter(this.modules);
		documenter.writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();

		assertThat(Path.of("target", "spring-modulith-docs", "components.puml")).content()
			.contains("Incidents", "Alerting", "Storage");
	}

}

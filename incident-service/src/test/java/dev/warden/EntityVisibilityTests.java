package dev.warden;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

import org.springframework.data.repository.Repository;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * Modules hand out records, not entities: no JPA entity and no Spring Data repository is
 * visible outside its module's package, so no other module can hold one (or trip over a
 * lazy collection of one after the owning module's transaction ended).
 */
class EntityVisibilityTests {

	private final JavaClasses warden = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.warden");

	@Test
	void entitiesAndRepositoriesArePackagePrivate() {
		classes().that()
			.areAnnotatedWith(Entity.class)
			.or()
			.areAssignableTo(Repository.class)
			.should()
			.notBePublic()
			.because("other modules get views (records) built in the owning module's transaction")
			.check(this.warden);
	}

}

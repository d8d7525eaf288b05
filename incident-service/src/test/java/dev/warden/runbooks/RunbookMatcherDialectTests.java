package dev.warden.runbooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runbook's match rules are RE2, as in Alertmanager: a pattern RE2 refuses is a problem
 * on its file and line that names the matcher, and a good one is anchored as a whole.
 */
class RunbookMatcherDialectTests {

	@TempDir
	Path directory;

	@Test
	void reportsAMatcherRe2RefusesWithFileLineAndMatcher() throws IOException {
		write("a.yaml", """
				id: a
				title: A
				match:
				  - alertname="X"
				  - job=~"(?<=ai-)api"
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");

		RunbookCatalog catalog = new RunbookCatalog(new RunbookSettings(this.directory));

		assertThat(catalog.problems()).singleElement().satisfies((problem) -> {
			assertThat(problem.file()).isEqualTo("a.yaml");
			assertThat(problem.line()).isEqualTo(5);
			assertThat(problem.reason()).contains("job=~\"(?<=ai-)api\"", "RE2");
		});
		assertThat(catalog.find("a")).isEmpty();
	}

	@Test
	void matchesAWholeValueAsAlertmanagerDoes() throws IOException {
		write("b.yaml", """
				id: b
				title: B
				match:
				  - alertname="X"
				  - db=~"primary|replica"
				steps:
				  - {name: Wait, action: wait, with: {duration: 1s}}
				""");

		RunbookDefinition runbook = new RunbookCatalog(new RunbookSettings(this.directory)).find("b").orElseThrow();

		assertThat(runbook.matches(Map.of("alertname", "X", "db", "replica"))).isTrue();
		assertThat(runbook.matches(Map.of("alertname", "X", "db", "primary-2"))).isFalse();
		assertThat(runbook.matches(Map.of("alertname", "X", "db", "old-replica"))).isFalse();
	}

	private void write(String name, String text) throws IOException {
		Files.writeString(this.directory.resolve(name), text);
	}

}

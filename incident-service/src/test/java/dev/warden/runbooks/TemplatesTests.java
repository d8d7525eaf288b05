package dev.warden.runbooks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TemplatesTests {

	private static final Map<String, String> LABELS = Map.of("db", "primary", "container", "ai-db-1", "empty", "");

	private static final Map<String, String> ANNOTATIONS = Map.of("summary", "Port 5432 is down");

	@Test
	void substitutesLabelsAndAnnotationsWithOrWithoutSpaces() {
		assertThat(Templates.render("db-{{ labels.db }}", LABELS, ANNOTATIONS)).isEqualTo("db-primary");
		assertThat(Templates.render("{{labels.container}}: {{  annotations.summary  }}", LABELS, ANNOTATIONS))
			.isEqualTo("ai-db-1: Port 5432 is down");
		assertThat(Templates.render("no references", LABELS, ANNOTATIONS)).isEqualTo("no references");
	}

	@Test
	void neverExpandsASubstitutedValueAgain() {
		Map<String, String> labels = Map.of("a", "{{ labels.b }}", "b", "secret");

		assertThat(Templates.render("{{ labels.a }}", labels, Map.of())).isEqualTo("{{ labels.b }}");
	}

	@Test
	void namesEveryMissingReference() {
		assertThatExceptionOfType(MissingTemplateValue.class)
			.isThrownBy(() -> Templates.render("{{ labels.instance }}", LABELS, ANNOTATIONS))
			.withMessage("labels.instance is not set on the alert");
		assertThatExceptionOfType(MissingTemplateValue.class)
			.isThrownBy(() -> Templates.render("{{ labels.instance }} {{ annotations.runbook_url }} {{ labels.empty }}",
					LABELS, ANNOTATIONS))
			.withMessage("labels.instance, annotations.runbook_url, labels.empty are not set on the alert")
			.satisfies((ex) -> assertThat(ex.references()).containsExactly("labels.instance", "annotations.runbook_url",
					"labels.empty"));
	}

	@Test
	void rendersAWholeParameterMapIncludingSelectorValues() {
		Map<String, Object> parameters = Map.of("selector", Map.of("app", "ai-db", "db", "{{ labels.db }}"),
				"stop-timeout", "30s", "replicas", 3);

		Map<String, Object> rendered = Templates.render(parameters, LABELS, ANNOTATIONS);

		assertThat(rendered).containsEntry("selector", Map.of("app", "ai-db", "db", "primary"))
			.containsEntry("stop-timeout", "30s")
			.containsEntry("replicas", 3);
	}

	@Test
	void aParameterMapNamesMissingReferencesFromAllItsValues() {
		Map<String, Object> parameters = Map.of("selector", Map.of("db", "{{ labels.db_role }}"), "message",
				"{{ annotations.description }}");

		assertThatExceptionOfType(MissingTemplateValue.class)
			.isThrownBy(() -> Templates.render(parameters, LABELS, ANNOTATIONS))
			.satisfies((ex) -> assertThat(ex.references()).containsExactlyInAnyOrder("labels.db_role",
					"annotations.description"));
	}

	@Test
	void acceptsOnlyLabelAndAnnotationReferences() {
		assertThat(Templates.problems("{{ labels.db }} and {{annotations.summary}}")).isEmpty();
		assertThat(Templates.problems("plain { braces } are text")).isEmpty();
	}

	@Test
	void reportsExpressionsFiltersOtherRootsAndUnbalancedBraces() {
		assertThat(Templates.problems("{{ labels.db | upper }}")).singleElement()
			.asString()
			.contains("expressions, filters and functions are not supported");
		assertThat(Templates.problems("{{ env.HOME }}")).singleElement().asString().contains("'env'");
		assertThat(Templates.problems("{{ labels.a.b }}")).singleElement()
			.asString()
			.contains("not a single label name");
		assertThat(Templates.problems("{{ }}")).singleElement().asString().contains("empty");
		assertThat(Templates.problems("{{ labels.db ")).singleElement().asString().contains("without a closing");
		assertThat(Templates.problems("labels.db }}")).singleElement().asString().contains("without an opening");
		assertThat(Templates.problems("{{ {{ labels.db }} }}")).hasSize(2);
		assertThat(Templates.problems("{{ labels.a }} {{ 1 + 1 }} {{ labels.b }} {{ x")).hasSize(2);
	}

	@Test
	void refusesToRenderAnInvalidTemplate() {
		assertThat(List.of("{{ labels.db | upper }}", "{{ labels.db"))
			.allSatisfy((text) -> assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> Templates.render(text, LABELS, ANNOTATIONS)));
	}

}

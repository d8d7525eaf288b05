package dev.warden.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class YamlReaderTests {

	private final List<Problem> problems = new ArrayList<>();

	private final YamlReader reader = new YamlReader(this::add, Suggestions.NEAREST);

	@Test
	void composesADocumentWithTheLineOfEveryValue() {
		Node root = this.reader.compose("""
				name: primary
				zone: UTC
				""", "empty");

		Map<String, NodeTuple> fields = this.reader.mapping(root, "a thing", List.of("name", "zone"), "");

		assertThat(this.problems).isEmpty();
		assertThat(fields).containsOnlyKeys("name", "zone");
		assertThat(YamlReader.line(fields.get("zone").getValueNode())).isEqualTo(2);
		assertThat(YamlReader.text(fields.get("name").getValueNode())).isEqualTo("primary");
	}

	@Test
	void invalidYamlIsAProblemOnItsLine() {
		assertThat(this.reader.compose("a: b\nc: [d\n", "empty")).isNull();

		assertThat(this.problems).singleElement().satisfies((problem) -> {
			assertThat(problem.line()).isPositive();
			assertThat(problem.reason()).startsWith("not valid YAML: ");
		});
	}

	@Test
	void anEmptyFileIsTheGivenProblem() {
		assertThat(this.reader.compose("", "the file is empty")).isNull();

		assertThat(this.problems).containsExactly(new Problem(0, "the file is empty"));
	}

	@Test
	void unknownRepeatedAndNonTextKeysAreProblems() {
		Node root = this.reader.compose("""
				nmae: x
				zone: a
				zone: b
				~: c
				[list]: d
				""", "empty");

		Map<String, NodeTuple> fields = this.reader.mapping(root, "a thing", List.of("name", "zone"), "p: ");

		assertThat(fields).containsOnlyKeys("zone");
		assertThat(this.problems).extracting(Problem::line, Problem::reason)
			.containsExactly(tuple(1, "p: unknown key 'nmae' in a thing (did you mean 'name'?); expected name, zone"),
					tuple(3, "p: 'zone' appears twice (first on line 2)"), tuple(4, "p: keys must be plain names"),
					tuple(5, "p: keys must be plain names"));
	}

	@Test
	void readersCanNameTheMappingOfRepeatsAndTakeNullKeysByTheirText() {
		YamlReader reader = new YamlReader(this::add, Suggestions.NONE).namingTheMappingOfRepeatedKeys()
			.takingNullKeysByTheirText();
		Node root = reader.compose("""
				zone: a
				zone: b
				~: c
				nmae: x
				""", "empty");

		reader.mapping(root, "a thing", List.of("name", "zone"), "");

		assertThat(this.problems).extracting(Problem::reason)
			.containsExactly("'zone' appears twice in a thing (first on line 1)",
					"unknown key '~' in a thing; expected name, zone",
					"unknown key 'nmae' in a thing; expected name, zone");
	}

	@Test
	void aNodeThatIsNotAMappingIsAProblem() {
		Node root = this.reader.compose("- a\n", "empty");

		assertThat(this.reader.mapping(root, "a thing", List.of("name"), "")).isNull();
		assertThat(this.problems)
			.containsExactly(new Problem(1, "a thing must be a mapping of keys to values, with keys name"));
	}

	@Test
	void requiredTextIsStrippedAndMustBeThere() {
		Node root = this.reader.compose("""
				name: '  alice '
				blank: ''
				list: [a]
				""", "empty");
		Map<String, NodeTuple> fields = this.reader.mapping(root, "a thing", List.of("name", "blank", "list"), "");

		assertThat(this.reader.requiredText(fields, "name", 1, "")).isEqualTo("alice");
		assertThat(this.reader.requiredText(fields, "blank", 1, "p: ")).isNull();
		assertThat(this.reader.requiredText(fields, "list", 1, "p: ")).isNull();
		assertThat(this.reader.requiredText(fields, "zone", 1, "p: ")).isNull();
		assertThat(this.problems).containsExactly(new Problem(2, "p: blank must be non-empty text"),
				new Problem(3, "p: list must be non-empty text"), new Problem(1, "p: zone is missing"));
	}

	@Test
	void nullIsNoText() {
		Node root = this.reader.compose("a: ~\nb: null\nc:\n", "empty");
		Map<String, NodeTuple> fields = this.reader.mapping(root, "a thing", List.of("a", "b", "c"), "");

		assertThat(fields.values()).allSatisfy((tuple) -> {
			assertThat(YamlReader.isNull(tuple.getValueNode())).isTrue();
			assertThat(YamlReader.text(tuple.getValueNode())).isNull();
		});
	}

	@Test
	void nearestSuggestsTheClosestWithinTwoEdits() {
		assertThat(Suggestions.NEAREST.didYouMean("tiemout", List.of("title", "timeout")))
			.isEqualTo(" (did you mean 'timeout'?)");
		assertThat(Suggestions.NEAREST.didYouMean("zoe", List.of("bob"))).isEqualTo(" (did you mean 'bob'?)");
		assertThat(Suggestions.NEAREST.didYouMean("docker", List.of("wait"))).isEmpty();
		assertThat(Suggestions.NEAREST.didYouMean("ab", List.of("xy"))).isEqualTo(" (did you mean 'xy'?)");
	}

	@Test
	void firstNearSuggestsTheFirstWithinOneEditForShortNames() {
		assertThat(Suggestions.FIRST_NEAR.didYouMean("bobb", List.of("alice", "bob")))
			.isEqualTo(" (did you mean 'bob'?)");
		assertThat(Suggestions.FIRST_NEAR.didYouMean("zoe", List.of("bob"))).isEmpty();
		assertThat(Suggestions.FIRST_NEAR.didYouMean("alicia", List.of("alice", "alicia")))
			.isEqualTo(" (did you mean 'alice'?)");
	}

	@Test
	void noneSuggestsNothing() {
		assertThat(Suggestions.NONE.didYouMean("nmae", List.of("name"))).isEmpty();
	}

	private void add(int line, String reason) {
		this.problems.add(new Problem(line, reason));
	}

	record Problem(int line, String reason) {
	}

}

package dev.warden.matching;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.warden.matching.LabelMatcher.Operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LabelMatcherTests {

	@Test
	void parsesTheFourOperators() {
		assertThat(LabelMatcher.parse("alertname=\"DatabasePortDown\""))
			.isEqualTo(new LabelMatcher("alertname", Operator.EQUAL, "DatabasePortDown"));
		assertThat(LabelMatcher.parse("severity!=\"info\""))
			.isEqualTo(new LabelMatcher("severity", Operator.NOT_EQUAL, "info"));
		assertThat(LabelMatcher.parse("alertname=~\"Inference.*\""))
			.isEqualTo(new LabelMatcher("alertname", Operator.REGEX, "Inference.*"));
		assertThat(LabelMatcher.parse("env!~\"dev|test\""))
			.isEqualTo(new LabelMatcher("env", Operator.NOT_REGEX, "dev|test"));
	}

	@Test
	void ignoresWhitespaceAroundTheParts() {
		assertThat(LabelMatcher.parse("  alertname =~ \"A|B\"  "))
			.isEqualTo(new LabelMatcher("alertname", Operator.REGEX, "A|B"));
	}

	@Test
	void acceptsUnquotedValuesWithoutSpacesOrCommas() {
		assertThat(LabelMatcher.parse("db=primary")).isEqualTo(new LabelMatcher("db", Operator.EQUAL, "primary"));
		assertThat(LabelMatcher.parse("job=~ai-.*")).isEqualTo(new LabelMatcher("job", Operator.REGEX, "ai-.*"));
		assertThat(LabelMatcher.parse("team=")).isEqualTo(new LabelMatcher("team", Operator.EQUAL, ""));
	}

	@Test
	void unescapesQuotesAndBackslashesAndKeepsOtherEscapesForRegexes() {
		assertThat(LabelMatcher.parse("summary=\"say \\\"hi\\\" \\\\ bye\"").value()).isEqualTo("say \"hi\" \\ bye");
		assertThat(LabelMatcher.parse("instance=~\"10\\.0\\.0\\.1:9090\"").value()).isEqualTo("10\\.0\\.0\\.1:9090");
		assertThat(LabelMatcher.parse("summary=\"a, b\"").value()).isEqualTo("a, b");
	}

	@Test
	void printsWhatItParses() {
		LabelMatcher matcher = LabelMatcher.parse("summary=~\"say \\\"hi\\\" \\\\d+\"");

		assertThat(LabelMatcher.parse(matcher.toString())).isEqualTo(matcher);
	}

	@Test
	void rejectsAMissingOperatorWithTheExpectedOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("alertname~\"x\""))
			.withMessageContaining("expected one of =, !=, =~, !~ after the label name");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("alertname"))
			.withMessageContaining("expected one of =, !=, =~, !~");
	}

	@Test
	void rejectsTextThatIsNotAMatcher() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("")).withMessageContaining("empty");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("=\"x\""))
			.withMessageContaining("expected a label name");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("1abc=\"x\""))
			.withMessageContaining("expected a label name");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("a=\"x"))
			.withMessageContaining("no closing quote");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("a=\"x\" b=\"y\""))
			.withMessageContaining("unexpected text after the closing quote");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("a=x,b=y"))
			.withMessageContaining("one matcher per entry");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("a=two words"))
			.withMessageContaining("quote it");
	}

	@Test
	void rejectsAnInvalidRegexNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("alertname=~\"(Inference\""))
			.withMessageContaining("\"(Inference\" is not a valid regular expression");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LabelMatcher("alertname", Operator.NOT_REGEX, "a)|(b"))
			.withMessageContaining("a)|(b");
	}

	@Test
	void matchesEqualityAndInequality() {
		Map<String, String> labels = Map.of("alertname", "DatabasePortDown", "db", "primary");

		assertThat(LabelMatcher.parse("db=\"primary\"").matches(labels)).isTrue();
		assertThat(LabelMatcher.parse("db=\"replica\"").matches(labels)).isFalse();
		assertThat(LabelMatcher.parse("db!=\"replica\"").matches(labels)).isTrue();
		assertThat(LabelMatcher.parse("db!=\"primary\"").matches(labels)).isFalse();
	}

	@Test
	void anchorsRegexesAtBothEnds() {
		LabelMatcher matcher = LabelMatcher.parse("alertname=~\"InferenceApiDown|LivenessProbeFailing\"");

		assertThat(matcher.matches(Map.of("alertname", "InferenceApiDown"))).isTrue();
		assertThat(matcher.matches(Map.of("alertname", "LivenessProbeFailing"))).isTrue();
		assertThat(matcher.matches(Map.of("alertname", "XInferenceApiDown"))).isFalse();
		assertThat(matcher.matches(Map.of("alertname", "InferenceApiDownX"))).isFalse();
		assertThat(matcher.matches(Map.of("alertname", "InferenceApiDown\n"))).isFalse();
		assertThat(LabelMatcher.parse("alertname!~\"Inference.*\"").matches(Map.of("alertname", "InferenceX")))
			.isFalse();
		assertThat(LabelMatcher.parse("alertname!~\"Inference\"").matches(Map.of("alertname", "InferenceX"))).isTrue();
	}

	@Test
	void treatsAMissingLabelAsTheEmptyString() {
		assertThat(LabelMatcher.parse("team=\"\"").matches(Map.of())).isTrue();
		assertThat(LabelMatcher.parse("team!=\"\"").matches(Map.of())).isFalse();
		assertThat(LabelMatcher.parse("team=~\"ops|\"").matches(Map.of())).isTrue();
		assertThat(LabelMatcher.parse("team=~\".+\"").matches(Map.of())).isFalse();
		assertThat(LabelMatcher.parse("team!~\".+\"").matches(Map.of("team", ""))).isTrue();
		assertThat(LabelMatcher.parse("team=\"ops\"").matches(null)).isFalse();
	}

	@Test
	void refusesWhatRe2RefusesNamingTheMatcher() {
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("job=~\"(a)\\\\1\""))
			.withMessageContaining("'job=~\"(a)\\\\1\"'")
			.withMessageContaining("RE2")
			.withMessageContaining("\\1");
		assertThatIllegalArgumentException().isThrownBy(() -> LabelMatcher.parse("job=~\"(?=a)\""))
			.withMessageContaining("'job=~\"(?=a)\"'")
			.withMessageContaining("RE2");
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelMatcher("job", Operator.NOT_REGEX, "(?<=a)b"))
			.withMessageContaining("(?<=a)b");
		assertThatIllegalArgumentException().isThrownBy(() -> new LabelMatcher("job", Operator.REGEX, "a*+"))
			.withMessageContaining("RE2");
		assertThat(new LabelMatcher("job", Operator.EQUAL, "(a)\\1").matches(Map.of("job", "(a)\\1")))
			.as("equality matchers are not regular expressions")
			.isTrue();
	}

	@Test
	void anchorsTheWholeExpressionAsAlertmanagerDoes() {
		// ^(?:dev|test)$, not ^dev|test$: the alternation is anchored as a whole.
		LabelMatcher matcher = LabelMatcher.parse("env=~\"dev|test\"");

		assertThat(matcher.matches(Map.of("env", "dev"))).isTrue();
		assertThat(matcher.matches(Map.of("env", "test"))).isTrue();
		assertThat(matcher.matches(Map.of("env", "devops"))).isFalse();
		assertThat(matcher.matches(Map.of("env", "pretest"))).isFalse();
		assertThat(LabelMatcher.parse("env=~\"^dev$\"").matches(Map.of("env", "dev")))
			.as("explicit anchors are harmless")
			.isTrue();
	}

	@Test
	void readsCommonPatternsAsAlertmanagerDoes() {
		assertThat(LabelMatcher.parse("instance=~\"10\\.0\\.0\\.\\d+:9090\"")
			.matches(Map.of("instance", "10.0.0.12:9090"))).isTrue();
		assertThat(LabelMatcher.parse("instance=~\"10\\.0\\.0\\.\\d+:9090\"")
			.matches(Map.of("instance", "10x0.0.12:9090"))).isFalse();
		assertThat(LabelMatcher.parse("severity=~\"(?i)critical\"").matches(Map.of("severity", "CRITICAL"))).isTrue();
		// POSIX classes are RE2 syntax; java.util.regex read [[:alpha:]] as a set of
		// the characters ':', 'a', 'l', 'p', 'h'.
		assertThat(LabelMatcher.parse("team=~\"[[:alpha:]]+\"").matches(Map.of("team", "ops"))).isTrue();
		assertThat(LabelMatcher.parse("team=~\"[[:alpha:]]+\"").matches(Map.of("team", "ops1"))).isFalse();
		assertThat(LabelMatcher.parse("job=~\"ai-.+\"").matches(Map.of("job", "ai-\nx")))
			.as("a dot does not match a newline")
			.isFalse();
		assertThat(LabelMatcher.parse("job=~\"(?s)ai-.+\"").matches(Map.of("job", "ai-\nx"))).isTrue();
		assertThat(LabelMatcher.parse("job=~\"ai\\pL+\"").matches(Map.of("job", "aiÄb"))).isTrue();
	}

	@Test
	void matchesInTimeLinearInTheValue() {
		LabelMatcher matcher = LabelMatcher.parse("job=~\"(.*a){12}\"");
		String hostile = "a".repeat(10_000) + "b";

		long started = System.nanoTime();
		boolean matched = matcher.matches(Map.of("job", hostile));
		long took = System.nanoTime() - started;

		assertThat(matched).isFalse();
		assertThat(matcher.matches(Map.of("job", "a".repeat(12)))).isTrue();
		assertThat(Duration.ofNanos(took)).as("java.util.regex would take longer than the age of the universe")
			.isLessThan(Duration.ofSeconds(5));
	}

}

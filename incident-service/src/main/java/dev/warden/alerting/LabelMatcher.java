package dev.warden.alerting;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One label matcher in Alertmanager's syntax: {@code name="value"},
 * {@code name!="value"}, {@code name=~"regex"}, {@code name!~"regex"}. As in
 * Alertmanager, regular expressions are anchored at both ends and a missing label matches
 * as the empty string.
 *
 * @param name the label name
 * @param operator how the value is compared
 * @param value the value or regular expression
 */
public record LabelMatcher(String name, Operator operator, String value) {

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	public LabelMatcher {
		Objects.requireNonNull(operator, "operator");
		Objects.requireNonNull(value, "value");
		if (name == null || !LABEL_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("'" + name + "' is not a valid label name");
		}
	}

	/**
	 * Parses one matcher such as {@code alertname="DatabasePortDown"}; quotes are
	 * optional for values without spaces or commas, as in amtool.
	 * @throws IllegalArgumentException with the reason when the text is not a matcher
	 */
	public static LabelMatcher parse(String text) {
		throw new UnsupportedOperationException("implemented in the runbook catalog change");
	}

	/** True when the labels satisfy this matcher. */
	public boolean matches(Map<String, String> labels) {
		throw new UnsupportedOperationException("implemented in the runbook catalog change");
	}

	@Override
	public String toString() {
		return this.name + this.operator.symbol() + "\"" + this.value.replace("\\", "\\\\").replace("\"", "\\\"")
				+ "\"";
	}

	/** The four operators of Alertmanager's matcher syntax. */
	public enum Operator {

		EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

		private final String symbol;

		Operator(String symbol) {
			this.symbol = symbol;
		}

		public String symbol() {
			return this.symbol;
		}

	}

}

package dev.warden.matching;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * One label matcher in Alertmanager's syntax: {@code name="value"},
 * {@code name!="value"}, {@code name=~"regex"}, {@code name!~"regex"}. As in
 * Alertmanager, regular expressions are RE2 (through RE2/J: matching takes time linear in
 * the label value, and there are no backreferences or lookaround), anchored at both ends
 * as {@code ^(?:regex)$}, and a missing label matches as the empty string.
 *
 * @param name the label name
 * @param operator how the value is compared
 * @param value the value or regular expression
 */
public record LabelMatcher(String name, Operator operator, String value) {

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	/**
	 * Compiled regular expressions by source text, so that a matcher compiles its
	 * expression once. Bounded: beyond it, expressions are compiled on each match rather
	 * than kept forever.
	 */
	private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

	private static final int MAX_CACHED_PATTERNS = 1024;

	public LabelMatcher {
		Objects.requireNonNull(operator, "operator");
		Objects.requireNonNull(value, "value");
		if (name == null || !LABEL_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("'" + name + "' is not a valid label name");
		}
		if (operator.isRegex()) {
			pattern(value);
		}
	}

	/**
	 * Parses one matcher such as {@code alertname="DatabasePortDown"}; quotes are
	 * optional for values without spaces or commas, as in amtool.
	 * @throws IllegalArgumentException with the reason when the text is not a matcher
	 */
	public static LabelMatcher parse(String text) {
		if (text == null || text.isBlank()) {
			throw new IllegalArgumentException("a matcher is empty; write one like alertname=\"DatabasePortDown\"");
		}
		return new Parser(text.strip()).parse();
	}

	/** True when the labels satisfy this matcher. */
	public boolean matches(Map<String, String> labels) {
		String actual = (labels != null) ? labels.get(this.name) : null;
		if (actual == null) {
			actual = "";
		}
		return switch (this.operator) {
			case EQUAL -> actual.equals(this.value);
			case NOT_EQUAL -> !actual.equals(this.value);
			case REGEX -> pattern(this.value).matcher(actual).matches();
			case NOT_REGEX -> !pattern(this.value).matcher(actual).matches();
		};
	}

	private static Pattern pattern(String regex) {
		Pattern cached = PATTERNS.get(regex);
		if (cached != null) {
			return cached;
		}
		Pattern compiled;
		try {
			// The source must be a regular expression on its own: wrapped, "a)|(b" would
			// compile to ^(?:a)|(b)$, which means something else.
			Pattern.compile(regex);
			compiled = Pattern.compile("^(?:" + regex + ")$");
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("\"" + regex + "\" is not a valid regular expression in RE2,"
					+ " the dialect Alertmanager uses (no backreferences, no lookaround): " + ex.getDescription()
					+ ((ex.getPattern() != null && !ex.getPattern().isEmpty()) ? " at `" + ex.getPattern() + "`" : ""),
					ex);
		}
		if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
			PATTERNS.putIfAbsent(regex, compiled);
		}
		return compiled;
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

		boolean isRegex() {
			return this == REGEX || this == NOT_REGEX;
		}

	}

	/** Reads {@code name op value} the way amtool does. */
	private static final class Parser {

		private final String text;

		private int position;

		Parser(String text) {
			this.text = text;
		}

		LabelMatcher parse() {
			String name = name();
			skipWhitespace();
			Operator operator = operator();
			skipWhitespace();
			String value = (peek() == '"') ? quotedValue() : unquotedValue();
			try {
				return new LabelMatcher(name, operator, value);
			}
			catch (IllegalArgumentException ex) {
				throw fail(ex.getMessage());
			}
		}

		private String name() {
			int start = this.position;
			while (this.position < this.text.length()
					&& isNameChar(this.text.charAt(this.position), this.position == start)) {
				this.position++;
			}
			if (this.position == start) {
				throw fail("expected a label name at the start");
			}
			return this.text.substring(start, this.position);
		}

		private static boolean isNameChar(char c, boolean first) {
			return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
		}

		private Operator operator() {
			String rest = this.text.substring(this.position);
			for (Operator operator : new Operator[] { Operator.REGEX, Operator.NOT_EQUAL, Operator.NOT_REGEX,
					Operator.EQUAL }) {
				if (rest.startsWith(operator.symbol())) {
					this.position += operator.symbol().length();
					return operator;
				}
			}
			throw fail("expected one of =, !=, =~, !~ after the label name");
		}

		private String quotedValue() {
			StringBuilder value = new StringBuilder();
			this.position++;
			while (this.position < this.text.length()) {
				char c = this.text.charAt(this.position++);
				if (c == '"') {
					skipWhitespace();
					if (this.position < this.text.length()) {
						throw fail("unexpected text after the closing quote: '" + this.text.substring(this.position)
								+ "' (one matcher per entry)");
					}
					return value.toString();
				}
				if (c == '\\' && this.position < this.text.length()) {
					char escaped = this.text.charAt(this.position++);
					switch (escaped) {
						case '"', '\\' -> value.append(escaped);
						case 'n' -> value.append('\n');
						// As amtool: any other backslash stays, so "a\.b" is the regex
						// a\.b.
						default -> value.append('\\').append(escaped);
					}
				}
				else {
					value.append(c);
				}
			}
			throw fail("the value has no closing quote");
		}

		private String unquotedValue() {
			String value = this.text.substring(this.position);
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if (Character.isWhitespace(c) || c == ',' || c == '"' || c == '\'') {
					throw fail("an unquoted value may not contain whitespace, commas or quotes; quote it (\"...\")"
							+ ((c == ',') ? " or write one matcher per entry" : ""));
				}
			}
			this.position = this.text.length();
			return value;
		}

		private char peek() {
			return (this.position < this.text.length()) ? this.text.charAt(this.position) : 0;
		}

		private void skipWhitespace() {
			while (this.position < this.text.length() && Character.isWhitespace(this.text.charAt(this.position))) {
				this.position++;
			}
		}

		private IllegalArgumentException fail(String reason) {
			return new IllegalArgumentException("'" + this.text + "': " + reason);
		}

	}

}

package dev.warden.runbooks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only templating runbooks have: {@code {{ labels.NAME }}} and {@code {{
 * annotations.NAME }}} in string parameter values, replaced by the alert's label or
 * annotation. Plain substitution in one pass: no expressions, filters, defaults or
 * escapes, and a substituted value is never read as a template again. A label or
 * annotation that is missing or empty is an error, never an empty string.
 */
final class Templates {

	private static final String OPEN = "{{";

	private static final String CLOSE = "}}";

	private static final Pattern REFERENCE = Pattern.compile("\\s*(labels|annotations)\\.([a-zA-Z_][a-zA-Z0-9_]*)\\s*");

	private static final Pattern OTHER_ROOT = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\.[a-zA-Z0-9_.]*\\s*");

	private Templates() {
	}

	/** True when the text holds at least one {@code {{ }}} reference. */
	public static boolean hasReferences(String text) {
		return text.contains(OPEN);
	}

	/**
	 * What is wrong with the templates in a text: anything inside {@code {{ }}} other
	 * than a label or annotation reference, and unbalanced braces.
	 * @return the reasons, empty when the text is fine
	 */
	public static List<String> problems(String text) {
		List<String> problems = new ArrayList<>();
		scan(text, new Visitor() {

			@Override
			public void reference(String root, String name) {
			}

			@Override
			public void problem(String reason) {
				problems.add(reason);
			}

		});
		return problems;
	}

	/**
	 * The well-formed references in a text, in order (problems are left to
	 * {@link #problems}).
	 */
	public static List<Reference> references(String text) {
		List<Reference> references = new ArrayList<>();
		scan(text, new Visitor() {

			@Override
			public void reference(String root, String name) {
				references.add(new Reference(root, name));
			}

			@Override
			public void problem(String reason) {
			}

		});
		return references;
	}

	/**
	 * The text with every reference replaced by the alert's value.
	 * @throws MissingTemplateValue when a referenced label or annotation is missing or
	 * empty, naming all of them
	 * @throws IllegalArgumentException when the text is not a valid template
	 */
	public static String render(String text, Map<String, String> labels, Map<String, String> annotations) {
		Set<String> missing = new LinkedHashSet<>();
		String rendered = render(text, labels, annotations, missing);
		if (!missing.isEmpty()) {
			throw new MissingTemplateValue(List.copyOf(missing));
		}
		return rendered;
	}

	/**
	 * Renders every string in a parameter map, including those inside nested maps and
	 * lists; other values are kept as they are.
	 * @return a new unmodifiable map in the same order
	 * @throws MissingTemplateValue naming every missing reference in the whole map
	 */
	public static Map<String, Object> render(Map<String, ?> parameters, Map<String, String> labels,
			Map<String, String> annotations) {
		Set<String> missing = new LinkedHashSet<>();
		@SuppressWarnings("unchecked")
		Map<String, Object> rendered = (Map<String, Object>) renderValue(parameters, labels, annotations, missing);
		if (!missing.isEmpty()) {
			throw new MissingTemplateValue(List.copyOf(missing));
		}
		return rendered;
	}

	private static Object renderValue(Object value, Map<String, String> labels, Map<String, String> annotations,
			Set<String> missing) {
		if (value instanceof String text) {
			return render(text, labels, annotations, missing);
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, Object> rendered = new LinkedHashMap<>();
			map.forEach((key, item) -> rendered.put(key, renderValue(item, labels, annotations, missing)));
			return Collections.unmodifiableMap(rendered);
		}
		if (value instanceof List<?> list) {
			List<Object> rendered = new ArrayList<>();
			list.forEach((item) -> rendered.add(renderValue(item, labels, annotations, missing)));
			return Collections.unmodifiableList(rendered);
		}
		return value;
	}

	private static String render(String text, Map<String, String> labels, Map<String, String> annotations,
			Set<String> missing) {
		if (!text.contains(OPEN) && !text.contains(CLOSE)) {
			return text;
		}
		StringBuilder rendered = new StringBuilder();
		scan(text, new Visitor() {

			@Override
			public void text(String part) {
				rendered.append(part);
			}

			@Override
			public void reference(String root, String name) {
				Map<String, String> values = root.equals("labels") ? labels : annotations;
				String value = (values != null) ? values.get(name) : null;
				if (value == null || value.isEmpty()) {
					missing.add(root + "." + name);
				}
				else {
					rendered.append(value);
				}
			}

			@Override
			public void problem(String reason) {
				throw new IllegalArgumentException(reason);
			}

		});
		return rendered.toString();
	}

	private static void scan(String text, Visitor visitor) {
		int position = 0;
		while (position < text.length()) {
			int open = text.indexOf(OPEN, position);
			int close = text.indexOf(CLOSE, position);
			if (close >= 0 && (open < 0 || close < open)) {
				visitor.problem("'}}' without an opening '{{'");
				visitor.text(text.substring(position, close + CLOSE.length()));
				position = close + CLOSE.length();
				continue;
			}
			if (open < 0) {
				visitor.text(text.substring(position));
				return;
			}
			visitor.text(text.substring(position, open));
			int end = text.indexOf(CLOSE, open + OPEN.length());
			if (end < 0) {
				visitor.problem("'{{' without a closing '}}'");
				visitor.text(text.substring(open));
				return;
			}
			String inside = text.substring(open + OPEN.length(), end);
			String template = text.substring(open, end + CLOSE.length());
			Matcher reference = REFERENCE.matcher(inside);
			if (inside.contains(OPEN)) {
				visitor.problem("'" + template + "' has a '{{' inside another");
			}
			else if (reference.matches()) {
				visitor.reference(reference.group(1), reference.group(2));
			}
			else {
				visitor.problem("'" + template + "' is not a label or annotation reference: " + whatIsWrong(inside)
						+ "; write {{ labels.NAME }} or {{ annotations.NAME }}");
			}
			position = end + CLOSE.length();
		}
	}

	private static String whatIsWrong(String inside) {
		if (inside.isBlank()) {
			return "it is empty";
		}
		Matcher other = OTHER_ROOT.matcher(inside);
		if (!other.matches()) {
			return "expressions, filters and functions are not supported";
		}
		String root = other.group(1);
		if (root.equals("labels") || root.equals("annotations")) {
			return "'" + inside.strip() + "' is not a single " + root.substring(0, root.length() - 1) + " name";
		}
		return "'" + root + "' is not something a template can name";
	}

	/**
	 * One {@code {{ root.name }}} reference.
	 *
	 * @param root {@code labels} or {@code annotations}
	 * @param name the label's or annotation's name
	 */
	public record Reference(String root, String name) {

		/** True for a label reference. */
		public boolean isLabel() {
			return this.root.equals("labels");
		}

		@Override
		public String toString() {
			return this.root + "." + this.name;
		}

	}

	private interface Visitor {

		default void text(String part) {
		}

		void reference(String root, String name);

		void problem(String reason);

	}

}

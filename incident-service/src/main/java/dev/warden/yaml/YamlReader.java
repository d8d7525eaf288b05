package dev.warden.yaml;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML file as SnakeYAML's node tree, so no object is ever constructed from a
 * tag and every value keeps its line, and reports what is wrong with it as problems with
 * a line instead of stopping at the first. The file's own parser keeps its rules; this
 * only reads the document, its mappings and its text.
 */
public final class YamlReader {

	private final Problems problems;

	private final Suggestions suggestions;

	private final boolean repeatsNameTheMapping;

	private final boolean nullKeysAreNames;

	/**
	 * A reader that reports to the given problems.
	 * @param problems where problems go
	 * @param suggestions how to suggest a known key for an unknown one
	 */
	public YamlReader(Problems problems, Suggestions suggestions) {
		this(problems, suggestions, false, false);
	}

	private YamlReader(Problems problems, Suggestions suggestions, boolean repeatsNameTheMapping,
			boolean nullKeysAreNames) {
		this.problems = problems;
		this.suggestions = suggestions;
		this.repeatsNameTheMapping = repeatsNameTheMapping;
		this.nullKeysAreNames = nullKeysAreNames;
	}

	/**
	 * This reader, naming the mapping in a repeated key's problem ({@code 'x' appears
	 * twice in a step (first on line 3)}).
	 * @return a new reader
	 */
	public YamlReader namingTheMappingOfRepeatedKeys() {
		return new YamlReader(this.problems, this.suggestions, true, this.nullKeysAreNames);
	}

	/**
	 * This reader, taking a null key ({@code ~} or {@code null}) by its text, so it is an
	 * unknown key rather than one that is not a plain name.
	 * @return a new reader
	 */
	public YamlReader takingNullKeysByTheirText() {
		return new YamlReader(this.problems, this.suggestions, this.repeatsNameTheMapping, true);
	}

	/**
	 * Composes a file's text into its node tree. Text that is not YAML is a problem with
	 * the line SnakeYAML names; an empty file is a problem too.
	 * @param text the file's text
	 * @param whenEmpty the reason to give when the file is empty
	 * @return the document's root node, or null when it is not valid YAML or empty
	 */
	public Node compose(String text, String whenEmpty) {
		Node root;
		try {
			root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
		}
		catch (MarkedYAMLException ex) {
			Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
			String reason = (ex.getProblem() != null) ? ex.getProblem() : ex.getContext();
			this.problems.add((mark != null) ? mark.getLine() + 1 : 0, "not valid YAML: " + reason);
			return null;
		}
		catch (YAMLException ex) {
			this.problems.add(0, "not valid YAML: " + ex.getMessage());
			return null;
		}
		if (root == null) {
			this.problems.add(0, whenEmpty);
		}
		return root;
	}

	/**
	 * The keys of a mapping node; keys that are not plain names, repeated and unknown
	 * keys are problems and left out.
	 * @param node the node
	 * @param what the mapping, for problems ({@code "a step"})
	 * @param allowed the keys it may have
	 * @param prefix what each problem's reason starts with
	 * @return the fields by key, in file order, or null when the node is not a mapping
	 */
	public Map<String, NodeTuple> mapping(Node node, String what, List<String> allowed, String prefix) {
		if (!(node instanceof MappingNode mapping)) {
			this.problems.add(line(node),
					prefix + what + " must be a mapping of keys to values, with keys " + String.join(", ", allowed));
			return null;
		}
		Map<String, NodeTuple> fields = new LinkedHashMap<>();
		for (NodeTuple tuple : mapping.getValue()) {
			Node key = tuple.getKeyNode();
			String name = (this.nullKeysAreNames && key instanceof ScalarNode scalar) ? scalar.getValue() : text(key);
			if (name == null) {
				this.problems.add(line(key), prefix + "keys must be plain names");
			}
			else if (fields.containsKey(name)) {
				this.problems.add(line(key),
						prefix + "'" + name + "' appears twice" + (this.repeatsNameTheMapping ? " in " + what : "")
								+ " (first on line " + line(fields.get(name).getKeyNode()) + ")");
			}
			else if (!allowed.contains(name)) {
				this.problems.add(line(key), prefix + "unknown key '" + name + "' in " + what
						+ this.suggestions.didYouMean(name, allowed) + "; expected " + String.join(", ", allowed));
			}
			else {
				fields.put(name, tuple);
			}
		}
		return fields;
	}

	/**
	 * A field that must be there with non-empty text.
	 * @param fields the mapping's fields
	 * @param key the field
	 * @param line the mapping's line, for a missing field
	 * @param prefix what each problem's reason starts with
	 * @return the text, stripped, or null when it is missing or not text (a problem)
	 */
	public String requiredText(Map<String, NodeTuple> fields, String key, int line, String prefix) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null) {
			this.problems.add(line, prefix + key + " is missing");
			return null;
		}
		String text = text(tuple.getValueNode());
		if (text == null || text.isBlank()) {
			this.problems.add(line(tuple.getKeyNode()), prefix + key + " must be non-empty text");
			return null;
		}
		return text.strip();
	}

	/**
	 * A scalar's text as written.
	 * @param node the node
	 * @return the text, or null for a null or a collection
	 */
	public static String text(Node node) {
		return (node instanceof ScalarNode scalar && !isNull(node)) ? scalar.getValue() : null;
	}

	/**
	 * Whether a node is YAML's null ({@code ~}, {@code null} or nothing).
	 * @param node the node
	 * @return whether it is null
	 */
	public static boolean isNull(Node node) {
		return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
	}

	/**
	 * The line a node starts on.
	 * @param node the node
	 * @return the 1-based line, or 0 when unknown
	 */
	public static int line(Node node) {
		return (node.getStartMark() != null) ? node.getStartMark().getLine() + 1 : 0;
	}

	/**
	 * Where a reader's problems go; the file's parser makes them its own problems.
	 */
	@FunctionalInterface
	public interface Problems {

		/**
		 * Reports a problem.
		 * @param line the 1-based line it is on; 0 when unknown
		 * @param reason what is wrong, for people
		 */
		void add(int line, String reason);

	}

}

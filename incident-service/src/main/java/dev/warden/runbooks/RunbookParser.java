package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.warden.matching.LabelMatcher;
import dev.warden.runbooks.ActionSchemas.ParameterProblem;
import dev.warden.runbooks.RunbookDefinition.FailurePolicy;
import dev.warden.runbooks.RunbookDefinition.Limits;
import dev.warden.runbooks.RunbookDefinition.Mode;
import dev.warden.runbooks.RunbookDefinition.Step;
import dev.warden.yaml.Suggestions;
import dev.warden.yaml.YamlReader;

import static dev.warden.yaml.YamlReader.isNull;
import static dev.warden.yaml.YamlReader.line;
import static dev.warden.yaml.YamlReader.text;

/**
 * Reads one runbook file into a {@link RunbookDefinition}, collecting every problem with
 * its line instead of stopping at the first. Works on SnakeYAML's node tree, so no object
 * is ever constructed from a tag and every value keeps its position.
 */
final class RunbookParser {

	static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

	static final int MAX_ID_LENGTH = 64;

	static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

	static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

	static final Limits DEFAULT_LIMITS = new Limits(3, 5, Duration.ofHours(1));

	private static final List<String> RUNBOOK_KEYS = List.of("id", "title", "description", "match", "mode", "timeout",
			"cooldown", "max-runs", "on-failure", "targets", "approval", "steps");

	private static final List<String> APPROVAL_KEYS = List.of("distinct-approver");

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	private static final List<String> LIMIT_KEYS = List.of("per-incident", "per-target", "window");

	private static final List<String> STEP_KEYS = List.of("name", "action", "timeout", "with");

	private static final int MAX_DEPTH = 8;

	private final String file;

	private final List<RunbookProblem> problems = new ArrayList<>();

	private final YamlReader yaml;

	/** The labels the steps read, for declared targets no step uses. */
	private final Set<String> usedLabels = new HashSet<>();

	private RunbookParser(String file) {
		this.file = file;
		this.yaml = new YamlReader(this::problem, Suggestions.NEAREST).takingNullKeysByTheirText();
	}

	/**
	 * Parses a runbook file's text.
	 * @param file the file name relative to the runbook directory, for problems
	 * @param source the file, for the definition
	 */
	static Result parse(String file, Path source, String text) {
		return new RunbookParser(file).parse(source, text);
	}

	private Result parse(Path source, String text) {
		Node root = this.yaml.compose(text, "the file is empty; a runbook needs at least id, title and steps");
		if (root == null) {
			return result(null, 0);
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(root, "a runbook", RUNBOOK_KEYS, "");
		if (fields == null) {
			return result(null, 0);
		}
		int line = line(root);
		String id = this.yaml.requiredText(fields, "id", line, "");
		int idLine = fields.containsKey("id") ? line(fields.get("id").getValueNode()) : line;
		if (id != null && (!ID.matcher(id).matches() || id.length() > MAX_ID_LENGTH)) {
			problem(idLine,
					"id '" + id + "' must be lower-case letters, digits and dashes, start with a letter or digit,"
							+ " and be at most " + MAX_ID_LENGTH + " characters");
			id = null;
		}
		String title = this.yaml.requiredText(fields, "title", line, "");
		String description = optionalText(fields, "description", "");
		List<LabelMatcher> matchers = matchers(fields.get("match"));
		Mode mode = choice(fields, "mode", Mode.class, Mode.MANUAL, "");
		Duration timeout = duration(fields, "timeout", DEFAULT_TIMEOUT, false, "");
		Duration cooldown = duration(fields, "cooldown", DEFAULT_COOLDOWN, true, "");
		Limits limits = limits(fields.get("max-runs"));
		FailurePolicy onFailure = choice(fields, "on-failure", FailurePolicy.class, FailurePolicy.ESCALATE, "");
		Map<String, List<String>> targets = targets(fields.get("targets"));
		boolean distinctApprover = distinctApprover(fields.get("approval"), mode);
		List<Step> steps = steps(fields, line, timeout, targets);
		unusedTargets(fields.get("targets"), targets);
		if (!this.problems.isEmpty()) {
			return result(null, idLine);
		}
		return result(new RunbookDefinition(id, title, description, matchers, mode, steps, timeout, cooldown, limits,
				onFailure, targets, distinctApprover, source), idLine);
	}

	/**
	 * {@code targets}: for each alert label the steps use, the values it may take, such
	 * as {@code {db: [primary, replica]}}.
	 */
	private Map<String, List<String>> targets(NodeTuple tuple) {
		Map<String, List<String>> targets = new LinkedHashMap<>();
		if (tuple == null || isNull(tuple.getValueNode())) {
			return targets;
		}
		if (!(tuple.getValueNode() instanceof MappingNode mapping)) {
			problem(line(tuple.getValueNode()),
					"targets must map label names to the values they may take, like {db: [primary, replica]}");
			return targets;
		}
		for (NodeTuple entry : mapping.getValue()) {
			String label = text(entry.getKeyNode());
			int line = line(entry.getKeyNode());
			if (label == null || !LABEL_NAME.matcher(label).matches()) {
				problem(line, "targets: '" + text(entry.getKeyNode()) + "' is not a label name");
				continue;
			}
			if (targets.containsKey(label)) {
				problem(line, "targets: '" + label + "' appears twice");
				continue;
			}
			if (!(entry.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
				problem(line(entry.getValueNode()), "targets." + label
						+ " must be a non-empty list of the values the label may take, like [primary, replica]");
				continue;
			}
			List<String> values = new ArrayList<>();
			for (Node item : sequence.getValue()) {
				String value = (item instanceof ScalarNode && !isNull(item)) ? text(item) : null;
				if (value == null || value.isEmpty()) {
					problem(line(item), "targets." + label + " values must be non-empty text");
				}
				else {
					values.add(value);
				}
			}
			targets.put(label, values);
		}
		return targets;
	}

	private void unusedTargets(NodeTuple tuple, Map<String, List<String>> targets) {
		if (tuple == null || !(tuple.getValueNode() instanceof MappingNode mapping)) {
			return;
		}
		for (NodeTuple entry : mapping.getValue()) {
			String label = text(entry.getKeyNode());
			if (targets.containsKey(label) && !this.usedLabels.contains(label)) {
				problem(line(entry.getKeyNode()), "targets." + label + " is declared, but no step uses {{ labels."
						+ label + " }}" + Suggestions.NEAREST.didYouMean(label, this.usedLabels));
			}
		}
	}

	/** {@code approval: {distinct-approver: true}}, for approval runbooks only. */
	private boolean distinctApprover(NodeTuple tuple, Mode mode) {
		if (tuple == null) {
			return false;
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(tuple.getValueNode(), "approval", APPROVAL_KEYS, "");
		if (fields == null || !fields.containsKey("distinct-approver")) {
			return false;
		}
		Node value = fields.get("distinct-approver").getValueNode();
		if (!(value(value, 0, "") instanceof Boolean distinct)) {
			problem(line(value), "approval.distinct-approver must be true or false, not '" + text(value) + "'");
			return false;
		}
		if (mode != Mode.APPROVAL) {
			problem(line(tuple.getKeyNode()), "approval applies only to runbooks with mode: approval");
			return false;
		}
		return distinct;
	}

	private List<LabelMatcher> matchers(NodeTuple tuple) {
		if (tuple == null || isNull(tuple.getValueNode())) {
			return List.of();
		}
		if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
			problem(line(tuple.getValueNode()),
					"match must be a list of matchers, like - alertname=\"DatabasePortDown\"");
			return List.of();
		}
		List<LabelMatcher> matchers = new ArrayList<>();
		for (Node item : sequence.getValue()) {
			if (!(item instanceof ScalarNode scalar) || isNull(item)) {
				problem(line(item),
						"match entries must be matchers written as text, like alertname=\"DatabasePortDown\"");
				continue;
			}
			try {
				matchers.add(LabelMatcher.parse(scalar.getValue()));
			}
			catch (IllegalArgumentException ex) {
				problem(line(item), "match: " + ex.getMessage());
			}
		}
		return matchers;
	}

	private Limits limits(NodeTuple tuple) {
		if (tuple == null) {
			return DEFAULT_LIMITS;
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(tuple.getValueNode(), "max-runs", LIMIT_KEYS, "");
		if (fields == null) {
			return DEFAULT_LIMITS;
		}
		return new Limits(atLeastOne(fields, "per-incident", DEFAULT_LIMITS.perIncident()),
				atLeastOne(fields, "per-target", DEFAULT_LIMITS.perTarget()),
				duration(fields, "window", DEFAULT_LIMITS.window(), false, "max-runs."));
	}

	private int atLeastOne(Map<String, NodeTuple> fields, String key, int fallback) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null) {
			return fallback;
		}
		Object value = value(tuple.getValueNode(), 0, "");
		if (value instanceof Integer number && number >= 1) {
			return number;
		}
		problem(line(tuple.getValueNode()),
				"max-runs." + key + " must be a whole number >= 1, not '" + text(tuple.getValueNode()) + "'");
		return fallback;
	}

	private List<Step> steps(Map<String, NodeTuple> fields, int line, Duration runTimeout,
			Map<String, List<String>> targets) {
		NodeTuple tuple = fields.get("steps");
		if (tuple == null) {
			problem(line, "steps is missing; a runbook needs at least one step");
			return List.of();
		}
		Node node = tuple.getValueNode();
		if (isNull(node) || (node instanceof SequenceNode sequence && sequence.getValue().isEmpty())) {
			problem(line(tuple.getKeyNode()), "steps is empty; a runbook needs at least one step");
			return List.of();
		}
		if (!(node instanceof SequenceNode sequence)) {
			problem(line(node), "steps must be a list of steps, each with name, action and with");
			return List.of();
		}
		List<Step> steps = new ArrayList<>();
		int number = 0;
		for (Node item : sequence.getValue()) {
			number++;
			Step step = step(item, "step " + number + ": ", runTimeout, targets);
			if (step != null) {
				steps.add(step);
			}
		}
		return steps;
	}

	private Step step(Node node, String prefix, Duration runTimeout, Map<String, List<String>> targets) {
		int problemsBefore = this.problems.size();
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "a step", STEP_KEYS, prefix);
		if (fields == null) {
			return null;
		}
		int line = line(node);
		String name = this.yaml.requiredText(fields, "name", line, prefix);
		String action = this.yaml.requiredText(fields, "action", line, prefix);
		if (action != null && !ActionSchemas.isKnown(action)) {
			problem(line(fields.get("action").getValueNode()),
					prefix + "unknown action '" + action + "'"
							+ Suggestions.NEAREST.didYouMean(action, ActionSchemas.actions()) + "; known actions: "
							+ String.join(", ", ActionSchemas.actions()));
			action = null;
		}
		NodeTuple with = fields.get("with");
		Map<String, Object> parameters = parameters(with, prefix);
		if (action != null && parameters != null) {
			for (ParameterProblem problem : ActionSchemas.validate(action, parameters)) {
				problem(parameterLine(with, problem, line), prefix + problem.reason());
			}
			// Steps that reach other systems (containers, HTTP endpoints) take from an
			// alert
			// only the label values the runbook lists: a forged alert must not choose
			// what
			// they touch or where they send requests.
			String reaching = action.startsWith("docker.") ? "a Docker step"
					: action.equals("http.check") ? "an http.check step" : null;
			references(parameters, null, null, (parameter, entry, reference) -> {
				if (reference.isLabel()) {
					this.usedLabels.add(reference.name());
				}
				if (reaching != null) {
					String where = (entry != null) ? parameter + "." + entry : parameter;
					if (!reference.isLabel()) {
						problem(parameterLine(with, new ParameterProblem(parameter, entry, ""), line),
								prefix + where + ": " + reaching + " may not take values from annotations ('{{ "
										+ reference + " }}'); use a label declared in targets");
					}
					else if (!targets.containsKey(reference.name())) {
						problem(parameterLine(with, new ParameterProblem(parameter, entry, ""), line),
								prefix + where + " uses {{ " + reference + " }}, but targets does not declare "
										+ reference.name() + "; " + reaching + " takes from alert labels only values"
										+ " the runbook lists, like targets: {" + reference.name() + ": [a, b]}");
					}
				}
			});
		}
		boolean valid = action != null && parameters != null;
		Duration timeout = duration(fields, "timeout",
				valid ? ActionSchemas.defaultTimeout(action, parameters) : ActionSchemas.DEFAULT_STEP_TIMEOUT, false,
				prefix);
		if (valid) {
			if (timeout.compareTo(runTimeout) > 0) {
				problem(timeoutLine(fields, with, action, line),
						prefix + "its timeout (" + ActionSchemas.format(timeout)
								+ ") is longer than the run's timeout (" + ActionSchemas.format(runTimeout) + ")");
			}
		}
		if (this.problems.size() > problemsBefore) {
			return null;
		}
		return new Step(name, action, parameters, timeout);
	}

	private Map<String, Object> parameters(NodeTuple with, String prefix) {
		if (with == null || isNull(with.getValueNode())) {
			return new LinkedHashMap<>();
		}
		if (!(with.getValueNode() instanceof MappingNode)) {
			problem(line(with.getValueNode()), prefix + "with must be a mapping of parameter names to values");
			return null;
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> parameters = (Map<String, Object>) value(with.getValueNode(), 0, prefix);
		return parameters;
	}

	/** Calls back for every reference in the parameters, with where it is. */
	private static void references(Object value, String parameter, String entry, ReferenceVisitor visitor) {
		if (value instanceof String text) {
			Templates.references(text).forEach((reference) -> visitor.visit(parameter, entry, reference));
		}
		else if (value instanceof Map<?, ?> map) {
			map.forEach((key, item) -> {
				String name = String.valueOf(key);
				references(item, (parameter != null) ? parameter : name,
						(parameter != null && entry == null) ? name : entry, visitor);
			});
		}
		else if (value instanceof List<?> list) {
			list.forEach((item) -> references(item, parameter, entry, visitor));
		}
	}

	private interface ReferenceVisitor {

		void visit(String parameter, String entry, Templates.Reference reference);

	}

	private int parameterLine(NodeTuple with, ParameterProblem problem, int stepLine) {
		if (with == null) {
			return stepLine;
		}
		if (problem.parameter() == null || !(with.getValueNode() instanceof MappingNode parameters)) {
			return line(with.getKeyNode());
		}
		NodeTuple parameter = find(parameters, problem.parameter());
		if (parameter == null) {
			return line(with.getKeyNode());
		}
		if (problem.entry() != null && parameter.getValueNode() instanceof MappingNode entries) {
			NodeTuple entry = find(entries, problem.entry());
			if (entry != null) {
				return line(entry.getKeyNode());
			}
		}
		return line(parameter.getKeyNode());
	}

	private int timeoutLine(Map<String, NodeTuple> fields, NodeTuple with, String action, int stepLine) {
		if (fields.containsKey("timeout")) {
			return line(fields.get("timeout").getValueNode());
		}
		String own = action.equals(ActionSchemas.WAIT) ? "duration" : "within";
		return parameterLine(with, new ParameterProblem(own, null, ""), stepLine);
	}

	private static NodeTuple find(MappingNode mapping, String key) {
		for (NodeTuple tuple : mapping.getValue()) {
			if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
				return tuple;
			}
		}
		return null;
	}

	private String optionalText(Map<String, NodeTuple> fields, String key, String fallback) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null || isNull(tuple.getValueNode())) {
			return fallback;
		}
		String text = text(tuple.getValueNode());
		if (text == null) {
			problem(line(tuple.getValueNode()), key + " must be text");
			return fallback;
		}
		return text.strip();
	}

	private <E extends Enum<E>> E choice(Map<String, NodeTuple> fields, String key, Class<E> type, E fallback,
			String prefix) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null) {
			return fallback;
		}
		String text = text(tuple.getValueNode());
		List<String> choices = new ArrayList<>();
		for (E constant : type.getEnumConstants()) {
			String name = constant.name().toLowerCase(Locale.ROOT);
			if (name.equals(text)) {
				return constant;
			}
			choices.add(name);
		}
		problem(line(tuple.getValueNode()),
				prefix + key + " must be one of " + String.join(", ", choices) + ", not '" + text + "'");
		return fallback;
	}

	private Duration duration(Map<String, NodeTuple> fields, String key, Duration fallback, boolean zeroAllowed,
			String prefix) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null) {
			return fallback;
		}
		String name = (prefix.endsWith(".") ? prefix : "") + key;
		String where = prefix.endsWith(".") ? "" : prefix;
		String text = text(tuple.getValueNode());
		if (text == null || text.isBlank()) {
			problem(line(tuple.getKeyNode()), where + name + " has no value");
			return fallback;
		}
		try {
			Duration duration = ActionSchemas.parseDuration(text);
			if (duration.isZero() && !zeroAllowed) {
				problem(line(tuple.getValueNode()), where + name + " must be longer than 0");
				return fallback;
			}
			return duration;
		}
		catch (IllegalArgumentException ex) {
			problem(line(tuple.getValueNode()), where + name + ": " + ex.getMessage());
			return fallback;
		}
	}

	/**
	 * A node as a plain value: text, whole numbers, booleans and decimals as YAML 1.1
	 * types them, maps (with text keys) and lists. Numbers YAML would read in an unusual
	 * notation (hex, octal, out of range) stay text.
	 */
	private Object value(Node node, int depth, String prefix) {
		if (depth > MAX_DEPTH) {
			problem(line(node), prefix + "values are nested too deeply");
			return null;
		}
		if (node instanceof MappingNode mapping) {
			Map<String, Object> map = new LinkedHashMap<>();
			for (NodeTuple tuple : mapping.getValue()) {
				String key = text(tuple.getKeyNode());
				if (key == null) {
					problem(line(tuple.getKeyNode()), prefix + "keys must be plain names");
				}
				else if (map.containsKey(key)) {
					problem(line(tuple.getKeyNode()), prefix + "'" + key + "' appears twice");
				}
				else {
					map.put(key, value(tuple.getValueNode(), depth + 1, prefix));
				}
			}
			return Collections.unmodifiableMap(map);
		}
		if (node instanceof SequenceNode sequence) {
			List<Object> list = new ArrayList<>();
			sequence.getValue().forEach((item) -> list.add(value(item, depth + 1, prefix)));
			return Collections.unmodifiableList(list);
		}
		ScalarNode scalar = (ScalarNode) node;
		String text = scalar.getValue();
		Tag tag = scalar.getTag();
		if (Tag.NULL.equals(tag)) {
			return null;
		}
		if (Tag.INT.equals(tag)) {
			try {
				return Integer.parseInt(text.replace("_", ""));
			}
			catch (NumberFormatException ex) {
				return text;
			}
		}
		if (Tag.BOOL.equals(tag)) {
			return switch (text.toLowerCase(Locale.ROOT)) {
				case "true", "yes", "on", "y" -> Boolean.TRUE;
				default -> Boolean.FALSE;
			};
		}
		if (Tag.FLOAT.equals(tag)) {
			try {
				return Double.parseDouble(text.replace("_", ""));
			}
			catch (NumberFormatException ex) {
				return text;
			}
		}
		return text;
	}

	private void problem(int line, String reason) {
		RunbookProblem problem = new RunbookProblem(this.file, line, reason);
		// An alias used twice would otherwise report the same problem twice.
		if (!this.problems.contains(problem)) {
			this.problems.add(problem);
		}
	}

	private Result result(RunbookDefinition definition, int idLine) {
		return new Result(definition, List.copyOf(this.problems), idLine);
	}

	/**
	 * What a file holds.
	 *
	 * @param definition the runbook, or null when the file has problems
	 * @param problems everything wrong with the file
	 * @param idLine the line of its id, for a duplicate id found later; 0 if unknown
	 */
	record Result(RunbookDefinition definition, List<RunbookProblem> problems, int idLine) {
	}

}

package dev.warden.heartbeats;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.warden.matching.LabelMatcher;
import dev.warden.yaml.Suggestions;
import dev.warden.yaml.YamlReader;

import static dev.warden.yaml.YamlReader.isNull;
import static dev.warden.yaml.YamlReader.line;
import static dev.warden.yaml.YamlReader.text;

/**
 * Reads the heartbeat file into {@link Heartbeat heartbeats}, collecting every problem
 * with its line instead of stopping at the first. Works on SnakeYAML's node tree, as the
 * routing and on-call parsers do, so no object is ever constructed from a tag and every
 * value keeps its line.
 */
final class HeartbeatParser {

	/** Lower-case, so that a name is the same in a path, a label and a log line. */
	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	/** Names the API's paths take for themselves. */
	static final Set<String> RESERVED = Set.of("reload");

	/** A Prometheus label name. */
	private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");

	private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*([smhdw])");

	/** Placeholders a summary may use. */
	private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

	/**
	 * The longest interval or grace: a monthly job is the slowest heartbeat we expect.
	 */
	static final Duration MAX_DURATION = Duration.ofDays(45);

	static final int MAX_TEXT = 200;

	static final int MAX_HEARTBEATS = 1000;

	static final List<String> SEVERITIES = List.of("critical", "high", "warning", "info");

	/** Labels Warden sets on the silent-heartbeat alert itself. */
	static final List<String> OWN_LABELS = List.of("alertname", "heartbeat", "service", "severity");

	private static final List<String> FILE_KEYS = List.of("heartbeats");

	private static final List<String> HEARTBEAT_KEYS = List.of("name", "description", "interval", "grace", "service",
			"severity", "labels", "alert", "summary");

	private final String file;

	private final List<HeartbeatProblem> problems = new ArrayList<>();

	private final YamlReader yaml;

	private HeartbeatParser(String file) {
		this.file = file;
		this.yaml = new YamlReader(this::problem, Suggestions.FIRST_NEAR).namingTheMappingOfRepeatedKeys();
	}

	/**
	 * Parses a heartbeat file's text.
	 * @param file the file's name, for problems
	 */
	static Result parse(String file, String text) {
		return new HeartbeatParser(file).parse(text);
	}

	private Result parse(String text) {
		Node root = this.yaml.compose(text, "the file is empty; it needs a list under 'heartbeats:'");
		if (root == null) {
			return result(List.of());
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(root, "the heartbeat file", FILE_KEYS, "");
		if (fields == null) {
			return result(List.of());
		}
		NodeTuple list = fields.get("heartbeats");
		if (list == null) {
			problem(line(root), "heartbeats is missing; the file needs a list under 'heartbeats:' (it may be [])");
			return result(List.of());
		}
		if (!(list.getValueNode() instanceof SequenceNode sequence)) {
			problem(line(list.getValueNode()), "heartbeats must be a list of heartbeats, each with a name");
			return result(List.of());
		}
		if (sequence.getValue().size() > MAX_HEARTBEATS) {
			problem(line(sequence), "the file declares " + sequence.getValue().size() + " heartbeats; at most "
					+ MAX_HEARTBEATS + " are allowed");
			return result(List.of());
		}
		List<Heartbeat> heartbeats = new ArrayList<>();
		Map<String, Integer> lines = new LinkedHashMap<>();
		int number = 0;
		for (Node node : sequence.getValue()) {
			Heartbeat heartbeat = heartbeat(node, ++number);
			if (heartbeat == null) {
				continue;
			}
			Integer first = lines.putIfAbsent(heartbeat.name(), heartbeat.line());
			if (first != null) {
				problem(heartbeat.line(), "heartbeat '" + heartbeat.name() + "' is already declared on line " + first
						+ "; heartbeat names must be unique");
			}
			else {
				heartbeats.add(heartbeat);
			}
		}
		return result(heartbeats);
	}

	private Heartbeat heartbeat(Node node, int number) {
		int line = line(node);
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "heartbeat " + number, HEARTBEAT_KEYS,
				"heartbeat " + number + ": ");
		if (fields == null) {
			return null;
		}
		int before = this.problems.size();
		String name = this.yaml.requiredText(fields, "name", line, "heartbeat " + number + ": ");
		if (name != null && !NAME.matcher(name).matches()) {
			problem(valueLine(fields, "name"), "heartbeat " + number + ": name '" + name
					+ "' must be lower-case letters, digits, dots, dashes and underscores, at most 64 characters");
			name = null;
		}
		else if (name != null && RESERVED.contains(name)) {
			problem(valueLine(fields, "name"), "heartbeat " + number + ": the name '" + name
					+ "' is taken by the API (POST /api/v1/heartbeats/" + name + "); choose another");
			name = null;
		}
		String prefix = "heartbeat " + ((name != null) ? name : String.valueOf(number)) + ": ";
		Duration interval = duration(fields, "interval", line, prefix, true);
		Duration grace = duration(fields, "grace", line, prefix, false);
		String service = shortText(fields, "service", line, prefix, true);
		String severity = shortText(fields, "severity", line, prefix, true);
		if (severity != null && !SEVERITIES.contains(severity.toLowerCase(Locale.ROOT))) {
			problem(valueLine(fields, "severity"),
					prefix + "severity '" + severity + "' must be one of " + String.join(", ", SEVERITIES));
		}
		String description = shortText(fields, "description", line, prefix, false);
		String summary = summary(fields, prefix);
		Map<String, String> labels = labels(fields.get("labels"), prefix);
		List<LabelMatcher> alert = matchers(fields.get("alert"), prefix);
		if (this.problems.size() > before || name == null) {
			return null;
		}
		return new Heartbeat(name, line, description, interval, grace, service, severity.toLowerCase(Locale.ROOT),
				labels, alert, (summary != null) ? summary : Heartbeat.DEFAULT_SUMMARY);
	}

	/**
	 * A whole number and a unit, like {@code 30s}, {@code 15m}, {@code 24h} or
	 * {@code 7d}.
	 */
	private Duration duration(Map<String, NodeTuple> fields, String key, int line, String prefix, boolean positive) {
		String text = this.yaml.requiredText(fields, key, line, prefix);
		if (text == null) {
			return null;
		}
		Matcher matcher = DURATION.matcher(text);
		if (!matcher.matches()) {
			problem(valueLine(fields, key), prefix + key + " '" + text
					+ "' is not a duration; write a whole number and a unit, like 30s, 15m, 24h or 7d");
			return null;
		}
		long amount = Long.parseLong(matcher.group(1));
		Duration duration = switch (matcher.group(2)) {
			case "w" -> Duration.ofDays(amount * 7);
			case "d" -> Duration.ofDays(amount);
			case "h" -> Duration.ofHours(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofSeconds(amount);
		};
		if (positive && duration.isZero()) {
			problem(valueLine(fields, key), prefix + key + " must be longer than 0");
			return null;
		}
		if (duration.compareTo(MAX_DURATION) > 0) {
			problem(valueLine(fields, key), prefix + key + " '" + text + "' is longer than the longest allowed, 45d");
			return null;
		}
		return duration;
	}

	private String shortText(Map<String, NodeTuple> fields, String key, int line, String prefix, boolean required) {
		if (!required && !fields.containsKey(key)) {
			return null;
		}
		String text = this.yaml.requiredText(fields, key, line, prefix);
		if (text != null && (text.length() > MAX_TEXT || hasControlCharacters(text))) {
			problem(valueLine(fields, key), prefix + key + " must be one line of at most " + MAX_TEXT + " characters");
			return null;
		}
		return text;
	}

	private String summary(Map<String, NodeTuple> fields, String prefix) {
		String summary = shortText(fields, "summary", 0, prefix, false);
		if (summary == null) {
			return null;
		}
		Matcher placeholders = PLACEHOLDER.matcher(summary);
		while (placeholders.find()) {
			String placeholder = placeholders.group(1);
			if (!placeholder.equals("name") && !placeholder.equals("last_seen")) {
				problem(valueLine(fields, "summary"),
						prefix + "summary names {" + placeholder + "}; it may use {name} and {last_seen}");
				return null;
			}
		}
		return summary;
	}

	private Map<String, String> labels(NodeTuple tuple, String prefix) {
		if (tuple == null || isNull(tuple.getValueNode())) {
			return Map.of();
		}
		if (!(tuple.getValueNode() instanceof MappingNode mapping)) {
			problem(line(tuple.getValueNode()), prefix + "labels must be a mapping of label names to values");
			return Map.of();
		}
		Map<String, String> labels = new LinkedHashMap<>();
		for (NodeTuple label : mapping.getValue()) {
			String name = text(label.getKeyNode());
			String value = text(label.getValueNode());
			if (name == null || !LABEL.matcher(name).matches()) {
				problem(line(label.getKeyNode()),
						prefix + "label name '" + name + "' must be a Prometheus label name, like team");
			}
			else if (OWN_LABELS.contains(name)) {
				problem(line(label.getKeyNode()), prefix + "labels may not set " + name
						+ "; Warden sets alertname, heartbeat, service and severity itself (use service: and severity:)");
			}
			else if (labels.containsKey(name)) {
				problem(line(label.getKeyNode()), prefix + "label '" + name + "' appears twice");
			}
			else if (value == null || value.isBlank() || value.length() > MAX_TEXT || hasControlCharacters(value)) {
				problem(line(label.getValueNode()), prefix + "label " + name
						+ " must have a value of one line, at most " + MAX_TEXT + " characters");
			}
			else {
				labels.put(name, value.strip());
			}
		}
		return labels;
	}

	private List<LabelMatcher> matchers(NodeTuple tuple, String prefix) {
		if (tuple == null || isNull(tuple.getValueNode())) {
			return List.of();
		}
		if (!(tuple.getValueNode() instanceof SequenceNode sequence) || sequence.getValue().isEmpty()) {
			problem(line(tuple.getValueNode()),
					prefix + "alert must be a list of matchers, like - alertname=\"Watchdog\"");
			return List.of();
		}
		List<LabelMatcher> matchers = new ArrayList<>();
		for (Node item : sequence.getValue()) {
			String text = text(item);
			if (text == null) {
				problem(line(item),
						prefix + "alert entries must be matchers written as text, like alertname=\"Watchdog\"");
				continue;
			}
			try {
				matchers.add(LabelMatcher.parse(text));
			}
			catch (IllegalArgumentException ex) {
				problem(line(item), prefix + "alert: " + ex.getMessage());
			}
		}
		if (!matchers.isEmpty() && matchers.stream().allMatch((matcher) -> matcher.matches(Map.of()))) {
			// Matchers an alert without labels passes would take every alert as a
			// heartbeat, and no incident would ever open.
			problem(line(tuple.getValueNode()), prefix
					+ "alert must name the alert, like - alertname=\"Watchdog\"; these matchers would take every alert");
		}
		return matchers;
	}

	private static boolean hasControlCharacters(String text) {
		return text.chars().anyMatch(Character::isISOControl);
	}

	private static int valueLine(Map<String, NodeTuple> fields, String key) {
		NodeTuple tuple = fields.get(key);
		return (tuple != null) ? line(tuple.getValueNode()) : 0;
	}

	private void problem(int line, String reason) {
		HeartbeatProblem problem = new HeartbeatProblem(this.file, line, reason);
		if (!this.problems.contains(problem)) {
			this.problems.add(problem);
		}
	}

	private Result result(List<Heartbeat> heartbeats) {
		return new Result(heartbeats, this.problems);
	}

	/**
	 * What the file declares and what is wrong with it.
	 *
	 * @param heartbeats the heartbeats without problems, in file order
	 * @param problems every problem, by line; the file is used only when this is empty
	 */
	record Result(List<Heartbeat> heartbeats, List<HeartbeatProblem> problems) {

		Result {
			heartbeats = List.copyOf(heartbeats);
			problems = List.copyOf(problems);
		}

	}

}

package dev.warden.routing;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import dev.warden.matching.LabelMatcher;
import dev.warden.routing.Route.Settings;
import dev.warden.yaml.Suggestions;
import dev.warden.yaml.YamlReader;

import static dev.warden.yaml.YamlReader.isNull;
import static dev.warden.yaml.YamlReader.line;
import static dev.warden.yaml.YamlReader.text;

/**
 * Reads a routing file into its tree of {@link Route routes}, collecting every problem
 * with its line instead of stopping at the first. Works on SnakeYAML's node tree, as the
 * runbook parser does, so no object is ever constructed from a tag and every value keeps
 * its position.
 */
final class RoutingParser {

	static final Pattern ROUTE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

	static final Pattern SLACK_CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,}");

	/**
	 * The WHATWG (HTML) definition of a valid email address, with a dot in the domain.
	 */
	static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]"
			+ "(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

	static final int MAX_TEXT = 200;

	private static final int MAX_DEPTH = 16;

	private static final List<String> FILE_KEYS = List.of("route");

	private static final List<String> ROUTE_KEYS = List.of("name", "match", "continue", "team", "service", "severity",
			"notify", "escalation-policy", "mute", "routes");

	private static final List<String> NOTIFY_KEYS = List.of("slack", "email", "users", "schedules");

	private static final List<String> MUTE_KEYS = List.of("days", "from", "to", "timezone");

	private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

	private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

	private final String file;

	private final List<RoutingProblem> problems = new ArrayList<>();

	private final YamlReader yaml;

	private RoutingParser(String file) {
		this.file = file;
		this.yaml = new YamlReader(this::problem, Suggestions.NONE).namingTheMappingOfRepeatedKeys();
	}

	/**
	 * Parses a routing file's text.
	 * @param file the file's name, for problems
	 */
	static Result parse(String file, String text) {
		return new RoutingParser(file).parse(text);
	}

	private Result parse(String text) {
		Node document = this.yaml.compose(text, "the file is empty; it needs a root route under 'route:'");
		if (document == null) {
			return result(null);
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(document, "the routing file", FILE_KEYS, "");
		if (fields == null) {
			return result(null);
		}
		NodeTuple root = fields.get("route");
		if (root == null) {
			problem(line(document), "route is missing; the file needs a root route under 'route:'");
			return result(null);
		}
		Route tree = route(root.getValueNode(), Settings.NONE, null, "root", 0);
		return result(this.problems.isEmpty() ? tree : null);
	}

	private Route route(Node node, Settings inherited, String parentPath, String defaultName, int depth) {
		boolean isRoot = parentPath == null;
		String where = isRoot ? "the root route" : "route " + parentPath + Route.SEPARATOR + defaultName;
		Map<String, NodeTuple> fields = this.yaml.mapping(node, where, ROUTE_KEYS, "");
		if (fields == null) {
			return null;
		}
		String name = defaultName;
		NodeTuple nameField = fields.get("name");
		if (nameField != null) {
			String given = text(nameField.getValueNode());
			if (given == null || !ROUTE_NAME.matcher(given.strip()).matches()) {
				problem(line(nameField.getValueNode()), where + ": name '" + given
						+ "' must be lower-case letters, digits and dashes, at most 64 characters");
			}
			else {
				name = given.strip();
			}
		}
		String path = isRoot ? name : parentPath + Route.SEPARATOR + name;
		String prefix = "route " + path + ": ";
		if (isRoot && fields.containsKey("match")) {
			problem(line(fields.get("match").getKeyNode()),
					prefix + "the root route matches every alert and may not have match; add a child route");
		}
		if (isRoot && fields.containsKey("continue")) {
			problem(line(fields.get("continue").getKeyNode()),
					prefix + "the root route has no siblings and may not have continue");
		}
		List<LabelMatcher> matchers = matchers(fields.get("match"), prefix);
		boolean continueMatching = bool(fields.get("continue"), prefix);
		Settings settings = new Settings(settingText(fields.get("team"), inherited.team(), prefix),
				settingText(fields.get("service"), inherited.service(), prefix),
				severity(fields.get("severity"), inherited.severity(), prefix),
				targets(fields.get("notify"), inherited.targets(), prefix),
				name(fields.get("escalation-policy"), inherited.escalationPolicy(), prefix),
				mute(fields.get("mute"), inherited.mute(), prefix));
		List<Route> children = children(fields.get("routes"), settings, path, prefix, depth);
		return new Route(name, path, line(node), matchers, continueMatching, settings, children);
	}

	private List<Route> children(NodeTuple tuple, Settings settings, String path, String prefix, int depth) {
		if (tuple == null || isNull(tuple.getValueNode())) {
			return List.of();
		}
		if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
			problem(line(tuple.getValueNode()), prefix + "routes must be a list of routes");
			return List.of();
		}
		if (depth >= MAX_DEPTH) {
			problem(line(tuple.getKeyNode()), prefix + "routes are nested more than " + MAX_DEPTH + " levels deep");
			return List.of();
		}
		List<Route> children = new ArrayList<>();
		Map<String, Integer> lineByName = new HashMap<>();
		int position = 0;
		for (Node item : sequence.getValue()) {
			position++;
			Route child = route(item, settings, path, "route-" + position, depth + 1);
			if (child == null) {
				continue;
			}
			Integer first = lineByName.putIfAbsent(child.name(), child.line());
			if (first != null) {
				problem(child.line(), prefix + "two child routes are named '" + child.name() + "' (the first on line "
						+ first + "); names must be unique among siblings");
			}
			children.add(child);
		}
		return children;
	}

	private List<LabelMatcher> matchers(NodeTuple tuple, String prefix) {
		if (tuple == null || isNull(tuple.getValueNode())) {
			return List.of();
		}
		if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
			problem(line(tuple.getValueNode()),
					prefix + "match must be a list of matchers, like - alertname=\"DatabasePortDown\"");
			return List.of();
		}
		List<LabelMatcher> matchers = new ArrayList<>();
		for (Node item : sequence.getValue()) {
			String text = text(item);
			if (text == null) {
				problem(line(item),
						prefix + "match entries must be matchers written as text, like alertname=\"DatabasePortDown\"");
				continue;
			}
			try {
				matchers.add(LabelMatcher.parse(text));
			}
			catch (IllegalArgumentException ex) {
				problem(line(item), prefix + "match: " + ex.getMessage());
			}
		}
		return matchers;
	}

	private boolean bool(NodeTuple tuple, String prefix) {
		if (tuple == null) {
			return false;
		}
		String text = text(tuple.getValueNode());
		if (text != null && Tag.BOOL.equals(tuple.getValueNode().getTag())) {
			String lower = text.toLowerCase(Locale.ROOT);
			if (lower.equals("true") || lower.equals("false")) {
				return lower.equals("true");
			}
		}
		problem(line(tuple.getValueNode()), prefix + "continue must be true or false, not '" + text + "'");
		return false;
	}

	private String settingText(NodeTuple tuple, String inherited, String prefix) {
		if (tuple == null) {
			return inherited;
		}
		String key = key(tuple);
		String text = text(tuple.getValueNode());
		if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
			problem(line(tuple.getValueNode()),
					prefix + key + " must be non-empty text of at most " + MAX_TEXT + " characters");
			return inherited;
		}
		return text.strip();
	}

	private String name(NodeTuple tuple, String inherited, String prefix) {
		String text = settingText(tuple, inherited, prefix);
		if (tuple == null || text == null || text.equals(inherited)) {
			return text;
		}
		return check(NAME, text, tuple.getValueNode(), prefix + key(tuple), "a name") ? text : inherited;
	}

	private SeverityOverride severity(NodeTuple tuple, SeverityOverride inherited, String prefix) {
		if (tuple == null) {
			return inherited;
		}
		String text = text(tuple.getValueNode());
		for (SeverityOverride severity : SeverityOverride.values()) {
			if (severity.name().toLowerCase(Locale.ROOT).equals(text)) {
				return severity;
			}
		}
		problem(line(tuple.getValueNode()),
				prefix + "severity must be one of critical, high, warning, info, not '" + text + "'");
		return inherited;
	}

	private Targets targets(NodeTuple tuple, Targets inherited, String prefix) {
		if (tuple == null) {
			return inherited;
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(tuple.getValueNode(), "notify", NOTIFY_KEYS, prefix);
		if (fields == null) {
			return inherited;
		}
		return new Targets(
				list(fields.get("slack"), inherited.slack(), prefix,
						(text) -> SLACK_CHANNEL.matcher(text).matches() ? null
								: "a Slack channel like #ai-oncall (lower-case) or a channel id"),
				list(fields.get("email"), inherited.email(), prefix,
						(text) -> EMAIL.matcher(text).matches() ? null : "an email address"),
				list(fields.get("users"), inherited.users(), prefix,
						(text) -> NAME.matcher(text).matches() ? null : "a user name"),
				list(fields.get("schedules"), inherited.schedules(), prefix,
						(text) -> NAME.matcher(text).matches() ? null : "a schedule name"));
	}

	/**
	 * A list of text values, each checked.
	 * @param invalid what a value must be, or null when it is valid
	 */
	private List<String> list(NodeTuple tuple, List<String> inherited, String prefix,
			Function<String, String> invalid) {
		if (tuple == null) {
			return inherited;
		}
		String what = prefix + "notify." + key(tuple);
		Node node = tuple.getValueNode();
		if (isNull(node)) {
			return List.of();
		}
		List<Node> items = (node instanceof SequenceNode sequence) ? sequence.getValue() : List.of(node);
		List<String> values = new ArrayList<>();
		for (Node item : items) {
			String text = text(item);
			if (text == null || text.isBlank()) {
				problem(line(item), what + " must be a list of text values");
				continue;
			}
			String reason = invalid.apply(text.strip());
			if (reason != null) {
				problem(line(item), what + ": '" + text + "' is not " + reason);
				continue;
			}
			if (!values.contains(text.strip())) {
				values.add(text.strip());
			}
		}
		return values;
	}

	private List<MuteWindow> mute(NodeTuple tuple, List<MuteWindow> inherited, String prefix) {
		if (tuple == null) {
			return inherited;
		}
		Node node = tuple.getValueNode();
		if (isNull(node)) {
			return List.of();
		}
		if (!(node instanceof SequenceNode sequence)) {
			problem(line(node), prefix + "mute must be a list of time windows, each with days, from, to and timezone");
			return inherited;
		}
		List<MuteWindow> windows = new ArrayList<>();
		int position = 0;
		for (Node item : sequence.getValue()) {
			position++;
			MuteWindow window = window(item, prefix + "mute " + position + ": ");
			if (window != null) {
				windows.add(window);
			}
		}
		return windows;
	}

	private MuteWindow window(Node node, String prefix) {
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "a mute window", MUTE_KEYS, prefix);
		if (fields == null) {
			return null;
		}
		int before = this.problems.size();
		Set<DayOfWeek> days = days(fields.get("days"), prefix);
		LocalTime from = time(fields.get("from"), prefix);
		LocalTime to = time(fields.get("to"), prefix);
		ZoneId zone = zone(fields.get("timezone"), prefix);
		if (this.problems.size() > before) {
			return null;
		}
		try {
			return new MuteWindow(days, from, to, zone);
		}
		catch (IllegalArgumentException ex) {
			problem(line(node), prefix + ex.getMessage());
			return null;
		}
	}

	private Set<DayOfWeek> days(NodeTuple tuple, String prefix) {
		Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
		if (tuple == null || isNull(tuple.getValueNode())) {
			return days;
		}
		Node node = tuple.getValueNode();
		List<Node> items = (node instanceof SequenceNode sequence) ? sequence.getValue() : List.of(node);
		for (Node item : items) {
			String text = text(item);
			String[] range = (text != null) ? text.strip().toLowerCase(Locale.ROOT).split("-", -1) : new String[0];
			if (range.length < 1 || range.length > 2 || !DAYS.contains(range[0])
					|| !DAYS.contains(range[range.length - 1])) {
				problem(line(item), prefix + "days: '" + text
						+ "' is not a day (mon, tue, wed, thu, fri, sat, sun) or a range of days like mon-fri");
				continue;
			}
			DayOfWeek day = DayOfWeek.of(DAYS.indexOf(range[0]) + 1);
			DayOfWeek last = DayOfWeek.of(DAYS.indexOf(range[range.length - 1]) + 1);
			days.add(day);
			while (day != last) {
				day = day.plus(1);
				days.add(day);
			}
		}
		return days;
	}

	private LocalTime time(NodeTuple tuple, String prefix) {
		if (tuple == null) {
			return null;
		}
		// Read as written: YAML 1.1 would make 18:00 the sexagesimal number 1080.
		String text = text(tuple.getValueNode());
		try {
			if (text == null || text.strip().length() != 5) {
				throw new DateTimeParseException("not HH:mm", String.valueOf(text), 0);
			}
			return LocalTime.parse(text.strip(), HH_MM);
		}
		catch (DateTimeParseException ex) {
			problem(line(tuple.getValueNode()),
					prefix + key(tuple) + " must be a time of day as HH:mm (00:00 to 23:59), not '" + text + "'");
			return null;
		}
	}

	private ZoneId zone(NodeTuple tuple, String prefix) {
		if (tuple == null) {
			return ZoneId.of("UTC");
		}
		String text = text(tuple.getValueNode());
		try {
			return ZoneId.of((text != null) ? text.strip() : "");
		}
		catch (DateTimeException ex) {
			problem(line(tuple.getValueNode()),
					prefix + "timezone '" + text + "' is not a time zone; use an IANA id like Europe/Berlin or UTC");
			return null;
		}
	}

	private boolean check(Pattern pattern, String text, Node node, String what, String expected) {
		if (pattern.matcher(text).matches()) {
			return true;
		}
		problem(line(node), what + ": '" + text + "' is not " + expected
				+ " (letters, digits, '.', '_', '@' and '-', at most 64 characters)");
		return false;
	}

	private static String key(NodeTuple tuple) {
		return ((ScalarNode) tuple.getKeyNode()).getValue();
	}

	private void problem(int line, String reason) {
		RoutingProblem problem = new RoutingProblem(this.file, line, reason);
		// An alias used twice would otherwise report the same problem twice.
		if (!this.problems.contains(problem)) {
			this.problems.add(problem);
		}
	}

	private Result result(Route root) {
		return new Result(root, List.copyOf(this.problems));
	}

	/**
	 * What a routing file holds.
	 *
	 * @param root the tree, or null when the file has problems
	 * @param problems everything wrong with the file
	 */
	record Result(Route root, List<RoutingProblem> problems) {
	}

}

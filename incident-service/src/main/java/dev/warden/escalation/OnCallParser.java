package dev.warden.escalation;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.warden.escalation.Schedule.Layer;
import dev.warden.escalation.Schedule.Restriction;
import dev.warden.escalation.Schedule.ShiftLength;
import dev.warden.yaml.Suggestions;
import dev.warden.yaml.YamlReader;

import static dev.warden.yaml.YamlReader.isNull;
import static dev.warden.yaml.YamlReader.line;
import static dev.warden.yaml.YamlReader.text;

/**
 * Reads the on-call file into users, schedules and escalation policies, collecting every
 * problem with its line instead of stopping at the first. Works on SnakeYAML's node tree
 * (as the runbook parser does), so no object is constructed from a tag and every value
 * keeps its line.
 */
final class OnCallParser {

	/**
	 * A level's delay: like a shift length, and also in seconds (for short test
	 * policies).
	 */
	private static final Pattern DELAY = Pattern.compile("(-?\\d{1,6})\\s*([smhdw])");

	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

	private static final Pattern SLACK_USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");

	/**
	 * A channel name as Slack allows it (lower-case, as the routing file has it) or a
	 * channel id.
	 */
	private static final Pattern SLACK_CHANNEL = Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{8,}");

	private static final Pattern REPEAT = Pattern.compile("\\d{1,2}");

	private static final Pattern HOURS = Pattern.compile("(\\d{2}:\\d{2})\\s*-\\s*(\\d{2}:\\d{2})");

	private static final List<String> FILE_KEYS = List.of("users", "schedules", "escalation-policies");

	private static final List<String> USER_KEYS = List.of("name", "full-name", "email", "slack-user-id", "time-zone");

	private static final List<String> SCHEDULE_KEYS = List.of("name", "time-zone", "rotations");

	private static final List<String> LAYER_KEYS = List.of("users", "shift", "handoff", "restrict");

	private static final List<String> RESTRICT_KEYS = List.of("days", "hours");

	private static final List<String> POLICY_KEYS = List.of("name", "repeat", "levels");

	private static final List<String> LEVEL_KEYS = List.of("delay", "notify");

	private static final List<String> NOTIFY_KEYS = List.of("users", "schedules", "slack", "email");

	private final String file;

	private final List<OnCallProblem> problems = new ArrayList<>();

	/** Every user name declared, with or without problems. */
	private Set<String> declaredUsers = Set.of();

	/** Every schedule name declared, with or without problems, in file order. */
	private final Set<String> declaredSchedules = new LinkedHashSet<>();

	private final YamlReader yaml;

	private OnCallParser(String file) {
		this.file = file;
		this.yaml = new YamlReader(this::problem, Suggestions.FIRST_NEAR);
	}

	/**
	 * Parses the on-call file's text.
	 * @param file the file's name, for problems
	 */
	static Result parse(String file, String text) {
		return new OnCallParser(file).parse(text);
	}

	private Result parse(String text) {
		Node root = this.yaml.compose(text, "the file is empty; it needs users and schedules");
		if (root == null) {
			return result(List.of(), List.of(), List.of());
		}
		Map<String, NodeTuple> fields = this.yaml.mapping(root, "the on-call file", FILE_KEYS, "");
		if (fields == null) {
			return result(List.of(), List.of(), List.of());
		}
		Map<String, User> users = users(list(fields, "users", line(root), ""));
		List<Schedule> schedules = new ArrayList<>();
		Map<String, Integer> scheduleLines = new LinkedHashMap<>();
		for (Node node : list(fields, "schedules", line(root), "")) {
			Schedule schedule = schedule(node, users);
			if (schedule == null) {
				continue;
			}
			Integer first = scheduleLines.putIfAbsent(schedule.name(), line(node));
			if (first != null) {
				problem(line(node), "schedule '" + schedule.name() + "' is already defined on line " + first
						+ "; schedule names must be unique");
			}
			else {
				schedules.add(schedule);
			}
		}
		List<EscalationPolicy> policies = new ArrayList<>();
		Map<String, Integer> policyLines = new LinkedHashMap<>();
		List<Node> policyNodes = fields.containsKey("escalation-policies")
				? list(fields, "escalation-policies", line(root), "") : List.of();
		int number = 0;
		for (Node node : policyNodes) {
			EscalationPolicy policy = policy(node, ++number, users);
			if (policy == null) {
				continue;
			}
			Integer first = policyLines.putIfAbsent(policy.name(), line(node));
			if (first != null) {
				problem(line(node), "escalation policy '" + policy.name() + "' is already defined on line " + first
						+ "; escalation policy names must be unique");
			}
			else {
				policies.add(policy);
			}
		}
		return result(List.copyOf(users.values()), schedules, policies);
	}

	private Map<String, User> users(List<Node> nodes) {
		Map<String, User> users = new LinkedHashMap<>();
		Map<String, Integer> lines = new LinkedHashMap<>();
		Map<String, String> slackIds = new LinkedHashMap<>();
		int number = 0;
		for (Node node : nodes) {
			String prefix = "user " + (++number) + ": ";
			int before = this.problems.size();
			Map<String, NodeTuple> fields = this.yaml.mapping(node, "a user", USER_KEYS, prefix);
			if (fields == null) {
				continue;
			}
			String name = name(fields, line(node), prefix);
			if (name != null) {
				prefix = "user " + name + ": ";
			}
			String fullName = optionalText(fields, "full-name", name, prefix);
			String email = this.yaml.requiredText(fields, "email", line(node), prefix);
			if (email != null && !EMAIL.matcher(email).matches()) {
				problem(valueLine(fields, "email"), prefix + "email '" + email + "' is not an email address");
			}
			String slack = optionalText(fields, "slack-user-id", null, prefix);
			if (slack != null && !SLACK_USER_ID.matcher(slack).matches()) {
				problem(valueLine(fields, "slack-user-id"),
						prefix + "slack-user-id '" + slack + "' is not a Slack member id; those look like U0123ABCD");
			}
			else if (slack != null && slackIds.containsKey(slack)) {
				problem(valueLine(fields, "slack-user-id"),
						prefix + "slack-user-id '" + slack + "' already belongs to " + slackIds.get(slack));
			}
			ZoneId zone = fields.containsKey("time-zone") ? zone(fields, line(node), prefix) : ZoneId.of("UTC");
			if (name != null && lines.containsKey(name)) {
				problem(valueLine(fields, "name"), "user '" + name + "' is already defined on line " + lines.get(name)
						+ "; user names must be unique");
				continue;
			}
			if (this.problems.size() > before || name == null) {
				// Declared but broken: rotations naming it get no second problem about
				// it.
				if (name != null) {
					lines.put(name, line(node));
				}
				continue;
			}
			lines.put(name, line(node));
			if (slack != null) {
				slackIds.put(slack, name);
			}
			users.put(name, new User(name, fullName, email, slack, zone));
		}
		this.declaredUsers = Set.copyOf(lines.keySet());
		return users;
	}

	private Schedule schedule(Node node, Map<String, User> users) {
		int before = this.problems.size();
		String named = (node instanceof MappingNode mapping) ? mapping.getValue()
			.stream()
			.filter((tuple) -> "name".equals(text(tuple.getKeyNode())) && text(tuple.getValueNode()) != null)
			.map((tuple) -> "schedule " + text(tuple.getValueNode()).strip() + ": ")
			.findFirst()
			.orElse("schedule: ") : "schedule: ";
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "a schedule", SCHEDULE_KEYS, named);
		if (fields == null) {
			return null;
		}
		String name = name(fields, line(node), named);
		String prefix = (name != null) ? "schedule " + name + ": " : "schedule: ";
		if (name != null) {
			this.declaredSchedules.add(name);
		}
		ZoneId zone = zone(fields, line(node), prefix);
		List<Layer> layers = new ArrayList<>();
		List<Node> rotations = list(fields, "rotations", line(node), prefix);
		if (rotations.isEmpty() && fields.containsKey("rotations")) {
			problem(line(fields.get("rotations").getKeyNode()),
					prefix + "rotations is empty; a schedule needs at least one");
		}
		int number = 0;
		for (Node rotation : rotations) {
			Layer layer = layer(rotation, users, prefix + "rotation " + (++number) + ": ");
			if (layer != null) {
				layers.add(layer);
			}
		}
		if (this.problems.size() > before || name == null || zone == null) {
			return null;
		}
		return new Schedule(name, zone, layers);
	}

	private Layer layer(Node node, Map<String, User> users, String prefix) {
		int before = this.problems.size();
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "a rotation", LAYER_KEYS, prefix);
		if (fields == null) {
			return null;
		}
		List<String> names = new ArrayList<>();
		List<Node> nodes = list(fields, "users", line(node), prefix);
		if (nodes.isEmpty() && fields.containsKey("users")) {
			problem(line(fields.get("users").getKeyNode()),
					prefix + "users is empty; a rotation needs at least one user");
		}
		for (Node item : nodes) {
			String user = text(item);
			if (user == null || user.isBlank()) {
				problem(line(item), prefix + "users must be user names");
			}
			else if (!this.declaredUsers.contains(user.strip())) {
				problem(line(item), prefix + "unknown user '" + user.strip() + "'"
						+ Suggestions.FIRST_NEAR.didYouMean(user.strip(), users.keySet()));
			}
			else {
				names.add(user.strip());
			}
		}
		ShiftLength shift = null;
		String shiftText = this.yaml.requiredText(fields, "shift", line(node), prefix);
		if (shiftText != null) {
			try {
				shift = ShiftLength.parse(shiftText);
			}
			catch (IllegalArgumentException ex) {
				problem(valueLine(fields, "shift"), prefix + "shift " + ex.getMessage());
			}
		}
		LocalDateTime handoff = null;
		String handoffText = this.yaml.requiredText(fields, "handoff", line(node), prefix);
		if (handoffText != null) {
			try {
				handoff = LocalDateTime.parse(handoffText);
			}
			catch (DateTimeParseException ex) {
				problem(valueLine(fields, "handoff"), prefix + "handoff '" + handoffText
						+ "' is not a local date and time like 2026-11-02T09:00 (in the schedule's time zone)");
			}
		}
		Restriction restriction = fields.containsKey("restrict") ? restriction(fields.get("restrict"), prefix) : null;
		if (this.problems.size() > before) {
			return null;
		}
		return new Layer(names, shift, handoff, restriction);
	}

	private EscalationPolicy policy(Node node, int number, Map<String, User> users) {
		int before = this.problems.size();
		String prefix = (node instanceof MappingNode mapping) ? mapping.getValue()
			.stream()
			.filter((tuple) -> "name".equals(text(tuple.getKeyNode())) && text(tuple.getValueNode()) != null)
			.map((tuple) -> "escalation policy " + text(tuple.getValueNode()).strip() + ": ")
			.findFirst()
			.orElse("escalation policy " + number + ": ") : "escalation policy " + number + ": ";
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "an escalation policy", POLICY_KEYS, prefix);
		if (fields == null) {
			return null;
		}
		String name = name(fields, line(node), prefix);
		int repeat = repeat(fields, prefix);
		List<Node> levelNodes = list(fields, "levels", line(node), prefix);
		if (levelNodes.isEmpty() && fields.containsKey("levels")) {
			problem(line(fields.get("levels").getKeyNode()),
					prefix + "levels is empty; an escalation policy needs at least one level");
		}
		List<EscalationLevel> levels = new ArrayList<>();
		int position = 0;
		for (Node levelNode : levelNodes) {
			EscalationLevel parsed = level(levelNode, ++position, users, prefix + "level " + position + ": ");
			if (parsed != null) {
				levels.add(parsed);
			}
		}
		if (this.problems.size() > before || name == null) {
			return null;
		}
		if (repeat > 0 && levels.stream().allMatch((level) -> level.delay().isZero())) {
			problem(valueLine(fields, "repeat"),
					prefix + "repeat " + repeat
							+ " needs a delay: every level's delay is 0m, so the policy would repeat at once;"
							+ " give a level a delay or remove repeat");
			return null;
		}
		return new EscalationPolicy(name, levels, repeat);
	}

	/** The policy's repeat, 0 when not given or when it is a problem. */
	private int repeat(Map<String, NodeTuple> fields, String prefix) {
		String text = optionalText(fields, "repeat", "0", prefix);
		if (!REPEAT.matcher(text).matches() || Integer.parseInt(text) > EscalationPolicy.MAX_REPEAT) {
			problem(valueLine(fields, "repeat"),
					prefix + "repeat '" + text + "' must be a whole number from 0 to " + EscalationPolicy.MAX_REPEAT);
			return 0;
		}
		return Integer.parseInt(text);
	}

	private EscalationLevel level(Node node, int number, Map<String, User> users, String prefix) {
		int before = this.problems.size();
		Map<String, NodeTuple> fields = this.yaml.mapping(node, "a level", LEVEL_KEYS, prefix);
		if (fields == null) {
			return null;
		}
		Duration delay = delay(fields, line(node), prefix);
		NodeTuple notify = fields.get("notify");
		if (notify == null) {
			problem(line(node), prefix + "notify is missing");
			return null;
		}
		int beforeTargets = this.problems.size();
		Map<String, NodeTuple> targets = this.yaml.mapping(notify.getValueNode(), "notify", NOTIFY_KEYS, prefix);
		if (targets == null) {
			return null;
		}
		List<String> userNames = targets(targets, "users", prefix, (user) -> this.declaredUsers.contains(user) ? null
				: "unknown user '" + user + "'" + Suggestions.FIRST_NEAR.didYouMean(user, users.keySet()));
		List<String> schedules = targets(targets, "schedules", prefix,
				(schedule) -> this.declaredSchedules.contains(schedule) ? null : "unknown schedule '" + schedule + "'"
						+ Suggestions.FIRST_NEAR.didYouMean(schedule, this.declaredSchedules));
		List<String> slack = targets(targets, "slack", prefix,
				(channel) -> SLACK_CHANNEL.matcher(channel).matches() ? null : "slack '" + channel
						+ "' is not a Slack channel like #ai-leads (lower-case) or a channel id like C0123ABCD");
		List<String> email = targets(targets, "email", prefix, (address) -> EMAIL.matcher(address).matches() ? null
				: "email '" + address + "' is not an email address");
		if (this.problems.size() == beforeTargets && userNames.isEmpty() && schedules.isEmpty() && slack.isEmpty()
				&& email.isEmpty()) {
			problem(line(notify.getKeyNode()),
					prefix + "notify names no one; a level needs at least one of users, schedules, slack, email");
		}
		if (this.problems.size() > before) {
			return null;
		}
		return new EscalationLevel(number, delay, userNames, schedules, slack, email);
	}

	/**
	 * A level's delay: a whole number and a unit, as shift lengths are written, from 0 to
	 * 24 hours.
	 */
	private Duration delay(Map<String, NodeTuple> fields, int line, String prefix) {
		String text = this.yaml.requiredText(fields, "delay", line, prefix);
		if (text == null) {
			return null;
		}
		Matcher matcher = DELAY.matcher(text.strip());
		if (!matcher.matches()) {
			problem(valueLine(fields, "delay"), prefix + "delay '" + text
					+ "' is not a duration; write a whole number and a unit, like 0m, 30s, 15m or 1h");
			return null;
		}
		long amount = Long.parseLong(matcher.group(1));
		if (amount < 0) {
			problem(valueLine(fields, "delay"), prefix + "delay '" + text + "' must not be negative");
			return null;
		}
		Duration delay = switch (matcher.group(2)) {
			case "w" -> Duration.ofDays(amount * 7);
			case "d" -> Duration.ofDays(amount);
			case "h" -> Duration.ofHours(amount);
			case "m" -> Duration.ofMinutes(amount);
			default -> Duration.ofSeconds(amount);
		};
		if (delay.compareTo(EscalationLevel.MAX_DELAY) > 0) {
			problem(valueLine(fields, "delay"), prefix + "delay '" + text + "' is longer than the longest delay, 24h");
			return null;
		}
		return delay;
	}

	/**
	 * One kind of a level's targets, each checked; repeated ones are kept once.
	 * @param invalid why a target is not valid, or null when it is
	 */
	private List<String> targets(Map<String, NodeTuple> fields, String key, String prefix,
			Function<String, String> invalid) {
		if (!fields.containsKey(key)) {
			return List.of();
		}
		List<String> targets = new ArrayList<>();
		for (Node item : list(fields, key, 0, prefix + "notify.")) {
			String target = text(item);
			if (target == null || target.isBlank()) {
				problem(line(item), prefix + "notify." + key + " must be a list of non-empty text values");
				continue;
			}
			String reason = invalid.apply(target.strip());
			if (reason != null) {
				problem(line(item), prefix + reason);
			}
			else if (!targets.contains(target.strip())) {
				targets.add(target.strip());
			}
		}
		return targets;
	}

	private Restriction restriction(NodeTuple tuple, String prefix) {
		Map<String, NodeTuple> fields = this.yaml.mapping(tuple.getValueNode(), "restrict", RESTRICT_KEYS, prefix);
		if (fields == null) {
			return null;
		}
		if (fields.isEmpty()) {
			problem(line(tuple.getKeyNode()), prefix + "restrict needs days, hours or both");
			return null;
		}
		Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
		if (fields.containsKey("days")) {
			days = EnumSet.noneOf(DayOfWeek.class);
			int before = this.problems.size();
			for (Node item : list(fields, "days", 0, prefix + "restrict.")) {
				days.addAll(days(item, prefix));
			}
			if (days.isEmpty() && this.problems.size() == before) {
				problem(line(fields.get("days").getKeyNode()), prefix + "restrict.days names no day");
			}
		}
		LocalTime from = LocalTime.MIDNIGHT;
		LocalTime to = LocalTime.MIDNIGHT;
		String hours = fields.containsKey("hours") ? text(fields.get("hours").getValueNode()) : "00:00-24:00";
		var matcher = (hours != null) ? HOURS.matcher(hours.strip()) : null;
		try {
			if (matcher == null || !matcher.matches()) {
				throw new DateTimeException("no match");
			}
			from = LocalTime.parse(matcher.group(1));
			to = matcher.group(2).equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(matcher.group(2));
			if (from.equals(to) && !matcher.group(2).equals("24:00")) {
				problem(valueLine(fields, "hours"), prefix + "restrict.hours '" + hours + "' is an empty window");
			}
		}
		catch (DateTimeException ex) {
			problem(valueLine(fields, "hours"),
					prefix + "restrict.hours '" + hours + "' must be a local time range like 09:00-17:00");
		}
		return new Restriction(days, from, to);
	}

	private Set<DayOfWeek> days(Node item, String prefix) {
		String text = text(item);
		String[] range = (text != null) ? text.strip().toLowerCase(Locale.ROOT).split("\\s*-\\s*", -1) : new String[0];
		DayOfWeek first = (range.length == 1 || range.length == 2) ? day(range[0]) : null;
		DayOfWeek last = (range.length == 2) ? day(range[1]) : first;
		if (first == null || last == null) {
			problem(line(item), prefix + "restrict.days: '" + text
					+ "' is not a day or a range of days; write mon, tue, ... sun or a range like mon-fri");
			return Set.of();
		}
		Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
		for (DayOfWeek day = first;; day = day.plus(1)) {
			days.add(day);
			if (day == last) {
				return days;
			}
		}
	}

	private static DayOfWeek day(String text) {
		for (DayOfWeek day : DayOfWeek.values()) {
			String name = day.name().toLowerCase(Locale.ROOT);
			if (text.equals(name) || text.equals(name.substring(0, 3))) {
				return day;
			}
		}
		return null;
	}

	private String name(Map<String, NodeTuple> fields, int line, String prefix) {
		String name = this.yaml.requiredText(fields, "name", line, prefix);
		if (name != null && !NAME.matcher(name).matches()) {
			problem(valueLine(fields, "name"), prefix + "name '" + name
					+ "' must be lower-case letters, digits, dots, underscores and dashes, at most 64 characters");
			return null;
		}
		return name;
	}

	private ZoneId zone(Map<String, NodeTuple> fields, int line, String prefix) {
		String text = this.yaml.requiredText(fields, "time-zone", line, prefix);
		if (text == null) {
			return null;
		}
		try {
			if (!text.contains("/") && !text.equals("UTC")) {
				throw new DateTimeException("not a region");
			}
			return ZoneId.of(text);
		}
		catch (DateTimeException ex) {
			problem(valueLine(fields, "time-zone"),
					prefix + "time-zone '" + text + "' is not an IANA time zone like Europe/Berlin or UTC");
			return null;
		}
	}

	/** The items of a list; a missing or wrong value is a problem and gives none. */
	private List<Node> list(Map<String, NodeTuple> fields, String key, int line, String prefix) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null) {
			problem(line, prefix + key + " is missing");
			return List.of();
		}
		Node node = tuple.getValueNode();
		if (isNull(node)) {
			return List.of();
		}
		if (!(node instanceof SequenceNode sequence)) {
			problem(line(node), prefix + key + " must be a list");
			return List.of();
		}
		return sequence.getValue();
	}

	private String optionalText(Map<String, NodeTuple> fields, String key, String fallback, String prefix) {
		NodeTuple tuple = fields.get(key);
		if (tuple == null || isNull(tuple.getValueNode())) {
			return fallback;
		}
		String text = text(tuple.getValueNode());
		if (text == null || text.isBlank()) {
			problem(line(tuple.getKeyNode()), prefix + key + " must be non-empty text");
			return fallback;
		}
		return text.strip();
	}

	private static int valueLine(Map<String, NodeTuple> fields, String key) {
		NodeTuple tuple = fields.get(key);
		return (tuple != null) ? line(tuple.getValueNode()) : 0;
	}

	private void problem(int line, String reason) {
		OnCallProblem problem = new OnCallProblem(this.file, line, reason);
		// An alias used twice would otherwise report the same problem twice.
		if (!this.problems.contains(problem)) {
			this.problems.add(problem);
		}
	}

	private Result result(List<User> users, List<Schedule> schedules, List<EscalationPolicy> policies) {
		return new Result(users, schedules, policies, List.copyOf(this.problems));
	}

	/**
	 * What the file holds.
	 *
	 * @param users the users without problems, in file order
	 * @param schedules the schedules without problems, in file order
	 * @param policies the escalation policies without problems, in file order
	 * @param problems everything wrong with the file; the file is only usable without any
	 */
	record Result(List<User> users, List<Schedule> schedules, List<EscalationPolicy> policies,
			List<OnCallProblem> problems) {

		Result {
			users = List.copyOf(users);
			schedules = List.copyOf(schedules);
			policies = List.copyOf(policies);
		}

	}

}

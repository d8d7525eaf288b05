package dev.warden.runbooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.convert.DurationStyle;

import dev.warden.runbooks.RunbookDefinition.Step;

/**
 * The one place that knows each action's parameters: their names, types, which are
 * required and their defaults. The catalog validates every step with it when it loads a
 * runbook, and actions read their parameters through {@link #parameters(Step)}, so a
 * default is written down once.
 */
final class ActionSchemas {

	/**
	 * Restart containers selected by {@code container} name or label {@code selector}.
	 */
	public static final String DOCKER_RESTART = "docker.restart";

	/**
	 * Make a label-selected group have at least {@code replicas} running containers (and,
	 * only with {@code scale-down: true}, at most that many, never fewer than
	 * {@code min}).
	 */
	public static final String DOCKER_SCALE = "docker.scale";

	/** Put a label-selected group back on its previous image. */
	public static final String DOCKER_ROLLBACK = "docker.rollback";

	/** Probe a URL until it answers the expected status. */
	public static final String HTTP_CHECK = "http.check";

	/** Pause for a duration. */
	public static final String WAIT = "wait";

	/** Wait until the incident's alerts are resolved, within a deadline. */
	public static final String VERIFY_RESOLVED = "verify.resolved";

	/** Tell the incident's notification targets. */
	public static final String NOTIFY = "notify";

	/** {@code docker.scale}'s switch that lets it remove containers. */
	static final String SCALE_DOWN = "scale-down";

	/** {@code docker.scale}'s floor when it may scale down. */
	static final String FLOOR = "min";

	/** A step's timeout when it declares none. */
	public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(2);

	/**
	 * Added to a wait's or a verification's own duration for its default step timeout.
	 */
	static final Duration STEP_TIMEOUT_MARGIN = Duration.ofMinutes(1);

	private static final Pattern DURATION = Pattern.compile("\\d{1,12}(ns|us|ms|s|m|h|d)");

	private static final Map<String, Schema> SCHEMAS = schemas();

	private ActionSchemas() {
	}

	private static Map<String, Schema> schemas() {
		Parameter stopTimeout = Parameter.optional("stop-timeout", Type.DURATION_OR_ZERO, Duration.ofSeconds(10));
		Map<String, Schema> schemas = new LinkedHashMap<>();
		schemas.put(DOCKER_RESTART,
				new Schema(
						List.of(Parameter.optional("container", Type.STRING, null),
								Parameter.optional("selector", Type.LABELS, null), stopTimeout),
						List.of("container", "selector")));
		schemas.put(DOCKER_SCALE,
				new Schema(List.of(Parameter.required("selector", Type.LABELS),
						Parameter.required("replicas", Type.REPLICAS),
						Parameter.optional(SCALE_DOWN, Type.BOOLEAN, Boolean.FALSE),
						new Parameter(FLOOR, Type.INTEGER, false, null, 0, Integer.MAX_VALUE)), List.of()));
		schemas.put(DOCKER_ROLLBACK,
				new Schema(List.of(Parameter.required("selector", Type.LABELS), stopTimeout), List.of()));
		schemas.put(HTTP_CHECK,
				new Schema(
						List.of(Parameter.required("url", Type.URL),
								new Parameter("expect-status", Type.INTEGER, false, 200, 100, 599),
								new Parameter("retries", Type.INTEGER, false, 3, 1, Integer.MAX_VALUE),
								Parameter.optional("interval", Type.DURATION, Duration.ofSeconds(2)),
								Parameter.optional("request-timeout", Type.DURATION, Duration.ofSeconds(5))),
						List.of()));
		schemas.put(WAIT, new Schema(List.of(Parameter.required("duration", Type.DURATION)), List.of()));
		schemas
			.put(VERIFY_RESOLVED,
					new Schema(
							List.of(Parameter.required("within", Type.DURATION),
									Parameter.optional("poll-every", Type.DURATION, Duration.ofSeconds(15))),
							List.of()));
		schemas.put(NOTIFY, new Schema(List.of(Parameter.required("message", Type.STRING)), List.of()));
		return schemas;
	}

	/** The known actions, in the order the README lists them. */
	public static Set<String> actions() {
		return SCHEMAS.keySet();
	}

	/** True for an action Warden knows. */
	public static boolean isKnown(String action) {
		return SCHEMAS.containsKey(action);
	}

	/** The names of an action's parameters. */
	public static Set<String> parameterNames(String action) {
		return schema(action).parameters().keySet();
	}

	/**
	 * Everything wrong with an action's parameters as a runbook declares them: unknown,
	 * missing or conflicting parameters, wrong types, values out of range, and templates
	 * that are not plain label or annotation references.
	 * @param parameters the values as read from YAML (strings, integers, maps); a null
	 * value is a parameter written without a value
	 * @return the problems, empty when the parameters are fine
	 * @throws IllegalArgumentException for an unknown action
	 */
	public static List<ParameterProblem> validate(String action, Map<String, ?> parameters) {
		Schema schema = schema(action);
		List<ParameterProblem> problems = new ArrayList<>();
		parameters.forEach((name, value) -> {
			Parameter parameter = schema.parameters().get(name);
			if (parameter == null) {
				problems.add(new ParameterProblem(name, null, "unknown parameter '" + name + "' for " + action
						+ "; expected " + String.join(", ", schema.parameters().keySet())));
			}
			else if (value == null) {
				problems.add(new ParameterProblem(name, null, name + " has no value"));
			}
			else {
				parameter.type().check(parameter, value, problems);
			}
		});
		for (Parameter parameter : schema.parameters().values()) {
			if (parameter.required() && !parameters.containsKey(parameter.name())) {
				problems.add(new ParameterProblem(null, null, action + " needs " + parameter.name()));
			}
		}
		if (action.equals(DOCKER_SCALE)) {
			scaleProblems(parameters, problems);
		}
		if (!schema.exactlyOneOf().isEmpty()) {
			long given = schema.exactlyOneOf().stream().filter(parameters::containsKey).count();
			if (given != 1) {
				problems.add(new ParameterProblem(null, null, action + " needs exactly one of "
						+ String.join(" or ", schema.exactlyOneOf()) + ((given == 0) ? "" : ", not both")));
			}
		}
		return problems;
	}

	/**
	 * Scaling removes capacity only when the step says so, and then never below a floor
	 * it declares.
	 */
	private static void scaleProblems(Map<String, ?> parameters, List<ParameterProblem> problems) {
		boolean scaleDown = Boolean.TRUE.equals(parameters.get(SCALE_DOWN));
		if (scaleDown && !parameters.containsKey(FLOOR)) {
			problems.add(new ParameterProblem(SCALE_DOWN, null, DOCKER_SCALE + " with " + SCALE_DOWN + ": true needs "
					+ FLOOR + ", the number of replicas it never goes below"));
		}
		if (!scaleDown && parameters.containsKey(FLOOR)) {
			problems.add(new ParameterProblem(FLOOR, null, FLOOR + " applies only with " + SCALE_DOWN
					+ ": true (without it, " + DOCKER_SCALE + " never removes a replica)"));
		}
		if (scaleDown && parameters.get("replicas") instanceof Integer replicas
				&& parameters.get(FLOOR) instanceof Integer floor && replicas < floor) {
			problems.add(new ParameterProblem("replicas", null,
					"replicas (" + replicas + ") is below " + FLOOR + " (" + floor + ")"));
		}
	}

	/**
	 * A step's timeout when it declares none: a wait's or a verification's own duration
	 * plus a minute, otherwise {@link #DEFAULT_STEP_TIMEOUT}.
	 */
	public static Duration defaultTimeout(String action, Map<String, ?> parameters) {
		String own = switch (action) {
			case WAIT -> "duration";
			case VERIFY_RESOLVED -> "within";
			default -> null;
		};
		if (own != null && parameters.get(own) instanceof String text) {
			try {
				return parseDuration(text).plus(STEP_TIMEOUT_MARGIN);
			}
			catch (IllegalArgumentException ex) {
				// reported by validate
			}
		}
		return DEFAULT_STEP_TIMEOUT;
	}

	/** A step's parameters, read with their types and the action's defaults. */
	public static StepParameters parameters(Step step) {
		return parameters(step.action(), step.parameters());
	}

	/** An action's parameters, read with their types and the action's defaults. */
	public static StepParameters parameters(String action, Map<String, ?> parameters) {
		schema(action);
		return new StepParameters(action, parameters);
	}

	static Object defaultValue(String action, String name) {
		Parameter parameter = schema(action).parameters().get(name);
		if (parameter == null) {
			throw new IllegalArgumentException(action + " has no parameter " + name);
		}
		return parameter.defaultValue();
	}

	static int minimum(String action, String name) {
		Parameter parameter = schema(action).parameters().get(name);
		return (parameter != null) ? parameter.min() : Integer.MIN_VALUE;
	}

	static int maximum(String action, String name) {
		Parameter parameter = schema(action).parameters().get(name);
		return (parameter != null) ? parameter.max() : Integer.MAX_VALUE;
	}

	/**
	 * Reads a duration in Spring's simple style with a unit: {@code 500ms}, {@code 30s},
	 * {@code 5m}, {@code 1h}, {@code 1d}.
	 * @throws IllegalArgumentException when the text is not such a duration
	 */
	static Duration parseDuration(String text) {
		String trimmed = text.strip();
		if (DURATION.matcher(trimmed).matches()) {
			try {
				return DurationStyle.SIMPLE.parse(trimmed);
			}
			catch (RuntimeException ex) {
				// too large to be a duration: reported below
			}
		}
		throw new IllegalArgumentException(
				"'" + text + "' is not a duration; write a whole number and a unit, like 500ms, 30s, 5m or 1h");
	}

	/** A duration the way runbooks write it: {@code 90s}, {@code 16m}, {@code 1h}. */
	static String format(Duration duration) {
		if (duration.getNano() == 0) {
			long seconds = duration.getSeconds();
			long[] sizes = { 86_400, 3_600, 60, 1 };
			String[] units = { "d", "h", "m", "s" };
			for (int i = 0; i < sizes.length; i++) {
				if (seconds % sizes[i] == 0 && seconds != 0) {
					return (seconds / sizes[i]) + units[i];
				}
			}
			return "0s";
		}
		if (duration.getNano() % 1_000_000 == 0) {
			return duration.toMillis() + "ms";
		}
		return duration.toString();
	}

	private static Schema schema(String action) {
		Schema schema = SCHEMAS.get(action);
		if (schema == null) {
			throw new IllegalArgumentException("unknown action '" + action + "'");
		}
		return schema;
	}

	/**
	 * One thing wrong with a step's parameters.
	 *
	 * @param parameter the parameter it is about, or null when it is about the parameters
	 * as a whole (a missing one, a conflict)
	 * @param entry the entry of a map parameter (a selector label) it is about, or null
	 * @param reason what is wrong, for people
	 */
	public record ParameterProblem(String parameter, String entry, String reason) {
	}

	private record Schema(Map<String, Parameter> parameters, List<String> exactlyOneOf) {

		Schema(List<Parameter> parameters, List<String> exactlyOneOf) {
			this(byName(parameters), exactlyOneOf);
		}

		private static Map<String, Parameter> byName(List<Parameter> parameters) {
			Map<String, Parameter> byName = new LinkedHashMap<>();
			parameters.forEach((parameter) -> byName.put(parameter.name(), parameter));
			return byName;
		}

	}

	private record Parameter(String name, Type type, boolean required, Object defaultValue, int min, int max) {

		static Parameter required(String name, Type type) {
			return new Parameter(name, type, true, null, (type == Type.REPLICAS) ? 0 : Integer.MIN_VALUE,
					Integer.MAX_VALUE);
		}

		static Parameter optional(String name, Type type, Object defaultValue) {
			return new Parameter(name, type, false, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
		}

	}

	private enum Type {

		STRING {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				if (!(value instanceof String text) || text.isBlank()) {
					problems.add(problem(parameter, "must be non-empty text (quote it if YAML reads it otherwise)"));
					return;
				}
				templates(parameter, null, text, problems);
			}
		},

		BOOLEAN {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				if (!(value instanceof Boolean)) {
					problems.add(problem(parameter, "must be true or false (without quotes), not '" + value + "'"));
				}
			}
		},

		URL {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				if (!(value instanceof String text) || text.isBlank()) {
					problems.add(problem(parameter, "must be an http or https URL"));
					return;
				}
				String lower = text.strip().toLowerCase(Locale.ROOT);
				if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
					problems.add(problem(parameter, "'" + text + "' must start with http:// or https://"));
					return;
				}
				if (Templates.hasReferences(text)) {
					templates(parameter, null, text, problems);
					return;
				}
				try {
					if (new URI(text.strip()).getHost() == null) {
						problems.add(problem(parameter, "'" + text + "' has no host"));
					}
				}
				catch (URISyntaxException ex) {
					problems.add(problem(parameter, "'" + text + "' is not a valid URL: " + ex.getReason()));
				}
			}
		},

		DURATION {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				checkDuration(parameter, value, false, problems);
			}
		},

		DURATION_OR_ZERO {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				checkDuration(parameter, value, true, problems);
			}
		},

		INTEGER {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				if (!(value instanceof Integer number) || number < parameter.min() || number > parameter.max()) {
					problems.add(
							problem(parameter, "must be a whole number " + range(parameter) + ", not '" + value + "'"));
				}
			}
		},

		REPLICAS {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				if (value instanceof String text && Templates.hasReferences(text)) {
					templates(parameter, null, text, problems);
				}
				else if (!(value instanceof Integer number) || number < parameter.min()) {
					problems.add(problem(parameter, "must be a whole number " + range(parameter)
							+ " (without quotes) or a {{ labels.NAME }} template, not '" + value + "'"));
				}
			}
		},

		LABELS {
			@Override
			void check(Parameter parameter, Object value, List<ParameterProblem> problems) {
				if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
					problems.add(problem(parameter, "must be a non-empty map of label names to values"));
					return;
				}
				map.forEach((key, item) -> {
					String entry = String.valueOf(key);
					if (!(item instanceof String text) || text.isEmpty()) {
						problems.add(new ParameterProblem(parameter.name(), entry, parameter.name() + "." + entry
								+ " must be non-empty text (quote it if YAML reads it otherwise), not '" + item + "'"));
					}
					else {
						templates(parameter, entry, text, problems);
					}
				});
			}
		};

		abstract void check(Parameter parameter, Object value, List<ParameterProblem> problems);

		private static void checkDuration(Parameter parameter, Object value, boolean zeroAllowed,
				List<ParameterProblem> problems) {
			if (value instanceof String text && Templates.hasReferences(text)) {
				problems.add(problem(parameter, "is a duration and cannot use templates"));
				return;
			}
			try {
				Duration duration = parseDuration(String.valueOf(value));
				if (duration.isZero() && !zeroAllowed) {
					problems.add(problem(parameter, "must be longer than 0"));
				}
			}
			catch (IllegalArgumentException ex) {
				problems.add(problem(parameter, ex.getMessage()));
			}
		}

		private static void templates(Parameter parameter, String entry, String text, List<ParameterProblem> problems) {
			String name = (entry != null) ? parameter.name() + "." + entry : parameter.name();
			Templates.problems(text)
				.forEach((reason) -> problems.add(new ParameterProblem(parameter.name(), entry, name + ": " + reason)));
		}

		private static String range(Parameter parameter) {
			if (parameter.max() == Integer.MAX_VALUE) {
				return ">= " + parameter.min();
			}
			return "from " + parameter.min() + " to " + parameter.max();
		}

		private static ParameterProblem problem(Parameter parameter, String reason) {
			return new ParameterProblem(parameter.name(), null, parameter.name() + " " + reason);
		}

	}

}

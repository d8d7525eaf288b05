package dev.warden.runbooks;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A step's parameters read with their types, falling back to the action's defaults from
 * {@link ActionSchemas}. Obtain one with {@link ActionSchemas#parameters}; render the
 * alert's labels into it with {@link #render} before an action reads string values. Every
 * reader throws {@link IllegalArgumentException} with a reason fit for the timeline when
 * a value is missing or has the wrong type (which, after the catalog's validation, only a
 * rendered template can cause).
 */
final class StepParameters {

	private final String action;

	private final Map<String, Object> values;

	StepParameters(String action, Map<String, ?> values) {
		this.action = action;
		this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	/** The action these parameters belong to. */
	public String action() {
		return this.action;
	}

	/** The values as written (and rendered), without defaults. */
	public Map<String, Object> values() {
		return this.values;
	}

	/** True when the step gives the parameter a value. */
	public boolean has(String name) {
		return this.values.get(name) != null;
	}

	/**
	 * These parameters with every {@code {{ labels.x }}} and {@code {{ annotations.y }}}
	 * replaced by the alert's values.
	 * @throws MissingTemplateValue naming every reference the alert cannot fill
	 */
	public StepParameters render(Map<String, String> labels, Map<String, String> annotations) {
		return new StepParameters(this.action, Templates.render(this.values, labels, annotations));
	}

	/** A text parameter, or its default. */
	public String string(String name) {
		Object value = value(name);
		if (value instanceof String text) {
			return text;
		}
		throw wrongType(name, value, "text");
	}

	/** A text parameter the step may leave out and that has no default. */
	public Optional<String> optionalString(String name) {
		return has(name) ? Optional.of(string(name)) : Optional.empty();
	}

	/** A duration parameter ({@code 30s}, {@code 5m}), or its default. */
	public Duration duration(String name) {
		Object value = value(name);
		if (value instanceof Duration duration) {
			return duration;
		}
		if (value instanceof String text) {
			try {
				return ActionSchemas.parseDuration(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(this.action + ": " + name + " " + ex.getMessage(), ex);
			}
		}
		throw wrongType(name, value, "a duration");
	}

	/**
	 * A whole-number parameter, or its default. A string (a rendered template) must read
	 * as a whole number within the parameter's range.
	 */
	public int integer(String name) {
		Object value = value(name);
		int number;
		if (value instanceof Integer integer) {
			number = integer;
		}
		else if (value instanceof String text) {
			try {
				number = Integer.parseInt(text.strip());
			}
			catch (NumberFormatException ex) {
				throw wrongType(name, value, "a whole number");
			}
		}
		else {
			throw wrongType(name, value, "a whole number");
		}
		int min = ActionSchemas.minimum(this.action, name);
		int max = ActionSchemas.maximum(this.action, name);
		if (number < min || number > max) {
			throw new IllegalArgumentException(
					this.action + ": " + name + " is " + number + ", outside " + min + ".." + max);
		}
		return number;
	}

	/** A true-or-false parameter, or its default. */
	public boolean bool(String name) {
		Object value = value(name);
		if (value instanceof Boolean flag) {
			return flag;
		}
		throw wrongType(name, value, "true or false");
	}

	/** A whole-number parameter the step may leave out and that has no default. */
	public Optional<Integer> optionalInteger(String name) {
		return has(name) ? Optional.of(integer(name)) : Optional.empty();
	}

	/** A map of label names to values, such as a {@code selector}; empty if absent. */
	public Map<String, String> labels(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			value = ActionSchemas.defaultValue(this.action, name);
		}
		if (value == null) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw wrongType(name, value, "a map of labels");
		}
		Map<String, String> labels = new LinkedHashMap<>();
		map.forEach((key, item) -> {
			if (!(item instanceof String text)) {
				throw wrongType(name + "." + key, item, "text");
			}
			labels.put(String.valueOf(key), text);
		});
		return Collections.unmodifiableMap(labels);
	}

	private Object value(String name) {
		Object value = this.values.get(name);
		if (value == null) {
			value = ActionSchemas.defaultValue(this.action, name);
		}
		if (value == null) {
			throw new IllegalArgumentException(this.action + " needs " + name);
		}
		return value;
	}

	private IllegalArgumentException wrongType(String name, Object value, String expected) {
		return new IllegalArgumentException(
				this.action + ": " + name + " must be " + expected + ", not '" + value + "'");
	}

	@Override
	public String toString() {
		return this.action + " " + this.values;
	}

}

package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.warden.matching.LabelMatcher;

/**
 * One runbook as its YAML file declares it, validated.
 *
 * @param id unique id, also the value of an alert's {@code runbook} label that selects it
 * @param title one line
 * @param description what it does and when
 * @param matchers all must match an alert's labels for the runbook to start by itself;
 * none means it never does
 * @param mode auto, approval or manual
 * @param steps the steps, in order, at least one
 * @param timeout the whole run's deadline
 * @param cooldown minimum time between two runs for the same incident, and between any
 * two runs (of any runbook) on the same target
 * @param limits maximum runs per window
 * @param onFailure what happens when a run fails
 * @param targets the values each alert label its steps use may take (label name to
 * allowed values); a label a Docker step uses is always declared here
 * @param distinctApprover whether a run started by a person needs another person's
 * approval
 * @param source the file it came from
 */
public record RunbookDefinition(String id, String title, String description, List<LabelMatcher> matchers, Mode mode,
		List<Step> steps, Duration timeout, Duration cooldown, Limits limits, FailurePolicy onFailure,
		Map<String, List<String>> targets, boolean distinctApprover, Path source) {

	public RunbookDefinition {
		Objects.requireNonNull(id, "id");
		matchers = List.copyOf(matchers);
		steps = List.copyOf(steps);
		Map<String, List<String>> declared = new LinkedHashMap<>();
		targets.forEach((label, values) -> declared.put(label, List.copyOf(values)));
		targets = Collections.unmodifiableMap(declared);
	}

	/**
	 * True when the runbook's own match rules hold for an alert with these labels. A
	 * runbook without rules matches nothing; an alert's {@code runbook} label never makes
	 * a runbook match (it may only choose among those that do).
	 */
	public boolean matches(Map<String, String> labels) {
		return !this.matchers.isEmpty() && this.matchers.stream().allMatch((matcher) -> matcher.matches(labels));
	}

	/**
	 * Why the runbook does not match an alert with these labels, for people: the rules
	 * that fail with the values the alert has; empty when it matches.
	 */
	public List<String> failedRules(Map<String, String> labels) {
		if (this.matchers.isEmpty()) {
			return List.of("it has no match rules, so no alert starts it by itself");
		}
		return this.matchers.stream()
			.filter((matcher) -> !matcher.matches(labels))
			.map((matcher) -> (labels.containsKey(matcher.name()))
					? "%s does not hold (%s is \"%s\")".formatted(matcher, matcher.name(), labels.get(matcher.name()))
					: "%s does not hold (the alert has no %s label)".formatted(matcher, matcher.name()))
			.toList();
	}

	/**
	 * Why an alert with these labels may not fill the runbook's parameters: each declared
	 * label whose value is not one the runbook lists; empty when all are allowed. A label
	 * the alert lacks is left to the template, which fails the run naming it.
	 */
	public List<String> disallowedTargets(Map<String, String> labels) {
		List<String> refused = new ArrayList<>();
		this.targets.forEach((label, allowed) -> {
			String value = labels.get(label);
			if (value != null && !value.isEmpty() && !allowed.contains(value)) {
				refused.add("label %s is \"%s\", which is not one of the values the runbook declares for it (%s)"
					.formatted(label, value, String.join(", ", allowed)));
			}
		});
		return refused;
	}

	/** How a runbook starts. */
	public enum Mode {

		/** Starts by itself when a matching incident opens. */
		AUTO,
		/** Prepared when a matching incident opens; starts once a person approves. */
		APPROVAL,
		/** Only when a person runs it. */
		MANUAL

	}

	/** What happens when a run fails, times out or is interrupted. */
	public enum FailurePolicy {

		/** Tell the incident's notification targets. */
		NOTIFY,
		/** Escalate the incident. */
		ESCALATE,
		/** Leave it for a human: a timeline entry only. */
		LEAVE

	}

	/**
	 * How often a runbook may run.
	 *
	 * @param perIncident runs per incident within the window
	 * @param perTarget runs per target (container group) within the window
	 * @param window the window
	 */
	public record Limits(int perIncident, int perTarget, Duration window) {
	}

	/**
	 * One step.
	 *
	 * @param name what the step does, for people
	 * @param action the action type, such as {@code docker.restart}
	 * @param parameters the action's parameters; string values may hold {@code {{
	 * labels.x }}} and {@code {{ annotations.y }}} references
	 * @param timeout the step's deadline
	 */
	public record Step(String name, String action, Map<String, Object> parameters, Duration timeout) {

		public Step {
			parameters = Map.copyOf(parameters);
		}

	}

}

package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.warden.alerting.LabelMatcher;

/**
 * One runbook as its YAML file declares it, validated.
 *
 * @param id unique id, also the value of an alert's {@code runbook} label that selects it
 * @param title one line
 * @param description what it does and when
 * @param matchers all must match an alert's labels (an alert whose {@code runbook} label
 * names the id matches too)
 * @param mode auto, approval or manual
 * @param steps the steps, in order, at least one
 * @param timeout the whole run's deadline
 * @param cooldown minimum time between two runs for the same incident or target
 * @param limits maximum runs per window
 * @param onFailure what happens when a run fails
 * @param source the file it came from
 */
public record RunbookDefinition(String id, String title, String description, List<LabelMatcher> matchers, Mode mode,
		List<Step> steps, Duration timeout, Duration cooldown, Limits limits, FailurePolicy onFailure, Path source) {

	public RunbookDefinition {
		Objects.requireNonNull(id, "id");
		matchers = List.copyOf(matchers);
		steps = List.copyOf(steps);
	}

	/** True when the runbook is meant for an alert with these labels. */
	public boolean matches(Map<String, String> labels) {
		if (this.id.equals(labels.get("runbook"))) {
			return true;
		}
		return !this.matchers.isEmpty() && this.matchers.stream().allMatch((matcher) -> matcher.matches(labels));
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

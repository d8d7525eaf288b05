package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One step of a runbook run as other modules see it (see {@link ExecutionView}).
 *
 * @param id the step's id
 * @param position its place in the run, from 0
 * @param name its name
 * @param action the action it runs, e.g. {@code docker.restart}
 * @param declarative whether repeating it after a crash is harmless
 * @param status where it is
 * @param parameters its parameters with label and annotation references resolved
 * @param timeout how long it may take
 * @param attempts how often it was attempted
 * @param startedAt when it started, or null
 * @param resumeAt when a waiting step goes on, or null
 * @param finishedAt when it ended, or null
 * @param output what it reported, line by line
 * @param error why it failed, or null
 * @param actedBy the instance whose claim check let the current attempt act, or null
 * @param actedAt when the current attempt first got past its claim check, or null
 */
public record ExecutionStepView(long id, int position, String name, String action, boolean declarative,
		StepStatus status, Map<String, Object> parameters, Duration timeout, int attempts, Instant startedAt,
		Instant resumeAt, Instant finishedAt, List<String> output, String error, String actedBy, Instant actedAt) {

	public ExecutionStepView {
		parameters = ExecutionView.copy(parameters);
		output = (output != null) ? Collections.unmodifiableList(new ArrayList<>(output)) : List.of();
	}

	static ExecutionStepView of(ExecutionStep step) {
		return new ExecutionStepView(step.id(), step.position(), step.name(), step.action(), step.declarative(),
				step.status(), step.parameters(), step.timeout(), step.attempts(), step.startedAt(), step.resumeAt(),
				step.finishedAt(), step.output(), step.error(), step.actedBy(), step.actedAt());
	}

}

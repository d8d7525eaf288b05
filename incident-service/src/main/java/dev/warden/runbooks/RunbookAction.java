package dev.warden.runbooks;

import java.util.List;

/**
 * One kind of step, such as {@code docker.restart}. Implementations do their work or
 * report why they could not; expected trouble (engine down, target refused, check failed)
 * is a {@link StepResult.Failed}, never an exception.
 */
interface RunbookAction {

	/** The action type named in runbook files. */
	String type();

	/**
	 * Whether running the step again after a crash is harmless (desired state, checks,
	 * waits); a step that is not is never repeated once it may have acted: its run is
	 * marked interrupted. An action that changes anything outside the run's record must
	 * call {@link StepContext#fence()} right before each change: an attempt that never
	 * passed that check is known not to have acted, and the instance that takes it over
	 * runs it.
	 */
	boolean declarative();

	/** Runs the step, or resumes it after a wait. */
	StepResult run(StepContext context);

	/** What the step would do now, changing nothing (dry-run). */
	List<String> plan(StepContext context);

}

package dev.warden.runbooks;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.warden.incidents.IncidentId;

/**
 * What an action needs to run one step.
 *
 * @param executionId the execution
 * @param runbookId the runbook
 * @param incident the incident the run is for
 * @param parameters the step's parameters with label and annotation references resolved
 * @param startedAt when the step first started (waits count from here)
 * @param now the current time
 * @param deadline when the step must be over (its timeout or the run's, whichever is
 * first)
 * @param dryRun true when only planning
 * @param earlierOutput what earlier attempts of this step wrote, e.g. before a crash; a
 * declarative action repeated after a crash uses it to aim at the same desired state
 * @param fence what the action passes right before each change it makes outside the run's
 * own record
 */
record StepContext(long executionId, String runbookId, IncidentId incident, Map<String, Object> parameters,
		Instant startedAt, Instant now, Instant deadline, boolean dryRun, List<String> earlierOutput, Fence fence) {

	StepContext {
		earlierOutput = (earlierOutput != null) ? List.copyOf(earlierOutput) : List.of();
		fence = (fence != null) ? fence : Fence.PLAN;
	}

}

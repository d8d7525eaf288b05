package dev.warden.runbooks;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.warden.incidents.IncidentId;

/**
 * One run of a runbook as other modules see it, with its steps: read in one transaction
 * of this module and detached from it (nothing in it loads lazily, and nothing changes
 * when the run does).
 *
 * @param id the run's id
 * @param runbookId the runbook's id
 * @param runbookTitle the runbook's title when the run was prepared
 * @param incidentId the incident it runs for
 * @param alertFingerprint the alert whose labels filled in its parameters
 * @param status where it is
 * @param trigger whether a person or Warden started it
 * @param requestedBy who started it
 * @param approvedBy who approved it, or null
 * @param approvedAt when it was approved, or null
 * @param approvalExpiresAt until when it waits for approval, or null
 * @param cancelRequestedBy who asked to cancel it, or null
 * @param targetKey what it acts on, for per-target limits, e.g. {@code app=ai-db}
 * @param distinctApprover whether another person than the one who started it must approve
 * it
 * @param labels the labels of the alert it was prepared from
 * @param annotations the annotations of that alert
 * @param onFailure what a failed step does to the run
 * @param createdAt when it was prepared
 * @param startedAt when its first step started, or null
 * @param deadline when it times out, or null before it started
 * @param finishedAt when it ended, or null
 * @param outcome why it ended as it did, or null
 * @param claimedBy the Warden instance that last claimed its job, or null
 * @param steps its steps, in order
 */
public record ExecutionView(ExecutionId id, String runbookId, String runbookTitle, IncidentId incidentId,
		String alertFingerprint, ExecutionStatus status, ExecutionTrigger trigger, String requestedBy,
		String approvedBy, Instant approvedAt, Instant approvalExpiresAt, String cancelRequestedBy, String targetKey,
		boolean distinctApprover, Map<String, String> labels, Map<String, String> annotations,
		RunbookDefinition.FailurePolicy onFailure, Instant createdAt, Instant startedAt, Instant deadline,
		Instant finishedAt, String outcome, String claimedBy, List<ExecutionStepView> steps) {

	public ExecutionView {
		labels = copy(labels);
		annotations = copy(annotations);
		steps = List.copyOf(steps);
	}

	/** Reads the run and its steps: only inside a transaction. */
	static ExecutionView of(RunbookExecution execution) {
		return new ExecutionView(new ExecutionId(execution.id()), execution.runbookId(), execution.runbookTitle(),
				execution.incidentId(), execution.alertFingerprint(), execution.status(), execution.trigger(),
				execution.requestedBy(), execution.approvedBy(), execution.approvedAt(), execution.approvalExpiresAt(),
				execution.cancelRequestedBy(), execution.targetKey(), execution.distinctApprover(), execution.labels(),
				execution.annotations(), execution.onFailure(), execution.createdAt(), execution.startedAt(),
				execution.deadline(), execution.finishedAt(), execution.outcome(), execution.claimedBy(),
				execution.steps().stream().map(ExecutionStepView::of).toList());
	}

	/** An unmodifiable copy in the same order (JSON columns may hold null values). */
	static <K, V> Map<K, V> copy(Map<K, V> map) {
		return (map != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(map)) : Map.of();
	}

}

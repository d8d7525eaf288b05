package dev.warden.runbooks;

import java.util.Set;

/** Where a runbook execution is. */
public enum ExecutionStatus {

	QUEUED, AWAITING_APPROVAL, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, INTERRUPTED;

	private static final Set<ExecutionStatus> FINISHED = Set.of(SUCCEEDED, FAILED, CANCELLED, TIMED_OUT, INTERRUPTED);

	/** True once nothing more will happen. */
	public boolean isFinished() {
		return FINISHED.contains(this);
	}

	/** True for the outcomes that trigger the runbook's failure policy. */
	boolean isFailure() {
		return this == FAILED || this == TIMED_OUT || this == INTERRUPTED;
	}

}

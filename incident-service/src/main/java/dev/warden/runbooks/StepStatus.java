package dev.warden.runbooks;

/** Where one step of an execution is. */
public enum StepStatus {

	PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, SKIPPED, TIMED_OUT, INTERRUPTED, CANCELLED

}

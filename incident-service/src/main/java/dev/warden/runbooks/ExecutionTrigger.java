package dev.warden.runbooks;

/** Whether a person or Warden itself started a runbook run. */
public enum ExecutionTrigger {

	AUTOMATIC, MANUAL

}

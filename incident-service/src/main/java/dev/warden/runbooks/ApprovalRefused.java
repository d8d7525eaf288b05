package dev.warden.runbooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An approval Warden refuses although the run waits for one: its runbook requires that
 * another person than the one who started the run approves it.
 */
@ResponseStatus(HttpStatus.FORBIDDEN)
public class ApprovalRefused extends RuntimeException {

	private final long execution;

	private final String runbook;

	ApprovalRefused(RunbookExecution execution, String by) {
		super("%s may not approve run %d of runbook %s: %s started it, and the runbook requires another person's approval"
			.formatted(by, execution.id(), execution.runbookId(), execution.requestedBy()));
		this.execution = execution.id();
		this.runbook = execution.runbookId();
	}

	/** The run that was not approved. */
	public long execution() {
		return this.execution;
	}

	/** Its runbook. */
	public String runbook() {
		return this.runbook;
	}

}

package dev.warden.runbooks;

import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** An action the execution's status does not allow, such as approving a finished run. */
@ResponseStatus(HttpStatus.CONFLICT)
public class IllegalExecutionTransition extends RuntimeException {

	IllegalExecutionTransition(RunbookExecution execution, String action) {
		super("Execution %d of %s is %s and cannot be %s".formatted(execution.id(), execution.runbookId(),
				execution.status().name().toLowerCase(Locale.ROOT), action));
	}

	IllegalExecutionTransition(RunbookExecution execution, String action, String reason) {
		this(execution.id(), execution.runbookId(), action, reason);
	}

	IllegalExecutionTransition(ExecutionView execution, String action, String reason) {
		this(execution.id().value(), execution.runbookId(), action, reason);
	}

	private IllegalExecutionTransition(long execution, String runbook, String action, String reason) {
		super("Execution %d of %s cannot be %s: %s".formatted(execution, runbook, action, reason));
	}

}

package dev.warden.runbooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A run Warden will not start now: paused, in cooldown, over its limits, or a target not
 * allowed.
 */
@ResponseStatus(HttpStatus.CONFLICT)
public class RunRefused extends RuntimeException {

	private final String reason;

	RunRefused(String runbook, String reason) {
		super("Runbook %s not started: %s".formatted(runbook, reason));
		this.reason = reason;
	}

	/** Why, without the runbook's name. */
	public String reason() {
		return this.reason;
	}

}

package dev.warden.runbooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A run Warden will not start now: paused, in cooldown, over its limits, or a target not
 * allowed.
 */
@ResponseStatus(HttpStatus.CONFLICT)
public class RunRefused extends RuntimeException {

	RunRefused(String reason) {
		super(reason);
	}

}

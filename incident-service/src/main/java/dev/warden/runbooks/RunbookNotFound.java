package dev.warden.runbooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No runbook, or no execution, has the given id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class RunbookNotFound extends RuntimeException {

	RunbookNotFound(String message) {
		super(message);
	}

}

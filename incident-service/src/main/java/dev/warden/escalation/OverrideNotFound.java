package dev.warden.escalation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The schedule has no override with the given id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class OverrideNotFound extends RuntimeException {

	OverrideNotFound(String message) {
		super(message);
	}

}

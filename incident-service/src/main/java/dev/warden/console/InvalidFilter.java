package dev.warden.console;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A filter of the incident list that means nothing. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
class InvalidFilter extends RuntimeException {

	InvalidFilter(String message) {
		super(message);
	}

}

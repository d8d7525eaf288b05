package dev.warden.escalation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An override Warden refuses, such as one for an unknown user or one that ends before it
 * starts: the caller's mistake.
 */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidOverride extends RuntimeException {

	InvalidOverride(String message) {
		super(message);
	}

}

package dev.warden.incidents;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Input the incidents module refuses, such as a blank note: the caller's mistake, never a
 * bug.
 */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidIncidentInput extends RuntimeException {

	InvalidIncidentInput(String message) {
		super(message);
	}

}

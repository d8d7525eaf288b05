package dev.warden.incidents;

/**
 * Input the incidents module refuses, such as a blank note: the caller's mistake, never a
 * bug.
 */
public class InvalidIncidentInput extends RuntimeException {

	InvalidIncidentInput(String message) {
		super(message);
	}

}

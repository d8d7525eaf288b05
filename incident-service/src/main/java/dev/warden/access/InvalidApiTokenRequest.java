package dev.warden.access;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A token that cannot be issued as asked (name, scopes or expiry); the message says why,
 * for people. Nothing was written.
 */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidApiTokenRequest extends RuntimeException {

	InvalidApiTokenRequest(String message) {
		super(message);
	}

}

package dev.warden.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A subscription that cannot be made as asked; the message says why, for people. Nothing
 * was written.
 */
@ResponseStatus(HttpStatus.BAD_REQUEST)
class InvalidSubscription extends RuntimeException {

	InvalidSubscription(String message) {
		super(message);
	}

}

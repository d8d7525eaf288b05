package dev.warden.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A subscription change that clashes with what exists: a name taken, or a file
 * subscription, which only the file changes. Nothing was written.
 */
@ResponseStatus(HttpStatus.CONFLICT)
class SubscriptionConflict extends RuntimeException {

	SubscriptionConflict(String message) {
		super(message);
	}

}

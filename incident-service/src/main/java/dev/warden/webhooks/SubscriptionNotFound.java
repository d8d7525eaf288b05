package dev.warden.webhooks;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No subscription has this name. */
@ResponseStatus(HttpStatus.NOT_FOUND)
class SubscriptionNotFound extends RuntimeException {

	SubscriptionNotFound(String name) {
		super("There is no webhook subscription '" + name + "'");
	}

}

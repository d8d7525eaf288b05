package dev.warden.access;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No console user has this id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
class UserNotFound extends RuntimeException {

	UserNotFound(long id) {
		super("No console user " + id);
	}

}

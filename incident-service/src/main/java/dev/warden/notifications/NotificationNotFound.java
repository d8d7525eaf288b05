package dev.warden.notifications;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No notification has the given id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NotificationNotFound extends RuntimeException {

	NotificationNotFound(long id) {
		super("There is no notification " + id);
	}

}

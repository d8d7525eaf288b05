package dev.warden.notifications;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No notification has the given id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class NotificationNotFound extends RuntimeException {

	NotificationNotFound(NotificationId id) {
		this(id.value());
	}

	/** Also for an id that is no id at all (zero or negative, from a path). */
	NotificationNotFound(long id) {
		super("There is no notification " + id);
	}

}

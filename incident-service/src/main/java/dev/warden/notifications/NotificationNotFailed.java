package dev.warden.notifications;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Only a failed notification can be sent again. */
@ResponseStatus(HttpStatus.CONFLICT)
public class NotificationNotFailed extends RuntimeException {

	NotificationNotFailed(Notification notification) {
		super("Notification %d is %s; only a failed notification can be sent again".formatted(notification.id(),
				notification.status()));
	}

}

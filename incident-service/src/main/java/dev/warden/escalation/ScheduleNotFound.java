package dev.warden.escalation;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No schedule has the given name. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class ScheduleNotFound extends RuntimeException {

	ScheduleNotFound(String name) {
		super("There is no on-call schedule '" + name + "'");
	}

}

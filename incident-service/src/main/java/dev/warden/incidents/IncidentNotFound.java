package dev.warden.incidents;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No incident has the given id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class IncidentNotFound extends RuntimeException {

	IncidentNotFound(IncidentId id) {
		super("There is no incident " + id);
	}

}

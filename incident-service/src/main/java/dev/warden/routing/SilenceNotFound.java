package dev.warden.routing;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No silence has the given id. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class SilenceNotFound extends RuntimeException {

	SilenceNotFound(SilenceId id) {
		super("There is no silence " + id);
	}

}

package dev.warden.reports;

import dev.warden.incidents.IncidentId;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No such revision of the postmortem. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class PostmortemRevisionNotFound extends RuntimeException {

	PostmortemRevisionNotFound(IncidentId id, int revision) {
		super("The postmortem of %s has no revision %d".formatted(id, revision));
	}

}

package dev.warden.reports;

import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentStatus;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A postmortem is written once the incident is resolved. */
@ResponseStatus(HttpStatus.CONFLICT)
public class PostmortemNotAvailable extends RuntimeException {

	PostmortemNotAvailable(IncidentId id, IncidentStatus status) {
		super("Incident %s is %s: its postmortem opens once it is resolved".formatted(id,
				status.name().toLowerCase(java.util.Locale.ROOT)));
	}

}

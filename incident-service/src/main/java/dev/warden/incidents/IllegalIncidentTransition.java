package dev.warden.incidents;

import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An action that the incident's current status does not allow, such as acknowledging a
 * resolved incident.
 */
@ResponseStatus(HttpStatus.CONFLICT)
public class IllegalIncidentTransition extends RuntimeException {

	private final IncidentId incident;

	private final IncidentStatus current;

	IllegalIncidentTransition(IncidentId incident, IncidentStatus current, String action) {
		super("%s is %s and cannot be %s".formatted(incident, current.name().toLowerCase(Locale.ROOT), action));
		this.incident = incident;
		this.current = current;
	}

	IllegalIncidentTransition(IncidentId incident, IncidentStatus current, String action, String reason) {
		super("%s cannot be %s: %s".formatted(incident, action, reason));
		this.incident = incident;
		this.current = current;
	}

	public IncidentId incident() {
		return this.incident;
	}

	public IncidentStatus current() {
		return this.current;
	}

}

package dev.warden.incidents;

/** No incident has the given id. */
public class IncidentNotFound extends RuntimeException {

	IncidentNotFound(IncidentId id) {
		super("There is no incident " + id);
	}

}
